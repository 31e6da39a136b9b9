/* ts-handlers-files.c — a small scoped resource, so scopes mean something
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As in the seed: `read` downloads, `write` uploads. Files are small blobs
 * kept in the database, per account, with a size and a count limit.
 */

#include "config.h"

#include <string.h>

#include "ts-http.h"
#include "ts-json.h"
#include "ts-request.h"
#include "ts-server.h"

#define MAX_FILES       100
#define MAX_NAME_BYTES  100

/* Names are plain: letters, digits, '.', '_', '-', not starting with '.'.
 * On FALSE the 400 is written. */
static gboolean
check_name (TsRequest *request)
{
  const char *name = request->param;
  gsize len = strlen (name);

  if (len == 0 || len > MAX_NAME_BYTES || name[0] == '.')
    goto invalid;

  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (name[i]) && name[i] != '.' && name[i] != '_' && name[i] != '-')
      goto invalid;

  return TRUE;

invalid:
  ts_reply_error (request->exchange, TOKENS_ERROR_INVALID_INPUT,
                  "A file name has 1 to 100 letters, digits, “.”, “_” or “-”, "
                  "and does not start with “.”.");
  return FALSE;
}

static void
add_file (JsonBuilder *builder,
          const char  *name,
          gint64       size,
          gint64       updated_at)
{
  json_builder_begin_object (builder);
  tokens_json_add_string (builder, "name", name);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, size);
  tokens_json_add_time (builder, "updated_at", updated_at);
  json_builder_end_object (builder);
}

/* GET /v1/files */

static void
list_files (TsRequest *request)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;

  if (!ts_store_list_files (request->store, request->principal->account_id, &files, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; i < files->len; i++)
    {
      const TsFile *file = g_ptr_array_index (files, i);

      add_file (builder, file->name, file->size, file->updated_at);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  ts_reply_builder (request->exchange, TS_STATUS_OK, builder);
}

/* GET /v1/files/{name} */

static void
download_file (TsRequest *request)
{
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) error = NULL;

  if (!check_name (request))
    return;

  content = ts_store_get_file (request->store, request->principal->account_id,
                               request->param, &error);
  if (content == NULL)
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  ts_reply_bytes (request->exchange, TS_STATUS_OK, "application/octet-stream", content);
}

/* PUT /v1/files/{name}: the body is the file, whatever its type. */

static void
upload_file (TsRequest *request)
{
  g_autoptr(GBytes) content = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  gboolean created = FALSE;

  if (!check_name (request))
    return;

  content = request->exchange->body
    ? g_bytes_new (request->exchange->body->data, request->exchange->body->len)
    : g_bytes_new_static ("", 0);
  if (g_bytes_get_size (content) > TS_MAX_FILE_BODY)
    {
      ts_reply_error (request->exchange, TOKENS_ERROR_TOO_LARGE, "The file is larger than 65536 bytes.");
      return;
    }

  if (!ts_store_put_file (request->store, request->principal->account_id,
                          request->param, content, MAX_FILES, request->now, &created, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  builder = json_builder_new ();
  add_file (builder, request->param, g_bytes_get_size (content), request->now);
  ts_reply_builder (request->exchange, created ? TS_STATUS_CREATED : TS_STATUS_OK, builder);
}

/* DELETE /v1/files/{name} */

static void
delete_file (TsRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!check_name (request))
    return;

  if (!ts_store_delete_file (request->store, request->principal->account_id,
                             request->param, &error))
    ts_reply_gerror (request->exchange, error);
  else
    ts_reply_no_content (request->exchange);
}

static const TsRoute routes[] = {
  { "GET",    "/v1/files",        TS_AUTH_ANY, TOKENS_SCOPE_READ,  TS_BODY_NONE, list_files },
  { "GET",    "/v1/files/{name}", TS_AUTH_ANY, TOKENS_SCOPE_READ,  TS_BODY_NONE, download_file },
  { "PUT",    "/v1/files/{name}", TS_AUTH_ANY, TOKENS_SCOPE_WRITE, TS_BODY_RAW,  upload_file },
  { "DELETE", "/v1/files/{name}", TS_AUTH_ANY, TOKENS_SCOPE_WRITE, TS_BODY_NONE, delete_file },
};

const TsRoute *
ts_handlers_files_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
