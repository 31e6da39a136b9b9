/* test-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray against real StatusNotifier hosts from Debian:
 * status-notifier-watcher (the watcher taffybar uses) and
 * gtk-sni-tray-standalone (a bar that draws the items and reads their
 * menus with libdbusmenu). Runs under session-run --display: a private
 * bus and an Xvfb display of its own.
 *
 * The tray serves on one connection (the app's, as it would be); the test
 * reads it as a host does, over a second connection to the same bus. Both
 * live on this thread, so every call here is asynchronous and the main
 * loop runs while we wait for the answer.
 */

#include "config.h"

#include <signal.h>
#include <gtk/gtk.h>

#include "tokens-tray.h"

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define TIMEOUT_MS   10000

typedef struct
{
  GDBusConnection    *app_bus;    /* the tray's */
  GDBusConnection    *host_bus;   /* ours, reading it */
  GSubprocess        *watcher;
  GSubprocess        *host;
  GSimpleActionGroup *actions;
  GMenu              *menu;
  GMenu              *first_section;
  TokensTray         *tray;

  char               *activated;  /* the last action activated, and with what */
  GVariant           *activated_target;
  int                 activate_x;
  int                 activate_y;
  guint               n_activate;
} Fixture;

/* Helpers */

typedef gboolean (*Condition) (Fixture *f);

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (Fixture   *f,
            Condition  condition,
            guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (!condition (f) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (f);
}

static gboolean
never (Fixture *f)
{
  return FALSE;
}

/* Lets the main loop run for a while: for things that must NOT happen. */
static void
run_for (Fixture *f,
         guint    ms)
{
  wait_until (f, never, ms);
}

static void
call_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

static GVariant *
call (GDBusConnection    *bus,
      const char         *dest,
      const char         *path,
      const char         *iface,
      const char         *method,
      GVariant           *parameters,
      const GVariantType *reply_type,
      GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_dbus_connection_call (bus, dest, path, iface, method, parameters, reply_type,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, TIMEOUT_MS, NULL, call_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return g_dbus_connection_call_finish (bus, result, error);
}

static GVariant *
get_property (Fixture    *f,
              const char *dest,
              const char *path,
              const char *iface,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *value = NULL;

  reply = call (f->host_bus, dest, path, "org.freedesktop.DBus.Properties", "Get",
                g_variant_new ("(ss)", iface, name), G_VARIANT_TYPE ("(v)"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(v)", &value);

  return value;
}

static GVariant *
item_property (Fixture    *f,
               const char *name)
{
  return get_property (f, g_dbus_connection_get_unique_name (f->app_bus),
                       TOKENS_TRAY_ITEM_PATH, "org.kde.StatusNotifierItem", name);
}

static char **
registered_items (Fixture *f)
{
  g_autoptr(GVariant) value = get_property (f, WATCHER_NAME, "/StatusNotifierWatcher",
                                            WATCHER_NAME, "RegisteredStatusNotifierItems");

  return g_variant_dup_strv (value, NULL);
}

static gboolean
watcher_lists_tray (Fixture *f)
{
  g_auto(GStrv) items = registered_items (f);
  const char *unique_name = g_dbus_connection_get_unique_name (f->app_bus);

  /* The haskell watcher lists an item registered without a path by its
   * bus name alone; others add "/StatusNotifierItem". */
  for (guint i = 0; items[i] != NULL; i++)
    if (g_str_has_prefix (items[i], unique_name))
      return TRUE;

  return FALSE;
}

static GSubprocess *
spawn (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  const char *root = g_getenv ("TOKENS_SESSION_ROOT");

  /* Their chatter goes to the session's folder, not to the TAP stream. */
  log = g_strdup_printf ("%s/%s.log", root ? root : g_get_tmp_dir (), argv[0]);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);

  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&process);
}

static void
stop (GSubprocess **process)
{
  if (*process == NULL)
    return;

  g_subprocess_send_signal (*process, SIGTERM);
  g_subprocess_wait (*process, NULL, NULL);
  g_clear_object (process);
}

static gboolean
watcher_is_on_bus (Fixture *f)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = call (f->host_bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", WATCHER_NAME),
                G_VARIANT_TYPE ("(b)"), NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

static void
start_watcher (Fixture *f)
{
  f->watcher = spawn ((const char *[]) { "status-notifier-watcher", NULL });
  g_assert_true (wait_until (f, watcher_is_on_bus, TIMEOUT_MS));
}

static gboolean
tray_is_registered (Fixture *f)
{
  return tokens_tray_get_registered (f->tray);
}

static gboolean
tray_is_not_registered (Fixture *f)
{
  return !tokens_tray_get_registered (f->tray);
}

/* The actions the menu names, recording what a click did. */

static void
record_activation (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  Fixture *f = user_data;

  g_free (f->activated);
  f->activated = g_strdup (g_action_get_name (G_ACTION (action)));
  g_clear_pointer (&f->activated_target, g_variant_unref);
  if (parameter != NULL)
    f->activated_target = g_variant_ref (parameter);
}

static const GActionEntry entries[] = {
  { "copy-api-token", record_activation, "s" },
  { "copy-access-token", record_activation, "(ss)" },
  { "open", record_activation },
  { "quit", record_activation },
  { "revoked", record_activation },
};

/* The menu the app builds: an API token to copy, access tokens in a
 * submenu per account, Open and Quit; one token's action is disabled. */
static GMenu *
build_menu (Fixture *f)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) tokens = g_menu_new ();
  g_autoptr(GMenu) account = g_menu_new ();
  g_autoptr(GMenu) tokens_section = g_menu_new ();
  g_autoptr(GMenu) last = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;

  f->first_section = g_menu_new ();
  item = g_menu_item_new ("Copy API token of ana@example.com", NULL);
  g_menu_item_set_action_and_target (item, "app.copy-api-token", "s", "ana");
  g_menu_append_item (f->first_section, item);
  g_clear_object (&item);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (f->first_section));

  item = g_menu_item_new ("deploy-bot", NULL);
  g_menu_item_set_action_and_target (item, "app.copy-access-token", "(ss)", "ana", "t1");
  g_menu_append_item (account, item);
  g_clear_object (&item);
  item = g_menu_item_new ("ci", NULL);
  g_menu_item_set_action_and_target (item, "app.copy-access-token", "(ss)", "ana", "t2");
  g_menu_append_item (account, item);
  g_clear_object (&item);
  g_menu_append (account, "old-token", "app.revoked");
  g_menu_append_submenu (tokens, "ana@example.com", G_MENU_MODEL (account));
  g_menu_append_submenu (tokens_section, "Access tokens", G_MENU_MODEL (tokens));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (tokens_section));

  g_menu_append (last, "Open Tokens", "app.open");
  g_menu_append (last, "_Quit", "app.quit");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (last));

  return menu;
}

static void
on_activate (TokensTray *tray,
             int         x,
             int         y,
             Fixture    *f)
{
  f->activate_x = x;
  f->activate_y = y;
  f->n_activate++;
}

static gboolean
menu_is_read (Fixture *f)
{
  return tokens_tray_get_menu_revision (f->tray) > 1;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  /* The tray's connection is a bus connection of its own, as the app's
   * is; the host side is another, as a host's would be. */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  f->app_bus = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  f->host_bus = g_dbus_connection_new_for_address_sync (address,
                                                        G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                        G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                        NULL, NULL, &error);
  g_assert_no_error (error);

  f->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (f->actions), entries, G_N_ELEMENTS (entries), f);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (f->actions), "revoked")),
                               FALSE);
  f->menu = build_menu (f);

  if (GPOINTER_TO_INT (data))
    start_watcher (f);

  f->tray = tokens_tray_new (f->app_bus);
  tokens_tray_set_action_group (f->tray, G_ACTION_GROUP (f->actions));
  tokens_tray_set_menu_model (f->tray, G_MENU_MODEL (f->menu));
  g_signal_connect (f->tray, "activate", G_CALLBACK (on_activate), f);
  g_assert_true (wait_until (f, menu_is_read, TIMEOUT_MS));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->tray);
  stop (&f->host);
  stop (&f->watcher);
  g_clear_object (&f->first_section);
  g_clear_object (&f->menu);
  g_clear_object (&f->actions);
  g_clear_pointer (&f->activated, g_free);
  g_clear_pointer (&f->activated_target, g_variant_unref);
  g_dbus_connection_close_sync (f->app_bus, NULL, NULL);
  g_dbus_connection_close_sync (f->host_bus, NULL, NULL);
  g_clear_object (&f->app_bus);
  g_clear_object (&f->host_bus);
}

/* Reading the menu as a host does */

static GVariant *
get_layout (Fixture *f,
            guint   *revision)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  GVariant *layout = NULL;

  reply = call (f->host_bus, g_dbus_connection_get_unique_name (f->app_bus),
                TOKENS_TRAY_MENU_PATH, "com.canonical.dbusmenu", "GetLayout",
                g_variant_new ("(ii^as)", 0, -1, (const char * const[]) { NULL }),
                G_VARIANT_TYPE ("(u(ia{sv}av))"), &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u@(ia{sv}av))", revision, &layout);

  return layout;
}

/* "label" for an item, "---" for a separator, "label>" for a submenu:
 * one line per item, children indented. */
static void
describe (GVariant *layout,
          GString  *out,
          guint     depth)
{
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) children = NULL;
  const char *label = NULL;
  const char *type = NULL;
  const char *display = NULL;
  gboolean enabled = TRUE;
  int id;

  g_variant_get (layout, "(i@a{sv}@av)", &id, &props, &children);

  if (depth > 0)
    {
      g_variant_lookup (props, "label", "&s", &label);
      g_variant_lookup (props, "type", "&s", &type);
      g_variant_lookup (props, "children-display", "&s", &display);
      g_variant_lookup (props, "enabled", "b", &enabled);

      for (guint i = 1; i < depth; i++)
        g_string_append (out, "  ");
      if (g_strcmp0 (type, "separator") == 0)
        g_string_append (out, "---");
      else
        g_string_append_printf (out, "%s%s%s", label, g_strcmp0 (display, "submenu") == 0 ? ">" : "",
                                enabled ? "" : " (disabled)");
      g_string_append_c (out, '\n');
    }

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);

      describe (child, out, depth + 1);
    }
}

static char *
describe_menu (Fixture *f,
               guint   *revision)
{
  g_autoptr(GVariant) layout = get_layout (f, revision);
  GString *out = g_string_new (NULL);

  describe (layout, out, 0);
  return g_string_free (out, FALSE);
}

static int
find_id (GVariant   *layout,
         const char *wanted)
{
  g_autoptr(GVariant) props = NULL;
  g_autoptr(GVariant) children = NULL;
  const char *label = NULL;
  int id;

  g_variant_get (layout, "(i@a{sv}@av)", &id, &props, &children);
  if (g_variant_lookup (props, "label", "&s", &label) && g_str_equal (label, wanted))
    return id;

  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      int found = find_id (child, wanted);

      if (found > 0)
        return found;
    }

  return -1;
}

static int
id_of (Fixture    *f,
       const char *label)
{
  guint revision;
  g_autoptr(GVariant) layout = get_layout (f, &revision);

  return find_id (layout, label);
}

static void
click (Fixture *f,
       int      id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = call (f->host_bus, g_dbus_connection_get_unique_name (f->app_bus),
                TOKENS_TRAY_MENU_PATH, "com.canonical.dbusmenu", "Event",
                g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0),
                NULL, &error);
  g_assert_no_error (error);
}

static void
assert_target (Fixture    *f,
               const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (f->activated_target);
  text = g_variant_print (f->activated_target, FALSE);
  g_assert_cmpstr (text, ==, expected);
}

/* Tests */

static void
test_item_is_registered_with_the_watcher (Fixture       *f,
                                          gconstpointer  data)
{
  g_assert_true (wait_until (f, tray_is_registered, TIMEOUT_MS));
  g_assert_true (watcher_lists_tray (f));
}

static void
test_item_properties_read_over_dbus (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GVariant) title = NULL;
  g_autoptr(GVariant) icon = NULL;
  g_autoptr(GVariant) tooltip = NULL;
  g_autoptr(GVariant) status = NULL;
  g_autoptr(GVariant) menu = NULL;
  g_autoptr(GVariant) category = NULL;
  g_autoptr(GVariant) id = NULL;
  g_autoptr(GVariant) is_menu = NULL;
  g_autoptr(GVariant) pixmaps = NULL;
  const char *tip_icon, *tip_title, *tip_text;

  tokens_tray_set_tooltip (f->tray, "2 tokens expire this week");

  title = item_property (f, "Title");
  g_assert_cmpstr (g_variant_get_string (title, NULL), ==, "Tokens");
  icon = item_property (f, "IconName");
  g_assert_cmpstr (g_variant_get_string (icon, NULL), ==, "org.example.Tokens-symbolic");
  status = item_property (f, "Status");
  g_assert_cmpstr (g_variant_get_string (status, NULL), ==, "Active");
  menu = item_property (f, "Menu");
  g_assert_true (g_variant_is_of_type (menu, G_VARIANT_TYPE_OBJECT_PATH));
  g_assert_cmpstr (g_variant_get_string (menu, NULL), ==, "/MenuBar");
  category = item_property (f, "Category");
  g_assert_cmpstr (g_variant_get_string (category, NULL), ==, "ApplicationStatus");
  id = item_property (f, "Id");
  g_assert_cmpstr (g_variant_get_string (id, NULL), ==, "org.example.Tokens");
  is_menu = item_property (f, "ItemIsMenu");
  g_assert_false (g_variant_get_boolean (is_menu));

  tooltip = item_property (f, "ToolTip");
  g_assert_cmpstr (g_variant_get_type_string (tooltip), ==, "(sa(iiay)ss)");
  g_variant_get (tooltip, "(&s@a(iiay)&s&s)", &tip_icon, &pixmaps, &tip_title, &tip_text);
  g_assert_cmpstr (tip_icon, ==, "org.example.Tokens-symbolic");
  g_assert_cmpuint (g_variant_n_children (pixmaps), ==, 0);
  g_assert_cmpstr (tip_title, ==, "Tokens");
  g_assert_cmpstr (tip_text, ==, "2 tokens expire this week");
}

static void
test_menu_layout_has_items_separators_and_submenus (Fixture       *f,
                                                     gconstpointer  data)
{
  guint revision;
  g_autofree char *menu = describe_menu (f, &revision);
  g_autoptr(GVariant) version = NULL;

  g_assert_cmpstr (menu, ==,
                   "Copy API token of ana@example.com\n"
                   "---\n"
                   "Access tokens>\n"
                   "  ana@example.com>\n"
                   "    deploy-bot\n"
                   "    ci\n"
                   "    old-token (disabled)\n"
                   "---\n"
                   "Open Tokens\n"
                   "_Quit\n");
  g_assert_cmpuint (revision, ==, tokens_tray_get_menu_revision (f->tray));

  version = get_property (f, g_dbus_connection_get_unique_name (f->app_bus),
                          TOKENS_TRAY_MENU_PATH, "com.canonical.dbusmenu", "Version");
  g_assert_cmpuint (g_variant_get_uint32 (version), ==, 3);
}

static void
test_menu_click_activates_the_action_with_its_target (Fixture       *f,
                                                      gconstpointer  data)
{
  click (f, id_of (f, "ci"));
  g_assert_cmpstr (f->activated, ==, "copy-access-token");
  assert_target (f, "('ana', 't2')");

  click (f, id_of (f, "Copy API token of ana@example.com"));
  g_assert_cmpstr (f->activated, ==, "copy-api-token");
  assert_target (f, "'ana'");

  click (f, id_of (f, "_Quit"));
  g_assert_cmpstr (f->activated, ==, "quit");
  g_assert_null (f->activated_target);
}

static void
test_menu_click_on_a_disabled_item_does_nothing (Fixture       *f,
                                                 gconstpointer  data)
{
  click (f, id_of (f, "old-token"));
  run_for (f, 100);
  g_assert_null (f->activated);

  /* Nor on an id the menu never had: a host with a stale layout. */
  click (f, 9999);
  run_for (f, 100);
  g_assert_null (f->activated);
}

typedef struct
{
  guint revision;
  int   parent;
  guint count;
} LayoutUpdate;

static void
layout_updated_cb (GDBusConnection *bus,
                   const char      *sender,
                   const char      *path,
                   const char      *iface,
                   const char      *signal,
                   GVariant        *parameters,
                   gpointer         user_data)
{
  LayoutUpdate *update = user_data;

  g_variant_get (parameters, "(ui)", &update->revision, &update->parent);
  update->count++;
}

static LayoutUpdate *current_update;

static gboolean
layout_was_updated (Fixture *f)
{
  return current_update->count > 0;
}

static void
test_menu_change_emits_layout_updated (Fixture       *f,
                                       gconstpointer  data)
{
  LayoutUpdate update = { 0, };
  guint before, after;
  int ci_before;
  guint subscription;
  g_autofree char *menu = NULL;
  g_autoptr(GMenuItem) item = NULL;

  g_free (describe_menu (f, &before));
  ci_before = id_of (f, "ci");

  subscription = g_dbus_connection_signal_subscribe (f->host_bus,
                                                     g_dbus_connection_get_unique_name (f->app_bus),
                                                     "com.canonical.dbusmenu", "LayoutUpdated",
                                                     TOKENS_TRAY_MENU_PATH, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     layout_updated_cb, &update, NULL);
  current_update = &update;

  /* A second account signs in: its API token joins the first section. */
  item = g_menu_item_new ("Copy API token of bob@example.com", NULL);
  g_menu_item_set_action_and_target (item, "app.copy-api-token", "s", "bob");
  g_menu_append_item (f->first_section, item);

  g_assert_true (wait_until (f, layout_was_updated, TIMEOUT_MS));
  g_assert_cmpuint (update.revision, >, before);
  g_assert_cmpint (update.parent, ==, 0);

  menu = describe_menu (f, &after);
  g_assert_cmpuint (after, ==, update.revision);
  g_assert_true (g_str_has_prefix (menu,
                                   "Copy API token of ana@example.com\n"
                                   "Copy API token of bob@example.com\n"
                                   "---\n"));
  /* What was there keeps its id: a host's open menu still means the same. */
  g_assert_cmpint (id_of (f, "ci"), ==, ci_before);

  click (f, id_of (f, "Copy API token of bob@example.com"));
  assert_target (f, "'bob'");

  run_for (f, 100);
  g_assert_cmpuint (update.count, ==, 1);
  g_dbus_connection_signal_unsubscribe (f->host_bus, subscription);
  current_update = NULL;
}

static void
test_item_is_registered_again_when_the_watcher_restarts (Fixture       *f,
                                                         gconstpointer  data)
{
  g_assert_true (wait_until (f, tray_is_registered, TIMEOUT_MS));

  stop (&f->watcher);
  g_assert_true (wait_until (f, tray_is_not_registered, TIMEOUT_MS));

  start_watcher (f);
  g_assert_true (wait_until (f, tray_is_registered, TIMEOUT_MS));
  g_assert_true (watcher_lists_tray (f));
}

static void
test_no_watcher_is_harmless (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GVariant) title = NULL;

  run_for (f, 500);
  g_assert_false (tokens_tray_get_registered (f->tray));

  /* The item is still there, for a watcher that comes later. */
  title = item_property (f, "Title");
  g_assert_cmpstr (g_variant_get_string (title, NULL), ==, "Tokens");

  start_watcher (f);
  g_assert_true (wait_until (f, tray_is_registered, TIMEOUT_MS));
}

static guint n_new_status;
static char *new_status;

static void
new_status_cb (GDBusConnection *bus,
               const char      *sender,
               const char      *path,
               const char      *iface,
               const char      *signal,
               GVariant        *parameters,
               gpointer         user_data)
{
  g_free (new_status);
  g_variant_get (parameters, "(s)", &new_status);
  n_new_status++;
}

static gboolean
status_changed (Fixture *f)
{
  return n_new_status > 0;
}

static void
test_hidden_item_is_passive (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GVariant) status = NULL;
  guint subscription;

  subscription = g_dbus_connection_signal_subscribe (f->host_bus,
                                                     g_dbus_connection_get_unique_name (f->app_bus),
                                                     "org.kde.StatusNotifierItem", "NewStatus",
                                                     TOKENS_TRAY_ITEM_PATH, NULL,
                                                     G_DBUS_SIGNAL_FLAGS_NONE,
                                                     new_status_cb, NULL, NULL);
  /* Round trip, so the bus has our match rule before the signal. */
  g_clear_pointer (&status, g_variant_unref);
  status = item_property (f, "Status");

  tokens_tray_set_visible (f->tray, FALSE);
  g_assert_true (wait_until (f, status_changed, TIMEOUT_MS));
  g_assert_cmpstr (new_status, ==, "Passive");
  g_clear_pointer (&status, g_variant_unref);
  status = item_property (f, "Status");
  g_assert_cmpstr (g_variant_get_string (status, NULL), ==, "Passive");

  n_new_status = 0;
  tokens_tray_set_visible (f->tray, TRUE);
  g_assert_true (wait_until (f, status_changed, TIMEOUT_MS));
  g_assert_cmpstr (new_status, ==, "Active");

  g_dbus_connection_signal_unsubscribe (f->host_bus, subscription);
  g_clear_pointer (&new_status, g_free);
  n_new_status = 0;
}

static gboolean
was_activated (Fixture *f)
{
  return f->n_activate > 0;
}

static void
test_activate_asks_the_app_to_present_itself (Fixture       *f,
                                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  reply = call (f->host_bus, g_dbus_connection_get_unique_name (f->app_bus),
                TOKENS_TRAY_ITEM_PATH, "org.kde.StatusNotifierItem", "Activate",
                g_variant_new ("(ii)", 12, 34), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wait_until (f, was_activated, TIMEOUT_MS));
  g_assert_cmpint (f->activate_x, ==, 12);
  g_assert_cmpint (f->activate_y, ==, 34);
}

/* The bar: gtk-sni-tray-standalone at the top of the screen. */

#define BAR_HEIGHT 32

static char *
screenshot (const char *name)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;
  const char *dir = g_getenv ("G_TEST_BUILDDIR");

  /* Kept beside the test for a person to look at. */
  path = g_build_filename (dir ? dir : g_get_tmp_dir (), name, NULL);
  g_spawn_sync (NULL, (char *[]) { (char *) "import", (char *) "-window", (char *) "root", path, NULL },
                NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return g_steal_pointer (&path);
}

typedef struct
{
  int    n_ink;         /* pixels of the icon's colour in the bar */
  int    x_min, x_max;  /* where they are */
  int    y_min, y_max;
} BarInk;

/* The symbolic icon is one path filled with #2e3436 on the bar's light
 * background (set with --color): count the pixels of exactly that colour
 * where the bar is. A missing icon draws none of them. */
static BarInk
bar_ink (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) shot = gdk_pixbuf_new_from_file (path, &error);
  BarInk ink = { 0, G_MAXINT, -1, G_MAXINT, -1 };
  const guchar *pixels;
  int stride, channels, width;

  g_assert_no_error (error);
  pixels = gdk_pixbuf_get_pixels (shot);
  stride = gdk_pixbuf_get_rowstride (shot);
  channels = gdk_pixbuf_get_n_channels (shot);
  width = gdk_pixbuf_get_width (shot);

  for (int y = 0; y < BAR_HEIGHT; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = pixels + y * stride + x * channels;

        if (p[0] == 0x2e && p[1] == 0x34 && p[2] == 0x36)
          {
            ink.n_ink++;
            ink.x_min = MIN (ink.x_min, x);
            ink.x_max = MAX (ink.x_max, x);
            ink.y_min = MIN (ink.y_min, y);
            ink.y_max = MAX (ink.y_max, y);
          }
      }

  return ink;
}

static gboolean
host_is_registered (Fixture *f)
{
  g_autoptr(GVariant) value = get_property (f, WATCHER_NAME, "/StatusNotifierWatcher",
                                            WATCHER_NAME, "IsStatusNotifierHostRegistered");

  return g_variant_get_boolean (value);
}

static BarInk last_ink;

static gboolean
bar_shows_icon (Fixture *f)
{
  g_autofree char *path = screenshot ("tray-host.png");

  last_ink = bar_ink (path);
  if (last_ink.n_ink > 100)
    return TRUE;

  run_for (f, 250);
  return FALSE;
}

static void
xdotool (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_ptr_array_add (argv, (char *) "xdotool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Starts the bar and waits until it draws our icon; clicks on it with
 * @button. */
static void
start_host_and_click_icon (Fixture    *f,
                           const char *button)
{
  g_autofree char *size = g_strdup_printf ("%d", BAR_HEIGHT);
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;

  /* In a build tree the icon is not installed: point the host at ours. */
  tokens_tray_set_icon_theme_path (f->tray, TOKENS_SOURCE_ICONS_DIR);
  g_assert_true (wait_until (f, tray_is_registered, TIMEOUT_MS));

  f->host = spawn ((const char *[]) { "gtk-sni-tray-standalone", "--top", "--beginning",
                                      "--size", size, "--color", "#f6f5f4", NULL });
  g_assert_true (wait_until (f, host_is_registered, TIMEOUT_MS));
  g_assert_true (wait_until (f, bar_shows_icon, TIMEOUT_MS));
  g_test_message ("icon drawn at x %d-%d, y %d-%d (%d pixels of its colour)",
                  last_ink.x_min, last_ink.x_max, last_ink.y_min, last_ink.y_max, last_ink.n_ink);

  x = g_strdup_printf ("%d", (last_ink.x_min + last_ink.x_max) / 2);
  y = g_strdup_printf ("%d", (last_ink.y_min + last_ink.y_max) / 2);
  xdotool ((const char *[]) { "mousemove", x, y, "click", button, NULL });
}

static void
test_host_draws_the_icon_and_a_click_activates (Fixture       *f,
                                                gconstpointer  data)
{
  /* A left click on the icon: the host calls Activate. */
  start_host_and_click_icon (f, "1");
  g_assert_true (wait_until (f, was_activated, TIMEOUT_MS));
  g_assert_null (f->activated);
}

static gboolean
an_action_was_activated (Fixture *f)
{
  return f->activated != NULL;
}

static void
test_host_menu_activates_the_first_item (Fixture       *f,
                                         gconstpointer  data)
{
  g_autofree char *shot = NULL;

  /* A right click: the host reads our menu with libdbusmenu (the
   * reference client) and pops it up; Down and Return pick its first
   * item, and libdbusmenu sends us the click. */
  start_host_and_click_icon (f, "3");
  run_for (f, 1000);
  shot = screenshot ("tray-menu.png");
  xdotool ((const char *[]) { "key", "--delay", "200", "Down", "Return", NULL });

  g_assert_true (wait_until (f, an_action_was_activated, TIMEOUT_MS));
  g_assert_cmpstr (f->activated, ==, "copy-api-token");
  assert_target (f, "'ana'");
  g_assert_cmpuint (f->n_activate, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, with_watcher) \
  g_test_add ("/tray/" path, Fixture, GINT_TO_POINTER (with_watcher), fixture_set_up, func, fixture_tear_down)

  ADD ("item-is-registered-with-the-watcher", test_item_is_registered_with_the_watcher, TRUE);
  ADD ("item-properties-read-over-dbus", test_item_properties_read_over_dbus, TRUE);
  ADD ("menu-layout-has-items-separators-and-submenus", test_menu_layout_has_items_separators_and_submenus, TRUE);
  ADD ("menu-click-activates-the-action-with-its-target", test_menu_click_activates_the_action_with_its_target, TRUE);
  ADD ("menu-click-on-a-disabled-item-does-nothing", test_menu_click_on_a_disabled_item_does_nothing, TRUE);
  ADD ("menu-change-emits-layout-updated", test_menu_change_emits_layout_updated, TRUE);
  ADD ("item-is-registered-again-when-the-watcher-restarts", test_item_is_registered_again_when_the_watcher_restarts, TRUE);
  ADD ("no-watcher-is-harmless", test_no_watcher_is_harmless, FALSE);
  ADD ("hidden-item-is-passive", test_hidden_item_is_passive, TRUE);
  ADD ("activate-asks-the-app-to-present-itself", test_activate_asks_the_app_to_present_itself, TRUE);
  ADD ("host-draws-the-icon-and-a-click-activates", test_host_draws_the_icon_and_a_click_activates, TRUE);
  ADD ("host-menu-activates-the-first-item", test_host_menu_activates_the_first_item, TRUE);

#undef ADD

  return g_test_run ();
}
