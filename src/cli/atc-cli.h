/* atc-cli.h: what the atconf-cli subcommands share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * atconf-cli is a thin front end: every subcommand parses its arguments,
 * opens a session with atc_cli_open_session(), drives the core's async API
 * to completion with atc_cli_await(), and prints with the atc_cli_print_*()
 * helpers. A subcommand returns FALSE with a GError; the dispatcher prints
 * it and turns its domain and code into the exit status (atc_cli_exit_status()).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "atc-catalog.h"
#include "atc-error.h"
#include "atc-session.h"

G_BEGIN_DECLS

/* Exit statuses, documented in every --help (ATC_CLI_EXIT_STATUS_HELP). */
typedef enum {
  ATC_CLI_EXIT_OK          = 0,
  ATC_CLI_EXIT_DEVICE      = 1,   /* cannot reach the unit, or it stopped answering */
  ATC_CLI_EXIT_USAGE       = 2,   /* bad option, argument or device address */
  ATC_CLI_EXIT_REFUSED     = 3,   /* a command or value refused before anything was sent */
  ATC_CLI_EXIT_UNIT        = 4,   /* the unit answered with an error */
  ATC_CLI_EXIT_INTERRUPTED = 130, /* Ctrl-C */
} AtcCliExit;

/* Shown by secret parameters unless --show-secrets; "set" refuses it as a
 * value so a pasted `get` line cannot overwrite a password with the mask. */
#define ATC_CLI_SECRET_MASK "•••"

typedef struct _AtcCli AtcCli;

/* Runs the subcommand once its options are parsed; argv[0] is the
 * subcommand name, argv[1..] its positional arguments. */
typedef gboolean (*AtcCliRunFunc) (AtcCli   *cli,
                                   int       argc,
                                   char    **argv,
                                   GError  **error);

typedef struct {
  const char         *name;         /* "get" */
  const char         *arguments;    /* for --help, e.g. "CMD…"; NULL when none */
  const char         *summary;      /* N_(): one line for the command list */
  const char         *description;  /* N_(): details for its --help, or NULL */
  const GOptionEntry *entries;      /* its own options (terminated), or NULL */
  gboolean            needs_device; /* its --help explains --device */
  AtcCliRunFunc       run;
} AtcCliCommand;

struct _AtcCli
{
  /* Global options, shared by every subcommand. */
  char         *device;
  gboolean      json;
  double        timeout_scale;
  char         *password;
  char         *model_id;
  gboolean      verbose;
  gboolean      show_secrets;
  gboolean      keep_command_mode;

  const AtcCliCommand *command;
  GCancellable *cancellable;     /* cancelled by SIGINT / SIGTERM */
  gboolean      interrupted;

  AtcSession   *session;         /* set by atc_cli_open_session() */
  AtcDetection *detection;       /* when detection ran */
  gboolean      list_ports_on_error;

  /* atc_cli_await() */
  GAsyncResult *result;
};

/* The subcommands, one file each. */
extern const AtcCliCommand atc_cli_command_ports;
extern const AtcCliCommand atc_cli_command_detect;
extern const AtcCliCommand atc_cli_command_get;
extern const AtcCliCommand atc_cli_command_set;
extern const AtcCliCommand atc_cli_command_console;
extern const AtcCliCommand atc_cli_command_monitor;
extern const AtcCliCommand atc_cli_command_read;
extern const AtcCliCommand atc_cli_command_diff;
extern const AtcCliCommand atc_cli_command_apply;
extern const AtcCliCommand atc_cli_command_export_script;
extern const AtcCliCommand atc_cli_command_provision;
extern const AtcCliCommand atc_cli_command_save_profile;

/* atc-cli-session.c: reaching the unit. */

/* Opens the session for --device (or $ATCONF_DEVICE), applies --password and
 * --timeout-scale, connects, and either takes --model or detects the model.
 * cli->session and cli->detection hold the outcome. */
gboolean      atc_cli_open_session      (AtcCli             *cli,
                                         GError            **error);
/* Returns the unit to data mode when this run left it in command mode, unless
 * --keep-command-mode; closes the link. */
gboolean      atc_cli_close_session     (AtcCli             *cli,
                                         GError            **error);
/* The model from --model, or NULL when not given; a usage error when unknown. */
gboolean      atc_cli_lookup_model_option (AtcCli           *cli,
                                         AtcModel          **model,
                                         GError            **error);

/* Pass as callback + user_data to any _async call, then atc_cli_await()
 * iterates the main context until it completes and returns its result
 * (owned by the caller) for the matching _finish. */
void          atc_cli_async_done        (GObject            *source,
                                         GAsyncResult       *result,
                                         gpointer            user_data);
GAsyncResult *atc_cli_await             (AtcCli             *cli);
#define ATC_CLI_AWAIT(cli) atc_cli_async_done, (cli)

/* atc-cli-output.c: values, JSON and errors. */

/* A command name as typed ("uart", "AT+UART", "heart snd") -> the catalog
 * record; ATC_ERROR_UNKNOWN_COMMAND naming the closest commands otherwise. */
const AtcCommand *atc_cli_lookup_command (AtcModel          *model,
                                          const char        *name,
                                          GError           **error);
/* Model commands closest to `name` (case-insensitive edit distance), best
 * first, at most `max`: a NULL-terminated array of borrowed names. */
const char  **atc_cli_suggest_commands  (AtcModel           *model,
                                         const char         *name,
                                         guint               max);

/* Levenshtein distance, ASCII case-insensitive. */
guint         atc_cli_edit_distance     (const char         *a,
                                         const char         *b);

/* One field in the syntax `set` reads: bare when unambiguous, else quoted. */
char         *atc_cli_quote_field       (const char         *value);
/* Splits a `set` VALUE into its fields (commas, "quotes", backslash escapes). */
GStrv         atc_cli_split_fields      (const char         *text,
                                         GError            **error);

/* The value as it may be shown: the mask for secrets unless --show-secrets. */
gboolean      atc_cli_param_hidden      (AtcCli             *cli,
                                         const AtcParam     *param);
/* "param=value, param=value" */
char         *atc_cli_format_values     (AtcCli             *cli,
                                         const AtcCommand   *command,
                                         const char *const  *values);
/* {"param": value, ...}: numbers for INT/PORT, null for hidden secrets. */
void          atc_cli_build_values      (AtcCli             *cli,
                                         JsonBuilder        *builder,
                                         const AtcCommand   *command,
                                         const char *const  *values);
void          atc_cli_print_json        (JsonNode           *root);
/* Prints the builder's root as atc_cli_print_json() does. */
void          atc_cli_print_builder     (JsonBuilder        *builder);
/* "name": value, or null when value is NULL. */
void          atc_cli_add_string_or_null (JsonBuilder       *builder,
                                          const char        *name,
                                          const char        *value);
/* "name": ["a", "b", …] */
void          atc_cli_add_string_array  (JsonBuilder        *builder,
                                         const char         *name,
                                         const char *const  *strv);

/* Translates a GError into the documented exit status. */
int           atc_cli_exit_status       (const GError       *error);
void          atc_cli_print_error       (AtcCli             *cli,
                                         const GError       *error);

/* atc-cli-ports.c */
/* Prints the serial ports to stderr as a hint after a "not found" error. */
void          atc_cli_print_ports_hint  (void);

/* The lines every --help ends with. */
const char   *atc_cli_exit_status_help  (void);

G_END_DECLS
