/* atc-sample.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "atc-sample.h"

/* Keep a day of samples small: 86400 * 16 bytes. */
G_STATIC_ASSERT (sizeof (AtcSample) == 16);
G_STATIC_ASSERT (ATC_SAMPLE_MAX_SOCKETS * 2 <= 8);

void
atc_sample_init (AtcSample *sample,
                 gint64     time)
{
  g_return_if_fail (sample != NULL);

  memset (sample, 0, sizeof *sample);
  sample->time = time;
}

void
atc_sample_set_signal (AtcSample  *sample,
                       int         csq,
                       AtcNetMode  mode)
{
  AtcSignal signal;

  g_return_if_fail (sample != NULL);

  sample->flags &= ~(ATC_SAMPLE_SIGNAL_KNOWN | ATC_SAMPLE_AT_FLOOR | ATC_SAMPLE_AT_CEILING);
  sample->flags |= ATC_SAMPLE_HAS_CSQ;
  sample->dbm = 0;
  sample->bars = 0;

  /* A value that does not fit the byte is out of every scale anyway:
   * keep it as 99, "unknown". */
  sample->csq = (csq >= 0 && csq <= G_MAXUINT8) ? (guint8) csq : ATC_CSQ_UNKNOWN;

  signal = atc_signal_from_csq (csq, mode);
  if (!signal.known)
    return;

  sample->flags |= ATC_SAMPLE_SIGNAL_KNOWN;
  if (signal.at_floor)
    sample->flags |= ATC_SAMPLE_AT_FLOOR;
  if (signal.at_ceiling)
    sample->flags |= ATC_SAMPLE_AT_CEILING;
  sample->dbm = (gint16) signal.dbm;
  sample->bars = (guint8) CLAMP (signal.bars, 0, 4);
}

gboolean
atc_sample_get_signal (const AtcSample *sample,
                       AtcSignal       *signal)
{
  g_return_val_if_fail (sample != NULL, FALSE);
  g_return_val_if_fail (signal != NULL, FALSE);

  memset (signal, 0, sizeof *signal);
  if (!(sample->flags & ATC_SAMPLE_HAS_CSQ))
    return FALSE;

  signal->csq = sample->csq;
  signal->known = (sample->flags & ATC_SAMPLE_SIGNAL_KNOWN) != 0;
  if (signal->known)
    {
      signal->dbm = sample->dbm;
      signal->bars = sample->bars;
      signal->at_floor = (sample->flags & ATC_SAMPLE_AT_FLOOR) != 0;
      signal->at_ceiling = (sample->flags & ATC_SAMPLE_AT_CEILING) != 0;
    }

  return TRUE;
}

gboolean
atc_sample_has_signal (const AtcSample *sample)
{
  g_return_val_if_fail (sample != NULL, FALSE);

  return (sample->flags & ATC_SAMPLE_SIGNAL_KNOWN) != 0;
}

void
atc_sample_set_net_mode (AtcSample  *sample,
                         AtcNetMode  mode)
{
  g_return_if_fail (sample != NULL);

  sample->net_mode = (guint8) mode;
  sample->flags |= ATC_SAMPLE_HAS_NET_MODE;
}

gboolean
atc_sample_get_net_mode (const AtcSample *sample,
                         AtcNetMode      *mode)
{
  g_return_val_if_fail (sample != NULL, FALSE);

  if (!(sample->flags & ATC_SAMPLE_HAS_NET_MODE))
    return FALSE;

  if (mode != NULL)
    *mode = (AtcNetMode) sample->net_mode;

  return TRUE;
}

void
atc_sample_set_link (AtcSample    *sample,
                     guint         socket,
                     AtcLinkState  state)
{
  guint shift;

  g_return_if_fail (sample != NULL);
  g_return_if_fail (socket < ATC_SAMPLE_MAX_SOCKETS);
  g_return_if_fail (state <= ATC_LINK_UP);

  shift = socket * 2;
  sample->links = (guint8) ((sample->links & ~(0x3u << shift)) | ((guint) state << shift));
}

AtcLinkState
atc_sample_get_link (const AtcSample *sample,
                     guint            socket)
{
  g_return_val_if_fail (sample != NULL, ATC_LINK_NONE);
  g_return_val_if_fail (socket < ATC_SAMPLE_MAX_SOCKETS, ATC_LINK_NONE);

  return (AtcLinkState) ((sample->links >> (socket * 2)) & 0x3u);
}

const char *
atc_link_state_to_string (AtcLinkState state)
{
  switch (state)
    {
    case ATC_LINK_UP:
      return "up";
    case ATC_LINK_DOWN:
      return "down";
    case ATC_LINK_NONE:
    default:
      return "";
    }
}

gboolean
atc_link_state_from_value (const char   *value,
                           AtcLinkState *state)
{
  g_autofree char *word = NULL;

  g_return_val_if_fail (state != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  word = g_strstrip (g_strdup (value));

  if (g_ascii_strcasecmp (word, "ON") == 0 || g_ascii_strcasecmp (word, "Connected") == 0)
    {
      *state = ATC_LINK_UP;
      return TRUE;
    }

  if (g_ascii_strcasecmp (word, "OFF") == 0 || g_ascii_strcasecmp (word, "Disconnected") == 0)
    {
      *state = ATC_LINK_DOWN;
      return TRUE;
    }

  return FALSE;
}

const char *
atc_socket_key (const char *name)
{
  return (name == NULL || name[0] == '\0') ? "socket" : name;
}

char *
atc_format_iso8601 (gint64 time)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *seconds = NULL;
  gint64 secs = time / G_USEC_PER_SEC;
  gint64 usecs = time % G_USEC_PER_SEC;

  /* Round towards minus infinity so times before 1970 stay consistent. */
  if (usecs < 0)
    {
      usecs += G_USEC_PER_SEC;
      secs -= 1;
    }

  dt = g_date_time_new_from_unix_utc (secs);
  if (dt == NULL)
    return g_strdup ("");

  seconds = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int) (usecs / 1000));
}
