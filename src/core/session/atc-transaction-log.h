/* atc-transaction-log.h: what went over the wire, with secrets redacted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of AtcLogEntry, bounded (oldest entries are dropped), that
 * the GUI console and the CLI show. Entries are redacted before they are
 * stored: a secret never enters the log, so it cannot leak from it.
 *
 * Memory is bounded whatever a unit sends: an entry shows the first 2 KiB
 * of what it was given ("… (N more bytes)" after), and the log keeps at
 * most 2 MiB of text besides its entry count.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  ATC_LOG_TX,     /* bytes sent to the unit */
  ATC_LOG_RX,     /* bytes received */
  ATC_LOG_EVENT,  /* what the session did: handshake, timeout, reboot wait */
} AtcLogDirection;

#define ATC_TYPE_LOG_ENTRY (atc_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (AtcLogEntry, atc_log_entry, ATC, LOG_ENTRY, GObject)

gint64           atc_log_entry_get_time      (AtcLogEntry *self); /* g_get_real_time() */
AtcLogDirection  atc_log_entry_get_direction (AtcLogEntry *self);
/* Redacted bytes as printable text: CR, LF and control bytes shown as
 * <CR>, <LF>, <XX>. */
const char      *atc_log_entry_get_text      (AtcLogEntry *self);

#define ATC_TYPE_TRANSACTION_LOG (atc_transaction_log_get_type ())
G_DECLARE_FINAL_TYPE (AtcTransactionLog, atc_transaction_log, ATC, TRANSACTION_LOG, GObject)

/* max_entries 0 picks a default (5000). */
AtcTransactionLog *atc_transaction_log_new      (guint              max_entries);
/* `data` must already be redacted by the caller (the session knows which
 * parameters are secret); see atc_transaction_log_redact(). */
void               atc_transaction_log_append   (AtcTransactionLog *self,
                                                 AtcLogDirection    direction,
                                                 const guint8      *data,
                                                 gsize              len);
void               atc_transaction_log_event    (AtcTransactionLog *self,
                                                 const char        *format,
                                                 ...) G_GNUC_PRINTF (2, 3);
/* Replace every occurrence of each non-empty secret in `text` by "•••",
 * ignoring ASCII case (units may echo a line upper-cased). */
char              *atc_transaction_log_redact   (const char        *text,
                                                 const char *const *secrets);
void               atc_transaction_log_clear    (AtcTransactionLog *self);
/* "12:00:01.234 > AT+CSQ<CR><LF>" lines, for export and the CLI. */
char              *atc_transaction_log_to_text  (AtcTransactionLog *self);

G_END_DECLS
