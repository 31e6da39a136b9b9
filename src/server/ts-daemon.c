/* ts-daemon.c — the HTTP layer: libmicrohttpd, its limits and timeouts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why libmicrohttpd: a server that faces the network must close what
 * clients leave open, bound what they can hold and keep accepting when
 * descriptors run out. libsoup 3.2's SoupServer leaks every keep-alive
 * connection its client closes and has no timeouts; libmicrohttpd (the
 * GNU embedded server, used by systemd-journal-remote) has connection
 * and per-address limits, an inactivity timeout, a thread pool on epoll,
 * and stops and restarts accept() by itself on EMFILE.
 *
 * One pool thread per core runs requests start to end; a request whose
 * answer waits on a password hash is suspended and resumed (ts-http.c).
 * What libmicrohttpd does not do is here:
 *
 *  - A deadline for a request's headers. Its timeout counts inactivity,
 *    so a client sending a byte every few seconds (slowloris) would hold
 *    its connection for ever. Every connection is known here from accept
 *    to close; a sweep once a second shuts down those that have waited
 *    longer than the timeout for a request (and those whose body takes
 *    twice that). shutdown(), not close(): the library still owns the
 *    descriptor, and sees the end of the stream as the client leaving.
 *    The table's lock is held from that check to shutdown(), and the
 *    library tells us a connection is closed before it closes its
 *    descriptor, so a sweep never touches a descriptor reused since.
 *  - Strict input (ts-http.c checks it, so the fuzzer reaches it too):
 *    a header we read must be there once (two Authorization headers are
 *    a 400, not "the last one wins"), and no header, path or query value
 *    we read may be invalid UTF-8. A %00 in the path or query is left
 *    undecoded, so it can never cut a value short. (A raw NUL byte
 *    inside a header line is another matter: libmicrohttpd 0.9.75 ends
 *    the value there before any callback of ours, and cannot tell us;
 *    nginx in front refuses such lines itself.)
 *  - Framing the library acts on but should not accept: two
 *    Content-Length headers, Content-Length beside Transfer-Encoding
 *    (request smuggling past a proxy that reads the other one), and a
 *    transfer coding other than chunked (read until the connection
 *    ends): refused, and the connection closed.
 *  - Our error shape for what we refuse: the JSON reply of ts-http.c.
 *    (What the library refuses itself before any callback — a request
 *    line it cannot parse, headers over its memory limit — it answers
 *    with its own short page and closes; that layer is not ours.)
 */

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "ts-daemon.h"
#include "ts-log.h"
#ifdef HAVE_POSTGRES
#include "ts-verify-cache.h"
#endif

/* Descriptors kept for the rest: each thread's database (three with its
 * WAL), epoll, the library's wake-up pipes, logs. */
#define RESERVED_FDS        64
#define MAX_CONNECTIONS     100000
#define LISTEN_BACKLOG      1024
/* Request headers, and the reply's, live in this much per connection:
 * headers beyond it are refused by the library (431). */
#define CONNECTION_MEMORY   (32 * 1024)
/* A body over its route's limit is read and dropped, so the client gets
 * to read our 413 instead of a reset; beyond this much it is not worth
 * reading, and the 413 is sent at once and the connection closed. */
#define DISCARD_AT_MOST     (1024 * 1024)
typedef struct
{
  int       fd;
  char      address[INET6_ADDRSTRLEN + 4];  /* the client's, as limits key it */
  gboolean  trusted;         /* a proxy of ours: X-Real-IP names the client */
  gint64    waiting_since;   /* monotonic µs: accepted, or last request done */
  gint64    request_since;   /* monotonic µs: headers of this request in */
  gboolean  in_request;
  gboolean  uploading;       /* its body is still coming */
  gboolean  shut;
} Conn;

struct _TsDaemon
{
  TsServer          *server;
  struct MHD_Daemon *mhd;
  guint16            port;
  gint64             timeout_us;
  GMutex             lock;
  GHashTable        *conns;  /* Conn * set */
  guint              sweep_id;
  gint               stopping;
  GPtrArray         *trusted; /* GInetAddressMask */
};

/* Per request: the exchange and what only the HTTP layer needs */
typedef struct
{
  TsExchange  *exchange;
  Conn        *conn;
  goffset      body_limit;
  gboolean     body_refused;
  gboolean     refuse_at_once;
  gboolean     dispatched;
  GError      *early_error;    /* a request refused before routing */
  guint        n_content_length;
  guint        n_transfer_encoding;
  gboolean     chunked;
  gsize        body_allocated;
  guint64      dropped;        /* bytes of a refused body read so far */
  char         real_address[INET6_ADDRSTRLEN + 4];
} Call;

static void
call_free (Call *call)
{
  g_clear_error (&call->early_error);
  ts_exchange_free (call->exchange);
  g_free (call);
}

/* Logging: libmicrohttpd's messages name no request content but the path,
 * which holds no secret in this API; they are still cut short, and a
 * flood of them (one per refused connection) is thinned. */

static void
log_cb (void       *cls,
        const char *format,
        va_list     args)
{
  static gint64 window_start;
  static guint in_window;
  static guint dropped;
  static GMutex lock;
  g_autofree char *text = g_strdup_vprintf (format, args);
  g_autofree char *safe = NULL;
  gint64 now = g_get_monotonic_time ();
  guint dropped_before = 0;
  gboolean show;

  g_mutex_lock (&lock);
  if (now - window_start > 10 * G_USEC_PER_SEC)
    {
      window_start = now;
      in_window = 0;
      dropped_before = dropped;
      dropped = 0;
    }
  show = in_window++ < 10;
  if (!show)
    dropped++;
  g_mutex_unlock (&lock);

  if (dropped_before > 0)
    g_message ("HTTP: %u more messages like the ones above were left out", dropped_before);
  if (!show)
    return;

  /* Paths in these messages are decoded: any byte can be there. */
  safe = g_utf8_make_valid (g_strchomp (text), -1);
  for (char *p = safe; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        {
          /* Replaced by as many spaces as it takes bytes. */
          char *end = g_utf8_next_char (p);

          memset (p, ' ', end - p);
        }
    }
  if (strlen (safe) > 240)
    *g_utf8_find_prev_char (safe, safe + 240) = '\0';
  g_message ("HTTP: %s", safe);
}

static size_t
unescape_cb (void                  *cls,
             struct MHD_Connection *connection,
             char                  *text)
{
  return ts_http_unescape (text);
}

/* Connections, from accept to close */

/* How limits know a client: its address, or for IPv6 its /64 (one
 * machine usually has a whole /64, and would otherwise count as many). */
static void
client_key (GInetAddress *address,
            char         *out,
            gsize         size)
{
  g_autofree char *text = NULL;

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 &&
      !g_inet_address_get_is_loopback (address))
    {
      guint8 bytes[16] = { 0 };
      g_autoptr(GInetAddress) prefix = NULL;

      memcpy (bytes, g_inet_address_to_bytes (address), 8);
      prefix = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV6);
      text = g_inet_address_to_string (prefix);
      g_snprintf (out, size, "%s/64", text);
      return;
    }

  text = g_inet_address_to_string (address);
  g_strlcpy (out, text, size);
}

static gboolean
is_trusted (TsDaemon     *self,
            GInetAddress *address)
{
  for (guint i = 0; self->trusted != NULL && i < self->trusted->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (self->trusted, i), address))
      return TRUE;
  return FALSE;
}

static void
connection_cb (void                             *cls,
               struct MHD_Connection            *connection,
               void                            **socket_context,
               enum MHD_ConnectionNotificationCode toe)
{
  TsDaemon *self = cls;
  Conn *conn = *socket_context;

  if (toe == MHD_CONNECTION_NOTIFY_STARTED)
    {
      const union MHD_ConnectionInfo *info;

      conn = g_new0 (Conn, 1);
      conn->fd = -1;
      info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CONNECTION_FD);
      if (info != NULL)
        conn->fd = info->connect_fd;
      info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
      if (info != NULL && info->client_addr != NULL)
        {
          const struct sockaddr *sa = info->client_addr;
          gsize len = sa->sa_family == AF_INET6 ? sizeof (struct sockaddr_in6)
                                                : sizeof (struct sockaddr_in);
          g_autoptr(GSocketAddress) peer = g_socket_address_new_from_native ((gpointer) sa, len);

          if (G_IS_INET_SOCKET_ADDRESS (peer))
            {
              GInetAddress *address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer));

              client_key (address, conn->address, sizeof conn->address);
              conn->trusted = is_trusted (self, address);
            }
        }
      conn->waiting_since = g_get_monotonic_time ();

      g_mutex_lock (&self->lock);
      g_hash_table_add (self->conns, conn);
      g_mutex_unlock (&self->lock);
      *socket_context = conn;
    }
  else if (conn != NULL)
    {
      /* Before the library closes the descriptor: from now on no sweep
       * can shut it down. */
      g_mutex_lock (&self->lock);
      g_hash_table_remove (self->conns, conn);
      g_mutex_unlock (&self->lock);
      g_free (conn);
      *socket_context = NULL;
    }
}

static gboolean
sweep_cb (gpointer user_data)
{
  TsDaemon *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key;
  guint shut = 0;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      Conn *conn = key;
      gboolean late;

      if (conn->shut || conn->fd < 0)
        continue;

      if (!conn->in_request)
        late = now - conn->waiting_since > self->timeout_us;
      else
        late = conn->uploading && now - conn->request_since > 2 * self->timeout_us;

      if (late)
        {
          shutdown (conn->fd, SHUT_RDWR);
          conn->shut = TRUE;
          shut++;
        }
    }
  g_mutex_unlock (&self->lock);

  if (shut > 0)
    TS_LOG_LIMITED ("Closed %u connections that sent no complete request in time", shut);

  return G_SOURCE_CONTINUE;
}

static void
completed_cb (void                            *cls,
              struct MHD_Connection           *connection,
              void                           **con_cls,
              enum MHD_RequestTerminationCode  toe)
{
  TsDaemon *self = cls;
  Call *call = *con_cls;

  if (call == NULL)
    return;

  if (call->conn != NULL)
    {
      g_mutex_lock (&self->lock);
      call->conn->in_request = FALSE;
      call->conn->uploading = FALSE;
      call->conn->waiting_since = g_get_monotonic_time ();
      g_mutex_unlock (&self->lock);
    }

  call_free (call);
  *con_cls = NULL;
}

/* Reading the request */

static enum MHD_Result
header_cb (void                 *cls,
           enum MHD_ValueKind    kind,
           const char           *key,
           size_t                key_size,
           const char           *value,
           size_t                value_size)
{
  Call *call = cls;

  /* The framing, which the library has already acted on: a second
   * Content-Length, or one beside chunked, is how a request is smuggled
   * past a proxy that reads the other one. */
  if (g_ascii_strcasecmp (key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
    call->n_content_length++;
  else if (g_ascii_strcasecmp (key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0)
    {
      call->n_transfer_encoding++;
      /* What the library frames as chunked: the value "chunked", exactly. */
      call->chunked = call->n_transfer_encoding == 1 && value != NULL &&
                      g_ascii_strcasecmp (value, "chunked") == 0;
    }
  else if (call->early_error == NULL)
    ts_exchange_take_header (call->exchange, key, value, value_size, &call->early_error);

  /* On to the end whatever was found: the framing headers may follow. */
  return MHD_YES;
}

static enum MHD_Result
argument_cb (void                 *cls,
             enum MHD_ValueKind    kind,
             const char           *key,
             size_t                key_size,
             const char           *value,
             size_t                value_size)
{
  Call *call = cls;

  if (!ts_exchange_take_query (call->exchange, key, key_size, value, value_size, &call->early_error))
    return MHD_NO;
  return MHD_YES;
}

/* The body's length from Content-Length (0 when there is none). */
static guint64
declared_length (struct MHD_Connection *connection)
{
  const char *value = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_LENGTH);
  guint64 length = 0;

  if (value != NULL)
    g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &length, NULL);
  return length;
}

static gboolean
expects_continue (struct MHD_Connection *connection)
{
  const char *value = MHD_lookup_connection_value (connection, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_EXPECT);

  return value != NULL && g_ascii_strcasecmp (value, "100-continue") == 0;
}

/* Appends to the body. A body that must grow moves to a buffer twice as
 * large and the old one is wiped: a buffer left to realloc() would leave
 * copies of its start (a password) in freed memory. */
static void
body_append (Call       *call,
             const char *data,
             gsize       size)
{
  TsExchange *exchange = call->exchange;
  gsize needed = (exchange->body ? exchange->body->len : 0) + size;

  if (exchange->body == NULL || needed > call->body_allocated)
    {
      gsize wanted = MAX (MAX (call->body_allocated * 2, needed), 1024);
      GByteArray *bigger = g_byte_array_sized_new ((guint) wanted);

      if (exchange->body != NULL)
        {
          g_byte_array_append (bigger, exchange->body->data, exchange->body->len);
          sodium_memzero (exchange->body->data, exchange->body->len);
          g_byte_array_unref (exchange->body);
        }
      exchange->body = bigger;
      call->body_allocated = wanted;
    }

  g_byte_array_append (exchange->body, (const guint8 *) data, size);
}

/* Sending the reply */

static enum MHD_Result
send_reply (TsDaemon              *self,
            struct MHD_Connection *connection,
            TsExchange            *exchange)
{
  struct MHD_Response *response;
  enum MHD_Result result;
  gsize len = 0;
  const char *data = NULL;

  if (exchange->status == 0)
    {
      g_warning ("A route wrote no reply");
      ts_reply_error (exchange, TOKENS_ERROR_SERVER, NULL);
    }

  if (exchange->reply_body != NULL)
    data = g_bytes_get_data (exchange->reply_body, &len);

  response = MHD_create_response_from_buffer (len, (void *) data, MHD_RESPMEM_MUST_COPY);
  if (response == NULL)
    return MHD_NO;

  if (exchange->reply_type != NULL)
    MHD_add_response_header (response, MHD_HTTP_HEADER_CONTENT_TYPE, exchange->reply_type);
  /* Replies can carry a secret shown once: no cache may keep them. */
  MHD_add_response_header (response, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  for (guint i = 0; i + 1 < exchange->reply_headers->len; i += 2)
    MHD_add_response_header (response,
                             g_ptr_array_index (exchange->reply_headers, i),
                             g_ptr_array_index (exchange->reply_headers, i + 1));
  /* Stopping: the client is told not to send another request here. */
  if (exchange->close || g_atomic_int_get (&self->stopping))
    MHD_add_response_header (response, MHD_HTTP_HEADER_CONNECTION, "close");

  result = MHD_queue_response (connection, exchange->status, response);
  MHD_destroy_response (response);
  return result;
}

static void
wake (TsExchange *exchange)
{
  MHD_resume_connection (exchange->connection);
}

/* The request */

static Call *
call_start (TsDaemon              *self,
            struct MHD_Connection *connection,
            const char            *url,
            const char            *method)
{
  const union MHD_ConnectionInfo *info;
  Call *call = g_new0 (Call, 1);
  TsExchange *exchange = ts_exchange_new ();
  guint64 length;

  call->exchange = exchange;

  info = MHD_get_connection_info (connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  if (info != NULL)
    call->conn = info->socket_context;
  if (call->conn != NULL)
    {
      g_mutex_lock (&self->lock);
      call->conn->in_request = TRUE;
      call->conn->uploading = TRUE;
      call->conn->request_since = g_get_monotonic_time ();
      g_mutex_unlock (&self->lock);
      if (call->conn->address[0] != '\0')
        exchange->remote_address = call->conn->address;

      /* Behind our own proxy every client has the proxy's address: the
       * one it names counts instead (never a client's own claim). */
      if (call->conn->trusted)
        {
          const char *real = MHD_lookup_connection_value (connection, MHD_HEADER_KIND, "X-Real-IP");
          g_autoptr(GInetAddress) address = real ? g_inet_address_new_from_string (real) : NULL;

          if (address != NULL)
            {
              client_key (address, call->real_address, sizeof call->real_address);
              exchange->remote_address = call->real_address;
            }
        }
    }

  exchange->wake = wake;
  ts_exchange_set_target (exchange, method, url, &call->early_error);
  MHD_get_connection_values_n (connection, MHD_HEADER_KIND, header_cb, call);
  if (call->n_content_length > 1 || (call->n_content_length > 0 && call->n_transfer_encoding > 0))
    {
      /* Answered, then the connection closed: whatever follows on it is
       * not a request we can frame. */
      g_clear_error (&call->early_error);
      g_set_error_literal (&call->early_error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           call->n_content_length > 1
                             ? "The request has more than one Content-Length header."
                             : "The request has both Content-Length and Transfer-Encoding.");
      exchange->close = TRUE;
    }
  if (call->early_error == NULL)
    MHD_get_connection_values_n (connection, MHD_GET_ARGUMENT_KIND, argument_cb, call);

  call->body_limit = ts_router_body_limit (self->server->router, exchange->method, url);

  if (call->n_transfer_encoding > 0 && !call->chunked)
    {
      /* The library would read such a body until the connection ends:
       * answered at once, and closed. */
      call->refuse_at_once = TRUE;
      g_clear_error (&call->early_error);
      g_set_error_literal (&call->early_error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "The only transfer coding this service takes is chunked.");
      return call;
    }

  length = declared_length (connection);
  if (length > (guint64) call->body_limit)
    {
      call->body_refused = TRUE;
      /* Far too large, or the client waits to hear before it sends: say
       * no at once rather than read what will be dropped. */
      call->refuse_at_once = length > DISCARD_AT_MOST || expects_continue (connection);
    }
  else if (length > 0)
    {
      /* Sized once, so it never grows (see body_append()). */
      exchange->body = g_byte_array_sized_new ((guint) length);
      call->body_allocated = length;
    }

  return call;
}

static enum MHD_Result
access_cb (void                  *cls,
           struct MHD_Connection *connection,
           const char            *url,
           const char            *method,
           const char            *version,
           const char            *upload_data,
           size_t                *upload_data_size,
           void                 **con_cls)
{
  TsDaemon *self = cls;
  Call *call = *con_cls;
  TsExchange *exchange;

  if (call == NULL)
    {
      call = call_start (self, connection, url, method);
      *con_cls = call;

      /* Far too large by its Content-Length: answered before the body
       * is read, and the connection closed after (the library refuses to
       * read a body once a reply is queued this early). */
      if (call->refuse_at_once)
        {
          g_autofree char *message =
            g_strdup_printf ("The body is larger than %" G_GOFFSET_FORMAT " bytes.",
                             call->body_limit);

          call->dispatched = TRUE;
          call->exchange->close = TRUE;
          if (call->early_error != NULL)
            ts_reply_gerror (call->exchange, call->early_error);
          else
            ts_reply_error (call->exchange, TOKENS_ERROR_TOO_LARGE, message);
          return send_reply (self, connection, call->exchange);
        }

      /* Anything else is answered once the request is complete:
       * answering now would close a keep-alive connection. */
      return MHD_YES;
    }

  exchange = call->exchange;

  if (*upload_data_size != 0)
    {
      gsize size = *upload_data_size;

      *upload_data_size = 0;
      if (!call->body_refused &&
          (exchange->body ? exchange->body->len : 0) + size > (gsize) call->body_limit)
        {
          /* Longer than it said, or chunked and too large: keep nothing
           * more, say so at the end. */
          call->body_refused = TRUE;
          if (exchange->body != NULL)
            {
              sodium_memzero (exchange->body->data, exchange->body->len);
              g_byte_array_set_size (exchange->body, 0);
            }
        }

      if (call->body_refused)
        {
          /* Dropped, up to a point: past it the connection is closed (no
           * reply can be queued in the middle of a body). */
          call->dropped += size;
          return call->dropped > DISCARD_AT_MOST ? MHD_NO : MHD_YES;
        }

      body_append (call, upload_data, size);
      return MHD_YES;
    }

  /* The request is complete. */
  if (call->conn != NULL && call->conn->uploading)
    {
      g_mutex_lock (&self->lock);
      call->conn->uploading = FALSE;
      g_mutex_unlock (&self->lock);
    }

  if (!call->dispatched)
    {
      call->dispatched = TRUE;

      if (call->body_refused)
        {
          g_autofree char *message =
            g_strdup_printf ("The body is larger than %" G_GOFFSET_FORMAT " bytes.",
                             call->body_limit);

          ts_reply_error (exchange, TOKENS_ERROR_TOO_LARGE, message);
        }
      else if (call->early_error != NULL)
        ts_reply_gerror (exchange, call->early_error);
      else
        ts_router_dispatch (self->server->router, self->server, exchange);
    }
  else
    ts_exchange_run_continuation (exchange);

  /* A loop: a continuation run here may pause the exchange once more
   * (the verify cache's barrier, then a password hash). */
  while (exchange->continuation != NULL)
    {
      /* Paused: the slow work resumes us, unless it is already done. */
      g_mutex_lock (&exchange->lock);
      if (!exchange->resumed)
        {
          exchange->paused = TRUE;
          exchange->connection = connection;
          MHD_suspend_connection (connection);
          g_mutex_unlock (&exchange->lock);
          return MHD_YES;
        }
      g_mutex_unlock (&exchange->lock);
      ts_exchange_run_continuation (exchange);
    }

  return send_reply (self, connection, exchange);
}

/* Starting and stopping */

/* The soft descriptor limit raised to the hard one: every connection is
 * a descriptor, and 1024 is a small default for a server. Returns the
 * limit in force. */
guint
ts_raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 1024;

  if (limit.rlim_cur < limit.rlim_max)
    {
      rlim_t wanted = limit.rlim_max;

      limit.rlim_cur = wanted;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }

  return limit.rlim_cur > G_MAXUINT ? G_MAXUINT : (guint) limit.rlim_cur;
}

TsDaemon *
ts_daemon_start (TsServer               *server,
                 GInetSocketAddress     *address,
                 const TsDaemonOptions  *options,
                 GError                **error)
{
  TsDaemon *self = g_new0 (TsDaemon, 1);
  struct sockaddr_storage native;
  const union MHD_DaemonInfo *info;
  guint threads = options->threads ? options->threads : MAX (1, g_get_num_processors ());
  guint timeout = options->timeout ? options->timeout : TS_DEFAULT_TIMEOUT;
  guint per_address = options->per_address ? options->per_address : TS_DEFAULT_PER_ADDRESS;
  guint max_connections = options->max_connections;
  unsigned int flags;

  if (max_connections == 0)
    {
      guint fds = ts_raise_fd_limit ();

      max_connections = fds > RESERVED_FDS * 2 ? fds - RESERVED_FDS : fds / 2;
      max_connections = MIN (max_connections, MAX_CONNECTIONS);
    }
  /* Each pool thread gets its share of the limit. */
  max_connections = MAX (max_connections, threads);

  if (!g_socket_address_to_native (G_SOCKET_ADDRESS (address), &native, sizeof native, error))
    {
      g_free (self);
      return NULL;
    }

  self->server = server;
  self->trusted = options->trusted ? g_ptr_array_ref (options->trusted) : NULL;
  self->timeout_us = (gint64) timeout * G_USEC_PER_SEC;
  g_mutex_init (&self->lock);
  self->conns = g_hash_table_new (NULL, NULL);

  flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
          MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
  if (g_inet_address_get_family (g_inet_socket_address_get_address (address)) == G_SOCKET_FAMILY_IPV6)
    {
      /* [::] takes IPv4 too, as it does for most servers. */
      if (g_inet_address_get_is_any (g_inet_socket_address_get_address (address)))
        flags |= MHD_USE_DUAL_STACK;
      else
        flags |= MHD_USE_IPv6;
    }

  /* The logger first: the library says what it logs before it is set
   * goes to its own, raw, on stderr. */
  self->mhd = MHD_start_daemon (flags, 0, NULL, NULL, access_cb, self,
                                MHD_OPTION_EXTERNAL_LOGGER, log_cb, self,
                                MHD_OPTION_SOCK_ADDR, (struct sockaddr *) &native,
                                MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int) 1,
                                MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int) LISTEN_BACKLOG,
                                MHD_OPTION_THREAD_POOL_SIZE, (unsigned int) threads,
                                MHD_OPTION_CONNECTION_LIMIT, (unsigned int) max_connections,
                                MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int) per_address,
                                MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int) timeout,
                                MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t) CONNECTION_MEMORY,
                                MHD_OPTION_NOTIFY_COMPLETED, completed_cb, self,
                                MHD_OPTION_NOTIFY_CONNECTION, connection_cb, self,
                                MHD_OPTION_UNESCAPE_CALLBACK, unescape_cb, self,
                                MHD_OPTION_END);
  if (self->mhd == NULL)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s", saved ? g_strerror (saved) : "the HTTP server did not start");
      g_hash_table_unref (self->conns);
      g_clear_pointer (&self->trusted, g_ptr_array_unref);
      g_mutex_clear (&self->lock);
      g_free (self);
      return NULL;
    }

  info = MHD_get_daemon_info (self->mhd, MHD_DAEMON_INFO_BIND_PORT);
  self->port = info ? info->port : g_inet_socket_address_get_port (address);

  g_message ("%u threads, at most %u connections (%u per address), %u s timeout",
             threads, max_connections, per_address, timeout);

  self->sweep_id = g_timeout_add_seconds (1, sweep_cb, self);
  return self;
}

guint16
ts_daemon_get_port (TsDaemon *self)
{
  return self->port;
}

/* Stops accepting, lets answers that wait on a password hash be written,
 * then stops the threads. The server's store and passwords outlive this. */
static gboolean
answering (TsDaemon *self)
{
  GHashTableIter iter;
  gpointer key;
  gboolean busy = FALSE;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->conns);
  while (!busy && g_hash_table_iter_next (&iter, &key, NULL))
    {
      const Conn *conn = key;

      busy = conn->in_request;
    }
  g_mutex_unlock (&self->lock);
  return busy;
}

void
ts_daemon_stop (TsDaemon *self)
{
  MHD_socket listen_fd;

  if (self == NULL)
    return;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  /* From now on every reply says Connection: close, so keep-alive
   * clients do not send a request that would be cut off. */
  g_atomic_int_set (&self->stopping, TRUE);
  listen_fd = MHD_quiesce_daemon (self->mhd);
  ts_passwords_drain (self->server->passwords);
#ifdef HAVE_POSTGRES
  /* Requests waiting for a barrier ask the database instead. */
  ts_verify_cache_drain (self->server->verify_cache);
#endif
  /* Two seconds at most for requests under way to be answered. */
  for (guint i = 0; i < 100 && answering (self); i++)
    g_usleep (20 * 1000);
  MHD_stop_daemon (self->mhd);
  if (listen_fd != MHD_INVALID_SOCKET)
    close (listen_fd);
  g_hash_table_unref (self->conns);
  g_clear_pointer (&self->trusted, g_ptr_array_unref);
  g_mutex_clear (&self->lock);
  g_free (self);
}
