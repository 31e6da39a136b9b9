/* tokens-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tokens-preferences-window.h"

struct _TokensPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  GtkSpinButton        *clipboard_spin;
  GtkSpinButton        *warning_spin;
  GtkSwitch            *background_switch;
  AdwPreferencesGroup  *background_group;
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

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tokens_preferences_window_init (TokensPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

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
}
