/* tokens-tray-menu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the tray's menu says: a Copy item for each account's API token, a
 * submenu of the access tokens the keyring holds, a submenu of the kept
 * tokens of any service (an expired one marked, until the person removes
 * it; no account needed), Open Tokens and Quit,
 * as a GMenuModel whose items name "app.*" actions. TokensTray serves it
 * over dbusmenu; the application carries the actions out.
 *
 * It follows what the keyring holds: the store says when this app
 * changed an item (TokensStore::changed) and the keyring says over D-Bus
 * when anyone did. The names shown are the items' `name` attributes,
 * never their translated labels.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-kept-expiry.h"
#include "tokens-tray-menu.h"

#define MAX_SLEEP_SECONDS (24 * 60 * 60)

struct _TokensTrayMenu
{
  GObject            parent_instance;

  TokensAccountList *accounts;
  TokensStore       *store;
  GDBusConnection   *connection;
  guint              keyring_signal_id;

  GMenu             *menu;
  GMenu             *copy_section;
  GMenu             *access_section;
  GMenu             *kept_section;
  TokensKeptList    *kept;          /* the app's, observed */
  guint              kept_timeout_id;
  GCancellable      *cancellable;   /* the keyring listing under way */
  guint              refresh_id;
};

G_DEFINE_FINAL_TYPE (TokensTrayMenu, tokens_tray_menu, G_TYPE_OBJECT)

/* A dbusmenu label, like a GMenu one, takes "_" as a mnemonic. */
static char *
escape_mnemonic (const char *text)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        g_string_append_c (escaped, '_');
      g_string_append_c (escaped, *p);
    }

  return g_string_free (escaped, FALSE);
}

static gboolean
has_item (GPtrArray       *items,
          TokensAccount   *account,
          TokensTokenKind  kind)
{
  for (guint i = 0; items != NULL && i < items->len; i++)
    {
      const TokensStoreItem *item = g_ptr_array_index (items, i);

      if (item->kind == kind &&
          tokens_account_matches (account, item->service_url, item->email))
        return TRUE;
    }

  return FALSE;
}

/* @items: what the keyring holds, or %NULL when it cannot be listed (then
 * every account gets its copy item, and a click says what is wrong). */
static void
build (TokensTrayMenu *self,
       GPtrArray      *items)
{
  GListModel *accounts = G_LIST_MODEL (self->accounts);
  guint n = g_list_model_get_n_items (accounts);
  g_autoptr(GMenu) access_menu = g_menu_new ();

  g_menu_remove_all (self->copy_section);
  g_menu_remove_all (self->access_section);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TokensAccount) account = g_list_model_get_item (accounts, i);
      g_autofree char *email = escape_mnemonic (tokens_account_get_email (account));
      g_autoptr(GMenu) tokens_menu = g_menu_new ();

      if (items == NULL || has_item (items, account, TOKENS_TOKEN_KIND_API_KEY))
        {
          /* Translators: a tray menu item; %s is an email address. */
          g_autofree char *label = g_strdup_printf (_("Copy API Token of %s"), email);
          g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

          g_menu_item_set_action_and_target (item, "app.copy-api-token", "s", tokens_account_get_id (account));
          g_menu_append_item (self->copy_section, item);
        }

      for (guint j = 0; items != NULL && j < items->len; j++)
        {
          const TokensStoreItem *saved = g_ptr_array_index (items, j);
          g_autofree char *token_label = NULL;
          g_autoptr(GMenuItem) token_item = NULL;

          /* The old secret of a renewal is not what anyone copies. */
          if (saved->kind != TOKENS_TOKEN_KIND_ACCESS || saved->slot != TOKENS_STORE_SLOT_CURRENT ||
              saved->token_id == NULL || *saved->token_id == '\0' ||
              !tokens_account_matches (account, saved->service_url, saved->email))
            continue;

          /* An item saved before names were attributes shows its id. */
          token_label = escape_mnemonic (saved->name && *saved->name ? saved->name : saved->token_id);
          token_item = g_menu_item_new (token_label, NULL);
          g_menu_item_set_action_and_target (token_item, "app.copy-access-token", "(ss)",
                                             tokens_account_get_id (account), saved->token_id);
          g_menu_append_item (tokens_menu, token_item);
        }

      if (g_menu_model_get_n_items (G_MENU_MODEL (tokens_menu)) > 0)
        {
          g_autofree char *submenu_label = NULL;

          /* One account: its email; several: which service too, as a
           * sentence ("ana@example.org on this computer"). */
          if (n > 1)
            {
              g_autofree char *account_label = tokens_account_dup_label (account);

              submenu_label = escape_mnemonic (account_label);
            }
          else
            submenu_label = g_strdup (email);
          g_menu_append_submenu (access_menu, submenu_label, G_MENU_MODEL (tokens_menu));
        }
    }

  if (g_menu_model_get_n_items (G_MENU_MODEL (access_menu)) > 0)
    g_menu_append_submenu (self->access_section, _("Access Tokens"), G_MENU_MODEL (access_menu));
}

static void build_kept (TokensTrayMenu *self);

static gboolean
kept_timeout_cb (gpointer user_data)
{
  TokensTrayMenu *self = user_data;

  self->kept_timeout_id = 0;
  build_kept (self);

  return G_SOURCE_REMOVE;
}

/* The kept tokens, the list's order (service, then name), from the
 * app's list: what the keyring holds as Tokens has read it. */
static void
build_kept (TokensTrayMenu *self)
{
  GListModel *kept = G_LIST_MODEL (self->kept);
  guint n = kept ? g_list_model_get_n_items (kept) : 0;
  g_autoptr(GMenu) kept_menu = g_menu_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gint64 next = 0;

  g_menu_remove_all (self->kept_section);
  g_clear_handle_id (&self->kept_timeout_id, g_source_remove);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TokensKeptToken) token = g_list_model_get_item (kept, i);
      const TokensKept *details = tokens_kept_token_get_details (token);
      g_autofree char *service = escape_mnemonic (details->service_name);
      g_autofree char *name = escape_mnemonic (details->name);
      g_autofree char *label = NULL;
      g_autoptr(GMenuItem) item = NULL;
      gint64 next_look;

      /* Marked from the day after its expiry day: it is not dropped. */
      if (tokens_kept_expiry_check (details, now, 0, NULL, &next_look) == TOKENS_KEPT_DUE_EXPIRED)
        /* Translators: a tray menu item; the first %s is a service
         * ("GitHub"), the second a kept token's name. */
        label = g_strdup_printf (_("%s — %s (expired)"), service, name);
      else
        /* Translators: a tray menu item; the first %s is a service
         * ("GitHub"), the second a kept token's name. */
        label = g_strdup_printf (_("%s — %s"), service, name);
      if (next_look != 0)
        next = next == 0 ? next_look : MIN (next, next_look);

      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target (item, "app.copy-kept-token", "s", tokens_kept_token_get_id (token));
      g_menu_append_item (kept_menu, item);
    }

  if (n > 0)
    g_menu_append_submenu (self->kept_section, _("Kept Tokens"), G_MENU_MODEL (kept_menu));

  /* A token that expires tonight is marked tomorrow without a change. */
  if (next != 0)
    {
      gint64 seconds = CLAMP (next - g_date_time_to_unix (now) + 1, 1, MAX_SLEEP_SECONDS);

      self->kept_timeout_id = g_timeout_add_seconds (seconds, kept_timeout_cb, self);
      g_source_set_name_by_id (self->kept_timeout_id, "[tokens] mark expired kept tokens");
    }
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  TokensTrayMenu *self;

  items = tokens_account_list_list_saved_finish (TOKENS_ACCOUNT_LIST (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TOKENS_TRAY_MENU (user_data);
  g_clear_object (&self->cancellable);
  if (error != NULL)
    g_debug ("Tray: cannot list the keyring: %s", error->message);

  build (self, items);
}

static void
refresh (TokensTrayMenu *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  tokens_account_list_list_saved_async (self->accounts, self->cancellable, list_cb, self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  TokensTrayMenu *self = user_data;

  self->refresh_id = 0;
  refresh (self);

  return G_SOURCE_REMOVE;
}

/* Changes come in bursts (a renewal saves twice and removes): look once. */
static void
keyring_changed (TokensTrayMenu *self)
{
  if (self->refresh_id == 0)
    {
      self->refresh_id = g_timeout_add (200, refresh_cb, self);
      g_source_set_name_by_id (self->refresh_id, "[tokens] refresh the tray menu");
    }
}

static void
keyring_signal_cb (GDBusConnection *connection,
                   const char      *sender_name,
                   const char      *object_path,
                   const char      *interface_name,
                   const char      *signal_name,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  keyring_changed (TOKENS_TRAY_MENU (user_data));
}

/**
 * tokens_tray_menu_new:
 * @accounts: the app's accounts (and their keyring store)
 * @kept: (nullable): the app's kept tokens
 * @connection: (nullable): the session bus, to hear the keyring's own
 *   change signals
 */
TokensTrayMenu *
tokens_tray_menu_new (TokensAccountList *accounts,
                      TokensKeptList    *kept,
                      GDBusConnection   *connection)
{
  TokensTrayMenu *self;
  g_autoptr(GMenu) app_section = g_menu_new ();

  g_return_val_if_fail (TOKENS_IS_ACCOUNT_LIST (accounts), NULL);
  g_return_val_if_fail (kept == NULL || TOKENS_IS_KEPT_LIST (kept), NULL);
  g_return_val_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection), NULL);

  self = g_object_new (TOKENS_TYPE_TRAY_MENU, NULL);
  self->accounts = g_object_ref (accounts);
  self->store = g_object_ref (tokens_account_list_get_store (accounts));

  g_menu_append (app_section, _("Open Tokens"), "app.show-window");
  g_menu_append (app_section, _("Quit"), "app.quit");
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (self->copy_section));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (self->access_section));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (self->kept_section));
  g_menu_append_section (self->menu, NULL, G_MENU_MODEL (app_section));

  g_signal_connect_object (self->store, "changed", G_CALLBACK (keyring_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (accounts, "items-changed", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  if (connection != NULL)
    {
      /* The keyring says when an item comes, goes or changes. */
      self->connection = g_object_ref (connection);
      self->keyring_signal_id =
        g_dbus_connection_signal_subscribe (connection, "org.freedesktop.secrets",
                                            "org.freedesktop.Secret.Collection", NULL, NULL, NULL,
                                            G_DBUS_SIGNAL_FLAGS_NONE, keyring_signal_cb, self, NULL);
    }

  if (kept != NULL)
    {
      self->kept = g_object_ref (kept);
      g_signal_connect_object (kept, "items-changed", G_CALLBACK (build_kept), self, G_CONNECT_SWAPPED);
    }

  build (self, NULL);
  build_kept (self);
  refresh (self);

  return self;
}

/**
 * tokens_tray_menu_get_model:
 *
 * Returns: (transfer none): the menu
 */
GMenuModel *
tokens_tray_menu_get_model (TokensTrayMenu *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY_MENU (self), NULL);

  return G_MENU_MODEL (self->menu);
}

static void
tokens_tray_menu_dispose (GObject *object)
{
  TokensTrayMenu *self = (TokensTrayMenu *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->kept_timeout_id, g_source_remove);
  if (self->kept != NULL)
    g_signal_handlers_disconnect_by_data (self->kept, self);
  g_clear_object (&self->kept);
  if (self->connection != NULL && self->keyring_signal_id != 0)
    g_dbus_connection_signal_unsubscribe (self->connection, self->keyring_signal_id);
  self->keyring_signal_id = 0;
  g_clear_object (&self->connection);
  g_clear_object (&self->store);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (tokens_tray_menu_parent_class)->dispose (object);
}

static void
tokens_tray_menu_finalize (GObject *object)
{
  TokensTrayMenu *self = (TokensTrayMenu *) object;

  g_clear_object (&self->menu);
  g_clear_object (&self->copy_section);
  g_clear_object (&self->access_section);
  g_clear_object (&self->kept_section);

  G_OBJECT_CLASS (tokens_tray_menu_parent_class)->finalize (object);
}

static void
tokens_tray_menu_class_init (TokensTrayMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tokens_tray_menu_dispose;
  object_class->finalize = tokens_tray_menu_finalize;
}

static void
tokens_tray_menu_init (TokensTrayMenu *self)
{
  self->menu = g_menu_new ();
  self->copy_section = g_menu_new ();
  self->access_section = g_menu_new ();
  self->kept_section = g_menu_new ();
}
