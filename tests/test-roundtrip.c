/* test-roundtrip.c: every command of every shipped catalog, there and back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each command: format the line we would send, read it the way a unit
 * would (split after '=', decode, validate), build the reply that model's
 * dialect prints, run it through the reply parser (whole and one byte at a
 * time) and parse_value, and get the same values back. Done once with the
 * catalog defaults and once with awkward values (escapes, limits).
 */
#include "config.h"

#include <string.h>

#include "atc-catalog.h"
#include "atc-codec.h"
#include "atc-error.h"
#include "atc-reply-parser.h"
#include "atc-validate.h"

typedef enum {
  SAMPLE_DEFAULT,
  SAMPLE_AWKWARD,
} SampleKind;

/* Text of [min, max] bytes built from `seed`. */
static char *
fit_length (const char     *seed,
            const AtcParam *param)
{
  GString *out = g_string_new (seed);
  gsize max = param->max > 0 ? (gsize) param->max : out->len;

  if (out->len > max)
    g_string_truncate (out, max);
  while ((gint64) out->len < param->min)
    g_string_append_c (out, 'x');
  return g_string_free (out, FALSE);
}

static char *
sample_value (const AtcParam *param,
              SampleKind      kind)
{
  if (kind == SAMPLE_DEFAULT && param->default_value != NULL)
    return g_strdup (param->default_value);

  switch (param->type)
    {
    case ATC_PARAM_ENUM:
      {
        guint n = g_strv_length (param->choices);

        /* Lower-cased on purpose: validation gives the canonical word. */
        return g_ascii_strdown (param->choices[kind == SAMPLE_AWKWARD ? n - 1 : 0], -1);
      }

    case ATC_PARAM_INT:
    case ATC_PARAM_PORT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, kind == SAMPLE_AWKWARD ? param->max
                                                                           : param->min);

    case ATC_PARAM_STRING:
      switch (param->escape)
        {
        case ATC_ESCAPE_BRACKETS:
          return fit_length (kind == SAMPLE_AWKWARD ? "a=b,c?d\r\ne [x] <y>" : "USR", param);
        case ATC_ESCAPE_CRLF_TOKEN:
          return fit_length (kind == SAMPLE_AWKWARD ? "X-A: 1,2=3?\r\nX-B: b\rc\n" : "X: y",
                             param);
        case ATC_ESCAPE_NONE:
        default:
          return fit_length (kind == SAMPLE_AWKWARD ? "Tst_1.x#[3F]<<CRLF>>" : "Test", param);
        }

    case ATC_PARAM_HEX:
      return fit_length (kind == SAMPLE_AWKWARD ? "00ff7e0a0d2c3b" : "7777772E7573722E636E",
                         param);

    case ATC_PARAM_IPV4:
      return g_strdup (kind == SAMPLE_AWKWARD ? "255.255.255.255" : "192.168.0.7");

    case ATC_PARAM_HOST:
      return g_strdup (kind == SAMPLE_AWKWARD ? "10.0.0.1" : "test.usr.cn");

    case ATC_PARAM_MAC:
      return g_strdup (kind == SAMPLE_AWKWARD ? "d8b04c00ab01" : "D8B04C000001");

    default:
      g_assert_not_reached ();
    }
}

/* Readable sample values and their canonical form, in parameter order. */
static void
make_values (const AtcCommand *command,
             SampleKind        kind,
             GStrv            *readable,
             GStrv            *canonical)
{
  guint n = command->params->len;

  *readable = g_new0 (char *, n + 1);
  *canonical = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);
      g_autoptr(GError) error = NULL;

      (*readable)[i] = sample_value (param, kind);
      (*canonical)[i] = atc_param_validate (command, param, (*readable)[i], &error);
      if (error != NULL && kind == SAMPLE_DEFAULT && param->default_value != NULL)
        {
          /* A catalog default outside its own range is the catalog's
           * problem (test-catalog's to catch); carry on with a value that
           * fits so the wire format is still covered. */
          g_test_message ("%s %s: default does not validate (%s); using a sample",
                          command->name, param->name, error->message);
          g_clear_error (&error);
          g_free ((*readable)[i]);
          (*readable)[i] = sample_value (param, SAMPLE_AWKWARD);
          (*canonical)[i] = atc_param_validate (command, param, (*readable)[i], &error);
        }
      if (error != NULL)
        g_error ("%s %s: sample value does not validate: %s", command->name, param->name,
                 error->message);
    }
}

/* The wire form of a value list, as a unit prints it in a reply. */
static char *
wire_join (const AtcCommand  *command,
           const char *const *values,
           const char *const *order)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < command->params->len; i++)
    {
      const AtcParam *param = order != NULL ? atc_command_lookup_param (command, order[i])
                                            : g_ptr_array_index (command->params, i);
      guint slot = 0;
      g_autoptr(GError) error = NULL;
      g_autofree char *wire = NULL;

      g_assert_nonnull (param);
      g_assert_true (g_ptr_array_find (command->params, param, &slot));
      wire = atc_escape_encode_param (param, values[slot], &error);
      g_assert_no_error (error);
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, wire);
    }

  return g_string_free (out, FALSE);
}

/* The name a G781 prints before ':' — the document's spaced spelling when
 * the catalog lists one ("+HEART SND:", "+ NETMODE:"), to exercise it. */
static const char *
reply_name (const AtcCommand *command)
{
  if (command->query_command != NULL)
    return command->query_command;
  for (guint i = 0; command->aliases != NULL && command->aliases[i] != NULL; i++)
    if (strchr (command->aliases[i], ' ') != NULL)
      return command->aliases[i];
  return command->name;
}

/* Runs the reply through a fresh parser, whole and one byte at a time,
 * and checks both agree; returns the whole-fed reply. */
static AtcReply *
parse_reply (AtcDialect  dialect,
             AtcExpect   expect,
             const char *sent,
             gboolean    value_expected,
             const char *bytes,
             gsize       expected_consumed)
{
  AtcReply *replies[2] = { NULL, NULL };

  for (guint pass = 0; pass < 2; pass++)
    {
      g_autoptr(AtcReplyParser) parser = atc_reply_parser_new (dialect);
      g_autoptr(GError) error = NULL;
      gsize len = strlen (bytes);
      gsize total = 0;
      AtcParseResult result = ATC_PARSE_NEED_MORE;

      atc_reply_parser_expect (parser, expect, sent);
      atc_reply_parser_set_value_expected (parser, value_expected);

      for (gsize at = 0; at < len && result == ATC_PARSE_NEED_MORE;)
        {
          gsize chunk = pass == 0 ? len : 1;
          gsize consumed = 0;

          result = atc_reply_parser_feed (parser, (const guint8 *) bytes + at, chunk, &consumed,
                                          &error);
          g_assert_no_error (error);
          total += consumed;
          at += chunk;
        }
      if (result == ATC_PARSE_NEED_MORE)
        result = atc_reply_parser_silence (parser, &error);
      g_assert_no_error (error);
      g_assert_cmpint (result, ==, ATC_PARSE_DONE);
      g_assert_cmpuint (total, ==, expected_consumed);
      g_assert_cmpuint (atc_reply_parser_get_noise (parser)->len, ==, 0);
      replies[pass] = atc_reply_parser_take_reply (parser);
    }

  g_assert_cmpint (replies[0]->status, ==, replies[1]->status);
  g_assert_cmpstr (replies[0]->value, ==, replies[1]->value);
  g_assert_cmpstr (replies[0]->name, ==, replies[1]->name);
  atc_reply_free (replies[1]);
  return replies[0];
}

static char *
no_spaces (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void check_no_value (AtcModel         *model,
                            const AtcCommand *command,
                            const char       *line,
                            gboolean          echo);

static void
assert_strv_equal (char             **got,
                   const char *const *want)
{
  g_assert_nonnull (got);
  g_assert_cmpuint (g_strv_length (got), ==, g_strv_length ((char **) want));
  for (guint i = 0; want[i] != NULL; i++)
    g_assert_cmpstr (got[i], ==, want[i]);
}

static void
check_query (AtcModel         *model,
             const AtcCommand *command,
             const char *const *canonical,
             gboolean          echo)
{
  AtcDialect dialect = atc_model_get_dialect (model);
  g_autofree char *line = atc_codec_format_query (command);
  g_autofree char *value = NULL;
  g_autofree char *bytes = NULL;
  g_autoptr(AtcReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parsed = NULL;
  const char *prefix = echo ? line : "";
  const char *echo_end = echo ? "\r\n" : "";

  g_assert_true (g_str_has_prefix (line, "AT"));
  g_assert_null (strpbrk (line, "\r\n;=?"));

  if (command->params->len == 0)
    {
      check_no_value (model, command, line, echo);
      return;
    }

  value = wire_join (command, canonical, NULL);
  if (dialect == ATC_DIALECT_COLON)
    bytes = g_strdup_printf ("%s%s\r\n+%s:%s\r\n\r\nOK\r\n", prefix, echo_end,
                             reply_name (command), value);
  else
    bytes = g_strdup_printf ("%s%s\r\n+OK=%s\r\n", prefix, echo_end, value);

  reply = parse_reply (dialect, ATC_EXPECT_REPLY, line, TRUE, bytes, strlen (bytes));
  g_assert_cmpint (reply->status, ==, ATC_REPLY_OK);
  g_assert_cmpuint (reply->echo_seen, ==, echo);
  g_assert_cmpstr (reply->value, ==, value);
  if (dialect == ATC_DIALECT_COLON)
    {
      g_autofree char *want = no_spaces (reply_name (command));

      g_assert_cmpstr (reply->name, ==, want);
    }

  parsed = atc_codec_parse_value (command, reply->value, &error);
  g_assert_no_error (error);
  assert_strv_equal (parsed, canonical);
  g_clear_pointer (&parsed, g_strfreev);

  /* Field orders the documents print by mistake read back the same. */
  for (guint i = 0; command->reply_orders != NULL && i < command->reply_orders->len; i++)
    {
      const char *const *order = g_ptr_array_index (command->reply_orders, i);
      g_autofree char *other = wire_join (command, canonical, order);

      parsed = atc_codec_parse_value (command, other, &error);
      g_assert_no_error (error);
      assert_strv_equal (parsed, canonical);
      g_clear_pointer (&parsed, g_strfreev);
    }
}

/* What a unit does with a set line: split after '=', decode, validate. */
static char **
unit_reads_set_line (const AtcCommand *command,
                     const char       *line)
{
  g_autofree char *head = g_strconcat ("AT+", command->name, "=", NULL);
  g_auto(GStrv) fields = NULL;
  char **values;
  const char *rest;

  g_assert_true (g_str_has_prefix (line, head));
  rest = line + strlen (head);
  fields = rest[0] == '\0' ? g_strsplit ("", ",", -1) : g_strsplit (rest, ",", -1);
  if (fields[0] == NULL)
    {
      g_strfreev (fields);
      fields = g_new0 (char *, 2);
      fields[0] = g_strdup ("");
    }
  g_assert_cmpuint (g_strv_length (fields), ==, command->params->len);

  values = g_new0 (char *, command->params->len + 1);
  for (guint i = 0; i < command->params->len; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);

      values[i] = atc_escape_decode (fields[i], param->escape);
    }
  return values;
}

static void
check_set (AtcModel          *model,
           const AtcCommand  *command,
           const char *const *readable,
           const char *const *canonical,
           gboolean           echo)
{
  AtcDialect dialect = atc_model_get_dialect (model);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = atc_codec_format_set (command, readable, &error);
  g_autofree char *bytes = NULL;
  g_autoptr(AtcReply) reply = NULL;
  g_auto(GStrv) received = NULL;

  g_assert_no_error (error);
  /* One command line, whatever the values held. */
  g_assert_null (strpbrk (line, "\r\n;"));

  received = unit_reads_set_line (command, line);
  assert_strv_equal (received, canonical);

  bytes = g_strconcat (echo ? line : "", echo ? "\r\n" : "",
                       dialect == ATC_DIALECT_COLON ? "\r\nOK\r\n" : "\r\n+OK\r\n", NULL);
  reply = parse_reply (dialect, ATC_EXPECT_REPLY, line, FALSE, bytes, strlen (bytes));
  g_assert_cmpint (reply->status, ==, ATC_REPLY_OK);
  g_assert_null (reply->value);
  g_assert_cmpuint (reply->echo_seen, ==, echo);
}

/* A command whose reply carries no parameter: plain AT, AT+H, execute
 * forms. */
static void
check_no_value (AtcModel         *model,
                const AtcCommand *command,
                const char       *line,
                gboolean          echo)
{
  AtcDialect dialect = atc_model_get_dialect (model);
  g_autofree char *bytes = NULL;
  g_autoptr(AtcReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parsed = NULL;
  const char *answer;
  g_autofree char *answer_owned = NULL;
  AtcExpect expect = command->multiline ? ATC_EXPECT_MULTILINE : ATC_EXPECT_REPLY;
  gsize trailing = 0;

  g_assert_null (strpbrk (line, "\r\n;=?"));
  if (command->name[0] != '\0')
    g_assert_cmpstr (line + 3, ==, command->name);
  else
    g_assert_cmpstr (line, ==, "AT");

  if (command->multiline)
    answer = dialect == ATC_DIALECT_COLON ? "\r\nAT+E: echo\r\nAT+Z: restart\r\n\r\nOK\r\n"
                                          : "\r\nAT+E: echo\r\nAT+Z: restart\r\n\r\n+OK\r\n";
  else if (dialect == ATC_DIALECT_COLON && command->name[0] == '\0')
    {
      /* G781 4.1: plain AT prints OK twice; the reply ends at the first. */
      answer = "\r\nOK\r\n\r\nOK\r\n";
      trailing = 6;
    }
  else if (dialect == ATC_DIALECT_COLON)
    answer = "\r\nOK\r\n";
  else if (command->execute_reply != NULL)
    answer = answer_owned = g_strdup_printf ("\r\n+OK=%s\r\n", command->execute_reply);
  else
    answer = "\r\n+OK\r\n";

  bytes = g_strconcat (echo ? line : "", echo ? "\r\n" : "", answer, NULL);
  reply = parse_reply (dialect, expect, line, FALSE, bytes, strlen (bytes) - trailing);
  g_assert_cmpint (reply->status, ==, ATC_REPLY_OK);
  g_assert_cmpuint (reply->echo_seen, ==, echo);
  g_assert_cmpstr (reply->value, ==, command->execute_reply);
  if (command->multiline)
    g_assert_cmpuint (reply->lines->len, ==, 2);

  parsed = atc_codec_parse_value (command, reply->value, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (parsed), ==, 0);
}

static void
check_model (gconstpointer data)
{
  AtcModel *model = (AtcModel *) data;
  GPtrArray *commands = atc_model_get_commands (model);
  guint exercised = 0;

  g_assert_cmpuint (commands->len, >, 0);

  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      gboolean any = FALSE;

      for (SampleKind kind = SAMPLE_DEFAULT; kind <= SAMPLE_AWKWARD; kind++)
        {
          g_auto(GStrv) readable = NULL;
          g_auto(GStrv) canonical = NULL;
          gboolean echo = kind == SAMPLE_AWKWARD;

          g_test_message ("%s AT+%s (%s values)", atc_model_get_id (model), command->name,
                          kind == SAMPLE_DEFAULT ? "default" : "awkward");
          make_values (command, kind, &readable, &canonical);

          if (command->access & ATC_ACCESS_QUERY)
            {
              check_query (model, command, (const char *const *) canonical, echo);
              any = TRUE;
            }
          if ((command->access & ATC_ACCESS_SET) && command->params->len > 0)
            {
              check_set (model, command, (const char *const *) readable,
                         (const char *const *) canonical, echo);
              any = TRUE;
            }
          if (command->access & ATC_ACCESS_EXECUTE)
            {
              g_autofree char *line = atc_codec_format_execute (command);

              g_assert_cmpuint (command->params->len, ==, 0);
              check_no_value (model, command, line, echo);
              any = TRUE;
            }
        }

      g_assert_true (any);
      exercised++;
    }

  g_assert_cmpuint (exercised, ==, commands->len);
}

int
main (int   argc,
      char *argv[])
{
  AtcCatalog *catalog;
  GPtrArray *models;

  g_test_init (&argc, &argv, NULL);

  catalog = atc_catalog_get_default ();
  models = atc_catalog_get_models (catalog);

  /* Both documented models ship. */
  g_assert_nonnull (atc_catalog_lookup (catalog, "g781"));
  g_assert_nonnull (atc_catalog_lookup (catalog, "m0"));

  for (guint i = 0; i < models->len; i++)
    {
      AtcModel *model = g_ptr_array_index (models, i);
      g_autofree char *path = g_strconcat ("/roundtrip/", atc_model_get_id (model), NULL);

      g_test_add_data_func (path, model, check_model);
    }

  return g_test_run ();
}
