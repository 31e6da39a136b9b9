/* tokens-format.c — which service a pasted secret belongs to, offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The formats are data: data/token-formats.json, compiled into libtokens as
 * a resource (so the library works uninstalled and in tests) and installed
 * to pkgdatadir beside it. Each entry of its "formats" array has:
 *
 *   id             unique, [a-z0-9-]
 *   service        the service, shared by its formats ("github"), [a-z0-9-]
 *   name           the service's own name, a proper noun: never translated
 *   manage-url     optional: https:// page where the service's tokens are managed
 *   prefixes       non-empty array: what the token starts with
 *   length         how many characters follow the prefix; or both
 *   min-length, max-length
 *   alphabet       the characters that may follow the prefix, as ranges: "0-9A-Za-z_-"
 *                  (a '-' first or last is itself)
 *   pattern        optional: a regular expression the whole token matches,
 *                  from ^ to $
 *   checksum       "none", "crc32-base62" or "gitlab-routable" (TokensFormatChecksum)
 *   claims-prefix  optional, default true: a secret with this prefix but the
 *                  wrong shape is still this format, mistyped. False for a
 *                  prefix too short to mean anything alone ("sk-")
 *   comment        optional, ignored
 *
 * Loading is strict: an unknown key, a wrong type or an impossible value
 * is an error naming the entry, so a typo in the file never silently turns
 * a rule off. The algorithms are code; only their parameters are data.
 *
 * Nothing here keeps, copies or logs a secret: recognition looks at the
 * caller's string in place, and a match holds only pointers into the rules.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "tokens-format.h"
#include "tokens-json.h"
#include "tokens-token.h"

#define RESOURCE_PATH "/org/example/Tokens/lib/token-formats.json"
#define RULES_VERSION 1
#define MAX_BODY_LENGTH 4096
#define MAX_PREFIX_LENGTH 32
#define CRC32_BASE62_LEN 6
#define GITLAB_CRC_LEN 7
#define GITLAB_LENGTH_LEN 2

/* From the resource compiled in data/meson.build. */
GResource *tokens_lib_get_resource (void);

struct _TokensFormat
{
  char                 *id;
  char                 *service;
  char                 *name;
  char                 *initial;
  char                 *manage_url;
  char                **prefixes;
  guint                 min_length;
  guint                 max_length;
  GRegex               *pattern;
  TokensFormatChecksum  checksum;
  gboolean              claims_prefix;
  /* which bytes may follow the prefix */
  guint8                alphabet[256 / 8];
};

struct _TokensFormatRules
{
  gatomicrefcount  ref_count;
  GPtrArray       *formats;   /* TokensFormat, in file order */
};

static const char base62[] =
  "0123456789"
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  "abcdefghijklmnopqrstuvwxyz";

static const char base36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

static const char *const checksum_names[] = {
  [TOKENS_FORMAT_CHECKSUM_NONE] = "none",
  [TOKENS_FORMAT_CHECKSUM_CRC32_BASE62] = "crc32-base62",
  [TOKENS_FORMAT_CHECKSUM_GITLAB_ROUTABLE] = "gitlab-routable",
};

static void
format_free (TokensFormat *format)
{
  g_free (format->id);
  g_free (format->service);
  g_free (format->name);
  g_free (format->initial);
  g_free (format->manage_url);
  g_strfreev (format->prefixes);
  g_clear_pointer (&format->pattern, g_regex_unref);
  g_free (format);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokensFormat, format_free)

static inline gboolean
alphabet_has (const TokensFormat *format,
              guchar              c)
{
  return (format->alphabet[c / 8] >> (c % 8)) & 1;
}

static inline void
alphabet_add (TokensFormat *format,
              guchar        c)
{
  format->alphabet[c / 8] |= (guint8) (1u << (c % 8));
}

/* Loading */

typedef struct
{
  const char *origin;
  guint       index;
  const char *id;
} Where;

G_GNUC_PRINTF (3, 4)
static void
set_entry_error (GError      **error,
                 const Where  *where,
                 const char   *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (where->id != NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: format %u (“%s”): %s", where->origin, where->index, where->id, message);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "%s: format %u: %s", where->origin, where->index, message);
}

static gboolean
is_identifier (const char *s)
{
  if (s[0] == '\0')
    return FALSE;

  for (; *s; s++)
    if (!(g_ascii_islower (*s) || g_ascii_isdigit (*s) || *s == '-'))
      return FALSE;

  return TRUE;
}

/* Member @key of @object if it is of @type; %NULL if it is absent or,
 * with *@wrong set, present as anything else (null included: a rules
 * file has no use for null). */
static JsonNode *
typed_member (JsonObject     *object,
              const char     *key,
              TokensJsonType  type,
              gboolean       *wrong)
{
  JsonNode *node = NULL;
  TokensJsonMember found = tokens_json_member (object, key, type, &node);

  *wrong = found == TOKENS_JSON_MEMBER_NULL || found == TOKENS_JSON_MEMBER_WRONG_TYPE;
  return node;
}

/* Reads member @key of @object into @out, a string or %NULL when it is
 * absent and optional. */
static gboolean
get_string (JsonObject   *object,
            const char   *key,
            gboolean      required,
            const Where  *where,
            const char  **out,
            GError      **error)
{
  gboolean wrong;
  JsonNode *node = typed_member (object, key, TOKENS_JSON_STRING, &wrong);

  *out = NULL;

  if (wrong)
    {
      set_entry_error (error, where, "“%s” must be a string", key);
      return FALSE;
    }
  if (node == NULL)
    {
      if (required)
        set_entry_error (error, where, "“%s” is missing", key);
      return !required;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

/* -1 if absent, -2 (with @error) if not an integer in 1..MAX_BODY_LENGTH */
static gint64
get_length (JsonObject   *object,
            const char   *key,
            const Where  *where,
            GError      **error)
{
  gboolean wrong;
  JsonNode *node = typed_member (object, key, TOKENS_JSON_INT, &wrong);
  gint64 value;

  if (wrong)
    {
      set_entry_error (error, where, "“%s” must be an integer", key);
      return -2;
    }
  if (node == NULL)
    return -1;

  value = json_node_get_int (node);
  if (value < 1 || value > MAX_BODY_LENGTH)
    {
      set_entry_error (error, where, "“%s” must be between 1 and %d", key, MAX_BODY_LENGTH);
      return -2;
    }

  return value;
}

static gboolean
parse_alphabet (TokensFormat  *format,
                const char    *spec,
                const Where   *where,
                GError       **error)
{
  gsize len = strlen (spec);

  if (len == 0)
    {
      set_entry_error (error, where, "“alphabet” is empty");
      return FALSE;
    }

  for (gsize i = 0; i < len; i++)
    {
      guchar first = spec[i];
      guchar last = first;

      if (first < 0x21 || first > 0x7e)
        {
          set_entry_error (error, where, "“alphabet” may only hold printable ASCII characters other than space");
          return FALSE;
        }

      /* "a-z": a range; a '-' first or last stands for itself. */
      if (i + 2 < len && spec[i + 1] == '-')
        {
          last = spec[i + 2];
          if (last < 0x21 || last > 0x7e)
            {
              set_entry_error (error, where, "“alphabet” may only hold printable ASCII characters other than space");
              return FALSE;
            }
          if (last < first)
            {
              set_entry_error (error, where, "“alphabet” has a backwards range “%c-%c”", first, last);
              return FALSE;
            }
          i += 2;
        }

      for (guint c = first; c <= last; c++)
        alphabet_add (format, (guchar) c);
    }

  return TRUE;
}

static gboolean
is_base62_only (const TokensFormat *format)
{
  for (guint c = 0; c < 256; c++)
    if (alphabet_has (format, (guchar) c) && !g_ascii_isalnum (c))
      return FALSE;

  return TRUE;
}

static const char *const entry_keys[] = {
  "comment", "id", "service", "name", "manage-url", "prefixes", "length",
  "min-length", "max-length", "alphabet", "pattern", "checksum", "claims-prefix",
};

static TokensFormat *
parse_format (JsonNode     *node,
              Where        *where,
              GHashTable   *ids,
              GError      **error)
{
  g_autoptr(GList) members = NULL;
  g_autoptr(GPtrArray) prefixes = NULL;
  g_autoptr(TokensFormat) format = NULL;
  JsonObject *object;
  JsonNode *member;
  gboolean wrong;
  const char *s;
  gint64 length, min_length, max_length;
  gboolean found;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_entry_error (error, where, "must be an object");
      return NULL;
    }
  object = json_node_get_object (node);

  /* The id first, so every later error can name the entry. */
  if (!get_string (object, "id", TRUE, where, &s, error))
    return NULL;
  where->id = s;
  if (!is_identifier (s))
    {
      set_entry_error (error, where, "“id” may only hold a-z, 0-9 and “-”");
      return NULL;
    }
  if (g_hash_table_contains (ids, s))
    {
      set_entry_error (error, where, "“id” is used by an earlier format too");
      return NULL;
    }

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      found = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (entry_keys); i++)
        found |= g_str_equal (l->data, entry_keys[i]);
      if (!found)
        {
          set_entry_error (error, where, "unknown key “%s”", (const char *) l->data);
          return NULL;
        }
    }

  if (!get_string (object, "comment", FALSE, where, &s, error))
    return NULL;

  format = g_new0 (TokensFormat, 1);
  format->id = g_strdup (where->id);


  if (!get_string (object, "service", TRUE, where, &s, error))
    return NULL;
  if (!is_identifier (s) || g_str_equal (s, TOKENS_FORMAT_SERVICE_OTHER))
    {
      set_entry_error (error, where, "“service” may only hold a-z, 0-9 and “-”, and is not “%s”",
                       TOKENS_FORMAT_SERVICE_OTHER);
      return NULL;
    }
  format->service = g_strdup (s);

  if (!get_string (object, "name", TRUE, where, &s, error))
    return NULL;
  if (s[0] == '\0' || !g_utf8_validate (s, -1, NULL) || g_unichar_isspace (g_utf8_get_char (s)))
    {
      set_entry_error (error, where, "“name” must be a name");
      return NULL;
    }
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        set_entry_error (error, where, "“name” must be a name");
        return NULL;
      }
  format->name = g_strdup (s);
  {
    char initial[8] = { 0 };

    g_unichar_to_utf8 (g_unichar_toupper (g_utf8_get_char (s)), initial);
    format->initial = g_strdup (initial);
  }

  if (!get_string (object, "manage-url", FALSE, where, &s, error))
    return NULL;
  if (s != NULL)
    {
      if (!g_str_has_prefix (s, "https://") || !g_uri_is_valid (s, G_URI_FLAGS_NONE, NULL))
        {
          set_entry_error (error, where, "“manage-url” must be an https:// address");
          return NULL;
        }
      format->manage_url = g_strdup (s);
    }

  member = typed_member (object, "prefixes", TOKENS_JSON_ARRAY, &wrong);
  if (member == NULL ||
      json_array_get_length (json_node_get_array (member)) == 0)
    {
      set_entry_error (error, where, "“prefixes” must be a list of at least one prefix");
      return NULL;
    }
  prefixes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (member)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (member), i);
      const char *prefix;
      gsize len;

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
        {
          set_entry_error (error, where, "“prefixes” must be a list of strings");
          return NULL;
        }
      prefix = json_node_get_string (item);
      len = strlen (prefix);
      if (len == 0 || len > MAX_PREFIX_LENGTH)
        {
          set_entry_error (error, where, "a prefix must have 1 to %d characters", MAX_PREFIX_LENGTH);
          return NULL;
        }
      for (gsize j = 0; j < len; j++)
        if ((guchar) prefix[j] < 0x21 || (guchar) prefix[j] > 0x7e)
          {
            g_autofree char *escaped = g_strescape (prefix, NULL);

            set_entry_error (error, where, "prefix “%s” may only hold printable ASCII characters other than space",
                             escaped);
            return NULL;
          }
      for (guint j = 0; j < prefixes->len; j++)
        if (g_str_equal (prefixes->pdata[j], prefix))
          {
            set_entry_error (error, where, "prefix “%s” is listed twice", prefix);
            return NULL;
          }
      g_ptr_array_add (prefixes, g_strdup (prefix));
    }
  g_ptr_array_add (prefixes, NULL);
  format->prefixes = (char **) g_ptr_array_free (g_steal_pointer (&prefixes), FALSE);

  length = get_length (object, "length", where, error);
  min_length = get_length (object, "min-length", where, error);
  max_length = get_length (object, "max-length", where, error);
  if (length == -2 || min_length == -2 || max_length == -2)
    return NULL;
  if (length > 0 && (min_length > 0 || max_length > 0))
    {
      set_entry_error (error, where, "give either “length” or “min-length” and “max-length”, not both");
      return NULL;
    }
  if (length < 0 && (min_length < 0 || max_length < 0))
    {
      set_entry_error (error, where, "“length”, or “min-length” and “max-length”, is missing");
      return NULL;
    }
  if (length > 0)
    min_length = max_length = length;
  if (min_length > max_length)
    {
      set_entry_error (error, where, "“min-length” is more than “max-length”");
      return NULL;
    }
  format->min_length = (guint) min_length;
  format->max_length = (guint) max_length;

  if (!get_string (object, "alphabet", TRUE, where, &s, error))
    return NULL;
  if (!parse_alphabet (format, s, where, error))
    return NULL;

  if (!get_string (object, "pattern", FALSE, where, &s, error))
    return NULL;
  if (s != NULL)
    {
      g_autoptr(GError) regex_error = NULL;
      gsize len = strlen (s);

      if (len < 2 || s[0] != '^' || s[len - 1] != '$')
        {
          set_entry_error (error, where, "“pattern” must match the whole token, from ^ to $");
          return NULL;
        }
      format->pattern = g_regex_new (s, G_REGEX_DOLLAR_ENDONLY | G_REGEX_OPTIMIZE,
                                     G_REGEX_MATCH_DEFAULT, &regex_error);
      if (format->pattern == NULL)
        {
          set_entry_error (error, where, "“pattern” is not a regular expression: %s", regex_error->message);
          return NULL;
        }
    }

  if (!get_string (object, "checksum", TRUE, where, &s, error))
    return NULL;
  found = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (checksum_names); i++)
    if (g_str_equal (s, checksum_names[i]))
      {
        format->checksum = (TokensFormatChecksum) i;
        found = TRUE;
      }
  if (!found)
    {
      set_entry_error (error, where, "unknown “checksum” “%s”: one of none, crc32-base62, gitlab-routable", s);
      return NULL;
    }
  if (format->checksum == TOKENS_FORMAT_CHECKSUM_CRC32_BASE62 &&
      (format->min_length <= CRC32_BASE62_LEN || !is_base62_only (format)))
    {
      set_entry_error (error, where, "checksum crc32-base62 needs more than %d characters, all of them 0-9A-Za-z",
                       CRC32_BASE62_LEN);
      return NULL;
    }
  if (format->checksum == TOKENS_FORMAT_CHECKSUM_GITLAB_ROUTABLE &&
      (format->min_length <= 1 + GITLAB_LENGTH_LEN + GITLAB_CRC_LEN || !alphabet_has (format, '.')))
    {
      set_entry_error (error, where, "checksum gitlab-routable needs more than %d characters, “.” among them",
                       1 + GITLAB_LENGTH_LEN + GITLAB_CRC_LEN);
      return NULL;
    }

  format->claims_prefix = TRUE;
  member = typed_member (object, "claims-prefix", TOKENS_JSON_BOOL, &wrong);
  if (wrong)
    {
      set_entry_error (error, where, "“claims-prefix” must be true or false");
      return NULL;
    }
  if (member != NULL)
    format->claims_prefix = json_node_get_boolean (member);


  g_hash_table_add (ids, format->id);

  return g_steal_pointer (&format);
}

/**
 * tokens_format_rules_new_from_data:
 * @data: the rules, JSON
 * @length: its length, or -1 if NUL-terminated
 * @origin: what to call it in errors (a file name)
 * @error: where to say what is wrong, naming the entry
 *
 * Returns: (transfer full) (nullable): the rules
 */
TokensFormatRules *
tokens_format_rules_new_from_data (const char  *data,
                                   gssize       length,
                                   const char  *origin,
                                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) formats = NULL;
  g_autoptr(GList) members = NULL;
  TokensFormatRules *rules;
  JsonObject *root;
  JsonNode *node;
  gboolean wrong;
  JsonArray *array;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (origin != NULL, NULL);

  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not valid JSON: %s", origin, parse_error->message);
      return NULL;
    }

  node = json_parser_get_root (parser);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: must hold one object, with “version” and “formats”", origin);
      return NULL;
    }
  root = json_node_get_object (node);

  members = json_object_get_members (root);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "comment") && !g_str_equal (l->data, "version") &&
        !g_str_equal (l->data, "formats"))
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "%s: unknown key “%s”", origin, (const char *) l->data);
        return NULL;
      }

  typed_member (root, "comment", TOKENS_JSON_STRING, &wrong);
  if (wrong)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: “comment” must be a string", origin);
      return NULL;
    }

  node = typed_member (root, "version", TOKENS_JSON_INT, &wrong);
  if (node == NULL || json_node_get_int (node) != RULES_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: “version” must be %d", origin, RULES_VERSION);
      return NULL;
    }

  node = typed_member (root, "formats", TOKENS_JSON_ARRAY, &wrong);
  if (node == NULL ||
      json_array_get_length (json_node_get_array (node)) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: “formats” must be a list of at least one format", origin);
      return NULL;
    }
  array = json_node_get_array (node);

  formats = g_ptr_array_new_with_free_func ((GDestroyNotify) format_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      Where where = { origin, i + 1, NULL };
      TokensFormat *format = parse_format (json_array_get_element (array, i), &where, ids, error);

      if (format == NULL)
        return NULL;
      g_ptr_array_add (formats, format);
    }

  rules = g_new0 (TokensFormatRules, 1);
  g_atomic_ref_count_init (&rules->ref_count);
  rules->formats = g_steal_pointer (&formats);

  return rules;
}

/**
 * tokens_format_rules_new_from_file:
 * @path: a rules file, such as data/token-formats.json
 *
 * Returns: (transfer full) (nullable): the rules
 */
TokensFormatRules *
tokens_format_rules_new_from_file (const char  *path,
                                   GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;

  name = g_filename_display_name (path);
  return tokens_format_rules_new_from_data (contents, length, name, error);
}

/**
 * tokens_format_rules_get_default:
 *
 * The rules compiled into libtokens (data/token-formats.json, the same
 * file that is installed). They are loaded once and shared; the tests
 * check that they load.
 *
 * Returns: (transfer none): the rules
 */
TokensFormatRules *
tokens_format_rules_get_default (void)
{
  static TokensFormatRules *rules;

  if (g_once_init_enter (&rules))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      TokensFormatRules *loaded;
      gconstpointer data;
      gsize size;

      bytes = g_resource_lookup_data (tokens_lib_get_resource (), RESOURCE_PATH,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes != NULL)
        {
          data = g_bytes_get_data (bytes, &size);
          loaded = tokens_format_rules_new_from_data (data, size, "token-formats.json", &error);
        }
      else
        loaded = NULL;

      /* The file is part of the build, and its test fails first. */
      if (loaded == NULL)
        g_error ("The token formats compiled into libtokens do not load: %s", error->message);

      g_once_init_leave (&rules, loaded);
    }

  return rules;
}

TokensFormatRules *
tokens_format_rules_ref (TokensFormatRules *rules)
{
  g_return_val_if_fail (rules != NULL, NULL);

  g_atomic_ref_count_inc (&rules->ref_count);
  return rules;
}

void
tokens_format_rules_unref (TokensFormatRules *rules)
{
  if (rules == NULL)
    return;

  if (g_atomic_ref_count_dec (&rules->ref_count))
    {
      g_ptr_array_unref (rules->formats);
      g_free (rules);
    }
}

guint
tokens_format_rules_get_n_formats (TokensFormatRules *rules)
{
  g_return_val_if_fail (rules != NULL, 0);

  return rules->formats->len;
}

/**
 * tokens_format_rules_get_format:
 *
 * Returns: (transfer none): the @index-th format, in file order
 */
const TokensFormat *
tokens_format_rules_get_format (TokensFormatRules *rules,
                                guint              index)
{
  g_return_val_if_fail (rules != NULL, NULL);
  g_return_val_if_fail (index < rules->formats->len, NULL);

  return g_ptr_array_index (rules->formats, index);
}

/**
 * tokens_format_rules_lookup:
 *
 * Returns: (transfer none) (nullable): the format with this id
 */
const TokensFormat *
tokens_format_rules_lookup (TokensFormatRules *rules,
                            const char        *id)
{
  g_return_val_if_fail (rules != NULL, NULL);

  if (id == NULL)
    return NULL;

  for (guint i = 0; i < rules->formats->len; i++)
    {
      const TokensFormat *format = g_ptr_array_index (rules->formats, i);

      if (g_str_equal (format->id, id))
        return format;
    }

  return NULL;
}

/* Recognising */

static inline gboolean
is_paste_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The pasted text without the spaces and newlines around it, in place. */
static const char *
trim (const char *pasted,
      gsize      *out_len)
{
  const char *start = pasted;
  const char *end;

  while (is_paste_space (*start))
    start++;
  end = start + strlen (start);
  while (end > start && is_paste_space (end[-1]))
    end--;

  *out_len = end - start;
  return start;
}

/**
 * tokens_format_trim_pasted:
 * @pasted: what a person pasted
 *
 * What is kept of a pasted secret: without the spaces and line breaks
 * around it, which tokens_format_recognize() ignores too.
 *
 * Returns: (transfer full): the secret; free it with tokens_secret_free()
 */
TokensSecret *
tokens_format_trim_pasted (const char *pasted)
{
  const char *start;
  gsize len;

  g_return_val_if_fail (pasted != NULL, NULL);

  start = trim (pasted, &len);
  return g_strndup (start, len);
}

static gboolean
crc32_base62_matches (const char *body,
                      gsize       len)
{
  guint32 crc = tokens_crc32 ((const guint8 *) body, len - CRC32_BASE62_LEN);
  const char *sum = body + len - CRC32_BASE62_LEN;

  for (int i = CRC32_BASE62_LEN - 1; i >= 0; i--)
    {
      if (sum[i] != base62[crc % 62])
        return FALSE;
      crc /= 62;
    }

  return TRUE;
}

static int
base36_value (char c)
{
  const char *p = c != '\0' ? strchr (base36, c) : NULL;

  return p != NULL ? (int) (p - base36) : -1;
}

/* `<prefix><payload>.[<version>.]<payload length><crc>`: the CRC covers
 * everything before it, prefix included (GitLab's routable tokens design
 * document, and its generator). */
static TokensFormatProblem
gitlab_routable_check (const char *token,
                       gsize       len,
                       gsize       prefix_len)
{
  const char *crc_text = token + len - GITLAB_CRC_LEN;
  const char *length_text = crc_text - GITLAB_LENGTH_LEN;
  const char *dot;
  guint32 crc = tokens_crc32 ((const guint8 *) token, len - GITLAB_CRC_LEN);
  int hi, lo;

  for (int i = GITLAB_CRC_LEN - 1; i >= 0; i--)
    {
      if (crc_text[i] != base36[crc % 36])
        return TOKENS_FORMAT_PROBLEM_CHECKSUM;
      crc /= 36;
    }

  dot = memchr (token + prefix_len, '.', len - prefix_len);
  hi = base36_value (length_text[0]);
  lo = base36_value (length_text[1]);
  if (dot == NULL || hi < 0 || lo < 0 || (gsize) (hi * 36 + lo) != (gsize) (dot - token) - prefix_len)
    return TOKENS_FORMAT_PROBLEM_SHAPE;

  return TOKENS_FORMAT_PROBLEM_NONE;
}

static TokensFormatProblem
check_against (const TokensFormat *format,
               const char         *token,
               gsize               len,
               gsize               prefix_len)
{
  const char *body = token + prefix_len;
  gsize body_len = len - prefix_len;

  for (gsize i = 0; i < body_len; i++)
    if (!alphabet_has (format, (guchar) body[i]))
      return TOKENS_FORMAT_PROBLEM_CHARACTER;

  if (body_len < format->min_length)
    return TOKENS_FORMAT_PROBLEM_TOO_SHORT;
  if (body_len > format->max_length)
    return TOKENS_FORMAT_PROBLEM_TOO_LONG;

  /* Only ASCII from the alphabet reaches the expression. */
  if (format->pattern != NULL &&
      !g_regex_match_full (format->pattern, token, len, 0, G_REGEX_MATCH_DEFAULT, NULL, NULL))
    return TOKENS_FORMAT_PROBLEM_SHAPE;

  switch (format->checksum)
    {
    case TOKENS_FORMAT_CHECKSUM_NONE:
      return TOKENS_FORMAT_PROBLEM_NONE;

    case TOKENS_FORMAT_CHECKSUM_CRC32_BASE62:
      return crc32_base62_matches (body, body_len) ? TOKENS_FORMAT_PROBLEM_NONE
                                                   : TOKENS_FORMAT_PROBLEM_CHECKSUM;

    case TOKENS_FORMAT_CHECKSUM_GITLAB_ROUTABLE:
      return gitlab_routable_check (token, len, prefix_len);

    default:
      g_assert_not_reached ();
    }
}

/* How good a candidate is: how far through check_against() it got. Its
 * shape fits; only its checksum is wrong; only the pattern failed; the
 * length is wrong; a character is not in its alphabet. */
static int
problem_rank (TokensFormatProblem problem)
{
  switch (problem)
    {
    case TOKENS_FORMAT_PROBLEM_NONE:
      return 4;
    case TOKENS_FORMAT_PROBLEM_CHECKSUM:
      return 3;
    case TOKENS_FORMAT_PROBLEM_SHAPE:
      return 2;
    case TOKENS_FORMAT_PROBLEM_TOO_SHORT:
    case TOKENS_FORMAT_PROBLEM_TOO_LONG:
      return 1;
    case TOKENS_FORMAT_PROBLEM_CHARACTER:
    default:
      return 0;
    }
}

/**
 * tokens_format_recognize:
 * @rules: the rules, such as tokens_format_rules_get_default()
 * @secret: (nullable): what a person pasted; the spaces and line breaks
 *   around it are ignored
 * @match: (out): what was found
 *
 * Tells which format @secret has, offline, and checks its checksum where
 * the format has one. Among the formats whose prefix it starts with, the
 * one that @secret fits best wins: its shape fits, else only the checksum
 * is wrong, else only the pattern, else only the length; then the longest
 * prefix, then the first in the file. A prefix that names a
 * format (see "claims-prefix") makes a secret of the wrong shape that
 * format, mistyped; otherwise it is another service's.
 *
 * @secret is only read: nothing of it is copied, kept or logged.
 *
 * Returns: %TRUE if a format was recognised (mistyped or not)
 */
gboolean
tokens_format_recognize (TokensFormatRules *rules,
                         const char        *secret,
                         TokensFormatMatch *match)
{
  const char *token;
  gsize len;
  int best_rank = -1;
  gsize best_prefix_len = 0;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (match != NULL, FALSE);

  match->format = NULL;
  match->prefix = NULL;
  match->check = TOKENS_FORMAT_CHECK_OTHER;
  match->problem = TOKENS_FORMAT_PROBLEM_NONE;

  if (secret == NULL)
    return FALSE;

  token = trim (secret, &len);
  if (len == 0)
    return FALSE;

  for (guint i = 0; i < rules->formats->len; i++)
    {
      const TokensFormat *format = g_ptr_array_index (rules->formats, i);

      for (guint j = 0; format->prefixes[j] != NULL; j++)
        {
          const char *prefix = format->prefixes[j];
          gsize prefix_len = strlen (prefix);
          TokensFormatProblem problem;
          int rank;

          if (prefix_len > len || memcmp (token, prefix, prefix_len) != 0)
            continue;

          problem = check_against (format, token, len, prefix_len);
          if (problem != TOKENS_FORMAT_PROBLEM_NONE && !format->claims_prefix)
            continue;

          rank = problem_rank (problem);
          if (rank > best_rank || (rank == best_rank && prefix_len > best_prefix_len))
            {
              best_rank = rank;
              best_prefix_len = prefix_len;
              match->format = format;
              match->prefix = prefix;
              match->problem = problem;
            }
        }
    }

  if (match->format == NULL)
    return FALSE;

  if (match->problem != TOKENS_FORMAT_PROBLEM_NONE)
    match->check = TOKENS_FORMAT_CHECK_MISTYPED;
  else if (match->format->checksum != TOKENS_FORMAT_CHECKSUM_NONE)
    match->check = TOKENS_FORMAT_CHECK_VALID;
  else
    match->check = TOKENS_FORMAT_CHECK_NO_CHECKSUM;

  return TRUE;
}

/* Reading a format */

const char *
tokens_format_get_id (const TokensFormat *format)
{
  g_return_val_if_fail (format != NULL, NULL);

  return format->id;
}

const char *
tokens_format_get_service_id (const TokensFormat *format)
{
  g_return_val_if_fail (format != NULL, NULL);

  return format->service;
}

/**
 * tokens_format_get_display_name:
 *
 * Returns: (transfer none): the service's own name ("GitHub"): a proper
 *   noun, the same in every language
 */
const char *
tokens_format_get_display_name (const TokensFormat *format)
{
  g_return_val_if_fail (format != NULL, NULL);

  return format->name;
}

/**
 * tokens_format_get_initial:
 *
 * Returns: (transfer none): the first letter of the name, in upper case,
 *   for an avatar where the service has no icon
 */
const char *
tokens_format_get_initial (const TokensFormat *format)
{
  g_return_val_if_fail (format != NULL, NULL);

  return format->initial;
}

/**
 * tokens_format_get_manage_url:
 *
 * Returns: (transfer none) (nullable): the https:// page where the
 *   service's tokens are managed
 */
const char *
tokens_format_get_manage_url (const TokensFormat *format)
{
  g_return_val_if_fail (format != NULL, NULL);

  return format->manage_url;
}

const char * const *
tokens_format_get_prefixes (const TokensFormat *format)
{
  g_return_val_if_fail (format != NULL, NULL);

  return (const char * const *) format->prefixes;
}

TokensFormatChecksum
tokens_format_get_checksum (const TokensFormat *format)
{
  g_return_val_if_fail (format != NULL, TOKENS_FORMAT_CHECKSUM_NONE);

  return format->checksum;
}

gboolean
tokens_format_has_checksum (const TokensFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  return format->checksum != TOKENS_FORMAT_CHECKSUM_NONE;
}

/**
 * tokens_format_checksum_to_string:
 *
 * Returns: (transfer none): the name rules files give @checksum
 */
const char *
tokens_format_checksum_to_string (TokensFormatChecksum checksum)
{
  g_return_val_if_fail ((guint) checksum < G_N_ELEMENTS (checksum_names), NULL);

  return checksum_names[checksum];
}

/* Reading a match */

/**
 * tokens_format_match_get_service_id:
 *
 * Returns: (transfer none): the service's id, or %TOKENS_FORMAT_SERVICE_OTHER
 */
const char *
tokens_format_match_get_service_id (const TokensFormatMatch *match)
{
  g_return_val_if_fail (match != NULL, NULL);

  return match->format != NULL ? match->format->service : TOKENS_FORMAT_SERVICE_OTHER;
}

/**
 * tokens_format_match_get_display_name:
 *
 * Returns: (transfer none): the service's name, or "Other service",
 *   translated
 */
const char *
tokens_format_match_get_display_name (const TokensFormatMatch *match)
{
  g_return_val_if_fail (match != NULL, NULL);

  return match->format != NULL ? match->format->name : _("Other service");
}

/**
 * tokens_format_match_describe:
 *
 * Returns: (transfer none): a translated sentence on what the check found,
 *   for the person who pasted the secret; it never repeats the secret
 */
const char *
tokens_format_match_describe (const TokensFormatMatch *match)
{
  g_return_val_if_fail (match != NULL, NULL);

  switch (match->check)
    {
    case TOKENS_FORMAT_CHECK_OTHER:
      return _("Tokens does not know this format. The token can still be kept, as another service’s.");

    case TOKENS_FORMAT_CHECK_VALID:
      return _("The format is recognised and the checksum is right.");

    case TOKENS_FORMAT_CHECK_NO_CHECKSUM:
      return _("The format is recognised. It has no checksum, so a typo cannot be caught.");

    case TOKENS_FORMAT_CHECK_MISTYPED:
    default:
      break;
    }

  switch (match->problem)
    {
    case TOKENS_FORMAT_PROBLEM_TOO_SHORT:
      return _("This token is too short for its format: it looks truncated.");
    case TOKENS_FORMAT_PROBLEM_TOO_LONG:
      return _("This token is too long for its format: something else may have been pasted with it.");
    case TOKENS_FORMAT_PROBLEM_CHARACTER:
      return _("This token contains a character its format never has: it looks mistyped.");
    case TOKENS_FORMAT_PROBLEM_SHAPE:
    case TOKENS_FORMAT_PROBLEM_CHECKSUM:
    case TOKENS_FORMAT_PROBLEM_NONE:
    default:
      return _("This token looks mistyped or truncated.");
    }
}
