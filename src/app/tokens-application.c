/* tokens-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Owns what lives as long as the app: the settings, the clipboard guard,
 * the keyring store, the accounts, the service on this computer, and the
 * session of the active account that the window shows.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-application.h"
#include "tokens-preferences-window.h"
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

static void
tokens_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (tokens_window_new (TOKENS_APPLICATION (app)));

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
};

static void
tokens_application_startup (GApplication *app)
{
  TokensApplication *self = TOKENS_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (tokens_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  self->clipboard = tokens_clipboard_new (self->settings);
  self->store = tokens_store_new ();
  self->accounts = tokens_account_list_new (self->settings);
  self->local_service = tokens_local_service_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
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

  G_APPLICATION_CLASS (tokens_application_parent_class)->shutdown (app);
}

static void
tokens_application_dispose (GObject *object)
{
  TokensApplication *self = (TokensApplication *) object;

  g_clear_object (&self->session);
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
}
