/* tokens-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-application.h"
#include "tokens-preferences-window.h"

struct _TokensPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *clipboard_spin;
  GtkSpinButton        *warning_spin;
  GtkSwitch            *background_switch;
  AdwPreferencesGroup  *background_group;
  AdwActionRow         *background_row;
  AdwActionRow         *login_row;
  GtkSwitch            *login_switch;
  GtkSwitch            *tray_switch;
  AdwActionRow         *folder_row;
  AdwActionRow         *address_row;
};

G_DEFINE_FINAL_TYPE (TokensPreferencesWindow, tokens_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

GtkWidget *
tokens_preferences_window_new (GtkWindow *parent)
{
  return g_object_new (TOKENS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

static void
tokens_preferences_window_dispose (GObject *object)
{
  TokensPreferencesWindow *self = (TokensPreferencesWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tokens_preferences_window_parent_class)->dispose (object);
}

static void
tokens_preferences_window_class_init (TokensPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, clipboard_spin);
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, warning_spin);
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, background_group);
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, background_row);
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, login_row);
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, login_switch);
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, tray_switch);
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, folder_row);
  gtk_widget_class_bind_template_child (widget_class, TokensPreferencesWindow, address_row);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

/* Inside a Flatpak the desktop may say no (the Background portal). */
static void
background_refused_cb (TokensPreferencesWindow *self,
                       GParamSpec              *pspec,
                       TokensBackground        *background)
{
  if (background == NULL)
    background = tokens_application_get_background (TOKENS_APPLICATION (g_application_get_default ()));

  if (tokens_background_get_refused (background))
    adw_action_row_set_subtitle (self->background_row,
                                 _("The desktop did not allow Tokens to run in the background: it quits when its window is closed"));
  else
    adw_action_row_set_subtitle (self->background_row,
                                 _("Keep running when the window is closed, to warn before tokens expire"));
}

/* The local service's folder, and its address while it runs (a port
 * chosen at each start, on loopback only). */
static void
update_local_service (TokensPreferencesWindow *self)
{
  TokensLocalService *service =
    tokens_application_get_local_service (TOKENS_APPLICATION (g_application_get_default ()));
  g_autofree char *folder = NULL;
  const char *url = NULL;

  if (service != NULL)
    {
      g_autofree char *path = g_path_get_dirname (tokens_local_service_get_database (service));
      const char *home = g_get_home_dir ();

      /* "~/.local/share/…", as a person knows their home folder. */
      if (g_str_has_prefix (path, home) && path[strlen (home)] == G_DIR_SEPARATOR)
        folder = g_strconcat ("~", path + strlen (home), NULL);
      else
        folder = g_steal_pointer (&path);
      url = tokens_local_service_get_url (service);
    }

  adw_action_row_set_subtitle (self->folder_row, folder ? folder : "");
  adw_action_row_set_subtitle (self->address_row,
                               url ? url : _("Not running: it starts with an account on this computer"));
}

static void
tokens_preferences_window_init (TokensPreferencesWindow *self)
{
  TokensLocalService *service;

  gtk_widget_init_template (GTK_WIDGET (self));

  service = tokens_application_get_local_service (TOKENS_APPLICATION (g_application_get_default ()));
  if (service != NULL)
    g_signal_connect_object (service, "notify::url", G_CALLBACK (update_local_service), self, G_CONNECT_SWAPPED);
  update_local_service (self);

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "clipboard-clear-seconds",
                   gtk_spin_button_get_adjustment (self->clipboard_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "expiry-warning-days",
                   gtk_spin_button_get_adjustment (self->warning_spin), "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background",
                   self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "start-at-login",
                   self->login_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "show-tray-icon",
                   self->tray_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  /* Started at login, it runs in the background, or it would just quit. */
  g_object_bind_property (self->background_switch, "active",
                          self->login_row, "sensitive",
                          G_BINDING_SYNC_CREATE);

  if (TOKENS_IS_APPLICATION (g_application_get_default ()))
    {
      TokensBackground *background =
        tokens_application_get_background (TOKENS_APPLICATION (g_application_get_default ()));

      if (background != NULL)
        {
          g_signal_connect_object (background, "notify::refused",
                                   G_CALLBACK (background_refused_cb), self, G_CONNECT_SWAPPED);
          background_refused_cb (self, NULL, background);
        }
    }
}
