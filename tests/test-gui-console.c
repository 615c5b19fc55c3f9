/* test-gui-console.c: the console page on a demo G781
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "atc-console-page.h"
#include "atc-gui-test-util.h"
#include "atc-log-view.h"

static char *state_dir;

typedef struct
{
  AtcApplication *app;
  AtcWindow      *window;
  AtcSession     *session;
  GtkWidget      *page;
  GtkEntry       *entry;
} Console;

/* Other pages read the unit too after it connects (the device page its
 * identity): wait until the link is quiet, so what a test sends and the
 * screenshots are not mixed with that. */
static void
wait_until_quiet (Console *console)
{
  GListModel *log = G_LIST_MODEL (atc_session_get_log (console->session));
  guint seen;

  do
    {
      seen = g_list_model_get_n_items (log);
      atc_gui_test_settle (400);
    }
  while (g_list_model_get_n_items (log) != seen);
}

static void
console_open (Console *console,
              int      width,
              int      height)
{
  console->window = atc_gui_test_new_window_sized (&console->app, width, height);
  atc_gui_test_connect (console->window, "demo:g781", 30000);
  console->session = atc_window_get_session (console->window);
  atc_window_show_page (console->window, "console");
  wait_until_quiet (console);
  /* The "Connected" toast would hide the command line in screenshots. */
  atc_gui_test_dismiss_toasts (GTK_WIDGET (console->window));

  console->page = atc_gui_test_find (GTK_WIDGET (console->window), ATC_TYPE_CONSOLE_PAGE, NULL);
  g_assert_nonnull (console->page);
  console->entry = GTK_ENTRY (atc_gui_test_find (console->page, GTK_TYPE_ENTRY, NULL));
  g_assert_nonnull (console->entry);
  atc_gui_test_settle (200);

  /* Arriving on the console puts the cursor in the command line. */
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (console->entry)) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (console->window)),
                                         GTK_WIDGET (console->entry)));
}

static void
console_close (Console *console)
{
  gtk_window_destroy (GTK_WINDOW (console->window));
  atc_gui_test_settle (50);
  g_clear_object (&console->app);
}

static const char *
entry_text (Console *console)
{
  return gtk_editable_get_text (GTK_EDITABLE (console->entry));
}

static gboolean
press_key (Console *console,
           guint    keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (console->entry));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
          atc_gui_test_settle (50);
          return handled;
        }
    }

  g_error ("the command line has no key handler");
  return FALSE;
}

static guint
log_length (Console *console)
{
  return g_list_model_get_n_items (G_LIST_MODEL (atc_session_get_log (console->session)));
}

/* Index of the first entry from `from` on with that direction and text, or -1. */
static int
log_find (Console         *console,
          guint            from,
          AtcLogDirection  direction,
          const char      *text)
{
  GListModel *log = G_LIST_MODEL (atc_session_get_log (console->session));

  for (guint i = from; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(AtcLogEntry) entry = g_list_model_get_item (log, i);

      if (atc_log_entry_get_direction (entry) == direction &&
          strstr (atc_log_entry_get_text (entry), text) != NULL)
        return i;
    }

  return -1;
}

static gboolean
log_mentions (Console    *console,
              const char *text)
{
  g_autofree char *all = atc_transaction_log_to_text (atc_session_get_log (console->session));

  return strstr (all, text) != NULL;
}

typedef struct
{
  Console    *console;
  guint       from;
  const char *text;
  const char *sent;   /* NULL: any line */
} LogWait;

/* The reply came to this line, not to a query of another page. */
static gboolean
log_has_reply (gpointer data)
{
  LogWait *wait = data;
  int sent = wait->sent ? log_find (wait->console, wait->from, ATC_LOG_TX, wait->sent) : (int) wait->from;

  return sent >= 0 && log_find (wait->console, sent, ATC_LOG_RX, wait->text) >= 0;
}

static void
type_and_send (Console    *console,
               const char *line,
               const char *reply)
{
  /* Secrets are redacted in the log: look for what precedes the value. */
  g_autofree char *sent = g_strndup (line, strcspn (line, "="));
  LogWait wait = { console, log_length (console), reply, sent };

  gtk_editable_set_text (GTK_EDITABLE (console->entry), line);
  g_signal_emit_by_name (console->entry, "activate");
  if (reply != NULL && !atc_gui_test_wait (log_has_reply, &wait, 10000))
    {
      g_autofree char *all = atc_transaction_log_to_text (atc_session_get_log (console->session));

      g_error ("no reply with “%s” to %s; the log:\n%s", reply, line, all);
    }
  atc_gui_test_settle (150);
}

/* A label in the log view showing `text`, inside the visible part. */
static GtkWidget *
find_shown_label (GtkWidget  *root,
                  GtkWidget  *viewport,
                  const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;
      graphene_rect_t bounds;

      if (GTK_IS_LABEL (child) && gtk_widget_is_drawable (child) &&
          strstr (gtk_label_get_text (GTK_LABEL (child)), text) != NULL &&
          gtk_widget_compute_bounds (child, viewport, &bounds) &&
          bounds.origin.y >= -1 &&
          bounds.origin.y + bounds.size.height <= gtk_widget_get_height (viewport) + 1)
        return child;

      if ((found = find_shown_label (child, viewport, text)) != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
log_scroller (Console *console)
{
  GtkWidget *view = atc_gui_test_find (console->page, ATC_TYPE_LOG_VIEW, NULL);

  g_assert_nonnull (view);
  return atc_gui_test_find (view, GTK_TYPE_SCROLLED_WINDOW, NULL);
}

static GtkLabel *
status_label (Console *console)
{
  /* The one wrapping, selectable label under the log. */
  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (console->entry)); w != NULL; w = gtk_widget_get_parent (w))
    {
      GtkWidget *label = atc_gui_test_find (w, GTK_TYPE_LABEL, NULL);

      if (label != NULL && gtk_label_get_selectable (GTK_LABEL (label)))
        return GTK_LABEL (label);
    }

  g_error ("no status label");
  return NULL;
}

static void
test_send_shows_reply (void)
{
  Console console = { 0 };
  guint before;
  int sent, reply;

  console_open (&console, 1000, 720);

  before = log_length (&console);
  type_and_send (&console, "AT+VER", "V1.1.05");

  /* The sent line, then the unit's answer with the firmware of the document. */
  sent = log_find (&console, before, ATC_LOG_TX, "AT+VER");
  reply = log_find (&console, before, ATC_LOG_RX, "+VER:V1.1.05");
  g_assert_cmpint (sent, >=, 0);
  g_assert_cmpint (reply, >, sent);
  g_assert_cmpstr (entry_text (&console), ==, "");

  /* The newest lines are in view: the log followed them. */
  g_assert_nonnull (find_shown_label (log_scroller (&console), log_scroller (&console), "+VER:V1.1.05"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status_label (&console))));

  g_free (atc_gui_test_screenshot (GTK_WIDGET (console.window), "console-g781"));
  console_close (&console);
}

static void
test_history_recall (void)
{
  Console console = { 0 };
  g_autofree char *path = g_build_filename (state_dir, "atconf", "console-history", NULL);
  g_autofree char *stored = NULL;
  guint before;

  console_open (&console, 1000, 720);

  type_and_send (&console, "AT+VER", "+VER:");
  type_and_send (&console, "AT+CSQ", "+CSQ:");

  /* Up walks back, Down forward, and past the newest gives back the draft. */
  gtk_editable_set_text (GTK_EDITABLE (console.entry), "AT+U");
  g_assert_true (press_key (&console, GDK_KEY_Up));
  g_assert_cmpstr (entry_text (&console), ==, "AT+CSQ");
  g_assert_true (press_key (&console, GDK_KEY_Up));
  g_assert_cmpstr (entry_text (&console), ==, "AT+VER");
  g_assert_true (press_key (&console, GDK_KEY_Down));
  g_assert_cmpstr (entry_text (&console), ==, "AT+CSQ");
  g_assert_true (press_key (&console, GDK_KEY_Down));
  g_assert_cmpstr (entry_text (&console), ==, "AT+U");

  /* A recalled line is sent like a typed one. */
  g_assert_true (press_key (&console, GDK_KEY_Up));
  g_assert_true (press_key (&console, GDK_KEY_Up));
  g_assert_cmpstr (entry_text (&console), ==, "AT+VER");
  before = log_length (&console);
  g_signal_emit_by_name (console.entry, "activate");
  g_assert_true (atc_gui_test_wait (log_has_reply, &(LogWait) { &console, before, "+VER:", "AT+VER" }, 10000));

  /* Kept for the next run, where atconf-cli finds it too. */
  atc_gui_test_settle (300);
  g_assert_true (g_file_get_contents (path, &stored, NULL, NULL));
  g_assert_nonnull (strstr (stored, "AT+VER\n"));
  g_assert_nonnull (strstr (stored, "AT+CSQ\n"));

  console_close (&console);
}

static void
test_tab_completes_command_names (void)
{
  Console console = { 0 };
  GtkWidget *popover;
  GtkListBox *list;
  GtkListBoxRow *row;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  console_open (&console, 1000, 720);

  /* One match: completed in place. */
  gtk_editable_set_text (GTK_EDITABLE (console.entry), "at+ve");
  gtk_editable_set_position (GTK_EDITABLE (console.entry), -1);
  g_assert_true (press_key (&console, GDK_KEY_Tab));
  g_assert_cmpstr (entry_text (&console), ==, "AT+VER");

  /* Several: a list of the candidates to pick from. */
  gtk_editable_set_text (GTK_EDITABLE (console.entry), "AT+UARTF");
  gtk_editable_set_position (GTK_EDITABLE (console.entry), -1);
  g_assert_true (press_key (&console, GDK_KEY_Tab));
  atc_gui_test_settle (200);

  popover = atc_gui_test_find (GTK_WIDGET (console.entry), GTK_TYPE_POPOVER, NULL);
  g_assert_nonnull (popover);
  g_assert_true (gtk_widget_get_visible (popover));
  list = GTK_LIST_BOX (atc_gui_test_find (popover, GTK_TYPE_LIST_BOX, NULL));
  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      GtkWidget *label = atc_gui_test_find (GTK_WIDGET (row), GTK_TYPE_LABEL, NULL);

      g_ptr_array_add (names, (gpointer) gtk_label_get_text (GTK_LABEL (label)));
    }
  g_assert_cmpuint (names->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (names, "AT+UARTFT", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "AT+UARTFL", g_str_equal, NULL));

  g_free (atc_gui_test_screenshot (popover, "console-completion-list"));

  /* Picking one puts it on the line. */
  row = gtk_list_box_get_row_at_index (list, 1);
  g_signal_emit_by_name (list, "row-activated", row);
  atc_gui_test_settle (100);
  g_assert_false (gtk_widget_get_visible (popover));
  g_assert_cmpstr (entry_text (&console), ==, g_ptr_array_index (names, 1));

  /* Nothing to complete on an empty line: Tab moves the focus. */
  gtk_editable_set_text (GTK_EDITABLE (console.entry), "");
  g_assert_false (press_key (&console, GDK_KEY_Tab));

  console_close (&console);
}

static void
test_secret_never_shown_or_kept (void)
{
  Console console = { 0 };
  g_autofree char *path = g_build_filename (state_dir, "atconf", "console-history", NULL);
  g_autofree char *log_file = g_build_filename (state_dir, "saved-log.txt", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (log_file);
  g_autofree char *stored = NULL;
  g_autofree char *saved = NULL;
  guint before;

  console_open (&console, 1000, 720);

  before = log_length (&console);
  type_and_send (&console, "AT+CMDPW=secret1", "OK");

  /* Sent (the unit answered) but redacted in the log and on screen. */
  g_assert_cmpint (log_find (&console, before, ATC_LOG_TX, "AT+CMDPW="), >=, 0);
  g_assert_false (log_mentions (&console, "secret1"));
  g_assert_null (find_shown_label (log_scroller (&console), log_scroller (&console), "secret1"));
  g_assert_nonnull (find_shown_label (log_scroller (&console), log_scroller (&console), "AT+CMDPW=•••"));
  g_assert_cmpstr (entry_text (&console), ==, "");

  /* The history keeps the command without its value. */
  g_assert_true (press_key (&console, GDK_KEY_Up));
  g_assert_cmpstr (entry_text (&console), ==, "AT+CMDPW=");
  atc_gui_test_settle (300);
  g_assert_true (g_file_get_contents (path, &stored, NULL, NULL));
  g_assert_null (strstr (stored, "secret1"));
  g_assert_nonnull (strstr (stored, "AT+CMDPW=\n"));

  /* A saved log is the redacted one. */
  atc_console_page_save_log (ATC_CONSOLE_PAGE (console.page), file);
  atc_gui_test_settle (300);
  g_assert_true (g_file_get_contents (log_file, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "> AT+CMDPW=•••"));
  g_assert_null (strstr (saved, "secret1"));
  g_unlink (log_file);

  g_free (atc_gui_test_screenshot (GTK_WIDGET (console.window), "console-secret"));
  console_close (&console);
}

static void
test_invalid_line_refused (void)
{
  Console console = { 0 };
  GtkLabel *status;
  guint before;

  console_open (&console, 1000, 720);

  before = log_length (&console);
  type_and_send (&console, "AT+VER;AT+CSQ", NULL);
  atc_gui_test_settle (200);

  /* Nothing went out; the reason is shown and the line is back to fix. */
  g_assert_cmpint (log_find (&console, before, ATC_LOG_TX, ";"), <, 0);
  status = status_label (&console);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "“;”"));
  g_assert_cmpstr (entry_text (&console), ==, "AT+VER;AT+CSQ");

  g_free (atc_gui_test_screenshot (GTK_WIDGET (console.window), "console-refused"));

  /* Fixing the line hides the complaint. */
  gtk_editable_set_text (GTK_EDITABLE (console.entry), "AT+VER");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (status)));

  /* A refusal of the unit itself is explained too. */
  type_and_send (&console, "AT+UARTFT=abc", "ERR");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (status)));
  g_assert_nonnull (strstr (gtk_label_get_text (status), "UARTFT"));

  console_close (&console);
}

/* The target of the item labelled `label` in a menu with sections. */
static char *
menu_item_target (GMenuModel *menu,
                  const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autofree char *item_label = NULL;
      g_autofree char *target = NULL;

      if (section != NULL)
        {
          char *found = menu_item_target (section, label);

          if (found != NULL)
            return found;
          continue;
        }
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) &&
          g_str_equal (item_label, label) &&
          g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_TARGET, "s", &target))
        return g_steal_pointer (&target);
    }

  return NULL;
}

static void
test_common_commands (void)
{
  Console console = { 0 };
  GtkMenuButton *button;
  GMenuModel *menu;
  const char *expected[] = { "AT", "AT+VER", "AT+CSQ", "AT+SN", "AT+IMEI" };
  g_autofree char *csq = NULL;
  guint before;

  console_open (&console, 1000, 720);

  button = GTK_MENU_BUTTON (atc_gui_test_find (console.page, GTK_TYPE_MENU_BUTTON, NULL));
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (button)), ==, "Common Commands");
  menu = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (menu);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *target = menu_item_target (menu, expected[i]);

      g_assert_cmpstr (target, ==, expected[i]);
    }

  /* Picking one sends it and leaves the typed line alone. */
  csq = menu_item_target (menu, "AT+CSQ");
  gtk_editable_set_text (GTK_EDITABLE (console.entry), "AT+UART");
  before = log_length (&console);
  g_assert_true (gtk_widget_activate_action (console.page, "console.send", "s", csq));
  g_assert_true (atc_gui_test_wait (log_has_reply, &(LogWait) { &console, before, "+CSQ:", "AT+CSQ" }, 10000));
  g_assert_cmpstr (entry_text (&console), ==, "AT+UART");

  console_close (&console);
}

static void
clipboard_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
text_read (gpointer data)
{
  return *(char **) data != NULL;
}

static void
test_log_actions (void)
{
  Console console = { 0 };
  g_autofree char *copied = NULL;

  console_open (&console, 1000, 720);
  g_assert_cmpuint (log_length (&console), >, 0);

  /* Copy gives the whole log as text, as a file would hold it. */
  g_assert_true (gtk_widget_activate_action (console.page, "console.copy", NULL));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (console.page), NULL, clipboard_read_cb, &copied);
  g_assert_true (atc_gui_test_wait (text_read, &copied, 5000));
  g_assert_nonnull (strstr (copied, "> AT+VER<CR><LF>"));
  g_assert_nonnull (strstr (copied, "< <CR><LF>+VER:V1.1.05<CR><LF>"));

  /* Clear empties it; new traffic shows up again. */
  g_assert_true (gtk_widget_activate_action (console.page, "console.clear", NULL));
  atc_gui_test_settle (100);
  g_assert_cmpuint (log_length (&console), ==, 0);
  g_assert_true (gtk_widget_is_drawable (atc_gui_test_find (console.page, GTK_TYPE_LABEL, "Nothing exchanged yet")));

  type_and_send (&console, "AT+VER", "+VER:");
  g_assert_cmpint (log_find (&console, 0, ATC_LOG_TX, "AT+VER"), ==, 0);
  g_assert_false (gtk_widget_get_visible (atc_gui_test_find (console.page, GTK_TYPE_LABEL, "Nothing exchanged yet")));

  console_close (&console);
}

static void
test_reading_back_is_not_interrupted (void)
{
  Console console = { 0 };
  GtkWidget *scroller;
  GtkAdjustment *adjustment;
  GtkWidget *jump;
  AtcLogView *view;
  guint before;

  console_open (&console, 1000, 480);
  view = ATC_LOG_VIEW (atc_gui_test_find (console.page, ATC_TYPE_LOG_VIEW, NULL));
  scroller = log_scroller (&console);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  jump = atc_gui_test_find (GTK_WIDGET (view), GTK_TYPE_BUTTON, NULL);
  g_assert_true (atc_log_view_get_following (view));
  g_assert_false (gtk_widget_get_visible (jump));

  /* The technician scrolls up to read the handshake... */
  gtk_adjustment_set_value (adjustment, 0);
  atc_gui_test_settle (100);
  g_assert_false (atc_log_view_get_following (view));
  g_assert_true (gtk_widget_get_visible (jump));

  /* ...and lines other pages cause (the monitor polling) do not pull the
   * log away from it. */
  before = log_length (&console);
  atc_session_query_async (console.session, "CSQ", NULL, NULL, NULL);
  g_assert_true (atc_gui_test_wait (log_has_reply, &(LogWait) { &console, before, "+CSQ:", "AT+CSQ" }, 10000));
  atc_gui_test_settle (200);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), <, 1);
  g_assert_null (find_shown_label (scroller, scroller, "+CSQ:"));
  g_free (atc_gui_test_screenshot (GTK_WIDGET (console.window), "console-scrolled-up"));

  /* The button brings the newest back, and following resumes. */
  g_signal_emit_by_name (jump, "clicked");
  atc_gui_test_settle (200);
  g_assert_true (atc_log_view_get_following (view));
  g_assert_false (gtk_widget_get_visible (jump));
  g_assert_nonnull (find_shown_label (scroller, scroller, "+CSQ:"));

  /* Sending a line also shows its reply, wherever the log was. */
  gtk_adjustment_set_value (adjustment, 0);
  atc_gui_test_settle (100);
  g_assert_false (atc_log_view_get_following (view));
  type_and_send (&console, "AT+VER", "+VER:");
  g_assert_true (atc_log_view_get_following (view));
  g_assert_nonnull (find_shown_label (scroller, scroller, "+VER:V1.1.05"));

  console_close (&console);
}

static void
test_narrow_console (void)
{
  Console console = { 0 };
  GtkWidget *send;
  GtkWidget *popover;
  graphene_rect_t bounds;

  console_open (&console, 360, 640);

  type_and_send (&console, "AT+VER", "V1.1.05");
  type_and_send (&console, "AT+CSQ", "+CSQ:");
  gtk_editable_set_text (GTK_EDITABLE (console.entry), "AT+UART?");

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (console.window)), <=, 400);
  /* The command line keeps room to type, and Send stays on screen. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (console.entry)), >=, 120);
  send = atc_gui_test_find (console.page, GTK_TYPE_BUTTON, "Send");
  g_assert_nonnull (send);
  g_assert_true (gtk_widget_compute_bounds (send, GTK_WIDGET (console.window), &bounds));
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (console.window)));
  g_assert_nonnull (find_shown_label (log_scroller (&console), log_scroller (&console), "+CSQ:"));

  g_free (atc_gui_test_screenshot (GTK_WIDGET (console.window), "console-narrow"));

  /* The completion list fits too. */
  gtk_editable_set_text (GTK_EDITABLE (console.entry), "AT+SOCK");
  gtk_editable_set_position (GTK_EDITABLE (console.entry), -1);
  g_assert_true (press_key (&console, GDK_KEY_Tab));
  atc_gui_test_settle (200);
  popover = atc_gui_test_find (GTK_WIDGET (console.entry), GTK_TYPE_POPOVER, NULL);
  g_assert_true (gtk_widget_get_visible (popover));
  g_assert_cmpint (gtk_widget_get_width (popover), <=, 360);
  g_free (atc_gui_test_screenshot (popover, "console-narrow-completion-list"));

  /* Escape closes the list. (Closed before the window: GTK 4.8 polls the
   * pointer on a destroyed surface when a window goes with a popover up.) */
  gtk_popover_popdown (GTK_POPOVER (popover));
  atc_gui_test_settle (100);
  g_assert_cmpstr (entry_text (&console), ==, "AT+SOCK");

  console_close (&console);
}

static void
test_empty_without_unit (void)
{
  g_autoptr(AtcApplication) app = NULL;
  AtcWindow *window = atc_gui_test_new_window_sized (&app, 360, 640);
  GtkWidget *page;

  atc_window_show_page (window, "console");
  atc_gui_test_settle (100);
  page = atc_gui_test_find (GTK_WIDGET (window), ATC_TYPE_CONSOLE_PAGE, NULL);
  g_assert_nonnull (atc_gui_test_find (page, ADW_TYPE_STATUS_PAGE, NULL));
  g_assert_true (gtk_widget_is_drawable (atc_gui_test_find (page, ADW_TYPE_STATUS_PAGE, NULL)));

  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), "console-no-unit-narrow"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* The console history goes to a private place, not the real one. */
  state_dir = g_dir_make_tmp ("atconf-gui-console-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);

  atc_gui_test_init (&argc, &argv);
  /* A blinking cursor redraws between frames, when a screenshot finds
   * nothing to copy. */
  g_object_set (gtk_settings_get_default (), "gtk-cursor-blink", FALSE, NULL);

  g_test_add_func ("/gui/console/send-shows-reply", test_send_shows_reply);
  g_test_add_func ("/gui/console/history-recall", test_history_recall);
  g_test_add_func ("/gui/console/tab-completes-command-names", test_tab_completes_command_names);
  g_test_add_func ("/gui/console/secret-never-shown-or-kept", test_secret_never_shown_or_kept);
  g_test_add_func ("/gui/console/invalid-line-refused", test_invalid_line_refused);
  g_test_add_func ("/gui/console/common-commands", test_common_commands);
  g_test_add_func ("/gui/console/log-actions", test_log_actions);
  g_test_add_func ("/gui/console/reading-back-is-not-interrupted", test_reading_back_is_not_interrupted);
  g_test_add_func ("/gui/console/narrow", test_narrow_console);
  g_test_add_func ("/gui/console/empty-without-unit", test_empty_without_unit);

  status = g_test_run ();

  {
    g_autofree char *history = g_build_filename (state_dir, "atconf", "console-history", NULL);
    g_autofree char *dir = g_build_filename (state_dir, "atconf", NULL);

    g_unlink (history);
    g_rmdir (dir);
    g_rmdir (state_dir);
  }
  g_free (state_dir);

  return status;
}
