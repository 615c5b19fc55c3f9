/* test-catalog.c: the built-in catalogs against the two documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The command lists below are copied from the documents
 * (usr-g781-at-command-set.md and usr-m0-at-command-set.txt), not from
 * the JSON, so a command dropped from a catalog is caught here.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "atc-catalog.h"
#include "atc-error.h"
#include "atc-validate.h"

/* G781 section 3 "AT command set", in the document's order ("" is AT). */
static const char *const g781_commands[] = {
  "", "H", "E", "Z", "R", "ENTM", "WKMOD", "CMDPW", "STMSG", "CSQ", "NETMODE", "CPIN", "APN",
  "RELD", "CLEAR", "CFGTF", "VER", "SN", "ICCID", "IMEI",
  "UART", "UARTFT", "UARTFL", "RFCEN", "SOCKA", "SOCKB", "SOCKC", "SOCKD", "SOCKAEN",
  "SOCKBEN", "SOCKCEN", "SOCKDEN", "SOCKALK", "SOCKBLK", "SOCKCLK", "SOCKDLK", "SOCKIND",
  "REGEN", "REGTP", "REGDT", "REGSND", "CLOUD",
  "HEARTEN", "HEARTDT", "HEARTSND", "HEARTTM",
  "HTPTP", "HTPURL", "HTPSV", "HTPHD", "HTPTO", "HTPFLT",
  NULL
};

/* M0 section 3, plus AT (the probe; not in the M0 document). */
static const char *const m0_commands[] = {
  "", "ENTM", "Z", "RELD", "E",
  "VER", "MID", "MAC", "USERMAC", "WANN", "DNS",
  "WEBU", "WEBPORT",
  "UART", "SOCK", "SOCKLK", "SOCKPORT", "TCPSE",
  "REGEN", "REGTCP", "REGUSR", "REGCLOUD",
  "HEARTEN", "HEARTTP", "HEARTTM", "HEARTDT",
  "HTPTP", "HTPURL", "HTPHEAD", "HTPCHD",
  NULL
};

static AtcModel *
get_model (const char *id)
{
  AtcModel *model = atc_catalog_lookup (atc_catalog_get_default (), id);

  g_assert_nonnull (model);
  return model;
}

static const AtcCommand *
get_command (const char *model_id,
             const char *name)
{
  const AtcCommand *command = atc_model_lookup (get_model (model_id), name);

  if (command == NULL)
    g_error ("%s has no command '%s'", model_id, name);
  return command;
}

static const AtcParam *
get_param (const char *model_id,
           const char *command_name,
           const char *param_name)
{
  const AtcParam *param = atc_command_lookup_param (get_command (model_id, command_name),
                                                    param_name);

  if (param == NULL)
    g_error ("%s %s has no parameter '%s'", model_id, command_name, param_name);
  return param;
}

static void
test_models_load (void)
{
  AtcCatalog *catalog = atc_catalog_get_default ();
  AtcModel *g781, *m0;
  const guint *rates;
  guint n_rates;

  g_assert_true (catalog == atc_catalog_get_default ());
  g_assert_cmpuint (atc_catalog_get_models (catalog)->len, ==, 2);

  g781 = get_model ("g781");
  g_assert_cmpstr (atc_model_get_name (g781), ==, "USR-G781");
  g_assert_cmpstr (atc_model_get_firmware (g781), ==, "V1.1.05");
  g_assert_cmpint (atc_model_get_dialect (g781), ==, ATC_DIALECT_COLON);
  g_assert_cmpstr (atc_model_get_line_ending (g781), ==, "\r\n");
  g_assert_cmpstr (atc_model_get_welcome (g781), ==, "USR_G781");
  g_assert_cmpstr (atc_model_get_command_password (g781), ==, "www.usr.cn#");
  g_assert_cmpstr (atc_model_get_password_command (g781), ==, "CMDPW");
  g_assert_cmpstr (atc_model_get_save_command (g781), ==, "Z");
  g_assert_cmpstr (atc_model_get_restart_command (g781), ==, "Z");
  g_assert_cmpuint (atc_model_get_reboot_ms (g781), >=, 30000);
  g_assert_cmpuint (atc_model_get_default_timeout_ms (g781), >, 0);
  rates = atc_model_get_baud_rates (g781, &n_rates);
  g_assert_cmpuint (n_rates, ==, 12);
  g_assert_cmpuint (rates[0], ==, 300);
  g_assert_cmpuint (rates[n_rates - 1], ==, 460800);

  m0 = atc_catalog_lookup (catalog, "M0");
  g_assert_true (m0 == get_model ("m0"));
  g_assert_cmpstr (atc_model_get_name (m0), ==, "USR-M0");
  g_assert_cmpstr (atc_model_get_firmware (m0), ==, "4016");
  g_assert_cmpint (atc_model_get_dialect (m0), ==, ATC_DIALECT_PLUS_OK);
  g_assert_cmpstr (atc_model_get_line_ending (m0), ==, "\r\n");
  g_assert_null (atc_model_get_command_password (m0));
  g_assert_null (atc_model_get_password_command (m0));
  g_assert_cmpstr (atc_model_get_save_command (m0), ==, "Z");
  g_assert_cmpuint (atc_model_get_reboot_ms (m0), >=, 3000);
  g_assert_cmpuint (atc_model_get_reboot_ms (m0), <, atc_model_get_reboot_ms (g781));
  rates = atc_model_get_baud_rates (m0, &n_rates);
  g_assert_cmpuint (rates[0], ==, 600);
  g_assert_cmpuint (rates[n_rates - 1], ==, 460800);

  g_assert_null (atc_catalog_lookup (catalog, "g786"));
}

/* The files in data/catalog are what the resource holds. */
static void
test_directory_matches_resource (void)
{
  const char *dir = g_getenv ("ATC_CATALOG_DIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcCatalog) catalog = NULL;
  GPtrArray *models;

  g_assert_nonnull (dir);
  catalog = atc_catalog_new_from_directory (dir, &error);
  g_assert_no_error (error);
  models = atc_catalog_get_models (catalog);
  g_assert_cmpuint (models->len, ==, 2);

  for (guint i = 0; i < models->len; i++)
    {
      AtcModel *from_file = g_ptr_array_index (models, i);
      AtcModel *built_in = get_model (atc_model_get_id (from_file));
      GPtrArray *a = atc_model_get_commands (from_file);
      GPtrArray *b = atc_model_get_commands (built_in);

      g_assert_cmpuint (a->len, ==, b->len);
      for (guint j = 0; j < a->len; j++)
        g_assert_cmpstr (((AtcCommand *) a->pdata[j])->name, ==,
                         ((AtcCommand *) b->pdata[j])->name);
    }
}

static void
assert_commands_present (const char        *model_id,
                         const char *const *names)
{
  AtcModel *model = get_model (model_id);
  guint n = 0;

  for (guint i = 0; names[i] != NULL; i++, n++)
    {
      const AtcCommand *command = atc_model_lookup (model, names[i]);

      if (command == NULL)
        g_error ("%s: command '%s' from the document is missing", model_id, names[i]);
      g_assert_cmpstr (command->name, ==, names[i]);
      g_assert_nonnull (command->description);
      g_assert_cmpstr (command->description, !=, "");
    }

  /* Nothing beyond the document either. */
  g_assert_cmpuint (atc_model_get_commands (model)->len, ==, n);
}

static void
test_g781_commands_present (void)
{
  assert_commands_present ("g781", g781_commands);
}

static void
test_m0_commands_present (void)
{
  assert_commands_present ("m0", m0_commands);
}

static void
test_lookup_aliases (void)
{
  AtcModel *g781 = get_model ("g781");
  AtcModel *m0 = get_model ("m0");

  /* Case-insensitive, with or without "AT+". */
  g_assert_true (atc_model_lookup (g781, "uart") == atc_model_lookup (g781, "UART"));
  g_assert_true (atc_model_lookup (g781, "AT+Uart") == atc_model_lookup (g781, "UART"));
  g_assert_cmpstr (atc_model_lookup (g781, "AT")->name, ==, "");
  g_assert_cmpstr (atc_model_lookup (m0, "at")->name, ==, "");

  /* The documents' typos reach the plain command. */
  g_assert_cmpstr (atc_model_lookup (g781, "HEART SND")->name, ==, "HEARTSND");
  g_assert_cmpstr (atc_model_lookup (g781, "HEART TM")->name, ==, "HEARTTM");
  g_assert_cmpstr (atc_model_lookup (g781, "REG SND")->name, ==, "REGSND");
  g_assert_cmpstr (atc_model_lookup (g781, " NETMODE")->name, ==, "NETMODE");
  g_assert_cmpstr (atc_model_lookup (g781, "AT+ NETMODE")->name, ==, "NETMODE");
  g_assert_cmpstr (atc_model_lookup (m0, "HEARTTM1")->name, ==, "HEARTTM");
  g_assert_cmpstr (atc_model_lookup (m0, "heartTM11")->name, ==, "HEARTTM");
  g_assert_cmpstr (atc_model_lookup (m0, "HTPTP1")->name, ==, "HTPTP");
  g_assert_cmpstr (atc_model_lookup (m0, "HTPHEAD1")->name, ==, "HTPHEAD");

  /* The typo'd spellings are recorded as data, for the simulator and the
   * reply parser, even where the space-blind lookup would find them. */
  {
    static const struct {
      const char *model, *command, *alias;
    } aliases[] = {
      { "g781", "HEARTSND", "HEART SND" },
      { "g781", "HEARTTM", "HEART TM" },
      { "g781", "REGSND", "REG SND" },
      { "g781", "NETMODE", " NETMODE" },
      { "m0", "HEARTTM", "HEARTTM1" },
      { "m0", "HEARTTM", "HEARTTM11" },
      { "m0", "HTPTP", "HTPTP1" },
      { "m0", "HTPHEAD", "HTPHEAD1" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
      {
        const AtcCommand *command = get_command (aliases[i].model, aliases[i].command);

        if (!g_strv_contains ((const char *const *) command->aliases, aliases[i].alias))
          g_error ("%s %s: alias '%s' missing", aliases[i].model, aliases[i].command,
                   aliases[i].alias);
      }
  }

  g_assert_null (atc_model_lookup (g781, "SOCK"));
  g_assert_null (atc_model_lookup (m0, "SOCKA"));
  g_assert_null (atc_model_lookup (m0, "UARTX"));
}

static void
test_groups (void)
{
  static const struct {
    const char *model;
    const char *titles[8];
  } expected[] = {
    { "g781", { "Basic", "UART and socket", "Identity package", "Heartbeat package", "HTTPD" } },
    { "m0", { "Management", "System", "Settings webpage", "UART and socket", "Identity header",
              "Heartbeat package", "HTTP" } },
  };

  for (guint m = 0; m < G_N_ELEMENTS (expected); m++)
    {
      AtcModel *model = get_model (expected[m].model);
      GPtrArray *groups = atc_model_get_groups (model);
      GPtrArray *commands = atc_model_get_commands (model);
      guint n_titles = 0;

      while (n_titles < G_N_ELEMENTS (expected[m].titles) && expected[m].titles[n_titles])
        n_titles++;
      g_assert_cmpuint (groups->len, ==, n_titles);

      for (guint i = 0; i < groups->len; i++)
        {
          const AtcGroup *group = g_ptr_array_index (groups, i);
          guint members = 0;

          g_assert_cmpstr (group->title, ==, expected[m].titles[i]);
          for (guint j = 0; j < commands->len; j++)
            if (g_str_equal (((AtcCommand *) commands->pdata[j])->group, group->id))
              members++;
          if (members == 0)
            g_error ("%s: group '%s' is empty", expected[m].model, group->id);
        }

      for (guint j = 0; j < commands->len; j++)
        g_assert_nonnull (atc_model_lookup_group (model, ((AtcCommand *) commands->pdata[j])->group));
    }

  g_assert_cmpstr (get_command ("g781", "CLOUD")->group, ==, "identity");
  g_assert_cmpstr (get_command ("m0", "WEBU")->group, ==, "webpage");
  g_assert_cmpstr (get_command ("m0", "HTPCHD")->group, ==, "http");
}

/* Every default goes through validation unchanged, alone and as a whole
 * command: "restore defaults" must be sendable. */
static void
test_defaults_round_trip (void)
{
  GPtrArray *models = atc_catalog_get_models (atc_catalog_get_default ());
  guint n_checked = 0;

  for (guint m = 0; m < models->len; m++)
    {
      GPtrArray *commands = atc_model_get_commands (models->pdata[m]);

      for (guint c = 0; c < commands->len; c++)
        {
          const AtcCommand *command = commands->pdata[c];
          g_autoptr(GPtrArray) defaults = g_ptr_array_new ();
          gboolean all = TRUE;

          for (guint p = 0; p < command->params->len; p++)
            {
              const AtcParam *param = command->params->pdata[p];
              g_autoptr(GError) error = NULL;
              g_autofree char *canonical = NULL;

              if (param->default_value == NULL)
                {
                  all = FALSE;
                  continue;
                }
              canonical = atc_param_validate (command, param, param->default_value, &error);
              g_assert_no_error (error);
              g_assert_cmpstr (canonical, ==, param->default_value);
              g_ptr_array_add (defaults, param->default_value);
              n_checked++;
            }

          if (all && command->params->len > 0 && (command->access & ATC_ACCESS_SET))
            {
              g_autoptr(GError) error = NULL;
              g_auto(GStrv) values = NULL;

              g_ptr_array_add (defaults, NULL);
              values = atc_command_validate (command, (const char *const *) defaults->pdata,
                                             &error);
              g_assert_no_error (error);
              g_assert_cmpuint (g_strv_length (values), ==, command->params->len);
            }
        }
    }

  g_assert_cmpuint (n_checked, >, 60);
}

/* Defaults the documents give in wire form are stored readable. */
static void
test_documented_defaults (void)
{
  g_assert_cmpstr (get_param ("g781", "HTPURL", "url")->default_value, ==, "/1.php?");
  g_assert_cmpstr (get_param ("g781", "HTPHD", "header")->default_value, ==,
                   "Connection: close\r\n");
  g_assert_cmpint (get_param ("g781", "HTPHD", "header")->escape, ==, ATC_ESCAPE_BRACKETS);
  g_assert_cmpstr (get_param ("g781", "REGDT", "data")->default_value, ==,
                   "7777772E7573722E636E");
  g_assert_cmpint (get_param ("g781", "REGDT", "data")->type, ==, ATC_PARAM_HEX);
  g_assert_cmpstr (get_param ("g781", "HEARTTM", "time")->default_value, ==, "30");
  g_assert_cmpstr (get_param ("g781", "UARTFT", "time")->unit, ==, "ms");
  g_assert_cmpstr (get_param ("g781", "SOCKA", "address")->default_value, ==, "test.usr.cn");
  g_assert_cmpstr (get_param ("g781", "SOCKAEN", "status")->default_value, ==, "ON");
  g_assert_cmpstr (get_param ("g781", "SOCKBEN", "status")->default_value, ==, "OFF");

  g_assert_cmpstr (get_param ("m0", "HTPURL", "url")->default_value, ==, "/1.php?");
  g_assert_cmpint (get_param ("m0", "HTPHEAD", "header")->escape, ==, ATC_ESCAPE_CRLF_TOKEN);
  g_assert_cmpstr (get_param ("m0", "TCPSE", "method")->default_value, ==, "Keep");
  g_assert_cmpstr (get_param ("m0", "REGTCP", "method")->default_value, ==, "First");
  g_assert_cmpstr (get_param ("m0", "SOCKPORT", "port")->default_value, ==, "0");
  g_assert_cmpstr (get_param ("m0", "WANN", "address")->default_value, ==, "192.168.0.7");
  g_assert_cmpstr (get_param ("m0", "DNS", "address")->default_value, ==, "208.67.222.222");

  /* The G781 document's factory password breaks its own 1-10 byte range:
   * flagged, and the only such default (test-validate checks that it is
   * accepted while other 11-byte passwords are not). */
  g_assert_true (get_param ("g781", "CMDPW", "password")->default_outside_range);
  g_assert_cmpstr (get_param ("g781", "CMDPW", "password")->default_value, ==,
                   atc_model_get_command_password (get_model ("g781")));
  g_assert_false (get_param ("g781", "STMSG", "message")->default_outside_range);
}

static void
test_enum_spellings (void)
{
  const AtcParam *param = get_param ("m0", "REGTCP", "method");

  g_assert_cmpstrv (param->choices, ((const char *const[]) { "First", "Every", "ALL", NULL }));
  g_assert_cmpstrv (get_param ("m0", "TCPSE", "method")->choices,
                    ((const char *const[]) { "Keep", "Kick", NULL }));
  g_assert_cmpstrv (get_param ("m0", "SOCKLK", "status")->choices,
                    ((const char *const[]) { "Connected", "Disconnected", NULL }));
  g_assert_cmpstrv (get_param ("m0", "REGEN", "content")->choices,
                    ((const char *const[]) { "OFF", "MAC", "USR", NULL }));
  g_assert_cmpstrv (get_param ("m0", "UART", "parity")->choices,
                    ((const char *const[]) { "NONE", "EVEN", "ODD", "MASK", "SPACE", NULL }));
  g_assert_cmpstrv (get_param ("m0", "UART", "flow_control")->choices,
                    ((const char *const[]) { "NFC", "FC", "485", NULL }));
  g_assert_cmpstrv (get_param ("m0", "SOCK", "protocol")->choices,
                    ((const char *const[]) { "TCPS", "TCPC", "UDPS", "UDPC", "HTPC", NULL }));
  g_assert_cmpstrv (get_param ("g781", "UART", "parity")->choices,
                    ((const char *const[]) { "NONE", "EVEN", "ODD", NULL }));
  g_assert_cmpstrv (get_param ("g781", "SOCKA", "protocol")->choices,
                    ((const char *const[]) { "TCPS", "TCPC", "UDPS", "UDPC", NULL }));
  /* Only socket A can be a TCP server. */
  g_assert_cmpstrv (get_param ("g781", "SOCKB", "protocol")->choices,
                    ((const char *const[]) { "TCPC", "UDPS", "UDPC", NULL }));
  g_assert_cmpstrv (get_param ("g781", "REGSND", "type")->choices,
                    ((const char *const[]) { "LINK", "DATA", NULL }));
  g_assert_cmpstrv (get_param ("g781", "REGTP", "type")->choices,
                    ((const char *const[]) { "ICCID", "IMEI", "CLOUD", "USER", NULL }));

  g_assert_cmpstr (atc_param_get_choice_label (get_param ("g781", "NETMODE", "mode"), "6"), ==,
                   "LTE");
  g_assert_cmpstr (atc_param_get_choice_label (get_param ("g781", "SOCKALK", "status"), "on"),
                   ==, "Connected");
  g_assert_null (atc_param_get_choice_label (get_param ("g781", "NETMODE", "mode"), "9"));
}

static void
test_uart_field_order (void)
{
  static const char *const order[] = {
    "baud_rate", "data_bits", "stop_bits", "parity", "flow_control", NULL
  };
  const AtcCommand *g781 = get_command ("g781", "UART");
  const AtcCommand *m0 = get_command ("m0", "UART");
  const char *const *typo;

  for (guint i = 0; order[i] != NULL; i++)
    {
      g_assert_cmpstr (((AtcParam *) g781->params->pdata[i])->name, ==, order[i]);
      g_assert_cmpstr (((AtcParam *) m0->params->pdata[i])->name, ==, order[i]);
    }

  /* The G781 return line's order (parity second) is accepted in replies. */
  g_assert_cmpuint (g781->reply_orders->len, ==, 1);
  typo = g781->reply_orders->pdata[0];
  g_assert_cmpstrv (typo, ((const char *const[]) { "baud_rate", "parity", "data_bits",
                                                    "stop_bits", "flow_control", NULL }));
  g_assert_cmpuint (m0->reply_orders->len, ==, 0);
}

static void
test_secrets (void)
{
  static const struct {
    const char *model, *command, *param;
  } secrets[] = {
    { "g781", "CMDPW", "password" },
    { "g781", "APN", "password" },
    { "g781", "CLOUD", "password" },
    { "m0", "REGCLOUD", "password" },
    { "m0", "WEBU", "password" },
  };
  GPtrArray *models = atc_catalog_get_models (atc_catalog_get_default ());

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_assert_true (get_param (secrets[i].model, secrets[i].command, secrets[i].param)->secret);
      g_assert_true (atc_command_has_secret (get_command (secrets[i].model, secrets[i].command)));
    }

  /* Next to a secret, the user name is not one. */
  g_assert_false (get_param ("g781", "APN", "username")->secret);
  g_assert_false (get_param ("m0", "WEBU", "username")->secret);
  g_assert_false (atc_command_has_secret (get_command ("g781", "UART")));

  /* Whatever is called a password anywhere is flagged. */
  for (guint m = 0; m < models->len; m++)
    {
      GPtrArray *commands = atc_model_get_commands (models->pdata[m]);

      for (guint c = 0; c < commands->len; c++)
        {
          const AtcCommand *command = commands->pdata[c];

          for (guint p = 0; p < command->params->len; p++)
            {
              const AtcParam *param = command->params->pdata[p];

              if (strstr (param->name, "password") != NULL)
                g_assert_true (param->secret);
            }
        }
    }
}

static void
assert_flagged_exactly (const char        *model_id,
                        gsize              offset,
                        const char *const *names)
{
  GPtrArray *commands = atc_model_get_commands (get_model (model_id));

  for (guint c = 0; c < commands->len; c++)
    {
      const AtcCommand *command = commands->pdata[c];
      gboolean flag = G_STRUCT_MEMBER (gboolean, command, offset);

      if (flag != g_strv_contains (names, command->name))
        g_error ("%s %s: flag is %d, expected the opposite", model_id, command->name, flag);
    }
}

static void
test_flags (void)
{
  assert_flagged_exactly ("g781", G_STRUCT_OFFSET (AtcCommand, live_status),
                          (const char *const[]) { "CSQ", "NETMODE", "SOCKALK", "SOCKBLK",
                                                  "SOCKCLK", "SOCKDLK", NULL });
  assert_flagged_exactly ("m0", G_STRUCT_OFFSET (AtcCommand, live_status),
                          (const char *const[]) { "SOCKLK", NULL });
  assert_flagged_exactly ("g781", G_STRUCT_OFFSET (AtcCommand, identity),
                          (const char *const[]) { "VER", "SN", "ICCID", "IMEI", NULL });
  assert_flagged_exactly ("m0", G_STRUCT_OFFSET (AtcCommand, identity),
                          (const char *const[]) { "VER", "MAC", NULL });
  assert_flagged_exactly ("g781", G_STRUCT_OFFSET (AtcCommand, reboots),
                          (const char *const[]) { "Z", "R", "RELD", "CLEAR", NULL });
  assert_flagged_exactly ("m0", G_STRUCT_OFFSET (AtcCommand, reboots),
                          (const char *const[]) { "Z", "RELD", NULL });
  assert_flagged_exactly ("g781", G_STRUCT_OFFSET (AtcCommand, leaves_command_mode),
                          (const char *const[]) { "ENTM", NULL });
  assert_flagged_exactly ("m0", G_STRUCT_OFFSET (AtcCommand, leaves_command_mode),
                          (const char *const[]) { "ENTM", NULL });
  assert_flagged_exactly ("g781", G_STRUCT_OFFSET (AtcCommand, multiline),
                          (const char *const[]) { "H", NULL });

  /* Live status and identity are read, never written as settings, even
   * SOCKLK whose set form the M0 document lists. */
  g_assert_false (atc_command_is_setting (get_command ("g781", "CSQ")));
  g_assert_false (atc_command_is_setting (get_command ("m0", "SOCKLK")));
  g_assert_true (atc_command_can (get_command ("m0", "SOCKLK"), ATC_ACCESS_SET));
  g_assert_false (atc_command_is_setting (get_command ("g781", "VER")));
  g_assert_false (atc_command_is_setting (get_command ("g781", "Z")));
  g_assert_true (atc_command_is_setting (get_command ("g781", "UART")));
  g_assert_true (atc_command_is_setting (get_command ("m0", "HEARTTM")));

  g_assert_false (atc_command_can (get_command ("g781", "CSQ"), ATC_ACCESS_SET));
  g_assert_true (atc_command_can (get_command ("g781", "Z"), ATC_ACCESS_EXECUTE));
  g_assert_false (atc_command_can (get_command ("g781", "Z"), ATC_ACCESS_QUERY));

  /* M0 RELD answers with a value before it restarts. */
  g_assert_cmpstr (get_command ("m0", "RELD")->execute_reply, ==, "rebooting...");
  g_assert_null (get_command ("m0", "Z")->execute_reply);
}

static void
test_usermac (void)
{
  const AtcCommand *usermac = get_command ("m0", "USERMAC");

  g_assert_cmpstr (usermac->query_command, ==, "MAC");
  g_assert_nonnull (atc_model_lookup (get_model ("m0"), usermac->query_command));
  g_assert_true (atc_command_can (usermac, ATC_ACCESS_SET));
  /* A MAC address belongs to one unit: a profile must not clone it. */
  g_assert_true (usermac->per_unit);
  g_assert_false (get_command ("m0", "UART")->per_unit);
  g_assert_cmpint (get_param ("m0", "USERMAC", "mac")->type, ==, ATC_PARAM_MAC);
  g_assert_null (get_command ("m0", "MAC")->query_command);
}

static void
test_timeouts (void)
{
  GPtrArray *models = atc_catalog_get_models (atc_catalog_get_default ());

  /* Every command has a usable timeout, and AT+H waits longer than a
   * one-line reply. */
  for (guint m = 0; m < models->len; m++)
    {
      GPtrArray *commands = atc_model_get_commands (models->pdata[m]);

      for (guint c = 0; c < commands->len; c++)
        g_assert_cmpuint (((AtcCommand *) commands->pdata[c])->timeout_ms, >, 0);
    }

  g_assert_cmpuint (get_command ("g781", "H")->timeout_ms, >,
                    atc_model_get_default_timeout_ms (get_model ("g781")));
  g_assert_cmpuint (get_command ("g781", "UART")->timeout_ms, ==,
                    atc_model_get_default_timeout_ms (get_model ("g781")));
}

static void
test_detect (void)
{
  AtcCatalog *catalog = atc_catalog_get_default ();

  g_assert_cmpstr (atc_model_get_version_command (get_model ("g781")), ==, "VER");
  g_assert_true (atc_catalog_detect (catalog, ATC_DIALECT_COLON, "V1.1.05") == get_model ("g781"));
  g_assert_true (atc_catalog_detect (catalog, ATC_DIALECT_PLUS_OK, "4016") == get_model ("m0"));
  g_assert_true (atc_catalog_detect (catalog, ATC_DIALECT_PLUS_OK, NULL) == get_model ("m0"));
  g_assert_true (atc_model_matches_version (get_model ("g781"), "V1.1.05"));
  g_assert_false (atc_model_matches_version (get_model ("g781"), "4016"));
  g_assert_true (atc_model_matches_version (get_model ("m0"), "4016"));
  g_assert_false (atc_model_matches_version (get_model ("m0"), "V1.1.05"));

  g_assert_true (atc_model_has_quirk (get_model ("g781"), "help-ends-on-silence"));
  g_assert_false (atc_model_has_quirk (get_model ("m0"), "help-ends-on-silence"));
}

/* --- Malformed catalogs ----------------------------------------------- */

static char *
read_m0_text (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("ATC_CATALOG_DIR"), "m0.json", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* m0.json with `from` replaced by `to` (which must occur). */
static GBytes *
m0_with (const char *from,
         const char *to)
{
  g_autofree char *text = read_m0_text ();
  GString *edited = g_string_new (text);

  g_assert_nonnull (strstr (text, from));
  g_string_replace (edited, from, to, 1);
  return g_string_free_to_bytes (edited);
}

static void
assert_catalog_error (GBytes     *json,
                      const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtcModel) model = atc_model_new_from_bytes (json, &error);

  g_assert_null (model);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_CATALOG);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);
}

static void
test_malformed (void)
{
  static const struct {
    const char *from, *to, *expected;
  } cases[] = {
    { "\"type\": \"enum\",\n          \"choices\": [ { \"value\": \"NONE\"",
      "\"type\": \"enumm\",\n          \"choices\": [ { \"value\": \"NONE\"",
      "catalog: command UART, parameter parity: unknown type 'enumm'" },
    { "\"dialect\": \"plus-ok\"", "\"dialect\": \"plus_ok\"", "unknown dialect 'plus_ok'" },
    { "\"schema\": 1", "\"schema\": 2", "schema 2 is not supported" },
    { "\"group\": \"http\"", "\"group\": \"web\"", "command HTPTP: unknown group 'web'" },
    { "\"label\": \"Module name\"", "\"lable\": \"Module name\"",
      "command MID, parameter name: unknown field 'lable'" },
    { "\"default\": \"30\"", "\"default\": \"0\"",
      "command HEARTTM, parameter time: the default does not validate: HEARTTM: 0 is below "
      "the minimum 1 s" },
    { "\"default\": \"Keep\"", "\"default\": \"keep\"",
      "command TCPSE, parameter method: the default is not in canonical form" },
    { "\"aliases\": [\"HTPTP1\"]", "\"aliases\": [\"HTPURL\"]",
      "command HTPURL: the name 'HTPURL' is already used by command HTPTP" },
    { "\"min\": 5, \"max\": 8", "\"min\": 9, \"max\": 8",
      "command UART, parameter data_bits: the minimum 9 is above the maximum 8" },
    { "\"min\": 5, \"max\": 8", "\"min\": \"5\", \"max\": 8",
      "command UART, parameter data_bits: field 'min' must be a whole number" },
    { "\"access\": [\"execute\"],\n      \"leaves_command_mode\"",
      "\"access\": [\"run\"],\n      \"leaves_command_mode\"",
      "command ENTM: field 'access': item 1 is not one of query, set, execute" },
    { "\"query_command\": \"MAC\"", "\"query_command\": \"MACX\"",
      "command USERMAC: field 'query_command' names unknown command 'MACX'" },
    { "\"ascii_only\": true, \"escape\": \"crlf-token\"", "\"ascii_only\": true, \"escape\": \"crlf\"",
      "command HTPHEAD, parameter header: unknown escape 'crlf'" },
    { "\"type\": \"port\", \"min\": 0", "\"type\": \"port\", \"escape\": \"brackets\", \"min\": 0",
      "command SOCKPORT, parameter port: field 'escape' applies only to string parameters" },
    { "\"description\": \"Module name.\",", "",
      "command MID: missing field 'description'" },
    { "\"name\": \"MID\"", "\"name\": \"Mid\"",
      "a command name holds only upper-case letters and digits" },
    { "\"save_command\": \"Z\"", "\"save_command\": \"VER\"",
      "field 'save_command' names command VER, which does not have that form" },
    { "\"value\": \"Every\"", "\"value\": \"first\"", "choice 'first' is listed twice" },
    { "\"secret\": true,\n          \"default\": \"admin\"",
      "\"secret\": true, \"default_outside_range\": true,\n          \"default\": \"admin\"",
      "command WEBU, parameter password: field 'default_outside_range' is set but the default "
      "is within range" },
    { "\"value\": \"Every\"", "\"value\": \"Every,1\"", "choice 'Every,1' may hold only" },
  };
  g_autofree char *text = read_m0_text ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) json = m0_with (cases[i].from, cases[i].to);

      g_test_message ("case %u: %s", i, cases[i].expected);
      assert_catalog_error (json, cases[i].expected);
    }

  /* Not JSON at all, or not an object. */
  {
    g_autoptr(GBytes) json = g_bytes_new (text, strlen (text) / 2);

    assert_catalog_error (json, "catalog: not valid JSON");
  }
  {
    g_autoptr(GBytes) json = g_bytes_new_static ("[1, 2]", 6);

    assert_catalog_error (json, "catalog: the file must hold one JSON object");
  }
}

/* A secret default that breaks its rule is reported without its value. */
static void
test_malformed_secret_not_echoed (void)
{
  g_autoptr(GBytes) json = m0_with ("\"secret\": true,\n          \"default\": \"admin\"",
                                    "\"secret\": true,\n          \"default\": \"hunter2x\"");

  g_autoptr(GError) error = NULL;
  g_autoptr(AtcModel) model = atc_model_new_from_bytes (json, &error);

  g_assert_null (model);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_CATALOG);
  g_assert_nonnull (strstr (error->message, "WEBU: password is longer than 5 bytes"));
  g_assert_null (strstr (error->message, "hunter2x"));
}

/* Errors from files name the file; a folder with a broken or duplicate
 * model is refused as a whole. */
static void
test_malformed_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atconf-catalog-XXXXXX", &error);
  g_autofree char *m0_path = NULL;
  g_autofree char *copy_path = NULL;
  g_autoptr(GBytes) broken = m0_with ("\"type\": \"enum\",\n          \"choices\": [ { \"value\": \"NONE\"",
                                      "\"type\": \"enumm\",\n          \"choices\": [ { \"value\": \"NONE\"");
  g_autofree char *good = read_m0_text ();
  g_autoptr(AtcCatalog) catalog = NULL;
  g_autoptr(AtcModel) model = NULL;

  g_assert_no_error (error);
  m0_path = g_build_filename (dir, "m0.json", NULL);
  copy_path = g_build_filename (dir, "m0-copy.json", NULL);

  /* Empty folder. */
  catalog = atc_catalog_new_from_directory (dir, &error);
  g_assert_null (catalog);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_CATALOG);
  g_clear_error (&error);

  g_file_set_contents (m0_path, g_bytes_get_data (broken, NULL), g_bytes_get_size (broken),
                       &error);
  g_assert_no_error (error);
  model = atc_model_new_from_file (m0_path, &error);
  g_assert_null (model);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_CATALOG);
  g_assert_cmpstr (error->message, ==,
                   "m0.json: command UART, parameter parity: unknown type 'enumm'");
  g_clear_error (&error);

  catalog = atc_catalog_new_from_directory (dir, &error);
  g_assert_null (catalog);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_CATALOG);
  g_clear_error (&error);

  /* Two files, one model id. */
  g_file_set_contents (m0_path, good, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy_path, good, -1, &error);
  g_assert_no_error (error);
  catalog = atc_catalog_new_from_directory (dir, &error);
  g_assert_null (catalog);
  g_assert_error (error, ATC_ERROR, ATC_ERROR_CATALOG);
  g_assert_nonnull (strstr (error->message, "model id 'm0' is already used"));
  g_clear_error (&error);

  /* The good file alone loads. */
  g_assert_cmpint (g_unlink (copy_path), ==, 0);
  catalog = atc_catalog_new_from_directory (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (atc_catalog_get_models (catalog)->len, ==, 1);

  g_assert_cmpint (g_unlink (m0_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalog/models-load", test_models_load);
  g_test_add_func ("/catalog/directory-matches-resource", test_directory_matches_resource);
  g_test_add_func ("/catalog/g781-commands-present", test_g781_commands_present);
  g_test_add_func ("/catalog/m0-commands-present", test_m0_commands_present);
  g_test_add_func ("/catalog/lookup-aliases", test_lookup_aliases);
  g_test_add_func ("/catalog/groups", test_groups);
  g_test_add_func ("/catalog/defaults-round-trip", test_defaults_round_trip);
  g_test_add_func ("/catalog/documented-defaults", test_documented_defaults);
  g_test_add_func ("/catalog/enum-spellings", test_enum_spellings);
  g_test_add_func ("/catalog/uart-field-order", test_uart_field_order);
  g_test_add_func ("/catalog/secrets", test_secrets);
  g_test_add_func ("/catalog/flags", test_flags);
  g_test_add_func ("/catalog/usermac", test_usermac);
  g_test_add_func ("/catalog/timeouts", test_timeouts);
  g_test_add_func ("/catalog/detect", test_detect);
  g_test_add_func ("/catalog/malformed", test_malformed);
  g_test_add_func ("/catalog/malformed-secret-not-echoed", test_malformed_secret_not_echoed);
  g_test_add_func ("/catalog/malformed-files", test_malformed_files);

  return g_test_run ();
}
