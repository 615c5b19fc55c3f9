/* fuzz-main.c: a libFuzzer-compatible driver for builds without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   fuzz-TARGET [--seconds S] [--runs N] [--seed N] [--dict FILE]
 *               [--max-len N] PATH...
 *
 * Runs every file given (or found in a directory given) through
 * LLVMFuzzerTestOneInput(), then mutates those inputs at random (bit
 * flips, interesting bytes, insertions, deletions, copies, dictionary
 * tokens, splices) until S seconds or N runs have passed, whichever comes
 * first. It is not coverage guided; libFuzzer (build-aux/run-fuzzers)
 * is. It speaks TAP so that `meson test --suite fuzz` counts it.
 *
 * $ATC_FUZZ_SECONDS and $ATC_FUZZ_SEED override --seconds and --seed. A run
 * is reproducible from its seed and run count, which the TAP lines print;
 * --runs N --save-last FILE saves the Nth mutated input (a leak report
 * comes at exit: find N by bisection).
 * When an input crashes (a signal, a sanitizer report, a failed
 * invariant), the driver prints it and saves it as crash-TARGET-HASH in
 * $ATC_FUZZ_ARTIFACT_DIR (default: the working directory); give that file
 * back to the driver, or to the libFuzzer binary, to replay it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fuzz-common.h"

#ifdef ATC_FUZZ_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

#define DEFAULT_MAX_LEN 4096

typedef struct {
  guint8 *data;
  gsize   len;
} Input;

/* What is being run right now, for the crash report. */
static const guint8 *current_data;
static gsize         current_len;
static char          artifact_path[4096];
static const char   *target_name = "fuzz";

static guint64 rng_state;

static guint64
rng_next (void)
{
  /* xorshift64*: fast, and the same sequence on every machine. */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * G_GUINT64_CONSTANT (2685821657736338717);
}

static gsize
rng_below (gsize n)
{
  return n == 0 ? 0 : (gsize) (rng_next () % n);
}

/* Async-signal-safe output. */
static void
say (const char *text)
{
  gsize len = strlen (text);

  while (len > 0)
    {
      ssize_t n = write (STDERR_FILENO, text, len);

      if (n <= 0)
        return;
      text += n;
      len -= (gsize) n;
    }
}

static void
report_current_input (void)
{
  static const char digits[] = "01234567";
  static gboolean reported;
  char buf[5];
  int fd;

  if (reported || current_data == NULL)
    return;
  reported = TRUE;

  say ("\n==fuzz== crashing input as C string: \"");
  for (gsize i = 0; i < current_len; i++)
    {
      guint8 c = current_data[i];

      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
        {
          buf[0] = (char) c;
          buf[1] = '\0';
        }
      else
        {
          /* Three octal digits: never swallows the next character. */
          buf[0] = '\\';
          buf[1] = digits[(c >> 6) & 3];
          buf[2] = digits[(c >> 3) & 7];
          buf[3] = digits[c & 7];
          buf[4] = '\0';
        }
      say (buf);
    }
  say ("\"\n");

  if (artifact_path[0] != '\0')
    {
      fd = open (artifact_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd >= 0)
        {
          gsize done = 0;

          while (done < current_len)
            {
              ssize_t n = write (fd, current_data + done, current_len - done);

              if (n <= 0)
                break;
              done += (gsize) n;
            }
          close (fd);
          say ("==fuzz== saved as ");
          say (artifact_path);
          say ("\n");
        }
    }
}

static void
on_fatal_signal (int sig)
{
  report_current_input ();
  signal (sig, SIG_DFL);
  raise (sig);
}

/* Fixes the artifact name before running an input: the hash is computed
 * here, outside the signal handler. */
static void
set_current (const guint8 *data,
             gsize         len)
{
  const char *dir = g_getenv ("ATC_FUZZ_ARTIFACT_DIR");
  guint32 hash = 2166136261u;

  for (gsize i = 0; i < len; i++)
    hash = (hash ^ data[i]) * 16777619u;

  g_snprintf (artifact_path, sizeof artifact_path, "%s/crash-%s-%08x",
              dir != NULL && dir[0] != '\0' ? dir : ".", target_name, hash);
  current_data = data;
  current_len = len;
}

static void
run_one (const guint8 *data,
         gsize         len)
{
  /* A copy of exactly len bytes, as libFuzzer gives: reading past the
   * end is then an error the sanitizers see. */
  guint8 *copy = g_memdup2 (data, len > 0 ? len : 1);

  set_current (copy, len);
  LLVMFuzzerTestOneInput (copy, len);
  current_data = NULL;
  g_free (copy);
}

static void
add_file (GPtrArray  *inputs,
          const char *path,
          gsize       max_len)
{
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;
  Input *input;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (2);
    }
  input = g_new0 (Input, 1);
  input->data = (guint8 *) contents;
  input->len = MIN (len, max_len);
  g_ptr_array_add (inputs, input);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static void
add_path (GPtrArray  *inputs,
          const char *path,
          gsize       max_len)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      add_file (inputs, path, max_len);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  /* A fixed order, so a seed and a run count name one input. */
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    add_file (inputs, g_ptr_array_index (names, i), max_len);
}

/* libFuzzer dictionary lines: name="value" with \\, \" and \xNN escapes. */
static GPtrArray *
load_dict (const char *path)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (path == NULL)
    return g_steal_pointer (&tokens);
  if (!g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_printerr ("Cannot read the dictionary %s\n", path);
      exit (2);
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *p = strchr (lines[i], '"');
      g_autoptr(GByteArray) token = NULL;

      if (lines[i][0] == '#' || p == NULL)
        continue;
      token = g_byte_array_new ();
      for (p++; *p != '\0' && *p != '"'; p++)
        {
          guint8 c = (guint8) *p;

          if (*p == '\\' && p[1] == 'x' && g_ascii_isxdigit (p[2]) && g_ascii_isxdigit (p[3]))
            {
              c = (guint8) (g_ascii_xdigit_value (p[2]) * 16 + g_ascii_xdigit_value (p[3]));
              p += 3;
            }
          else if (*p == '\\' && p[1] != '\0')
            {
              c = (guint8) *++p;
            }
          g_byte_array_append (token, &c, 1);
        }
      if (token->len > 0)
        g_ptr_array_add (tokens, g_byte_array_free_to_bytes (g_steal_pointer (&token)));
    }

  return g_steal_pointer (&tokens);
}

static const guint8 interesting[] = {
  0x00, 0x01, 0x7f, 0x80, 0xff, 0xc3, 0xe2, '\r', '\n', '\t', ' ', ',', ';', '=', '?', ':',
  '[', ']', '<', '>', '+', '-', '%', '&', '#', '/', '"', '\\', '{', '}', '0', '9', 'A', 'F',
};

/* One random edit of buf (len bytes, room for max_len). */
static gsize
mutate_once (guint8    *buf,
             gsize      len,
             gsize      max_len,
             GPtrArray *inputs,
             GPtrArray *dict)
{
  switch (rng_below (9))
    {
    case 0: /* flip a bit */
      if (len > 0)
        buf[rng_below (len)] ^= (guint8) (1u << rng_below (8));
      return len;

    case 1: /* an interesting byte */
      if (len > 0)
        buf[rng_below (len)] = interesting[rng_below (sizeof interesting)];
      return len;

    case 2: /* any byte */
      if (len > 0)
        buf[rng_below (len)] = (guint8) rng_next ();
      return len;

    case 3: /* insert a few bytes */
      {
        gsize n = 1 + rng_below (4);
        gsize at = rng_below (len + 1);

        if (len + n > max_len)
          return len;
        memmove (buf + at + n, buf + at, len - at);
        for (gsize i = 0; i < n; i++)
          buf[at + i] = rng_below (2) ? interesting[rng_below (sizeof interesting)]
                                      : (guint8) rng_next ();
        return len + n;
      }

    case 4: /* delete a range */
      {
        gsize at, n;

        if (len == 0)
          return len;
        at = rng_below (len);
        n = 1 + rng_below (MIN (len - at, 16));
        memmove (buf + at, buf + at + n, len - at - n);
        return len - n;
      }

    case 5: /* duplicate a range */
      {
        gsize from, n, at;

        if (len == 0)
          return len;
        from = rng_below (len);
        n = 1 + rng_below (MIN (len - from, 64));
        at = rng_below (len + 1);
        if (len + n > max_len)
          return len;
        {
          g_autofree guint8 *piece = g_memdup2 (buf + from, n);

          memmove (buf + at + n, buf + at, len - at);
          memcpy (buf + at, piece, n);
        }
        return len + n;
      }

    case 6: /* insert or overwrite with a dictionary token */
      {
        GBytes *token;
        const guint8 *t;
        gsize n, at;

        if (dict->len == 0)
          return len;
        token = g_ptr_array_index (dict, rng_below (dict->len));
        t = g_bytes_get_data (token, &n);
        at = rng_below (len + 1);
        if (rng_below (2) && at + n <= len)
          {
            memcpy (buf + at, t, n);
            return len;
          }
        if (len + n > max_len)
          return len;
        memmove (buf + at + n, buf + at, len - at);
        memcpy (buf + at, t, n);
        return len + n;
      }

    case 7: /* splice: the head of this input, the tail of another */
      {
        const Input *other = g_ptr_array_index (inputs, rng_below (inputs->len));
        gsize keep = rng_below (len + 1);
        gsize from = rng_below (other->len + 1);
        gsize n = MIN (other->len - from, max_len - keep);

        memcpy (buf + keep, other->data + from, n);
        return keep + n;
      }

    case 8: /* truncate */
    default:
      return rng_below (len + 1);
    }
}

static double
env_double (const char *name,
            double      fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? g_ascii_strtod (value, NULL) : fallback;
}

int
main (int   argc,
      char *argv[])
{
  double seconds = 15;
  gint64 max_runs = G_MAXINT64;
  gint64 seed = 1;
  gint64 max_len = DEFAULT_MAX_LEN;
  g_autofree char *dict_path = NULL;
  g_autofree char *save_last = NULL;
  g_auto(GStrv) paths = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) inputs = NULL;
  g_autoptr(GPtrArray) dict = NULL;
  g_autofree guint8 *buf = NULL;
  g_autofree char *base = NULL;
  const GOptionEntry entries[] = {
    { "seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Mutate for this long (15)", "S" },
    { "runs", 0, 0, G_OPTION_ARG_INT64, &max_runs, "Stop after N mutated inputs", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the mutations (1)", "N" },
    { "dict", 0, 0, G_OPTION_ARG_FILENAME, &dict_path, "libFuzzer dictionary", "FILE" },
    { "max-len", 0, 0, G_OPTION_ARG_INT64, &max_len, "Longest input (4096)", "N" },
    { "save-last", 0, 0, G_OPTION_ARG_FILENAME, &save_last,
      "Save the last mutated input (with --runs: to find what leaked)", "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &paths, NULL, "PATH…" },
    { NULL },
  };
  gint64 start, deadline, runs = 0;
  struct sigaction action = { 0 };

  base = g_path_get_basename (argv[0]);
  if (g_str_has_suffix (base, "-driver"))
    base[strlen (base) - strlen ("-driver")] = '\0';
  target_name = base;

  context = g_option_context_new ("PATH… — replay a corpus, then mutate it");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (paths == NULL || paths[0] == NULL)
    {
      g_printerr ("Give at least one corpus file or directory.\n");
      return 2;
    }
  seconds = env_double ("ATC_FUZZ_SECONDS", seconds);
  seed = (gint64) env_double ("ATC_FUZZ_SEED", (double) seed);
  max_len = CLAMP (max_len, 1, 16 * 1024 * 1024);

  action.sa_handler = on_fatal_signal;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < 5; i++)
    sigaction ((int[]) { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL }[i], &action, NULL);
#ifdef ATC_FUZZ_ASAN
  /* The sanitizers report, then exit without a signal. */
  __sanitizer_set_death_callback (report_current_input);
#endif

  LLVMFuzzerInitialize (&argc, &argv);

  inputs = g_ptr_array_new ();
  for (guint i = 0; paths[i] != NULL; i++)
    add_path (inputs, paths[i], (gsize) max_len);
  dict = load_dict (dict_path);

  g_print ("1..2\n");
  g_print ("# %s: %u inputs, seed %" G_GINT64_FORMAT ", %.0f s\n", target_name, inputs->len,
           seed, seconds);

  for (guint i = 0; i < inputs->len; i++)
    {
      const Input *input = g_ptr_array_index (inputs, i);

      run_one (input->data, input->len);
    }
  g_print ("ok 1 - corpus: %u inputs\n", inputs->len);

  if (inputs->len == 0)
    {
      g_print ("ok 2 # SKIP nothing to mutate\n");
      return 0;
    }

  rng_state = (guint64) seed * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) + 1;
  buf = g_malloc ((gsize) max_len);
  start = g_get_monotonic_time ();
  deadline = start + (gint64) (seconds * G_USEC_PER_SEC);

  while (runs < max_runs && (runs % 64 != 0 || g_get_monotonic_time () < deadline))
    {
      const Input *input = g_ptr_array_index (inputs, rng_below (inputs->len));
      gsize len = MIN (input->len, (gsize) max_len);
      guint n_edits = 1 + (guint) rng_below (6);

      memcpy (buf, input->data, len);
      for (guint i = 0; i < n_edits; i++)
        len = mutate_once (buf, len, (gsize) max_len, inputs, dict);
      if (save_last != NULL && runs + 1 == max_runs &&
          !g_file_set_contents (save_last, (const char *) buf, len, &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      run_one (buf, len);
      runs++;
    }

  g_print ("ok 2 - %" G_GINT64_FORMAT " mutated inputs in %.1f s "
           "(replay: --seed %" G_GINT64_FORMAT " --runs %" G_GINT64_FORMAT ")\n",
           runs, (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, seed, runs);

  for (guint i = 0; i < inputs->len; i++)
    {
      Input *input = g_ptr_array_index (inputs, i);

      g_free (input->data);
      g_free (input);
    }

  return 0;
}
