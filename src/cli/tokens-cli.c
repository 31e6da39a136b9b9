/* tokens-cli.c — the kept tokens, for the programs that use them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tokens-cli list [--json]
 * tokens-cli read REF
 * tokens-cli run [--env VAR=REF]… [--env-file FILE] [--no-masking] -- COMMAND [ARG…]
 * tokens-cli inject [-i TEMPLATE] [-o FILE] [--force]
 * tokens-cli git-credential get|store|erase
 * tokens-cli check [--within DAYS] [--json]
 *
 * A secret leaves this program in three ways only: on stdout for `read`
 * and `inject` (or into inject's 0600 file), and in COMMAND's environment
 * for `run`. Never in a message, never in an argument of a process.
 * Every failure has its own exit status (tc-refs.h, and --help).
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tc-mask.h"
#include "tc-refs.h"
#include "tc-run.h"
#include "tc-source.h"

#define DEFAULT_WITHIN_DAYS 7

static const char exit_statuses[] = N_(
  "Exit status:\n"
  "  0  done\n"
  "  1  check: a token expires within the days asked, or has expired\n"
  "  2  the command line is wrong\n"
  "  3  a reference names no kept token\n"
  "  4  a reference names more than one kept token: use its id\n"
  "  5  an env file or template cannot be read (the message says which line)\n"
  "  6  the keyring is locked and was not unlocked\n"
  "  7  no keyring is available\n"
  "  8  inject’s output file exists (use --force) or cannot be written\n"
  "  9  anything else\n"
  "run exits with COMMAND’s own status once COMMAND has started, and as shells do\n"
  "with 127 when COMMAND is not found, 126 when it cannot be run.");

static int
fail (GError *error)
{
  int status = tc_exit_for_error (error);

  /* Messages name files, lines, references and ids: never a secret. */
  g_printerr ("tokens-cli: %s\n", error->message);
  g_error_free (error);
  return status;
}

static int
usage (GOptionContext *context,
       const char     *message)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("tokens-cli: %s\n\n%s", message, help);
  return TC_EXIT_USAGE;
}

static GOptionContext *
make_context (const char         *parameters,
              const char         *summary,
              const GOptionEntry *entries)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_summary (context, summary);
  g_option_context_set_description (context, _(exit_statuses));
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  return context;
}

static gboolean
parse (GOptionContext  *context,
       int             *argc,
       char          ***argv,
       int             *status)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = usage (context, error->message);
      return FALSE;
    }
  return TRUE;
}

/* "in 12 days", "today", "expired 3 days ago", "no expiry" */
static char *
describe_expiry (const TcItem *item,
                 GDateTime    *now,
                 gint64       *days)
{
  g_autofree char *date = NULL;
  gint64 left;

  *days = G_MAXINT64;
  if (item->expires == NULL)
    return g_strdup (_("no expiry"));

  if (item->date_only)
    {
      /* Calendar days: it works on the day it expires, not the day after. */
      left = tokens_kept_days_until (item->expires, now);
      date = g_date_time_format (item->expires, "%Y-%m-%d");
    }
  else
    {
      GTimeSpan span = g_date_time_difference (item->expires, now);
      g_autoptr(GDateTime) local = g_date_time_to_local (item->expires);

      left = span <= 0 ? -((-span + G_TIME_SPAN_DAY - 1) / G_TIME_SPAN_DAY) : span / G_TIME_SPAN_DAY;
      if (span <= 0 && left == 0)
        left = -1;
      date = g_date_time_format (local, "%Y-%m-%d %H:%M");
    }
  *days = left;

  if (left < 0)
    /* Translators: %s is a date. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "expired %d day ago (%s)",
                                         "expired %d days ago (%s)", (gulong) -left),
                            (int) -left, date);
  if (left == 0)
    return g_strdup_printf (_("expires today (%s)"), date);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "expires in %d day (%s)",
                                       "expires in %d days (%s)", (gulong) left),
                          (int) left, date);
}

static void
add_item_json (JsonBuilder  *builder,
               const TcItem *item,
               GDateTime    *now)
{
  g_autofree char *reference = tc_source_reference (item);
  g_autofree char *words = NULL;
  gint64 days;

  words = describe_expiry (item, now, &days);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, item->id);
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, reference);
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, item->service);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, item->name);
  json_builder_set_member_name (builder, "used_in");
  if (item->used_in != NULL)
    json_builder_add_string_value (builder, item->used_in);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "expires");
  if (item->expires != NULL)
    {
      g_autofree char *text = item->date_only ? g_date_time_format (item->expires, "%Y-%m-%d")
                                              : g_date_time_format_iso8601 (item->expires);
      json_builder_add_string_value (builder, text);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "days_left");
  if (days == G_MAXINT64)
    json_builder_add_null_value (builder);
  else
    json_builder_add_int_value (builder, days);
  json_builder_set_member_name (builder, "origin");
  json_builder_add_string_value (builder, item->origin == TC_ORIGIN_KEPT ? "kept" : "service");
  json_builder_end_object (builder);
}

/* A JSON array of @items, for scripts: never a secret. */
static void
print_items_json (GPtrArray *items,
                  GDateTime *now)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    add_item_json (builder, g_ptr_array_index (items, i), now);
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static void
print_table (GPtrArray *items,
             GDateTime *now)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint widths[4] = { 0 };

  g_ptr_array_add (rows, g_strdupv ((char *[]) { _("ID"), _("REFERENCE"), _("USED IN"), _("EXPIRY"), NULL }));
  for (guint i = 0; i < items->len; i++)
    {
      const TcItem *item = g_ptr_array_index (items, i);
      gint64 days;
      char **row = g_new0 (char *, 5);

      row[0] = g_strdup (item->id);
      row[1] = tc_source_reference (item);
      row[2] = g_strdup (item->used_in ? item->used_in : "—");
      row[3] = describe_expiry (item, now, &days);
      g_ptr_array_add (rows, row);
    }

  for (guint i = 0; i < rows->len; i++)
    for (guint c = 0; c < 3; c++)
      widths[c] = MAX (widths[c], g_utf8_strlen (((char **) g_ptr_array_index (rows, i))[c], -1));

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < 3; c++)
        g_print ("%s%*s  ", row[c], (int) (widths[c] - g_utf8_strlen (row[c], -1)), "");
      g_print ("%s\n", row[3]);
    }
}

/* list */

static int
cmd_list (int    argc,
          char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON instead of a table"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (NULL, _("Every kept token: its reference, where it is used and when it expires. "
                          "Never a secret."), entries);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GError *error = NULL;
  int status;

  if (!parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return usage (context, _("list takes no arguments"));

  items = tc_source_list (&error);
  if (items == NULL)
    return fail (error);

  if (json)
    print_items_json (items, now);
  else if (items->len == 0)
    g_printerr (_("Tokens keeps no token yet: add one in the app.\n"));
  else
    print_table (items, now);

  return TC_EXIT_OK;
}

/* read */

static int
cmd_read (int    argc,
          char **argv)
{
  g_autoptr(GOptionContext) context =
    make_context (_("REF"), _("Prints the secret REF names: tokens://SERVICE/NAME, or an id from "
                              "“tokens-cli list”. A newline follows only on a terminal."), NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  GError *error = NULL;
  TcItem *item;
  int status;

  if (!parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage (context, _("read takes one reference"));

  items = tc_source_list (&error);
  if (items == NULL || (item = tc_source_resolve (items, argv[1], &error)) == NULL)
    return fail (error);

  secret = tc_source_read (item, &error);
  if (secret == NULL)
    return fail (error);

  if (fputs (secret, stdout) == EOF || (isatty (STDOUT_FILENO) && fputc ('\n', stdout) == EOF) ||
      fflush (stdout) != 0)
    return TC_EXIT_OUTPUT;
  return TC_EXIT_OK;
}

/* Resolves and reads every reference before anything is done with one:
 * a command is not started, a file not written, with half of them. */
typedef struct
{
  GPtrArray  *items;      /* TcItem, every kept token */
  GHashTable *secrets;    /* reference → TokensSecret */
} Resolver;

static void
resolver_clear (Resolver *resolver)
{
  g_clear_pointer (&resolver->items, g_ptr_array_unref);
  g_clear_pointer (&resolver->secrets, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Resolver, resolver_clear)

static const char *
resolve (Resolver    *resolver,
         const char  *reference,
         const char  *where,
         GError     **error)
{
  TokensSecret *secret;
  TcItem *item;
  GError *local = NULL;

  secret = g_hash_table_lookup (resolver->secrets, reference);
  if (secret != NULL)
    return secret;

  if (resolver->items == NULL)
    {
      resolver->items = tc_source_list (error);
      if (resolver->items == NULL)
        return NULL;
    }

  item = tc_source_resolve (resolver->items, reference, &local);
  secret = item ? tc_source_read (item, &local) : NULL;
  if (secret == NULL)
    {
      if (where != NULL && local->domain == TC_ERROR)
        g_prefix_error (&local, "%s: ", where);
      g_propagate_error (error, local);
      return NULL;
    }

  g_hash_table_insert (resolver->secrets, g_strdup (reference), secret);
  return secret;
}

/* run */

static int
cmd_run (int    argc,
         char **argv)
{
  g_auto(GStrv) env_args = NULL;
  g_autofree char *env_file = NULL;
  gboolean no_masking = FALSE;
  const GOptionEntry entries[] = {
    { "env", 0, 0, G_OPTION_ARG_STRING_ARRAY, &env_args,
      N_("Set VAR to the secret REF names (repeat for more)"), N_("VAR=REF") },
    { "env-file", 0, 0, G_OPTION_ARG_FILENAME, &env_file,
      N_("Set the variables of FILE: NAME=VALUE lines; a value tokens://… is replaced by its secret"),
      N_("FILE") },
    { "no-masking", 0, 0, G_OPTION_ARG_NONE, &no_masking,
      N_("Let COMMAND’s output through as it is (COMMAND then writes to the terminal itself)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (_("-- COMMAND [ARG…]"),
                  _("Runs COMMAND with secrets in its environment, and with each of them masked "
                    "as “<concealed by Tokens>” in what it writes."), entries);
  g_auto(Resolver) resolver = { NULL, g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) tokens_secret_free) };
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GPtrArray) secrets = g_ptr_array_new ();
  g_autoptr(GPtrArray) file_entries = NULL;
  g_autoptr(GError) run_error = NULL;
  GError *error = NULL;
  char **command;
  int status;

  if (!parse (context, &argc, &argv, &status))
    return status;

  /* GOption leaves "--" in place when it is followed by arguments. */
  command = argv + 1;
  if (command[0] != NULL && g_str_equal (command[0], "--"))
    command++;
  if (command[0] == NULL)
    return usage (context, _("run needs a COMMAND, after “--”"));

  if (env_file != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (!g_file_get_contents (env_file, &contents, &length, &error))
        {
          g_autoptr(GError) read_error = error;

          return fail (g_error_new (TC_ERROR, TC_EXIT_BAD_INPUT, "%s", read_error->message));
        }
      file_entries = tc_env_file_parse (env_file, contents, length, &error);
      if (file_entries == NULL)
        return fail (error);

      for (guint i = 0; i < file_entries->len; i++)
        {
          const TcEnvEntry *entry = g_ptr_array_index (file_entries, i);
          g_autofree char *where = g_strdup_printf ("%s:%u", env_file, entry->line);
          const char *value = entry->value;

          if (entry->is_ref)
            {
              value = resolve (&resolver, entry->value, where, &error);
              if (value == NULL)
                return fail (error);
              g_ptr_array_add (secrets, (gpointer) value);
            }
          env = g_environ_setenv (env, entry->name, value, TRUE);
        }
    }

  for (guint i = 0; env_args != NULL && env_args[i] != NULL; i++)
    {
      const char *eq = strchr (env_args[i], '=');
      g_autofree char *name = eq ? g_strndup (env_args[i], eq - env_args[i]) : NULL;
      g_autofree char *where = g_strdup_printf ("--env %s", name ? name : "");
      const char *value;

      if (name == NULL || !tc_env_name_valid (name) || !tc_ref_is_ref (eq + 1))
        return usage (context, _("--env takes VAR=tokens://SERVICE/NAME"));

      value = resolve (&resolver, eq + 1, where, &error);
      if (value == NULL)
        return fail (error);
      g_ptr_array_add (secrets, (gpointer) value);
      env = g_environ_setenv (env, name, value, TRUE);
    }

  if (secrets->len == 0)
    return usage (context, _("run has no secret to give: use --env or --env-file with tokens:// references"));

  g_ptr_array_add (secrets, NULL);
  fflush (stdout);
  status = tc_run (command, env, (const char * const *) secrets->pdata, !no_masking, &run_error);
  if (run_error != NULL)
    {
      g_printerr ("tokens-cli: %s\n", run_error->message);
      return status;
    }
  return status;
}

/* inject */

static int
write_output (const char  *path,
              gboolean     force,
              const char  *data,
              gsize        length)
{
  int fd;
  int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | (force ? O_TRUNC : O_EXCL);
  gsize done = 0;

  fd = g_open (path, flags, 0600);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == EEXIST)
        g_printerr (_("tokens-cli: %s exists: use --force to replace it\n"), path);
      else
        g_printerr ("tokens-cli: %s: %s\n", path, g_strerror (saved));
      return TC_EXIT_OUTPUT;
    }

  /* A file that was there keeps its owner, but not a wider mode. */
  if (fchmod (fd, 0600) != 0)
    {
      g_printerr ("tokens-cli: %s: %s\n", path, g_strerror (errno));
      close (fd);
      return TC_EXIT_OUTPUT;
    }

  while (done < length)
    {
      ssize_t n = write (fd, data + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          g_printerr ("tokens-cli: %s: %s\n", path, g_strerror (errno));
          close (fd);
          return TC_EXIT_OUTPUT;
        }
      done += n;
    }

  if (close (fd) != 0)
    {
      g_printerr ("tokens-cli: %s: %s\n", path, g_strerror (errno));
      return TC_EXIT_OUTPUT;
    }
  return TC_EXIT_OK;
}

static int
cmd_inject (int    argc,
            char **argv)
{
  g_autofree char *in_file = NULL;
  g_autofree char *out_file = NULL;
  gboolean force = FALSE;
  const GOptionEntry entries[] = {
    { "in-file", 'i', 0, G_OPTION_ARG_FILENAME, &in_file, N_("Read the template from FILE (default: standard input)"), N_("FILE") },
    { "out-file", 'o', 0, G_OPTION_ARG_FILENAME, &out_file, N_("Write to FILE, made readable by you alone (default: standard output)"), N_("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, N_("Replace FILE if it exists"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (NULL, _("Copies a template with each {{ tokens://SERVICE/NAME }} replaced by its secret."),
                  entries);
  g_auto(Resolver) resolver = { NULL, g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             (GDestroyNotify) tokens_secret_free) };
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GString) out = NULL;
  g_autofree char *contents = NULL;
  const char *name;
  gsize length = 0;
  gsize done = 0;
  GError *error = NULL;
  int status;

  if (!parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return usage (context, _("inject takes no arguments: the template is -i FILE or standard input"));

  name = in_file ? in_file : _("standard input");
  if (in_file != NULL)
    {
      if (!g_file_get_contents (in_file, &contents, &length, &error))
        {
          g_autoptr(GError) read_error = error;

          return fail (g_error_new (TC_ERROR, TC_EXIT_BAD_INPUT, "%s", read_error->message));
        }
    }
  else
    {
      g_autoptr(GIOChannel) channel = g_io_channel_unix_new (STDIN_FILENO);

      g_io_channel_set_encoding (channel, NULL, NULL);
      if (g_io_channel_read_to_end (channel, &contents, &length, &error) != G_IO_STATUS_NORMAL)
        {
          g_autoptr(GError) read_error = error;

          return fail (g_error_new (TC_ERROR, TC_EXIT_BAD_INPUT, "%s", read_error ? read_error->message : name));
        }
    }

  if (memchr (contents, '\0', length) != NULL)
    return fail (g_error_new (TC_ERROR, TC_EXIT_BAD_INPUT, _("%s: not a text template (it holds a NUL byte)"), name));

  found = tc_template_parse (name, contents, length, &error);
  if (found == NULL)
    return fail (error);

  out = g_string_sized_new (length);
  for (guint i = 0; i < found->len; i++)
    {
      const TcPlaceholder *placeholder = g_ptr_array_index (found, i);
      g_autofree char *where = g_strdup_printf ("%s:%u", name, placeholder->line);
      const char *secret = resolve (&resolver, placeholder->ref, where, &error);

      if (secret == NULL)
        {
          memset (out->str, 0, out->len);
          return fail (error);
        }
      g_string_append_len (out, contents + done, placeholder->start - done);
      g_string_append (out, secret);
      done = placeholder->end;
    }
  g_string_append_len (out, contents + done, length - done);

  if (out_file != NULL)
    status = write_output (out_file, force, out->str, out->len);
  else
    status = fwrite (out->str, 1, out->len, stdout) == out->len && fflush (stdout) == 0
               ? TC_EXIT_OK : TC_EXIT_OUTPUT;

  memset (out->str, 0, out->len);
  return status;
}

/* git-credential */

static const char *
git_username (const TcItem *item)
{
  /* Services take any user name with a token; these are the ones their
   * documentation gives. */
  if (item->service != NULL && g_ascii_strcasecmp (item->service, "GitLab") == 0)
    return "oauth2";
  if (item->service != NULL && g_ascii_strcasecmp (item->service, "GitHub") == 0)
    return "x-access-token";
  return "token";
}

static gboolean
host_matches (const char *used_in,
              const char *host)
{
  g_autofree char *candidate = NULL;
  const char *start = used_in;
  const char *scheme = strstr (used_in, "://");

  /* "github.com", or "https://github.com/…" */
  if (scheme != NULL)
    start = scheme + 3;
  candidate = g_strndup (start, strcspn (start, "/"));
  return g_ascii_strcasecmp (g_strstrip (candidate), host) == 0;
}

static int
cmd_git_credential (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context =
    make_context (_("get|store|erase"),
                  _("A git credential helper: git config credential.helper '!tokens-cli git-credential'. "
                    "get answers with the kept token whose “used in” is the host; store and erase "
                    "leave the keyring alone."), NULL);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(TokensSecret) secret = NULL;
  g_autofree char *host = NULL;
  char line[4096];
  GError *error = NULL;
  TcItem *item;
  int status;

  if (!parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return usage (context, _("git-credential takes get, store or erase"));

  /* git sends its description whatever the action: read it all. */
  while (fgets (line, sizeof line, stdin) != NULL)
    {
      g_strchomp (line);
      if (line[0] == '\0')
        break;
      if (g_str_has_prefix (line, "host="))
        {
          g_free (host);
          host = g_strdup (line + 5);
        }
    }
  memset (line, 0, sizeof line);

  if (g_str_equal (argv[1], "store") || g_str_equal (argv[1], "erase"))
    return TC_EXIT_OK;
  if (!g_str_equal (argv[1], "get"))
    return usage (context, _("git-credential takes get, store or erase"));
  if (host == NULL || host[0] == '\0')
    return TC_EXIT_OK;

  items = tc_source_list (&error);
  if (items == NULL)
    return fail (error);

  for (guint i = 0; i < items->len; i++)
    {
      item = g_ptr_array_index (items, i);
      if (item->used_in != NULL && host_matches (item->used_in, host))
        g_ptr_array_add (matches, item);
    }

  /* Nothing to say lets git ask its next helper, or the person. */
  if (matches->len == 0)
    return TC_EXIT_OK;
  if (matches->len > 1)
    {
      g_printerr (_("tokens-cli: %u kept tokens are used in %s: git is given none of them\n"),
                  matches->len, host);
      return TC_EXIT_OK;
    }

  item = g_ptr_array_index (matches, 0);
  secret = tc_source_read (item, &error);
  if (secret == NULL)
    return fail (error);

  g_print ("username=%s\npassword=%s\n", git_username (item), secret);
  if (item->expires != NULL)
    {
      gint64 expiry = g_date_time_to_unix (item->expires);

      /* A day's date: it works until the end of that day. */
      if (item->date_only)
        expiry += 24 * 60 * 60;
      g_print ("password_expiry_utc=%" G_GINT64_FORMAT "\n", expiry);
    }
  fflush (stdout);
  return TC_EXIT_OK;
}

/* check */

static guint
warning_days (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;
  g_autoptr(GSettings) settings = NULL;

  /* The app's setting, when the app is installed beside us. */
  if (schema == NULL || !g_settings_schema_has_key (schema, "expiry-warning-days"))
    return DEFAULT_WITHIN_DAYS;
  settings = g_settings_new (APP_ID);
  return g_settings_get_uint (settings, "expiry-warning-days");
}

static int
cmd_check (int    argc,
           char **argv)
{
  int within = -1;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "within", 0, 0, G_OPTION_ARG_INT, &within,
      N_("Tokens that expire within DAYS (default: the app’s warning setting, or 7)"), N_("DAYS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Write JSON instead of lines"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    make_context (NULL, _("Lists the kept tokens that expire soon or have expired; exit status 1 if "
                          "there is any, for a login script or a cron job."), entries);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GError *error = NULL;
  int status;

  if (!parse (context, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return usage (context, _("check takes no arguments"));
  if (within == -1)
    within = (int) warning_days ();
  if (within < 0 || within > 36500)
    return usage (context, _("--within takes a number of days from 0"));

  items = tc_source_list (&error);
  if (items == NULL)
    return fail (error);

  for (guint i = 0; i < items->len; i++)
    {
      TcItem *item = g_ptr_array_index (items, i);
      g_autofree char *words = NULL;
      gint64 days;

      words = describe_expiry (item, now, &days);
      if (days != G_MAXINT64 && days <= within)
        g_ptr_array_add (due, item);
    }

  if (json)
    print_items_json (due, now);
  else
    for (guint i = 0; i < due->len; i++)
      {
        const TcItem *item = g_ptr_array_index (due, i);
        g_autofree char *reference = tc_source_reference (item);
        g_autofree char *words = NULL;
        gint64 days;

        words = describe_expiry (item, now, &days);
        g_print ("%s  %s  %s\n", item->id, reference, words);
      }

  return due->len > 0 ? TC_EXIT_FOUND : TC_EXIT_OK;
}

/* main */

static const struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *summary;
} commands[] = {
  { "list", cmd_list, N_("every kept token: reference, service, name, where used, expiry") },
  { "read", cmd_read, N_("print the secret a reference names") },
  { "run", cmd_run, N_("run a command with secrets in its environment, masked in its output") },
  { "inject", cmd_inject, N_("copy a template with its {{ tokens://… }} filled in") },
  { "git-credential", cmd_git_credential, N_("a git credential helper") },
  { "check", cmd_check, N_("the kept tokens that expire soon; exit status 1 if any") },
};

static int
main_usage (FILE *to)
{
  fprintf (to, "%s\n  tokens-cli %s\n\n%s\n", _("Usage:"), _("COMMAND [OPTION…]"),
           _("The tokens kept in Tokens, for the programs that use them. Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (to, "  %-16s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (to, "\n%s\n\n%s\n", _("“tokens-cli COMMAND --help” says more about each."), _(exit_statuses));
  return to == stdout ? TC_EXIT_OK : TC_EXIT_USAGE;
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("TOKENS_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* TOKENS_LOCALEDIR: the build tree's translations, as for the app. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("tokens-cli");

  if (argc < 2)
    return main_usage (stderr);
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    return main_usage (stdout);
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("tokens-cli %s\n", PACKAGE_VERSION);
      return TC_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      {
        /* The command's own name is its argv[0], for its --help. */
        g_autofree char *prgname = g_strdup_printf ("tokens-cli %s", commands[i].name);

        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  {
    g_autofree char *shown = tc_ref_shown (argv[1]);

    g_printerr (_("tokens-cli: no command “%s”\n\n"), shown);
  }
  return main_usage (stderr);
}
