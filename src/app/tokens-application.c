/* tokens-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns what lives as long as the app: the settings, the clipboard guard,
 * the keyring store, the accounts, the service on this computer, and the
 * session of the active account that the window shows.
 *
 * And what keeps the app useful with its window closed: the tray icon
 * (TokensTray, serving TokensTrayMenu's menu of the accounts and what the
 * keyring holds), running in the background (TokensBackground) and the
 * expiry warnings (TokensExpiryMonitor). The app carries out the tray's
 * actions: copies go through a session, the one route to saved secrets.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "tokens-application.h"
#include "tokens-background.h"
#include "tokens-expiry-banner.h"
#include "tokens-expiry-monitor.h"
#include "tokens-preferences-window.h"
#include "tokens-tray.h"
#include "tokens-tray-menu.h"
#include "tokens-util.h"
#include "tokens-window.h"

struct _TokensApplication
{
  AdwApplication      parent_instance;

  GSettings          *settings;
  TokensClipboard    *clipboard;
  TokensStore        *store;
  TokensAccountList  *accounts;
  TokensLocalService *local_service;
  TokensSession      *session;
  TokensKeptList     *kept;             /* tokens of any service, no account needed */

  GCancellable       *cancellable;      /* cancelled at shutdown */
  TokensBackground   *background;
  TokensExpiryMonitor *expiry_monitor;

  TokensTray         *tray;
  TokensTrayMenu     *tray_menu;

  guint               sigterm_id;
  guint               sigint_id;
  gboolean            start_in_background;
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensApplication, tokens_application, ADW_TYPE_APPLICATION)

static GParamSpec *properties[N_PROPS];

TokensApplication *
tokens_application_new (void)
{
  return g_object_new (TOKENS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/example/Tokens",
                       NULL);
}

GSettings *
tokens_application_get_settings (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);
  return self->settings;
}

TokensClipboard *
tokens_application_get_clipboard (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);
  return self->clipboard;
}

TokensStore *
tokens_application_get_store (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);
  return self->store;
}

TokensAccountList *
tokens_application_get_accounts (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);
  return self->accounts;
}

TokensLocalService *
tokens_application_get_local_service (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);
  return self->local_service;
}

/**
 * tokens_application_get_session:
 *
 * Returns: (transfer none) (nullable): the active account's session
 */
TokensSession *
tokens_application_get_session (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);
  return self->session;
}

void
tokens_application_set_session (TokensApplication *self,
                                TokensSession     *session)
{
  g_return_if_fail (TOKENS_IS_APPLICATION (self));
  g_return_if_fail (!session || TOKENS_IS_SESSION (session));

  if (g_set_object (&self->session, session))
    {
      if (session != NULL)
        tokens_account_list_set_active (self->accounts, tokens_session_get_account (session));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
    }
}

/**
 * tokens_application_create_session:
 *
 * Returns: (transfer full): a session for @account, sharing the app's
 *   keyring store and service on this computer
 */
TokensSession *
tokens_application_create_session (TokensApplication *self,
                                   TokensAccount     *account)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);

  return tokens_session_new (account, self->store,
                             tokens_account_get_is_local (account) ? self->local_service : NULL);
}

/**
 * tokens_application_get_kept_list:
 *
 * The tokens of any service that the person keeps (issue 16). The
 * application owns the list, not a session: it exists with no account
 * signed in. Loaded from the keyring once at start-up; it changes only
 * through its own _async calls.
 *
 * Returns: (transfer none): the list
 */
TokensKeptList *
tokens_application_get_kept_list (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);

  return self->kept;
}

/**
 * tokens_application_get_expiry_monitor:
 *
 * Returns: (transfer none) (nullable): what warns before the active
 *   account's access tokens expire; %NULL before startup
 */
TokensExpiryMonitor *
tokens_application_get_expiry_monitor (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);
  return self->expiry_monitor;
}

/**
 * tokens_application_get_background:
 *
 * Returns: (transfer none) (nullable): whether the app runs in the
 *   background, and whether the desktop refused it
 */
TokensBackground *
tokens_application_get_background (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);
  return self->background;
}

/**
 * tokens_application_get_tray:
 *
 * Returns: (transfer none) (nullable): the tray icon
 */
TokensTray *
tokens_application_get_tray (TokensApplication *self)
{
  g_return_val_if_fail (TOKENS_IS_APPLICATION (self), NULL);
  return self->tray;
}

/* The session of the active account, or of the first one, connected: what
 * the window shows, and what the expiry warnings look at when the app
 * starts in the background with no window. */
static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The session's state says it all, to whoever shows it. */
  tokens_session_connect_finish (TOKENS_SESSION (object), result, &error);
}

/**
 * tokens_application_open_account:
 * @account: one of the app's accounts
 *
 * Makes @account the active one: a new session for it, connected (the
 * window, the tray and the expiry warnings follow the `session`
 * property).
 */
void
tokens_application_open_account (TokensApplication *self,
                                 TokensAccount     *account)
{
  g_autoptr(TokensSession) session = NULL;

  g_return_if_fail (TOKENS_IS_APPLICATION (self));
  g_return_if_fail (TOKENS_IS_ACCOUNT (account));

  session = tokens_application_create_session (self, account);
  tokens_application_set_session (self, session);
  tokens_session_connect_async (session, self->cancellable, connect_cb, NULL);
}

static void
ensure_session (TokensApplication *self)
{
  TokensAccount *active;

  if (self->session != NULL)
    return;

  active = tokens_account_list_get_active (self->accounts);
  if (active != NULL)
    tokens_application_open_account (self, active);
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->accounts)) > 0)
    {
      g_autoptr(TokensAccount) first = g_list_model_get_item (G_LIST_MODEL (self->accounts), 0);
      tokens_application_open_account (self, first);
    }
}

static void
tray_activate_cb (TokensApplication *self)
{
  g_application_activate (G_APPLICATION (self));
}

static void
create_tray (TokensApplication *self)
{
  GDBusConnection *connection = g_application_get_dbus_connection (G_APPLICATION (self));

  if (connection == NULL)
    return;

  self->tray_menu = tokens_tray_menu_new (self->accounts, self->kept, connection);
  self->tray = tokens_tray_new (connection);
  /* The tray knows no toolkit: the menu's direction is said here. */
  tokens_dbusmenu_set_rtl (tokens_tray_get_menu (self->tray),
                           gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL);
  tokens_tray_set_tooltip (self->tray, _("Copy a token, or open Tokens"));
  tokens_tray_set_menu_model (self->tray, tokens_tray_menu_get_model (self->tray_menu));
  tokens_tray_set_action_group (self->tray, G_ACTION_GROUP (self));
  g_settings_bind (self->settings, "show-tray-icon", self->tray, "visible", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->tray, "activate", G_CALLBACK (tray_activate_cb), self, G_CONNECT_SWAPPED);
}

/* Copying from the tray */

static void
say_copy_failed (TokensApplication *self,
                 const GError      *error)
{
  g_autoptr(GNotification) notification = g_notification_new (_("The Token Was Not Copied"));
  g_autofree char *message = NULL;

  if (error != NULL)
    message = tokens_util_error_message (error);
  g_notification_set_body (notification, message ? message : _("No such token is saved in the keyring."));
  g_application_send_notification (G_APPLICATION (self), "copy-failed", notification);
}

/* How a copy from the tray ends: the secret read from the keyring on
 * the clipboard, or a notification saying why not. */
static void
finish_copy (TokensApplication *self,
             const char        *secret,
             const GError      *error)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* From the window if one is open (on Wayland the clipboard is then
   * cleared once it has focus again); else from the display itself. */
  if (secret == NULL)
    say_copy_failed (self, error);
  else if (window != NULL)
    tokens_clipboard_copy_secret (self->clipboard, GTK_WIDGET (window), secret);
  else if (gdk_display_get_default () != NULL)
    tokens_clipboard_copy_secret_for_display (self->clipboard, gdk_display_get_default (), secret);
}

static void
copy_lookup_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TokensApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) secret = NULL;

  secret = tokens_session_lookup_secret_finish (TOKENS_SESSION (object), result, &error);
  finish_copy (self, secret, error);
  /* secret is wiped here, as it goes out of scope. */
}

static void
copy_secret (TokensApplication *self,
             const char        *account_id,
             TokensTokenKind    kind,
             const char        *token_id)
{
  TokensAccount *account = tokens_account_list_find_by_id (self->accounts, account_id);
  g_autoptr(TokensSession) session = NULL;

  if (account == NULL)
    return;

  /* Any account's, from the tray: the active session's, or a session
   * made for the copy alone (it only reads the keyring). */
  if (self->session != NULL && tokens_session_get_account (self->session) == account)
    session = g_object_ref (self->session);
  else
    session = tokens_application_create_session (self, account);

  tokens_session_lookup_secret_async (session, kind, token_id, self->cancellable,
                                      copy_lookup_cb, g_object_ref (self));
}

static void
tokens_application_copy_api_token_action (GSimpleAction *action,
                                          GVariant      *parameter,
                                          gpointer       user_data)
{
  copy_secret (TOKENS_APPLICATION (user_data), g_variant_get_string (parameter, NULL),
               TOKENS_TOKEN_KIND_API_KEY, NULL);
}

static void
tokens_application_copy_access_token_action (GSimpleAction *action,
                                             GVariant      *parameter,
                                             gpointer       user_data)
{
  const char *account_id, *token_id;

  g_variant_get (parameter, "(&s&s)", &account_id, &token_id);
  copy_secret (TOKENS_APPLICATION (user_data), account_id, TOKENS_TOKEN_KIND_ACCESS, token_id);
}

static void kept_loaded_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
copy_kept_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TokensApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) secret = NULL;

  secret = tokens_kept_list_read_finish (TOKENS_KEPT_LIST (object), result, &error);

  /* Removed behind the app's back (Passwords and Keys, secret-tool): said
   * as the keyring's absence of it, not the service's; the list reads the
   * keyring again, and the menu and the warnings follow. */
  if (g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND))
    {
      say_copy_failed (self, NULL);
      tokens_kept_list_load_async (self->kept, self->cancellable, kept_loaded_cb, NULL);
      return;
    }

  finish_copy (self, secret, error);
  /* secret is wiped here, as it goes out of scope. */
}

/* The tray's copy of a kept token: the secret is read when asked for,
 * handed to the clipboard guard and wiped. */
static void
tokens_application_copy_kept_token_action (GSimpleAction *action,
                                           GVariant      *parameter,
                                           gpointer       user_data)
{
  TokensApplication *self = TOKENS_APPLICATION (user_data);
  TokensKeptToken *token = tokens_kept_list_find_by_id (self->kept, g_variant_get_string (parameter, NULL));

  if (token == NULL)
    {
      say_copy_failed (self, NULL);
      return;
    }

  tokens_kept_list_read_async (self->kept, token, self->cancellable, copy_kept_cb, g_object_ref (self));
}

/* A click on a kept token's expiry notification, or the banner's Show:
 * the window, on the kept tokens (win.show-kept, with the token's id or
 * "" for all of them) where the window has that page. */
static void
tokens_application_show_kept_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  TokensApplication *self = TOKENS_APPLICATION (user_data);
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (TOKENS_IS_WINDOW (window))
    gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-kept", parameter);
}

static void
tokens_application_show_window_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  g_application_activate (G_APPLICATION (user_data));
}

/* A click on an expiry notification: that token, in the window. */
static void
tokens_application_show_token_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  TokensApplication *self = TOKENS_APPLICATION (user_data);
  const char *account_id, *token_id;
  TokensAccount *account;
  GtkWindow *window;

  g_variant_get (parameter, "(&s&s)", &account_id, &token_id);
  account = tokens_account_list_find_by_id (self->accounts, account_id);
  if (account != NULL &&
      (self->session == NULL || tokens_session_get_account (self->session) != account))
    tokens_application_open_account (self, account);

  g_application_activate (G_APPLICATION (self));

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (account != NULL && TOKENS_IS_WINDOW (window))
    tokens_window_show_token (TOKENS_WINDOW (window), token_id);
}

static void
session_changed_cb (TokensApplication *self)
{
  if (self->expiry_monitor != NULL)
    tokens_expiry_monitor_set_session (self->expiry_monitor, self->session);
}

static gboolean
quit_on_signal_cb (gpointer user_data)
{
  /* A quit as from the menu, so that shutdown clears the clipboard and
   * stops the service on this computer. */
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static int
tokens_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  TokensApplication *self = TOKENS_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  if (!g_variant_dict_contains (options, "background"))
    return -1;

  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  /* Already running: it is in the background already, or has a window. */
  if (g_application_get_is_remote (app))
    return 0;

  self->start_in_background = TRUE;
  return -1;
}

static void
tokens_application_activate (GApplication *app)
{
  TokensApplication *self = TOKENS_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  ensure_session (self);

  /* `tokens --background`: no window, this once. */
  if (self->start_in_background)
    {
      self->start_in_background = FALSE;
      return;
    }

  if (window == NULL)
    window = GTK_WINDOW (tokens_window_new (self));

  gtk_window_present (window);
}

static void
tokens_application_about_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  static const char *developers[] = { "The Tokens developers", NULL };
  GtkApplication *app = GTK_APPLICATION (user_data);

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Tokens"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
tokens_application_preferences_action (GSimpleAction *action,
                                       GVariant      *parameter,
                                       gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWidget *preferences = tokens_preferences_window_new (gtk_application_get_active_window (app));

  gtk_window_present (GTK_WINDOW (preferences));
}

static void
tokens_application_quit_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", tokens_application_about_action },
  { "preferences", tokens_application_preferences_action },
  { "quit", tokens_application_quit_action },
  { "show-window", tokens_application_show_window_action },
  { "show-token", tokens_application_show_token_action, "(ss)" },
  { "copy-api-token", tokens_application_copy_api_token_action, "s" },
  { "copy-access-token", tokens_application_copy_access_token_action, "(ss)" },
  { "copy-kept-token", tokens_application_copy_kept_token_action, "s" },
  { "show-kept", tokens_application_show_kept_action, "s" },
};

static void
kept_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A locked or absent keyring leaves the list empty and not loaded; the
   * page that shows it says why, the next time it asks. */
  if (!tokens_kept_list_load_finish (TOKENS_KEPT_LIST (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Kept tokens not loaded: %s", error->message);
}

static void
tokens_application_startup (GApplication *app)
{
  TokensApplication *self = TOKENS_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (tokens_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  self->clipboard = tokens_clipboard_new (self->settings);
  self->accounts = tokens_account_list_new (self->settings);
  self->store = g_object_ref (tokens_account_list_get_store (self->accounts));
  self->local_service = tokens_local_service_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", shortcuts_accels);

  self->cancellable = g_cancellable_new ();
  self->sigterm_id = g_unix_signal_add (SIGTERM, quit_on_signal_cb, app);
  self->sigint_id = g_unix_signal_add (SIGINT, quit_on_signal_cb, app);

  self->kept = tokens_kept_list_new ();
  tokens_kept_list_load_async (self->kept, self->cancellable, kept_loaded_cb, NULL);

  /* The window's banner finds the monitor through the app. */
  g_type_ensure (TOKENS_TYPE_EXPIRY_BANNER);
  self->expiry_monitor = tokens_expiry_monitor_new (app, self->settings, self->accounts);
  tokens_expiry_monitor_set_kept_list (self->expiry_monitor, self->kept);
  g_signal_connect (self, "notify::session", G_CALLBACK (session_changed_cb), NULL);

  self->background = tokens_background_new (app, self->settings);
  create_tray (self);
}

static void
tokens_application_shutdown (GApplication *app)
{
  TokensApplication *self = TOKENS_APPLICATION (app);

  /* A secret must not outlive the app on the clipboard, nor the service
   * on this computer outlive the app that started it. */
  if (self->clipboard != NULL)
    tokens_clipboard_clear (self->clipboard);
  if (self->local_service != NULL)
    tokens_local_service_stop (self->local_service);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);
  /* The tray goes before the bus connection does. */
  g_clear_object (&self->tray);
  g_clear_object (&self->tray_menu);
  g_clear_object (&self->background);
  if (self->expiry_monitor != NULL)
    {
      tokens_expiry_monitor_set_kept_list (self->expiry_monitor, NULL);
      tokens_expiry_monitor_set_session (self->expiry_monitor, NULL);
    }

  G_APPLICATION_CLASS (tokens_application_parent_class)->shutdown (app);
}

static void
tokens_application_dispose (GObject *object)
{
  TokensApplication *self = (TokensApplication *) object;

  g_clear_object (&self->tray);
  g_clear_object (&self->background);
  g_clear_object (&self->expiry_monitor);
  g_clear_object (&self->tray_menu);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->kept);
  g_clear_object (&self->local_service);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  g_clear_object (&self->clipboard);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tokens_application_parent_class)->dispose (object);
}

static void
tokens_application_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TokensApplication *self = TOKENS_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_application_class_init (TokensApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tokens_application_dispose;
  object_class->get_property = tokens_application_get_property;

  app_class->activate = tokens_application_activate;
  app_class->handle_local_options = tokens_application_handle_local_options;
  app_class->startup = tokens_application_startup;
  app_class->shutdown = tokens_application_shutdown;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TOKENS_TYPE_SESSION,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_application_init (TokensApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "background", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE,
                                 _("Start in the background, without a window"), NULL);
}
