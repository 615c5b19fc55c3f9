/* atconf-sim.c: a simulated USR-G781 or USR-M0 on a pty or a TCP port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first line on stdout is the address to give Atconf (the pty path, or
 * tcp:127.0.0.1:PORT); every command the unit executes is logged on stderr
 * with secrets shown as •••. Runs until SIGINT or SIGTERM.
 */
#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "atc-simulator.h"

typedef struct {
  GMainLoop *loop;
  gint64     start_us;
} Sim;

static double
elapsed_s (Sim *sim)
{
  return (g_get_monotonic_time () - sim->start_us) / (double) G_USEC_PER_SEC;
}

/* "\r\n+CSQ:25\r\n\r\nOK\r\n" -> "+CSQ:25 OK"; long help text is cut. */
static char *
reply_summary (const char *reply)
{
  g_auto(GStrv) lines = g_strsplit_set (reply, "\r\n", -1);
  g_autoptr(GString) out = g_string_new (NULL);
  guint shown = 0, total = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      total++;
      if (shown >= 3 && lines[i + 1] != NULL)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, lines[i]);
      shown++;
    }
  if (total > shown)
    g_string_append_printf (out, _(" (%u lines)"), total);

  return g_strescape (out->str, "•");
}

static void
on_command (AtcSimulator   *simulator,
            AtcSimLogEntry *entry,
            Sim            *sim)
{
  g_autofree char *line = g_strescape (entry->line, "•");
  g_autofree char *reply = reply_summary (entry->reply);

  g_printerr ("[%9.3f] %s%s -> %s\n", elapsed_s (sim),
              entry->transparent ? _("(password) ") : "", line, reply);
}

static void
on_data (AtcSimulator *simulator,
         GBytes       *frame,
         Sim          *sim)
{
  /* Data may be anything the technician's equipment sends: count it only. */
  g_printerr (_("[%9.3f] data: %zu bytes to the network side\n"),
              elapsed_s (sim), g_bytes_get_size (frame));
}

static void
on_link_changed (AtcSimulator *simulator,
                 gboolean      attached,
                 Sim          *sim)
{
  g_printerr ("[%9.3f] %s\n", elapsed_s (sim),
              attached ? _("host connected") : _("host disconnected"));
}

static void
on_mode (AtcSimulator *simulator,
         GParamSpec   *pspec,
         Sim          *sim)
{
  static const char *const names[] = {
    [ATC_SIM_MODE_TRANSPARENT] = N_("transparent mode"),
    [ATC_SIM_MODE_HANDSHAKE] = N_("handshake: sent “a”, waiting for the host's “a”"),
    [ATC_SIM_MODE_COMMAND] = N_("command mode"),
    [ATC_SIM_MODE_REBOOTING] = N_("rebooting"),
  };
  AtcSimMode mode = atc_simulator_get_mode (simulator);

  g_printerr ("[%9.3f] %s\n", elapsed_s (sim), _(names[mode]));
}

static gboolean
on_signal (gpointer user_data)
{
  Sim *sim = user_data;

  g_main_loop_quit (sim->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
parse_error_style (const char       *text,
                   AtcSimErrorStyle *style,
                   GError          **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (ATC_TYPE_SIM_ERROR_STYLE);
  GEnumValue *value = g_enum_get_value_by_nick (klass, text);

  if (value == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unknown error style “%s”; use err (ERR4), plus-err-colon (+ERR:4), "
                     "error (ERROR) or plus-err-equals (+ERR=-4)"),
                   text);
      return FALSE;
    }
  *style = value->value;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *model_id = NULL;
  g_autofree char *echo = NULL;
  g_autofree char *fault_spec = NULL;
  g_autofree char *error_style = NULL;
  gboolean use_pty = FALSE;
  int tcp_port = -1;
  gint64 seed = 1;
  int latency_ms = 0;
  int baud = 0;
  int reboot_ms = -1;
  GOptionEntry entries[] = {
    { "model", 'm', 0, G_OPTION_ARG_STRING, &model_id,
      N_("Model to simulate: g781 or m0 (default g781)"), N_("MODEL") },
    { "pty", 0, 0, G_OPTION_ARG_NONE, &use_pty,
      N_("Serve a pseudo-terminal (the default)"), NULL },
    { "tcp", 0, 0, G_OPTION_ARG_INT, &tcp_port,
      N_("Listen on 127.0.0.1:PORT instead (0 picks a free port)"), N_("PORT") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      N_("Seed for identity, live status and faults (default 1)"), N_("N") },
    { "latency", 0, 0, G_OPTION_ARG_INT, &latency_ms,
      N_("Delay before each reply (default 0)"), N_("MS") },
    { "baud", 0, 0, G_OPTION_ARG_INT, &baud,
      N_("The unit's UART baud rate; replies are paced at it"), N_("N") },
    { "echo", 0, 0, G_OPTION_ARG_STRING, &echo,
      N_("Command echo at power-on: on or off (default on)"), N_("on|off") },
    { "reboot-ms", 0, 0, G_OPTION_ARG_INT, &reboot_ms,
      N_("How long a restart takes (default: the model's)"), N_("MS") },
    { "fault", 0, 0, G_OPTION_ARG_STRING, &fault_spec,
      N_("Wire faults, e.g. drop=0.01,corrupt=0.01,garbage=0.05,silent,upper-echo,disconnect=5"),
      N_("LIST") },
    { "errors", 0, 0, G_OPTION_ARG_STRING, &error_style,
      N_("Wording of error replies: err, plus-err-colon, error or plus-err-equals"),
      N_("STYLE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcSimulator) simulator = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  AtcSimFaults faults = ATC_SIM_FAULTS_NONE;
  AtcSimErrorStyle style = ATC_SIM_ERROR_STYLE_DEFAULT;
  Sim sim = { 0 };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("— a simulated USR IOT unit"));
  g_option_context_set_summary (context,
                                _("Prints the address to connect to on its first line, then "
                                  "logs every command on standard error until interrupted."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto usage;

  if (argc > 1)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Unexpected argument “%s”"), argv[1]);
      goto usage;
    }
  if (use_pty && tcp_port >= 0)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Give either --pty or --tcp, not both"));
      goto usage;
    }
  if (tcp_port > G_MAXUINT16)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--tcp %d is not a port; use 0 to 65535"), tcp_port);
      goto usage;
    }
  if (seed < 0 || seed > G_MAXUINT32)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--seed must be between 0 and %u"), G_MAXUINT32);
      goto usage;
    }
  if (latency_ms < 0 || baud < 0 || reboot_ms < -1)
    {
      g_set_error_literal (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--latency, --baud and --reboot-ms take numbers of 0 or more"));
      goto usage;
    }
  if (echo != NULL && g_ascii_strcasecmp (echo, "on") != 0 &&
      g_ascii_strcasecmp (echo, "off") != 0)
    {
      g_set_error (&error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--echo takes on or off, not “%s”"), echo);
      goto usage;
    }
  if (fault_spec != NULL && !atc_sim_faults_parse (fault_spec, &faults, &error))
    goto usage;
  if (error_style != NULL && !parse_error_style (error_style, &style, &error))
    goto usage;

  simulator = atc_simulator_new_for_model_id (model_id != NULL ? model_id : "g781",
                                              (guint32) seed, &error);
  if (simulator == NULL)
    goto usage;

  g_object_set (simulator,
                "latency-ms", (guint) latency_ms,
                "error-style", style,
                NULL);
  if (reboot_ms >= 0)
    atc_simulator_set_reboot_ms (simulator, (guint) reboot_ms);
  if (baud > 0)
    {
      if (!atc_simulator_set_baud (simulator, (guint) baud, &error))
        goto usage;
      g_object_set (simulator, "pace", TRUE, NULL);
    }
  if (echo != NULL)
    {
      const char *values[] = { g_ascii_strcasecmp (echo, "on") == 0 ? "ON" : "OFF", NULL };

      if (!atc_simulator_set_values (simulator, "E", values, &error))
        goto usage;
    }
  atc_simulator_set_faults (simulator, &faults);

  sim.start_us = g_get_monotonic_time ();
  g_signal_connect (simulator, "command-executed", G_CALLBACK (on_command), &sim);
  g_signal_connect (simulator, "data-received", G_CALLBACK (on_data), &sim);
  g_signal_connect (simulator, "notify::mode", G_CALLBACK (on_mode), &sim);

  if (tcp_port >= 0)
    {
      guint16 port = atc_simulator_listen_tcp (simulator, (guint16) tcp_port, &error);

      if (port == 0)
        {
          g_printerr ("atconf-sim: %s\n", error->message);
          return EXIT_FAILURE;
        }
      g_print ("tcp:127.0.0.1:%u\n", port);
    }
  else
    {
      const char *path = atc_simulator_open_pty (simulator, &error);

      if (path == NULL)
        {
          g_printerr ("atconf-sim: %s\n", error->message);
          return EXIT_FAILURE;
        }
      g_print ("%s\n", path);
    }
  /* Whoever started us reads this line to know where to connect. */
  fflush (stdout);
  /* From here on: hosts coming and going (TCP clients, a lost pty). */
  g_signal_connect (simulator, "link-changed", G_CALLBACK (on_link_changed), &sim);

  {
    g_autofree char *fault_text = atc_sim_faults_to_string (&faults);

    g_printerr (_("atconf-sim: %s (firmware %s), seed %u, UART %u baud%s%s\n"),
                atc_model_get_name (atc_simulator_get_model (simulator)),
                atc_model_get_firmware (atc_simulator_get_model (simulator)),
                (guint32) seed, atc_simulator_get_baud (simulator),
                fault_text[0] != '\0' ? _(", faults: ") : "", fault_text);
  }

  loop = g_main_loop_new (NULL, FALSE);
  sim.loop = loop;
  g_unix_signal_add (SIGINT, on_signal, &sim);
  g_unix_signal_add (SIGTERM, on_signal, &sim);
  g_main_loop_run (loop);

  /* Shutting down is not a host leaving. */
  g_signal_handlers_disconnect_by_data (simulator, &sim);
  return EXIT_SUCCESS;

usage:
  g_printerr ("atconf-sim: %s\n", error->message);
  g_printerr (_("Run “atconf-sim --help” to see the options.\n"));
  return 2;
}
