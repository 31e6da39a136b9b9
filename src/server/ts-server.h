/* ts-server.h — the server, its routes and a request in flight
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "ts-http.h"
#include "ts-passwords.h"
#include "ts-ratelimit.h"
#include "ts-store.h"

G_BEGIN_DECLS

typedef struct _TsRouter TsRouter;
typedef struct _TsVerifyCache TsVerifyCache;

/* Failed sign-ins allowed per account, and per client address across
 * accounts, in a window of ATTEMPT_WINDOW seconds; then 429. */
#define TS_ACCOUNT_ATTEMPTS 5
#define TS_ADDRESS_ATTEMPTS 20
#define TS_ATTEMPT_WINDOW   (15 * 60)
/* Sign-ins checked at once for one account, and from one address: a
 * burst of right passwords goes through, a burst of guesses is cut short. */
#define TS_ACCOUNT_RUNNING  16
#define TS_ADDRESS_RUNNING  24
/* Accounts created per client address in SIGNUP_WINDOW seconds. */
#define TS_SIGNUPS_PER_ADDRESS 10
#define TS_SIGNUP_WINDOW       (60 * 60)

typedef struct
{
  char          *database;          /* where each thread opens its store */
  GPrivate       store;             /* this thread's TsStore */
  GMutex         stores_lock;
  GPtrArray     *stores;            /* every store opened, to close at exit */
  TsRouter      *router;
  TsPasswords   *passwords;
  TsRateLimiter *account_limiter;   /* failed sign-ins per account */
  TsRateLimiter *address_limiter;   /* failed sign-ins per client address */
  TsRateLimiter *signup_limiter;    /* sign-ups per client address */
  TsVerifyCache *verify_cache;      /* nullable: PostgreSQL only (ts-verify-cache.c) */
  gboolean       allow_signup;
} TsServer;

/* Who may call a route. */
typedef enum
{
  TS_AUTH_NONE,     /* no token: health, sign-up, sign-in */
  TS_AUTH_ACCOUNT,  /* a session or the account API token: manage the account */
  TS_AUTH_SESSION,  /* a session only: sign out */
  TS_AUTH_ANY,      /* any bearer token, access tokens too: verify, files */
} TsAuth;

typedef enum
{
  TS_BODY_NONE,           /* a body, if any, is ignored */
  TS_BODY_JSON,           /* a JSON object */
  TS_BODY_JSON_OPTIONAL,  /* a JSON object, or nothing */
  TS_BODY_RAW,            /* bytes, up to TS_MAX_FILE_BODY */
} TsBody;

typedef struct
{
  TsServer          *server;
  TsStore           *store;      /* this thread's connection to the database */
  TsExchange        *exchange;
  const char        *param;      /* the {id} or {name} segment of the path */
  GHashTable        *query;      /* nullable */
  TsPrincipal       *principal;  /* NULL for TS_AUTH_NONE */
  JsonObject        *body;       /* NULL unless the route takes JSON and got some */
  gint64             now;        /* Unix seconds, once per request */
} TsRequest;

typedef void (*TsHandler) (TsRequest *request);

typedef struct
{
  const char *method;
  const char *path;     /* "{…}" matches one segment, given as TsRequest.param */
  TsAuth      auth;
  guint       scopes;   /* what an access token needs here (TsScopes) */
  TsBody      body;
  TsHandler   handler;
  gboolean    stateless;  /* answers without the database (health) */
} TsRoute;

/* Each handlers file gives its routes; ts-router.c puts them together. */
const TsRoute *ts_handlers_accounts_routes (guint *n_routes);
const TsRoute *ts_handlers_tokens_routes   (guint *n_routes);
const TsRoute *ts_handlers_security_routes (guint *n_routes);
const TsRoute *ts_handlers_files_routes    (guint *n_routes);
const TsRoute *ts_handlers_gateway_routes  (guint *n_routes);

TsRouter *ts_router_new          (void);
void      ts_router_free         (TsRouter         *self);
void      ts_router_print_routes (TsRouter         *self);
void      ts_router_dispatch     (TsRouter         *self,
                                  TsServer         *server,
                                  TsExchange       *exchange);
goffset   ts_router_body_limit   (TsRouter         *self,
                                  const char       *method,
                                  const char       *path);

TsPrincipal *ts_auth_authenticate (TsServer          *server,
                                   TsStore           *store,
                                   TsExchange        *exchange,
                                   const TsRoute     *route,
                                   gint64             now);

gboolean  ts_server_init         (TsServer         *server,
                                  const char       *database,
                                  GError          **error);
void      ts_server_start_verify_cache (TsServer   *server);
void      ts_server_clear        (TsServer         *server);
TsStore  *ts_server_get_store    (TsServer         *server,
                                  GError          **error);

gint64    ts_now                 (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsRouter, ts_router_free)

G_END_DECLS
