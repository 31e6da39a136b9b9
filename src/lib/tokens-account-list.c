/* tokens-account-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The accounts the app knows, as a GListModel of TokensAccount, kept in
 * the GSettings key `accounts` (aa{sv}) and `active-account` (an id).
 * Every change is written at once, and a change written by another
 * instance of the app (the "changed" signal) is read back in, keeping the
 * TokensAccount objects whose id is still there so that widgets bound to
 * them stay bound. Secrets are never written here: only the keyring has
 * them, through the list's TokensStore, which the sessions of its
 * accounts share.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tokens-account-list.h"
#include "tokens-error.h"

struct _TokensAccountList
{
  GObject        parent_instance;

  GSettings     *settings;
  GPtrArray     *accounts;   /* TokensAccount, owned */
  TokensAccount *active;     /* unowned: one of accounts, or NULL */
  TokensStore   *store;      /* made when first asked for */
  gboolean       loading;
};

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_ACTIVE,
  N_PROPS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TokensAccountList, tokens_account_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static GType
tokens_account_list_get_item_type (GListModel *model)
{
  return TOKENS_TYPE_ACCOUNT;
}

static guint
tokens_account_list_get_n_items (GListModel *model)
{
  return TOKENS_ACCOUNT_LIST (model)->accounts->len;
}

static gpointer
tokens_account_list_get_item (GListModel *model,
                              guint       position)
{
  TokensAccountList *self = TOKENS_ACCOUNT_LIST (model);

  if (position >= self->accounts->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->accounts, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = tokens_account_list_get_item_type;
  iface->get_n_items = tokens_account_list_get_n_items;
  iface->get_item = tokens_account_list_get_item;
}

static void
save (TokensAccountList *self)
{
  GVariantBuilder builder;

  /* Writing back what was just read would only echo another instance. */
  if (self->loading)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < self->accounts->len; i++)
    g_variant_builder_add_value (&builder, tokens_account_to_variant (g_ptr_array_index (self->accounts, i)));

  g_settings_set_value (self->settings, "accounts", g_variant_builder_end (&builder));
}

static void
account_notify_cb (TokensAccountList *self,
                   GParamSpec        *pspec,
                   TokensAccount     *account)
{
  save (self);
}

static void
watch_account (TokensAccountList *self,
               TokensAccount     *account)
{
  g_signal_connect_object (account, "notify::display-name",
                           G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (account, "notify::allow-insecure",
                           G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
}

static void
unwatch_account (TokensAccountList *self,
                 TokensAccount     *account)
{
  g_signal_handlers_disconnect_by_func (account, account_notify_cb, self);
}

static TokensAccount *
lookup_id (GPtrArray  *accounts,
           const char *id)
{
  if (id == NULL || *id == '\0')
    return NULL;

  for (guint i = 0; i < accounts->len; i++)
    {
      TokensAccount *account = g_ptr_array_index (accounts, i);

      if (g_str_equal (tokens_account_get_id (account), id))
        return account;
    }

  return NULL;
}

static void
update_active (TokensAccountList *self)
{
  g_autofree char *id = g_settings_get_string (self->settings, "active-account");
  TokensAccount *active = lookup_id (self->accounts, id);

  if (active != self->active)
    {
      self->active = active;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
    }
}

static void
load (TokensAccountList *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "accounts");
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->accounts);
  gboolean same;
  GVariantIter iter;
  GVariant *child;

  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  self->loading = TRUE;

  g_variant_iter_init (&iter, value);
  while ((child = g_variant_iter_next_value (&iter)))
    {
      g_autoptr(GVariant) owned = child;
      g_autoptr(TokensAccount) parsed = tokens_account_new_from_variant (child);
      TokensAccount *existing;

      if (parsed == NULL)
        {
          g_debug ("Ignoring an account in the settings that lacks its id, service or email");
          continue;
        }

      if (lookup_id (self->accounts, tokens_account_get_id (parsed)) != NULL)
        continue;

      /* The identity of an account is fixed; an id that now names another
       * service or email is another account. */
      existing = old ? lookup_id (old, tokens_account_get_id (parsed)) : NULL;
      if (existing != NULL &&
          g_str_equal (tokens_account_get_service_url (existing), tokens_account_get_service_url (parsed)) &&
          g_str_equal (tokens_account_get_email (existing), tokens_account_get_email (parsed)))
        {
          tokens_account_set_display_name (existing, tokens_account_get_display_name (parsed));
          tokens_account_set_allow_insecure (existing, tokens_account_get_allow_insecure (parsed));
          g_ptr_array_add (self->accounts, g_object_ref (existing));
        }
      else
        {
          watch_account (self, parsed);
          g_ptr_array_add (self->accounts, g_steal_pointer (&parsed));
        }
    }

  self->loading = FALSE;

  same = old != NULL && old->len == self->accounts->len;
  for (guint i = 0; same && i < old->len; i++)
    same = g_ptr_array_index (old, i) == g_ptr_array_index (self->accounts, i);

  if (old != NULL)
    {
      for (guint i = 0; i < old->len; i++)
        {
          TokensAccount *account = g_ptr_array_index (old, i);

          if (lookup_id (self->accounts, tokens_account_get_id (account)) != account)
            unwatch_account (self, account);
        }
    }

  if (!same && old != NULL)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old->len, self->accounts->len);

  update_active (self);
}

static void
settings_changed_cb (TokensAccountList *self,
                     const char        *key,
                     GSettings         *settings)
{
  if (g_strcmp0 (key, "accounts") == 0)
    load (self);
  else if (g_strcmp0 (key, "active-account") == 0)
    update_active (self);
}

static void
tokens_account_list_constructed (GObject *object)
{
  TokensAccountList *self = (TokensAccountList *)object;

  G_OBJECT_CLASS (tokens_account_list_parent_class)->constructed (object);

  g_assert (G_IS_SETTINGS (self->settings));

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  load (self);
}

static void
tokens_account_list_dispose (GObject *object)
{
  TokensAccountList *self = (TokensAccountList *)object;

  if (self->accounts != NULL)
    {
      for (guint i = 0; i < self->accounts->len; i++)
        unwatch_account (self, g_ptr_array_index (self->accounts, i));
      g_clear_pointer (&self->accounts, g_ptr_array_unref);
    }
  self->active = NULL;
  g_clear_object (&self->settings);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (tokens_account_list_parent_class)->dispose (object);
}

static void
tokens_account_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TokensAccountList *self = TOKENS_ACCOUNT_LIST (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_ACTIVE:
      g_value_set_object (value, self->active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_account_list_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TokensAccountList *self = TOKENS_ACCOUNT_LIST (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_ACTIVE:
      tokens_account_list_set_active (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_account_list_class_init (TokensAccountListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tokens_account_list_constructed;
  object_class->dispose = tokens_account_list_dispose;
  object_class->get_property = tokens_account_list_get_property;
  object_class->set_property = tokens_account_list_set_property;

  /* The org.example.Tokens settings, with the keys `accounts` and
   * `active-account`. */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ACTIVE] =
    g_param_spec_object ("active", NULL, NULL,
                         TOKENS_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_account_list_init (TokensAccountList *self)
{
}

/**
 * tokens_account_list_new:
 * @settings: the app's settings (schema `org.example.Tokens`)
 *
 * Returns: (transfer full): the accounts kept in @settings
 */
TokensAccountList *
tokens_account_list_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (TOKENS_TYPE_ACCOUNT_LIST,
                       "settings", settings,
                       NULL);
}

/**
 * tokens_account_list_get_settings:
 *
 * Returns: (transfer none): the settings the accounts are kept in
 */
GSettings *
tokens_account_list_get_settings (TokensAccountList *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT_LIST (self), NULL);

  return self->settings;
}

/**
 * tokens_account_list_add:
 * @account: a new account
 *
 * Adds @account at the end and saves the list. The first account added
 * becomes the active one.
 *
 * Returns: %FALSE with %TOKENS_ERROR_CONFLICT if the list already has an
 *   account with @account's id or with its service and email
 */
gboolean
tokens_account_list_add (TokensAccountList  *self,
                         TokensAccount      *account,
                         GError            **error)
{
  TokensAccount *existing;

  g_return_val_if_fail (TOKENS_IS_ACCOUNT_LIST (self), FALSE);
  g_return_val_if_fail (TOKENS_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  existing = lookup_id (self->accounts, tokens_account_get_id (account));
  if (existing == NULL)
    existing = tokens_account_list_find (self,
                                         tokens_account_get_service_url (account),
                                         tokens_account_get_email (account));
  if (existing != NULL)
    {
      g_autofree char *label = tokens_account_dup_label (account);

      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT,
                   /* Translators: %s is "ana@example.org on this computer" */
                   _("The account %s is already set up."), label);
      return FALSE;
    }

  g_ptr_array_add (self->accounts, g_object_ref (account));
  watch_account (self, account);
  g_list_model_items_changed (G_LIST_MODEL (self), self->accounts->len - 1, 0, 1);
  save (self);

  if (self->active == NULL)
    tokens_account_list_set_active (self, account);

  return TRUE;
}

/**
 * tokens_account_list_remove:
 * @account: an account of the list
 *
 * Removes @account and saves the list. Its secrets stay in the keyring:
 * clear them with tokens_store_clear_account_async().
 *
 * Returns: %TRUE if @account was in the list
 */
gboolean
tokens_account_list_remove (TokensAccountList *self,
                            TokensAccount     *account)
{
  guint position;

  g_return_val_if_fail (TOKENS_IS_ACCOUNT_LIST (self), FALSE);
  g_return_val_if_fail (TOKENS_IS_ACCOUNT (account), FALSE);

  if (!g_ptr_array_find (self->accounts, account, &position))
    return FALSE;

  unwatch_account (self, account);
  g_ptr_array_remove_index (self->accounts, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  save (self);

  if (self->active == account)
    tokens_account_list_set_active (self, NULL);

  return TRUE;
}

/**
 * tokens_account_list_find_by_id:
 * @id: an account id
 *
 * Returns: (transfer none) (nullable): the account with @id
 */
TokensAccount *
tokens_account_list_find_by_id (TokensAccountList *self,
                                const char        *id)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT_LIST (self), NULL);

  return lookup_id (self->accounts, id);
}

/**
 * tokens_account_list_find:
 * @service_url: a service's base URL (any spelling), or
 *   %TOKENS_LOCAL_SERVICE_URI
 * @email: an email address
 *
 * Returns: (transfer none) (nullable): the account of @email on @service_url
 */
TokensAccount *
tokens_account_list_find (TokensAccountList *self,
                          const char        *service_url,
                          const char        *email)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT_LIST (self), NULL);
  g_return_val_if_fail (service_url != NULL, NULL);
  g_return_val_if_fail (email != NULL, NULL);

  for (guint i = 0; i < self->accounts->len; i++)
    {
      TokensAccount *account = g_ptr_array_index (self->accounts, i);

      if (tokens_account_matches (account, service_url, email))
        return account;
    }

  return NULL;
}

/**
 * tokens_account_list_get_active:
 *
 * Returns: (transfer none) (nullable): the account the app shows
 */
TokensAccount *
tokens_account_list_get_active (TokensAccountList *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT_LIST (self), NULL);

  return self->active;
}

/**
 * tokens_account_list_set_active:
 * @account: (nullable): an account of the list, or %NULL
 */
void
tokens_account_list_set_active (TokensAccountList *self,
                                TokensAccount     *account)
{
  g_return_if_fail (TOKENS_IS_ACCOUNT_LIST (self));
  g_return_if_fail (account == NULL || TOKENS_IS_ACCOUNT (account));

  if (account != NULL && !g_ptr_array_find (self->accounts, account, NULL))
    {
      g_critical ("%s: the account is not in the list", G_STRFUNC);
      return;
    }

  g_settings_set_string (self->settings, "active-account",
                         account ? tokens_account_get_id (account) : "");
  update_active (self);
}

/**
 * tokens_account_list_get_store:
 *
 * Returns: (transfer none): the keyring store of the accounts' secrets
 */
TokensStore *
tokens_account_list_get_store (TokensAccountList *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCOUNT_LIST (self), NULL);

  if (self->store == NULL)
    self->store = tokens_store_new ();

  return self->store;
}

static void
list_saved_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GPtrArray *items;

  items = tokens_store_list_finish (TOKENS_STORE (object), result, &error);
  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * tokens_account_list_list_saved_async:
 *
 * Lists what the keyring holds for any account: the items' attributes
 * and labels, never their secrets (tokens_store_list_async()). Watch the
 * store's TokensStore::changed to list again.
 */
void
tokens_account_list_list_saved_async (TokensAccountList   *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_ACCOUNT_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_account_list_list_saved_async);
  tokens_store_list_async (tokens_account_list_get_store (self), NULL, cancellable,
                           list_saved_cb, task);
}

/**
 * tokens_account_list_list_saved_finish:
 *
 * Returns: (transfer container) (element-type TokensStoreItem): the saved
 *   items, as tokens_store_list_finish() gives them
 */
GPtrArray *
tokens_account_list_list_saved_finish (TokensAccountList  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
find_saved_secret_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  TokensStoreItem *item;

  item = tokens_store_find_secret_finish (TOKENS_STORE (object), result, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, item, (GDestroyNotify) tokens_store_item_free);
}

/**
 * tokens_account_list_find_saved_secret_async:
 * @secret: a secret a person pasted
 *
 * Whether an account saved @secret already (its API token, an access
 * token…): tokens_store_find_secret_async(), so that a token kept by
 * hand does not become a second copy of one the app already has.
 */
void
tokens_account_list_find_saved_secret_async (TokensAccountList   *self,
                                             const char          *secret,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_ACCOUNT_LIST (self));
  g_return_if_fail (secret != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_account_list_find_saved_secret_async);
  tokens_store_find_secret_async (tokens_account_list_get_store (self), secret, cancellable,
                                  find_saved_secret_cb, task);
}

/**
 * tokens_account_list_find_saved_secret_finish:
 * @account: (out) (optional) (transfer none) (nullable): the account the
 *   item belongs to, %NULL when the app no longer has it
 *
 * Returns: (transfer full) (nullable): the saved item that holds the
 *   secret; %NULL and no error when none does
 */
TokensStoreItem *
tokens_account_list_find_saved_secret_finish (TokensAccountList  *self,
                                              GAsyncResult       *result,
                                              TokensAccount     **account,
                                              GError            **error)
{
  TokensStoreItem *item;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  item = g_task_propagate_pointer (G_TASK (result), error);
  if (account != NULL)
    *account = item ? tokens_account_list_find (self, item->service_url, item->email) : NULL;
  return item;
}
