/* atc-device-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "atc-catalog.h"
#include "atc-device-page.h"
#include "atc-port-list.h"

struct _AtcDevicePage
{
  AtcPage          parent_instance;

  GSettings       *settings;
  AtcPortList     *ports;
  GArray          *baud_rates;     /* guint, index 0 = automatic */
  char            *last_address;
  GCancellable    *facts;

  /* template children */
  GtkStack        *status_stack;
  GtkSpinner      *spinner;
  GtkLabel        *connecting_label;
  GtkLabel        *failed_heading;
  GtkLabel        *failed_message;
  GtkListBox      *unit_list;
  GtkListBox      *port_list;
  AdwComboRow     *baud_row;
  AdwComboRow     *data_bits_row;
  AdwComboRow     *parity_row;
  AdwComboRow     *stop_bits_row;
  AdwComboRow     *flow_row;
  AdwEntryRow     *bridge_row;
  AdwEntryRow     *bridge_password_row;
};

G_DEFINE_FINAL_TYPE (AtcDevicePage, atc_device_page, ATC_TYPE_PAGE)

enum {
  CONNECT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* GSettings enum nicks, in combo row order. */
static const char *parity_names[] = { "none", "odd", "even", "mark", "space", NULL };
static const char *flow_names[] = { "none", "rtscts", "xonxoff", NULL };

static void
atc_device_page_request (AtcDevicePage *self,
                         const char    *address)
{
  g_free (self->last_address);
  self->last_address = g_strdup (address);
  g_signal_emit (self, signals[CONNECT_REQUESTED], 0, address);
}

/* "serial:/dev/ttyUSB0?baud=115200&data=8&parity=none&stop=1&flow=none";
 * no baud when automatic, so the session searches. */
static char *
atc_device_page_serial_address (AtcDevicePage *self,
                                const char    *path)
{
  GString *address = g_string_new ("serial:");
  guint baud_index = adw_combo_row_get_selected (self->baud_row);
  guint data_bits = 5 + adw_combo_row_get_selected (self->data_bits_row);
  guint parity = adw_combo_row_get_selected (self->parity_row);
  guint stop_bits = 1 + adw_combo_row_get_selected (self->stop_bits_row);
  guint flow = adw_combo_row_get_selected (self->flow_row);

  g_string_append (address, path);
  g_string_append_printf (address, "?data=%u&parity=%s&stop=%u&flow=%s",
                          data_bits,
                          parity_names[MIN (parity, G_N_ELEMENTS (parity_names) - 2)],
                          stop_bits,
                          flow_names[MIN (flow, G_N_ELEMENTS (flow_names) - 2)]);
  if (baud_index > 0 && baud_index < self->baud_rates->len)
    g_string_append_printf (address, "&baud=%u", g_array_index (self->baud_rates, guint, baud_index));

  return g_string_free (address, FALSE);
}

static void
port_row_activated_cb (AdwActionRow  *row,
                       AtcDevicePage *self)
{
  const char *path = g_object_get_data (G_OBJECT (row), "port-name");
  g_autofree char *address = atc_device_page_serial_address (self, path);

  atc_device_page_request (self, address);
}

static GtkWidget *
atc_device_page_port_row (AtcDevicePage     *self,
                          const AtcPortInfo *info)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), info->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);

  if (info->description != NULL)
    g_string_append (subtitle, info->description);
  if (info->transport == ATC_PORT_TRANSPORT_USB)
    g_string_append_printf (subtitle, "%sUSB %04x:%04x", subtitle->len ? " · " : "",
                            info->usb_vid, info->usb_pid);
  if (info->serial != NULL)
    g_string_append_printf (subtitle, "%s%s %s", subtitle->len ? " · " : "",
                            _("serial number"), info->serial);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);

  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (info->transport == ATC_PORT_TRANSPORT_USB
                                                           ? "drive-harddisk-usb-symbolic"
                                                           : "computer-symbolic"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  g_object_set_data_full (G_OBJECT (row), "port-name", g_strdup (info->name), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (port_row_activated_cb), self, 0);

  return row;
}

static void
atc_device_page_fill_ports (AtcDevicePage *self)
{
  GPtrArray *ports = atc_port_list_get_ports (self->ports);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->port_list))) != NULL)
    gtk_list_box_remove (self->port_list, child);

  for (guint i = 0; ports != NULL && i < ports->len; i++)
    gtk_list_box_append (self->port_list, atc_device_page_port_row (self, g_ptr_array_index (ports, i)));
}

static void
ports_changed_cb (AtcDevicePage *self,
                  GPtrArray     *added,
                  GPtrArray     *removed,
                  AtcPortList   *ports)
{
  atc_device_page_fill_ports (self);
}

static void
bridge_apply_cb (AtcDevicePage *self)
{
  const char *target = gtk_editable_get_text (GTK_EDITABLE (self->bridge_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->bridge_password_row));
  g_autofree char *address = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (target));

  if (trimmed[0] == '\0')
    return;

  if (g_str_has_prefix (trimmed, "tcp:"))
    address = g_strdup (trimmed);
  else
    address = g_strconcat ("tcp:", trimmed, NULL);

  if (password[0] != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (password, NULL, FALSE);
      g_autofree char *with_password = g_strconcat (address, "?password=", escaped, NULL);

      g_free (address);
      address = g_steal_pointer (&with_password);
    }

  atc_device_page_request (self, address);
}

static void
connect_address_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  atc_device_page_request (ATC_DEVICE_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AtcDevicePage *self = ATC_DEVICE_PAGE (widget);

  if (self->last_address != NULL)
    g_signal_emit (self, signals[CONNECT_REQUESTED], 0, self->last_address);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  atc_port_list_refresh (ATC_DEVICE_PAGE (widget)->ports);
}

static GtkWidget *
atc_device_page_fact_row (const char *title,
                          const char *value)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (value);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);

  return row;
}

static void
atc_device_page_clear_facts (AtcDevicePage *self)
{
  GtkWidget *child;

  g_cancellable_cancel (self->facts);
  g_clear_object (&self->facts);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->unit_list))) != NULL)
    gtk_list_box_remove (self->unit_list, child);
}

typedef struct
{
  AtcDevicePage    *self;
  const AtcCommand *command;
} FactQuery;

static void
fact_query_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FactQuery *query = user_data;
  g_auto(GStrv) values = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;

  values = atc_session_query_finish (ATC_SESSION (object), result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      const AtcParam *param = query->command->params->len > 0 ? g_ptr_array_index (query->command->params, 0) : NULL;
      const char *title = param && param->label ? param->label : query->command->name;

      joined = values ? g_strjoinv (", ", values) : g_strdup_printf (_("not read: %s"), error->message);
      gtk_list_box_append (query->self->unit_list, atc_device_page_fact_row (title, joined));
    }

  g_object_unref (query->self);
  g_free (query);
}

static void
atc_device_page_read_facts (AtcDevicePage      *self,
                            const AtcDetection *detection)
{
  AtcSession *session = atc_page_get_session (ATC_PAGE (self));
  GPtrArray *commands;

  if (session == NULL || detection->model == NULL)
    return;

  self->facts = g_cancellable_new ();
  commands = atc_model_get_commands (detection->model);

  /* Identity facts (serial number, IMEI, ICCID, MAC) tell the technician
   * which unit this is; VER is already shown from detection. */
  for (guint i = 0; i < commands->len; i++)
    {
      const AtcCommand *command = g_ptr_array_index (commands, i);
      FactQuery *query;

      if (!command->identity || g_ascii_strcasecmp (command->name, "VER") == 0)
        continue;

      query = g_new0 (FactQuery, 1);
      query->self = g_object_ref (self);
      query->command = command;
      atc_session_query_async (session, command->name, self->facts, fact_query_cb, query);
    }
}

void
atc_device_page_set_connecting (AtcDevicePage *self,
                                const char    *address)
{
  g_autofree char *text = NULL;

  g_return_if_fail (ATC_IS_DEVICE_PAGE (self));

  atc_device_page_clear_facts (self);
  g_free (self->last_address);
  self->last_address = g_strdup (address);

  text = g_strdup_printf (_("Connecting to %s and identifying the unit…"), address);
  gtk_label_set_text (self->connecting_label, text);
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->status_stack, "connecting");
}

void
atc_device_page_set_connected (AtcDevicePage      *self,
                               const char         *address,
                               const AtcDetection *detection)
{
  g_autofree char *baud = NULL;

  g_return_if_fail (ATC_IS_DEVICE_PAGE (self));

  atc_device_page_clear_facts (self);
  gtk_spinner_stop (self->spinner);

  gtk_list_box_append (self->unit_list, atc_device_page_fact_row (_("Model"), atc_model_get_name (detection->model)));
  gtk_list_box_append (self->unit_list, atc_device_page_fact_row (_("Firmware"),
                                                                  detection->firmware ? detection->firmware : _("unknown")));
  gtk_list_box_append (self->unit_list, atc_device_page_fact_row (_("Address"), address));
  if (detection->baud != 0)
    {
      baud = g_strdup_printf (_("%u baud"), detection->baud);
      gtk_list_box_append (self->unit_list, atc_device_page_fact_row (_("Line Speed"), baud));
    }
  gtk_list_box_append (self->unit_list, atc_device_page_fact_row (_("Command Echo"),
                                                                  detection->echo ? _("On") : _("Off")));

  gtk_stack_set_visible_child_name (self->status_stack, "connected");
  atc_device_page_read_facts (self, detection);
}

void
atc_device_page_set_failed (AtcDevicePage *self,
                            const char    *address,
                            const GError  *error)
{
  g_autofree char *heading = NULL;

  g_return_if_fail (ATC_IS_DEVICE_PAGE (self));

  atc_device_page_clear_facts (self);
  gtk_spinner_stop (self->spinner);

  heading = g_strdup_printf (_("Could not connect to %s"), address);
  gtk_label_set_text (self->failed_heading, heading);
  gtk_label_set_text (self->failed_message, error ? error->message : _("Unknown error"));
  gtk_stack_set_visible_child_name (self->status_stack, "failed");
}

void
atc_device_page_set_disconnected (AtcDevicePage *self)
{
  g_return_if_fail (ATC_IS_DEVICE_PAGE (self));

  atc_device_page_clear_facts (self);
  gtk_spinner_stop (self->spinner);
  gtk_stack_set_visible_child_name (self->status_stack, "idle");
}

static gboolean
selected_from_setting (GValue   *value,
                       GVariant *variant,
                       gpointer  user_data)
{
  const char * const *names = user_data;
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_equal (names[i], nick))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
selected_to_setting (const GValue       *value,
                     const GVariantType *type,
                     gpointer            user_data)
{
  const char * const *names = user_data;
  guint index = g_value_get_uint (value);

  if (index >= g_strv_length ((char **) names))
    return NULL;

  return g_variant_new_string (names[index]);
}

static gboolean
offset_from_setting (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  g_value_set_uint (value, g_variant_get_uint32 (variant) - GPOINTER_TO_UINT (user_data));
  return TRUE;
}

static GVariant *
offset_to_setting (const GValue       *value,
                   const GVariantType *type,
                   gpointer            user_data)
{
  return g_variant_new_uint32 (g_value_get_uint (value) + GPOINTER_TO_UINT (user_data));
}

static gboolean
baud_from_setting (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  AtcDevicePage *self = user_data;
  guint baud = g_variant_get_uint32 (variant);

  for (guint i = 0; i < self->baud_rates->len; i++)
    if (g_array_index (self->baud_rates, guint, i) == baud)
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
baud_to_setting (const GValue       *value,
                 const GVariantType *type,
                 gpointer            user_data)
{
  AtcDevicePage *self = user_data;
  guint index = g_value_get_uint (value);

  if (index >= self->baud_rates->len)
    return NULL;

  return g_variant_new_uint32 (g_array_index (self->baud_rates, guint, index));
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a;
  guint y = *(const guint *) b;

  return (x > y) - (x < y);
}

/* "Automatic" and every rate any known model supports, from the catalog. */
static void
atc_device_page_setup_baud_rates (AtcDevicePage *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *models = atc_catalog_get_models (atc_catalog_get_default ());
  guint automatic = 0;

  self->baud_rates = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < models->len; i++)
    {
      guint n_rates = 0;
      const guint *rates = atc_model_get_baud_rates (g_ptr_array_index (models, i), &n_rates);

      for (guint j = 0; j < n_rates; j++)
        {
          gboolean known = FALSE;

          for (guint k = 0; k < self->baud_rates->len && !known; k++)
            known = g_array_index (self->baud_rates, guint, k) == rates[j];
          if (!known)
            g_array_append_val (self->baud_rates, rates[j]);
        }
    }

  g_array_sort (self->baud_rates, compare_uint);
  g_array_prepend_val (self->baud_rates, automatic);

  gtk_string_list_append (labels, _("Automatic"));
  for (guint i = 1; i < self->baud_rates->len; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", g_array_index (self->baud_rates, guint, i));
      gtk_string_list_append (labels, text);
    }

  adw_combo_row_set_model (self->baud_row, G_LIST_MODEL (labels));
}

static void
atc_device_page_dispose (GObject *object)
{
  AtcDevicePage *self = ATC_DEVICE_PAGE (object);

  atc_device_page_clear_facts (self);
  g_clear_object (&self->ports);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->baud_rates, g_array_unref);
  g_clear_pointer (&self->last_address, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATC_TYPE_DEVICE_PAGE);

  G_OBJECT_CLASS (atc_device_page_parent_class)->dispose (object);
}

static void
atc_device_page_class_init (AtcDevicePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = atc_device_page_dispose;

  /**
   * AtcDevicePage::connect-requested:
   * @address: the device address to connect to
   */
  signals[CONNECT_REQUESTED] =
    g_signal_new ("connect-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/atconf/Atconf/atc-device-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, status_stack);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, connecting_label);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, failed_heading);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, failed_message);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, unit_list);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, port_list);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, baud_row);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, data_bits_row);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, parity_row);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, stop_bits_row);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, flow_row);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, bridge_row);
  gtk_widget_class_bind_template_child (widget_class, AtcDevicePage, bridge_password_row);
  gtk_widget_class_bind_template_callback (widget_class, bridge_apply_cb);

  gtk_widget_class_install_action (widget_class, "device.connect-address", "s", connect_address_action);
  gtk_widget_class_install_action (widget_class, "device.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "device.refresh", NULL, refresh_action);
}

static void
atc_device_page_init (AtcDevicePage *self)
{
  GtkWidget *placeholder;
  g_autoptr(AtcPortList) ports = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  atc_device_page_setup_baud_rates (self);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind_with_mapping (self->settings, "baud-rate", self->baud_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, baud_from_setting, baud_to_setting,
                                self, NULL);
  g_settings_bind_with_mapping (self->settings, "data-bits", self->data_bits_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, offset_from_setting, offset_to_setting,
                                GUINT_TO_POINTER (5), NULL);
  g_settings_bind_with_mapping (self->settings, "stop-bits", self->stop_bits_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, offset_from_setting, offset_to_setting,
                                GUINT_TO_POINTER (1), NULL);
  g_settings_bind_with_mapping (self->settings, "parity", self->parity_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, selected_from_setting, selected_to_setting,
                                parity_names, NULL);
  g_settings_bind_with_mapping (self->settings, "flow-control", self->flow_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, selected_from_setting, selected_to_setting,
                                flow_names, NULL);

  placeholder = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (placeholder), _("No serial ports found"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (placeholder),
                               _("Plug in a USB serial adapter; the list updates by itself."));
  gtk_list_box_set_placeholder (self->port_list, placeholder);

  /* Re-listing periodically also works inside Flatpak, where udev events
   * do not arrive. */
  ports = atc_port_list_new ();
  atc_device_page_set_port_list (self, ports);
}

void
atc_device_page_set_port_list (AtcDevicePage *self,
                               AtcPortList   *ports)
{
  g_return_if_fail (ATC_IS_DEVICE_PAGE (self));
  g_return_if_fail (ATC_IS_PORT_LIST (ports));

  if (self->ports != NULL)
    g_signal_handlers_disconnect_by_data (self->ports, self);
  g_set_object (&self->ports, ports);
  g_signal_connect_object (self->ports, "changed", G_CALLBACK (ports_changed_cb), self, G_CONNECT_SWAPPED);
  atc_device_page_fill_ports (self);
}
