/* ts-router.c — from a request to its handler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer handler for every path. A request goes through the same
 * gates in the same order whatever the route: the path (404), the method
 * (405 with Allow), the body's size (413, decided as soon as the headers
 * are in, before the body is kept), the token (401/403), the body's type
 * and shape (415/400), and only then the handler. A gate that says no
 * writes the JSON error itself, so handlers see only requests that passed.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ts-http.h"
#include "ts-server.h"

typedef struct
{
  const TsRoute  *route;
  char          **segments;    /* path split at '/', without the leading "" */
  guint           n_segments;
  guint           n_literals;  /* more literal segments: a more specific route */
} Entry;

struct _TsRouter
{
  GArray *entries;  /* Entry */
};

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_strfreev (entry->segments);
}

static void
add_routes (TsRouter      *self,
            const TsRoute *routes,
            guint          n_routes)
{
  for (guint i = 0; i < n_routes; i++)
    {
      Entry entry = { .route = &routes[i] };

      g_assert (routes[i].path[0] == '/');
      entry.segments = g_strsplit (routes[i].path + 1, "/", -1);
      entry.n_segments = g_strv_length (entry.segments);
      for (guint s = 0; s < entry.n_segments; s++)
        if (entry.segments[s][0] != '{')
          entry.n_literals++;

      g_array_append_val (self->entries, entry);
    }
}

TsRouter *
ts_router_new (void)
{
  TsRouter *self = g_new0 (TsRouter, 1);
  const TsRoute *routes;
  guint n;

  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);

  routes = ts_handlers_accounts_routes (&n);
  add_routes (self, routes, n);
  routes = ts_handlers_tokens_routes (&n);
  add_routes (self, routes, n);
  routes = ts_handlers_security_routes (&n);
  add_routes (self, routes, n);
  routes = ts_handlers_files_routes (&n);
  add_routes (self, routes, n);

  return self;
}

void
ts_router_free (TsRouter *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->entries);
  g_free (self);
}

/* `tokens-server --list-routes`: what the OpenAPI test compares with. */
void
ts_router_print_routes (TsRouter *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);

      printf ("%s %s\n", entry->route->method, entry->route->path);
    }
}

/* Matches @path against @entry without copying it; the one parameter
 * segment, if any, is given as a pointer into @path and a length. */
static gboolean
match (const Entry  *entry,
       const char   *path,
       const char  **param,
       gsize        *param_len)
{
  const char *p = path;

  if (*p++ != '/')
    return FALSE;

  for (guint s = 0; s < entry->n_segments; s++)
    {
      const char *end = strchr (p, '/');
      gsize len = end ? (gsize) (end - p) : strlen (p);
      const char *segment = entry->segments[s];

      if (segment[0] == '{')
        {
          if (len == 0)
            return FALSE;
          *param = p;
          *param_len = len;
        }
      else if (strlen (segment) != len || memcmp (segment, p, len) != 0)
        return FALSE;

      if (s + 1 == entry->n_segments)
        return end == NULL;
      if (end == NULL)
        return FALSE;
      p = end + 1;
    }

  return FALSE;
}

typedef struct
{
  const Entry *entry;      /* the route for this method, or NULL */
  guint        n_matches;  /* routes for this path, any method */
  GString     *allow;      /* their methods */
  const char  *param;
  gsize        param_len;
} Lookup;

/* Among the routes whose pattern fits the path, only the most specific
 * count: /v1/tokens/verify is that route, not /v1/tokens/{id}. */
static void
lookup (TsRouter   *self,
        const char *method,
        const char *path,
        Lookup     *out)
{
  guint best = 0;

  memset (out, 0, sizeof *out);

  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);
      const char *param = NULL;
      gsize param_len = 0;

      if (!match (entry, path, &param, &param_len))
        continue;

      if (out->n_matches == 0 || entry->n_literals > best)
        {
          best = entry->n_literals;
          out->n_matches = 0;
          out->entry = NULL;
          if (out->allow != NULL)
            g_string_truncate (out->allow, 0);
        }
      else if (entry->n_literals < best)
        continue;

      out->n_matches++;
      if (out->allow == NULL)
        out->allow = g_string_new (NULL);
      if (out->allow->len > 0)
        g_string_append (out->allow, ", ");
      g_string_append (out->allow, entry->route->method);

      if (strcmp (entry->route->method, method) == 0)
        {
          out->entry = entry;
          out->param = param;
          out->param_len = param_len;
        }
    }
}

static void
lookup_clear (Lookup *lookup)
{
  if (lookup->allow != NULL)
    g_string_free (lookup->allow, TRUE);
}

/* Body size, decided from the headers */

typedef struct
{
  goffset  received;
  goffset  limit;
  gboolean refused;
} BodyGuard;

static void
refuse_too_large (SoupServerMessage *msg,
                  goffset            limit)
{
  g_autofree char *message =
    g_strdup_printf ("The body is larger than %" G_GOFFSET_FORMAT " bytes.", limit);

  /* Whatever still arrives is read and dropped, never kept. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_body_truncate (soup_server_message_get_request_body (msg));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  ts_reply_error (msg, TOKENS_ERROR_TOO_LARGE, message);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  BodyGuard *guard = user_data;

  guard->received += g_bytes_get_size (chunk);
  if (guard->received > guard->limit && !guard->refused)
    {
      guard->refused = TRUE;
      refuse_too_large (msg, guard->limit);
    }
}

static void
early_cb (SoupServer        *soup,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  TsServer *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Lookup found;
  goffset limit;

  lookup (server->router, soup_server_message_get_method (msg), path, &found);
  limit = found.entry && found.entry->route->body == TS_BODY_RAW ? TS_MAX_FILE_BODY : TS_MAX_JSON_BODY;
  lookup_clear (&found);

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) > limit)
        refuse_too_large (msg, limit);
      break;

    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
      {
        /* No length up front: count as it comes. */
        BodyGuard *guard = g_new0 (BodyGuard, 1);

        guard->limit = limit;
        g_signal_connect_data (msg, "got-chunk", G_CALLBACK (got_chunk_cb),
                               guard, (GClosureNotify) (void (*) (void)) g_free, 0);
      }
      break;

    case SOUP_ENCODING_NONE:
    case SOUP_ENCODING_UNRECOGNIZED:
    case SOUP_ENCODING_BYTERANGES:
    default:
      break;
    }
}

/* The request */

static void
handle_cb (SoupServer        *soup,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  TsServer *server = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(TsPrincipal) principal = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *param = NULL;
  const TsRoute *route;
  TsRequest request;
  Lookup found;

  lookup (server->router, method, path, &found);

  if (found.n_matches == 0)
    {
      lookup_clear (&found);
      ts_reply_error (msg, TOKENS_ERROR_NOT_FOUND, "There is no such path in this API.");
      return;
    }

  if (found.entry == NULL)
    {
      g_autofree char *message =
        g_strdup_printf ("This path does not take %s; it takes %s.", method, found.allow->str);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", found.allow->str);
      lookup_clear (&found);
      ts_reply_error (msg, TOKENS_ERROR_METHOD_NOT_ALLOWED, message);
      return;
    }

  route = found.entry->route;
  if (found.param != NULL)
    param = g_strndup (found.param, found.param_len);
  lookup_clear (&found);

  request = (TsRequest) {
    .server = server,
    .msg = msg,
    .param = param,
    .query = query,
    .now = ts_now (),
  };

  if (route->auth != TS_AUTH_NONE)
    {
      principal = ts_auth_authenticate (server, msg, route, request.now);
      if (principal == NULL)
        return;
      request.principal = principal;
    }

  if (route->body == TS_BODY_JSON || route->body == TS_BODY_JSON_OPTIONAL)
    {
      request.body = ts_request_get_json_object (msg, route->body == TS_BODY_JSON_OPTIONAL,
                                                 &root, &error);
      if (error != NULL)
        {
          ts_reply_gerror (msg, error);
          return;
        }
    }

  route->handler (&request);
}

void
ts_router_attach (TsRouter *self,
                  TsServer *server)
{
  soup_server_add_early_handler (server->soup, NULL, early_cb, server, NULL);
  soup_server_add_handler (server->soup, NULL, handle_cb, server, NULL);
}

gint64
ts_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
