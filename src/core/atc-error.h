/* atc-error.h: the one error domain of the core library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ATC_ERROR (atc_error_quark ())

typedef enum {
  ATC_ERROR_FAILED,            /* anything not listed below */
  ATC_ERROR_INVALID_VALUE,     /* a user value does not fit its parameter */
  ATC_ERROR_UNSAFE_VALUE,      /* a value would break the command line (CR, LF, ';') */
  ATC_ERROR_UNKNOWN_COMMAND,   /* the model has no such command */
  ATC_ERROR_NOT_SUPPORTED,     /* the command has no such form (query/set/execute) */
  ATC_ERROR_CATALOG,           /* a catalog file is malformed */
  ATC_ERROR_MALFORMED_REPLY,   /* the unit answered something we cannot read */
  ATC_ERROR_UNIT_ERROR,        /* the unit answered with an error code */
  ATC_ERROR_TIMEOUT,           /* the unit did not answer in time */
  ATC_ERROR_HANDSHAKE,         /* entering command mode failed */
  ATC_ERROR_DISCONNECTED,      /* the link to the unit went away */
  ATC_ERROR_PERMISSION,        /* the port cannot be opened: permission */
  ATC_ERROR_BUSY,              /* the port is held by another program */
  ATC_ERROR_NOT_FOUND,         /* the port or host does not exist */
  ATC_ERROR_ADDRESS,           /* a device address cannot be parsed */
  ATC_ERROR_PROFILE,           /* a profile file is invalid */
  ATC_ERROR_VERIFY,            /* a read-back did not match what was written */
  ATC_ERROR_OVERFLOW,          /* the unit sent more than a reply may hold */
} AtcError;

GQuark atc_error_quark (void);

G_END_DECLS
