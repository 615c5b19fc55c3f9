/* test-packaging.c: the Flatpak manifest has what a sandboxed Atconf needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

static JsonObject *manifest;

static gboolean
array_contains (JsonArray  *array,
                const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;

  return FALSE;
}

static JsonObject *
find_module (const char *name)
{
  JsonArray *modules = json_object_get_array_member (manifest, "modules");

  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);

      if (g_strcmp0 (json_object_get_string_member (module, "name"), name) == 0)
        return module;
    }

  return NULL;
}

static void
test_manifest_identity (void)
{
  g_assert_cmpstr (json_object_get_string_member (manifest, "id"), ==, APP_ID);
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, "atconf");
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");
  /* A GNOME release number, not "master": builds must be reproducible. */
  g_assert_true (g_ascii_isdigit (json_object_get_string_member (manifest, "runtime-version")[0]));
}

static void
test_manifest_permissions (void)
{
  JsonArray *args = json_object_get_array_member (manifest, "finish-args");

  /* Serial ports are device nodes. */
  g_assert_true (array_contains (args, "--device=all"));
  /* Wayland first, X11 only as fallback. */
  g_assert_true (array_contains (args, "--socket=wayland"));
  g_assert_true (array_contains (args, "--socket=fallback-x11"));
  g_assert_false (array_contains (args, "--socket=x11"));
  /* The network only for TCP serial bridges; nothing broader. */
  g_assert_true (array_contains (args, "--share=network"));
  g_assert_false (array_contains (args, "--filesystem=host"));
  g_assert_false (array_contains (args, "--filesystem=home"));
}

static void
test_manifest_libserialport_module (void)
{
  JsonObject *module = find_module ("libserialport");
  JsonObject *source;
  const char *sha256;

  g_assert_nonnull (module);
  source = json_array_get_object_element (json_object_get_array_member (module, "sources"), 0);
  g_assert_cmpstr (json_object_get_string_member (source, "type"), ==, "archive");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (source, "url"),
                                   "/libserialport-0.1.2.tar.gz"));

  sha256 = json_object_get_string_member (source, "sha256");
  g_assert_cmpuint (strlen (sha256), ==, 64);
  for (const char *c = sha256; *c; c++)
    g_assert_true (g_ascii_isxdigit (*c));
}

static void
test_manifest_app_module_and_cleanup (void)
{
  JsonObject *module = find_module ("atconf");
  JsonArray *cleanup = json_object_get_array_member (manifest, "cleanup");
  JsonArray *modules = json_object_get_array_member (manifest, "modules");
  guint n = json_array_get_length (modules);

  g_assert_nonnull (module);
  g_assert_cmpstr (json_object_get_string_member (module, "buildsystem"), ==, "meson");
  /* The app builds last, on top of its dependencies. */
  g_assert_true (json_array_get_object_element (modules, n - 1) == module);

  g_assert_true (array_contains (cleanup, "/include"));
  g_assert_true (array_contains (cleanup, "*.a"));
  g_assert_true (array_contains (cleanup, "/lib/pkgconfig"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_test_init (&argc, &argv, NULL);

  path = g_test_build_filename (G_TEST_DIST, "..", "flatpak", APP_ID ".json", NULL);
  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s: %s", path, error->message);
  manifest = json_node_get_object (json_parser_get_root (parser));

  g_test_add_func ("/packaging/flatpak/identity", test_manifest_identity);
  g_test_add_func ("/packaging/flatpak/permissions", test_manifest_permissions);
  g_test_add_func ("/packaging/flatpak/libserialport", test_manifest_libserialport_module);
  g_test_add_func ("/packaging/flatpak/app-module-and-cleanup", test_manifest_app_module_and_cleanup);

  return g_test_run ();
}
