/* fuzz-profile.c: profile files as they come from disk or a colleague
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: the file's bytes, as atc_profile_load_data() gets them.
 *
 * What must hold, beyond not crashing:
 * - a profile that loads saves to JSON that loads to the same profile and
 *   saves to the same text (with and without secrets);
 * - laying it over a configuration of its model works;
 * - a refusal is one ATC_ERROR_PROFILE in valid UTF-8 that never quotes
 *   the value of a secret parameter (HACKING.md).
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "atc-error.h"
#include "atc-profile.h"
#include "fuzz-common.h"

static AtcCatalog *catalog;

#ifdef ATC_FUZZ_ASAN
/* json-glib leaks on some inputs (tests/lsan.supp says which); the
 * suppression names a frame past g_malloc, which only the slow unwinder
 * reaches since GLib is built without frame pointers. ASAN_OPTIONS in the
 * environment still wins. */
const char *__asan_default_options (void);

const char *
__asan_default_options (void)
{
  return "fast_unwind_on_malloc=0:malloc_context_size=24";
}
#endif

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  atc_fuzz_setup ();
  if (catalog == NULL)
    catalog = atc_catalog_get_default ();
  return 0;
}

static void
check_loaded (AtcProfile *profile)
{
  g_autofree char *text = atc_profile_to_data (profile, TRUE);
  g_autofree char *public = atc_profile_to_data (profile, FALSE);
  g_autofree char *again = NULL;
  g_autoptr(AtcProfile) reloaded = NULL;
  g_autoptr(AtcProfile) reloaded_public = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  g_autoptr(AtcConfig) base = NULL;
  g_autoptr(AtcConfig) applied = NULL;
  g_autoptr(GError) error = NULL;
  AtcModel *model = atc_profile_get_model (profile);

  FUZZ_CHECK (ATC_IS_MODEL (model));

  reloaded = atc_profile_load_data (text, -1, "saved", catalog, &error);
  if (reloaded == NULL)
    {
      fprintf (stderr, "saved profile does not load: %s\n%s\n", error->message, text);
      FUZZ_CHECK (reloaded != NULL);
    }
  again = atc_profile_to_data (reloaded, TRUE);
  FUZZ_CHECK_STREQ (again, text);
  FUZZ_CHECK (atc_profile_get_n_values (reloaded) == atc_profile_get_n_values (profile));
  FUZZ_CHECK (atc_profile_has_secrets (reloaded) == atc_profile_has_secrets (profile));

  reloaded_public = atc_profile_load_data (public, -1, "public", catalog, &error);
  if (reloaded_public == NULL)
    {
      fprintf (stderr, "profile without secrets does not load: %s\n%s\n", error->message,
               public);
      FUZZ_CHECK (reloaded_public != NULL);
    }
  FUZZ_CHECK (!atc_profile_has_secrets (reloaded_public));

  commands = atc_profile_get_commands (profile);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      gboolean any = FALSE;

      for (guint j = 0; j < command->params->len; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);

          any |= atc_profile_get_value (profile, command->name, param->name) != NULL;
        }
      FUZZ_CHECK (any);
    }

  FUZZ_CHECK (atc_profile_check_model (profile, model, NULL));
  base = atc_config_new (model);
  applied = atc_profile_apply_to_config (profile, base);
  FUZZ_CHECK (applied != NULL);
}

/* The same profile with the value of every secret parameter under
 * settings replaced by as many 'Q's (NULL when there is none of at least
 * four bytes): whatever that profile is refused for, its message must not
 * show the Qs. */
static char *
with_marked_secrets (const guint8 *data,
                     gsize         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GList) names = NULL;
  JsonObject *root, *settings;
  JsonNode *node;
  AtcModel *model;
  gboolean marked = FALSE;

  if (g_strstr_len ((const char *) data, size, "QQ") != NULL ||
      !json_parser_load_from_data (parser, (const char *) data, size, NULL))
    return NULL;
  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  root = json_node_get_object (node);
  node = json_object_get_member (root, "model");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  model = atc_catalog_lookup (catalog, json_node_get_string (node));
  node = json_object_get_member (root, "settings");
  if (model == NULL || node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  settings = json_node_get_object (node);

  names = json_object_get_members (settings);
  for (GList *l = names; l != NULL; l = l->next)
    {
      const AtcCommand *command = atc_model_lookup (model, l->data);
      JsonNode *member = json_object_get_member (settings, l->data);
      JsonObject *values;

      if (command == NULL || !JSON_NODE_HOLDS_OBJECT (member))
        continue;
      values = json_node_get_object (member);
      for (guint i = 0; i < command->params->len; i++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, i);
          JsonNode *value = json_object_get_member (values, param->name);
          gsize len;

          if (!param->secret || value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
              json_node_get_value_type (value) != G_TYPE_STRING)
            continue;
          len = strlen (json_node_get_string (value));
          if (len < 4)
            continue;
          {
            g_autofree char *qs = g_strnfill (len, 'Q');

            json_node_set_string (value, qs);
            marked = TRUE;
          }
        }
    }
  if (!marked)
    return NULL;

  generator = json_generator_new ();
  json_generator_set_root (generator, json_parser_get_root (parser));
  return json_generator_to_data (generator, NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(AtcProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *marked = NULL;

  LLVMFuzzerInitialize (NULL, NULL);

  /* atc_profile_load_data() takes a length; data need not end in NUL. */
  profile = atc_profile_load_data ((const char *) data, (gssize) size, "fuzz.json", catalog,
                                   &error);
  FUZZ_CHECK ((profile == NULL) == (error != NULL));

  if (profile != NULL)
    {
      check_loaded (profile);
      return 0;
    }

  FUZZ_CHECK (g_error_matches (error, ATC_ERROR, ATC_ERROR_PROFILE));
  FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));

  marked = with_marked_secrets (data, size);
  if (marked != NULL)
    {
      g_autoptr(GError) marked_error = NULL;
      g_autoptr(AtcProfile) marked_profile = NULL;

      marked_profile = atc_profile_load_data (marked, -1, "fuzz.json", catalog, &marked_error);
      if (marked_error != NULL && strstr (marked_error->message, "QQQQ") != NULL)
        {
          fprintf (stderr, "the message quotes a secret value: %s\n", marked_error->message);
          FUZZ_CHECK (!"a secret reached an error message");
        }
    }

  return 0;
}
