/* ts-daemon.h — the HTTP layer: libmicrohttpd, its limits and timeouts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ts-server.h"

G_BEGIN_DECLS

/* Seconds a connection may wait for a request's headers (slow senders
 * included) or stay idle between requests, by default. */
#define TS_DEFAULT_TIMEOUT          15
/* Connections from one address at once, by default. */
#define TS_DEFAULT_PER_ADDRESS      1000

typedef struct
{
  guint max_connections;   /* 0: as many as the descriptor limit allows */
  guint per_address;       /* 0: TS_DEFAULT_PER_ADDRESS */
  guint timeout;           /* seconds; 0: TS_DEFAULT_TIMEOUT */
  guint threads;           /* 0: one per core */
  GPtrArray *trusted;      /* nullable: GInetAddressMask of proxies whose
                            * X-Real-IP names the client */
} TsDaemonOptions;

typedef struct _TsDaemon TsDaemon;

TsDaemon *ts_daemon_start        (TsServer               *server,
                                  GInetSocketAddress     *address,
                                  const TsDaemonOptions  *options,
                                  GError                **error);
guint16   ts_daemon_get_port     (TsDaemon               *self);
void      ts_daemon_stop         (TsDaemon               *self);

guint     ts_raise_fd_limit      (void);

G_END_DECLS
