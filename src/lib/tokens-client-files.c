/* tokens-client-files.c — the files, the resource that access token scopes guard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `read` lists and downloads, `write` uploads and deletes. The bodies are
 * the files' bytes, not JSON, so these go through the bytes call.
 */

#include "config.h"

#include "tokens-client-private.h"
#include "tokens-error.h"
#include "tokens-json.h"

static gpointer
parse_files (JsonNode  *reply,
             GError   **error)
{
  g_autoptr(GPtrArray) items = NULL;
  JsonObject *object;
  JsonArray *files;

  if ((object = tokens_json_get_object (reply, NULL, error)) == NULL ||
      !tokens_json_get_array (object, "files", TRUE, &files, error))
    return NULL;

  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (files); i++)
    {
      JsonNode *node = json_array_get_element (files, i);
      TokensFile *file;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_propagate_error (error, tokens_json_bad_reply ("files"));
          return NULL;
        }
      if ((file = tokens_file_new_from_json (json_node_get_object (node), error)) == NULL)
        return NULL;
      g_ptr_array_add (items, file);
    }

  return g_steal_pointer (&items);
}

void
tokens_client_list_files_async (TokensClient        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  tokens_client_request_async (self, "GET", "/v1/files", NULL,
                               parse_files, (GDestroyNotify) g_ptr_array_unref,
                               tokens_client_list_files_async, cancellable, callback, user_data);
}

/**
 * tokens_client_list_files_finish:
 *
 * Returns: (transfer container) (element-type TokensFile): the files, by name
 */
GPtrArray *
tokens_client_list_files_finish (TokensClient  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_list_files_async, error);
}

/* The bytes call's result, handed on to the caller's task. */

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *bytes;

  bytes = tokens_client_call_bytes_finish (TOKENS_CLIENT (object), result, NULL, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
tokens_client_download_file_async (TokensClient        *self,
                                   const char          *name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (TOKENS_IS_CLIENT (self));
  g_return_if_fail (name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_client_download_file_async);

  path = tokens_client_build_path ("/v1/files", name, NULL);
  tokens_client_call_bytes_async (self, "GET", path, NULL, NULL, cancellable, download_cb, task);
}

/**
 * tokens_client_download_file_finish:
 *
 * Returns: (transfer full): the file's bytes
 */
GBytes *
tokens_client_download_file_finish (TokensClient  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tokens_client_download_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  TokensFile *file;
  gboolean    created;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_object (&upload->file);
  g_free (upload);
}

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) reply = NULL;
  GError *error = NULL;
  JsonObject *object_;
  Upload *upload;
  guint status = 0;

  bytes = tokens_client_call_bytes_finish (TOKENS_CLIENT (object), result, &status, &error);
  if (bytes == NULL ||
      (reply = tokens_client_parse_reply (bytes, &error)) == NULL ||
      (object_ = tokens_json_get_object (reply, NULL, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  upload = g_new0 (Upload, 1);
  upload->created = status == 201;
  upload->file = tokens_file_new_from_json (object_, &error);
  if (upload->file == NULL)
    {
      upload_free (upload);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, upload, (GDestroyNotify) upload_free);
}

/**
 * tokens_client_upload_file_async:
 * @name: the file's name (1 to 100 letters, digits, ".", "_", "-")
 * @contents: its bytes, up to 65536
 * @content_type: (nullable): its type, or %NULL for application/octet-stream
 *
 * Replaces a file of the same name.
 */
void
tokens_client_upload_file_async (TokensClient        *self,
                                 const char          *name,
                                 GBytes              *contents,
                                 const char          *content_type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (TOKENS_IS_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (contents != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_client_upload_file_async);

  path = tokens_client_build_path ("/v1/files", name, NULL);
  tokens_client_call_bytes_async (self, "PUT", path, content_type, contents, cancellable, upload_cb, task);
}

/**
 * tokens_client_upload_file_finish:
 * @out_created: (out) (optional): %TRUE for a new file, %FALSE when one
 *   was replaced
 *
 * Returns: (transfer full): the file
 */
TokensFile *
tokens_client_upload_file_finish (TokensClient  *self,
                                  GAsyncResult  *result,
                                  gboolean      *out_created,
                                  GError       **error)
{
  Upload *upload;
  TokensFile *file;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tokens_client_upload_file_async, NULL);

  upload = g_task_propagate_pointer (G_TASK (result), error);
  if (upload == NULL)
    return NULL;

  if (out_created != NULL)
    *out_created = upload->created;
  file = g_steal_pointer (&upload->file);
  upload_free (upload);

  return file;
}

void
tokens_client_delete_file_async (TokensClient        *self,
                                 const char          *name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (name != NULL);

  path = tokens_client_build_path ("/v1/files", name, NULL);
  tokens_client_request_async (self, "DELETE", path, NULL, NULL, NULL,
                               tokens_client_delete_file_async, cancellable, callback, user_data);
}

gboolean
tokens_client_delete_file_finish (TokensClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return tokens_client_request_finish_boolean (self, result, tokens_client_delete_file_async, error);
}
