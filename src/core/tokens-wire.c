/* tokens-wire.c — the words of the token service's API, written once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What libtokens reads and tokens-server writes must be the same words:
 * scope names, the account security token's states, the time format. Each
 * is spelled here and nowhere else; data/tokens-api.yaml is the contract
 * they follow.
 */

#include "config.h"

#include "tokens-wire.h"

G_DEFINE_FLAGS_TYPE (TokensScopes, tokens_scopes,
                     G_DEFINE_ENUM_VALUE (TOKENS_SCOPE_NONE, "none"),
                     G_DEFINE_ENUM_VALUE (TOKENS_SCOPE_READ, "read"),
                     G_DEFINE_ENUM_VALUE (TOKENS_SCOPE_WRITE, "write"))

G_DEFINE_ENUM_TYPE (TokensSecurityTokenState, tokens_security_token_state,
                    G_DEFINE_ENUM_VALUE (TOKENS_SECURITY_TOKEN_STATE_NONE, "none"),
                    G_DEFINE_ENUM_VALUE (TOKENS_SECURITY_TOKEN_STATE_DISABLED, "disabled"),
                    G_DEFINE_ENUM_VALUE (TOKENS_SECURITY_TOKEN_STATE_ACTIVE, "active"))

/* RFC 3339 in UTC, whole seconds: what the service writes. */
#define TIME_FORMAT "%Y-%m-%dT%H:%M:%SZ"

/**
 * tokens_scope_to_string:
 * @scope: one scope
 *
 * Returns: (nullable): its name on the wire, "read" or "write"
 */
const char *
tokens_scope_to_string (TokensScopes scope)
{
  switch ((int) scope)
    {
    case TOKENS_SCOPE_READ:
      return "read";
    case TOKENS_SCOPE_WRITE:
      return "write";
    default:
      return NULL;
    }
}

gboolean
tokens_scope_from_string (const char   *string,
                          TokensScopes *out_scope)
{
  TokensScopes scope;

  if (g_strcmp0 (string, tokens_scope_to_string (TOKENS_SCOPE_READ)) == 0)
    scope = TOKENS_SCOPE_READ;
  else if (g_strcmp0 (string, tokens_scope_to_string (TOKENS_SCOPE_WRITE)) == 0)
    scope = TOKENS_SCOPE_WRITE;
  else
    return FALSE;

  if (out_scope != NULL)
    *out_scope = scope;
  return TRUE;
}

/**
 * tokens_scopes_to_strv:
 *
 * Returns: (transfer full): the wire names of @scopes, "read" first
 */
char **
tokens_scopes_to_strv (TokensScopes scopes)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  if (scopes & TOKENS_SCOPE_READ)
    g_strv_builder_add (builder, tokens_scope_to_string (TOKENS_SCOPE_READ));
  if (scopes & TOKENS_SCOPE_WRITE)
    g_strv_builder_add (builder, tokens_scope_to_string (TOKENS_SCOPE_WRITE));

  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

/**
 * tokens_security_token_state_to_string:
 *
 * Returns: its name on the wire: "none", "disabled" or "active"
 */
const char *
tokens_security_token_state_to_string (TokensSecurityTokenState state)
{
  switch (state)
    {
    case TOKENS_SECURITY_TOKEN_STATE_DISABLED:
      return "disabled";
    case TOKENS_SECURITY_TOKEN_STATE_ACTIVE:
      return "active";
    case TOKENS_SECURITY_TOKEN_STATE_NONE:
    default:
      return "none";
    }
}

gboolean
tokens_security_token_state_from_string (const char               *string,
                                         TokensSecurityTokenState *out_state)
{
  static const TokensSecurityTokenState states[] = {
    TOKENS_SECURITY_TOKEN_STATE_NONE,
    TOKENS_SECURITY_TOKEN_STATE_DISABLED,
    TOKENS_SECURITY_TOKEN_STATE_ACTIVE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      if (g_strcmp0 (string, tokens_security_token_state_to_string (states[i])) == 0)
        {
          if (out_state != NULL)
            *out_state = states[i];
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * tokens_wire_format_time:
 * @unix_time: seconds since the epoch
 *
 * Returns: (transfer full) (nullable): @unix_time as RFC 3339 in UTC, or
 *   %NULL where GDateTime cannot hold it
 */
char *
tokens_wire_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return time ? g_date_time_format (time, TIME_FORMAT) : NULL;
}

/**
 * tokens_wire_parse_time:
 * @text: an RFC 3339 time, with its offset
 *
 * Returns: (transfer full) (nullable): the time, or %NULL if @text is not one
 */
GDateTime *
tokens_wire_parse_time (const char *text)
{
  return g_date_time_new_from_iso8601 (text, NULL);
}
