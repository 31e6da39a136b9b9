/* ts-request.c — what handlers share: ids, pages, new secrets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

/* N_() marks the service's messages a person may read in the app, which
 * shows them translated; the service itself answers in English. */
#include <glib/gi18n-lib.h>

#include <string.h>

#include "tokens-error.h"
#include "ts-http.h"
#include "ts-json.h"
#include "ts-request.h"

#define MAX_NAME_CHARS 100

/* Secrets come from tokens_token_generate() only, and leave this process
 * once, in the reply that creates them. */
TsIssued *
ts_issued_new (TokensTokenKind kind)
{
  TsIssued *issued = g_new0 (TsIssued, 1);

  issued->kind = kind;
  issued->secret = tokens_token_generate (kind);
  issued->hash = tokens_token_hash (issued->secret);
  issued->last4 = tokens_token_last4 (issued->secret);
  issued->stored.hash = issued->hash;
  issued->stored.last4 = issued->last4;
  return issued;
}

void
ts_issued_free (TsIssued *issued)
{
  if (issued == NULL)
    return;
  tokens_secret_free (issued->secret);
  g_free (issued->hash);
  g_free (issued->last4);
  g_free (issued);
}

/* A decimal number that fits, nothing else: no sign, no spaces, no hex. */
static gboolean
parse_positive (const char *text,
                gint64     *value)
{
  guint64 parsed;

  if (text == NULL || text[0] == '\0' || strlen (text) > 15)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &parsed, NULL))
    return FALSE;

  *value = (gint64) parsed;
  return TRUE;
}

/* The {id} of the path; on FALSE the 404 is written. */
gboolean
ts_request_get_id (TsRequest *request,
                   gint64    *id)
{
  if (!parse_positive (request->param, id))
    {
      ts_reply_error (request->exchange, TOKENS_ERROR_NOT_FOUND,
                      "No access token with this id in this account.");
      return FALSE;
    }

  return TRUE;
}

/* Pages are `?page_size=N&page_token=T`: T is opaque to clients (it is the
 * last id seen), so a page stays right while items come and go. On FALSE
 * the 400 is written. */
gboolean
ts_request_get_page (TsRequest *request,
                     guint      default_size,
                     guint     *size,
                     gint64    *cursor)
{
  const char *text;
  gint64 value;

  *size = default_size;
  *cursor = 0;

  if (request->query == NULL)
    return TRUE;

  text = g_hash_table_lookup (request->query, "page_size");
  if (text != NULL)
    {
      if (!parse_positive (text, &value) || value > TS_MAX_PAGE_SIZE)
        {
          ts_reply_error (request->exchange, TOKENS_ERROR_INVALID_INPUT,
                          "page_size must be a whole number from 1 to 100.");
          return FALSE;
        }
      *size = (guint) value;
    }

  text = g_hash_table_lookup (request->query, "page_token");
  if (text != NULL && text[0] != '\0')
    {
      if (!parse_positive (text, &value))
        {
          ts_reply_error (request->exchange, TOKENS_ERROR_INVALID_INPUT,
                          "page_token is not one this service gave: start from the first page.");
          return FALSE;
        }
      *cursor = value;
    }

  return TRUE;
}

void
ts_add_next_page_token (JsonBuilder *builder,
                        gint64       cursor)
{
  g_autofree char *text = cursor ? g_strdup_printf ("%" G_GINT64_FORMAT, cursor) : NULL;

  tokens_json_add_string (builder, "next_page_token", text);
}

/* A name people read in a list: trimmed, 1 to 100 characters, no control
 * characters (a newline in a name breaks every list that shows it). */
gboolean
ts_check_token_name (const char  *name,
                     char       **clean,
                     GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (name));

  if (copy[0] == '\0')
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           N_("The name is empty: give the token a name that says where it is used."));
      return FALSE;
    }

  if (g_utf8_strlen (copy, -1) > MAX_NAME_CHARS)
    {
      /* A literal, so the app finds it in its translations. */
      G_STATIC_ASSERT (MAX_NAME_CHARS == 100);
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           N_("The name is longer than 100 characters."));
      return FALSE;
    }

  for (const char *p = copy; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        {
          g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                               N_("The name has a control character, such as a line break."));
          return FALSE;
        }
    }

  *clean = g_steal_pointer (&copy);
  return TRUE;
}

/* How replies and the gateway's headers name a kind of token. */
const char *
ts_token_kind_nick (TokensTokenKind kind)
{
  switch (kind)
    {
    case TOKENS_TOKEN_KIND_API_KEY:
      return "api_key";
    case TOKENS_TOKEN_KIND_ACCESS:
      return "access";
    case TOKENS_TOKEN_KIND_SESSION:
      return "session";
    case TOKENS_TOKEN_KIND_CLIENT:
    default:
      return "client";
    }
}
