/* test-client-hostile.c — a broken or hostile service cannot crash the client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tiny SoupServer on loopback in the test itself answers each path with
 * something a token service must never send: wrong JSON types, a root that
 * is not an object, invalid UTF-8, a body of several megabytes, a malformed
 * secret. Every one is TOKENS_ERROR_BAD_RESPONSE, never a crash or an
 * assertion; the service's own error shapes map to their codes.
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "tokens.h"
#include "test-lib-util.h"

static const char *
canned_reply (const char *name,
              guint      *status,
              gsize      *len)
{
  static const struct {
    const char *path;
    guint       status;
    const char *body;
  } replies[] = {
    { "wrong-types",  200, "{\"id\": 1, \"email\": 5, \"created_at\": \"2024-01-01T00:00:00Z\", \"client_token\": \"none\"}" },
    { "array",        200, "[1, 2, 3]" },
    { "string",       200, "\"hello\"" },
    { "truncated",    200, "{\"id\": 1, \"email\": \"a" },
    { "bad-date",     200, "{\"id\": 1, \"email\": \"a@b.c\", \"created_at\": \"yesterday\"}" },
    { "bool-id",      200, "{\"id\": true, \"email\": \"a@b.c\"}" },
    { "null-error",   403, "{\"error\": \"null not allowed\"}" },
    { "html-500",     502, "<html>Bad gateway</html>" },
    { "odd-code",     418, "{\"error\": \"I am a teapot\", \"code\": \"teapot\"}" },
    { "error-types",  409, "{\"error\": 42, \"code\": [\"conflict\"]}" },
    { "bad-scope", 200, "{\"tokens\": [{\"id\": 1, \"name\": \"x\", \"scopes\": [\"admin\"], \"prefix\": \"tkacc\", \"last4\": \"abcd\", \"created_at\": \"2024-01-01T00:00:00Z\", \"expires_at\": null, \"last_used_at\": null, \"duration_days\": null, \"updated_at\": \"2024-01-01T00:00:00Z\", \"renewed_at\": null, \"previous\": null}], \"total\": 1, \"next_page_token\": null}" },
    { "no-next",  200, "{\"tokens\": [], \"total\": 0}" },
    { "neg-total", 200, "{\"tokens\": [], \"total\": -5, \"next_page_token\": null}" },
    { "item-not-object", 200, "{\"tokens\": [7], \"total\": 1, \"next_page_token\": null}" },
    { "prev-string", 200, "{\"tokens\": [{\"id\": 1, \"name\": \"x\", \"scopes\": [\"read\"], \"prefix\": \"tkacc\", \"last4\": \"abcd\", \"created_at\": \"2024-01-01T00:00:00Z\", \"expires_at\": null, \"last_used_at\": null, \"duration_days\": null, \"updated_at\": \"2024-01-01T00:00:00Z\", \"renewed_at\": null, \"previous\": \"yes\"}], \"total\": 1, \"next_page_token\": null}" },
    { "ok",       200, "{\"tokens\": [{\"id\": 1, \"name\": \"x\", \"scopes\": [\"read\", \"write\"], \"prefix\": \"tkacc\", \"last4\": \"abcd\", \"created_at\": \"2024-01-01T00:00:00Z\", \"expires_at\": null, \"last_used_at\": null, \"duration_days\": null, \"updated_at\": \"2024-01-01T00:00:00Z\", \"renewed_at\": null, \"previous\": null}], \"total\": 1, \"next_page_token\": null}" },
    { "bad-state", 200, "{\"state\": \"sometimes\", \"header\": \"Client-Token\", \"prefix\": null, \"last4\": null, \"created_at\": null}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      if (g_str_equal (name, replies[i].path))
        {
          *status = replies[i].status;
          *len = strlen (replies[i].body);
          return replies[i].body;
        }
    }

  return NULL;
}

/* A session secret that is one character off: its checksum is wrong. */
static char *
malformed_session (void)
{
  g_autoptr(TokensSecret) good = tokens_token_generate (TOKENS_TOKEN_KIND_SESSION);
  char *bad = g_strdup (good);

  bad[10] = bad[10] == 'a' ? 'b' : 'a';
  return bad;
}

static char *the_malformed_secret;

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  g_autofree char *name = NULL;
  const char *body;
  guint status = 0;
  gsize len = 0;

  /* /case/NAME/… (a typed endpoint under a base address) or /v1/me/NAME. */
  if (g_str_has_prefix (path, "/case/"))
    name = g_strndup (path + 6, strcspn (path + 6, "/"));
  else if (g_str_has_prefix (path, "/v1/me/"))
    name = g_strdup (path + 7);
  else
    name = g_strdup (path + 1);

  if (g_str_equal (name, "huge"))
    {
      /* 5 MB of a valid JSON string: over the client's bound. */
      gsize size = 5 * 1024 * 1024;
      char *huge = g_malloc (size);

      memset (huge, 'a', size);
      huge[0] = '"';
      huge[size - 1] = '"';
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, huge, size);
      return;
    }

  if (g_str_equal (name, "utf8"))
    {
      static const char invalid[] = "{\"id\": 1, \"email\": \"\xff\xfe\", \"created_at\": \"2024-01-01T00:00:00Z\"}";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, invalid, sizeof invalid - 1);
      return;
    }

  if (g_str_equal (name, "badsecret"))
    {
      g_autofree char *reply = g_strdup_printf ("{\"token\": \"%s\", \"expires_at\": \"2030-01-01T00:00:00Z\", "
                                                "\"account\": {\"id\": 1, \"email\": \"a@b.c\", \"created_at\": \"2024-01-01T00:00:00Z\", \"client_token\": \"none\"}}",
                                                the_malformed_secret);

      soup_server_message_set_status (msg, 201, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, reply, strlen (reply));
      return;
    }

  body = canned_reply (name, &status, &len);
  if (body == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, len);
}

typedef struct
{
  SoupServer *server;
  char       *base;   /* http://127.0.0.1:PORT */
} Hostile;

static void
hostile_setup (Hostile       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, handler, NULL, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  fixture->base = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
hostile_teardown (Hostile       *fixture,
                  gconstpointer  data)
{
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_free (fixture->base);
}

/* A client whose base address is under `prefix`: /case/NAME makes every
 * endpoint get the canned reply NAME. */
static TokensClient *
client_at (Hostile    *fixture,
           const char *prefix)
{
  g_autofree char *url = g_strconcat (fixture->base, prefix, NULL);
  g_autoptr(GError) error = NULL;
  TokensClient *client = tokens_client_new (url, FALSE, &error);

  g_assert_no_error (error);
  return client;
}

static GError *
raw_me_error (Hostile    *fixture,
              const char *full_path)
{
  g_autoptr(TokensClient) client = client_at (fixture, "");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TokensProfile) profile = NULL;
  GError *error = NULL;

  /* The typed endpoint's path is fixed; a raw call reaches the canned one,
   * and the profile model reads what came back. */
  tokens_client_call_async (client, "GET", full_path, NULL, NULL, test_lib_got_result, &result);
  node = tokens_client_call_finish (client, AWAIT (result), &error);
  if (node == NULL)
    return error;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      /* What the typed endpoints say of such a root. */
      return g_error_new_literal (TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE, "not an object");
    }

  profile = tokens_profile_new_from_json (json_node_get_object (node), &error);
  g_assert_null (profile);
  return error;
}

static void
test_bad_json_is_bad_response (Hostile       *fixture,
                               gconstpointer  data)
{
  const char *paths[] = {
    "/v1/me/wrong-types", "/v1/me/array", "/v1/me/string", "/v1/me/truncated",
    "/v1/me/bad-date", "/v1/me/bool-id", "/v1/me/utf8", "/v1/me/huge",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = raw_me_error (fixture, paths[i]);

      g_test_message ("%s", paths[i]);
      g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
    }
}

/* Typed endpoints against a base address whose paths end in the canned ones. */

static void
test_typed_endpoints_refuse_hostile_replies (Hostile       *fixture,
                                             gconstpointer  data)
{
  const char *bad_lists[] = { "bad-scope", "no-next", "neg-total", "item-not-object", "prev-string" };

  for (guint i = 0; i < G_N_ELEMENTS (bad_lists); i++)
    {
      g_autofree char *prefix = g_strdup_printf ("/case/%s", bad_lists[i]);
      g_autoptr(TokensClient) client = client_at (fixture, prefix);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = NULL;

      g_test_message ("%s", bad_lists[i]);
      tokens_client_list_tokens_async (client, 1, NULL, NULL, test_lib_got_result, &result);
      page = tokens_client_list_tokens_finish (client, AWAIT (result), NULL, NULL, &error);
      g_assert_null (page);
      g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
    }

  /* The well-formed one reads, so the cases above fail for their reason. */
  {
    g_autoptr(TokensClient) client = client_at (fixture, "/case/ok");
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) page = NULL;
    guint total = 0;

    tokens_client_list_tokens_async (client, 1, NULL, NULL, test_lib_got_result, &result);
    page = tokens_client_list_tokens_finish (client, AWAIT (result), &total, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, 1);
    g_assert_cmpuint (total, ==, 1);
    g_assert_cmpint (tokens_access_token_get_scopes (page->pdata[0]), ==, TOKENS_SCOPE_READ | TOKENS_SCOPE_WRITE);
    g_assert_null (tokens_access_token_get_expires_at (page->pdata[0]));
  }

  {
    g_autoptr(TokensClient) client = client_at (fixture, "/case/bad-state");
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    tokens_client_get_security_token_async (client, NULL, test_lib_got_result, &result);
    g_assert_null (tokens_client_get_security_token_finish (client, AWAIT (result), &error));
    g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
  }

  {
    g_autoptr(TokensClient) client = client_at (fixture, "/case/huge");
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    tokens_client_get_me_async (client, NULL, test_lib_got_result, &result);
    g_assert_null (tokens_client_get_me_finish (client, AWAIT (result), &error));
    g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
  }

  {
    g_autoptr(TokensClient) client = client_at (fixture, "/case/utf8");
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;

    tokens_client_get_me_async (client, NULL, test_lib_got_result, &result);
    g_assert_null (tokens_client_get_me_finish (client, AWAIT (result), &error));
    g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
  }
}

static void
test_malformed_secret_is_bad_response_and_not_shown (Hostile       *fixture,
                                                     gconstpointer  data)
{
  g_autoptr(TokensClient) client = client_at (fixture, "/case/badsecret");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) session = NULL;

  tokens_client_sign_in_async (client, "a@b.c", "password123", NULL, test_lib_got_result, &result);
  session = tokens_client_sign_in_finish (client, AWAIT (result), NULL, NULL, &error);
  g_assert_null (session);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
  g_assert_null (strstr (error->message, the_malformed_secret + 6));
}

static void
test_error_shapes_map_to_codes (Hostile       *fixture,
                                gconstpointer  data)
{
  static const struct {
    const char  *path;
    TokensError  code;
  } cases[] = {
    { "/v1/me/null-error",  TOKENS_ERROR_CLIENT_TOKEN_REQUIRED },
    { "/v1/me/html-500",    TOKENS_ERROR_SERVER },
    { "/v1/me/odd-code",    TOKENS_ERROR_BAD_RESPONSE },
    { "/v1/me/error-types", TOKENS_ERROR_CONFLICT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = raw_me_error (fixture, cases[i].path);

      g_test_message ("%s", cases[i].path);
      g_assert_error (error, TOKENS_ERROR, (int) cases[i].code);
      /* Never the markup or a number: the service's sentence or ours. */
      g_assert_null (strstr (error->message, "<html>"));
      g_assert_cmpuint (strlen (error->message), >, 0);
    }

  {
    g_autoptr(GError) error = raw_me_error (fixture, "/v1/me/odd-code");

    /* Its own sentence, for an unknown code, when it has one. */
    g_assert_cmpstr (error->message, ==, "I am a teapot");
  }
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  the_malformed_secret = malformed_session ();

  g_test_add ("/client/hostile/bad-json-is-bad-response", Hostile, NULL,
              hostile_setup, test_bad_json_is_bad_response, hostile_teardown);
  g_test_add ("/client/hostile/typed-endpoints-refuse-hostile-replies", Hostile, NULL,
              hostile_setup, test_typed_endpoints_refuse_hostile_replies, hostile_teardown);
  g_test_add ("/client/hostile/malformed-secret-is-bad-response-and-not-shown", Hostile, NULL,
              hostile_setup, test_malformed_secret_is_bad_response_and_not_shown, hostile_teardown);
  g_test_add ("/client/hostile/error-shapes-map-to-codes", Hostile, NULL,
              hostile_setup, test_error_shapes_map_to_codes, hostile_teardown);

  {
    int status = g_test_run ();

    tokens_secret_free (the_malformed_secret);
    return status;
  }
}
