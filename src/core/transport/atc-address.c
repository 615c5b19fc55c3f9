/* atc-address.c: parse and print device addresses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The canonical form names the scheme, then lists only the query keys that
 * differ from their default, in a fixed order (baud, data, parity, stop,
 * flow, model, password), so that equal addresses print equal.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "atc-address.h"
#include "atc-error.h"

G_DEFINE_BOXED_TYPE (AtcAddress, atc_address, atc_address_copy, atc_address_free)
G_DEFINE_BOXED_TYPE (AtcLineSettings, atc_line_settings, atc_line_settings_copy,
                     atc_line_settings_free)

/* Kept unescaped when printing a query value: readable, and none of them
 * means anything inside a value ('&' and '=' do, '%' starts an escape). */
#define QUERY_VALUE_ALLOWED "!$'()*+,;:@/?#[]"

#define ADDRESS_EXAMPLES "/dev/ttyUSB0, serial:/dev/ttyUSB0?baud=9600, pty:/dev/pts/3, " \
  "tcp:192.168.0.7:8234, demo:g781"

typedef enum {
  KEY_BAUD     = 1 << 0,
  KEY_DATA     = 1 << 1,
  KEY_PARITY   = 1 << 2,
  KEY_STOP     = 1 << 3,
  KEY_FLOW     = 1 << 4,
  KEY_MODEL    = 1 << 5,
  KEY_PASSWORD = 1 << 6,
} QueryKey;

#define LINE_KEYS (KEY_BAUD | KEY_DATA | KEY_PARITY | KEY_STOP | KEY_FLOW)

static const struct {
  const char *name;
  QueryKey    key;
} query_keys[] = {
  { "baud", KEY_BAUD },
  { "data", KEY_DATA },
  { "parity", KEY_PARITY },
  { "stop", KEY_STOP },
  { "flow", KEY_FLOW },
  { "model", KEY_MODEL },
  { "password", KEY_PASSWORD },
};

static const char *const parity_names[] = { "none", "odd", "even", "mark", "space" };
static const char *const flow_names[] = { "none", "rtscts", "xonxoff" };
static const char *const model_names[] = { "g781", "m0" };

const char *
atc_parity_to_string (AtcParity parity)
{
  if ((guint) parity < G_N_ELEMENTS (parity_names))
    return parity_names[parity];
  return "none";
}

const char *
atc_flow_control_to_string (AtcFlowControl flow)
{
  if ((guint) flow < G_N_ELEMENTS (flow_names))
    return flow_names[flow];
  return "none";
}

char *
atc_line_settings_to_string (const AtcLineSettings *settings)
{
  static const char parity_letters[] = "NOEMS";
  g_autofree char *baud = NULL;
  const char *flow = "";

  g_return_val_if_fail (settings != NULL, NULL);

  /* Translators: the baud rate is not fixed yet; it will be searched */
  baud = settings->baud ? g_strdup_printf ("%u", settings->baud) : g_strdup (_("auto"));
  if (settings->flow == ATC_FLOW_RTSCTS)
    flow = " RTS/CTS";
  else if (settings->flow == ATC_FLOW_XONXOFF)
    flow = " XON/XOFF";

  return g_strdup_printf ("%s %u%c%u%s", baud, settings->data_bits,
                          parity_letters[settings->parity < 5 ? settings->parity : 0],
                          settings->stop_bits, flow);
}

gboolean
atc_line_settings_equal (const AtcLineSettings *a,
                         const AtcLineSettings *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->baud == b->baud && a->data_bits == b->data_bits && a->parity == b->parity &&
         a->stop_bits == b->stop_bits && a->flow == b->flow;
}

AtcLineSettings *
atc_line_settings_copy (const AtcLineSettings *settings)
{
  g_return_val_if_fail (settings != NULL, NULL);

  return g_memdup2 (settings, sizeof *settings);
}

void
atc_line_settings_free (AtcLineSettings *settings)
{
  g_free (settings);
}

static gboolean
address_error (GError    **error,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static gboolean
address_error (GError    **error,
               const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  if (error != NULL)
    {
      g_assert (*error == NULL);
      *error = g_error_new_valist (ATC_ERROR, ATC_ERROR_ADDRESS, format, args);
    }
  va_end (args);

  return FALSE;
}

static int
lookup_name (const char *const *names,
             guint              n_names,
             const char        *value)
{
  for (guint i = 0; i < n_names; i++)
    if (g_ascii_strcasecmp (names[i], value) == 0)
      return (int) i;
  return -1;
}

static gboolean
parse_number (const char *key,
              const char *value,
              guint       min,
              guint       max,
              guint      *out,
              GError    **error)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &n, NULL))
    return address_error (error, _("The value of “%s” must be a whole number, not “%s”."),
                          key, value);
  if (n < min || n > max)
    return address_error (error, _("%s=%s is out of range: use %u to %u."), key, value, min,
                          max);
  *out = (guint) n;
  return TRUE;
}

static gboolean
parse_baud (const char *value,
            guint      *out,
            GError    **error)
{
  guint64 n;

  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &n, NULL))
    return address_error (error,
                          _("Baud rate “%s” is not a number: write it in digits, "
                            "for example baud=115200."),
                          value);
  if (n < ATC_BAUD_MIN || n > ATC_BAUD_MAX)
    return address_error (error,
                          _("Baud rate %s is out of range: use a rate between %u and %u, "
                            "for example 9600 or 115200."),
                          value, ATC_BAUD_MIN, ATC_BAUD_MAX);
  *out = (guint) n;
  return TRUE;
}

static gboolean
parse_parity (const char *value,
              AtcParity  *out,
              GError    **error)
{
  int i = lookup_name (parity_names, G_N_ELEMENTS (parity_names), value);

  /* The single letters of "8N1" notation are what technicians type. */
  if (i < 0 && strlen (value) == 1)
    for (guint k = 0; k < G_N_ELEMENTS (parity_names); k++)
      if (g_ascii_tolower (value[0]) == parity_names[k][0])
        i = (int) k;
  if (i < 0)
    return address_error (error,
                          _("Unknown parity “%s”: use none, odd, even, mark or space."),
                          value);
  *out = (AtcParity) i;
  return TRUE;
}

static gboolean
parse_query (AtcAddress *self,
             const char *query,
             GError    **error)
{
  g_auto (GStrv) pairs = g_strsplit (query, "&", -1);
  guint seen = 0;
  guint allowed;

  switch (self->kind)
    {
    case ATC_ADDRESS_TCP:
      allowed = KEY_MODEL | KEY_PASSWORD;
      break;
    case ATC_ADDRESS_DEMO:
      allowed = LINE_KEYS | KEY_PASSWORD;
      break;
    case ATC_ADDRESS_SERIAL:
    case ATC_ADDRESS_PTY:
    default:
      allowed = LINE_KEYS | KEY_MODEL | KEY_PASSWORD;
      break;
    }

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      g_autofree char *value = NULL;
      const char *pair = pairs[i];
      const char *eq;
      g_autofree char *name = NULL;
      QueryKey key = 0;

      if (*pair == '\0')
        continue;

      eq = strchr (pair, '=');
      name = eq ? g_strndup (pair, eq - pair) : g_strdup (pair);

      for (guint k = 0; k < G_N_ELEMENTS (query_keys); k++)
        if (g_ascii_strcasecmp (name, query_keys[k].name) == 0)
          key = query_keys[k].key;

      if (key == 0)
        return address_error (error,
                              _("Unknown option “%s” in the address: the options are baud, "
                                "data, parity, stop, flow, model and password."),
                              name);
      if ((key & allowed) == 0)
        {
          if (self->kind == ATC_ADDRESS_TCP)
            return address_error (error,
                                  _("The option “%s” does not apply to a TCP address: the serial "
                                    "settings belong to the bridge at the other end."),
                                  name);
          return address_error (error,
                                _("The option “%s” does not apply to a demo address: "
                                  "demo:g781 and demo:m0 already name the model."),
                                name);
        }
      if (seen & key)
        return address_error (error, _("The option “%s” is given twice in the address."), name);
      seen |= key;

      if (eq == NULL || eq[1] == '\0')
        return address_error (error, _("The option “%s” needs a value, as in %s=…."), name, name);

      value = g_uri_unescape_string (eq + 1, NULL);
      if (value == NULL)
        /* Not echoing the value: it may be the password. */
        return address_error (error,
                              _("The value of “%s” has a stray “%%”: write %%25 for a "
                                "percent sign."),
                              name);
      /* "baud=9600?password=…", a '?' or a space typed for '&': the
       * messages below quote the value, and this one holds the password. */
      if (key != KEY_PASSWORD)
        {
          g_autofree char *lower = g_ascii_strdown (value, -1);

          if (strstr (lower, "password=") != NULL)
            return address_error (error,
                                  _("The option “%s” runs into the password: separate "
                                    "options with “&”, as in baud=9600&password=…."),
                                  name);
        }

      /* "%E9" decodes to a byte that is not UTF-8; the messages below
       * quote the value and must stay valid text. No such value is
       * accepted anyway, except as a password, which is never quoted. */
      if (key != KEY_PASSWORD && !g_utf8_validate (value, -1, NULL))
        {
          char *valid = g_utf8_make_valid (value, -1);

          g_free (value);
          value = valid;
        }

      switch (key)
        {
        case KEY_BAUD:
          if (!parse_baud (value, &self->line.baud, error))
            return FALSE;
          break;

        case KEY_DATA:
          if (!parse_number ("data", value, 5, 8, &self->line.data_bits, error))
            return FALSE;
          break;

        case KEY_STOP:
          if (!parse_number ("stop", value, 1, 2, &self->line.stop_bits, error))
            return FALSE;
          break;

        case KEY_PARITY:
          if (!parse_parity (value, &self->line.parity, error))
            return FALSE;
          break;

        case KEY_FLOW:
          {
            int f = lookup_name (flow_names, G_N_ELEMENTS (flow_names), value);
            if (f < 0)
              return address_error (error,
                                    _("Unknown flow control “%s”: use none, rtscts or xonxoff."),
                                    value);
            self->line.flow = (AtcFlowControl) f;
          }
          break;

        case KEY_MODEL:
          {
            int m = lookup_name (model_names, G_N_ELEMENTS (model_names), value);
            if (m < 0)
              return address_error (error, _("Unknown model “%s”: use model=g781 or model=m0."),
                                    value);
            self->model = g_strdup (model_names[m]);
          }
          break;

        case KEY_PASSWORD:
          for (const char *p = value; *p; p++)
            if ((guchar) *p < 0x20 || *p == 0x7f)
              return address_error (error,
                                    _("The password in the address contains a control "
                                      "character; a unit password is printable text."));
          self->password = g_steal_pointer (&value);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  return TRUE;
}

static gboolean
is_host_name (const char *host)
{
  if (*host == '\0' || *host == '.' || *host == '-')
    return FALSE;
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static gboolean
parse_tcp (AtcAddress *self,
           const char *rest,
           GError    **error)
{
  g_autofree char *host = NULL;
  const char *port;
  guint64 n;

  if (rest[0] == '[')
    {
      const char *close = strchr (rest, ']');

      if (close == NULL)
        return address_error (error,
                              _("The IPv6 address in “tcp:%s” lacks its closing “]”: "
                                "write tcp:[::1]:2000."),
                              rest);
      host = g_strndup (rest + 1, close - rest - 1);
      if (!g_hostname_is_ip_address (host) || strchr (host, ':') == NULL)
        return address_error (error, _("“%s” is not an IPv6 address."), host);
      if (close[1] != ':' || close[2] == '\0')
        return address_error (error,
                              _("The address “tcp:%s” has no port: add it after a colon, "
                                "as in tcp:[%s]:2000."),
                              rest, host);
      port = close + 2;
    }
  else
    {
      const char *colon = strchr (rest, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        return address_error (error,
                              _("Put an IPv6 address in brackets, as in tcp:[::1]:2000."));
      if (colon == NULL || colon[1] == '\0')
        {
          g_autofree char *h = colon ? g_strndup (rest, colon - rest) : g_strdup (rest);
          return address_error (error,
                                _("The address “tcp:%s” has no port: add it after a colon, "
                                  "as in tcp:%s:2000."),
                                rest, *h ? h : "192.168.0.7");
        }
      host = g_strndup (rest, colon - rest);
      if (*host == '\0')
        return address_error (error,
                              _("The address “tcp:%s” has no host: write tcp:HOST:PORT, "
                                "for example tcp:192.168.0.7:8234."),
                              rest);
      if (!is_host_name (host))
        return address_error (error, _("“%s” is not a valid host name or IP address."), host);
      port = colon + 1;
    }

  if (!g_ascii_string_to_unsigned (port, 10, 0, G_MAXUINT64, &n, NULL))
    return address_error (error, _("The TCP port “%s” is not a number: write it in digits, "
                                   "for example tcp:%s:2000."),
                          port, host);
  if (n < 1 || n > 65535)
    return address_error (error, _("TCP port %s is out of range: use a port from 1 to 65535."),
                          port);

  self->host = g_steal_pointer (&host);
  self->port = (guint16) n;
  return TRUE;
}

AtcAddress *
atc_address_parse (const char *text,
                   GError    **error)
{
  g_autoptr (AtcAddress) self = g_new0 (AtcAddress, 1);
  g_autofree char *copy = NULL;
  char *body;
  char *query;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->line = ATC_LINE_SETTINGS_DEFAULT;

  copy = g_strstrip (g_strdup (text ? text : ""));
  if (*copy == '\0')
    {
      address_error (error, _("The device address is empty: give one such as %s."),
                     ADDRESS_EXAMPLES);
      return NULL;
    }

  body = copy;
  /* The first '?' starts the query; a password may hold another one. */
  if ((query = strchr (body, '?')) != NULL)
    {
      *query++ = '\0';
      /* "/dev/ttyUSB0 ?baud=9600": no device name ends in a space. */
      g_strchomp (body);
    }

  /* A lone "/" is no device; "serial:/" is refused the same way. */
  if (body[0] == '/' && body[1] != '\0')
    {
      self->kind = g_str_has_prefix (body, "/dev/pts/") ? ATC_ADDRESS_PTY : ATC_ADDRESS_SERIAL;
      self->path = g_strdup (body);
    }
  else
    {
      char *colon = strchr (body, ':');
      const char *rest;

      if (colon == NULL)
        {
          address_error (error,
                         _("“%s” is not a device address: give a device path or a scheme, "
                           "as in %s."),
                         body, ADDRESS_EXAMPLES);
          return NULL;
        }
      *colon = '\0';
      rest = colon + 1;

      if (g_ascii_strcasecmp (body, "serial") == 0 || g_ascii_strcasecmp (body, "pty") == 0)
        {
          self->kind = g_ascii_strcasecmp (body, "pty") == 0 ? ATC_ADDRESS_PTY
                                                             : ATC_ADDRESS_SERIAL;
          if (rest[0] != '/' || rest[1] == '\0')
            {
              address_error (error,
                             _("“%s:” needs the full path of the device, as in "
                               "%s:/dev/%s."),
                             body, self->kind == ATC_ADDRESS_PTY ? "pty" : "serial",
                             self->kind == ATC_ADDRESS_PTY ? "pts/3" : "ttyUSB0");
              return NULL;
            }
          self->path = g_strdup (rest);
        }
      else if (g_ascii_strcasecmp (body, "tcp") == 0)
        {
          self->kind = ATC_ADDRESS_TCP;
          if (!parse_tcp (self, rest, error))
            return NULL;
        }
      else if (g_ascii_strcasecmp (body, "demo") == 0)
        {
          int m = lookup_name (model_names, G_N_ELEMENTS (model_names), rest);

          self->kind = ATC_ADDRESS_DEMO;
          if (m < 0)
            {
              address_error (error, _("Unknown demo unit “%s”: use demo:g781 or demo:m0."),
                             rest);
              return NULL;
            }
          self->model = g_strdup (model_names[m]);
        }
      else
        {
          address_error (error,
                         _("Unknown address type “%s:”: use serial:, pty:, tcp: or demo:, "
                           "or a device path such as /dev/ttyUSB0."),
                         body);
          return NULL;
        }
    }

  if (query != NULL && !parse_query (self, query, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
append_query (GString    *str,
              gboolean   *first,
              const char *key,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, QUERY_VALUE_ALLOWED, TRUE);

  g_string_append_c (str, *first ? '?' : '&');
  g_string_append_printf (str, "%s=%s", key, escaped);
  *first = FALSE;
}

char *
atc_address_to_string (const AtcAddress *self,
                       gboolean          with_secrets)
{
  GString *str;
  gboolean first = TRUE;
  const AtcLineSettings defaults = ATC_LINE_SETTINGS_DEFAULT;

  g_return_val_if_fail (self != NULL, NULL);

  str = g_string_new (NULL);

  switch (self->kind)
    {
    case ATC_ADDRESS_SERIAL:
      g_string_append_printf (str, "serial:%s", self->path);
      break;
    case ATC_ADDRESS_PTY:
      g_string_append_printf (str, "pty:%s", self->path);
      break;
    case ATC_ADDRESS_TCP:
      if (strchr (self->host, ':') != NULL)
        g_string_append_printf (str, "tcp:[%s]:%u", self->host, self->port);
      else
        g_string_append_printf (str, "tcp:%s:%u", self->host, self->port);
      break;
    case ATC_ADDRESS_DEMO:
      g_string_append_printf (str, "demo:%s", self->model);
      break;
    default:
      g_assert_not_reached ();
    }

  if (self->kind != ATC_ADDRESS_TCP)
    {
      if (self->line.baud != 0)
        {
          char buf[16];
          g_snprintf (buf, sizeof buf, "%u", self->line.baud);
          append_query (str, &first, "baud", buf);
        }
      if (self->line.data_bits != defaults.data_bits)
        {
          char buf[16];
          g_snprintf (buf, sizeof buf, "%u", self->line.data_bits);
          append_query (str, &first, "data", buf);
        }
      if (self->line.parity != defaults.parity)
        append_query (str, &first, "parity", atc_parity_to_string (self->line.parity));
      if (self->line.stop_bits != defaults.stop_bits)
        {
          char buf[16];
          g_snprintf (buf, sizeof buf, "%u", self->line.stop_bits);
          append_query (str, &first, "stop", buf);
        }
      if (self->line.flow != defaults.flow)
        append_query (str, &first, "flow", atc_flow_control_to_string (self->line.flow));
    }

  if (self->kind != ATC_ADDRESS_DEMO && self->model != NULL)
    append_query (str, &first, "model", self->model);

  if (with_secrets && self->password != NULL)
    append_query (str, &first, "password", self->password);

  return g_string_free (str, FALSE);
}

AtcAddress *
atc_address_copy (const AtcAddress *self)
{
  AtcAddress *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (AtcAddress, 1);
  copy->kind = self->kind;
  copy->path = g_strdup (self->path);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->model = g_strdup (self->model);
  copy->password = g_strdup (self->password);
  copy->line = self->line;

  return copy;
}

void
atc_address_free (AtcAddress *self)
{
  if (self == NULL)
    return;

  g_free (self->path);
  g_free (self->host);
  g_free (self->model);
  if (self->password != NULL)
    {
      /* Do not leave the password lying in freed memory. */
      memset (self->password, 0, strlen (self->password));
      g_free (self->password);
    }
  g_free (self);
}
