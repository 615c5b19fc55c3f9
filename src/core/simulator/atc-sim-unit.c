/* atc-sim-unit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is driven by the catalog: a command's forms, parameters,
 * defaults, escapes and secrets come from its AtcCommand. Only commands
 * with a behaviour of their own are named: ENTM, the reboots and what they
 * restore (Z, R, RELD, CLEAR, CFGTF), H, the echo (E), the command password,
 * the live status (CSQ, NETMODE, SOCK*LK), the identity values and
 * USERMAC, which AT+MAC reports.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "atc-address.h"
#include "atc-codec.h"
#include "atc-error.h"
#include "atc-sim-unit.h"
#include "atc-validate.h"

/* The walk takes one step per virtual second. */
#define TICK_MS 1000

/* Default packing interval when the model has no AT+UARTFT (M0). */
#define DEFAULT_PACKING_MS 50

struct _AtcSimUnit
{
  GObject           parent_instance;

  AtcModel         *model;
  guint32           seed;
  AtcSimErrorStyle  error_style;

  GHashTable       *settings;       /* command name -> GStrv, readable canonical values */
  GHashTable       *user_defaults;  /* saved by CFGTF, or NULL */

  char             *sn;
  char             *iccid;
  char             *imei;
  char             *mac;

  guint             baud;           /* applied at boot */
  guint             packing_ms;     /* applied at boot */

  /* Live status */
  const AtcCommand *csq_command;
  const AtcCommand *netmode_command;
  const AtcCommand *link_commands[ATC_SIM_MAX_LINKS];
  const AtcCommand *enable_commands[ATC_SIM_MAX_LINKS];
  guint             n_links;
  GRand            *status_rand;
  guint64           clock_ms;
  guint64           next_tick_ms;
  AtcSimStatus      status;
  gboolean          pinned;
};

G_DEFINE_FINAL_TYPE (AtcSimUnit, atc_sim_unit, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (AtcSimErrorStyle, atc_sim_error_style,
  G_DEFINE_ENUM_VALUE (ATC_SIM_ERROR_STYLE_DEFAULT, "default"),
  G_DEFINE_ENUM_VALUE (ATC_SIM_ERROR_STYLE_ERR, "err"),
  G_DEFINE_ENUM_VALUE (ATC_SIM_ERROR_STYLE_PLUS_ERR_COLON, "plus-err-colon"),
  G_DEFINE_ENUM_VALUE (ATC_SIM_ERROR_STYLE_ERROR, "error"),
  G_DEFINE_ENUM_VALUE (ATC_SIM_ERROR_STYLE_PLUS_ERR_EQUALS, "plus-err-equals"))

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SEED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- Helpers ------------------------------------------------------------ */

static gboolean
is_plus_ok (AtcSimUnit *self)
{
  return atc_model_get_dialect (self->model) == ATC_DIALECT_PLUS_OK;
}

static gboolean
has_name (const AtcCommand *command,
          const char       *name)
{
  return command != NULL && g_str_equal (command->name, name);
}

static const AtcParam *
param_at (const AtcCommand *command,
          guint             i)
{
  return g_ptr_array_index (command->params, i);
}

static gboolean
stores_values (const AtcCommand *command)
{
  return command->params->len > 0 &&
         (command->access & ATC_ACCESS_SET) != 0 &&
         !command->live_status &&
         !command->identity;
}

/* A value for a parameter the catalog gives no default: empty, as a unit
 * never given one reads back, where the parameter allows it; else the
 * model's name (M0 MID, "Module name (Not certain)" in the document).
 * USERMAC stays empty: it then means "no custom MAC". */
static char *
factory_value (AtcModel         *model,
               const AtcCommand *command,
               const AtcParam   *param)
{
  const char *candidates[] = { "", atc_model_get_name (model) };

  if (param->default_value != NULL)
    return g_strdup (param->default_value);

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      char *canonical = atc_param_validate (command, param, candidates[i], NULL);

      if (canonical != NULL)
        return canonical;
    }

  return g_strdup ("");
}

/* The catalog's defaults: the factory settings. */
static GHashTable *
factory_settings (AtcModel *model)
{
  GHashTable *settings = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                (GDestroyNotify) g_strfreev);
  GPtrArray *commands = atc_model_get_commands (model);

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      char **values;

      if (!stores_values (command))
        continue;

      values = g_new0 (char *, command->params->len + 1);
      for (guint p = 0; p < command->params->len; p++)
        values[p] = factory_value (model, command, param_at (command, p));
      g_hash_table_insert (settings, command->name, values);
    }

  return settings;
}

static GHashTable *
copy_settings (GHashTable *settings)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) g_strfreev);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, key, g_strdupv (value));

  return copy;
}

static const char *
setting (AtcSimUnit *self,
         const char *command,
         guint       index)
{
  char **values = g_hash_table_lookup (self->settings, command);

  if (values == NULL || index >= g_strv_length (values))
    return NULL;
  return values[index];
}

/* --- Identity ----------------------------------------------------------- */

static char
luhn_digit (const char *digits)
{
  gsize len = strlen (digits);
  int sum = 0;

  /* Doubling starts at the rightmost digit, the one next to the check digit. */
  for (gsize i = 0; i < len; i++)
    {
      int d = digits[len - 1 - i] - '0';

      if (i % 2 == 0)
        {
          d *= 2;
          if (d > 9)
            d -= 9;
        }
      sum += d;
    }

  return (char) ('0' + (10 - sum % 10) % 10);
}

static char *
random_digits (GRand      *rand,
               const char *prefix,
               guint       n)
{
  GString *out = g_string_new (prefix);

  for (guint i = 0; i < n; i++)
    g_string_append_c (out, (char) ('0' + g_rand_int_range (rand, 0, 10)));

  return g_string_free (out, FALSE);
}

static void
make_identity (AtcSimUnit *self)
{
  /* A generator of its own, so identity does not shift the status walk. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (self->seed ^ 0x1d3e7715u);
  g_autofree char *iccid_body = NULL;
  g_autofree char *imei_body = NULL;

  self->sn = random_digits (rand, "", 20);
  /* ICCID: 89 (telecom) 86 (China), 15 more digits, Luhn check digit. */
  iccid_body = random_digits (rand, "8986", 15);
  self->iccid = g_strdup_printf ("%s%c", iccid_body, luhn_digit (iccid_body));
  /* IMEI: an 8-digit TAC, a 6-digit serial, Luhn check digit. */
  imei_body = random_digits (rand, "86", 12);
  self->imei = g_strdup_printf ("%s%c", imei_body, luhn_digit (imei_body));
  /* M0 document 4.7: "USR MAC start with D8B04C". */
  self->mac = g_strdup_printf ("D8B04C%06X", g_rand_int_range (rand, 0, 0x1000000));
}

/* USERMAC sets what AT+MAC reports: the catalog says so with query_command. */
static const char *
custom_value_for (AtcSimUnit       *self,
                  const AtcCommand *identity)
{
  GPtrArray *commands = atc_model_get_commands (self->model);

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      const char *value;

      if (command->query_command == NULL ||
          atc_model_lookup (self->model, command->query_command) != identity)
        continue;
      value = setting (self, command->name, 0);
      if (value != NULL && value[0] != '\0')
        return value;
    }

  return NULL;
}

static char **
identity_values (AtcSimUnit       *self,
                 const AtcCommand *command)
{
  char **values = g_new0 (char *, command->params->len + 1);

  for (guint p = 0; p < command->params->len; p++)
    {
      const AtcParam *param = param_at (command, p);
      const char *value = param->default_value != NULL ? param->default_value : "";

      if (has_name (command, "VER"))
        value = atc_model_get_firmware (self->model);
      else if (has_name (command, "SN"))
        value = self->sn;
      else if (has_name (command, "ICCID"))
        value = self->iccid;
      else if (has_name (command, "IMEI"))
        value = self->imei;
      else if (param->type == ATC_PARAM_MAC)
        {
          const char *custom = custom_value_for (self, command);
          value = custom != NULL ? custom : self->mac;
        }
      values[p] = g_strdup (value);
    }

  return values;
}

/* --- Live status -------------------------------------------------------- */

static int
scale_top (AtcNetMode mode)
{
  switch (mode)
    {
    case ATC_NET_MODE_GSM:
    case ATC_NET_MODE_CDMA:
    case ATC_NET_MODE_EVDO:
      return 31;
    case ATC_NET_MODE_TDSCDMA:
    case ATC_NET_MODE_WCDMA:
      return 91;
    case ATC_NET_MODE_LTE:
    case ATC_NET_MODE_TDDLTE:
    case ATC_NET_MODE_FDDLTE:
      return 97;
    case ATC_NET_MODE_NONE:
    default:
      return 0;
    }
}

/* The same signal on another network's scale (protocol-notes.md formulas). */
static int
csq_from_dbm (int        dbm,
              AtcNetMode mode)
{
  int csq;

  switch (scale_top (mode))
    {
    case 31:
      csq = (dbm + 113) / 2;
      break;
    case 91:
      csq = dbm + 115;
      break;
    case 97:
      csq = dbm + 140;
      break;
    default:
      return ATC_CSQ_UNKNOWN;
    }

  return CLAMP (csq, 0, scale_top (mode));
}

static AtcNetMode
pick_net_mode (GRand *rand)
{
  /* Mostly LTE, as a G781 in the field; now and then a fallback or none. */
  static const AtcNetMode modes[] = {
    ATC_NET_MODE_FDDLTE, ATC_NET_MODE_FDDLTE, ATC_NET_MODE_FDDLTE,
    ATC_NET_MODE_TDDLTE, ATC_NET_MODE_TDDLTE, ATC_NET_MODE_LTE,
    ATC_NET_MODE_WCDMA, ATC_NET_MODE_GSM, ATC_NET_MODE_NONE,
  };

  return modes[g_rand_int_range (rand, 0, G_N_ELEMENTS (modes))];
}

static gboolean
link_enabled (AtcSimUnit *self,
              guint       i)
{
  const AtcCommand *enable = self->enable_commands[i];
  const char *value;

  /* A model without an enable switch (M0 SOCK) always runs its socket. */
  if (enable == NULL)
    return TRUE;
  value = setting (self, enable->name, 0);
  return value != NULL && g_ascii_strcasecmp (value, "ON") == 0;
}

static void
effective_status (AtcSimUnit   *self,
                  AtcSimStatus *status)
{
  *status = self->status;

  for (guint i = 0; i < ATC_SIM_MAX_LINKS; i++)
    {
      gboolean up = i < self->n_links && self->status.links[i] && link_enabled (self, i);

      /* A cellular unit without a network has no socket up. */
      if (self->netmode_command != NULL && status->net_mode == ATC_NET_MODE_NONE)
        up = FALSE;
      status->links[i] = up;
    }

  if (self->netmode_command != NULL && status->net_mode == ATC_NET_MODE_NONE)
    status->csq = ATC_CSQ_UNKNOWN;
}

static void
init_status (AtcSimUnit *self)
{
  self->status_rand = g_rand_new_with_seed (self->seed);
  self->status.net_mode = ATC_NET_MODE_NONE;
  self->status.csq = ATC_CSQ_UNKNOWN;

  if (self->netmode_command != NULL)
    {
      /* Start registered: a unit on the bench usually has a network. */
      do
        self->status.net_mode = pick_net_mode (self->status_rand);
      while (self->status.net_mode == ATC_NET_MODE_NONE);
      /* Somewhere between poor and good: -105..-70 dBm. */
      self->status.csq = csq_from_dbm (g_rand_int_range (self->status_rand, -105, -69),
                                       self->status.net_mode);
    }
  else if (self->csq_command != NULL)
    {
      self->status.csq = g_rand_int_range (self->status_rand, 10, 25);
    }

  for (guint i = 0; i < self->n_links; i++)
    self->status.links[i] = g_rand_double (self->status_rand) < 0.7;

  self->next_tick_ms = TICK_MS;
}

static void
status_step (AtcSimUnit *self)
{
  AtcSimStatus *s = &self->status;

  if (self->netmode_command != NULL && g_rand_double (self->status_rand) < 0.03)
    {
      AtcNetMode mode = pick_net_mode (self->status_rand);

      if (mode != s->net_mode)
        {
          AtcSignal signal = atc_signal_from_csq (s->csq, s->net_mode);

          s->csq = signal.known ? csq_from_dbm (signal.dbm, mode)
                                : csq_from_dbm (-90, mode);
          s->net_mode = mode;
        }
    }

  if (self->csq_command != NULL)
    {
      int delta = g_rand_int_range (self->status_rand, -2, 3);
      int top = self->netmode_command != NULL ? scale_top (s->net_mode) : 31;

      if (self->netmode_command != NULL && s->net_mode == ATC_NET_MODE_NONE)
        s->csq = ATC_CSQ_UNKNOWN;
      else if (s->csq == ATC_CSQ_UNKNOWN || s->csq > top)
        s->csq = top / 2;
      else
        s->csq = CLAMP (s->csq + delta, 0, top);
    }

  for (guint i = 0; i < self->n_links; i++)
    if (g_rand_double (self->status_rand) < 0.05)
      s->links[i] = !s->links[i];
}

/* The catalog's own words: ON/OFF (G781), Connected/Disconnected (M0). */
static const char *
link_word (const AtcParam *param,
           gboolean        up)
{
  const char *const words[] = { up ? "ON" : "OFF", up ? "Connected" : "Disconnected" };

  if (param->type != ATC_PARAM_ENUM)
    return words[0];

  for (guint i = 0; param->choices[i] != NULL; i++)
    for (guint w = 0; w < G_N_ELEMENTS (words); w++)
      if (g_ascii_strcasecmp (param->choices[i], words[w]) == 0)
        return param->choices[i];

  return words[0];
}

static char **
live_values (AtcSimUnit       *self,
             const AtcCommand *command)
{
  AtcSimStatus status;
  char **values = g_new0 (char *, command->params->len + 1);

  effective_status (self, &status);

  for (guint p = 0; p < command->params->len; p++)
    {
      const AtcParam *param = param_at (command, p);
      char *value = NULL;

      if (command == self->csq_command)
        value = g_strdup_printf ("%d", status.csq);
      else if (command == self->netmode_command)
        value = g_strdup_printf ("%d", (int) status.net_mode);
      else
        {
          for (guint i = 0; i < self->n_links; i++)
            {
              if (self->link_commands[i] != command)
                continue;
              value = g_strdup (link_word (param, status.links[i]));
            }
        }

      if (value == NULL)
        value = g_strdup (param->default_value != NULL ? param->default_value : "");
      values[p] = value;
    }

  return values;
}

static void
find_status_commands (AtcSimUnit *self)
{
  GPtrArray *commands = atc_model_get_commands (self->model);

  self->csq_command = atc_model_lookup (self->model, "CSQ");
  self->netmode_command = atc_model_lookup (self->model, "NETMODE");

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      gsize len = strlen (command->name);
      guint index;

      if (!command->live_status || len < 6 ||
          !g_str_has_prefix (command->name, "SOCK") || !g_str_has_suffix (command->name, "LK"))
        continue;

      /* SOCKALK..SOCKDLK on the G781, SOCKLK on the M0. */
      if (len == 6)
        index = 0;
      else if (len == 7 && command->name[4] >= 'A' && command->name[4] < 'A' + ATC_SIM_MAX_LINKS)
        index = (guint) (command->name[4] - 'A');
      else
        continue;

      self->link_commands[index] = command;
      if (len == 7)
        {
          g_autofree char *enable = g_strdup_printf ("SOCK%cEN", command->name[4]);
          self->enable_commands[index] = atc_model_lookup (self->model, enable);
        }
      self->n_links = MAX (self->n_links, index + 1);
    }
}

/* --- Replies ------------------------------------------------------------ */

static void
append_ok (AtcSimUnit *self,
           GString    *out)
{
  g_string_append (out, is_plus_ok (self) ? "\r\n+OK\r\n" : "\r\nOK\r\n");
}

void
atc_sim_unit_append_error (AtcSimUnit *self,
                           AtcSimErr   error,
                           GString    *reply)
{
  AtcSimErrorStyle style;

  g_return_if_fail (ATC_IS_SIM_UNIT (self));
  g_return_if_fail (reply != NULL);

  style = self->error_style;
  if (style == ATC_SIM_ERROR_STYLE_DEFAULT)
    style = is_plus_ok (self) ? ATC_SIM_ERROR_STYLE_PLUS_ERR_EQUALS : ATC_SIM_ERROR_STYLE_ERR;

  switch (style)
    {
    case ATC_SIM_ERROR_STYLE_PLUS_ERR_COLON:
      g_string_append_printf (reply, "\r\n+ERR:%d\r\n", (int) error);
      break;
    case ATC_SIM_ERROR_STYLE_ERROR:
      g_string_append (reply, "\r\nERROR\r\n");
      break;
    case ATC_SIM_ERROR_STYLE_PLUS_ERR_EQUALS:
      g_string_append_printf (reply, "\r\n+ERR=-%d\r\n", (int) error);
      break;
    case ATC_SIM_ERROR_STYLE_ERR:
    case ATC_SIM_ERROR_STYLE_DEFAULT:
    default:
      g_string_append_printf (reply, "\r\nERR%d\r\n", (int) error);
      break;
    }
}

/* The wire form of a value list: each value escaped as its parameter
 * travels, joined by commas. */
static char *
format_value (const AtcCommand  *command,
              const char *const *values,
              gboolean           redact)
{
  GString *out = g_string_new (NULL);

  for (guint p = 0; p < command->params->len && values[p] != NULL; p++)
    {
      const AtcParam *param = param_at (command, p);
      g_autoptr(GError) error = NULL;
      g_autofree char *wire = NULL;

      if (p > 0)
        g_string_append_c (out, ',');
      if (redact && param->secret)
        {
          g_string_append (out, ATC_SIM_REDACTED);
          continue;
        }

      wire = atc_escape_encode_param (param, values[p], &error);
      /* Stored values passed validation, which refuses what cannot travel;
       * a failure here is a catalog/codec disagreement worth a warning. */
      if (wire == NULL)
        g_warning ("AT+%s: stored value of %s cannot be sent: %s",
                   command->name, param->name, error->message);
      else
        g_string_append (out, wire);
    }

  return g_string_free (out, FALSE);
}

static void
append_query_reply (AtcSimUnit       *self,
                    const AtcCommand *command,
                    const char       *value,
                    GString          *out)
{
  if (is_plus_ok (self))
    g_string_append_printf (out, "\r\n+OK=%s\r\n", value);
  else
    g_string_append_printf (out, "\r\n+%s:%s\r\n\r\nOK\r\n", command->name, value);
}

static void
append_help (AtcSimUnit *self,
             GString    *out)
{
  GPtrArray *commands = atc_model_get_commands (self->model);

  g_string_append (out, "\r\n");
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);

      if (command->name[0] == '\0')
        g_string_append (out, "AT");
      else
        g_string_append_printf (out, "AT+%s", command->name);
      if (command->description != NULL)
        g_string_append_printf (out, "  %s", command->description);
      g_string_append (out, "\r\n");
    }
  append_ok (self, out);
}

/* --- Line parsing ------------------------------------------------------- */

typedef enum {
  FORM_PLAIN,  /* AT+CMD */
  FORM_QUERY,  /* AT+CMD? (G781) */
  FORM_SET,    /* AT+CMD=value */
} Form;

typedef struct {
  const AtcCommand *command;
  Form              form;
  const char       *value;       /* FORM_SET: points into the line */
  AtcSimErr         error;       /* why the line names no command */
} ParsedLine;

static const AtcCommand *
lookup_name (AtcSimUnit *self,
             const char *name,
             gsize       len)
{
  g_autofree char *copy = g_strndup (name, len);
  gboolean blank = TRUE;

  for (const char *p = copy; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      blank = FALSE;

  /* atc_model_lookup() ignores spaces and an "AT+" prefix; on the wire
   * "AT+" alone or "AT+AT+CSQ" names nothing. */
  if (blank || g_ascii_strncasecmp (copy, "AT", 2) == 0)
    return NULL;

  return atc_model_lookup (self->model, copy);
}

static void
parse_line (AtcSimUnit *self,
            const char *line,
            ParsedLine *parsed)
{
  const char *body;
  const char *eq;
  gsize len;

  memset (parsed, 0, sizeof *parsed);

  if (g_ascii_strncasecmp (line, "AT", 2) != 0)
    {
      parsed->error = ATC_SIM_ERR_FORMAT;
      return;
    }

  if (line[2] == '\0')
    {
      parsed->command = atc_model_lookup (self->model, "");
      parsed->form = FORM_PLAIN;
      parsed->error = parsed->command != NULL ? ATC_SIM_ERR_NONE : ATC_SIM_ERR_COMMAND;
      return;
    }

  if (line[2] != '+')
    {
      parsed->error = ATC_SIM_ERR_FORMAT;
      return;
    }

  body = line + 3;
  eq = strchr (body, '=');

  if (eq != NULL)
    {
      parsed->form = FORM_SET;
      parsed->command = lookup_name (self, body, (gsize) (eq - body));
      parsed->value = eq + 1;
      parsed->error = parsed->command != NULL ? ATC_SIM_ERR_NONE : ATC_SIM_ERR_COMMAND;
      return;
    }

  len = strlen (body);
  if (len > 0 && body[len - 1] == '?')
    {
      parsed->command = lookup_name (self, body, len - 1);
      parsed->form = FORM_QUERY;
      if (parsed->command == NULL)
        parsed->error = ATC_SIM_ERR_COMMAND;
      /* The M0 document knows only the bare query form. */
      else if (is_plus_ok (self))
        parsed->error = ATC_SIM_ERR_FORM;
      return;
    }

  parsed->command = lookup_name (self, body, len);
  parsed->form = FORM_PLAIN;
  parsed->error = parsed->command != NULL ? ATC_SIM_ERR_NONE : ATC_SIM_ERR_COMMAND;
}

/* '=' and '?' only travel escaped in a value whose parameter has escapes:
 * a literal one is not something the unit accepts there. */
static gboolean
has_literal_specials (const AtcCommand *command,
                      const char       *value)
{
  g_auto(GStrv) fields = g_strsplit (value, ",", -1);

  if (g_strv_length (fields) != command->params->len)
    return FALSE;

  for (guint p = 0; fields[p] != NULL; p++)
    if (param_at (command, p)->escape != ATC_ESCAPE_NONE && strpbrk (fields[p], "=?") != NULL)
      return TRUE;

  return FALSE;
}

char *
atc_sim_unit_redact_line (AtcSimUnit *self,
                          const char *line)
{
  ParsedLine parsed;
  g_auto(GStrv) fields = NULL;
  GString *out;

  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), NULL);
  g_return_val_if_fail (line != NULL, NULL);

  parse_line (self, line, &parsed);
  if (parsed.command == NULL || parsed.form != FORM_SET || !atc_command_has_secret (parsed.command))
    return g_strdup (line);

  out = g_string_new_len (line, parsed.value - line);
  fields = g_strsplit (parsed.value, ",", -1);

  /* Field count off: no way to tell which field is the secret. */
  if (g_strv_length (fields) != parsed.command->params->len)
    {
      g_string_append (out, ATC_SIM_REDACTED);
      return g_string_free (out, FALSE);
    }

  for (guint p = 0; fields[p] != NULL; p++)
    {
      if (p > 0)
        g_string_append_c (out, ',');
      g_string_append (out, param_at (parsed.command, p)->secret ? ATC_SIM_REDACTED : fields[p]);
    }

  return g_string_free (out, FALSE);
}

/* --- Execution ---------------------------------------------------------- */

static AtcSimEffect
run_execute (AtcSimUnit       *self,
             const AtcCommand *command,
             GString          *reply)
{
  if (command->multiline)
    {
      append_help (self, reply);
      return ATC_SIM_EFFECT_NONE;
    }

  if (has_name (command, "CFGTF"))
    {
      g_clear_pointer (&self->user_defaults, g_hash_table_unref);
      self->user_defaults = copy_settings (self->settings);
    }
  else if (has_name (command, "RELD"))
    {
      /* G781: the user defaults CFGTF saved, else factory; the M0 has no
       * CFGTF, so its RELD is the factory reset its document says. */
      GHashTable *restored = self->user_defaults != NULL ? copy_settings (self->user_defaults)
                                                         : factory_settings (self->model);
      g_hash_table_unref (self->settings);
      self->settings = restored;
    }
  else if (has_name (command, "CLEAR"))
    {
      /* Factory settings; the saved user defaults are a separate image
       * the document does not say CLEAR erases, so they stay. */
      g_hash_table_unref (self->settings);
      self->settings = factory_settings (self->model);
    }

  if (command->execute_reply != NULL)
    {
      if (is_plus_ok (self))
        g_string_append_printf (reply, "\r\n+OK=%s\r\n", command->execute_reply);
      else
        g_string_append_printf (reply, "\r\n+%s:%s\r\n\r\nOK\r\n", command->name,
                                command->execute_reply);
    }
  else
    {
      append_ok (self, reply);
    }

  if (command->leaves_command_mode)
    return ATC_SIM_EFFECT_LEAVE;
  if (command->reboots)
    return ATC_SIM_EFFECT_REBOOT;
  return ATC_SIM_EFFECT_NONE;
}

static char **
current_values (AtcSimUnit       *self,
                const AtcCommand *command)
{
  char **values;

  if (command->identity)
    return identity_values (self, command);
  if (command->live_status)
    return live_values (self, command);

  values = g_hash_table_lookup (self->settings, command->name);
  if (values != NULL)
    return g_strdupv (values);
  return g_new0 (char *, command->params->len + 1);
}

static AtcSimErr
run_set (AtcSimUnit       *self,
         const AtcCommand *command,
         const char       *value)
{
  g_auto(GStrv) values = NULL;

  if ((command->access & ATC_ACCESS_SET) == 0 || command->params->len == 0)
    return ATC_SIM_ERR_FORM;

  /* "AT+CMD=?" is the test form of other AT dialects; these units have none. */
  if (g_str_equal (value, "?"))
    return ATC_SIM_ERR_FORM;

  if (has_literal_specials (command, value))
    return ATC_SIM_ERR_PARAM;

  /* Decodes escapes, accepts the documents' typo field orders and
   * validates against the catalog: what the unit's parser would do. */
  values = atc_codec_parse_value (command, value, NULL);
  if (values == NULL)
    return ATC_SIM_ERR_PARAM;

  /* The M0 documents a set form for SOCKLK, but the link is the network's
   * doing: accepted, and the status keeps following the network. */
  if (command->live_status)
    return ATC_SIM_ERR_NONE;

  if (!stores_values (command))
    return ATC_SIM_ERR_DENIED;

  g_hash_table_replace (self->settings, command->name, g_steal_pointer (&values));
  return ATC_SIM_ERR_NONE;
}

AtcSimEffect
atc_sim_unit_execute (AtcSimUnit    *self,
                      const char    *line,
                      GString       *reply,
                      AtcSimOutcome *outcome)
{
  ParsedLine parsed;
  AtcSimEffect effect = ATC_SIM_EFFECT_NONE;
  AtcSimErr error = ATC_SIM_ERR_NONE;
  gsize start;
  g_autoptr(GString) shown = NULL;

  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), ATC_SIM_EFFECT_NONE);
  g_return_val_if_fail (line != NULL, ATC_SIM_EFFECT_NONE);
  g_return_val_if_fail (reply != NULL, ATC_SIM_EFFECT_NONE);

  start = reply->len;
  shown = g_string_new (NULL);
  parse_line (self, line, &parsed);

  if (parsed.error != ATC_SIM_ERR_NONE)
    error = parsed.error;
  else
    {
      const AtcCommand *command = parsed.command;
      gboolean queryable = (command->access & ATC_ACCESS_QUERY) != 0 &&
                           command->query_command == NULL;

      switch (parsed.form)
        {
        case FORM_SET:
          error = run_set (self, command, parsed.value);
          if (error == ATC_SIM_ERR_NONE)
            append_ok (self, reply);
          break;

        case FORM_QUERY:
        case FORM_PLAIN:
          /* A command read through another one (USERMAC via AT+MAC) has no
           * query form of its own. */
          if (queryable && command->params->len > 0)
            {
              g_auto(GStrv) values = current_values (self, command);
              g_autofree char *value = format_value (command, (const char *const *) values, FALSE);
              g_autofree char *redacted = format_value (command, (const char *const *) values, TRUE);

              append_query_reply (self, command, value, reply);
              append_query_reply (self, command, redacted, shown);
            }
          else if ((command->access & ATC_ACCESS_EXECUTE) != 0 ||
                   (queryable && command->params->len == 0))
            {
              if (parsed.form == FORM_QUERY && (command->access & ATC_ACCESS_QUERY) == 0)
                error = ATC_SIM_ERR_FORM;
              else
                effect = run_execute (self, command, reply);
            }
          else
            {
              error = ATC_SIM_ERR_FORM;
            }
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (error != ATC_SIM_ERR_NONE)
    atc_sim_unit_append_error (self, error, reply);

  if (outcome != NULL)
    {
      outcome->line = atc_sim_unit_redact_line (self, line);
      outcome->reply = shown->len > 0 ? g_strdup (shown->str) : g_strdup (reply->str + start);
      outcome->error = error;
      outcome->effect = effect;
    }

  return effect;
}

void
atc_sim_outcome_clear (AtcSimOutcome *outcome)
{
  g_return_if_fail (outcome != NULL);

  g_clear_pointer (&outcome->line, g_free);
  g_clear_pointer (&outcome->reply, g_free);
}

/* --- Settings in force -------------------------------------------------- */

gboolean
atc_sim_unit_get_echo (AtcSimUnit *self)
{
  const char *value;

  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), TRUE);

  value = setting (self, "E", 0);
  return value == NULL || g_ascii_strcasecmp (value, "OFF") != 0;
}

const char *
atc_sim_unit_get_password (AtcSimUnit *self)
{
  const char *command;

  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), NULL);

  command = atc_model_get_password_command (self->model);
  if (command == NULL)
    return NULL;
  return setting (self, command, 0);
}

char *
atc_sim_unit_dup_welcome (AtcSimUnit *self)
{
  const char *message;

  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), NULL);

  if (atc_model_get_welcome (self->model) == NULL)
    return NULL;
  message = setting (self, "STMSG", 0);
  if (message == NULL)
    message = atc_model_get_welcome (self->model);
  /* STMSG allows 0 bytes: an empty message prints nothing. */
  if (message[0] == '\0')
    return NULL;
  return g_strdup (message);
}

static guint
parse_uint (const char *text,
            guint       fallback)
{
  guint64 n;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &n, NULL))
    return fallback;
  return (guint) n;
}

void
atc_sim_unit_boot (AtcSimUnit *self)
{
  g_return_if_fail (ATC_IS_SIM_UNIT (self));

  self->baud = parse_uint (setting (self, "UART", 0), ATC_DEFAULT_BAUD);
  self->packing_ms = parse_uint (setting (self, "UARTFT", 0), DEFAULT_PACKING_MS);
}

guint
atc_sim_unit_get_baud (AtcSimUnit *self)
{
  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), 0);
  return self->baud;
}

gboolean
atc_sim_unit_set_baud (AtcSimUnit *self,
                       guint       baud,
                       GError    **error)
{
  g_auto(GStrv) values = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), FALSE);

  values = g_strdupv (g_hash_table_lookup (self->settings, "UART"));
  if (values == NULL || values[0] == NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                   _("The %s has no AT+UART setting to give a baud rate to"),
                   atc_model_get_name (self->model));
      return FALSE;
    }

  text = g_strdup_printf ("%u", baud);
  g_free (values[0]);
  values[0] = g_strdup (text);

  if (!atc_sim_unit_set_values (self, "UART", (const char *const *) values, error))
    return FALSE;

  self->baud = baud;
  return TRUE;
}

guint
atc_sim_unit_get_packing_ms (AtcSimUnit *self)
{
  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), DEFAULT_PACKING_MS);
  return self->packing_ms;
}

static const AtcCommand *
lookup_or_fail (AtcSimUnit *self,
                const char *name,
                GError    **error)
{
  const AtcCommand *command = atc_model_lookup (self->model, name);

  if (command == NULL)
    g_set_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND,
                 _("The %s has no command AT+%s; check the name against its command set"),
                 atc_model_get_name (self->model), name);
  return command;
}

char **
atc_sim_unit_dup_values (AtcSimUnit *self,
                         const char *command,
                         GError    **error)
{
  const AtcCommand *cmd;

  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), NULL);
  g_return_val_if_fail (command != NULL, NULL);

  if ((cmd = lookup_or_fail (self, command, error)) == NULL)
    return NULL;
  /* What the unit answers for it: USERMAC is read with AT+MAC. */
  if (cmd->query_command != NULL && atc_model_lookup (self->model, cmd->query_command) != NULL)
    cmd = atc_model_lookup (self->model, cmd->query_command);
  return current_values (self, cmd);
}

gboolean
atc_sim_unit_set_values (AtcSimUnit        *self,
                         const char        *command,
                         const char *const *values,
                         GError           **error)
{
  const AtcCommand *cmd;
  char **canonical;

  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), FALSE);
  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  if ((cmd = lookup_or_fail (self, command, error)) == NULL)
    return FALSE;

  if (!stores_values (cmd))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_NOT_SUPPORTED,
                   _("AT+%s is not a setting; pin live status with "
                     "atc_simulator_set_status() instead"),
                   cmd->name);
      return FALSE;
    }

  canonical = atc_command_validate (cmd, values, error);
  if (canonical == NULL)
    return FALSE;

  g_hash_table_replace (self->settings, cmd->name, canonical);
  return TRUE;
}

/* --- Live status API ---------------------------------------------------- */

guint64
atc_sim_unit_get_clock_ms (AtcSimUnit *self)
{
  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), 0);
  return self->clock_ms;
}

void
atc_sim_unit_advance (AtcSimUnit *self,
                      guint       ms)
{
  g_return_if_fail (ATC_IS_SIM_UNIT (self));

  self->clock_ms += ms;
  while (self->clock_ms >= self->next_tick_ms)
    {
      if (!self->pinned)
        status_step (self);
      self->next_tick_ms += TICK_MS;
    }
}

void
atc_sim_unit_get_status (AtcSimUnit   *self,
                         AtcSimStatus *status)
{
  g_return_if_fail (ATC_IS_SIM_UNIT (self));
  g_return_if_fail (status != NULL);

  effective_status (self, status);
}

void
atc_sim_unit_set_status (AtcSimUnit         *self,
                         const AtcSimStatus *status)
{
  g_return_if_fail (ATC_IS_SIM_UNIT (self));

  if (status == NULL)
    {
      self->pinned = FALSE;
      return;
    }

  self->status = *status;
  self->pinned = TRUE;
}

guint
atc_sim_unit_get_n_links (AtcSimUnit *self)
{
  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), 0);
  return self->n_links;
}

/* --- GObject ------------------------------------------------------------ */

AtcSimUnit *
atc_sim_unit_new (AtcModel *model,
                  guint32   seed)
{
  g_return_val_if_fail (ATC_IS_MODEL (model), NULL);

  return g_object_new (ATC_TYPE_SIM_UNIT, "model", model, "seed", seed, NULL);
}

AtcModel *
atc_sim_unit_get_model (AtcSimUnit *self)
{
  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), NULL);
  return self->model;
}

guint32
atc_sim_unit_get_seed (AtcSimUnit *self)
{
  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), 0);
  return self->seed;
}

void
atc_sim_unit_set_error_style (AtcSimUnit       *self,
                              AtcSimErrorStyle  style)
{
  g_return_if_fail (ATC_IS_SIM_UNIT (self));
  self->error_style = style;
}

AtcSimErrorStyle
atc_sim_unit_get_error_style (AtcSimUnit *self)
{
  g_return_val_if_fail (ATC_IS_SIM_UNIT (self), ATC_SIM_ERROR_STYLE_DEFAULT);
  return self->error_style;
}

static void
atc_sim_unit_constructed (GObject *object)
{
  AtcSimUnit *self = ATC_SIM_UNIT (object);

  G_OBJECT_CLASS (atc_sim_unit_parent_class)->constructed (object);

  g_return_if_fail (self->model != NULL);

  self->settings = factory_settings (self->model);
  make_identity (self);
  find_status_commands (self);
  init_status (self);
  atc_sim_unit_boot (self);
}

static void
atc_sim_unit_finalize (GObject *object)
{
  AtcSimUnit *self = ATC_SIM_UNIT (object);

  g_clear_pointer (&self->settings, g_hash_table_unref);
  g_clear_pointer (&self->user_defaults, g_hash_table_unref);
  g_clear_pointer (&self->status_rand, g_rand_free);
  g_free (self->sn);
  g_free (self->iccid);
  g_free (self->imei);
  g_free (self->mac);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (atc_sim_unit_parent_class)->finalize (object);
}

static void
atc_sim_unit_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AtcSimUnit *self = ATC_SIM_UNIT (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_SEED:
      g_value_set_uint (value, self->seed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_sim_unit_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AtcSimUnit *self = ATC_SIM_UNIT (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      self->model = g_value_dup_object (value);
      break;
    case PROP_SEED:
      self->seed = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_sim_unit_class_init (AtcSimUnitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atc_sim_unit_constructed;
  object_class->finalize = atc_sim_unit_finalize;
  object_class->get_property = atc_sim_unit_get_property;
  object_class->set_property = atc_sim_unit_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, ATC_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEED] =
    g_param_spec_uint ("seed", NULL, NULL, 0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atc_sim_unit_init (AtcSimUnit *self)
{
}
