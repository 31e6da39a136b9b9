/* tc-refs.c — tokens:// references, env files and templates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reference names a kept token without holding it, so files of
 * references can be committed: `tokens://SERVICE/NAME` (the service and
 * name the app shows, compared without case; %XX escapes allowed, so a
 * name may hold any character), or the id `tokens-cli list` shows.
 *
 * An env file is what `docker --env-file` and systemd read, a little
 * stricter: `NAME=VALUE` lines (or `export NAME=VALUE`), blank lines and
 * `#` comments; VALUE plain, 'single-quoted' as it is, or "double-quoted"
 * with \" \\ \n \t; a value that is a reference is replaced, others pass
 * through. Errors name the file and line, and the variable, never a value
 * (a careless file may hold a secret).
 *
 * A template is any text with `{{ tokens://… }}` in it; other `{{ … }}`
 * are left alone (they belong to other tools).
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tc-refs.h"

G_DEFINE_QUARK (tc-error-quark, tc_error)

void
tc_ref_clear (TcRef *ref)
{
  g_clear_pointer (&ref->service, g_free);
  g_clear_pointer (&ref->name, g_free);
}

gboolean
tc_ref_is_ref (const char *text)
{
  return g_ascii_strncasecmp (text, TC_REF_SCHEME, strlen (TC_REF_SCHEME)) == 0;
}

/**
 * tc_ref_shown:
 *
 * @text as a message may quote it. A careless person may give a secret
 * where a reference goes (`tokens-cli read ghp_…`), and messages end up
 * in CI logs: a reference and an id are quoted whole, anything else
 * longer than an id only by its first characters, a format's prefix.
 *
 * Returns: (transfer full): what to show
 */
char *
tc_ref_shown (const char *text)
{
  g_autofree char *start = NULL;

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("…");
  if (tc_ref_is_ref (text) || g_utf8_strlen (text, -1) <= TC_REF_SHOWN_CHARS)
    return g_strdup (text);
  start = g_utf8_substring (text, 0, 4);
  return g_strconcat (start, "…", NULL);
}

static char *
unescape (const char *text,
          gssize      len)
{
  g_autofree char *part = len < 0 ? g_strdup (text) : g_strndup (text, len);
  char *plain = g_uri_unescape_string (part, NULL);

  if (plain == NULL || !g_utf8_validate (plain, -1, NULL) || plain[0] == '\0')
    {
      g_free (plain);
      return NULL;
    }
  return g_strstrip (plain);
}

gboolean
tc_ref_parse (const char  *text,
              TcRef       *ref,
              GError     **error)
{
  const char *rest;
  const char *slash;

  memset (ref, 0, sizeof *ref);

  if (!tc_ref_is_ref (text))
    {
      if (text[0] == '\0' || strpbrk (text, " \t\n/") != NULL)
        {
          g_autofree char *shown = tc_ref_shown (text);

          g_set_error (error, TC_ERROR, TC_EXIT_USAGE,
                       _("“%s” is neither tokens://SERVICE/NAME nor an id from “tokens-cli list”"),
                       shown);
          return FALSE;
        }
      ref->name = g_strdup (text);
      return TRUE;
    }

  rest = text + strlen (TC_REF_SCHEME);
  slash = strchr (rest, '/');
  if (slash == NULL || slash == rest || slash[1] == '\0' ||
      (ref->service = unescape (rest, slash - rest)) == NULL ||
      (ref->name = unescape (slash + 1, -1)) == NULL)
    {
      tc_ref_clear (ref);
      g_set_error (error, TC_ERROR, TC_EXIT_USAGE,
                   _("“%s” is not a reference: write tokens://SERVICE/NAME, "
                     "with the service and name “tokens-cli list” shows"),
                   text);
      return FALSE;
    }

  return TRUE;
}

static void
env_entry_free (gpointer data)
{
  TcEnvEntry *entry = data;

  g_free (entry->name);
  if (entry->value != NULL)
    memset (entry->value, 0, strlen (entry->value));
  g_free (entry->value);
  g_free (entry);
}

gboolean
tc_env_name_valid (const char *name)
{
  if (!(g_ascii_isalpha (name[0]) || name[0] == '_'))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

static gboolean
bad_line (GError     **error,
          const char  *file_name,
          guint        line,
          const char  *what)
{
  g_set_error (error, TC_ERROR, TC_EXIT_BAD_INPUT, "%s:%u: %s", file_name, line, what);
  return FALSE;
}

/* The value after '=', to the end of the line; *ok FALSE on a bad quote. */
static char *
parse_value (const char *p,
             const char *end,
             gboolean   *ok)
{
  GString *value = g_string_new (NULL);

  *ok = TRUE;
  if (p < end && (*p == '\'' || *p == '"'))
    {
      char quote = *p++;
      gboolean closed = FALSE;

      while (p < end)
        {
          if (*p == quote)
            {
              closed = TRUE;
              p++;
              break;
            }
          if (quote == '"' && *p == '\\' && p + 1 < end)
            {
              p++;
              switch (*p)
                {
                case 'n': g_string_append_c (value, '\n'); break;
                case 't': g_string_append_c (value, '\t'); break;
                case '"': case '\\': case '$': g_string_append_c (value, *p); break;
                default: g_string_append_c (value, '\\'); g_string_append_c (value, *p); break;
                }
              p++;
              continue;
            }
          g_string_append_c (value, *p++);
        }

      /* Only spaces, or a comment, after the closing quote. */
      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      if (!closed || (p < end && *p != '#'))
        *ok = FALSE;
    }
  else
    {
      const char *stop = end;

      /* " #" starts a comment, as in shells; a # inside a word does not. */
      for (const char *q = p; q < end; q++)
        if (*q == '#' && q > p && (q[-1] == ' ' || q[-1] == '\t'))
          {
            stop = q;
            break;
          }
      while (stop > p && (stop[-1] == ' ' || stop[-1] == '\t'))
        stop--;
      g_string_append_len (value, p, stop - p);
    }

  if (!*ok)
    {
      memset (value->str, 0, value->len);
      g_string_free (value, TRUE);
      return NULL;
    }
  return g_string_free (value, FALSE);
}

/**
 * tc_env_file_parse:
 *
 * Returns: (transfer container) (element-type TcEnvEntry): the entries in
 *   order, or %NULL with @error naming the file and line
 */
GPtrArray *
tc_env_file_parse (const char  *file_name,
                   const char  *contents,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func (env_entry_free);
  const char *p = contents;
  const char *end = contents + length;
  guint line = 0;

  if (memchr (contents, '\0', length) != NULL || !g_utf8_validate (contents, length, NULL))
    {
      g_set_error (error, TC_ERROR, TC_EXIT_BAD_INPUT,
                   _("%s: not a text file (it is not UTF-8, or holds a NUL byte)"), file_name);
      return NULL;
    }

  while (p < end)
    {
      const char *eol = memchr (p, '\n', end - p);
      const char *stop = eol ? eol : end;
      const char *eq;
      g_autofree char *name = NULL;
      TcEnvEntry *entry;
      gboolean ok;

      line++;
      if (stop > p && stop[-1] == '\r')
        stop--;
      while (p < stop && (*p == ' ' || *p == '\t'))
        p++;

      if (p == stop || *p == '#')
        {
          p = eol ? eol + 1 : end;
          continue;
        }

      if (stop - p > 7 && strncmp (p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t'))
        {
          p += 7;
          while (p < stop && (*p == ' ' || *p == '\t'))
            p++;
        }

      eq = memchr (p, '=', stop - p);
      if (eq == NULL)
        {
          bad_line (error, file_name, line, _("expected NAME=VALUE"));
          return NULL;
        }

      name = g_strstrip (g_strndup (p, eq - p));
      if (!tc_env_name_valid (name))
        {
          /* A name is not a secret; but a line without '=' in the right
           * place may be one: quote the name only when it is short and
           * plain. */
          g_autofree char *what =
            strlen (name) <= 40 && strpbrk (name, " \t") == NULL
              ? g_strdup_printf (_("“%s” is not a variable name (letters, digits and _, "
                                   "not starting with a digit)"), name)
              : g_strdup (_("expected NAME=VALUE"));

          bad_line (error, file_name, line, what);
          return NULL;
        }

      entry = g_new0 (TcEnvEntry, 1);
      entry->name = g_steal_pointer (&name);
      entry->line = line;
      p = eq + 1;
      while (p < stop && (*p == ' ' || *p == '\t'))
        p++;
      entry->value = parse_value (p, stop, &ok);
      if (!ok)
        {
          g_autofree char *what =
            g_strdup_printf (_("the value of %s has a quote that is not closed, "
                               "or text after its closing quote"), entry->name);

          env_entry_free (entry);
          bad_line (error, file_name, line, what);
          return NULL;
        }
      entry->is_ref = tc_ref_is_ref (entry->value);
      g_ptr_array_add (entries, entry);

      p = eol ? eol + 1 : end;
    }

  return g_steal_pointer (&entries);
}

static void
placeholder_free (gpointer data)
{
  TcPlaceholder *placeholder = data;

  g_free (placeholder->ref);
  g_free (placeholder);
}

/**
 * tc_template_parse:
 *
 * Returns: (transfer container) (element-type TcPlaceholder): every
 *   {{ tokens://… }} in order, or %NULL with @error (a placeholder not
 *   closed on its line)
 */
GPtrArray *
tc_template_parse (const char  *file_name,
                   const char  *contents,
                   gsize        length,
                   GError     **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (placeholder_free);
  const char *end = contents + length;
  const char *p = contents;
  guint line = 1;

  while (p + 1 < end)
    {
      const char *q;
      const char *close;
      const char *eol;
      TcPlaceholder *placeholder;

      if (*p == '\n')
        {
          line++;
          p++;
          continue;
        }
      if (p[0] != '{' || p[1] != '{')
        {
          p++;
          continue;
        }

      q = p + 2;
      while (q < end && (*q == ' ' || *q == '\t'))
        q++;
      if ((gsize) (end - q) < strlen (TC_REF_SCHEME) ||
          g_ascii_strncasecmp (q, TC_REF_SCHEME, strlen (TC_REF_SCHEME)) != 0)
        {
          p += 2;
          continue;
        }

      eol = memchr (q, '\n', end - q);
      close = g_strstr_len (q, (eol ? eol : end) - q, "}}");
      if (close == NULL)
        {
          g_set_error (error, TC_ERROR, TC_EXIT_BAD_INPUT,
                       _("%s:%u: “{{ tokens://” is not closed with “}}” on its line"),
                       file_name, line);
          return NULL;
        }

      placeholder = g_new0 (TcPlaceholder, 1);
      placeholder->start = p - contents;
      placeholder->end = close + 2 - contents;
      placeholder->ref = g_strstrip (g_strndup (q, close - q));
      placeholder->line = line;
      g_ptr_array_add (found, placeholder);
      p = close + 2;
    }

  return g_steal_pointer (&found);
}
