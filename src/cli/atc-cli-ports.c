/* atc-cli-ports.c: the serial ports present
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "atc-cli.h"
#include "atc-port-list.h"

static char *
usb_id (const AtcPortInfo *port)
{
  if (port->transport != ATC_PORT_TRANSPORT_USB || (port->usb_vid == 0 && port->usb_pid == 0))
    return NULL;
  return g_strdup_printf ("%04x:%04x", port->usb_vid, port->usb_pid);
}

static const char *
or_empty (const char *text)
{
  return text ? text : "";
}

static void
print_json (GPtrArray *ports)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < ports->len; i++)
    {
      const AtcPortInfo *port = g_ptr_array_index (ports, i);
      g_autofree char *usb = usb_id (port);

      json_builder_begin_object (builder);
      atc_cli_add_string_or_null (builder, "name", port->name);
      atc_cli_add_string_or_null (builder, "description", port->description);
      atc_cli_add_string_or_null (builder, "transport", atc_port_transport_to_string (port->transport));
      atc_cli_add_string_or_null (builder, "usb", usb);
      atc_cli_add_string_or_null (builder, "manufacturer", port->manufacturer);
      atc_cli_add_string_or_null (builder, "product", port->product);
      atc_cli_add_string_or_null (builder, "serial_number", port->serial);
      atc_cli_add_string_or_null (builder, "by_id", port->by_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  atc_cli_print_builder (builder);
}

/* A table sized to its contents, to `stream`. */
static void
print_table (GPtrArray *ports,
             FILE      *stream)
{
  const char *headers[] = { _("PORT"), _("DESCRIPTION"), _("USB ID"), _("SERIAL") };
  int widths[G_N_ELEMENTS (headers)];
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    widths[c] = g_utf8_strlen (headers[c], -1);

  for (guint i = 0; i < ports->len; i++)
    {
      const AtcPortInfo *port = g_ptr_array_index (ports, i);
      char **row = g_new0 (char *, G_N_ELEMENTS (headers) + 1);

      row[0] = g_strdup (port->name);
      row[1] = g_strdup (or_empty (port->description));
      row[2] = usb_id (port);
      if (row[2] == NULL)
        row[2] = g_strdup ("");
      row[3] = g_strdup (or_empty (port->serial));
      for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
        widths[c] = MAX (widths[c], (int) g_utf8_strlen (row[c], -1));
      g_ptr_array_add (rows, row);
    }

  for (guint r = 0; r <= rows->len; r++)
    {
      const char *const *cells = r == 0 ? headers : g_ptr_array_index (rows, r - 1);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
        {
          /* Pad by characters, not bytes: descriptions may be UTF-8. */
          g_string_append (line, cells[c]);
          if (c + 1 < G_N_ELEMENTS (headers))
            for (int pad = g_utf8_strlen (cells[c], -1); pad < widths[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      fprintf (stream, "%s\n", line->str);
    }
}

void
atc_cli_print_ports_hint (void)
{
  g_autoptr(GPtrArray) ports = atc_port_list_enumerate (NULL);

  if (ports == NULL || ports->len == 0)
    {
      g_printerr ("%s\n", _("No serial ports are present. Plug in the USB serial adapter, "
                            "or use --device tcp:HOST:PORT or demo:g781."));
      return;
    }
  g_printerr ("%s\n", _("Serial ports on this computer:"));
  print_table (ports, stderr);
}

static gboolean
ports_run (AtcCli  *cli,
           int      argc,
           char   **argv,
           GError **error)
{
  g_autoptr(GPtrArray) ports = NULL;

  if (argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("ports takes no arguments, got “%s”"), argv[1]);
      return FALSE;
    }
  ports = atc_port_list_enumerate (error);
  if (ports == NULL)
    return FALSE;

  if (cli->json)
    print_json (ports);
  else if (ports->len == 0)
    g_print ("%s\n", _("No serial ports are present."));
  else
    print_table (ports, stdout);
  return TRUE;
}

const AtcCliCommand atc_cli_command_ports = {
  .name = "ports",
  .arguments = NULL,
  .summary = N_("List the serial ports: name, description, USB ID, serial number"),
  .description = N_("Pseudo-terminals and network bridges are not listed: give them to "
                    "--device as pty:/dev/pts/N or tcp:HOST:PORT.\n"
                    "With --json: [{\"name\", \"description\", \"transport\", \"usb\": "
                    "\"vvvv:pppp\", \"manufacturer\", \"product\", \"serial_number\", "
                    "\"by_id\"}], null where unknown."),
  .entries = NULL,
  .needs_device = FALSE,
  .run = ports_run,
};
