/* ts-router.c — from a request to its handler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One entry point for every request. A request goes through the same
 * gates in the same order whatever the route: the path (404), the method
 * (405 with Allow), the body's size (413, decided by the HTTP layer from
 * ts_router_body_limit() as soon as the headers are in, before the body
 * is kept), the token (401/403), the body's type and shape (415/400), and
 * only then the handler. A gate that says no writes the JSON error
 * itself, so handlers see only requests that passed.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ts-http.h"
#include "ts-json.h"
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
  routes = ts_handlers_gateway_routes (&n);
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

/* The largest body the route for @method @path takes: the HTTP layer
 * refuses a larger one as soon as its headers say so, before keeping it. */
goffset
ts_router_body_limit (TsRouter   *self,
                      const char *method,
                      const char *path)
{
  Lookup found;
  goffset limit;

  lookup (self, method, path, &found);
  limit = found.entry && found.entry->route->body == TS_BODY_RAW ? TS_MAX_FILE_BODY : TS_MAX_JSON_BODY;
  lookup_clear (&found);
  return limit;
}

/**
 * ts_router_dispatch:
 *
 * Answers @exchange: after this returns, it holds the reply, or it is
 * paused (ts_exchange_pause()) and its continuation will write it.
 */
void
ts_router_dispatch (TsRouter   *self,
                    TsServer   *server,
                    TsExchange *exchange)
{
  const char *method = exchange->method;
  g_autoptr(TsPrincipal) principal = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *param = NULL;
  const TsRoute *route;
  TsRequest request;
  TsStore *store;
  Lookup found;

  lookup (self, method, exchange->path, &found);

  if (found.n_matches == 0)
    {
      lookup_clear (&found);
      ts_reply_error (exchange, TOKENS_ERROR_NOT_FOUND, "There is no such path in this API.");
      return;
    }

  if (found.entry == NULL)
    {
      g_autofree char *message = NULL;

      /* HEAD is answered wherever GET is. */
      if (strstr (found.allow->str, "GET") != NULL)
        g_string_append (found.allow, ", HEAD");
      message = g_strdup_printf ("This path does not take %s; it takes %s.",
                                 method, found.allow->str);
      ts_reply_add_header (exchange, "Allow", found.allow->str);
      lookup_clear (&found);
      ts_reply_error (exchange, TOKENS_ERROR_METHOD_NOT_ALLOWED, message);
      return;
    }

  route = found.entry->route;
  if (found.param != NULL)
    param = g_strndup (found.param, found.param_len);
  lookup_clear (&found);

  /* Health answers even when the database cannot be opened. */
  store = route->stateless ? NULL : ts_server_get_store (server, &error);
  if (store == NULL && !route->stateless)
    {
      ts_reply_retry_later (exchange, TOKENS_ERROR_UNAVAILABLE, 5, error->message);
      return;
    }

  request = (TsRequest) {
    .server = server,
    .store = store,
    .exchange = exchange,
    .param = param,
    .query = exchange->query,
    .now = ts_now (),
  };

  if (route->auth != TS_AUTH_NONE)
    {
      principal = ts_auth_authenticate (server, store, exchange, route, request.now);
      if (principal == NULL)
        return;
      request.principal = principal;
    }

  if (route->body == TS_BODY_JSON || route->body == TS_BODY_JSON_OPTIONAL)
    {
      request.body = ts_request_get_json_object (exchange, route->body == TS_BODY_JSON_OPTIONAL,
                                                 &root, &error);
      if (error != NULL)
        {
          ts_reply_gerror (exchange, error);
          return;
        }
    }

  route->handler (&request);

  /* Depth is bounded by the reader (32), so is this recursion. */
  if (root != NULL)
    ts_json_wipe (root);
}

gint64
ts_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}
