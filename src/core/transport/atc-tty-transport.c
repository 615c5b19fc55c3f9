/* atc-tty-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "atc-error.h"
#include "atc-transport-private.h"
#include "atc-tty-transport.h"

#define DEFAULT_LOCK_DIR "/run/lock"

/* UNIX98_PTY_SLAVE_MAJOR .. + UNIX98_PTY_MAJOR_COUNT - 1 (linux/major.h) */
#define PTY_SLAVE_MAJOR_FIRST 136
#define PTY_SLAVE_MAJOR_LAST  143

struct _AtcTtyTransport
{
  AtcTransport parent_instance;

  int          fd;
  char        *path;
};

G_DEFINE_FINAL_TYPE (AtcTtyTransport, atc_tty_transport, ATC_TYPE_TRANSPORT)

static const struct {
  guint   baud;
  speed_t speed;
} speeds[] = {
  { 50, B50 }, { 75, B75 }, { 110, B110 }, { 134, B134 }, { 150, B150 }, { 200, B200 },
  { 300, B300 }, { 600, B600 }, { 1200, B1200 }, { 1800, B1800 }, { 2400, B2400 },
  { 4800, B4800 }, { 9600, B9600 }, { 19200, B19200 }, { 38400, B38400 },
  { 57600, B57600 }, { 115200, B115200 }, { 230400, B230400 }, { 460800, B460800 },
  { 500000, B500000 }, { 576000, B576000 }, { 921600, B921600 }, { 1000000, B1000000 },
  { 1152000, B1152000 }, { 1500000, B1500000 }, { 2000000, B2000000 },
  { 2500000, B2500000 }, { 3000000, B3000000 }, { 3500000, B3500000 },
  { 4000000, B4000000 },
};

static gboolean
baud_to_speed (guint    baud,
               speed_t *speed)
{
  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i].baud == baud)
      {
        *speed = speeds[i].speed;
        return TRUE;
      }
  return FALSE;
}

gboolean
atc_tty_is_pty (int fd)
{
  struct stat st;

  if (fstat (fd, &st) != 0 || !S_ISCHR (st.st_mode))
    return FALSE;
  return major (st.st_rdev) >= PTY_SLAVE_MAJOR_FIRST && major (st.st_rdev) <= PTY_SLAVE_MAJOR_LAST;
}

/* The ATC_ERROR_DISCONNECTED text for a port. */
static char *
lost_message (const char *path,
              gboolean    is_pty)
{
  if (is_pty)
    return g_strdup_printf (_("The other end of %s closed (the simulator or bridge behind it "
                              "stopped). Start it again and reconnect."),
                            path);
  return g_strdup_printf (_("%s went away: the adapter was unplugged or lost power. Check the "
                            "cable and connect again."),
                          path);
}

int
atc_tty_open (const char *path,
              GError    **error)
{
  int fd;

  do
    fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);

  if (fd < 0)
    {
      int errsv = errno;
      g_propagate_error (error, atc_transport_open_error_new (path, errsv, NULL));
      return -1;
    }

  if (!isatty (fd))
    {
      close (fd);
      g_propagate_error (error, atc_transport_open_error_new (path, ENOTTY, NULL));
      return -1;
    }

  return fd;
}

int
atc_tty_open_configured (const char            *device,
                         const char            *path,
                         const AtcLineSettings *line,
                         GError               **error)
{
  int fd = atc_tty_open (device, error);

  if (fd < 0)
    return -1;

  if (!atc_tty_lock (fd, path, error) || !atc_tty_apply_line_settings (fd, path, line, error))
    {
      close (fd);
      return -1;
    }

  return fd;
}

/* The process holding a UUCP lock file, or 0. Both the ASCII form (ten
 * digits and a newline) and the old binary int form exist. */
static pid_t
read_lock_pid (const char *lock_file)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  gint64 pid = 0;

  if (!g_file_get_contents (lock_file, &contents, &len, NULL))
    return 0;

  if (len == sizeof (int) && !g_ascii_isdigit (contents[0]) && contents[0] != ' ')
    {
      int raw;
      memcpy (&raw, contents, sizeof raw);
      pid = raw;
    }
  else
    pid = g_ascii_strtoll (g_strstrip (contents), NULL, 10);

  return pid > 0 && pid <= G_MAXINT ? (pid_t) pid : 0;
}

gboolean
atc_tty_check_lock_files (const char *path,
                          const char *lock_dir,
                          GError    **error)
{
  g_autofree char *resolved = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *base = NULL;
  const char *names[2];
  char *real;

  if (lock_dir == NULL)
    lock_dir = DEFAULT_LOCK_DIR;

  real = realpath (path, NULL);
  resolved = g_strdup (real ? real : path);
  free (real);

  /* minicom and cu name the lock after the device's base name, others
   * after its path below /dev with '/' made '_'. */
  base = g_path_get_basename (resolved);
  flat = g_strdup (g_str_has_prefix (resolved, "/dev/") ? resolved + 5 : base);
  g_strdelimit (flat, "/", '_');
  names[0] = base;
  names[1] = flat;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file_name = g_strconcat ("LCK..", names[i], NULL);
      g_autofree char *lock_file = g_build_filename (lock_dir, file_name, NULL);
      pid_t pid = read_lock_pid (lock_file);

      if (pid == 0 || pid == getpid ())
        continue;

      /* A stale lock left by a crash does not hold the port. */
      if (kill (pid, 0) != 0 && errno != EPERM)
        continue;

      {
        g_autofree char *comm_file = g_strdup_printf ("/proc/%d/comm", (int) pid);
        g_autofree char *comm = NULL;

        if (g_file_get_contents (comm_file, &comm, NULL, NULL))
          g_strstrip (comm);

        g_set_error (error, ATC_ERROR, ATC_ERROR_BUSY,
                     _("%s is locked by %s (process %d, lock file %s). Close that program and "
                       "try again."),
                     path, comm && *comm ? comm : _("another program"), (int) pid, lock_file);
        return FALSE;
      }
    }

  return TRUE;
}

gboolean
atc_tty_lock (int         fd,
              const char *path,
              GError    **error)
{
  if (flock (fd, LOCK_EX | LOCK_NB) == 0)
    return TRUE;

  if (errno == EWOULDBLOCK)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_BUSY,
                   _("%s is already open in another Atconf window or program. Close the other "
                     "connection (find it with “fuser %s”) and try again."),
                   path, path);
      return FALSE;
    }

  /* Some drivers do not support flock(); the lock is only a courtesy. */
  return TRUE;
}

gboolean
atc_tty_apply_line_settings (int                    fd,
                             const char            *path,
                             const AtcLineSettings *settings,
                             GError               **error)
{
  struct termios tio;
  speed_t speed = B115200;
  gboolean is_pty = atc_tty_is_pty (fd);
  gboolean have_speed;
  g_autofree char *text = atc_line_settings_to_string (settings);

  if (tcgetattr (fd, &tio) != 0)
    {
      int errsv = errno;
      g_set_error (error, ATC_ERROR, ATC_ERROR_FAILED, _("Could not read the settings of %s: %s."),
                   path, g_strerror (errsv));
      return FALSE;
    }

  have_speed = baud_to_speed (settings->baud ? settings->baud : ATC_DEFAULT_BAUD, &speed);
  if (!have_speed && !is_pty)
    {
      g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                   _("%s cannot run at %u baud: use a standard rate such as 9600, 57600 or "
                     "115200."),
                   path, settings->baud);
      return FALSE;
    }

  cfmakeraw (&tio);
  tio.c_iflag &= ~(IXON | IXOFF | IXANY | INPCK);
  tio.c_cflag &= ~(CSIZE | PARENB | PARODD | CMSPAR | CSTOPB | CRTSCTS | HUPCL);
  tio.c_cflag |= CLOCAL | CREAD;

  switch (settings->data_bits)
    {
    case 5:
      tio.c_cflag |= CS5;
      break;
    case 6:
      tio.c_cflag |= CS6;
      break;
    case 7:
      tio.c_cflag |= CS7;
      break;
    default:
      tio.c_cflag |= CS8;
      break;
    }

  switch (settings->parity)
    {
    case ATC_PARITY_ODD:
      tio.c_cflag |= PARENB | PARODD;
      break;
    case ATC_PARITY_EVEN:
      tio.c_cflag |= PARENB;
      break;
    case ATC_PARITY_MARK:
      tio.c_cflag |= PARENB | PARODD | CMSPAR;
      break;
    case ATC_PARITY_SPACE:
      tio.c_cflag |= PARENB | CMSPAR;
      break;
    case ATC_PARITY_NONE:
    default:
      break;
    }

  if (settings->stop_bits == 2)
    tio.c_cflag |= CSTOPB;

  if (settings->flow == ATC_FLOW_RTSCTS)
    tio.c_cflag |= CRTSCTS;
  else if (settings->flow == ATC_FLOW_XONXOFF)
    tio.c_iflag |= IXON | IXOFF;

  /* A pty carries bytes, not frames: the kernel forces CS8 without parity
   * and glibc then fails tcsetattr() with EINVAL. The transport still
   * remembers the framing asked for. */
  if (is_pty)
    {
      tio.c_cflag &= ~(CSIZE | PARENB | PARODD | CMSPAR);
      tio.c_cflag |= CS8;
    }

  /* Reads return what is there; poll() says when there is something. */
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;

  /* A pty has no line: a rate it has no constant for is only remembered. */
  if (have_speed)
    cfsetspeed (&tio, speed);

  if (tcsetattr (fd, TCSANOW, &tio) != 0)
    {
      int errsv = errno;
      g_set_error (error, ATC_ERROR, errsv == EINVAL ? ATC_ERROR_INVALID_VALUE : ATC_ERROR_FAILED,
                   _("%s refused the settings %s: %s."), path, text, g_strerror (errsv));
      return FALSE;
    }

  /* tcsetattr() succeeds when any part applied: check the rate took. */
  if (have_speed && !is_pty)
    {
      struct termios now;

      if (tcgetattr (fd, &now) == 0 && cfgetospeed (&now) != speed)
        {
          g_set_error (error, ATC_ERROR, ATC_ERROR_INVALID_VALUE,
                       _("%s does not support %u baud: use a lower standard rate."), path,
                       settings->baud);
          return FALSE;
        }
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */

static void
open_data_free (AtcTtyOpenData *data)
{
  g_free (data->path);
  g_free (data);
}

void
atc_tty_open_in_thread (GTask           *task,
                        AtcTransport    *transport,
                        const char      *path,
                        GTaskThreadFunc  thread_func)
{
  AtcTtyOpenData *data = g_new0 (AtcTtyOpenData, 1);

  data->path = g_strdup (path);
  data->line = *atc_transport_get_line_settings (transport);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);

  g_task_run_in_thread (task, thread_func);
  g_object_unref (task);
}

GIOStream *
atc_tty_wrap_fd (AtcTransport *transport,
                 int           fd,
                 const char   *path)
{
  g_autofree char *message = lost_message (path, atc_tty_is_pty (fd));

  return atc_transport_wrap_fd (transport, fd, message);
}

static void
close_fd_result (gpointer data)
{
  int *fd = data;

  if (*fd >= 0)
    close (*fd);
  g_free (fd);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AtcTtyOpenData *data = task_data;
  GError *error = NULL;
  int *result;
  int fd;

  if (!atc_tty_check_lock_files (data->path, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  fd = atc_tty_open_configured (data->path, data->path, &data->line, &error);
  if (fd < 0)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Bytes left from before we opened are not an answer to us. */
  tcflush (fd, TCIOFLUSH);

  result = g_new (int, 1);
  *result = fd;
  g_task_return_pointer (task, result, close_fd_result);
}

static void
atc_tty_transport_open_async (AtcTransport       *transport,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  AtcTtyTransport *self = ATC_TTY_TRANSPORT (transport);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, atc_tty_transport_open_async);
  atc_tty_open_in_thread (task, transport, self->path, open_thread);
}

static GIOStream *
atc_tty_transport_open_finish (AtcTransport *transport,
                               GAsyncResult *result,
                               GError      **error)
{
  AtcTtyTransport *self = ATC_TTY_TRANSPORT (transport);
  int *fd;

  fd = g_task_propagate_pointer (G_TASK (result), error);
  if (fd == NULL)
    return NULL;

  self->fd = *fd;
  g_free (fd);

  return atc_tty_wrap_fd (transport, self->fd, self->path);
}

static gboolean
atc_tty_transport_set_line_settings (AtcTransport          *transport,
                                     const AtcLineSettings *settings,
                                     GError               **error)
{
  AtcTtyTransport *self = ATC_TTY_TRANSPORT (transport);

  if (self->fd < 0)
    return TRUE;
  return atc_tty_apply_line_settings (self->fd, self->path, settings, error);
}

static void
atc_tty_transport_close (AtcTransport *transport)
{
  AtcTtyTransport *self = ATC_TTY_TRANSPORT (transport);

  if (self->fd >= 0)
    {
      close (self->fd);
      self->fd = -1;
    }
}

static void
atc_tty_transport_constructed (GObject *object)
{
  AtcTtyTransport *self = ATC_TTY_TRANSPORT (object);
  const AtcAddress *address;

  G_OBJECT_CLASS (atc_tty_transport_parent_class)->constructed (object);

  address = atc_transport_get_address (ATC_TRANSPORT (self));
  g_assert (address != NULL && address->path != NULL);
  self->path = g_strdup (address->path);
}

static void
atc_tty_transport_finalize (GObject *object)
{
  AtcTtyTransport *self = ATC_TTY_TRANSPORT (object);

  g_free (self->path);

  G_OBJECT_CLASS (atc_tty_transport_parent_class)->finalize (object);
}

static void
atc_tty_transport_class_init (AtcTtyTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  AtcTransportClass *transport_class = ATC_TRANSPORT_CLASS (klass);

  object_class->constructed = atc_tty_transport_constructed;
  object_class->finalize = atc_tty_transport_finalize;

  transport_class->open_async = atc_tty_transport_open_async;
  transport_class->open_finish = atc_tty_transport_open_finish;
  transport_class->set_line_settings = atc_tty_transport_set_line_settings;
  transport_class->close = atc_tty_transport_close;
}

static void
atc_tty_transport_init (AtcTtyTransport *self)
{
  self->fd = -1;
}

AtcTransport *
atc_tty_transport_new (const AtcAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (address->kind == ATC_ADDRESS_SERIAL || address->kind == ATC_ADDRESS_PTY,
                        NULL);

  return g_object_new (ATC_TYPE_TTY_TRANSPORT, "address", address, NULL);
}
