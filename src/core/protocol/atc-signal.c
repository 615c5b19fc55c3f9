/* atc-signal.c: CSQ to dBm and bars, by network mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The G781 document's CSQ table is the 3GPP scales (protocol-notes.md);
 * its upper ends (-53 at 30, -26 at 90, -45 at 96) are rounding slips, so
 * the formulas are used:
 *   GSM, CDMA, EVDO      n = 0..31  dBm = -113 + 2n   (0: <= -113, 31: >= -51)
 *   TD-SCDMA, WCDMA      n = 0..91  dBm = n - 115     (0: <= -115, 91: >= -25)
 *   LTE, TDD/FDD-LTE     n = 0..97  dBm = n - 140     (0: <= -140, 97: >= -44)
 * At the top the formula would say -24 and -43, but the G781 document and
 * the notes agree on ">= -25" and ">= -44" (3GPP's top level starts one
 * step lower), so the top reports that documented ceiling.
 * 99, and anything off the scale, is unknown.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "atc-signal.h"

typedef struct {
  int top;        /* highest CSQ of the scale */
  int base;       /* dBm at CSQ 0 */
  int step;       /* dBm per CSQ step */
  int ceiling;    /* dBm the top CSQ stands for ("or more") */
  int bars[4];    /* minimum dBm for 4, 3, 2 and 1 bars */
} Scale;

/* Bars follow the thresholds handsets commonly use for each technology's
 * received power: GSM RSSI -73/-83/-93/-103 dBm, WCDMA RSCP-like
 * -75/-85/-95/-105, LTE RSRP-like -85/-95/-105/-115 (the CSQ of an LTE
 * module maps onto that range). Below the last threshold: 0 bars. */
static const Scale gsm_scale = { 31, -113, 2, -51, { -73, -83, -93, -103 } };
static const Scale wcdma_scale = { 91, -115, 1, -25, { -75, -85, -95, -105 } };
static const Scale lte_scale = { 97, -140, 1, -44, { -85, -95, -105, -115 } };

static const Scale *
scale_for_mode (AtcNetMode mode)
{
  switch (mode)
    {
    /* With no network the module still reports a CSQ; 27.007's +CSQ
     * default is the GSM scale, so that is how it is read. */
    case ATC_NET_MODE_NONE:
    case ATC_NET_MODE_GSM:
    case ATC_NET_MODE_CDMA:
    case ATC_NET_MODE_EVDO:
      return &gsm_scale;
    case ATC_NET_MODE_TDSCDMA:
    case ATC_NET_MODE_WCDMA:
      return &wcdma_scale;
    case ATC_NET_MODE_LTE:
    case ATC_NET_MODE_TDDLTE:
    case ATC_NET_MODE_FDDLTE:
      return &lte_scale;
    default:
      return NULL;
    }
}

AtcSignal
atc_signal_from_csq (int        csq,
                     AtcNetMode mode)
{
  AtcSignal signal = { 0 };
  const Scale *scale = scale_for_mode (mode);

  signal.csq = csq;

  /* An unknown network mode has no scale to read the number on. */
  if (scale == NULL || csq == ATC_CSQ_UNKNOWN || csq < 0 || csq > scale->top)
    return signal;

  signal.known = TRUE;
  signal.at_floor = csq == 0;
  signal.at_ceiling = csq == scale->top;
  signal.dbm = signal.at_ceiling ? scale->ceiling : scale->base + scale->step * csq;

  signal.bars = 0;
  for (guint i = 0; i < G_N_ELEMENTS (scale->bars); i++)
    {
      if (signal.dbm >= scale->bars[i])
        {
          signal.bars = 4 - (int) i;
          break;
        }
    }

  return signal;
}

const char *
atc_net_mode_to_string (AtcNetMode mode)
{
  switch (mode)
    {
    case ATC_NET_MODE_NONE:
      return _("No network");
    case ATC_NET_MODE_GSM:
      return "GSM";
    case ATC_NET_MODE_CDMA:
      return "CDMA";
    case ATC_NET_MODE_TDSCDMA:
      return "TD-SCDMA";
    case ATC_NET_MODE_WCDMA:
      return "WCDMA";
    case ATC_NET_MODE_EVDO:
      return "EVDO";
    case ATC_NET_MODE_LTE:
      return "LTE";
    case ATC_NET_MODE_TDDLTE:
      return "TDD-LTE";
    case ATC_NET_MODE_FDDLTE:
      return "FDD-LTE";
    default:
      return _("Unknown network");
    }
}

gboolean
atc_net_mode_from_string (const char *text,
                          AtcNetMode *mode)
{
  static const struct {
    const char *name;
    AtcNetMode  mode;
  } names[] = {
    { "NONE", ATC_NET_MODE_NONE },
    { "NONETWORK", ATC_NET_MODE_NONE },
    { "GSM", ATC_NET_MODE_GSM },
    { "CDMA", ATC_NET_MODE_CDMA },
    { "TDSCDMA", ATC_NET_MODE_TDSCDMA },
    { "WCDMA", ATC_NET_MODE_WCDMA },
    { "EVDO", ATC_NET_MODE_EVDO },
    { "LTE", ATC_NET_MODE_LTE },
    { "TDDLTE", ATC_NET_MODE_TDDLTE },
    { "FDDLTE", ATC_NET_MODE_FDDLTE },
  };
  g_autoptr(GString) compact = NULL;
  g_autofree char *trimmed = NULL;
  guint64 number;

  g_return_val_if_fail (mode != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  /* The unit sends the digit (" 6" after "+ NETMODE:" too); people write
   * "TDD-LTE" or "tdd lte". */
  trimmed = g_strstrip (g_strdup (text));
  if (g_ascii_string_to_unsigned (trimmed, 10, ATC_NET_MODE_NONE, ATC_NET_MODE_FDDLTE,
                                  &number, NULL))
    {
      *mode = (AtcNetMode) number;
      return TRUE;
    }

  compact = g_string_new (NULL);
  for (const char *p = trimmed; *p != '\0'; p++)
    if (*p != ' ' && *p != '\t' && *p != '-' && *p != '_')
      g_string_append_c (compact, *p);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_ascii_strcasecmp (compact->str, names[i].name) == 0)
        {
          *mode = names[i].mode;
          return TRUE;
        }
    }

  return FALSE;
}

char *
atc_signal_format_dbm (const AtcSignal *signal)
{
  g_return_val_if_fail (signal != NULL, NULL);

  if (!signal->known)
    return g_strdup (_("unknown"));
  if (signal->at_floor)
    return g_strdup_printf (_("≤ %d dBm"), signal->dbm);
  if (signal->at_ceiling)
    return g_strdup_printf (_("≥ %d dBm"), signal->dbm);
  return g_strdup_printf (_("%d dBm"), signal->dbm);
}
