/* tokens-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One account on one token service: what the app keeps about it in
 * GSettings. Secrets are never here: they live in the keyring
 * (TokensStore), keyed by the account's service-url and email.
 *
 * The service-url and the email are the account's identity (the keyring
 * items are found by them), so they are fixed at construction; the name
 * shown and the choice to allow plain http:// can change.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tokens-account.h"
#include "tokens-client.h"

struct _TokensAccount
{
  GObject   parent_instance;

  char     *id;
  char     *service_url;   /* normalized; TOKENS_LOCAL_SERVICE_URI for "This computer" */
  char     *email;
  char     *display_name;
  gboolean  is_local;
  gboolean  allow_insecure;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_SERVICE_URL,
  PROP_EMAIL,
  PROP_DISPLAY_NAME,
  PROP_IS_LOCAL,
  PROP_ALLOW_INSECURE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensAccount, tokens_account, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static int
default_port (const char *scheme)
{
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return 80;
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return 443;
  return -1;
}

/**
 * tokens_service_url_normalize:
 * @service_url: a service's base URL
 *
 * The one spelling of a service's base URL under which accounts and
 * keyring items are kept, so "https://Tokens.example.org/" and
 * "https://tokens.example.org" are the same service. User information,
 * query and fragment are dropped: a password typed into a URL must not
 * end up in GSettings or in a keyring attribute.
 *
 * Returns: (transfer full): the normalized URL
 */
char *
tokens_service_url_normalize (const char *service_url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  int port;

  g_return_val_if_fail (service_url != NULL, NULL);

  if (g_str_equal (service_url, TOKENS_LOCAL_SERVICE_URI))
    return g_strdup (service_url);

  uri = g_uri_parse (service_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_autofree char *copy = g_strstrip (g_strdup (service_url));
      gsize len = strlen (copy);

      while (len > 0 && copy[len - 1] == '/')
        copy[--len] = '\0';
      return g_steal_pointer (&copy);
    }

  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if (port == default_port (scheme))
    port = -1;
  path = g_strdup (g_uri_get_path (uri));
  for (gsize len = strlen (path); len > 0 && path[len - 1] == '/'; len--)
    path[len - 1] = '\0';

  return g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, host, port, path, NULL, NULL);
}

/**
 * tokens_service_url_describe:
 * @service_url: a service's base URL, or %TOKENS_LOCAL_SERVICE_URI
 *
 * How to name a service to a person: "This computer" for the local
 * service, else its host (with the port when it is not the usual one, so
 * two services on one host stay apart). Never the whole URL.
 *
 * Returns: (transfer full): a translated name for the service
 */
char *
tokens_service_url_describe (const char *service_url)
{
  g_autoptr(GUri) uri = NULL;
  int port;

  g_return_val_if_fail (service_url != NULL, NULL);

  if (g_str_equal (service_url, TOKENS_LOCAL_SERVICE_URI))
    return g_strdup (_("This computer"));

  uri = g_uri_parse (service_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return g_strdup (service_url);

  port = g_uri_get_port (uri);
  if (port != -1 && port != default_port (g_uri_get_scheme (uri)))
    return g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);

  return g_strdup (g_uri_get_host (uri));
}

static void
tokens_account_constructed (GObject *object)
{
  TokensAccount *self = (TokensAccount *)object;

  G_OBJECT_CLASS (tokens_account_parent_class)->constructed (object);

  if (self->id == NULL || *self->id == '\0')
    {
      g_free (self->id);
      self->id = g_uuid_string_random ();
    }

  /* Either way of saying "This computer" gives the same account. */
  if (self->is_local || g_strcmp0 (self->service_url, TOKENS_LOCAL_SERVICE_URI) == 0)
    {
      self->is_local = TRUE;
      g_free (self->service_url);
      self->service_url = g_strdup (TOKENS_LOCAL_SERVICE_URI);
    }
  else if (self->service_url != NULL)
    {
      char *normalized = tokens_service_url_normalize (self->service_url);

      g_free (self->service_url);
      self->service_url = normalized;
    }
  else
    {
      self->service_url = g_strdup ("");
    }

  if (self->email == NULL)
    self->email = g_strdup ("");
  else
    g_strstrip (self->email);

  if (self->display_name == NULL)
    self->display_name = g_strdup ("");
}

static void
tokens_account_finalize (GObject *object)
{
  TokensAccount *self = (TokensAccount *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->service_url, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->display_name, g_free);

  G_OBJECT_CLASS (tokens_account_parent_class)->finalize (object);
}

static void
tokens_account_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TokensAccount *self = TOKENS_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_SERVICE_URL:
      g_value_set_string (value, self->service_url);
      break;

    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;

    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;

    case PROP_IS_LOCAL:
      g_value_set_boolean (value, self->is_local);
      break;

    case PROP_ALLOW_INSECURE:
      g_value_set_boolean (value, self->allow_insecure);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_account_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TokensAccount *self = TOKENS_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_SERVICE_URL:
      self->service_url = g_value_dup_string (value);
      break;

    case PROP_EMAIL:
      self->email = g_value_dup_string (value);
      break;

    case PROP_DISPLAY_NAME:
      tokens_account_set_display_name (self, g_value_get_string (value));
      break;

    case PROP_IS_LOCAL:
      self->is_local = g_value_get_boolean (value);
      break;

    case PROP_ALLOW_INSECURE:
      tokens_account_set_allow_insecure (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_account_class_init (TokensAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tokens_account_constructed;
  object_class->finalize = tokens_account_finalize;
  object_class->get_property = tokens_account_get_property;
  object_class->set_property = tokens_account_set_property;

  /* Not a secret: it only ties the active-account setting to an account. */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SERVICE_URL] =
    g_param_spec_string ("service-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DISPLAY_NAME] =
    g_param_spec_string ("display-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_IS_LOCAL] =
    g_param_spec_boolean ("is-local", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                           G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ALLOW_INSECURE] =
    g_param_spec_boolean ("allow-insecure", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                           G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_account_init (TokensAccount *self)
{
}

/**
 * tokens_account_new:
 * @service_url: the service's base URL
 * @email: the account's email address
 * @display_name: (nullable): a name for the account, or %NULL
 *
 * Returns: (transfer full): a new account with a new id
 */
TokensAccount *
tokens_account_new (const char *service_url,
                    const char *email,
                    const char *display_name)
{
  g_return_val_if_fail (service_url != NULL, NULL);
  g_return_val_if_fail (email != NULL, NULL);

  return g_object_new (TOKENS_TYPE_ACCOUNT,
                       "service-url", service_url,
                       "email", email,
                       "display-name", display_name,
                       NULL);
}

/**
 * tokens_account_new_local:
 * @email: the account's email address
 * @display_name: (nullable): a name for the account, or %NULL
 *
 * Returns: (transfer full): a new account on "This computer"
 */
TokensAccount *
tokens_account_new_local (const char *email,
                          const char *display_name)
{
  g_return_val_if_fail (email != NULL, NULL);

  return g_object_new (TOKENS_TYPE_ACCOUNT,
                       "is-local", TRUE,
                       "email", email,
                       "display-name", display_name,
                       NULL);
}

/**
 * tokens_account_new_from_variant:
 * @variant: an `a{sv}` as tokens_account_to_variant() makes it
 *
 * Keys this version does not know are ignored, so a newer version of the
 * app can add some without breaking this one.
 *
 * Returns: (transfer full) (nullable): the account, or %NULL if @variant
 *   lacks its id, service or email
 */
TokensAccount *
tokens_account_new_from_variant (GVariant *variant)
{
  g_autoptr(GVariantDict) dict = NULL;
  const char *id = NULL;
  const char *service_url = NULL;
  const char *email = NULL;
  const char *display_name = NULL;
  gboolean is_local = FALSE;
  gboolean allow_insecure = FALSE;

  g_return_val_if_fail (variant != NULL, NULL);

  if (!g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT))
    return NULL;

  dict = g_variant_dict_new (variant);
  if (!g_variant_dict_lookup (dict, "id", "&s", &id) || *id == '\0' ||
      !g_variant_dict_lookup (dict, "service-url", "&s", &service_url) ||
      !g_variant_dict_lookup (dict, "email", "&s", &email) || *email == '\0')
    return NULL;
  g_variant_dict_lookup (dict, "display-name", "&s", &display_name);
  g_variant_dict_lookup (dict, "is-local", "b", &is_local);
  g_variant_dict_lookup (dict, "allow-insecure", "b", &allow_insecure);

  if (*service_url == '\0' && !is_local)
    return NULL;

  return g_object_new (TOKENS_TYPE_ACCOUNT,
                       "id", id,
                       "service-url", service_url,
                       "email", email,
                       "display-name", display_name,
                       "is-local", is_local,
                       "allow-insecure", allow_insecure,
                       NULL);
}

/**
 * tokens_account_to_variant:
 *
 * Returns: (transfer floating): the account as an `a{sv}`, as it is kept
 *   in the `accounts` setting
 */
GVariant *
tokens_account_to_variant (TokensAccount *self)
{
  GVariantBuilder builder;

  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "id", g_variant_new_string (self->id));
  g_variant_builder_add (&builder, "{sv}", "service-url", g_variant_new_string (self->service_url));
  g_variant_builder_add (&builder, "{sv}", "email", g_variant_new_string (self->email));
  g_variant_builder_add (&builder, "{sv}", "display-name", g_variant_new_string (self->display_name));
  g_variant_builder_add (&builder, "{sv}", "is-local", g_variant_new_boolean (self->is_local));
  g_variant_builder_add (&builder, "{sv}", "allow-insecure", g_variant_new_boolean (self->allow_insecure));

  return g_variant_builder_end (&builder);
}

const char *
tokens_account_get_id (TokensAccount *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), NULL);

  return self->id;
}

/**
 * tokens_account_get_service_url:
 *
 * Returns: the normalized base URL of the service, or
 *   %TOKENS_LOCAL_SERVICE_URI for "This computer"
 */
const char *
tokens_account_get_service_url (TokensAccount *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), NULL);

  return self->service_url;
}

const char *
tokens_account_get_email (TokensAccount *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), NULL);

  return self->email;
}

const char *
tokens_account_get_display_name (TokensAccount *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), NULL);

  return self->display_name;
}

void
tokens_account_set_display_name (TokensAccount *self,
                                 const char    *display_name)
{
  g_return_if_fail (TOKENS_IS_ACCOUNT (self));

  if (display_name == NULL)
    display_name = "";

  if (g_strcmp0 (self->display_name, display_name) != 0)
    {
      g_free (self->display_name);
      self->display_name = g_strdup (display_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DISPLAY_NAME]);
    }
}

gboolean
tokens_account_get_is_local (TokensAccount *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), FALSE);

  return self->is_local;
}

gboolean
tokens_account_get_allow_insecure (TokensAccount *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), FALSE);

  return self->allow_insecure;
}

/**
 * tokens_account_set_allow_insecure:
 * @allow_insecure: whether the person allowed plain http:// to a host
 *   that is not this computer
 */
void
tokens_account_set_allow_insecure (TokensAccount *self,
                                   gboolean       allow_insecure)
{
  g_return_if_fail (TOKENS_IS_ACCOUNT (self));

  allow_insecure = !!allow_insecure;
  if (self->allow_insecure != allow_insecure)
    {
      self->allow_insecure = allow_insecure;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_INSECURE]);
    }
}

/**
 * tokens_account_dup_service_name:
 *
 * Returns: (transfer full): how to name the account's service to a
 *   person: "This computer", or the service's host
 */
char *
tokens_account_dup_service_name (TokensAccount *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), NULL);

  return tokens_service_url_describe (self->service_url);
}

/**
 * tokens_account_dup_label:
 *
 * The account as a sentence names it: "ana@example.org on this computer",
 * "ana@example.org on tokens.example.org". Not the service's name put
 * into "%s on %s": mid-sentence "This computer" keeps its capital, and
 * Portuguese contracts the preposition ("neste computador").
 *
 * Returns: (transfer full): a translated phrase for the account
 */
char *
tokens_account_dup_label (TokensAccount *self)
{
  g_autofree char *service = NULL;

  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), NULL);

  if (self->is_local || g_str_equal (self->service_url, TOKENS_LOCAL_SERVICE_URI))
    /* Translators: an account on the token service that Tokens runs on
     * this computer; %s is an email address */
    return g_strdup_printf (_("%s on this computer"), self->email);

  service = tokens_service_url_describe (self->service_url);
  /* Translators: an account on a token service; the first %s is an email
   * address, the second a host name: "ana@example.org on tokens.example.org" */
  return g_strdup_printf (_("%s on %s"), self->email, service);
}

/**
 * tokens_account_matches:
 * @service_url: a service's base URL, in any spelling
 * @email: an email address
 *
 * Returns: %TRUE if @self is the account of @email on @service_url. The
 *   email is compared without regard to ASCII case, as services do.
 */
gboolean
tokens_account_matches (TokensAccount *self,
                        const char    *service_url,
                        const char    *email)
{
  g_autofree char *normalized = NULL;
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (TOKENS_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (service_url != NULL, FALSE);
  g_return_val_if_fail (email != NULL, FALSE);

  normalized = tokens_service_url_normalize (service_url);
  stripped = g_strstrip (g_strdup (email));

  return g_str_equal (normalized, self->service_url) &&
         g_ascii_strcasecmp (stripped, self->email) == 0;
}

/**
 * tokens_account_check_service_url:
 * @url: what a person typed as the service's address
 * @allow_insecure: whether they allowed plain http:// for it
 *
 * Whether an account may be made on @url: the client's own rules
 * (tokens_client_check_url()), for the app to ask without a client.
 *
 * Returns: %TRUE if it may; else %FALSE with @error saying why, in words
 */
gboolean
tokens_account_check_service_url (const char  *url,
                                  gboolean     allow_insecure,
                                  GError     **error)
{
  return tokens_client_check_url (url, allow_insecure, error);
}
