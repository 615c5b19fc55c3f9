/* test-gui-i18n.c: the app speaks German and Simplified Chinese
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is built in each language the app ships, with the
 * translations compiled in the build tree, and what a technician reads
 * first (the page names, the catalog's labels) must be in that language.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "atc-gui-test-util.h"
#include "atc-model.h"

typedef struct {
  const char *locale;
  const char *pages[5];      /* Device, Configure, Monitor, Console, Provision */
  const char *baud_label;    /* the G781 catalog's "Baud rate" */
} Language;

static const Language languages[] = {
  { "de_DE.UTF-8",
    { "Gerät", "Konfigurieren", "Überwachen", "Konsole", "Bereitstellen" },
    "Baudrate" },
  { "zh_CN.UTF-8",
    { "设备", "配置", "监控", "控制台", "批量配置" },
    "波特率" },
};

static void
use_locale (const char *locale)
{
  g_autofree char *dir = g_build_filename (g_getenv ("ATC_LOCALE_DIR"), NULL);

  if (setlocale (LC_ALL, locale) == NULL)
    g_error ("the locale %s is not installed (build-aux/install-deps generates it)", locale);
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

static void
test_window_in_language (gconstpointer data)
{
  const Language *language = data;
  g_autoptr(AtcApplication) app = NULL;
  g_autoptr(AtcModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *shot = NULL;
  const AtcParam *baud;
  AdwViewStack *stack;
  AtcWindow *window;
  GListModel *pages;

  use_locale (language->locale);

  window = atc_gui_test_new_window (&app);
  stack = ADW_VIEW_STACK (atc_gui_test_find (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL));
  g_assert_nonnull (stack);

  pages = G_LIST_MODEL (adw_view_stack_get_pages (stack));
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, G_N_ELEMENTS (language->pages));
  for (guint i = 0; i < G_N_ELEMENTS (language->pages); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (pages, i);

      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, language->pages[i]);
    }
  g_object_unref (pages);

  /* The catalog's words are translated as they are loaded. */
  catalog = g_build_filename (g_getenv ("ATC_CATALOG_DIR"), "g781.json", NULL);
  model = atc_model_new_from_file (catalog, &error);
  g_assert_no_error (error);
  baud = atc_command_lookup_param (atc_model_lookup (model, "UART"), "baud_rate");
  g_assert_cmpstr (baud->label, ==, language->baud_label);
  /* Wire words never are. */
  g_assert_cmpstr (baud->default_value, ==, "115200");

  shot = g_strdup_printf ("window-%s", language->locale);
  g_free (atc_gui_test_screenshot (GTK_WIDGET (window), shot));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  atc_gui_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      g_autofree char *path = g_strdup_printf ("/gui/i18n/%s", languages[i].locale);

      g_test_add_data_func (path, &languages[i], test_window_in_language);
    }

  return g_test_run ();
}
