/* tokens-clipboard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Copies a secret to the clipboard the way a password manager does:
 * marked as a secret for clipboard managers (KDE's
 * `x-kde-passwordManagerHint`, which GNOME's and others' read too), and
 * cleared after a timeout — but only if the clipboard still holds what we
 * put there, so a later copy by the person is never thrown away. Each new
 * copy restarts the timer. On Wayland, GNOME ignores clipboard changes
 * from an app without focus, so when no window of ours is active when the
 * time is up, the clear waits until one is.
 */

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tokens-clipboard.h"
#include "tokens-token.h"

#ifdef GDK_WINDOWING_WAYLAND
# include <gdk/wayland/gdkwayland.h>
#endif

struct _TokensClipboard
{
  GObject             parent_instance;

  GSettings          *settings;
  GdkClipboard       *clipboard;   /* the display's, while we hold a secret */
  GdkContentProvider *provider;    /* what we put there */
  GBytes             *text;        /* the secret in it (the provider's own bytes) */
  GtkWindow          *window;      /* weak: where the last copy came from */
  guint               timeout_id;
  gulong              active_handler;
};

G_DEFINE_FINAL_TYPE (TokensClipboard, tokens_clipboard, G_TYPE_OBJECT)

static GBytes *
secret_bytes (const char *text)
{
  char *copy = g_strdup (text);

  return g_bytes_new_with_free_func (copy, strlen (copy), (GDestroyNotify) tokens_secret_free, copy);
}

static void window_active_cb (TokensClipboard *self);

static void
forget_window (TokensClipboard *self)
{
  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->window, window_active_cb, self);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
}

static void
forget (TokensClipboard *self)
{
  GApplication *app = g_application_get_default ();

  if (app != NULL)
    g_clear_signal_handler (&self->active_handler, app);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  forget_window (self);
  g_clear_object (&self->provider);
  g_clear_pointer (&self->text, g_bytes_unref);
  g_clear_object (&self->clipboard);
}

/**
 * tokens_clipboard_holds_secret:
 *
 * Returns: %TRUE if the clipboard still holds the secret we copied
 */
gboolean
tokens_clipboard_holds_secret (TokensClipboard *self)
{
  g_return_val_if_fail (TOKENS_IS_CLIPBOARD (self), FALSE);

  return self->clipboard != NULL &&
         self->provider != NULL &&
         gdk_clipboard_get_content (self->clipboard) == self->provider;
}

/**
 * tokens_clipboard_clear:
 *
 * Empties the clipboard now if it still holds our secret; leaves it alone
 * if someone copied something else since.
 */
void
tokens_clipboard_clear (TokensClipboard *self)
{
  g_return_if_fail (TOKENS_IS_CLIPBOARD (self));

  if (tokens_clipboard_holds_secret (self))
    gdk_clipboard_set_content (self->clipboard, NULL);

  forget (self);
}

/**
 * tokens_clipboard_clear_secret:
 * @secret: a secret that just stopped working (a reset's old token)
 *
 * Empties the clipboard now if it still holds our copy of @secret: a
 * dead token waiting there for its timeout only gets pasted by mistake.
 * Another secret of ours, or anyone else's copy, is left alone.
 *
 * Returns: %TRUE if the clipboard was cleared
 */
gboolean
tokens_clipboard_clear_secret (TokensClipboard *self,
                               const char      *secret)
{
  gsize length = 0;
  const char *held;

  g_return_val_if_fail (TOKENS_IS_CLIPBOARD (self), FALSE);

  if (secret == NULL || self->text == NULL || !tokens_clipboard_holds_secret (self))
    return FALSE;

  held = g_bytes_get_data (self->text, &length);
  if (length != strlen (secret) || sodium_memcmp (held, secret, length) != 0)
    return FALSE;

  tokens_clipboard_clear (self);
  return TRUE;
}

static gboolean
must_wait_for_focus (TokensClipboard *self)
{
#ifdef GDK_WINDOWING_WAYLAND
  if (GDK_IS_WAYLAND_DISPLAY (gdk_clipboard_get_display (self->clipboard)))
    return self->window == NULL || !gtk_window_is_active (self->window);
#endif
  return FALSE;
}

static void
window_active_cb (TokensClipboard *self)
{
  if (self->window != NULL && gtk_window_is_active (self->window))
    tokens_clipboard_clear (self);
}

/* Any window of ours becoming active will do: the one the copy came
 * from may have been closed meanwhile, the app running on in the
 * background. */
static void
active_window_cb (TokensClipboard *self,
                  GParamSpec      *pspec,
                  GtkApplication  *app)
{
  GtkWindow *window = gtk_application_get_active_window (app);

  if (window != NULL && gtk_window_is_active (window))
    tokens_clipboard_clear (self);
}

static gboolean
timeout_cb (gpointer user_data)
{
  TokensClipboard *self = user_data;

  self->timeout_id = 0;

  if (!tokens_clipboard_holds_secret (self))
    {
      forget (self);
      return G_SOURCE_REMOVE;
    }

  if (must_wait_for_focus (self) && GTK_IS_APPLICATION (g_application_get_default ()))
    {
      self->active_handler = g_signal_connect_object (g_application_get_default (), "notify::active-window",
                                                      G_CALLBACK (active_window_cb), self,
                                                      G_CONNECT_SWAPPED);
      /* The same window focused again changes no active-window. */
      if (self->window != NULL)
        g_signal_connect_object (self->window, "notify::is-active",
                                 G_CALLBACK (window_active_cb), self, G_CONNECT_SWAPPED);
      return G_SOURCE_REMOVE;
    }

  tokens_clipboard_clear (self);
  return G_SOURCE_REMOVE;
}

static guint
copy_secret (TokensClipboard *self,
             GdkClipboard    *clipboard,
             GtkWindow       *window,
             const char      *secret)
{
  g_autoptr(GBytes) text = NULL;
  g_autoptr(GBytes) hint = NULL;
  GdkContentProvider *providers[3];
  guint seconds;

  forget (self);

  text = secret_bytes (secret);
  hint = g_bytes_new_static ("secret", strlen ("secret"));
  providers[0] = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", text);
  providers[1] = gdk_content_provider_new_for_bytes ("text/plain", text);
  providers[2] = gdk_content_provider_new_for_bytes ("x-kde-passwordManagerHint", hint);

  self->provider = gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
  self->text = g_bytes_ref (text);
  self->clipboard = g_object_ref (clipboard);
  gdk_clipboard_set_content (self->clipboard, self->provider);

  if (window != NULL)
    {
      self->window = window;
      g_object_add_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
    }

  seconds = g_settings_get_uint (self->settings, "clipboard-clear-seconds");
  self->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, seconds, timeout_cb, self, NULL);
  g_source_set_name_by_id (self->timeout_id, "[tokens] clear clipboard");

  return seconds;
}

/**
 * tokens_clipboard_copy_secret:
 * @self: a #TokensClipboard
 * @widget: the widget the copy comes from (for its display and window)
 * @secret: what to copy
 *
 * Returns: the seconds after which the clipboard is cleared, to tell the
 *   person
 */
guint
tokens_clipboard_copy_secret (TokensClipboard *self,
                              GtkWidget       *widget,
                              const char      *secret)
{
  GtkRoot *root;

  g_return_val_if_fail (TOKENS_IS_CLIPBOARD (self), 0);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), 0);
  g_return_val_if_fail (secret != NULL, 0);

  root = gtk_widget_get_root (widget);

  return copy_secret (self, gtk_widget_get_clipboard (widget),
                      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, secret);
}

/**
 * tokens_clipboard_copy_secret_for_display:
 * @self: a #TokensClipboard
 * @display: the display whose clipboard gets the copy
 * @secret: what to copy
 *
 * Like tokens_clipboard_copy_secret(), for a copy that comes from no
 * window: the tray's menu, with the window closed. On X11 the display
 * owns the selection without a window; on Wayland a compositor may
 * refuse a copy from an app without focus (GNOME does).
 *
 * Returns: the seconds after which the clipboard is cleared
 */
guint
tokens_clipboard_copy_secret_for_display (TokensClipboard *self,
                                          GdkDisplay      *display,
                                          const char      *secret)
{
  g_return_val_if_fail (TOKENS_IS_CLIPBOARD (self), 0);
  g_return_val_if_fail (GDK_IS_DISPLAY (display), 0);
  g_return_val_if_fail (secret != NULL, 0);

  return copy_secret (self, gdk_display_get_clipboard (display), NULL, secret);
}

TokensClipboard *
tokens_clipboard_new (GSettings *settings)
{
  TokensClipboard *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TOKENS_TYPE_CLIPBOARD, NULL);
  self->settings = g_object_ref (settings);

  return self;
}

static void
tokens_clipboard_dispose (GObject *object)
{
  TokensClipboard *self = (TokensClipboard *) object;

  /* Going away with a secret on the clipboard would leave it there. */
  if (self->clipboard != NULL)
    tokens_clipboard_clear (self);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tokens_clipboard_parent_class)->dispose (object);
}

static void
tokens_clipboard_class_init (TokensClipboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tokens_clipboard_dispose;
}

static void
tokens_clipboard_init (TokensClipboard *self)
{
}
