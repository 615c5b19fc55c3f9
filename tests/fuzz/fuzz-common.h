/* fuzz-common.h: what every fuzz target shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each target defines LLVMFuzzerTestOneInput() and LLVMFuzzerInitialize().
 * With -Dfuzzing=true (clang) they link against libFuzzer; in every build
 * they also link against fuzz-main.c, a small driver that replays the seed
 * corpus and then mutates it for a bounded time (the "fuzz" test suite).
 *
 * A target says what must hold for any input with FUZZ_CHECK: a failure
 * aborts, which both libFuzzer and the driver report as a crash together
 * with the input.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

/* Built with AddressSanitizer (gcc says so one way, clang another). */
#if defined(__SANITIZE_ADDRESS__)
#define ATC_FUZZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATC_FUZZ_ASAN 1
#endif
#endif

G_BEGIN_DECLS

int  LLVMFuzzerTestOneInput (const guint8 *data,
                             size_t        size);
int  LLVMFuzzerInitialize   (int          *argc,
                             char       ***argv);

/* GLib criticals and warnings (a g_return_if_fail() that fired, a bad
 * cast) are bugs too: make them abort. */
void atc_fuzz_setup         (void);

#define FUZZ_CHECK(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        fprintf (stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
        abort (); \
      } \
  } G_STMT_END

/* Same, printing two strings that should have been equal. */
#define FUZZ_CHECK_STREQ(a, b) \
  G_STMT_START { \
    const char *fuzz_a_ = (a), *fuzz_b_ = (b); \
    if (G_UNLIKELY (g_strcmp0 (fuzz_a_, fuzz_b_) != 0)) \
      { \
        fprintf (stderr, "%s:%d: invariant failed: %s == %s\n  \"%s\"\n  \"%s\"\n", \
                 __FILE__, __LINE__, #a, #b, fuzz_a_ ? fuzz_a_ : "(null)", \
                 fuzz_b_ ? fuzz_b_ : "(null)"); \
        abort (); \
      } \
  } G_STMT_END

G_END_DECLS
