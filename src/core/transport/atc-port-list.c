/* atc-port-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libserialport.h>
#include <stdlib.h>

#include "atc-error.h"
#include "atc-port-list.h"

#define DEFAULT_INTERVAL_MS 2000
#define MIN_INTERVAL_MS     100
#define BY_ID_DIR           "/dev/serial/by-id"

G_DEFINE_BOXED_TYPE (AtcPortInfo, atc_port_info, atc_port_info_copy, atc_port_info_free)

AtcPortInfo *
atc_port_info_new (const char *name)
{
  AtcPortInfo *info;

  g_return_val_if_fail (name != NULL, NULL);

  info = g_new0 (AtcPortInfo, 1);
  info->name = g_strdup (name);
  info->transport = ATC_PORT_TRANSPORT_NATIVE;

  return info;
}

AtcPortInfo *
atc_port_info_copy (const AtcPortInfo *info)
{
  AtcPortInfo *copy;

  g_return_val_if_fail (info != NULL, NULL);

  copy = atc_port_info_new (info->name);
  copy->description = g_strdup (info->description);
  copy->transport = info->transport;
  copy->usb_vid = info->usb_vid;
  copy->usb_pid = info->usb_pid;
  copy->manufacturer = g_strdup (info->manufacturer);
  copy->product = g_strdup (info->product);
  copy->serial = g_strdup (info->serial);
  copy->by_id = g_strdup (info->by_id);

  return copy;
}

void
atc_port_info_free (AtcPortInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->name);
  g_free (info->description);
  g_free (info->manufacturer);
  g_free (info->product);
  g_free (info->serial);
  g_free (info->by_id);
  g_free (info);
}

gboolean
atc_port_info_equal (const AtcPortInfo *a,
                     const AtcPortInfo *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->name, b->name) == 0 && a->transport == b->transport &&
         a->usb_vid == b->usb_vid && a->usb_pid == b->usb_pid &&
         g_strcmp0 (a->serial, b->serial) == 0;
}

const char *
atc_port_transport_to_string (AtcPortTransport transport)
{
  switch (transport)
    {
    case ATC_PORT_TRANSPORT_USB:
      return "USB";
    case ATC_PORT_TRANSPORT_BLUETOOTH:
      return "Bluetooth";
    case ATC_PORT_TRANSPORT_NATIVE:
    default:
      return "native";
    }
}

char *
atc_port_info_to_string (const AtcPortInfo *info)
{
  GString *str;

  g_return_val_if_fail (info != NULL, NULL);

  str = g_string_new (info->name);
  if (info->description != NULL && *info->description != '\0')
    g_string_append_printf (str, " — %s", info->description);
  else if (info->product != NULL)
    g_string_append_printf (str, " — %s", info->product);
  if (info->transport == ATC_PORT_TRANSPORT_USB)
    g_string_append_printf (str, " (%04x:%04x)", info->usb_vid, info->usb_pid);
  else if (info->transport == ATC_PORT_TRANSPORT_BLUETOOTH)
    g_string_append (str, " (Bluetooth)");

  return g_string_free (str, FALSE);
}

static int
compare_ports (gconstpointer a,
               gconstpointer b)
{
  const AtcPortInfo *pa = *(const AtcPortInfo *const *) a;
  const AtcPortInfo *pb = *(const AtcPortInfo *const *) b;

  return g_strcmp0 (pa->name, pb->name);
}

/* resolved device path -> /dev/serial/by-id/ link, the name that survives
 * re-plugging. */
static GHashTable *
read_by_id_links (void)
{
  GHashTable *links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GDir) dir = g_dir_open (BY_ID_DIR, 0, NULL);
  const char *entry;

  while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link = g_build_filename (BY_ID_DIR, entry, NULL);
      char *target = realpath (link, NULL);

      if (target != NULL)
        {
          g_hash_table_replace (links, g_strdup (target), g_steal_pointer (&link));
          free (target);
        }
    }

  return links;
}

static char *
dup_nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? g_strdup (s) : NULL;
}

GPtrArray *
atc_port_list_enumerate (GError **error)
{
  g_autoptr (GPtrArray) ports = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_port_info_free);
  g_autoptr (GHashTable) by_id = NULL;
  struct sp_port **list = NULL;

  if (sp_list_ports (&list) != SP_OK)
    {
      char *message = sp_last_error_message ();

      g_set_error (error, ATC_ERROR, ATC_ERROR_FAILED,
                   _("Could not list the serial ports: %s."), message ? message : "?");
      sp_free_error_message (message);
      return NULL;
    }

  by_id = read_by_id_links ();

  for (guint i = 0; list[i] != NULL; i++)
    {
      struct sp_port *port = list[i];
      AtcPortInfo *info = atc_port_info_new (sp_get_port_name (port));

      info->description = dup_nonempty (sp_get_port_description (port));
      switch (sp_get_port_transport (port))
        {
        case SP_TRANSPORT_USB:
          {
            int vid = 0, pid = 0;

            info->transport = ATC_PORT_TRANSPORT_USB;
            if (sp_get_port_usb_vid_pid (port, &vid, &pid) == SP_OK)
              {
                info->usb_vid = (guint16) vid;
                info->usb_pid = (guint16) pid;
              }
            info->manufacturer = dup_nonempty (sp_get_port_usb_manufacturer (port));
            info->product = dup_nonempty (sp_get_port_usb_product (port));
            info->serial = dup_nonempty (sp_get_port_usb_serial (port));
          }
          break;
        case SP_TRANSPORT_BLUETOOTH:
          info->transport = ATC_PORT_TRANSPORT_BLUETOOTH;
          break;
        case SP_TRANSPORT_NATIVE:
        default:
          info->transport = ATC_PORT_TRANSPORT_NATIVE;
          break;
        }
      info->by_id = g_strdup (g_hash_table_lookup (by_id, info->name));

      g_ptr_array_add (ports, info);
    }

  sp_free_port_list (list);
  g_ptr_array_sort (ports, compare_ports);

  return g_steal_pointer (&ports);
}

/* ------------------------------------------------------------------ */

struct _AtcPortList
{
  GObject          parent_instance;

  AtcPortListFunc  func;
  gpointer         func_data;
  GDestroyNotify   func_data_free;

  GPtrArray       *ports;
  guint            interval;
  GSource         *timer;
  GCancellable    *cancellable;
  GMainContext    *context;
  gboolean         started;
  gboolean         listing;
  gboolean         again;
};

G_DEFINE_FINAL_TYPE (AtcPortList, atc_port_list, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_listing (AtcPortList *self);

static GPtrArray *
default_list_func (gpointer  user_data,
                   GError  **error)
{
  return atc_port_list_enumerate (error);
}

static void
list_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AtcPortList *self = source_object;
  GError *error = NULL;
  GPtrArray *ports = self->func (self->func_data, &error);

  if (ports == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ports, (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
contains_port (GPtrArray         *ports,
               const AtcPortInfo *info)
{
  for (guint i = 0; i < ports->len; i++)
    if (atc_port_info_equal (g_ptr_array_index (ports, i), info))
      return TRUE;
  return FALSE;
}

static gboolean
timer_cb (gpointer user_data)
{
  AtcPortList *self = ATC_PORT_LIST (user_data);

  g_clear_pointer (&self->timer, g_source_unref);
  start_listing (self);

  return G_SOURCE_REMOVE;
}

static void
stop_timer (AtcPortList *self)
{
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
}

static void
schedule_listing (AtcPortList *self,
                  guint        delay_ms)
{
  stop_timer (self);

  self->timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_set_name (self->timer, "[atconf] port list");
  g_source_attach (self->timer, self->context);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AtcPortList *self = ATC_PORT_LIST (object);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ports = NULL;
  g_autoptr (GPtrArray) added = NULL;
  g_autoptr (GPtrArray) removed = NULL;

  ports = g_task_propagate_pointer (G_TASK (result), &error);
  self->listing = FALSE;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (ports == NULL)
    {
      /* Keep what we knew; the next tick tries again. */
      g_debug ("port list: %s", error->message);
    }
  else
    {
      g_ptr_array_sort (ports, compare_ports);

      added = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_port_info_free);
      removed = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_port_info_free);

      for (guint i = 0; i < ports->len; i++)
        if (!contains_port (self->ports, g_ptr_array_index (ports, i)))
          g_ptr_array_add (added, atc_port_info_copy (g_ptr_array_index (ports, i)));
      for (guint i = 0; i < self->ports->len; i++)
        if (!contains_port (ports, g_ptr_array_index (self->ports, i)))
          g_ptr_array_add (removed, atc_port_info_copy (g_ptr_array_index (self->ports, i)));

      g_ptr_array_unref (self->ports);
      self->ports = g_steal_pointer (&ports);

      if (added->len > 0 || removed->len > 0)
        g_signal_emit (self, signals[CHANGED], 0, added, removed);
    }

  if (self->again)
    {
      self->again = FALSE;
      start_listing (self);
    }
  else
    schedule_listing (self, self->interval);
}

static void
start_listing (AtcPortList *self)
{
  g_autoptr (GTask) task = NULL;

  if (self->listing)
    {
      self->again = TRUE;
      return;
    }

  self->started = TRUE;
  self->listing = TRUE;
  task = g_task_new (self, self->cancellable, list_cb, NULL);
  g_task_set_source_tag (task, start_listing);
  /* The result arrives even when cancelled, so that "listing" is reset. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
atc_port_list_get_ports (AtcPortList *self)
{
  g_return_val_if_fail (ATC_IS_PORT_LIST (self), NULL);

  return self->ports;
}

guint
atc_port_list_get_interval (AtcPortList *self)
{
  g_return_val_if_fail (ATC_IS_PORT_LIST (self), 0);

  return self->interval;
}

void
atc_port_list_set_interval (AtcPortList *self,
                            guint        interval_ms)
{
  g_return_if_fail (ATC_IS_PORT_LIST (self));

  interval_ms = MAX (interval_ms, MIN_INTERVAL_MS);
  if (self->interval == interval_ms)
    return;

  self->interval = interval_ms;
  /* A new interval takes effect at once, except before the first listing. */
  if (self->timer != NULL && self->started)
    schedule_listing (self, self->interval);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

void
atc_port_list_refresh (AtcPortList *self)
{
  g_return_if_fail (ATC_IS_PORT_LIST (self));

  stop_timer (self);
  start_listing (self);
}

static void
atc_port_list_constructed (GObject *object)
{
  AtcPortList *self = ATC_PORT_LIST (object);

  G_OBJECT_CLASS (atc_port_list_parent_class)->constructed (object);

  /* From the main loop, once atc_port_list_new_with_func() has set the
   * function. */
  schedule_listing (self, 0);
}

static void
atc_port_list_dispose (GObject *object)
{
  AtcPortList *self = ATC_PORT_LIST (object);

  g_cancellable_cancel (self->cancellable);
  stop_timer (self);

  G_OBJECT_CLASS (atc_port_list_parent_class)->dispose (object);
}

static void
atc_port_list_finalize (GObject *object)
{
  AtcPortList *self = ATC_PORT_LIST (object);

  if (self->func_data_free != NULL)
    self->func_data_free (self->func_data);
  g_clear_pointer (&self->ports, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (atc_port_list_parent_class)->finalize (object);
}

static void
atc_port_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AtcPortList *self = ATC_PORT_LIST (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_port_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AtcPortList *self = ATC_PORT_LIST (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      atc_port_list_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atc_port_list_class_init (AtcPortListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = atc_port_list_constructed;
  object_class->dispose = atc_port_list_dispose;
  object_class->finalize = atc_port_list_finalize;
  object_class->get_property = atc_port_list_get_property;
  object_class->set_property = atc_port_list_set_property;

  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, MIN_INTERVAL_MS, G_MAXUINT, DEFAULT_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtcPortList::changed:
   * @added: (element-type AtcPortInfo): ports that appeared
   * @removed: (element-type AtcPortInfo): ports that went away
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_PTR_ARRAY, G_TYPE_PTR_ARRAY);
}

static void
atc_port_list_init (AtcPortList *self)
{
  self->ports = g_ptr_array_new_with_free_func ((GDestroyNotify) atc_port_info_free);
  self->interval = DEFAULT_INTERVAL_MS;
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
  self->func = default_list_func;
}

AtcPortList *
atc_port_list_new (void)
{
  return g_object_new (ATC_TYPE_PORT_LIST, NULL);
}

AtcPortList *
atc_port_list_new_with_func (AtcPortListFunc func,
                             gpointer        user_data,
                             GDestroyNotify  user_data_free)
{
  AtcPortList *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (ATC_TYPE_PORT_LIST, NULL);
  self->func = func;
  self->func_data = user_data;
  self->func_data_free = user_data_free;

  return self;
}
