/* atc-provision-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "atc-error.h"
#include "atc-provision-report.h"

struct _AtcProvisionReport
{
  GObject     parent_instance;

  AtcProfile *profile;
  GPtrArray  *entries;  /* AtcProvisionEntry* */
};

G_DEFINE_FINAL_TYPE (AtcProvisionReport, atc_provision_report, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  AtcProvisionEntry *entry = data;

  g_free (entry->address);
  g_free (entry->model);
  g_free (entry->firmware);
  g_free (entry->sn);
  g_free (entry->imei);
  g_free (entry->iccid);
  g_free (entry->mac);
  g_ptr_array_unref (entry->errors);
  g_clear_object (&entry->apply_report);
  g_free (entry);
}

static void
atc_provision_report_finalize (GObject *object)
{
  AtcProvisionReport *self = ATC_PROVISION_REPORT (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (atc_provision_report_parent_class)->finalize (object);
}

static void
atc_provision_report_class_init (AtcProvisionReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atc_provision_report_finalize;
}

static void
atc_provision_report_init (AtcProvisionReport *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
}

AtcProvisionReport *
atc_provision_report_new (AtcProfile *profile)
{
  AtcProvisionReport *self;

  g_return_val_if_fail (ATC_IS_PROFILE (profile), NULL);

  self = g_object_new (ATC_TYPE_PROVISION_REPORT, NULL);
  self->profile = g_object_ref (profile);

  return self;
}

AtcProfile *
atc_provision_report_get_profile (AtcProvisionReport *self)
{
  g_return_val_if_fail (ATC_IS_PROVISION_REPORT (self), NULL);

  return self->profile;
}

AtcProvisionEntry *
atc_provision_report_add (AtcProvisionReport *self,
                          const char         *address)
{
  AtcProvisionEntry *entry;

  g_return_val_if_fail (ATC_IS_PROVISION_REPORT (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  entry = g_new0 (AtcProvisionEntry, 1);
  entry->address = g_strdup (address);
  entry->result = ATC_PROVISION_PENDING;
  entry->errors = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->entries, entry);

  return entry;
}

GPtrArray *
atc_provision_report_get_entries (AtcProvisionReport *self)
{
  g_return_val_if_fail (ATC_IS_PROVISION_REPORT (self), NULL);

  return self->entries;
}

guint
atc_provision_report_count (AtcProvisionReport *self,
                            AtcProvisionResult  result)
{
  guint n = 0;

  g_return_val_if_fail (ATC_IS_PROVISION_REPORT (self), 0);

  for (guint i = 0; i < self->entries->len; i++)
    n += ((AtcProvisionEntry *) g_ptr_array_index (self->entries, i))->result == result;

  return n;
}

const char *
atc_provision_result_to_string (AtcProvisionResult result)
{
  switch (result)
    {
    case ATC_PROVISION_PENDING:
      return "pending";
    case ATC_PROVISION_OK:
      return "ok";
    case ATC_PROVISION_PARTIAL:
      return "partial";
    case ATC_PROVISION_FAILED:
      return "failed";
    default:
      g_return_val_if_reached ("failed");
    }
}

static char *
format_time (gint64 time_us)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (time_us == 0)
    return g_strdup ("");

  /* Local time with its offset: what the technician's watch said, and
   * still unambiguous when the reports of several sites are merged. */
  utc = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);
  local = g_date_time_to_local (utc);
  return g_date_time_format_iso8601 (local);
}

static void
append_csv_field (GString    *line,
                  const char *value,
                  gboolean    first)
{
  if (!first)
    g_string_append_c (line, ',');
  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (line, value);
      return;
    }

  g_string_append_c (line, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static char *
join_errors (const AtcProvisionEntry *entry)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < entry->errors->len; i++)
    {
      if (i > 0)
        g_string_append (text, " | ");
      g_string_append (text, g_ptr_array_index (entry->errors, i));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
atc_provision_report_to_csv (AtcProvisionReport *self)
{
  g_autoptr(GString) csv = g_string_new ("time,address,model,firmware,sn,imei,iccid,mac,result,settings_changed,errors\r\n");

  g_return_val_if_fail (ATC_IS_PROVISION_REPORT (self), NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      AtcProvisionEntry *entry = g_ptr_array_index (self->entries, i);
      g_autofree char *time = format_time (entry->finished);
      g_autofree char *changed = g_strdup_printf ("%u", entry->settings_changed);
      g_autofree char *errors = join_errors (entry);

      append_csv_field (csv, time, TRUE);
      append_csv_field (csv, entry->address, FALSE);
      append_csv_field (csv, entry->model, FALSE);
      append_csv_field (csv, entry->firmware, FALSE);
      append_csv_field (csv, entry->sn, FALSE);
      append_csv_field (csv, entry->imei, FALSE);
      append_csv_field (csv, entry->iccid, FALSE);
      append_csv_field (csv, entry->mac, FALSE);
      append_csv_field (csv, atc_provision_result_to_string (entry->result), FALSE);
      append_csv_field (csv, changed, FALSE);
      append_csv_field (csv, errors, FALSE);
      g_string_append (csv, "\r\n");
    }

  return g_string_free (g_steal_pointer (&csv), FALSE);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
atc_provision_report_to_json (AtcProvisionReport *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (ATC_IS_PROVISION_REPORT (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "profile");
  json_builder_begin_object (builder);
  add_string (builder, "model", atc_model_get_id (atc_profile_get_model (self->profile)));
  add_string (builder, "firmware", atc_profile_get_firmware (self->profile));
  add_string (builder, "notes", atc_profile_get_notes (self->profile));
  json_builder_set_member_name (builder, "settings");
  json_builder_add_int_value (builder, atc_profile_get_n_values (self->profile));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "summary");
  json_builder_begin_object (builder);
  for (AtcProvisionResult r = ATC_PROVISION_OK; r <= ATC_PROVISION_FAILED; r++)
    {
      json_builder_set_member_name (builder, atc_provision_result_to_string (r));
      json_builder_add_int_value (builder, atc_provision_report_count (self, r));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "units");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->entries->len; i++)
    {
      AtcProvisionEntry *entry = g_ptr_array_index (self->entries, i);
      g_autofree char *started = format_time (entry->started);
      g_autofree char *finished = format_time (entry->finished);

      json_builder_begin_object (builder);
      add_string (builder, "time", entry->finished ? finished : NULL);
      add_string (builder, "started", entry->started ? started : NULL);
      add_string (builder, "address", entry->address);
      add_string (builder, "model", entry->model);
      add_string (builder, "firmware", entry->firmware);
      add_string (builder, "sn", entry->sn);
      add_string (builder, "imei", entry->imei);
      add_string (builder, "iccid", entry->iccid);
      add_string (builder, "mac", entry->mac);
      add_string (builder, "result", atc_provision_result_to_string (entry->result));
      json_builder_set_member_name (builder, "settings_changed");
      json_builder_add_int_value (builder, entry->settings_changed);
      json_builder_set_member_name (builder, "errors");
      json_builder_begin_array (builder);
      for (guint j = 0; j < entry->errors->len; j++)
        json_builder_add_string_value (builder, g_ptr_array_index (entry->errors, j));
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "apply");
      if (entry->apply_report != NULL)
        json_builder_add_value (builder, atc_apply_report_to_json (entry->apply_report));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gboolean
atc_provision_report_save (AtcProvisionReport  *self,
                           const char          *path,
                           GError             **error)
{
  g_autofree char *data = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (ATC_IS_PROVISION_REPORT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  if (g_str_has_suffix (lower, ".csv"))
    data = atc_provision_report_to_csv (self);
  else if (g_str_has_suffix (lower, ".json"))
    {
      g_autoptr(JsonNode) root = atc_provision_report_to_json (self);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      data = g_strconcat (text, "\n", NULL);
    }
  else
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_FAILED,
                   _("Cannot tell the report format of %s; name the file .csv or .json"), path);
      return FALSE;
    }

  /* No secret goes into a report, so the umask decides its mode. */
  if (!g_file_set_contents (path, data, -1, &local_error))
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_FAILED,
                   _("Cannot write the report %s: %s; pick a folder you can write to"),
                   path, local_error->message);
      return FALSE;
    }

  return TRUE;
}
