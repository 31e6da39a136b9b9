/* tc-refs.h — tokens:// references, env files and templates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TC_REF_SCHEME "tokens://"

/* What tokens-cli exits with; the man page and --help list them. */
typedef enum
{
  TC_EXIT_OK          = 0,
  TC_EXIT_FOUND       = 1,   /* check: some token expires soon or has expired */
  TC_EXIT_USAGE       = 2,   /* bad arguments */
  TC_EXIT_NOT_FOUND   = 3,   /* a reference names no kept token */
  TC_EXIT_AMBIGUOUS   = 4,   /* a reference names more than one */
  TC_EXIT_BAD_INPUT   = 5,   /* an env file or template that cannot be read */
  TC_EXIT_LOCKED      = 6,   /* the keyring is locked and was not unlocked */
  TC_EXIT_NO_KEYRING  = 7,   /* no keyring is running */
  TC_EXIT_OUTPUT      = 8,   /* the output file exists, or cannot be written */
  TC_EXIT_FAILED      = 9,   /* anything else */
} TcExit;

#define TC_ERROR (tc_error_quark ())
GQuark tc_error_quark (void);

/* TC_ERROR codes are TcExit values. */

typedef struct
{
  char *service;   /* nullable: NULL for a reference by id */
  char *name;      /* the name, or the id */
} TcRef;

void      tc_ref_clear       (TcRef        *ref);
gboolean  tc_ref_parse       (const char   *text,
                              TcRef        *ref,
                              GError      **error);
gboolean  tc_ref_is_ref      (const char   *text);
/* Longer than any id: shown by its first characters only. */
#define TC_REF_SHOWN_CHARS 16
char     *tc_ref_shown       (const char   *text);

typedef struct
{
  char     *name;
  char     *value;      /* as written (unquoted); a reference or a plain value */
  gboolean  is_ref;
  guint     line;
} TcEnvEntry;

GPtrArray *tc_env_file_parse (const char   *file_name,
                              const char   *contents,
                              gsize         length,
                              GError      **error);
gboolean   tc_env_name_valid (const char   *name);

/* A template: text, with {{ tokens://… }} in it. */
typedef struct
{
  gsize  start;     /* of "{{" */
  gsize  end;       /* after "}}" */
  char  *ref;       /* the reference, trimmed */
  guint  line;
} TcPlaceholder;

GPtrArray *tc_template_parse (const char   *file_name,
                              const char   *contents,
                              gsize         length,
                              GError      **error);

G_END_DECLS
