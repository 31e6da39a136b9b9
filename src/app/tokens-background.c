/* tokens-background.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Running in the background and starting at login.
 *
 * With `run-in-background` on, the app holds itself, so that closing the
 * window leaves it (and its tray icon, and the expiry warnings) running;
 * Quit still quits. Inside a Flatpak the desktop decides: the Background
 * portal is asked first (over GDBus: the call returns a Request object
 * whose Response signal carries the answer, so we subscribe to it before
 * calling). A refusal is remembered for Preferences to say, and the app
 * then quits when its window closes, as any app.
 *
 * Starting at login is the portal's `autostart` option inside a Flatpak,
 * and an XDG autostart file outside one.
 */

#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tokens-background.h"

#define PORTAL_NAME       "org.freedesktop.portal.Desktop"
#define PORTAL_PATH       "/org/freedesktop/portal/desktop"
#define BACKGROUND_IFACE  "org.freedesktop.portal.Background"
#define REQUEST_IFACE     "org.freedesktop.portal.Request"

struct _TokensBackground
{
  GObject       parent_instance;

  GApplication *application;      /* weak */
  GSettings    *settings;
  GCancellable *cancellable;
  guint         response_id;      /* the pending portal request's Response */
  guint         request_serial;

  guint         in_flatpak : 1;
  guint         held : 1;
  guint         refused : 1;
  guint         autostart_busy : 1;   /* a thread writes or removes the file */
  guint         autostart_again : 1;  /* the setting changed meanwhile */
};

enum {
  PROP_0,
  PROP_REFUSED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensBackground, tokens_background, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
update_hold (TokensBackground *self)
{
  gboolean want;

  if (self->application == NULL)
    return;

  want = g_settings_get_boolean (self->settings, "run-in-background") && !self->refused;
  if (want == self->held)
    return;

  self->held = want;
  if (want)
    g_application_hold (self->application);
  else
    g_application_release (self->application);
}

static void
set_refused (TokensBackground *self,
             gboolean          refused)
{
  refused = !!refused;
  if (self->refused != refused)
    {
      self->refused = refused;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUSED]);
    }

  update_hold (self);
}

/* The portal */

static void
unsubscribe_response (TokensBackground *self)
{
  if (self->response_id != 0 && self->application != NULL)
    {
      GDBusConnection *connection = g_application_get_dbus_connection (self->application);

      if (connection != NULL)
        g_dbus_connection_signal_unsubscribe (connection, self->response_id);
    }
  self->response_id = 0;
}

static void
response_cb (GDBusConnection *connection,
             const char      *sender_name,
             const char      *object_path,
             const char      *interface_name,
             const char      *signal_name,
             GVariant        *parameters,
             gpointer         user_data)
{
  TokensBackground *self = user_data;
  g_autoptr(GVariant) results = NULL;
  gboolean background = FALSE;
  guint32 response;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;

  unsubscribe_response (self);

  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  /* 0: answered; 1: the person said no in a dialog; 2: something else. */
  if (response == 0)
    g_variant_lookup (results, "background", "b", &background);

  g_debug ("Background portal: response %u, background %s", response, background ? "allowed" : "refused");
  set_refused (self, !background);
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  TokensBackground *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TOKENS_BACKGROUND (user_data);
  if (error != NULL)
    {
      /* No portal to ask (an old desktop): nobody said no. */
      g_debug ("Background portal: %s", error->message);
      unsubscribe_response (self);
    }
}

static void
request_background (TokensBackground *self)
{
  GDBusConnection *connection;
  g_autofree char *sender = NULL;
  g_autofree char *handle_token = NULL;
  g_autofree char *request_path = NULL;
  const char *commandline[] = { "tokens", "--background", NULL };
  GVariantBuilder options;

  if (self->application == NULL ||
      (connection = g_application_get_dbus_connection (self->application)) == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  unsubscribe_response (self);

  /* The Request's path is known beforehand, so the answer cannot come
   * before we listen (the portal's documented pattern). */
  sender = g_strdup (g_dbus_connection_get_unique_name (connection) + 1);
  g_strdelimit (sender, ".", '_');
  handle_token = g_strdup_printf ("tokens_background_%u", ++self->request_serial);
  request_path = g_strdup_printf (PORTAL_PATH "/request/%s/%s", sender, handle_token);

  self->response_id = g_dbus_connection_signal_subscribe (connection, PORTAL_NAME, REQUEST_IFACE,
                                                          "Response", request_path, NULL,
                                                          G_DBUS_SIGNAL_FLAGS_NONE,
                                                          response_cb, self, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (handle_token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Warn before tokens expire, and copy tokens from the tray")));
  g_variant_builder_add (&options, "{sv}", "autostart",
                         g_variant_new_boolean (g_settings_get_boolean (self->settings, "start-at-login")));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  g_dbus_connection_call (connection, PORTAL_NAME, PORTAL_PATH, BACKGROUND_IFACE, "RequestBackground",
                          g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          self->cancellable, request_cb, self);
}

/* The autostart file, outside a Flatpak */

/**
 * tokens_background_dup_autostart_path:
 *
 * Returns: (transfer full): `$XDG_CONFIG_HOME/autostart/APP_ID.desktop`
 */
char *
tokens_background_dup_autostart_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

static void
autostart_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  static const char contents[] =
    "[Desktop Entry]\n"
    "Type=Application\n"
    "Name=Tokens\n"
    "Exec=tokens --background\n"
    "Icon=" APP_ID "\n"
    "Terminal=false\n"
    "NoDisplay=true\n"
    "X-GNOME-Autostart-enabled=true\n"
    "X-GNOME-UsesNotifications=true\n";
  g_autofree char *path = tokens_background_dup_autostart_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;
  gboolean enable = GPOINTER_TO_INT (task_data);

  if (enable)
    {
      if (g_mkdir_with_parents (dir, 0700) != 0 ||
          !g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &error))
        g_warning ("Could not write %s: %s", path, error ? error->message : g_strerror (errno));
    }
  else if (g_remove (path) != 0 && errno != ENOENT)
    {
      int saved_errno = errno;
      g_warning ("Could not remove %s: %s", path, g_strerror (saved_errno));
    }

  g_task_return_boolean (task, TRUE);
}

static void update_autostart (TokensBackground *self);

static void
autostart_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TokensBackground *self = TOKENS_BACKGROUND (object);

  self->autostart_busy = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), NULL) && self->autostart_again)
    update_autostart (self);
}

/* One thread at a time: a setting switched on and off quickly must end
 * as it was left, not as the slower of two threads leaves the file. */
static void
update_autostart (TokensBackground *self)
{
  g_autoptr(GTask) task = NULL;
  gboolean enable;

  if (self->autostart_busy)
    {
      self->autostart_again = TRUE;
      return;
    }

  enable = g_settings_get_boolean (self->settings, "start-at-login");
  self->autostart_busy = TRUE;
  self->autostart_again = FALSE;

  task = g_task_new (self, self->cancellable, autostart_done_cb, NULL);
  g_task_set_source_tag (task, update_autostart);
  g_task_set_task_data (task, GINT_TO_POINTER (enable), NULL);
  g_task_run_in_thread (task, autostart_thread);
}

static void
run_in_background_changed_cb (TokensBackground *self)
{
  if (self->in_flatpak && g_settings_get_boolean (self->settings, "run-in-background"))
    {
      /* Ask again: the person may have changed their mind in the desktop's
       * settings too. Hold meanwhile, as if allowed. */
      self->refused = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUSED]);
      request_background (self);
    }

  update_hold (self);
}

static void
start_at_login_changed_cb (TokensBackground *self)
{
  if (self->in_flatpak)
    request_background (self);
  else
    update_autostart (self);
}

/**
 * tokens_background_new:
 * @application: the app, held while it may run in the background
 * @settings: the app's settings
 */
TokensBackground *
tokens_background_new (GApplication *application,
                       GSettings    *settings)
{
  TokensBackground *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (TOKENS_TYPE_BACKGROUND, NULL);
  self->application = application;
  g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
  self->settings = g_object_ref (settings);

  g_signal_connect_object (settings, "changed::run-in-background",
                           G_CALLBACK (run_in_background_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (settings, "changed::start-at-login",
                           G_CALLBACK (start_at_login_changed_cb), self, G_CONNECT_SWAPPED);

  if (self->in_flatpak &&
      (g_settings_get_boolean (settings, "run-in-background") ||
       g_settings_get_boolean (settings, "start-at-login")))
    request_background (self);
  else if (!self->in_flatpak && g_settings_get_boolean (settings, "start-at-login"))
    update_autostart (self);   /* written again, should it have been removed */

  update_hold (self);

  return self;
}

/**
 * tokens_background_get_refused:
 *
 * Returns: %TRUE if the desktop (the Background portal) did not allow
 *   running in the background
 */
gboolean
tokens_background_get_refused (TokensBackground *self)
{
  g_return_val_if_fail (TOKENS_IS_BACKGROUND (self), FALSE);

  return self->refused;
}

/**
 * tokens_background_get_in_background:
 *
 * Returns: %TRUE if the app keeps running when its window is closed
 */
gboolean
tokens_background_get_in_background (TokensBackground *self)
{
  g_return_val_if_fail (TOKENS_IS_BACKGROUND (self), FALSE);

  return self->held;
}

static void
tokens_background_dispose (GObject *object)
{
  TokensBackground *self = (TokensBackground *) object;

  g_cancellable_cancel (self->cancellable);
  unsubscribe_response (self);
  if (self->held && self->application != NULL)
    g_application_release (self->application);
  self->held = FALSE;
  if (self->application != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *) &self->application);
  self->application = NULL;
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tokens_background_parent_class)->dispose (object);
}

static void
tokens_background_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TokensBackground *self = TOKENS_BACKGROUND (object);

  switch (prop_id)
    {
    case PROP_REFUSED:
      g_value_set_boolean (value, self->refused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_background_class_init (TokensBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tokens_background_dispose;
  object_class->get_property = tokens_background_get_property;

  /**
   * TokensBackground:refused:
   *
   * Whether the desktop refused to let the app run in the background.
   */
  properties[PROP_REFUSED] =
    g_param_spec_boolean ("refused", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_background_init (TokensBackground *self)
{
  self->cancellable = g_cancellable_new ();
  self->in_flatpak = g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}
