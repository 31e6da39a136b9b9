/* tokens-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray icon: a StatusNotifierItem with its menu served over
 * com.canonical.dbusmenu, both directly over GDBus.
 *
 * GTK 4 has no tray API, and the hosts people run (KDE, XFCE, GNOME's
 * AppIndicator extension, taffybar's gtk-sni-tray) read menus only over
 * dbusmenu, not org.gtk.Menus. libdbusmenu-glib would serve it, but it is
 * unmaintained and its -dev package drags GTK 2 headers in; the part a
 * tray needs is small. So the tray takes a GMenuModel and a GActionGroup,
 * translates the model into dbusmenu items, and activates the model's
 * actions when an item is clicked: what the menu says lives with the app.
 *
 * The item is exported on the app's own connection and registered under
 * its unique name: a Flatpak may not own org.kde.* names, and every host
 * looks for /StatusNotifierItem on a name registered without a path.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "tokens-tray.h"

#define WATCHER_NAME  "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH  "/StatusNotifierWatcher"
#define ITEM_IFACE    "org.kde.StatusNotifierItem"
#define MENU_IFACE    "com.canonical.dbusmenu"
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
  " <interface name='com.canonical.dbusmenu'>"
  "  <property name='Version' type='u' access='read'/>"
  "  <property name='TextDirection' type='s' access='read'/>"
  "  <property name='Status' type='s' access='read'/>"
  "  <property name='IconThemePath' type='as' access='read'/>"
  "  <method name='GetLayout'>"
  "   <arg name='parentId' type='i' direction='in'/>"
  "   <arg name='recursionDepth' type='i' direction='in'/>"
  "   <arg name='propertyNames' type='as' direction='in'/>"
  "   <arg name='revision' type='u' direction='out'/>"
  "   <arg name='layout' type='(ia{sv}av)' direction='out'/>"
  "  </method>"
  "  <method name='GetGroupProperties'>"
  "   <arg name='ids' type='ai' direction='in'/>"
  "   <arg name='propertyNames' type='as' direction='in'/>"
  "   <arg name='properties' type='a(ia{sv})' direction='out'/>"
  "  </method>"
  "  <method name='GetProperty'>"
  "   <arg name='id' type='i' direction='in'/>"
  "   <arg name='name' type='s' direction='in'/>"
  "   <arg name='value' type='v' direction='out'/>"
  "  </method>"
  "  <method name='Event'>"
  "   <arg name='id' type='i' direction='in'/>"
  "   <arg name='eventId' type='s' direction='in'/>"
  "   <arg name='data' type='v' direction='in'/>"
  "   <arg name='timestamp' type='u' direction='in'/>"
  "  </method>"
  "  <method name='EventGroup'>"
  "   <arg name='events' type='a(isvu)' direction='in'/>"
  "   <arg name='idErrors' type='ai' direction='out'/>"
  "  </method>"
  "  <method name='AboutToShow'>"
  "   <arg name='id' type='i' direction='in'/>"
  "   <arg name='needUpdate' type='b' direction='out'/>"
  "  </method>"
  "  <method name='AboutToShowGroup'>"
  "   <arg name='ids' type='ai' direction='in'/>"
  "   <arg name='updatesNeeded' type='ai' direction='out'/>"
  "   <arg name='idErrors' type='ai' direction='out'/>"
  "  </method>"
  "  <signal name='ItemsPropertiesUpdated'>"
  "   <arg name='updatedProps' type='a(ia{sv})'/>"
  "   <arg name='removedProps' type='a(ias)'/>"
  "  </signal>"
  "  <signal name='LayoutUpdated'>"
  "   <arg name='revision' type='u'/>"
  "   <arg name='parent' type='i'/>"
  "  </signal>"
  "  <signal name='ItemActivationRequested'>"
  "   <arg name='id' type='i'/>"
  "   <arg name='timestamp' type='u'/>"
  "  </signal>"
  " </interface>"
  "</node>";

/* One dbusmenu item, as the model said it the last time we read it. */
typedef struct
{
  int        id;
  char      *label;
  char      *icon_name;
  char      *action;       /* as the model names it, e.g. "app.quit" */
  GVariant  *target;
  char      *toggle_type;  /* "checkmark", "radio" or NULL */
  int        toggle_state;
  guint      is_separator : 1;
  guint      is_submenu : 1;
  guint      enabled : 1;
  guint      visible : 1;
  GPtrArray *children;     /* of MenuNode, not owned (the id table owns) */
} MenuNode;

struct _TokensTray
{
  GObject          parent_instance;

  GDBusConnection *connection;
  GCancellable    *cancellable;     /* the pending registration */
  guint            item_id;
  guint            menu_id;
  guint            watch_id;
  guint            retry_id;        /* registering again, see register_cb */
  guint            attempts;

  GMenuModel      *menu_model;
  GActionGroup    *action_group;
  GPtrArray       *watched_models;  /* every model we read, to follow it */
  gulong           action_handlers[4];
  guint            rebuild_id;

  GHashTable      *nodes;           /* id → MenuNode; 0 is the root */
  GHashTable      *ids;             /* content key → id, to keep ids stable */
  int              next_id;
  guint            revision;

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

static void schedule_rebuild (TokensTray *self);
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

/* Menu nodes */

static void
menu_node_free (gpointer data)
{
  MenuNode *node = data;

  g_free (node->label);
  g_free (node->icon_name);
  g_free (node->action);
  g_clear_pointer (&node->target, g_variant_unref);
  g_free (node->toggle_type);
  g_clear_pointer (&node->children, g_ptr_array_unref);
  g_free (node);
}

static MenuNode *
menu_node_new (int id)
{
  MenuNode *node = g_new0 (MenuNode, 1);

  node->id = id;
  node->enabled = TRUE;
  node->visible = TRUE;

  return node;
}

static const char *
strip_namespace (const char *action)
{
  const char *dot = strchr (action, '.');

  return dot != NULL ? dot + 1 : action;
}

/* A menu names actions with their group's prefix ("app.quit"); the group
 * we are given may be the prefixed muxer or the bare group (a
 * GApplication is the "app" group with names like "quit"). Either works. */
static const char *
resolve_action (TokensTray *self,
                const char *action)
{
  if (self->action_group == NULL || action == NULL)
    return NULL;

  if (g_action_group_has_action (self->action_group, action))
    return action;

  if (g_action_group_has_action (self->action_group, strip_namespace (action)))
    return strip_namespace (action);

  return NULL;
}

/* Ids stay the same for the same item across rebuilds, so that a host
 * still showing an older layout never activates a different item than
 * the one the person clicked; an item that went away keeps its id
 * retired. The key is what the item does, not where it is. */
static int
id_for_key (TokensTray *self,
            GHashTable *new_ids,
            const char *key)
{
  g_autofree char *unique = NULL;
  gpointer found;
  guint n = 0;

  /* The same item twice in one menu gets a second key. */
  unique = g_strdup (key);
  while (g_hash_table_contains (new_ids, unique))
    {
      g_free (unique);
      unique = g_strdup_printf ("%s#%u", key, ++n);
    }

  if (g_hash_table_lookup_extended (self->ids, unique, NULL, &found))
    {
      g_hash_table_insert (new_ids, g_steal_pointer (&unique), found);
      return GPOINTER_TO_INT (found);
    }

  g_hash_table_insert (new_ids, g_steal_pointer (&unique), GINT_TO_POINTER (self->next_id));
  return self->next_id++;
}

static MenuNode *
add_node (TokensTray *self,
          GHashTable *new_ids,
          GHashTable *new_nodes,
          MenuNode   *parent,
          const char *key)
{
  g_autofree char *full_key = g_strdup_printf ("%d/%s", parent->id, key);
  MenuNode *node = menu_node_new (id_for_key (self, new_ids, full_key));

  g_hash_table_insert (new_nodes, GINT_TO_POINTER (node->id), node);
  g_ptr_array_add (parent->children, node);

  return node;
}

static void
follow_model (TokensTray *self,
              GMenuModel *model)
{
  if (g_ptr_array_find (self->watched_models, model, NULL))
    return;

  g_signal_connect_object (model, "items-changed",
                           G_CALLBACK (schedule_rebuild), self,
                           G_CONNECT_SWAPPED);
  g_ptr_array_add (self->watched_models, g_object_ref (model));
}

static void
read_item (TokensTray *self,
           GMenuModel *model,
           int         i,
           MenuNode   *node)
{
  g_autoptr(GVariant) icon_value = NULL;
  g_autofree char *hidden_when = NULL;
  const char *resolved;
  gboolean missing;
  gboolean enabled = FALSE;

  g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &node->label);

  icon_value = g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_ICON, NULL);
  if (icon_value != NULL)
    {
      g_autoptr(GIcon) icon = g_icon_deserialize (icon_value);

      /* dbusmenu carries icon names only; a file path would mean nothing
       * to a host outside our sandbox. */
      if (G_IS_THEMED_ICON (icon))
        node->icon_name = g_strdup (g_themed_icon_get_names (G_THEMED_ICON (icon))[0]);
    }

  g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &node->action);
  node->target = g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET, NULL);

  resolved = resolve_action (self, node->action);
  missing = resolved == NULL;
  if (!missing)
    {
      g_autoptr(GVariant) state = NULL;

      enabled = g_action_group_get_action_enabled (self->action_group, resolved);
      state = g_action_group_get_action_state (self->action_group, resolved);

      /* GTK shows a boolean state as a check box and a state compared
       * with the target as a radio button: so does dbusmenu. */
      if (state != NULL && node->target == NULL &&
          g_variant_is_of_type (state, G_VARIANT_TYPE_BOOLEAN))
        {
          node->toggle_type = g_strdup ("checkmark");
          node->toggle_state = g_variant_get_boolean (state) ? 1 : 0;
        }
      else if (state != NULL && node->target != NULL &&
               g_variant_is_of_type (state, g_variant_get_type (node->target)))
        {
          node->toggle_type = g_strdup ("radio");
          node->toggle_state = g_variant_equal (state, node->target) ? 1 : 0;
        }
    }

  node->enabled = enabled;

  if (g_menu_model_get_item_attribute (model, i, "hidden-when", "s", &hidden_when))
    {
      if (g_str_equal (hidden_when, "action-missing"))
        node->visible = !missing;
      else if (g_str_equal (hidden_when, "action-disabled"))
        node->visible = enabled;
    }
}

static char *
key_for_item (GMenuModel *model,
              int         i,
              gboolean    submenu)
{
  g_autofree char *label = NULL;
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autofree char *target_text = NULL;

  g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label);
  g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
  target = g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET, NULL);
  if (target != NULL)
    target_text = g_variant_print (target, TRUE);

  /* An item that does something is what it does; a submenu or an item
   * without an action is what it says. */
  if (!submenu && action != NULL)
    return g_strdup_printf ("item:%s:%s", action, target_text ? target_text : "");

  return g_strdup_printf ("%s:%s", submenu ? "submenu" : "label", label ? label : "");
}

/* Sections become separators between them, as GTK draws them: none at
 * the start or the end, none doubled, none around an empty section. */
static void
read_model (TokensTray *self,
            GHashTable *new_ids,
            GHashTable *new_nodes,
            GMenuModel *model,
            MenuNode   *parent,
            gboolean   *pending_separator)
{
  int n_items;

  follow_model (self, model);
  n_items = g_menu_model_get_n_items (model);

  for (int i = 0; i < n_items; i++)
    {
      g_autoptr(GMenuModel) section = NULL;
      g_autoptr(GMenuModel) submenu = NULL;
      g_autofree char *key = NULL;
      MenuNode *node;

      section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      if (section != NULL)
        {
          if (parent->children->len > 0)
            *pending_separator = TRUE;
          read_model (self, new_ids, new_nodes, section, parent, pending_separator);
          if (parent->children->len > 0)
            *pending_separator = TRUE;
          continue;
        }

      if (*pending_separator && parent->children->len > 0)
        {
          g_autofree char *separator_key = g_strdup_printf ("separator:%u", parent->children->len);
          MenuNode *separator = add_node (self, new_ids, new_nodes, parent, separator_key);

          separator->is_separator = TRUE;
        }
      *pending_separator = FALSE;

      submenu = g_menu_model_get_item_link (model, i, G_MENU_LINK_SUBMENU);
      key = key_for_item (model, i, submenu != NULL);
      node = add_node (self, new_ids, new_nodes, parent, key);
      read_item (self, model, i, node);

      if (submenu != NULL)
        {
          gboolean sub_pending = FALSE;

          node->is_submenu = TRUE;
          node->enabled = TRUE;
          node->children = g_ptr_array_new ();
          read_model (self, new_ids, new_nodes, submenu, node, &sub_pending);
        }
    }
}

static void
rebuild (TokensTray *self)
{
  g_autoptr(GHashTable) new_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) new_nodes = g_hash_table_new_full (NULL, NULL, NULL, menu_node_free);
  MenuNode *root = menu_node_new (0);

  root->is_submenu = TRUE;
  root->children = g_ptr_array_new ();
  g_hash_table_insert (new_nodes, GINT_TO_POINTER (0), root);

  /* Sections and submenus come and go with the model: follow only the
   * ones it has now. */
  for (guint i = 0; i < self->watched_models->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched_models, i), self);
  g_ptr_array_set_size (self->watched_models, 0);

  if (self->menu_model != NULL)
    {
      gboolean pending = FALSE;

      read_model (self, new_ids, new_nodes, self->menu_model, root, &pending);
    }

  g_clear_pointer (&self->ids, g_hash_table_unref);
  self->ids = g_steal_pointer (&new_ids);
  g_clear_pointer (&self->nodes, g_hash_table_unref);
  self->nodes = g_steal_pointer (&new_nodes);
}

static void
emit_menu_signal (TokensTray *self,
                  const char *name,
                  GVariant   *parameters)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (parameters);

  if (self->menu_id == 0)
    return;

  g_dbus_connection_emit_signal (self->connection, NULL, TOKENS_TRAY_MENU_PATH,
                                 MENU_IFACE, name, owned, NULL);
}

static gboolean
rebuild_cb (gpointer user_data)
{
  TokensTray *self = user_data;

  self->rebuild_id = 0;
  rebuild (self);
  self->revision++;
  emit_menu_signal (self, "LayoutUpdated", g_variant_new ("(ui)", self->revision, 0));

  return G_SOURCE_REMOVE;
}

/* A GMenu says items-changed once per insertion: wait for the burst to
 * end and tell the host once. */
static void
schedule_rebuild (TokensTray *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add_full (G_PRIORITY_DEFAULT, rebuild_cb, self, NULL);
}

/* dbusmenu */

static gboolean
wants (const char * const *names,
       const char         *name)
{
  return names == NULL || names[0] == NULL || g_strv_contains (names, name);
}

static GVariant *
node_properties (MenuNode           *node,
                 const char * const *names)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);

  if (node->is_separator)
    {
      if (wants (names, "type"))
        g_variant_builder_add (&builder, "{sv}", "type", g_variant_new_string ("separator"));
      if (wants (names, "visible"))
        g_variant_builder_add (&builder, "{sv}", "visible", g_variant_new_boolean (TRUE));
      return g_variant_builder_end (&builder);
    }

  if (node->is_submenu && wants (names, "children-display"))
    g_variant_builder_add (&builder, "{sv}", "children-display", g_variant_new_string ("submenu"));

  if (node->id == 0)
    return g_variant_builder_end (&builder);

  /* A GMenu label marks its mnemonic with "_" and doubles a literal one,
   * exactly as dbusmenu does: it goes through unchanged. */
  if (node->label != NULL && wants (names, "label"))
    g_variant_builder_add (&builder, "{sv}", "label", g_variant_new_string (node->label));
  if (node->icon_name != NULL && wants (names, "icon-name"))
    g_variant_builder_add (&builder, "{sv}", "icon-name", g_variant_new_string (node->icon_name));
  if (wants (names, "enabled"))
    g_variant_builder_add (&builder, "{sv}", "enabled", g_variant_new_boolean (node->enabled));
  if (wants (names, "visible"))
    g_variant_builder_add (&builder, "{sv}", "visible", g_variant_new_boolean (node->visible));
  if (node->toggle_type != NULL)
    {
      if (wants (names, "toggle-type"))
        g_variant_builder_add (&builder, "{sv}", "toggle-type", g_variant_new_string (node->toggle_type));
      if (wants (names, "toggle-state"))
        g_variant_builder_add (&builder, "{sv}", "toggle-state", g_variant_new_int32 (node->toggle_state));
    }

  return g_variant_builder_end (&builder);
}

static GVariant *
node_layout (MenuNode           *node,
             int                 depth,
             const char * const *names)
{
  GVariantBuilder children;

  g_variant_builder_init (&children, G_VARIANT_TYPE ("av"));

  /* A depth of -1 means all of it; 0 means the item alone. */
  if (node->children != NULL && depth != 0)
    {
      for (guint i = 0; i < node->children->len; i++)
        g_variant_builder_add (&children, "v",
                               node_layout (g_ptr_array_index (node->children, i),
                                            depth < 0 ? -1 : depth - 1, names));
    }

  return g_variant_new ("(i@a{sv}av)", node->id, node_properties (node, names), &children);
}

static MenuNode *
lookup_node (TokensTray *self,
             int         id)
{
  return g_hash_table_lookup (self->nodes, GINT_TO_POINTER (id));
}

static gboolean
activate_node (TokensTray *self,
               int         id)
{
  MenuNode *node = lookup_node (self, id);
  const char *action;

  if (node == NULL || node->is_separator || node->is_submenu)
    return FALSE;

  /* Read the group again: the action may have gone or been disabled
   * since the host fetched the layout. */
  action = resolve_action (self, node->action);
  if (action == NULL || !g_action_group_get_action_enabled (self->action_group, action))
    return FALSE;

  g_action_group_activate_action (self->action_group, action, node->target);
  return TRUE;
}

static void
handle_event (TokensTray *self,
              int         id,
              const char *event_id)
{
  if (g_str_equal (event_id, "clicked"))
    {
      if (!activate_node (self, id))
        g_debug ("Tray: ignored a click on menu item %d", id);
    }
}

static void
menu_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface_name,
                  const char            *method_name,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  TokensTray *self = user_data;

  if (g_str_equal (method_name, "GetLayout"))
    {
      g_autofree const char **names = NULL;
      MenuNode *node;
      int parent_id;
      int depth;

      g_variant_get (parameters, "(ii^a&s)", &parent_id, &depth, &names);
      node = lookup_node (self, parent_id);
      if (node == NULL)
        {
          g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                                 "No menu item with id %d", parent_id);
          return;
        }

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(u@(ia{sv}av))", self->revision,
                                                            node_layout (node, depth, names)));
    }
  else if (g_str_equal (method_name, "GetGroupProperties"))
    {
      g_autoptr(GVariantIter) ids = NULL;
      g_autofree const char **names = NULL;
      GVariantBuilder builder;
      int id;

      g_variant_get (parameters, "(ai^a&s)", &ids, &names);
      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(ia{sv})"));
      while (g_variant_iter_next (ids, "i", &id))
        {
          MenuNode *node = lookup_node (self, id);

          if (node != NULL)
            g_variant_builder_add (&builder, "(i@a{sv})", id, node_properties (node, names));
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a(ia{sv}))", &builder));
    }
  else if (g_str_equal (method_name, "GetProperty"))
    {
      const char *name;
      MenuNode *node;
      int id;

      g_variant_get (parameters, "(i&s)", &id, &name);
      node = lookup_node (self, id);
      if (node != NULL)
        {
          const char *names[] = { name, NULL };
          g_autoptr(GVariant) props = g_variant_ref_sink (node_properties (node, names));
          g_autoptr(GVariant) value = g_variant_lookup_value (props, name, NULL);

          if (value != NULL)
            {
              g_dbus_method_invocation_return_value (invocation, g_variant_new ("(v)", value));
              return;
            }
        }
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_INVALID_ARGS,
                                             "Menu item %d has no property %s", id, name);
    }
  else if (g_str_equal (method_name, "Event"))
    {
      const char *event_id;
      int id;

      g_variant_get (parameters, "(i&svu)", &id, &event_id, NULL, NULL);
      /* Answer first: an action such as Quit may not give us the chance. */
      g_dbus_method_invocation_return_value (invocation, NULL);
      handle_event (self, id, event_id);
    }
  else if (g_str_equal (method_name, "EventGroup"))
    {
      g_autoptr(GVariantIter) events = NULL;
      g_autoptr(GArray) known = g_array_new (FALSE, FALSE, sizeof (int));
      GVariantBuilder errors;
      const char *event_id;
      int id;

      g_variant_get (parameters, "(a(isvu))", &events);
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      while (g_variant_iter_loop (events, "(i&svu)", &id, &event_id, NULL, NULL))
        {
          if (lookup_node (self, id) == NULL)
            g_variant_builder_add (&errors, "i", id);
          else if (g_str_equal (event_id, "clicked"))
            g_array_append_val (known, id);
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ai)", &errors));
      for (guint i = 0; i < known->len; i++)
        handle_event (self, g_array_index (known, int, i), "clicked");
    }
  else if (g_str_equal (method_name, "AboutToShow"))
    {
      /* The layout is always current: the model tells us when it changes. */
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(b)", FALSE));
    }
  else if (g_str_equal (method_name, "AboutToShowGroup"))
    {
      g_autoptr(GVariantIter) ids = NULL;
      GVariantBuilder errors;
      int id;

      g_variant_get (parameters, "(ai)", &ids);
      g_variant_builder_init (&errors, G_VARIANT_TYPE ("ai"));
      while (g_variant_iter_next (ids, "i", &id))
        if (lookup_node (self, id) == NULL)
          g_variant_builder_add (&errors, "i", id);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@aiai)",
                                                                        g_variant_new_array (G_VARIANT_TYPE_INT32, NULL, 0),
                                                                        &errors));
    }
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

static GVariant *
menu_get_property (GDBusConnection  *connection,
                   const char       *sender,
                   const char       *object_path,
                   const char       *interface_name,
                   const char       *property_name,
                   GError          **error,
                   gpointer          user_data)
{
  if (g_str_equal (property_name, "Version"))
    return g_variant_new_uint32 (3);
  if (g_str_equal (property_name, "TextDirection"))
    return g_variant_new_string (gtk_widget_get_default_direction () == GTK_TEXT_DIR_RTL ? "rtl" : "ltr");
  if (g_str_equal (property_name, "Status"))
    return g_variant_new_string ("normal");
  if (g_str_equal (property_name, "IconThemePath"))
    return g_variant_new_strv (NULL, 0);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property_name);
  return NULL;
}

static const GDBusInterfaceVTable menu_vtable = {
  .method_call = menu_method_call,
  .get_property = menu_get_property,
};

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

  self->menu_id = g_dbus_connection_register_object (self->connection, TOKENS_TRAY_MENU_PATH,
                                                     introspection->interfaces[1],
                                                     &menu_vtable, self, NULL, &error);
  if (self->menu_id == 0)
    g_warning ("Tray: could not export its menu: %s", error->message);

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
      if (self->menu_id != 0)
        g_dbus_connection_unregister_object (self->connection, self->menu_id);
    }
  self->item_id = 0;
  self->menu_id = 0;
}

/* Actions */

static void
disconnect_action_group (TokensTray *self)
{
  if (self->action_group == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (self->action_handlers); i++)
    g_clear_signal_handler (&self->action_handlers[i], self->action_group);
  g_clear_object (&self->action_group);
}

/* GObject */

static void
tokens_tray_constructed (GObject *object)
{
  TokensTray *self = TOKENS_TRAY (object);

  G_OBJECT_CLASS (tokens_tray_parent_class)->constructed (object);

  g_return_if_fail (G_IS_DBUS_CONNECTION (self->connection));

  rebuild (self);
  export (self);
}

static void
tokens_tray_dispose (GObject *object)
{
  TokensTray *self = TOKENS_TRAY (object);

  unexport (self);
  set_registered (self, FALSE);
  g_clear_handle_id (&self->rebuild_id, g_source_remove);

  if (self->watched_models != NULL)
    {
      for (guint i = 0; i < self->watched_models->len; i++)
        g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched_models, i), self);
      g_ptr_array_set_size (self->watched_models, 0);
    }
  g_clear_object (&self->menu_model);
  disconnect_action_group (self);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (tokens_tray_parent_class)->dispose (object);
}

static void
tokens_tray_finalize (GObject *object)
{
  TokensTray *self = TOKENS_TRAY (object);

  g_clear_pointer (&self->watched_models, g_ptr_array_unref);
  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_hash_table_unref);
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
      g_value_set_object (value, self->menu_model);
      break;
    case PROP_ACTION_GROUP:
      g_value_set_object (value, self->action_group);
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
  self->watched_models = g_ptr_array_new_with_free_func (g_object_unref);
  self->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->next_id = 1;
  self->revision = 1;
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

  return self->menu_model;
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

  if (!g_set_object (&self->menu_model, model))
    return;

  schedule_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MENU_MODEL]);
}

GActionGroup *
tokens_tray_get_action_group (TokensTray *self)
{
  g_return_val_if_fail (TOKENS_IS_TRAY (self), NULL);

  return self->action_group;
}

void
tokens_tray_set_action_group (TokensTray   *self,
                              GActionGroup *group)
{
  static const char *changes[] = {
    "action-added", "action-removed", "action-enabled-changed", "action-state-changed",
  };

  g_return_if_fail (TOKENS_IS_TRAY (self));
  g_return_if_fail (group == NULL || G_IS_ACTION_GROUP (group));

  if (self->action_group == group)
    return;

  disconnect_action_group (self);
  if (group != NULL)
    {
      self->action_group = g_object_ref (group);
      /* Enabled, hidden and checked items follow their actions. */
      for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
        self->action_handlers[i] = g_signal_connect_swapped (group, changes[i],
                                                             G_CALLBACK (schedule_rebuild), self);
    }

  schedule_rebuild (self);
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

  return self->revision;
}
