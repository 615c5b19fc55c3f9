/* atc-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "atc-config.h"
#include "atc-config-private.h"
#include "atc-error.h"
#include "atc-transaction-log.h"
#include "atc-validate.h"

typedef struct {
  char           *value;
  AtcValueSource  source;
  GError         *error;
} ParamSlot;

typedef struct {
  const AtcCommand *command;
  ParamSlot        *params;
  guint             n_params;
  GError           *read_error;
} CommandSlot;

struct _AtcConfig
{
  GObject     parent_instance;

  AtcModel   *model;
  GPtrArray  *commands;       /* const AtcCommand*, settings in catalog order */
  GHashTable *slots;          /* command name -> CommandSlot* */
  GPtrArray  *fact_commands;  /* const AtcCommand*, identity commands */
  GHashTable *facts;          /* command name -> value */
};

G_DEFINE_FINAL_TYPE (AtcConfig, atc_config, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
command_slot_free (gpointer data)
{
  CommandSlot *slot = data;

  for (guint i = 0; i < slot->n_params; i++)
    {
      g_free (slot->params[i].value);
      g_clear_error (&slot->params[i].error);
    }
  g_free (slot->params);
  g_clear_error (&slot->read_error);
  g_free (slot);
}

static void
atc_config_finalize (GObject *object)
{
  AtcConfig *self = ATC_CONFIG (object);

  g_clear_pointer (&self->slots, g_hash_table_unref);
  g_clear_pointer (&self->facts, g_hash_table_unref);
  g_clear_pointer (&self->commands, g_ptr_array_unref);
  g_clear_pointer (&self->fact_commands, g_ptr_array_unref);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (atc_config_parent_class)->finalize (object);
}

static void
atc_config_class_init (AtcConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = atc_config_finalize;

  /**
   * AtcConfig::changed:
   * @command: the command name, e.g. "UART"
   * @param: (nullable): the parameter name, NULL for an identity fact or
   *   a read error
   *
   * A value, its source, its validity, a read error or a fact changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
atc_config_init (AtcConfig *self)
{
  self->commands = g_ptr_array_new ();
  self->fact_commands = g_ptr_array_new ();
  self->slots = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, command_slot_free);
  self->facts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

char *
atc_config_check_value (const AtcCommand  *command,
                        const AtcParam    *param,
                        const char        *value,
                        GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  char *canonical;

  if (param->default_outside_range && g_strcmp0 (value, param->default_value) == 0)
    return g_strdup (value);

  canonical = atc_param_validate (command, param, value, &local_error);
  if (canonical == NULL)
    {
      const char *values[] = { value, NULL };
      g_autofree char *message = NULL;

      /* The catalog does not quote secrets; mask anyway, in case a future
       * message does. */
      if (param->secret && value != NULL && *value != '\0')
        message = atc_transaction_log_redact (local_error->message, values);
      else
        message = g_strdup (local_error->message);
      g_set_error_literal (error, local_error->domain, local_error->code, message);
    }

  return canonical;
}

const char *
atc_config_strip_prefix (const AtcCommand *command,
                         const AtcParam   *param,
                         const char       *message)
{
  const char *name = command->name[0] == '\0' ? "AT" : command->name;
  gsize len = strlen (name);

  if (strncmp (message, name, len) != 0 || message[len] != ':' || message[len + 1] != ' ')
    return message;
  message += len + 2;

  /* Multi-parameter commands name the parameter next, as the catalog
   * words it ("parity", "IP address"). */
  if (param != NULL && command->params->len > 1 && param->label != NULL)
    {
      gsize label_len = strlen (param->label);

      if (g_ascii_strncasecmp (message, param->label, label_len) == 0 && message[label_len] == ' ')
        message += label_len + 1;
    }

  return message;
}

char *
atc_config_redact (const char        *text,
                   const AtcCommand  *command,
                   const char *const *values)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) secrets = NULL;

  for (guint i = 0; values != NULL && i < command->params->len; i++)
    {
      const AtcParam *param = g_ptr_array_index (command->params, i);

      if (param->secret && values[i] != NULL && *values[i] != '\0')
        g_strv_builder_add (builder, values[i]);
    }
  secrets = g_strv_builder_end (builder);

  return atc_transaction_log_redact (text, (const char *const *) secrets);
}

static void
slot_store (CommandSlot    *slot,
            guint           index,
            const char     *value,
            AtcValueSource  source)
{
  const AtcParam *param = g_ptr_array_index (slot->command->params, index);
  ParamSlot *p = &slot->params[index];
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;

  g_clear_pointer (&p->value, g_free);
  g_clear_error (&p->error);

  if (value == NULL)
    {
      p->source = ATC_VALUE_SOURCE_NONE;
      return;
    }

  canonical = atc_config_check_value (slot->command, param, value, &error);
  if (canonical != NULL)
    p->value = g_steal_pointer (&canonical);
  else
    {
      p->value = g_strdup (value);
      p->error = g_steal_pointer (&error);
    }
  p->source = source;
}

char *
atc_config_display_value (const char *value)
{
  GString *text = g_string_sized_new (strlen (value));

  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '\r')
        g_string_append (text, "\\r");
      else if (c == '\n')
        g_string_append (text, "\\n");
      else if (c == '\t')
        g_string_append (text, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (text, "\\x%02X", c);
      else
        g_string_append_c (text, c);
    }

  return g_string_free (text, FALSE);
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      data += n;
      length -= n;
    }

  return TRUE;
}

void
atc_config_set_problems (GError     **error,
                         const char  *header,
                         GPtrArray   *problems)
{
  g_autoptr(GString) message = g_string_new (header);

  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (message, "\n%s", (const char *) g_ptr_array_index (problems, i));

  g_set_error_literal (error, ATC_ERROR, ATC_ERROR_PROFILE, message->str);
}

gboolean
atc_config_write_file (const char  *path,
                       const char  *data,
                       gboolean     private_mode,
                       GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int saved_errno;
  int fd;

  /* The mode is given at creation: a file holding secrets is never
   * readable by others, not even between open() and a chmod(). Without
   * secrets the umask decides, as for any document. */
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, private_mode ? 0600 : 0666);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, ATC_ERROR,
                   saved_errno == EACCES || saved_errno == EPERM ? ATC_ERROR_PERMISSION : ATC_ERROR_FAILED,
                   _("Cannot create a file in %s to write %s: %s; pick a folder you can write to"),
                   dir, base, g_strerror (saved_errno));
      return FALSE;
    }

  if (!write_all (fd, data, strlen (data)) || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (tmp_path);
      g_set_error (error, ATC_ERROR, ATC_ERROR_FAILED,
                   _("Cannot write %s: %s; check the free space and try again"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  /* Renamed into place whole: a reader never sees half a file, and an
   * existing file is replaced only once the new one is complete. */
  if (close (fd) != 0 || g_rename (tmp_path, path) != 0)
    {
      saved_errno = errno;
      g_unlink (tmp_path);
      g_set_error (error, ATC_ERROR, ATC_ERROR_FAILED,
                   _("Cannot write %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

AtcConfig *
atc_config_new (AtcModel *model)
{
  AtcConfig *self;
  GPtrArray *commands;

  g_return_val_if_fail (ATC_IS_MODEL (model), NULL);

  self = g_object_new (ATC_TYPE_CONFIG, NULL);
  self->model = g_object_ref (model);

  commands = atc_model_get_commands (model);
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);

      if (command->identity)
        g_ptr_array_add (self->fact_commands, (gpointer) command);

      if (atc_command_is_setting (command) && !command->identity)
        {
          CommandSlot *slot = g_new0 (CommandSlot, 1);

          slot->command = command;
          slot->n_params = command->params->len;
          slot->params = g_new0 (ParamSlot, slot->n_params);
          for (guint j = 0; j < slot->n_params; j++)
            {
              const AtcParam *param = g_ptr_array_index (command->params, j);

              slot_store (slot, j, param->default_value, ATC_VALUE_SOURCE_DEFAULT);
            }
          g_ptr_array_add (self->commands, (gpointer) command);
          g_hash_table_insert (self->slots, command->name, slot);
        }
    }

  return self;
}

AtcConfig *
atc_config_copy (AtcConfig *self)
{
  AtcConfig *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  copy = atc_config_new (self->model);

  for (guint i = 0; i < self->commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->commands, i);
      CommandSlot *from = g_hash_table_lookup (self->slots, command->name);
      CommandSlot *to = g_hash_table_lookup (copy->slots, command->name);

      for (guint j = 0; j < from->n_params; j++)
        {
          g_free (to->params[j].value);
          g_clear_error (&to->params[j].error);
          to->params[j].value = g_strdup (from->params[j].value);
          to->params[j].source = from->params[j].source;
          to->params[j].error = from->params[j].error ? g_error_copy (from->params[j].error) : NULL;
        }
      to->read_error = from->read_error ? g_error_copy (from->read_error) : NULL;
    }

  g_hash_table_iter_init (&iter, self->facts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->facts, key, g_strdup (value));

  return copy;
}

AtcModel *
atc_config_get_model (AtcConfig *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  return self->model;
}

GPtrArray *
atc_config_get_commands (AtcConfig *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  return self->commands;
}

static CommandSlot *
lookup_slot (AtcConfig  *self,
             const char *command)
{
  const AtcCommand *cmd;
  CommandSlot *slot;

  if (command == NULL)
    return NULL;

  slot = g_hash_table_lookup (self->slots, command);
  if (slot != NULL)
    return slot;

  /* Aliases and other spellings the model knows ("HEART SND"). */
  cmd = atc_model_lookup (self->model, command);
  if (cmd == NULL)
    return NULL;

  return g_hash_table_lookup (self->slots, cmd->name);
}

static int
param_index (CommandSlot *slot,
             const char  *param)
{
  if (param == NULL)
    return -1;

  for (guint i = 0; i < slot->n_params; i++)
    {
      const AtcParam *p = g_ptr_array_index (slot->command->params, i);

      if (g_str_equal (p->name, param))
        return i;
    }

  return -1;
}

static ParamSlot *
lookup_param (AtcConfig  *self,
              const char *command,
              const char *param)
{
  CommandSlot *slot = lookup_slot (self, command);
  int index;

  if (slot == NULL)
    return NULL;

  index = param_index (slot, param);
  return index < 0 ? NULL : &slot->params[index];
}

const AtcCommand *
atc_config_lookup_command (AtcConfig  *self,
                           const char *command)
{
  CommandSlot *slot;

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  slot = lookup_slot (self, command);
  return slot ? slot->command : NULL;
}

const char *
atc_config_get_value (AtcConfig  *self,
                      const char *command,
                      const char *param)
{
  ParamSlot *p;

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  p = lookup_param (self, command, param);
  return p ? p->value : NULL;
}

AtcValueSource
atc_config_get_source (AtcConfig  *self,
                       const char *command,
                       const char *param)
{
  ParamSlot *p;

  g_return_val_if_fail (ATC_IS_CONFIG (self), ATC_VALUE_SOURCE_NONE);

  p = lookup_param (self, command, param);
  return p ? p->source : ATC_VALUE_SOURCE_NONE;
}

const GError *
atc_config_get_value_error (AtcConfig  *self,
                            const char *command,
                            const char *param)
{
  ParamSlot *p;

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  p = lookup_param (self, command, param);
  return p ? p->error : NULL;
}

static gboolean
check_target (AtcConfig    *self,
              const char   *command,
              const char   *param,
              CommandSlot **out_slot,
              int          *out_index,
              GError      **error)
{
  CommandSlot *slot = lookup_slot (self, command);
  int index;

  if (slot == NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND,
                   _("The %s has no setting “%s”; pick one of the settings the catalog lists for it"),
                   atc_model_get_name (self->model), command ? command : "");
      return FALSE;
    }

  index = param_index (slot, param);
  if (index < 0)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND,
                   _("%s has no parameter “%s”"),
                   slot->command->name, param ? param : "");
      return FALSE;
    }

  *out_slot = slot;
  *out_index = index;
  return TRUE;
}

static gboolean
store_and_notify (AtcConfig      *self,
                  CommandSlot    *slot,
                  guint           index,
                  const char     *value,
                  AtcValueSource  source,
                  GError        **error)
{
  const AtcParam *param = g_ptr_array_index (slot->command->params, index);
  ParamSlot *p = &slot->params[index];
  g_autofree char *old_value = g_strdup (p->value);
  AtcValueSource old_source = p->source;
  gboolean was_valid = p->error == NULL;

  slot_store (slot, index, value, source);

  if (g_strcmp0 (old_value, p->value) != 0 ||
      old_source != p->source ||
      was_valid != (p->error == NULL))
    g_signal_emit (self, signals[CHANGED], 0, slot->command->name, param->name);

  if (p->error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (p->error);
      return FALSE;
    }

  return TRUE;
}

gboolean
atc_config_set_value (AtcConfig       *self,
                      const char      *command,
                      const char      *param,
                      const char      *value,
                      AtcValueSource   source,
                      GError         **error)
{
  CommandSlot *slot;
  int index;

  g_return_val_if_fail (ATC_IS_CONFIG (self), FALSE);

  if (!check_target (self, command, param, &slot, &index, error))
    return FALSE;

  return store_and_notify (self, slot, index, value, source, error);
}

GStrv
atc_config_get_values (AtcConfig  *self,
                       const char *command)
{
  CommandSlot *slot;
  g_autoptr(GStrvBuilder) builder = NULL;

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  slot = lookup_slot (self, command);
  if (slot == NULL)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < slot->n_params; i++)
    {
      if (slot->params[i].value == NULL)
        return NULL;
      g_strv_builder_add (builder, slot->params[i].value);
    }

  return g_strv_builder_end (builder);
}

gboolean
atc_config_set_values (AtcConfig          *self,
                       const char         *command,
                       const char *const  *values,
                       AtcValueSource      source,
                       GError            **error)
{
  CommandSlot *slot;
  GError *first = NULL;

  g_return_val_if_fail (ATC_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (values != NULL, FALSE);

  slot = lookup_slot (self, command);
  if (slot == NULL)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_UNKNOWN_COMMAND,
                   _("The %s has no setting “%s”; pick one of the settings the catalog lists for it"),
                   atc_model_get_name (self->model), command ? command : "");
      return FALSE;
    }

  if (g_strv_length ((GStrv) values) != slot->n_params)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   ngettext ("%s takes %u value, not %u",
                             "%s takes %u values, not %u", slot->n_params),
                   slot->command->name, slot->n_params,
                   g_strv_length ((GStrv) values));
      return FALSE;
    }

  for (guint i = 0; i < slot->n_params; i++)
    store_and_notify (self, slot, i, values[i], source, first == NULL ? &first : NULL);

  if (first != NULL)
    {
      g_propagate_error (error, first);
      return FALSE;
    }

  return TRUE;
}

gboolean
atc_config_has_values (AtcConfig  *self,
                       const char *command)
{
  CommandSlot *slot;

  g_return_val_if_fail (ATC_IS_CONFIG (self), FALSE);

  slot = lookup_slot (self, command);
  if (slot == NULL)
    return FALSE;

  for (guint i = 0; i < slot->n_params; i++)
    if (slot->params[i].value == NULL)
      return FALSE;

  return TRUE;
}

const GError *
atc_config_get_read_error (AtcConfig  *self,
                           const char *command)
{
  CommandSlot *slot;

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  slot = lookup_slot (self, command);
  return slot ? slot->read_error : NULL;
}

void
atc_config_set_read_error (AtcConfig    *self,
                           const char   *command,
                           const GError *error)
{
  CommandSlot *slot;

  g_return_if_fail (ATC_IS_CONFIG (self));

  slot = lookup_slot (self, command);
  g_return_if_fail (slot != NULL);

  if (slot->read_error == NULL && error == NULL)
    return;

  g_clear_error (&slot->read_error);
  if (error != NULL)
    slot->read_error = g_error_copy (error);

  g_signal_emit (self, signals[CHANGED], 0, slot->command->name, NULL);
}

GStrv
atc_config_get_failed_reads (AtcConfig *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  for (guint i = 0; i < self->commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->commands, i);
      CommandSlot *slot = g_hash_table_lookup (self->slots, command->name);

      if (slot->read_error != NULL)
        g_strv_builder_add (builder, command->name);
    }

  return g_strv_builder_end (builder);
}

GPtrArray *
atc_config_get_fact_commands (AtcConfig *self)
{
  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  return self->fact_commands;
}

static const AtcCommand *
lookup_fact_command (AtcConfig  *self,
                     const char *command)
{
  for (guint i = 0; i < self->fact_commands->len; i++)
    {
      const AtcCommand *cmd = g_ptr_array_index (self->fact_commands, i);

      if (g_ascii_strcasecmp (cmd->name, command) == 0)
        return cmd;
    }

  return NULL;
}

const char *
atc_config_get_fact (AtcConfig  *self,
                     const char *command)
{
  const AtcCommand *cmd;

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);
  g_return_val_if_fail (command != NULL, NULL);

  cmd = lookup_fact_command (self, command);
  return cmd ? g_hash_table_lookup (self->facts, cmd->name) : NULL;
}

void
atc_config_set_fact (AtcConfig  *self,
                     const char *command,
                     const char *value)
{
  const AtcCommand *cmd;

  g_return_if_fail (ATC_IS_CONFIG (self));
  g_return_if_fail (command != NULL);

  cmd = lookup_fact_command (self, command);
  g_return_if_fail (cmd != NULL);

  if (g_strcmp0 (g_hash_table_lookup (self->facts, cmd->name), value) == 0)
    return;

  if (value != NULL)
    g_hash_table_insert (self->facts, cmd->name, g_strdup (value));
  else
    g_hash_table_remove (self->facts, cmd->name);

  g_signal_emit (self, signals[CHANGED], 0, cmd->name, NULL);
}

gboolean
atc_config_validate (AtcConfig  *self,
                     GError    **error)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  guint n_problems = 0;

  g_return_val_if_fail (ATC_IS_CONFIG (self), FALSE);

  for (guint i = 0; i < self->commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->commands, i);
      CommandSlot *slot = g_hash_table_lookup (self->slots, command->name);

      for (guint j = 0; j < slot->n_params; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);
          g_autofree char *what = atc_config_describe_param (command, param);

          if (slot->params[j].value == NULL)
            {
              g_string_append_printf (problems, "\n%s: %s", what,
                                      _("no value; read it from the unit or type one"));
              n_problems++;
            }
          else if (slot->params[j].error != NULL)
            {
              g_string_append_printf (problems, "\n%s", slot->params[j].error->message);
              n_problems++;
            }
        }
    }

  if (n_problems == 0)
    return TRUE;

  g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
               ngettext ("%u setting needs fixing:%s", "%u settings need fixing:%s",
                         n_problems),
               n_problems, problems->str);
  return FALSE;
}

GStrv
atc_config_get_secrets (AtcConfig *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  for (guint i = 0; i < self->commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->commands, i);
      CommandSlot *slot = g_hash_table_lookup (self->slots, command->name);

      for (guint j = 0; j < slot->n_params; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);

          if (param->secret && slot->params[j].value != NULL && *slot->params[j].value != '\0')
            g_strv_builder_add (builder, slot->params[j].value);
        }
    }

  return g_strv_builder_end (builder);
}

JsonNode *
atc_config_to_json (AtcConfig *self,
                    gboolean   with_secrets)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean any_failed = FALSE;

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, atc_model_get_id (self->model));

  json_builder_set_member_name (builder, "facts");
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->fact_commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->fact_commands, i);
      const char *value = g_hash_table_lookup (self->facts, command->name);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, command->name);
      json_builder_add_string_value (builder, value);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "settings");
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->commands, i);
      CommandSlot *slot = g_hash_table_lookup (self->slots, command->name);

      any_failed |= slot->read_error != NULL;

      json_builder_set_member_name (builder, command->name);
      json_builder_begin_object (builder);
      for (guint j = 0; j < slot->n_params; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);
          ParamSlot *p = &slot->params[j];

          json_builder_set_member_name (builder, param->name);
          if (p->value == NULL)
            json_builder_add_null_value (builder);
          else if (param->secret && !with_secrets && *p->value != '\0')
            json_builder_add_string_value (builder, ATC_SECRET_MASK);
          else
            json_builder_add_string_value (builder, p->value);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "sources");
  json_builder_begin_object (builder);
  for (guint i = 0; i < self->commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->commands, i);
      CommandSlot *slot = g_hash_table_lookup (self->slots, command->name);

      json_builder_set_member_name (builder, command->name);
      json_builder_begin_object (builder);
      for (guint j = 0; j < slot->n_params; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);

          json_builder_set_member_name (builder, param->name);
          json_builder_add_string_value (builder, atc_value_source_to_string (slot->params[j].source));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "read_errors");
  json_builder_begin_object (builder);
  for (guint i = 0; any_failed && i < self->commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->commands, i);
      CommandSlot *slot = g_hash_table_lookup (self->slots, command->name);

      if (slot->read_error == NULL)
        continue;
      json_builder_set_member_name (builder, command->name);
      json_builder_add_string_value (builder, slot->read_error->message);
    }
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

char *
atc_config_to_text (AtcConfig *self,
                    gboolean   with_secrets)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  guint width = 0;

  g_return_val_if_fail (ATC_IS_CONFIG (self), NULL);

  for (guint i = 0; i < self->fact_commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->fact_commands, i);
      const char *value = g_hash_table_lookup (self->facts, command->name);

      g_ptr_array_add (names, g_strdup (command->name));
      g_ptr_array_add (values, g_strdup (value ? value : _("(not read)")));
    }

  for (guint i = 0; i < self->commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (self->commands, i);
      CommandSlot *slot = g_hash_table_lookup (self->slots, command->name);

      for (guint j = 0; j < slot->n_params; j++)
        {
          const AtcParam *param = g_ptr_array_index (command->params, j);
          ParamSlot *p = &slot->params[j];
          char *shown;

          if (slot->read_error != NULL && p->source != ATC_VALUE_SOURCE_UNIT)
            shown = g_strdup_printf (_("(not read: %s)"), slot->read_error->message);
          else if (p->value == NULL)
            shown = g_strdup (_("(no value)"));
          else if (param->secret && !with_secrets && *p->value != '\0')
            shown = g_strdup (ATC_SECRET_MASK);
          else if (p->error != NULL)
            {
              g_autofree char *display = atc_config_display_value (p->value);

              shown = g_strdup_printf (_("%s (invalid: %s)"), display, p->error->message);
            }
          else
            shown = atc_config_display_value (p->value);

          g_ptr_array_add (names, atc_config_describe_param (command, param));
          g_ptr_array_add (values, shown);
        }
    }

  for (guint i = 0; i < names->len; i++)
    width = MAX (width, g_utf8_strlen (g_ptr_array_index (names, i), -1));

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      guint pad = width - g_utf8_strlen (name, -1);

      g_string_append_printf (text, "%s:%*s %s\n", name, pad, "",
                              (const char *) g_ptr_array_index (values, i));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
atc_config_describe_param (const AtcCommand *command,
                           const AtcParam   *param)
{
  const char *label = param->label && *param->label ? param->label : param->name;

  /* "Baud rate" reads "UART baud rate"; "IP address" keeps its capitals,
   * as the catalog's own messages word it. */
  if (g_ascii_isupper (label[0]) && !g_ascii_isupper (label[1]))
    return g_strdup_printf ("%s %c%s", command->name, g_ascii_tolower (label[0]), label + 1);

  return g_strdup_printf ("%s %s", command->name, label);
}

const char *
atc_value_source_to_string (AtcValueSource source)
{
  switch (source)
    {
    case ATC_VALUE_SOURCE_NONE:
      return "none";
    case ATC_VALUE_SOURCE_DEFAULT:
      return "default";
    case ATC_VALUE_SOURCE_UNIT:
      return "unit";
    case ATC_VALUE_SOURCE_EDITED:
      return "edited";
    case ATC_VALUE_SOURCE_PROFILE:
      return "profile";
    default:
      g_return_val_if_reached ("none");
    }
}
