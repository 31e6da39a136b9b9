/* test-cli-units.c — tokens-cli's masking, references, env files, templates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What needs no keyring. The masker is fed the same output in every way a
 * pipe may cut it — whole, one byte at a time, and at every split point —
 * and must give the same text each time, with no byte of a secret in it.
 */

#include "config.h"

#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tc-mask.h"
#include "tc-refs.h"
#include "tc-run.h"

#define GH "ghp_0123456789abcdefghijABCDEFGHIJ4vBx2c"
#define NPM "npm_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

static char *
mask_whole (const char * const *secrets,
            const char         *text)
{
  g_autoptr(TcMasker) masker = tc_masker_new (secrets);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  tc_masker_feed (masker, (const guint8 *) text, strlen (text), out);
  tc_masker_finish (masker, out);
  g_byte_array_append (out, (const guint8 *) "", 1);
  return g_strdup ((char *) out->data);
}

static char *
mask_in_pieces (const char * const *secrets,
                const char         *text,
                gsize               piece)
{
  g_autoptr(TcMasker) masker = tc_masker_new (secrets);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize len = strlen (text);

  for (gsize i = 0; i < len; i += piece)
    tc_masker_feed (masker, (const guint8 *) text + i, MIN (piece, len - i), out);
  tc_masker_finish (masker, out);
  g_byte_array_append (out, (const guint8 *) "", 1);
  return g_strdup ((char *) out->data);
}

static char *
mask_split_at (const char * const *secrets,
               const char         *text,
               gsize               at)
{
  g_autoptr(TcMasker) masker = tc_masker_new (secrets);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  tc_masker_feed (masker, (const guint8 *) text, at, out);
  tc_masker_feed (masker, (const guint8 *) text + at, strlen (text) - at, out);
  tc_masker_finish (masker, out);
  g_byte_array_append (out, (const guint8 *) "", 1);
  return g_strdup ((char *) out->data);
}

static void
assert_masked_every_way (const char * const *secrets,
                         const char         *text,
                         const char         *expected)
{
  g_autofree char *whole = mask_whole (secrets, text);

  g_assert_cmpstr (whole, ==, expected);
  for (gsize piece = 1; piece <= 7; piece++)
    {
      g_autofree char *pieces = mask_in_pieces (secrets, text, piece);

      g_assert_cmpstr (pieces, ==, expected);
    }
  for (gsize at = 0; at <= strlen (text); at++)
    {
      g_autofree char *split = mask_split_at (secrets, text, at);

      g_assert_cmpstr (split, ==, expected);
    }
}

static void
test_mask_replaces_every_secret_however_the_output_is_cut (void)
{
  const char *secrets[] = { GH, NPM, NULL };

  assert_masked_every_way (secrets, "token=" GH "\n",
                           "token=" TC_MASK_TEXT "\n");
  assert_masked_every_way (secrets, GH GH " and " NPM,
                           TC_MASK_TEXT TC_MASK_TEXT " and " TC_MASK_TEXT);
  /* Starts of a secret that never finish go through as they are. */
  assert_masked_every_way (secrets, "ghp_ is GitHub's prefix; ghp_0123 is not a token\n",
                           "ghp_ is GitHub's prefix; ghp_0123 is not a token\n");
  assert_masked_every_way (secrets, "almost " GH "X", "almost " TC_MASK_TEXT "X");
  assert_masked_every_way (secrets, "", "");
}

static void
test_mask_prefers_the_longer_of_two_secrets (void)
{
  const char *secrets[] = { "sk-abc", "sk-abcdef", NULL };

  assert_masked_every_way (secrets, "a sk-abcdef b", "a " TC_MASK_TEXT " b");
  assert_masked_every_way (secrets, "a sk-abcde b", "a " TC_MASK_TEXT "de b");
  /* The shorter one at the very end of the stream. */
  assert_masked_every_way (secrets, "end sk-abc", "end " TC_MASK_TEXT);
}

static void
test_mask_lets_output_through_at_once_unless_it_could_be_a_secret (void)
{
  const char *secrets[] = { GH, NULL };
  g_autoptr(TcMasker) masker = tc_masker_new (secrets);
  g_autoptr(GByteArray) out = g_byte_array_new ();

  tc_masker_feed (masker, (const guint8 *) "Password: ", 10, out);
  g_assert_cmpuint (out->len, ==, 10);

  /* "ghp_01" could become the secret: held back, and only that. */
  tc_masker_feed (masker, (const guint8 *) "x ghp_01", 8, out);
  g_assert_cmpuint (out->len, ==, 12);
  tc_masker_feed (masker, (const guint8 *) "!", 1, out);
  g_assert_cmpuint (out->len, ==, 19);
  g_assert_cmpint (memcmp (out->data, "Password: x ghp_01!", 19), ==, 0);
}

static void
test_mask_ignores_empty_secrets (void)
{
  const char *secrets[] = { "", "s3cret", NULL };

  assert_masked_every_way (secrets, "a s3cret b", "a " TC_MASK_TEXT " b");
}

static void
test_reference_forms (void)
{
  TcRef ref;
  g_autoptr(GError) error = NULL;

  g_assert_true (tc_ref_parse ("tokens://GitHub/CI token", &ref, &error));
  g_assert_cmpstr (ref.service, ==, "GitHub");
  g_assert_cmpstr (ref.name, ==, "CI token");
  tc_ref_clear (&ref);

  g_assert_true (tc_ref_parse ("TOKENS://npm/publish%2Fci%20bot", &ref, &error));
  g_assert_cmpstr (ref.service, ==, "npm");
  g_assert_cmpstr (ref.name, ==, "publish/ci bot");
  tc_ref_clear (&ref);

  /* Everything after the first slash is the name. */
  g_assert_true (tc_ref_parse ("tokens://gitlab/deploy/prod", &ref, &error));
  g_assert_cmpstr (ref.name, ==, "deploy/prod");
  tc_ref_clear (&ref);

  g_assert_true (tc_ref_parse ("k3f9a0", &ref, &error));
  g_assert_null (ref.service);
  g_assert_cmpstr (ref.name, ==, "k3f9a0");
  tc_ref_clear (&ref);

  for (guint i = 0; i < 6; i++)
    {
      const char *bad[] = { "tokens://", "tokens://github", "tokens://github/",
                            "tokens:///name", "", "two words" };

      g_assert_false (tc_ref_parse (bad[i], &ref, &error));
      g_assert_error (error, TC_ERROR, TC_EXIT_USAGE);
      g_assert_null (ref.service);
      g_assert_null (ref.name);
      g_clear_error (&error);
    }

  /* An escape that is not UTF-8, or NUL, names nothing. */
  g_assert_false (tc_ref_parse ("tokens://github/%ff", &ref, &error));
  g_clear_error (&error);
  g_assert_false (tc_ref_parse ("tokens://github/a%00b", &ref, &error));
  g_clear_error (&error);
}

static const TcEnvEntry *
entry (GPtrArray *entries,
       guint      i)
{
  return g_ptr_array_index (entries, i);
}

static void
test_env_file_lines (void)
{
  const char *text =
    "# the CI's variables\n"
    "\n"
    "GITHUB_TOKEN=tokens://GitHub/CI token\n"
    "export NPM_TOKEN = \"tokens://npm/publish\"\n"
    "  REGION=eu-west-1   # a plain value\n"
    "GREETING='hello # not a comment'\r\n"
    "ESCAPED=\"a\\\"b\\\\c\\nd\"\n"
    "EMPTY=\n"
    "LAST=no newline at the end";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = tc_env_file_parse ("ci.env", text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 7);
  g_assert_cmpstr (entry (entries, 0)->name, ==, "GITHUB_TOKEN");
  g_assert_cmpstr (entry (entries, 0)->value, ==, "tokens://GitHub/CI token");
  g_assert_true (entry (entries, 0)->is_ref);
  g_assert_cmpuint (entry (entries, 0)->line, ==, 3);
  g_assert_cmpstr (entry (entries, 1)->name, ==, "NPM_TOKEN");
  g_assert_cmpstr (entry (entries, 1)->value, ==, "tokens://npm/publish");
  g_assert_true (entry (entries, 1)->is_ref);
  g_assert_cmpstr (entry (entries, 2)->value, ==, "eu-west-1");
  g_assert_false (entry (entries, 2)->is_ref);
  g_assert_cmpstr (entry (entries, 3)->value, ==, "hello # not a comment");
  g_assert_cmpstr (entry (entries, 4)->value, ==, "a\"b\\c\nd");
  g_assert_cmpstr (entry (entries, 5)->value, ==, "");
  g_assert_cmpstr (entry (entries, 6)->value, ==, "no newline at the end");
}

static void
test_env_file_errors_name_file_and_line_never_a_value (void)
{
  const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "A=1\nghp_0123456789abcdefghijABCDEFGHIJ4vBx2c\n", "bad.env:2: expected NAME=VALUE" },
    { "A=1\n\n1ABC=x\n", "bad.env:3: “1ABC” is not a variable name" },
    { "A=\"s3cret\n", "bad.env:1: the value of A has a quote that is not closed" },
    { "A='s3cret' trailing\n", "bad.env:1: the value of A has a quote" },
    { "my secret value=1\n", "bad.env:1: expected NAME=VALUE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) entries =
        tc_env_file_parse ("bad.env", cases[i].text, strlen (cases[i].text), &error);

      g_assert_null (entries);
      g_assert_error (error, TC_ERROR, TC_EXIT_BAD_INPUT);
      g_assert_true (g_str_has_prefix (error->message, cases[i].message));
      g_assert_null (strstr (error->message, "s3cret"));
      g_assert_null (strstr (error->message, "ghp_"));
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) entries = tc_env_file_parse ("nul.env", "A=1\0B=2", 7, &error);

    g_assert_null (entries);
    g_assert_error (error, TC_ERROR, TC_EXIT_BAD_INPUT);
  }
}

static void
test_template_placeholders (void)
{
  const char *text =
    "registry=https://registry.npmjs.org/\n"
    "//registry.npmjs.org/:_authToken={{ tokens://npm/publish }}\n"
    "other={{ .Values.kept }} and {{tokens://GitHub/CI token}}{{ tokens://x/y }}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = tc_template_parse ("npmrc.tpl", text, strlen (text), &error);
  TcPlaceholder *p;

  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 3);
  p = g_ptr_array_index (found, 0);
  g_assert_cmpstr (p->ref, ==, "tokens://npm/publish");
  g_assert_cmpuint (p->line, ==, 2);
  g_assert_cmpint (strncmp (text + p->start, "{{ tokens://npm/publish }}", p->end - p->start), ==, 0);
  p = g_ptr_array_index (found, 1);
  g_assert_cmpstr (p->ref, ==, "tokens://GitHub/CI token");
  g_assert_cmpuint (p->line, ==, 3);
  p = g_ptr_array_index (found, 2);
  g_assert_cmpstr (p->ref, ==, "tokens://x/y");

  g_clear_pointer (&found, g_ptr_array_unref);
  found = tc_template_parse ("t", "a\n{{ tokens://npm/x\n}}", 22, &error);
  g_assert_null (found);
  g_assert_error (error, TC_ERROR, TC_EXIT_BAD_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "t:2:"));
}

/* tc_run() writes to our stdout and stderr: files for the time of the call. */
static int
run_captured (const char  *script,
              gboolean     masking,
              char       **out,
              char       **err)
{
  const char *secrets[] = { GH, NULL };
  char *argv[] = { (char *) "/bin/sh", (char *) "-c", (char *) script, NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "X", GH, TRUE);
  g_autofree char *out_path = g_build_filename (g_get_tmp_dir (), "tc-run-out-XXXXXX", NULL);
  g_autofree char *err_path = g_build_filename (g_get_tmp_dir (), "tc-run-err-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  int out_fd = g_mkstemp (out_path);
  int err_fd = g_mkstemp (err_path);
  int saved_out = dup (STDOUT_FILENO);
  int saved_err = dup (STDERR_FILENO);
  int status;

  g_assert_cmpint (out_fd, >=, 0);
  g_assert_cmpint (err_fd, >=, 0);
  fflush (stdout);
  fflush (stderr);
  dup2 (out_fd, STDOUT_FILENO);
  dup2 (err_fd, STDERR_FILENO);
  status = tc_run (argv, env, secrets, masking, &error);
  dup2 (saved_out, STDOUT_FILENO);
  dup2 (saved_err, STDERR_FILENO);
  close (saved_out);
  close (saved_err);
  close (out_fd);
  close (err_fd);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (out_path, out, NULL, NULL));
  g_assert_true (g_file_get_contents (err_path, err, NULL, NULL));
  g_unlink (out_path);
  g_unlink (err_path);
  return status;
}

static void
test_run_masks_both_streams_and_keeps_the_status (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_captured ("echo \"out $X\"; echo \"err $X\" >&2; exit 7", TRUE, &out, &err), ==, 7);
  g_assert_cmpstr (out, ==, "out " TC_MASK_TEXT "\n");
  g_assert_cmpstr (err, ==, "err " TC_MASK_TEXT "\n");
}

static void
test_run_masks_a_secret_written_one_byte_at_a_time (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* One write(2) per byte, with time between them for each to be read
   * on its own. */
  g_assert_cmpint (run_captured ("printf 'a '; s=$X; while [ -n \"$s\" ]; do "
                                 "rest=${s#?}; printf %s \"${s%\"$rest\"}\"; s=$rest; sleep 0.005; "
                                 "done; echo ' b'",
                                 TRUE, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "a " TC_MASK_TEXT " b\n");
  g_assert_null (strstr (out, "ghp_0"));
}

static void
test_run_without_masking_passes_the_streams_as_they_are (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_captured ("echo \"$X\"", FALSE, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, GH "\n");
}

static void
test_run_of_a_missing_command_says_so (void)
{
  char *argv[] = { (char *) "tokens-cli-no-such-command", NULL };
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (tc_run (argv, env, NULL, TRUE, &error), ==, 127);
  g_assert_error (error, TC_ERROR, TC_EXIT_USAGE);
  g_assert_nonnull (strstr (error->message, "tokens-cli-no-such-command"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/mask/every-secret-however-the-output-is-cut",
                   test_mask_replaces_every_secret_however_the_output_is_cut);
  g_test_add_func ("/cli/mask/longer-of-two-secrets", test_mask_prefers_the_longer_of_two_secrets);
  g_test_add_func ("/cli/mask/output-goes-through-at-once",
                   test_mask_lets_output_through_at_once_unless_it_could_be_a_secret);
  g_test_add_func ("/cli/mask/empty-secrets-ignored", test_mask_ignores_empty_secrets);
  g_test_add_func ("/cli/reference/forms", test_reference_forms);
  g_test_add_func ("/cli/env-file/lines", test_env_file_lines);
  g_test_add_func ("/cli/env-file/errors-name-file-and-line",
                   test_env_file_errors_name_file_and_line_never_a_value);
  g_test_add_func ("/cli/template/placeholders", test_template_placeholders);

  g_test_add_func ("/cli/run/masks-both-streams-and-keeps-the-status",
                   test_run_masks_both_streams_and_keeps_the_status);
  g_test_add_func ("/cli/run/masks-a-secret-written-a-byte-at-a-time",
                   test_run_masks_a_secret_written_one_byte_at_a_time);
  g_test_add_func ("/cli/run/without-masking", test_run_without_masking_passes_the_streams_as_they_are);
  g_test_add_func ("/cli/run/missing-command", test_run_of_a_missing_command_says_so);

  return g_test_run ();
}
