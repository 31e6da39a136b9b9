/* tokens-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray icon: a StatusNotifierItem, directly over GDBus, whose menu
 * TokensDbusMenu serves over com.canonical.dbusmenu.
 *
 * GTK 4 has no tray API, and the hosts people run (KDE, XFCE, GNOME's
 * AppIndicator extension, taffybar's gtk-sni-tray) read menus only over
 * dbusmenu, not org.gtk.Menus. The tray takes a GMenuModel and a
 * GActionGroup and hands them to its TokensDbusMenu: what the menu says
 * lives with the app.
 *
 * The item is exported on the app's own connection and registered under
 * its unique name: a Flatpak may not own org.kde.* names, and every host
 * looks for /StatusNotifierItem on a name registered without a path.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-dbusmenu.h"
#include "tokens-tray.h"

#define WATCHER_NAME  "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH  "/StatusNotifierWatcher"
#define ITEM_IFACE    "org.kde.StatusNotifierItem"
#define DEFAULT_ICON  APP_ID "-symbolic"
#define MAX_ATTEMPTS  6

static const char introspection_xml[] =
  "<node>"
  " <interface name='org.kde.StatusNotifierItem'>"
  "  <property name='Category' type='s' access='read'/>"
  "  <property name='Id' type='s' access='read'/>"
  "  <property name='Title' type='s' access='read'/>"
  "  <property name='Status' type='s' access='read'/>"
  "  <property name='WindowId' type='i' access='read'/>"
  "  <property name='IconThemePath' type='s' access='read'/>"
  "  <property name='IconName' type='s' access='read'/>"
  "  <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='OverlayIconName' type='s' access='read'/>"
  "  <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='AttentionIconName' type='s' access='read'/>"
  "  <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='AttentionMovieName' type='s' access='read'/>"
  "  <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "  <property name='ItemIsMenu' type='b' access='read'/>"
  "  <property name='Menu' type='o' access='read'/>"
  "  <method name='ContextMenu'><arg name='x' type='i' direction='in'/><arg name='y' type='i' direction='in'/></method>"
  "  <method name='Activate'><arg name='x' type='i' direction='in'/><arg name='y' type='i' direction='in'/></method>"
  "  <method name='SecondaryActivate'><arg name='x' type='i' direction='in'/><arg name='y' type='i' direction='in'/></method>"
  "  <method name='Scroll'><arg name='delta' type='i' direction='in'/><arg name='orientation' type='s' direction='in'/></method>"
  "  <signal name='NewTitle'/>"
  "  <signal name='NewIcon'/>"
  "  <signal name='NewAttentionIcon'/>"
  "  <signal name='NewOverlayIcon'/>"
  "  <signal name='NewToolTip'/>"
  "  <signal name='NewStatus'><arg name='status' type='s'/></signal>"
  "  <signal name='NewIconThemePath'><arg name='icon_theme_path' type='s'/></signal>"
  " </interface>"
  "</node>";

struct _TokensTray
{
  GObject          parent_instance;

  GDBusConnection *connection;
  GCancellable    *cancellable;     /* the pending registration */
  guint            item_id;
  guint            watch_id;
  guint            retry_id;        /* registering again, see register_cb */
  guint            attempts;

  TokensDbusMenu  *menu;            /* served at TOKENS_TRAY_MENU_PATH */

  char            *title;
  char            *icon_name;
  char            *icon_theme_path;
  char            *tooltip;

  guint            visible : 1;
  guint            registered : 1;
};

G_DEFINE_FINAL_TYPE (TokensTray, tokens_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_MENU_MODEL,
  PROP_ACTION_GROUP,
  PROP_VISIBLE,
  PROP_REGISTERED,
  PROP_TITLE,
  PROP_ICON_NAME,
  PROP_ICON_THEME_PATH,
  PROP_TOOLTIP,
  N_PROPS
};

enum {
  ACTIVATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static GDBusNodeInfo *introspection;

static void register_with_watcher (TokensTray *self);

/* g_set_str() is GLib 2.76; the baseline is 2.74. */
static gboolean
set_str (char       **str,
         const char  *value)
{
  if (g_strcmp0 (*str, value) == 0)
    return FALSE;

  g_free (*str);
  *str = g_strdup (value);
  return TRUE;
}

/* StatusNotifierItem */

static const char *
status (TokensTray *self)
{
  /* Hosts hide a passive item (the AppIndicator extension, XFCE) or tuck
   * it away (KDE). A host keeps an item while its bus name lives, and
   * ours is the app's, so "hidden" is all the protocol lets us say. */
  return self->visible ? "Active" : "Passive";
}

static GVariant *
empty_pixmaps (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

static GVariant *
item_get_property (GDBusConnection  *connection,
                   const char       *sender,
                   const char       *object_path,
                   const char       *interface_name,
                   const char       *property_name,
                   GError          **error,
                   gpointer          user_data)
{
  TokensTray *self = user_data;

  if (g_str_equal (property_name, "Category"))
    return g_variant_new_string ("ApplicationStatus");
  if (g_str_equal (property_name, "Id"))
    return g_variant_new_string (APP_ID);
  if (g_str_equal (property_name, "Title"))
    return g_variant_new_string (self->title);
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string (status (self));
  if (g_str_equal (property_name, "WindowId"))
    return g_variant_new_int32 (0);
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_string (self->icon_theme_path ? self->icon_theme_path : "");
  if (g_str_equal (property_name, "IconName"))
    return g_variant_new_string (self->icon_name);
  if (g_str_equal (property_name, "OverlayIconName") ||
      g_str_equal (property_name, "AttentionIconName") ||
      g_str_equal (property_name, "AttentionMovieName"))
    return g_variant_new_string ("");
  if (g_str_equal (property_name, "IconPixmap") ||
      g_str_equal (property_name, "OverlayIconPixmap") ||
      g_str_equal (property_name, "AttentionIconPixmap"))
    return empty_pixmaps ();
  if (g_str_equal (property_name, "ToolTip"))
    return g_variant_new ("(s@a(iiay)ss)", self->icon_name, empty_pixmaps (),
                          self->title, self->tooltip ? self->tooltip : "");
  if (g_str_equal (property_name, "ItemIsMenu"))
    return g_variant_new_boolean (FALSE);
  if (g_str_equal (property_name, "Menu"))
    return g_variant_new_object_path (TOKENS_TRAY_MENU_PATH);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property_name);
  return NULL;
}

static void
item_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  TokensTray *self = user_data;

  /* The rest (SecondaryActivate, ContextMenu, Scroll) mean nothing here:
   * the menu is served over dbusmenu, and hosts show it themselves. */
  g_dbus_method_invocation_return_value (invocation, NULL);

  if (g_str_equal (method_name, "Activate"))
    {
      int x, y;

      g_variant_get (parameters, "(ii)", &x, &y);
      g_signal_emit (self, signals[ACTIVATE], 0, x, y);
    }
}

static const GDBusInterfaceVTable item_vtable = {
  .method_call = item_method_call,
  .get_property = item_get_property,
};

static void
emit_item_signal (TokensTray *self,
                  const char *name,
                  GVariant   *parameters)
{
  if (self->item_id == 0)
    {
      if (parameters != NULL)
        g_variant_unref (g_variant_ref_sink (parameters));
      return;
    }

  g_dbus_connection_emit_signal (self->connection, NULL, TOKENS_TRAY_ITEM_PATH,
                                 ITEM_IFACE, name, parameters, NULL);
}

/* Registration */

static void
set_registered (TokensTray *self,
                gboolean    registered)
{
  registered = !!registered;
  if (self->registered == registered)
    return;

  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static gboolean
retry_cb (gpointer user_data)
{
  TokensTray *self = user_data;

  self->retry_id = 0;
  self->attempts++;
  register_with_watcher (self);

  return G_SOURCE_REMOVE;
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  TokensTray *self;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);

  /* Cancelled: the watcher went, or we did. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TOKENS_TRAY (user_data);
  g_clear_object (&self->cancellable);

  if (error != NULL && self->attempts < MAX_ATTEMPTS &&
      (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
       g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_INTERFACE) ||
       g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD)))
    {
      /* A watcher may take its name before it exports its object
       * (status-notifier-watcher does): we asked too early. Ask again,
       * a little later each time. */
      g_debug ("Tray: the StatusNotifierWatcher is not ready: %s", error->message);
      self->retry_id = g_timeout_add (100 << self->attempts, retry_cb, self);
      return;
    }

  if (error != NULL)
    {
      /* No watcher (NameHasNoOwner), or one that refused us: no tray is
       * not an error for the app. We try again when a watcher appears. */
      g_debug ("Tray: not registered with the StatusNotifierWatcher: %s", error->message);
      set_registered (self, FALSE);
      return;
    }

  set_registered (self, TRUE);
}

static void
register_with_watcher (TokensTray *self)
{
  const char *unique_name = g_dbus_connection_get_unique_name (self->connection);

  if (self->item_id == 0 || unique_name == NULL)
    return;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_dbus_connection_call (self->connection,
                          WATCHER_NAME, WATCHER_PATH, WATCHER_NAME,
                          "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", unique_name),
                          NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START,
                          -1,
                          self->cancellable,
                          register_cb,
                          self);
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  TokensTray *self = TOKENS_TRAY (user_data);

  self->attempts = 0;
  register_with_watcher (self);
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  TokensTray *self = TOKENS_TRAY (user_data);

  /* A watcher that comes back has forgotten us: we register again when
   * it appears. */
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_registered (self, FALSE);
}

static void
export (TokensTray *self)
{
  g_autoptr(GError) error = NULL;

  self->item_id = g_dbus_connection_register_object (self->connection, TOKENS_TRAY_ITEM_PATH,
                                                     introspection->interfaces[0],
                                                     &item_vtable, self, NULL, &error);
  if (self->item_id == 0)
    {
      g_warning ("Tray: could not export the StatusNotifierItem: %s", error->message);
      return;
    }

  self->watch_id = g_bus_watch_name_on_connection (self->connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb,
                                                   watcher_vanished_cb,
                                                   self, NULL);
}

static void
unexport (TokensTray *self)
{
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->connection != NULL)
    {
      if (self->item_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->item_id);
    }
  self->item_id = 0;
}

/* GObject */

static void
tokens_tray_constructed (GObject *object)
{
  TokensTray *self = TOKENS_TRAY (object);

  G_OBJECT_CLASS (tokens_tray_parent_class)->constructed (object);

  g_return_if_fail (G_IS_DBUS_CONNECTION (self->connection));

  /* The menu first: the item names its path. */
  self->menu = tokens_dbusmenu_new (self->connection, TOKENS_TRAY_MENU_PATH);
  export (self);
}

static void
tokens_tray_dispose (GObject *object)
{
  TokensTray *self = TOKENS_TRAY (object);

  unexport (self);
  set_registered (self, FALSE);
  g_clear_object (&self->menu);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (tokens_tray_parent_class)->dispose (object);
}

static void
tokens_tray_finalize (GObject *object)
{
  TokensTray *self = TOKENS_TRAY (object);

  g_free (self->title);
  g_free (self->icon_name);
  g_free (self->icon_theme_path);
  g_free (self->tooltip);

  G_OBJECT_CLASS (tokens_tray_parent_class)->finalize (object);
}

static void
tokens_tray_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TokensTray *self = TOKENS_TRAY (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_MENU_MODEL:
      g_value_set_object (value, tokens_tray_get_menu_model (self));
      break;
    case PROP_ACTION_GROUP:
      g_value_set_object (value, tokens_tray_get_action_group (self));
      break;
    case PROP_VISIBLE:
      g_value_set_boolean (value, self->visible);
      break;
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, self->icon_name);
      break;
    case PROP_ICON_THEME_PATH:
      g_value_set_string (value, self->icon_theme_path);
      break;
    case PROP_TOOLTIP:
      g_value_set_string (value, self->tooltip);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_tray_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TokensTray *self = TOKENS_TRAY (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_MENU_MODEL:
      tokens_tray_set_menu_model (self, g_value_get_object (value));
      break;
    case PROP_ACTION_GROUP:
      tokens_tray_set_action_group (self, g_value_get_object (value));
      break;
    case PROP_VISIBLE:
      tokens_tray_set_visible (self, g_value_get_boolean (value));
      break;
    case PROP_TITLE:
      tokens_tray_set_title (self, g_value_get_string (value));
      break;
    case PROP_ICON_NAME:
      tokens_tray_set_icon_name (self, g_value_get_string (value));
      break;
    case PROP_ICON_THEME_PATH:
      tokens_tray_set_icon_theme_path (self, g_value_get_string (value));
      break;
    case PROP_TOOLTIP:
      tokens_tray_set_tooltip (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_tray_class_init (TokensTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tokens_tray_constructed;
  object_class->dispose = tokens_tray_dispose;
  object_class->finalize = tokens_tray_finalize;
  object_class->get_property = tokens_tray_get_property;
  object_class->set_property = tokens_tray_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         G_TYPE_DBUS_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_MENU_MODEL] =
    g_param_spec_object ("menu-model", NULL, NULL,
                         G_TYPE_MENU_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ACTION_GROUP] =
    g_param_spec_object ("action-group", NULL, NULL,
                         G_TYPE_ACTION_GROUP,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TokensTray:visible:
   *
   * Whether the icon should be shown: %FALSE makes the item "Passive".
   */
  properties[PROP_VISIBLE] =
    g_param_spec_boolean ("visible", NULL, NULL,
                          TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TokensTray:registered:
   *
   * Whether a StatusNotifierWatcher has taken our item.
   */
  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL,
                         DEFAULT_ICON,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TokensTray:icon-theme-path:
   *
   * A folder holding an icon theme with #TokensTray:icon-name, for a host
   * to find an icon that is not installed (a build tree). Empty when
   * installed: a path inside a sandbox means nothing to the host.
   */
  properties[PROP_ICON_THEME_PATH] =
    g_param_spec_string ("icon-theme-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TokensTray:tooltip:
   *
   * The tooltip's text under the title, or %NULL.
   */
  properties[PROP_TOOLTIP] =
    g_param_spec_string ("tooltip", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TokensTray::activate:
   * @x: where on the screen, as the host says (often 0)
   * @y: likewise
   *
   * The person clicked the icon itself: the app presents its window.
   */
  signals[ACTIVATE] =
    g_signal_new ("activate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);

  introspection = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  g_assert (introspection != NULL);
}

static void
tokens_tray_init (TokensTray *self)
{
  self->visible = TRUE;
  self->title = g_strdup (_("Tokens"));
  self->icon_name = g_strdup (DEFAULT_ICON);
}

/**
 * tokens_tray_new:
 * @connection: the app's session bus connection
 *
 * Exports the tray item and its menu on @connection and registers it with
 * the StatusNotifierWatcher whenever one is there.
 */
TokensTray *
tokens_tray_new (GDBusConnection *connection)
{
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);

  return g_object_new (TOKENS_TYPE_TRAY, "connection", connection, NULL);
}

GDBusConnection *
tokens_tray_get_connection (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), NULL);

  return self->connection;
}

GMenuModel *
tokens_tray_get_menu_model (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), NULL);

  return self->menu ? tokens_dbusmenu_get_menu_model (self->menu) : NULL;
}

/**
 * tokens_tray_set_menu_model:
 *
 * Sets the menu the host shows: sections become separators, submenus
 * submenus, and a click activates the item's action in
 * #TokensTray:action-group. The tray follows the model's changes.
 */
void
tokens_tray_set_menu_model (TokensTray *self,
                            GMenuModel *model)
{
  g_return_if_fail (TOKENS_IS_TRAY (self));
  g_return_if_fail (model == NULL || G_IS_MENU_MODEL (model));

  if (tokens_dbusmenu_set_menu_model (self->menu, model))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MENU_MODEL]);
}

/**
 * tokens_tray_get_menu:
 *
 * Returns: (transfer none): what serves the item's menu over dbusmenu
 */
TokensDbusMenu *
tokens_tray_get_menu (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), NULL);

  return self->menu;
}

GActionGroup *
tokens_tray_get_action_group (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), NULL);

  return self->menu ? tokens_dbusmenu_get_action_group (self->menu) : NULL;
}

void
tokens_tray_set_action_group (TokensTray   *self,
                              GActionGroup *group)
{
  g_return_if_fail (TOKENS_IS_TRAY (self));
  g_return_if_fail (group == NULL || G_IS_ACTION_GROUP (group));

  if (tokens_dbusmenu_set_action_group (self->menu, group))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION_GROUP]);
}

gboolean
tokens_tray_get_visible (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), FALSE);

  return self->visible;
}

void
tokens_tray_set_visible (TokensTray *self,
                         gboolean    visible)
{
  g_return_if_fail (TOKENS_IS_TRAY (self));

  visible = !!visible;
  if (self->visible == visible)
    return;

  self->visible = visible;
  emit_item_signal (self, "NewStatus", g_variant_new ("(s)", status (self)));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE]);
}

gboolean
tokens_tray_get_registered (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), FALSE);

  return self->registered;
}

const char *
tokens_tray_get_title (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), NULL);

  return self->title;
}

void
tokens_tray_set_title (TokensTray *self,
                       const char *title)
{
  g_return_if_fail (TOKENS_IS_TRAY (self));

  if (title == NULL)
    title = _("Tokens");

  if (!set_str (&self->title, title))
    return;

  emit_item_signal (self, "NewTitle", NULL);
  /* The tooltip's heading is the title. */
  emit_item_signal (self, "NewToolTip", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
tokens_tray_get_icon_name (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), NULL);

  return self->icon_name;
}

void
tokens_tray_set_icon_name (TokensTray *self,
                           const char *icon_name)
{
  g_return_if_fail (TOKENS_IS_TRAY (self));

  if (icon_name == NULL)
    icon_name = DEFAULT_ICON;

  if (!set_str (&self->icon_name, icon_name))
    return;

  emit_item_signal (self, "NewIcon", NULL);
  emit_item_signal (self, "NewToolTip", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

const char *
tokens_tray_get_icon_theme_path (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), NULL);

  return self->icon_theme_path;
}

void
tokens_tray_set_icon_theme_path (TokensTray *self,
                                 const char *path)
{
  g_return_if_fail (TOKENS_IS_TRAY (self));

  if (!set_str (&self->icon_theme_path, path))
    return;

  emit_item_signal (self, "NewIconThemePath", g_variant_new ("(s)", path ? path : ""));
  emit_item_signal (self, "NewIcon", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_THEME_PATH]);
}

const char *
tokens_tray_get_tooltip (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), NULL);

  return self->tooltip;
}

void
tokens_tray_set_tooltip (TokensTray *self,
                         const char *tooltip)
{
  g_return_if_fail (TOKENS_IS_TRAY (self));

  if (!set_str (&self->tooltip, tooltip))
    return;

  emit_item_signal (self, "NewToolTip", NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOLTIP]);
}

/**
 * tokens_tray_get_menu_revision:
 *
 * Returns: the layout revision GetLayout reports, bumped on every change
 */
guint
tokens_tray_get_menu_revision (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), 0);

  return tokens_dbusmenu_get_revision (self->menu);
}
