/* atc-console-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "atc-app-util.h"
#include "atc-codec.h"
#include "atc-console-history.h"
#include "atc-console-line.h"
#include "atc-console-page.h"
#include "atc-error.h"
#include "atc-log-view.h"

struct _AtcConsolePage
{
  AtcPage            parent_instance;

  AtcConsoleHistory *history;
  guint              history_pos;   /* the line shown while browsing */
  char              *draft;         /* the line typed before browsing; NULL: not browsing */
  gboolean           history_failed;
  GCancellable      *cancellable;   /* commands sent on the current session */
  GCancellable      *io;            /* history and log files */
  guint              pending;
  GtkFileChooserNative *chooser;

  /* template children */
  GtkStack          *stack;
  GtkLabel          *state_label;
  AtcLogView        *log_view;
  GtkLabel          *status_label;
  GtkMenuButton     *quick_button;
  GtkEntry          *entry;
  GtkSpinner        *spinner;
  GtkPopover        *completion_popover;
  GtkListBox        *completion_list;
};

G_DEFINE_FINAL_TYPE (AtcConsolePage, atc_console_page, ATC_TYPE_PAGE)

static AtcModel *
atc_console_page_get_model (AtcConsolePage *self)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));

  return session ? atc_session_get_model (session) : NULL;
}

static void
atc_console_page_show_status (AtcConsolePage *self,
                              const char     *message)
{
  gtk_label_set_text (self->status_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

static void
atc_console_page_update_busy (AtcConsolePage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->pending > 0);
  gtk_spinner_set_spinning (self->spinner, self->pending > 0);
}

/* ------------------------------------------------------------ history */

static void
atc_console_page_stop_browsing (AtcConsolePage *self)
{
  g_clear_pointer (&self->draft, g_free);
}

static void
history_saved_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AtcConsolePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!atc_console_history_save_finish (ATC_CONSOLE_HISTORY (object), result, &error) &&
      !self->history_failed)
    {
      /* A convenience: say so once, keep the history for this run. */
      self->history_failed = TRUE;
      atc_page_toast (ATC_PAGE (self), "%s", error->message);
    }
}

static void
history_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(AtcConsolePage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!atc_console_history_load_finish (ATC_CONSOLE_HISTORY (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("%s", error->message);
      return;
    }

  /* Lines typed meanwhile moved behind the loaded ones. */
  atc_console_page_stop_browsing (self);
}

static void
atc_console_page_remember (AtcConsolePage *self,
                           const char     *line)
{
  g_autofree char *kept = atc_console_line_for_history (atc_console_page_get_model (self), NULL, line);

  if (kept != NULL && atc_console_history_add (self->history, kept) && !self->history_failed)
    atc_console_history_save_async (self->history, self->io, history_saved_cb, g_object_ref (self));
}

static void
atc_console_page_set_entry_text (AtcConsolePage *self,
                                 const char     *text)
{
  /* Not an edit of the technician: keep browsing state. */
  g_signal_handlers_block_matched (self->entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
  g_signal_handlers_unblock_matched (self->entry, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
}

static void
atc_console_page_browse (AtcConsolePage *self,
                         int             step)
{
  GPtrArray *lines = atc_console_history_get_lines (self->history);
  /* Browsing starts below the newest line. */
  guint pos = self->draft != NULL ? MIN (self->history_pos, lines->len) : lines->len;

  if ((step < 0 && pos == 0) || (step > 0 && pos >= lines->len))
    {
      gtk_widget_error_bell (GTK_WIDGET (self->entry));
      return;
    }

  if (self->draft == NULL)
    self->draft = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

  pos += step;
  self->history_pos = pos;
  if (pos == lines->len)
    {
      g_autofree char *draft = g_steal_pointer (&self->draft);

      atc_console_page_set_entry_text (self, draft);
    }
  else
    atc_console_page_set_entry_text (self, g_ptr_array_index (lines, pos));
}

/* ------------------------------------------------------------ sending */

typedef struct
{
  AtcConsolePage *self;
  GCancellable   *cancellable;  /* of the session it was sent on */
  char           *line;
  gboolean        from_entry;
} SendData;

static void
send_data_free (SendData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data->line);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendData, send_data_free)

static void
line_sent_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  AtcConsolePage *self = data->self;
  AtcSession *session = ATC_SESSION (object);
  g_autoptr(AtcReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = atc_session_send_line_finish (session, result, &error);

  /* A reply from a session the page has left counts for nothing here. */
  if (data->cancellable != self->cancellable)
    return;

  self->pending--;
  atc_console_page_update_busy (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (reply == NULL)
    {
      /* Refused before sending: give the line back to fix it, unless the
       * technician already typed the next one. */
      if (data->from_entry &&
          (g_error_matches (error, ATC_ERROR, ATC_ERROR_UNSAFE_VALUE) ||
           g_error_matches (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE)) &&
          gtk_editable_get_text (GTK_EDITABLE (self->entry))[0] == '\0')
        {
          const char *semicolon = strchr (data->line, ';');

          atc_console_page_set_entry_text (self, data->line);
          if (semicolon != NULL)
            {
              int at = g_utf8_pointer_to_offset (data->line, semicolon);

              gtk_editable_select_region (GTK_EDITABLE (self->entry), at, at + 1);
            }
        }
      atc_console_page_show_status (self, error->message);
      return;
    }

  atc_console_page_remember (self, data->line);

  if (reply->status == ATC_REPLY_ERROR)
    {
      AtcModel *model = atc_session_get_model (session);
      gssize start = atc_console_line_command_start (model, NULL, data->line);
      const AtcCommand *command = start >= 0 ? atc_console_line_lookup (model, data->line + start, NULL) : NULL;
      g_autoptr(GError) refusal = NULL;

      atc_reply_set_error (reply, model ? atc_model_get_dialect (model) : ATC_DIALECT_COLON,
                           command ? command->name : reply->name, &refusal);
      atc_console_page_show_status (self, refusal->message);
    }
  else
    atc_console_page_show_status (self, NULL);
}

static void
atc_console_page_send (AtcConsolePage *self,
                       const char     *line,
                       gboolean        from_entry)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  SendData *data;

  if (session == NULL || line == NULL)
    return;

  if (from_entry)
    {
      atc_console_page_set_entry_text (self, "");
      atc_console_page_stop_browsing (self);
    }
  atc_console_page_show_status (self, NULL);
  atc_log_view_scroll_to_end (self->log_view);

  data = g_new0 (SendData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->cancellable);
  data->line = g_strdup (line);
  data->from_entry = from_entry;

  self->pending++;
  atc_console_page_update_busy (self);
  /* The session refuses ';', CR/LF and empty lines with the reason. */
  atc_session_send_line_async (session, line, self->cancellable, line_sent_cb, data);
}

static void
entry_activate_cb (AtcConsolePage *self)
{
  g_autofree char *line = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

  if (g_strstrip (line)[0] == '\0')
    return;

  atc_console_page_send (self, line, TRUE);
}

static void
entry_changed_cb (AtcConsolePage *self)
{
  /* Typing ends browsing: Up starts again from the newest line. */
  atc_console_page_stop_browsing (self);
  if (gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
    atc_console_page_show_status (self, NULL);
}

static void
send_entry_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AtcConsolePage *self = ATC_CONSOLE_PAGE (widget);

  entry_activate_cb (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AtcConsolePage *self = ATC_CONSOLE_PAGE (widget);

  atc_console_page_send (self, g_variant_get_string (parameter, NULL), FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/* ------------------------------------------------------------ completion */

static char *
common_prefix (GStrv candidates)
{
  gsize len = strlen (candidates[0]);

  for (guint i = 1; candidates[i] != NULL; i++)
    {
      gsize j = 0;

      while (j < len && candidates[i][j] == candidates[0][j])
        j++;
      len = j;
    }

  /* Never cut a character in two. */
  while (len > 0 && !g_utf8_validate (candidates[0], len, NULL))
    len--;

  return g_strndup (candidates[0], len);
}

/* Replaces what is before the cursor by `text`, keeping what follows. */
static void
atc_console_page_replace_before_cursor (AtcConsolePage *self,
                                        const char     *text)
{
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  int cursor = gtk_editable_get_position (GTK_EDITABLE (self->entry));
  const char *after = g_utf8_offset_to_pointer (current, cursor);
  g_autofree char *line = g_strconcat (text, after, NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), line);
  gtk_editable_set_position (GTK_EDITABLE (self->entry), g_utf8_strlen (text, -1));
}

static GtkWidget *
completion_row (AtcModel   *model,
                const char *candidate)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (candidate);
  gssize start = atc_console_line_command_start (model, NULL, candidate);
  const AtcCommand *command = start >= 0 ? atc_console_line_lookup (model, candidate + start, NULL) : NULL;

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_add_css_class (name, "console-log");
  gtk_box_append (GTK_BOX (box), name);

  if (command != NULL && command->description != NULL)
    {
      GtkWidget *description = gtk_label_new (command->description);

      gtk_label_set_xalign (GTK_LABEL (description), 0);
      gtk_label_set_wrap (GTK_LABEL (description), TRUE);
      /* One width, so the list is as tall as its wrapped lines. */
      gtk_label_set_max_width_chars (GTK_LABEL (description), 32);
      gtk_label_set_width_chars (GTK_LABEL (description), 32);
      gtk_widget_add_css_class (description, "dim-label");
      gtk_widget_add_css_class (description, "caption");
      gtk_box_append (GTK_BOX (box), description);
    }

  gtk_widget_set_margin_top (box, 3);
  gtk_widget_set_margin_bottom (box, 3);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "candidate", g_strdup (candidate), g_free);

  return row;
}

/* TRUE when Tab did something (completed, listed, or rang the bell). */
static gboolean
atc_console_page_complete (AtcConsolePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  int cursor = gtk_editable_get_position (GTK_EDITABLE (self->entry));
  g_autofree char *before = g_strndup (text, g_utf8_offset_to_pointer (text, cursor) - text);
  AtcModel *model = atc_console_page_get_model (self);
  g_auto(GStrv) candidates = NULL;
  g_autofree char *prefix = NULL;
  GtkWidget *child;

  /* An empty line lets Tab move the focus as everywhere else. */
  if (text[0] == '\0')
    return FALSE;

  candidates = atc_console_line_complete (model, NULL, before);
  if (candidates[0] == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self->entry));
      return TRUE;
    }

  prefix = common_prefix (candidates);
  if (strlen (prefix) >= strlen (before))
    atc_console_page_replace_before_cursor (self, prefix);

  if (candidates[1] == NULL)
    return TRUE;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->completion_list))) != NULL)
    gtk_list_box_remove (self->completion_list, child);
  for (guint i = 0; candidates[i] != NULL; i++)
    gtk_list_box_append (self->completion_list, completion_row (model, candidates[i]));

  gtk_popover_popup (self->completion_popover);
  gtk_list_box_select_row (self->completion_list, gtk_list_box_get_row_at_index (self->completion_list, 0));

  return TRUE;
}

static void
completion_row_activated_cb (AtcConsolePage *self,
                             GtkListBoxRow  *row)
{
  const char *candidate = g_object_get_data (G_OBJECT (row), "candidate");

  gtk_popover_popdown (self->completion_popover);
  /* The typed part is a prefix of the candidate: replace it whole. */
  atc_console_page_replace_before_cursor (self, candidate);
}

static void
completion_closed_cb (AtcConsolePage *self)
{
  /* Back to typing, unless the list closed because the window goes. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self->entry)))
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_set_position (GTK_EDITABLE (self->entry),
                             gtk_editable_get_position (GTK_EDITABLE (self->entry)));
}

static gboolean
entry_key_pressed_cb (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      AtcConsolePage        *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SHIFT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      atc_console_page_browse (self, -1);
      return TRUE;

    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      atc_console_page_browse (self, +1);
      return TRUE;

    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
      return atc_console_page_complete (self);

    default:
      return FALSE;
    }
}

/* ------------------------------------------------------------ the log */

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AtcConsolePage *self = ATC_CONSOLE_PAGE (widget);
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));

  if (session != NULL)
    atc_transaction_log_clear (atc_session_get_log (session));
  atc_console_page_show_status (self, NULL);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AtcConsolePage *self = ATC_CONSOLE_PAGE (widget);
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  g_autofree char *text = NULL;

  if (session == NULL)
    return;

  text = atc_transaction_log_to_text (atc_session_get_log (session));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  atc_page_toast (ATC_PAGE (self), _("Log copied"));
}

static void
log_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(AtcConsolePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        atc_page_show_error (ATC_PAGE (self), _("Could Not Save the Log"), error);
      return;
    }

  name = g_file_get_parse_name (G_FILE (object));
  atc_page_toast (ATC_PAGE (self), _("Log saved to %s"), name);
}

void
atc_console_page_save_log (AtcConsolePage *self,
                           GFile          *file)
{
  AtcSession *session;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_if_fail (ATC_IS_CONSOLE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  session = atc_page_get_session (ATC_PAGE (self));
  text = session ? atc_transaction_log_to_text (atc_session_get_log (session)) : g_strdup ("");
  bytes = g_bytes_new_take (text, strlen (text));

  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       self->io, log_written_cb, g_object_ref (self));
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     AtcConsolePage  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      atc_console_page_save_log (self, file);
    }

  g_clear_object (&self->chooser);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AtcConsolePage *self = ATC_CONSOLE_PAGE (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;
  AtcModel *model = atc_console_page_get_model (self);

  if (self->chooser != NULL || atc_page_get_session (ATC_PAGE (self)) == NULL)
    return;

  self->chooser = atc_app_file_chooser_new (widget, _("Save Log"), GTK_FILE_CHOOSER_ACTION_SAVE,
                                            _("_Save"));
  name = g_strdup_printf ("%s-log-%s.txt", model ? atc_model_get_id (model) : "atconf", stamp);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* ------------------------------------------------------------ session */

static void
atc_console_page_update_state (AtcConsolePage *self)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  AtcModel *model;
  g_autofree char *text = NULL;

  if (session == NULL)
    return;

  model = atc_session_get_model (session);
  text = g_strdup_printf ("%s · %s", model ? atc_model_get_name (model) : _("Unknown model"),
                          atc_session_state_to_string (atc_session_get_state (session)));
  gtk_label_set_text (self->state_label, text);
}

static void
atc_console_page_fill_quick_menu (AtcConsolePage *self,
                                  AtcModel       *model)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) link = g_menu_new ();
  g_autoptr(GMenu) identity = g_menu_new ();
  g_autoptr(GMenu) status = g_menu_new ();
  GPtrArray *commands = model ? atc_model_get_commands (model) : NULL;

  /* The line is the label: it is what the technician would type. */
  for (guint i = 0; commands != NULL && i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      g_autofree char *line = NULL;
      g_autoptr(GMenuItem) item = NULL;
      GMenu *section;

      if (command->name[0] == '\0')
        section = link;
      else if (command->identity && atc_command_can (command, ATC_ACCESS_QUERY))
        section = identity;
      else if (command->live_status && atc_command_can (command, ATC_ACCESS_QUERY))
        section = status;
      else
        continue;

      line = atc_codec_format_query (command);
      item = g_menu_item_new (line, NULL);
      g_menu_item_set_action_and_target (item, "console.send", "s", line);
      g_menu_append_item (section, item);
    }

  g_menu_append_section (menu, NULL, G_MENU_MODEL (link));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (identity));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (status));
  gtk_menu_button_set_menu_model (self->quick_button, G_MENU_MODEL (menu));
}

static void
atc_console_page_session_changed (AtcPage    *page,
                                  AtcSession *session)
{
  AtcConsolePage *self = ATC_CONSOLE_PAGE (page);

  /* Replies to another session's commands mean nothing here. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->pending = 0;
  atc_console_page_update_busy (self);
  atc_console_page_show_status (self, NULL);
  gtk_popover_popdown (self->completion_popover);

  atc_log_view_set_log (self->log_view, session ? atc_session_get_log (session) : NULL);
  atc_console_page_fill_quick_menu (self, session ? atc_session_get_model (session) : NULL);

  if (session != NULL)
    {
      g_signal_connect_object (session, "notify::state",
                               G_CALLBACK (atc_console_page_update_state), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify::model",
                               G_CALLBACK (atc_console_page_update_state), self, G_CONNECT_SWAPPED);
      atc_console_page_update_state (self);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.send", session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.send-entry", session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.clear", session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.copy", session != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.save", session != NULL);

  gtk_stack_set_visible_child_name (self->stack, session ? "content" : "empty");
}

static void
content_map_cb (AtcConsolePage *self)
{
  /* Arriving on the console means typing a command. */
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static void
atc_console_page_dispose (GObject *object)
{
  AtcConsolePage *self = ATC_CONSOLE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->io);
  g_clear_object (&self->io);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->completion_popover != NULL)
    {
      gtk_popover_popdown (self->completion_popover);
      gtk_widget_unparent (GTK_WIDGET (self->completion_popover));
    }

  /* The stack is both a template child and the bin's child: detach it
   * from the bin first so it is unparented once. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ATC_TYPE_CONSOLE_PAGE);

  G_OBJECT_CLASS (atc_console_page_parent_class)->dispose (object);
}

static void
atc_console_page_finalize (GObject *object)
{
  AtcConsolePage *self = ATC_CONSOLE_PAGE (object);

  g_clear_object (&self->history);
  g_free (self->draft);

  G_OBJECT_CLASS (atc_console_page_parent_class)->finalize (object);
}

static void
atc_console_page_class_init (AtcConsolePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AtcPageClass *page_class = ATC_PAGE_CLASS (klass);

  object_class->dispose = atc_console_page_dispose;
  object_class->finalize = atc_console_page_finalize;
  page_class->session_changed = atc_console_page_session_changed;

  g_type_ensure (ATC_TYPE_LOG_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-console-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, stack);
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, state_label);
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, log_view);
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, quick_button);
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, entry);
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, completion_popover);
  gtk_widget_class_bind_template_child (widget_class, AtcConsolePage, completion_list);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_key_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, completion_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, completion_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, content_map_cb);

  gtk_widget_class_install_action (widget_class, "console.send", "s", send_action);
  gtk_widget_class_install_action (widget_class, "console.send-entry", NULL, send_entry_action);
  gtk_widget_class_install_action (widget_class, "console.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "console.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "console.save", NULL, save_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "console.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "console.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "console.save", NULL);
}

static void
atc_console_page_init (AtcConsolePage *self)
{
  g_autofree char *path = atc_console_history_get_default_path ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_parent (GTK_WIDGET (self->completion_popover), GTK_WIDGET (self->entry));

  self->cancellable = g_cancellable_new ();
  self->io = g_cancellable_new ();
  self->history = atc_console_history_new (path);
  atc_console_history_load_async (self->history, self->io, history_loaded_cb, g_object_ref (self));

  atc_console_page_session_changed (ATC_PAGE (self), NULL);
}
