/* tokens-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-window.h"

struct _TokensWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (TokensWindow, tokens_window, ADW_TYPE_APPLICATION_WINDOW)

TokensWindow *
tokens_window_new (TokensApplication *application)
{
  return g_object_new (TOKENS_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
tokens_window_dispose (GObject *object)
{
  TokensWindow *self = TOKENS_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tokens_window_parent_class)->dispose (object);
}

static void
tokens_window_class_init (TokensWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-window.ui");
}

static void
tokens_window_init (TokensWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}
