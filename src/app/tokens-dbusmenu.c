/* tokens-dbusmenu.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GMenuModel and a GActionGroup served over com.canonical.dbusmenu,
 * directly over GDBus: what a StatusNotifierItem host reads to show the
 * item's menu (TokensTray names our path as its Menu).
 *
 * libdbusmenu-glib would serve it, but it is unmaintained and its -dev
 * package drags GTK 2 headers in; the part a tray needs (GetLayout,
 * GetGroupProperties, Event, AboutToShow, LayoutUpdated) is small. The
 * model is translated into dbusmenu items, with ids that stay the same for
 * the same item, and a click activates the item's action: what the menu
 * says lives with the app. No GTK here: the text direction is told.
 */

#include "config.h"

#include <string.h>

#include "tokens-dbusmenu.h"

#define MENU_IFACE "com.canonical.dbusmenu"

static const char introspection_xml[] =
  "<node>"
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

struct _TokensDbusMenu
{
  GObject          parent_instance;

  GDBusConnection *connection;
  char            *path;
  guint            menu_id;

  GMenuModel      *menu_model;
  GActionGroup    *action_group;
  GPtrArray       *watched_models;  /* every model we read, to follow it */
  gulong           action_handlers[4];
  guint            rebuild_id;

  GHashTable      *nodes;           /* id → MenuNode; 0 is the root */
  GHashTable      *ids;             /* content key → id, to keep ids stable */
  int              next_id;
  guint            revision;

  guint            rtl : 1;
};

G_DEFINE_FINAL_TYPE (TokensDbusMenu, tokens_dbusmenu, G_TYPE_OBJECT)

static GDBusNodeInfo *introspection;

static void schedule_rebuild (TokensDbusMenu *self);

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
resolve_action (TokensDbusMenu *self,
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
id_for_key (TokensDbusMenu *self,
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
add_node (TokensDbusMenu *self,
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
follow_model (TokensDbusMenu *self,
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
read_item (TokensDbusMenu *self,
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
read_model (TokensDbusMenu *self,
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
rebuild (TokensDbusMenu *self)
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
emit_menu_signal (TokensDbusMenu *self,
                  const char *name,
                  GVariant   *parameters)
{
  g_autoptr(GVariant) owned = g_variant_ref_sink (parameters);

  if (self->menu_id == 0)
    return;

  g_dbus_connection_emit_signal (self->connection, NULL, self->path,
                                 MENU_IFACE, name, owned, NULL);
}

static gboolean
rebuild_cb (gpointer user_data)
{
  TokensDbusMenu *self = user_data;

  self->rebuild_id = 0;
  rebuild (self);
  self->revision++;
  emit_menu_signal (self, "LayoutUpdated", g_variant_new ("(ui)", self->revision, 0));

  return G_SOURCE_REMOVE;
}

/* A GMenu says items-changed once per insertion: wait for the burst to
 * end and tell the host once. */
static void
schedule_rebuild (TokensDbusMenu *self)
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
lookup_node (TokensDbusMenu *self,
             int         id)
{
  return g_hash_table_lookup (self->nodes, GINT_TO_POINTER (id));
}

static gboolean
activate_node (TokensDbusMenu *self,
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
handle_event (TokensDbusMenu *self,
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
  TokensDbusMenu *self = user_data;

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
    return g_variant_new_string (((TokensDbusMenu *) user_data)->rtl ? "rtl" : "ltr");
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

/* Actions */

static void
disconnect_action_group (TokensDbusMenu *self)
{
  if (self->action_group == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (self->action_handlers); i++)
    g_clear_signal_handler (&self->action_handlers[i], self->action_group);
  g_clear_object (&self->action_group);
}

static void
export (TokensDbusMenu *self)
{
  g_autoptr(GError) error = NULL;

  self->menu_id = g_dbus_connection_register_object (self->connection, self->path,
                                                     introspection->interfaces[0],
                                                     &menu_vtable, self, NULL, &error);
  if (self->menu_id == 0)
    g_warning ("Tray: could not export its menu: %s", error->message);
}

/* GObject */

static void
tokens_dbusmenu_dispose (GObject *object)
{
  TokensDbusMenu *self = TOKENS_DBUSMENU (object);

  if (self->connection != NULL && self->menu_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->menu_id);
  self->menu_id = 0;
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

  G_OBJECT_CLASS (tokens_dbusmenu_parent_class)->dispose (object);
}

static void
tokens_dbusmenu_finalize (GObject *object)
{
  TokensDbusMenu *self = TOKENS_DBUSMENU (object);

  g_clear_pointer (&self->watched_models, g_ptr_array_unref);
  g_clear_pointer (&self->nodes, g_hash_table_unref);
  g_clear_pointer (&self->ids, g_hash_table_unref);
  g_free (self->path);

  G_OBJECT_CLASS (tokens_dbusmenu_parent_class)->finalize (object);
}

static void
tokens_dbusmenu_class_init (TokensDbusMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tokens_dbusmenu_dispose;
  object_class->finalize = tokens_dbusmenu_finalize;

  introspection = g_dbus_node_info_new_for_xml (introspection_xml, NULL);
  g_assert (introspection != NULL);
}

static void
tokens_dbusmenu_init (TokensDbusMenu *self)
{
  self->watched_models = g_ptr_array_new_with_free_func (g_object_unref);
  self->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->next_id = 1;
  self->revision = 1;
}

/**
 * tokens_dbusmenu_new:
 * @connection: the bus connection to serve the menu on
 * @path: the object path to serve it at
 *
 * Exports an empty menu at @path at once; give it a model and an action
 * group.
 */
TokensDbusMenu *
tokens_dbusmenu_new (GDBusConnection *connection,
                     const char      *path)
{
  TokensDbusMenu *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (g_variant_is_object_path (path), NULL);

  self = g_object_new (TOKENS_TYPE_DBUSMENU, NULL);
  self->connection = g_object_ref (connection);
  self->path = g_strdup (path);
  rebuild (self);
  export (self);

  return self;
}

GMenuModel *
tokens_dbusmenu_get_menu_model (TokensDbusMenu *self)
{
  g_return_val_if_fail (TOKENS_IS_DBUSMENU (self), NULL);

  return self->menu_model;
}

/**
 * tokens_dbusmenu_set_menu_model:
 *
 * Sets the menu the host shows: sections become separators, submenus
 * submenus, and a click activates the item's action in the action group.
 * The menu follows the model's changes.
 *
 * Returns: %TRUE if the model changed
 */
gboolean
tokens_dbusmenu_set_menu_model (TokensDbusMenu *self,
                                GMenuModel     *model)
{
  g_return_val_if_fail (TOKENS_IS_DBUSMENU (self), FALSE);
  g_return_val_if_fail (model == NULL || G_IS_MENU_MODEL (model), FALSE);

  if (!g_set_object (&self->menu_model, model))
    return FALSE;

  schedule_rebuild (self);
  return TRUE;
}

GActionGroup *
tokens_dbusmenu_get_action_group (TokensDbusMenu *self)
{
  g_return_val_if_fail (TOKENS_IS_DBUSMENU (self), NULL);

  return self->action_group;
}

/**
 * tokens_dbusmenu_set_action_group:
 *
 * Returns: %TRUE if the group changed
 */
gboolean
tokens_dbusmenu_set_action_group (TokensDbusMenu *self,
                                  GActionGroup   *group)
{
  static const char *changes[] = {
    "action-added", "action-removed", "action-enabled-changed", "action-state-changed",
  };

  g_return_val_if_fail (TOKENS_IS_DBUSMENU (self), FALSE);
  g_return_val_if_fail (group == NULL || G_IS_ACTION_GROUP (group), FALSE);

  if (self->action_group == group)
    return FALSE;

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
  return TRUE;
}

/**
 * tokens_dbusmenu_set_rtl:
 *
 * Whether the menu reads right to left (the TextDirection property): the
 * app says, from its toolkit.
 */
void
tokens_dbusmenu_set_rtl (TokensDbusMenu *self,
                         gboolean        rtl)
{
  g_return_if_fail (TOKENS_IS_DBUSMENU (self));

  self->rtl = !!rtl;
}

/**
 * tokens_dbusmenu_get_revision:
 *
 * Returns: the layout revision GetLayout reports, bumped on every change
 */
guint
tokens_dbusmenu_get_revision (TokensDbusMenu *self)
{
  g_return_val_if_fail (TOKENS_IS_DBUSMENU (self), 0);

  return self->revision;
}
