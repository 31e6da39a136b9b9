/* ts-http.h — one HTTP exchange: the request as read, the reply as made
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tokens-error.h"

G_BEGIN_DECLS

/* Largest JSON body any route takes; files have their own limit. */
#define TS_MAX_JSON_BODY   (16 * 1024)
#define TS_MAX_FILE_BODY   (64 * 1024)

/* The statuses the service answers with. */
typedef enum
{
  TS_STATUS_OK                  = 200,
  TS_STATUS_CREATED             = 201,
  TS_STATUS_NO_CONTENT          = 204,
  TS_STATUS_BAD_REQUEST         = 400,
  TS_STATUS_UNAUTHORIZED        = 401,
  TS_STATUS_FORBIDDEN           = 403,
  TS_STATUS_NOT_FOUND           = 404,
  TS_STATUS_METHOD_NOT_ALLOWED  = 405,
  TS_STATUS_CONFLICT            = 409,
  TS_STATUS_TOO_LARGE           = 413,
  TS_STATUS_UNSUPPORTED_MEDIA   = 415,
  TS_STATUS_TOO_MANY_REQUESTS   = 429,
  TS_STATUS_SERVER_ERROR        = 500,
  TS_STATUS_UNAVAILABLE         = 503,
} TsStatus;

typedef struct _TsExchange TsExchange;

typedef enum
{
  TS_FRESH_UNKNOWN,   /* no barrier yet */
  TS_FRESH_PASSED,    /* the cache has every change committed before the request came */
  TS_FRESH_FAILED,    /* no barrier could be made: ask the database */
} TsFreshness;

/* Runs where the exchange was paused from, on a thread that may use the
 * store, once ts_exchange_resume() has been called; it writes the reply. */
typedef void (*TsContinuation) (TsExchange *exchange,
                                gpointer    data);

/* What the HTTP layer read; every string is valid UTF-8 without NUL
 * (the layer refuses the request otherwise) and lives as long as the
 * exchange. */
struct _TsExchange
{
  const char  *method;          /* "GET", …; HEAD is given as "GET" (the HTTP
                                 * layer leaves the body out) */
  const char  *path;
  GHashTable  *query;           /* nullable: name → value */
  const char  *authorization;   /* nullable */
  const char  *client_token;    /* nullable */
  const char  *content_type;    /* nullable */
  const char  *scope;           /* nullable: X-Tokens-Scope, for the gateway check */
  const char  *remote_address;  /* nullable */
  GByteArray  *body;            /* nullable */

  /* The reply */
  guint        status;
  const char  *reply_type;      /* static string */
  GBytes      *reply_body;      /* nullable */
  GPtrArray   *reply_headers;   /* name, value, name, value… (owned strings) */
  gboolean     close;           /* Connection: close */

  /* A reply that waits for slow work (a password hash) */
  GMutex          lock;
  gboolean        paused;
  gboolean        resumed;
  TsContinuation  continuation;
  gpointer        continuation_data;
  GDestroyNotify  continuation_free;
  gpointer        connection;   /* the HTTP layer's, while paused */
  void          (*wake) (TsExchange *exchange);

  /* The verify cache's barrier (ts-verify-cache.c) for this request */
  TsFreshness     fresh;
};

TsExchange *ts_exchange_new             (void);
void        ts_exchange_free            (TsExchange      *exchange);
void        ts_exchange_pause           (TsExchange      *exchange,
                                         TsContinuation   continuation,
                                         gpointer         data,
                                         GDestroyNotify   data_free);
void        ts_exchange_unpause         (TsExchange      *exchange);
void        ts_exchange_resume          (TsExchange      *exchange);
gboolean    ts_exchange_run_continuation (TsExchange     *exchange);

gboolean    ts_exchange_set_target      (TsExchange      *exchange,
                                         const char      *method,
                                         const char      *path,
                                         GError         **error);
gboolean    ts_exchange_take_header     (TsExchange      *exchange,
                                         const char      *name,
                                         const char      *value,
                                         gsize            value_len,
                                         GError         **error);
gboolean    ts_exchange_take_query      (TsExchange      *exchange,
                                         const char      *name,
                                         gsize            name_len,
                                         const char      *value,
                                         gsize            value_len,
                                         GError         **error);
gsize       ts_http_unescape            (char            *text);

void        ts_reply_add_header         (TsExchange      *exchange,
                                         const char      *name,
                                         const char      *value);

guint       ts_http_status_for_error    (TokensError      code);

void        ts_reply_bytes              (TsExchange      *exchange,
                                         guint            status,
                                         const char      *type,
                                         GBytes          *body);
void        ts_reply_static             (TsExchange      *exchange,
                                         guint            status,
                                         const char      *json);
void        ts_reply_json               (TsExchange      *exchange,
                                         guint            status,
                                         JsonNode        *node);
void        ts_reply_builder            (TsExchange      *exchange,
                                         guint            status,
                                         JsonBuilder     *builder);
void        ts_reply_no_content         (TsExchange      *exchange);
void        ts_reply_error              (TsExchange      *exchange,
                                         TokensError      code,
                                         const char      *message);
void        ts_reply_gerror             (TsExchange      *exchange,
                                         const GError    *error);
void        ts_reply_retry_later        (TsExchange      *exchange,
                                         TokensError      code,
                                         gint64           seconds,
                                         const char      *message);
void        ts_reply_null_not_allowed   (TsExchange      *exchange);

JsonObject *ts_request_get_json_object  (TsExchange      *exchange,
                                         gboolean         optional,
                                         JsonNode       **root,
                                         GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsExchange, ts_exchange_free)

G_END_DECLS
