/* test-signal.c: CSQ scales (G781 4.10, 4.11 and protocol-notes.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "atc-signal.h"

typedef struct {
  AtcNetMode mode;
  int        top;    /* last CSQ of the scale */
  int        dbm0;   /* dBm at CSQ 0 */
  int        dbm1;   /* dBm at CSQ 1 */
  int        dbm_top; /* the documented ceiling: ">= -51", ">= -25", ">= -44" */
} ScaleCase;

static const ScaleCase scales[] = {
  /* GSM, CDMA, EVDO: -113 + 2n, 0..31 */
  { ATC_NET_MODE_GSM, 31, -113, -111, -51 },
  { ATC_NET_MODE_CDMA, 31, -113, -111, -51 },
  { ATC_NET_MODE_EVDO, 31, -113, -111, -51 },
  /* No network: read on the GSM scale (atc-signal.c says why). */
  { ATC_NET_MODE_NONE, 31, -113, -111, -51 },
  /* TD-SCDMA, WCDMA: n - 115, 0..91 */
  { ATC_NET_MODE_TDSCDMA, 91, -115, -114, -25 },
  { ATC_NET_MODE_WCDMA, 91, -115, -114, -25 },
  /* LTE, TDD-LTE, FDD-LTE: n - 140, 0..97 */
  { ATC_NET_MODE_LTE, 97, -140, -139, -44 },
  { ATC_NET_MODE_TDDLTE, 97, -140, -139, -44 },
  { ATC_NET_MODE_FDDLTE, 97, -140, -139, -44 },
};

static void
assert_known (AtcSignal s,
              int       csq,
              int       dbm,
              gboolean  floor,
              gboolean  ceiling)
{
  g_assert_true (s.known);
  g_assert_cmpint (s.csq, ==, csq);
  g_assert_cmpint (s.dbm, ==, dbm);
  g_assert_cmpint (s.at_floor, ==, floor);
  g_assert_cmpint (s.at_ceiling, ==, ceiling);
  g_assert_cmpint (s.bars, >=, 0);
  g_assert_cmpint (s.bars, <=, 4);
}

static void
assert_unknown (AtcSignal s,
                int       csq)
{
  g_assert_false (s.known);
  g_assert_cmpint (s.csq, ==, csq);
  g_assert_cmpint (s.bars, ==, 0);
  g_assert_false (s.at_floor);
  g_assert_false (s.at_ceiling);
}

static void
test_scales (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      const ScaleCase *c = &scales[i];
      int step = c->dbm1 - c->dbm0;

      g_test_message ("%s", atc_net_mode_to_string (c->mode));

      assert_known (atc_signal_from_csq (0, c->mode), 0, c->dbm0, TRUE, FALSE);
      assert_known (atc_signal_from_csq (1, c->mode), 1, c->dbm1, FALSE, FALSE);
      /* One below the top follows the formula (the document's "-26 at 90"
       * and "-45 at 96" are rounding slips of the scale). */
      assert_known (atc_signal_from_csq (c->top - 1, c->mode), c->top - 1,
                    c->dbm0 + step * (c->top - 1), FALSE, FALSE);
      /* The top means "this or more". */
      assert_known (atc_signal_from_csq (c->top, c->mode), c->top, c->dbm_top, FALSE, TRUE);

      assert_unknown (atc_signal_from_csq (99, c->mode), 99);
      assert_unknown (atc_signal_from_csq (c->top + 1, c->mode), c->top + 1);
      assert_unknown (atc_signal_from_csq (-1, c->mode), -1);
      assert_unknown (atc_signal_from_csq (1000, c->mode), 1000);
    }
}

static void
test_document_points (void)
{
  /* G781 4.10 and protocol-notes.md: GSM 31 is >= -51 dBm; WCDMA 0 is
   * <= -115, 90 is -25 by the formula (the document's -26 is a slip), 91
   * >= -25; LTE 0 is <= -140, 96 is -44 (not -45), 97 >= -44. */
  g_assert_cmpint (atc_signal_from_csq (31, ATC_NET_MODE_GSM).dbm, ==, -51);
  g_assert_cmpint (atc_signal_from_csq (30, ATC_NET_MODE_GSM).dbm, ==, -53);
  g_assert_cmpint (atc_signal_from_csq (2, ATC_NET_MODE_GSM).dbm, ==, -109);
  g_assert_cmpint (atc_signal_from_csq (90, ATC_NET_MODE_WCDMA).dbm, ==, -25);
  g_assert_cmpint (atc_signal_from_csq (91, ATC_NET_MODE_WCDMA).dbm, ==, -25);
  g_assert_cmpint (atc_signal_from_csq (1, ATC_NET_MODE_WCDMA).dbm, ==, -114);
  g_assert_cmpint (atc_signal_from_csq (96, ATC_NET_MODE_LTE).dbm, ==, -44);
  g_assert_cmpint (atc_signal_from_csq (97, ATC_NET_MODE_LTE).dbm, ==, -44);
  g_assert_cmpint (atc_signal_from_csq (1, ATC_NET_MODE_LTE).dbm, ==, -139);
  g_assert_cmpint (atc_signal_from_csq (15, ATC_NET_MODE_GSM).dbm, ==, -83);
  g_assert_cmpint (atc_signal_from_csq (50, ATC_NET_MODE_WCDMA).dbm, ==, -65);
  g_assert_cmpint (atc_signal_from_csq (50, ATC_NET_MODE_LTE).dbm, ==, -90);

  /* 99 on the LTE scale is not 99 - 140. */
  g_assert_false (atc_signal_from_csq (99, ATC_NET_MODE_LTE).known);
  g_assert_false (atc_signal_from_csq (98, ATC_NET_MODE_LTE).known);
  /* A mode the document does not list has no scale. */
  g_assert_false (atc_signal_from_csq (20, (AtcNetMode) 9).known);
}

static int
bars_at_dbm (AtcNetMode mode,
             int        dbm)
{
  /* Find the CSQ giving exactly this dBm on the mode's scale. */
  for (int csq = 0; csq < 99; csq++)
    {
      AtcSignal s = atc_signal_from_csq (csq, mode);

      if (s.known && s.dbm == dbm)
        return s.bars;
    }
  g_assert_not_reached ();
}

static void
test_bars (void)
{
  static const struct {
    AtcNetMode mode;
    int        at[4];   /* lowest dBm for 4, 3, 2, 1 bars */
  } thresholds[] = {
    { ATC_NET_MODE_GSM, { -73, -83, -93, -103 } },
    { ATC_NET_MODE_WCDMA, { -75, -85, -95, -105 } },
    { ATC_NET_MODE_TDSCDMA, { -75, -85, -95, -105 } },
    { ATC_NET_MODE_LTE, { -85, -95, -105, -115 } },
    { ATC_NET_MODE_FDDLTE, { -85, -95, -105, -115 } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (thresholds); i++)
    {
      AtcNetMode mode = thresholds[i].mode;
      /* GSM steps by 2 dBm, so test the step just below each threshold. */
      int below = mode == ATC_NET_MODE_GSM ? 2 : 1;

      for (int b = 0; b < 4; b++)
        {
          g_assert_cmpint (bars_at_dbm (mode, thresholds[i].at[b]), ==, 4 - b);
          g_assert_cmpint (bars_at_dbm (mode, thresholds[i].at[b] - below), ==, 3 - b);
        }
    }

  /* Ends of each scale. */
  g_assert_cmpint (atc_signal_from_csq (0, ATC_NET_MODE_GSM).bars, ==, 0);
  g_assert_cmpint (atc_signal_from_csq (31, ATC_NET_MODE_GSM).bars, ==, 4);
  g_assert_cmpint (atc_signal_from_csq (0, ATC_NET_MODE_LTE).bars, ==, 0);
  g_assert_cmpint (atc_signal_from_csq (97, ATC_NET_MODE_LTE).bars, ==, 4);
  g_assert_cmpint (atc_signal_from_csq (0, ATC_NET_MODE_WCDMA).bars, ==, 0);
  g_assert_cmpint (atc_signal_from_csq (91, ATC_NET_MODE_WCDMA).bars, ==, 4);

  /* The same CSQ is a different signal on each scale: 20 is -73 dBm on
   * GSM (4 bars), -95 dBm on WCDMA (2 bars), -120 dBm on LTE (0 bars). */
  g_assert_cmpint (atc_signal_from_csq (20, ATC_NET_MODE_GSM).bars, ==, 4);
  g_assert_cmpint (atc_signal_from_csq (20, ATC_NET_MODE_WCDMA).bars, ==, 2);
  g_assert_cmpint (atc_signal_from_csq (20, ATC_NET_MODE_LTE).bars, ==, 0);

  /* Bars never go down as the signal gets stronger. */
  for (guint i = 0; i < G_N_ELEMENTS (scales); i++)
    for (int csq = 1; csq <= scales[i].top; csq++)
      g_assert_cmpint (atc_signal_from_csq (csq, scales[i].mode).bars, >=,
                       atc_signal_from_csq (csq - 1, scales[i].mode).bars);
}

static void
test_format (void)
{
  static const struct {
    int         csq;
    AtcNetMode  mode;
    const char *text;
  } cases[] = {
    { 0, ATC_NET_MODE_GSM, "≤ -113 dBm" },
    { 13, ATC_NET_MODE_GSM, "-87 dBm" },
    { 31, ATC_NET_MODE_GSM, "≥ -51 dBm" },
    { 99, ATC_NET_MODE_GSM, "unknown" },
    { 0, ATC_NET_MODE_LTE, "≤ -140 dBm" },
    { 97, ATC_NET_MODE_LTE, "≥ -44 dBm" },
    { 91, ATC_NET_MODE_WCDMA, "≥ -25 dBm" },
    { 0, ATC_NET_MODE_WCDMA, "≤ -115 dBm" },
    { 40, ATC_NET_MODE_WCDMA, "-75 dBm" },
    { 99, ATC_NET_MODE_LTE, "unknown" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AtcSignal s = atc_signal_from_csq (cases[i].csq, cases[i].mode);
      g_autofree char *text = atc_signal_format_dbm (&s);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_net_mode_names (void)
{
  static const struct {
    const char *text;
    AtcNetMode  mode;
  } good[] = {
    { "0", ATC_NET_MODE_NONE }, { "1", ATC_NET_MODE_GSM }, { "2", ATC_NET_MODE_CDMA },
    { "3", ATC_NET_MODE_TDSCDMA }, { "4", ATC_NET_MODE_WCDMA }, { "5", ATC_NET_MODE_EVDO },
    { "6", ATC_NET_MODE_LTE }, { "7", ATC_NET_MODE_TDDLTE }, { "8", ATC_NET_MODE_FDDLTE },
    { " 6", ATC_NET_MODE_LTE }, { "GSM", ATC_NET_MODE_GSM }, { "lte", ATC_NET_MODE_LTE },
    { "TD-SCDMA", ATC_NET_MODE_TDSCDMA }, { "TDSCDMA", ATC_NET_MODE_TDSCDMA },
    { "TDD-LTE", ATC_NET_MODE_TDDLTE }, { "FDDLTE", ATC_NET_MODE_FDDLTE },
  };
  static const char *bad[] = { "", "9", "-1", "99", "5G", "LTE+", "6x" };
  AtcNetMode mode;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      mode = (AtcNetMode) 42;
      g_assert_true (atc_net_mode_from_string (good[i].text, &mode));
      g_assert_cmpint (mode, ==, good[i].mode);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (atc_net_mode_from_string (bad[i], &mode));
  g_assert_false (atc_net_mode_from_string (NULL, &mode));

  /* Every mode reads back from its own name. */
  for (int m = ATC_NET_MODE_GSM; m <= ATC_NET_MODE_FDDLTE; m++)
    {
      g_assert_true (atc_net_mode_from_string (atc_net_mode_to_string (m), &mode));
      g_assert_cmpint (mode, ==, m);
    }
  g_assert_cmpstr (atc_net_mode_to_string (ATC_NET_MODE_TDDLTE), ==, "TDD-LTE");
  g_assert_cmpstr (atc_net_mode_to_string (ATC_NET_MODE_NONE), ==, "No network");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signal/scales", test_scales);
  g_test_add_func ("/signal/document-points", test_document_points);
  g_test_add_func ("/signal/bars", test_bars);
  g_test_add_func ("/signal/format", test_format);
  g_test_add_func ("/signal/net-mode-names", test_net_mode_names);

  return g_test_run ();
}
