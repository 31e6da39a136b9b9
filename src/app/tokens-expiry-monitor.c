/* tokens-expiry-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Warns before the active account's access tokens expire, and before the
 * old token of a renewal does: one desktop notification per token and
 * deadline, `expiry-warning-days` before it, and one when it has
 * expired. What was sent is kept in the `expiry-notified` setting
 * ("account-id/token-id/expires-at", "…/expired"), so a restart does not
 * warn again, and a renewed token (a new expires-at) is warned about
 * anew; entries of tokens that are gone are pruned.
 *
 * The tokens are the session's list (tokens_session_get_tokens()): the
 * monitor observes it, as the page and the tray do; the session alone
 * changes it.
 *
 * No polling: after each look at the tokens the monitor computes the
 * next moment something changes (a token crosses its warning threshold
 * or expires) and sleeps until then with one timeout. It looks again
 * when the list or the setting changes. The timeout is clamped to a
 * day, because GLib's timeouts run on the monotonic clock, which stands
 * still while the computer sleeps.
 *
 * The tokens a person keeps from any service (TokensKeptList, the app's)
 * are watched the same way, with or without an account: their expiry
 * is a day (tokens-kept-expiry.c), their entries "kept/id/expires-on"
 * (and "…/expired"), and an expired one stays due, in the banner and
 * `kept-due`, until the person removes it. More than a few new warnings
 * of kept tokens at once are one notification that counts them.
 *
 * "No expiry" (no expires-at) never warns. With nobody on the bus to
 * show notifications, none is sent (GLib would only warn) nor counted as
 * sent: the banner still says it, and the notification follows when a
 * notification server appears.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tokens-expiry-monitor.h"
#include "tokens-kept-expiry.h"

#define MAX_SLEEP_SECONDS (24 * 60 * 60)

/* The first part of a kept token's entries in `expiry-notified`, where an
 * access token's has its account's id (a UUID, never this). */
#define KEPT_PREFIX "kept"

/* More new warnings of kept tokens than this at once are one notification. */
#define MAX_KEPT_NOTIFICATIONS 3

struct _TokensExpiryMonitor
{
  GObject            parent_instance;

  GApplication      *application;   /* weak */
  GSettings         *settings;
  TokensAccountList *accounts;
  TokensSession     *session;
  TokensTokenList   *tokens;
  GSignalGroup      *session_signals;
  guint              timeout_id;
  gint64             next_deadline; /* unix seconds, 0 for none */

  guint              n_due;
  char              *first_due;

  TokensKeptList    *kept;          /* the app's, observed */
  GListStore        *kept_due;      /* TokensKeptToken: expired first, then soonest */
  guint              kept_idle_id;

  /* Whether anyone shows notifications (else GLib warns, and a warning
   * nobody saw must not count as sent). */
  guint              fdo_watch_id;
  guint              gtk_watch_id;
  guint              fdo_owned : 1;
  guint              gtk_owned : 1;
  guint              fdo_activatable : 1;
  guint              in_flatpak : 1;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_TOKENS,
  PROP_N_DUE,
  PROP_KEPT_LIST,
  PROP_KEPT_DUE,
  PROP_N_KEPT_DUE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensExpiryMonitor, tokens_expiry_monitor, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void check (TokensExpiryMonitor *self);

static gboolean
can_notify (TokensExpiryMonitor *self)
{
  return self->in_flatpak || self->fdo_owned || self->gtk_owned || self->fdo_activatable;
}

/* Whether there is anything to look at: the session's access tokens, or
 * the kept tokens once read from the keyring. */
static gboolean
watching (TokensExpiryMonitor *self)
{
  return self->tokens != NULL ||
         (self->kept != NULL && tokens_kept_list_get_loaded (self->kept));
}

static void
notifier_changed (TokensExpiryMonitor *self)
{
  if (watching (self) && can_notify (self))
    check (self);
}

static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  TokensExpiryMonitor *self = user_data;

  if (g_str_equal (name, "org.gtk.Notifications"))
    self->gtk_owned = TRUE;
  else
    self->fdo_owned = TRUE;
  notifier_changed (self);
}

static void
name_vanished_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  TokensExpiryMonitor *self = user_data;

  if (g_str_equal (name, "org.gtk.Notifications"))
    self->gtk_owned = FALSE;
  else
    self->fdo_owned = FALSE;
}

static void
activatable_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TokensExpiryMonitor) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, NULL);
  if (reply == NULL)
    return;

  g_variant_get (reply, "(^a&s)", &names);
  self->fdo_activatable = g_strv_contains (names, "org.freedesktop.Notifications");
  notifier_changed (self);
}

static void
watch_notifiers (TokensExpiryMonitor *self)
{
  GDBusConnection *connection = g_application_get_dbus_connection (self->application);

  if (connection == NULL)
    return;

  self->fdo_watch_id = g_bus_watch_name_on_connection (connection, "org.freedesktop.Notifications",
                                                       G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                       name_appeared_cb, name_vanished_cb, self, NULL);
  self->gtk_watch_id = g_bus_watch_name_on_connection (connection, "org.gtk.Notifications",
                                                       G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                       name_appeared_cb, name_vanished_cb, self, NULL);
  g_dbus_connection_call (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "ListActivatableNames", NULL,
                          G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          activatable_cb, g_object_ref (self));
}

static gboolean
timeout_cb (gpointer user_data)
{
  TokensExpiryMonitor *self = user_data;

  self->timeout_id = 0;
  check (self);

  return G_SOURCE_REMOVE;
}

static void
schedule (TokensExpiryMonitor *self,
          gint64               deadline,
          gint64               now)
{
  gint64 seconds;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->next_deadline = deadline;
  if (deadline == 0)
    return;

  /* One second late rather than early: at the deadline itself the token
   * has crossed it. */
  seconds = CLAMP (deadline - now + 1, 1, MAX_SLEEP_SECONDS);
  self->timeout_id = g_timeout_add_seconds (seconds, timeout_cb, self);
  g_source_set_name_by_id (self->timeout_id, "[tokens] next token expiry");
  g_debug ("Expiry: next look in %" G_GINT64_FORMAT " s", seconds);
}

static void
notify (TokensExpiryMonitor *self,
        const char          *account_id,
        TokensAccessToken   *token,
        gboolean             previous,
        gboolean             expired,
        int                  days)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  const char *name = tokens_access_token_get_name (token);
  const char *body;

  if (self->application == NULL)
    return;

  if (expired && previous)
    {
      /* Translators: %s is the name of an access token. */
      title = g_strdup_printf (_("The old token of “%s” has expired"), name);
      body = _("Programs still using the old token are refused now; give them the new one.");
    }
  else if (expired)
    {
      /* Translators: %s is the name of an access token. */
      title = g_strdup_printf (_("Access token “%s” has expired"), name);
      body = _("The service refuses it now. Renew it and give the new token to the programs that use it.");
    }
  else if (previous)
    {
      if (days <= 0)
        /* Translators: %s is the name of an access token. */
        title = g_strdup_printf (_("The old token of “%s” expires today"), name);
      else
        /* Translators: %s is the name of an access token, %d a number of days. */
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "The old token of “%s” expires in %d day",
                                              "The old token of “%s” expires in %d days", days),
                                 name, days);
      body = _("Programs still using the old token stop working then; give them the new one.");
    }
  else
    {
      if (days <= 0)
        /* Translators: %s is the name of an access token. */
        title = g_strdup_printf (_("Access token “%s” expires today"), name);
      else
        /* Translators: %s is the name of an access token, %d a number of days. */
        title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Access token “%s” expires in %d day",
                                              "Access token “%s” expires in %d days", days),
                                 name, days);
      body = _("Renew it before the programs that use it stop working.");
    }

  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, expired ? G_NOTIFICATION_PRIORITY_HIGH
                                                     : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.show-token", "(ss)",
                                                account_id, tokens_access_token_get_id (token));

  /* One notification per token (and its old one): a newer one replaces it. */
  id = g_strdup_printf ("expiry/%s/%s%s", account_id, tokens_access_token_get_id (token),
                        previous ? "/previous" : "");
  g_application_send_notification (self->application, id, notification);
}

/* One notification per kept token: a newer one replaces it. */
static char *
kept_notification_id (const char *id)
{
  return g_strconcat ("expiry/" KEPT_PREFIX "/", id, NULL);
}

/* A kept token's: "GitHub token “deploy-ci” expires in 2 days", where it
 * is used; a click shows it among the kept tokens. */
static void
notify_kept (TokensExpiryMonitor *self,
             const TokensKept    *kept,
             TokensKeptDue        due,
             gint64               days_left)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;
  g_autofree char *id = NULL;

  if (self->application == NULL)
    return;

  title = tokens_kept_expiry_dup_title (kept, due, days_left);
  body = tokens_kept_expiry_dup_body (kept, due);
  notification = g_notification_new (title);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, due == TOKENS_KEPT_DUE_EXPIRED ? G_NOTIFICATION_PRIORITY_HIGH
                                                                            : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.show-kept", "s", kept->id);

  id = kept_notification_id (kept->id);
  g_application_send_notification (self->application, id, notification);
}

static gboolean
list_is_complete (TokensExpiryMonitor *self)
{
  return self->tokens != NULL &&
         !tokens_token_list_get_loading (self->tokens) &&
         !tokens_token_list_get_has_more (self->tokens) &&
         tokens_token_list_get_error (self->tokens) == NULL;
}

/* Keeps the entries of tokens that are still there; what cannot be seen
 * now (another account's, a list still loading) is kept too. */
static gboolean
keep_entry (TokensExpiryMonitor *self,
            const char          *entry,
            const char          *account_id,
            GHashTable          *present)
{
  g_auto(GStrv) parts = g_strsplit (entry, "/", 3);
  g_autofree char *pair = NULL;

  if (g_strv_length (parts) < 3)
    return FALSE;

  /* A kept token's: kept while the token is kept with that expiry day, or
   * while the list is unread. An expiry moved (an edit) drops the entries
   * of the old day: moved back, the token is warned about again, and
   * entries do not pile up with each edit. */
  if (g_str_equal (parts[0], KEPT_PREFIX))
    {
      g_autofree char *id = g_uri_unescape_string (parts[1], NULL);
      TokensKeptToken *token;
      const char *expires_on;

      if (self->kept == NULL || !tokens_kept_list_get_loaded (self->kept))
        return TRUE;
      token = tokens_kept_list_find_by_id (self->kept, id);
      expires_on = token ? tokens_kept_token_get_details (token)->expires_on : NULL;
      return expires_on != NULL &&
             g_str_has_prefix (parts[2], expires_on) &&
             (parts[2][strlen (expires_on)] == '\0' || parts[2][strlen (expires_on)] == '/');
    }

  if (tokens_account_list_find_by_id (self->accounts, parts[0]) == NULL)
    return FALSE;

  if (account_id == NULL || !g_str_equal (parts[0], account_id) || !list_is_complete (self))
    return TRUE;

  pair = g_strdup_printf ("%s/%s", parts[0], parts[1]);
  return g_hash_table_contains (present, pair);
}

typedef struct
{
  TokensExpiryMonitor *self;
  const char          *account_id;
  GHashTable          *sent;      /* entry → itself, owned */
  gboolean             changed;
  gint64               now;
  gint64               warn_span;
  gint64               next;
  guint                n_due;
  const char          *first_due;
} Look;

static void
look_at (Look              *look,
         TokensAccessToken *token,
         GDateTime         *expires_at,
         gboolean           previous)
{
  g_autofree char *key = NULL;
  g_autofree char *expired_key = NULL;
  gint64 expires, threshold;

  if (expires_at == NULL)
    return;

  expires = g_date_time_to_unix (expires_at);
  threshold = expires - look->warn_span;
  key = g_strdup_printf ("%s/%s/%" G_GINT64_FORMAT, look->account_id,
                         tokens_access_token_get_id (token), expires);

  if (look->now >= expires)
    {
      /* The old token of a renewal is gone once expired: nothing to do. */
      if (!previous)
        {
          look->n_due++;
          if (look->first_due == NULL)
            look->first_due = tokens_access_token_get_id (token);
        }

      expired_key = g_strconcat (key, "/expired", NULL);
      if (can_notify (look->self) && !g_hash_table_contains (look->sent, expired_key))
        {
          notify (look->self, look->account_id, token, previous, TRUE, 0);
          g_hash_table_add (look->sent, g_steal_pointer (&expired_key));
          /* An expired token is not warned about as expiring afterwards. */
          g_hash_table_add (look->sent, g_steal_pointer (&key));
          look->changed = TRUE;
        }
      return;
    }

  if (look->now >= threshold)
    {
      look->n_due++;
      if (look->first_due == NULL)
        look->first_due = tokens_access_token_get_id (token);

      if (can_notify (look->self) && !g_hash_table_contains (look->sent, key))
        {
          int days = (int) ((expires - look->now) / (24 * 60 * 60));

          notify (look->self, look->account_id, token, previous, FALSE, days);
          g_hash_table_add (look->sent, g_steal_pointer (&key));
          look->changed = TRUE;
        }
      look->next = look->next == 0 ? expires : MIN (look->next, expires);
      return;
    }

  look->next = look->next == 0 ? threshold : MIN (look->next, threshold);
}

typedef struct
{
  TokensKeptToken *token;
  gint64           days_left;
  TokensKeptDue    state;
} Due;

/* A kept token that is due: listed in @due, and in @news too when it
 * has not been warned about yet (the warning is counted as sent). */
static void
look_at_kept (Look            *look,
              TokensKeptToken *token,
              GDateTime       *now,
              guint            warning_days,
              GArray          *due,
              GArray          *news)
{
  const TokensKept *kept = tokens_kept_token_get_details (token);
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  gint64 days_left, next;
  TokensKeptDue state;

  state = tokens_kept_expiry_check (kept, now, warning_days, &days_left, &next);
  if (next != 0)
    look->next = look->next == 0 ? next : MIN (look->next, next);
  if (state == TOKENS_KEPT_DUE_NONE)
    return;

  g_array_append_val (due, ((Due) { token, days_left, state }));
  if (!can_notify (look->self))
    return;

  /* The id is the keyring's, which any program can write: escaped, so
   * that a "/" in it does not split the entry elsewhere (keep_entry()),
   * losing it and warning again at each look and each start. */
  id = g_uri_escape_string (kept->id, NULL, FALSE);
  key = g_strdup_printf (KEPT_PREFIX "/%s/%s", id, kept->expires_on);
  if (state == TOKENS_KEPT_DUE_EXPIRED)
    {
      g_autofree char *expired_key = g_strconcat (key, "/expired", NULL);

      if (g_hash_table_contains (look->sent, expired_key))
        return;
      g_hash_table_add (look->sent, g_steal_pointer (&expired_key));
      /* An expired token is not warned about as expiring afterwards. */
      g_hash_table_add (look->sent, g_steal_pointer (&key));
    }
  else if (!g_hash_table_contains (look->sent, key))
    g_hash_table_add (look->sent, g_steal_pointer (&key));
  else
    return;

  g_array_append_val (news, ((Due) { token, days_left, state }));
  look->changed = TRUE;
}

/* The warnings of one look: one notification a token, or, beyond a few
 * at once (the first start with many kept tokens, the warning days made
 * longer, a notification server that appears at last), one that counts
 * them, so that the desktop is not flooded. */
static void
notify_kept_news (TokensExpiryMonitor *self,
                  GArray              *news)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  gboolean expired = FALSE;

  if (news->len <= MAX_KEPT_NOTIFICATIONS)
    {
      for (guint i = 0; i < news->len; i++)
        {
          const Due *due = &g_array_index (news, Due, i);

          notify_kept (self, tokens_kept_token_get_details (due->token), due->state, due->days_left);
        }
      return;
    }

  if (self->application == NULL)
    return;

  for (guint i = 0; i < news->len; i++)
    expired |= g_array_index (news, Due, i).state == TOKENS_KEPT_DUE_EXPIRED;

  /* Translators: a notification's title, for many kept tokens of other
   * services at once (always more than 3). */
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u kept token needs replacing",
                                        "%u kept tokens need replacing", news->len),
                           news->len);
  notification = g_notification_new (title);
  g_notification_set_body (notification,
                           _("They expire soon or have expired. Make new tokens at their services and "
                             "replace the ones kept in Tokens."));
  g_notification_set_priority (notification, expired ? G_NOTIFICATION_PRIORITY_HIGH
                                                     : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (notification, "app.show-kept", "s", "");
  g_application_send_notification (self->application, "expiry/" KEPT_PREFIX, notification);
}

/* Expired first, the longest ago first; then the soonest to expire. */
static int
compare_due (gconstpointer a,
             gconstpointer b)
{
  gint64 x = ((const Due *) a)->days_left;
  gint64 y = ((const Due *) b)->days_left;

  return x < y ? -1 : x > y;
}

/* The kept tokens that are due, as `kept-due` lists them. A token that
 * was due and no longer is (removed, its expiry moved, its secret
 * replaced) has its warning taken back: a notification still on screen
 * would say what is no longer true, and its action would show a token
 * that is gone. Only from a list read from the keyring: an unread list
 * (locked keyring, shutdown) says nothing about the tokens. */
static void
update_kept_due (TokensExpiryMonitor *self,
                 GArray              *due,
                 gboolean             withdraw)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new ();
  g_autoptr(GHashTable) due_ids = g_hash_table_new (g_str_hash, g_str_equal);
  guint before = g_list_model_get_n_items (G_LIST_MODEL (self->kept_due));

  g_array_sort (due, compare_due);
  for (guint i = 0; i < due->len; i++)
    {
      TokensKeptToken *token = g_array_index (due, Due, i).token;

      g_ptr_array_add (tokens, token);
      g_hash_table_add (due_ids, (gpointer) tokens_kept_token_get_id (token));
    }

  for (guint i = 0; withdraw && self->application != NULL && i < before; i++)
    {
      g_autoptr(TokensKeptToken) token = g_list_model_get_item (G_LIST_MODEL (self->kept_due), i);
      g_autofree char *id = NULL;

      if (g_hash_table_contains (due_ids, tokens_kept_token_get_id (token)))
        continue;
      id = kept_notification_id (tokens_kept_token_get_id (token));
      g_application_withdraw_notification (self->application, id);
    }
  /* The one that counted many, once none is due. */
  if (withdraw && self->application != NULL && before > 0 && tokens->len == 0)
    g_application_withdraw_notification (self->application, "expiry/" KEPT_PREFIX);

  /* Spliced even when the same: the days left in what is shown change. */
  g_list_store_splice (self->kept_due, 0, before, tokens->pdata, tokens->len);
  if (before != tokens->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_KEPT_DUE]);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
check (TokensExpiryMonitor *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) entries = g_settings_get_strv (self->settings, "expiry-notified");
  TokensAccount *account = self->session ? tokens_session_get_account (self->session) : NULL;
  Look look = { 0 };
  GListModel *model = G_LIST_MODEL (self->tokens);
  guint n = self->tokens ? g_list_model_get_n_items (model) : 0;
  guint days = g_settings_get_uint (self->settings, "expiry-warning-days");

  look.self = self;
  look.account_id = account ? tokens_account_get_id (account) : NULL;
  look.sent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  look.now = g_date_time_to_unix (now);
  look.warn_span = (gint64) days * 24 * 60 * 60;

  for (guint i = 0; look.account_id != NULL && i < n; i++)
    {
      g_autoptr(TokensAccessToken) token = g_list_model_get_item (model, i);

      g_hash_table_add (present, g_strdup_printf ("%s/%s", look.account_id,
                                                  tokens_access_token_get_id (token)));
    }

  for (guint i = 0; entries[i] != NULL; i++)
    {
      if (keep_entry (self, entries[i], look.account_id, present))
        g_hash_table_add (look.sent, g_strdup (entries[i]));
      else
        look.changed = TRUE;
    }

  for (guint i = 0; look.account_id != NULL && i < n; i++)
    {
      g_autoptr(TokensAccessToken) token = g_list_model_get_item (model, i);

      look_at (&look, token, tokens_access_token_get_expires_at (token), FALSE);
      if (tokens_access_token_get_has_previous (token))
        look_at (&look, token, tokens_access_token_get_previous_expires_at (token), TRUE);
    }

  {
    GListModel *kept = G_LIST_MODEL (self->kept);
    guint n_kept = kept && tokens_kept_list_get_loaded (self->kept) ? g_list_model_get_n_items (kept) : 0;
    g_autoptr(GArray) due = g_array_new (FALSE, FALSE, sizeof (Due));
    g_autoptr(GArray) news = g_array_new (FALSE, FALSE, sizeof (Due));

    /* The tokens stay referenced by the list until the store has them. */
    for (guint i = 0; i < n_kept; i++)
      {
        g_autoptr(TokensKeptToken) token = g_list_model_get_item (kept, i);

        look_at_kept (&look, token, now, days, due, news);
      }
    g_array_sort (news, compare_due);
    notify_kept_news (self, news);
    update_kept_due (self, due, self->kept != NULL && tokens_kept_list_get_loaded (self->kept));
  }

  if (look.changed)
    {
      g_autoptr(GPtrArray) strv = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, look.sent);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_ptr_array_add (strv, key);
      g_ptr_array_sort (strv, compare_strings);
      g_ptr_array_add (strv, NULL);
      g_settings_set_strv (self->settings, "expiry-notified", (const char * const *) strv->pdata);
    }

  g_free (self->first_due);
  self->first_due = g_strdup (look.first_due);
  if (self->n_due != look.n_due)
    {
      self->n_due = look.n_due;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DUE]);
    }

  g_hash_table_unref (look.sent);
  schedule (self, look.next, look.now);
}

static void
items_changed_cb (TokensExpiryMonitor *self)
{
  /* A page at a time while loading: look once it is all there. */
  if (self->tokens != NULL && !tokens_token_list_get_loading (self->tokens))
    check (self);
}

static void
drop_tokens (TokensExpiryMonitor *self)
{
  if (self->tokens != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->tokens, self);
      g_clear_object (&self->tokens);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKENS]);
    }
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->next_deadline = 0;
  g_clear_pointer (&self->first_due, g_free);
  if (self->n_due != 0)
    {
      self->n_due = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DUE]);
    }
}

/* The session has a new list (ready, reloaded) or none (signed out). */
static void
tokens_changed_cb (TokensExpiryMonitor *self)
{
  TokensTokenList *tokens = self->session ? tokens_session_get_tokens (self->session) : NULL;

  if (tokens == self->tokens)
    return;

  drop_tokens (self);
  if (tokens == NULL)
    {
      /* Signed out, or no account at all: the kept tokens are still watched. */
      if (watching (self))
        check (self);
      return;
    }

  self->tokens = g_object_ref (tokens);
  g_signal_connect_object (tokens, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  /* What did load is worth a look once loading stops, even on an error;
   * pruning waits for a full list. */
  g_signal_connect_object (tokens, "notify::loading", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKENS]);
  items_changed_cb (self);
}

/**
 * tokens_expiry_monitor_reload:
 *
 * Has the session list its access tokens again, and looks at them: for
 * after a change made elsewhere.
 */
void
tokens_expiry_monitor_reload (TokensExpiryMonitor *self)
{
  g_return_if_fail (TOKENS_IS_EXPIRY_MONITOR (self));

  if (self->session != NULL)
    tokens_session_reload_tokens (self->session);
}

static void
warning_days_changed_cb (TokensExpiryMonitor *self)
{
  if (watching (self))
    check (self);
}

static gboolean
kept_changed_idle_cb (gpointer user_data)
{
  TokensExpiryMonitor *self = user_data;

  self->kept_idle_id = 0;
  if (watching (self))
    check (self);

  return G_SOURCE_REMOVE;
}

/* The kept tokens changed (kept, edited, removed) or were read at last.
 * Looked at once the list is still again: an edit is a removal and an
 * insertion, and between the two the token is not gone (its warning
 * must not be taken back). */
static void
kept_changed_cb (TokensExpiryMonitor *self)
{
  if (self->kept_idle_id == 0)
    {
      self->kept_idle_id = g_idle_add (kept_changed_idle_cb, self);
      g_source_set_name_by_id (self->kept_idle_id, "[tokens] look at the kept tokens");
    }
}

TokensExpiryMonitor *
tokens_expiry_monitor_new (GApplication      *application,
                           GSettings         *settings,
                           TokensAccountList *accounts)
{
  TokensExpiryMonitor *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (TOKENS_IS_ACCOUNT_LIST (accounts), NULL);

  self = g_object_new (TOKENS_TYPE_EXPIRY_MONITOR, NULL);
  self->application = application;
  g_object_add_weak_pointer (G_OBJECT (application), (gpointer *) &self->application);
  self->settings = g_object_ref (settings);
  self->accounts = g_object_ref (accounts);

  g_signal_connect_object (settings, "changed::expiry-warning-days",
                           G_CALLBACK (warning_days_changed_cb), self, G_CONNECT_SWAPPED);
  watch_notifiers (self);

  return self;
}

TokensSession *
tokens_expiry_monitor_get_session (TokensExpiryMonitor *self)
{
  g_return_val_if_fail (TOKENS_IS_EXPIRY_MONITOR (self), NULL);

  return self->session;
}

/**
 * tokens_expiry_monitor_set_session:
 * @session: (nullable): the active account's session
 *
 * Watches @session's access tokens (its list, once it is ready).
 */
void
tokens_expiry_monitor_set_session (TokensExpiryMonitor *self,
                                   TokensSession       *session)
{
  g_return_if_fail (TOKENS_IS_EXPIRY_MONITOR (self));
  g_return_if_fail (session == NULL || TOKENS_IS_SESSION (session));

  if (self->session == session)
    return;

  drop_tokens (self);
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  tokens_changed_cb (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

/**
 * tokens_expiry_monitor_set_kept_list:
 * @kept: (nullable): the app's kept tokens
 *
 * Watches the tokens a person keeps from any service, once the list has
 * been read from the keyring. The monitor only observes the list.
 */
void
tokens_expiry_monitor_set_kept_list (TokensExpiryMonitor *self,
                                     TokensKeptList      *kept)
{
  g_return_if_fail (TOKENS_IS_EXPIRY_MONITOR (self));
  g_return_if_fail (kept == NULL || TOKENS_IS_KEPT_LIST (kept));

  if (self->kept == kept)
    return;

  if (self->kept != NULL)
    g_signal_handlers_disconnect_by_data (self->kept, self);
  g_clear_handle_id (&self->kept_idle_id, g_source_remove);
  g_set_object (&self->kept, kept);
  if (kept != NULL)
    {
      g_signal_connect_object (kept, "items-changed", G_CALLBACK (kept_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (kept, "notify::loaded", G_CALLBACK (kept_changed_cb), self, G_CONNECT_SWAPPED);
    }

  check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEPT_LIST]);
}

/**
 * tokens_expiry_monitor_get_kept_due:
 *
 * Returns: (transfer none): the kept tokens that expire within the
 *   warning days or have expired (TokensKeptToken), expired first, then
 *   the soonest; an expired one stays until the person removes it
 */
GListModel *
tokens_expiry_monitor_get_kept_due (TokensExpiryMonitor *self)
{
  g_return_val_if_fail (TOKENS_IS_EXPIRY_MONITOR (self), NULL);

  return G_LIST_MODEL (self->kept_due);
}

/**
 * tokens_expiry_monitor_get_tokens:
 *
 * Returns: (transfer none) (nullable): the access tokens being watched
 */
TokensTokenList *
tokens_expiry_monitor_get_tokens (TokensExpiryMonitor *self)
{
  g_return_val_if_fail (TOKENS_IS_EXPIRY_MONITOR (self), NULL);

  return self->tokens;
}

/**
 * tokens_expiry_monitor_get_n_due:
 *
 * Returns: how many access tokens expire within the warning days or
 *   have expired
 */
guint
tokens_expiry_monitor_get_n_due (TokensExpiryMonitor *self)
{
  g_return_val_if_fail (TOKENS_IS_EXPIRY_MONITOR (self), 0);

  return self->n_due;
}

/**
 * tokens_expiry_monitor_get_first_due:
 *
 * Returns: (nullable): the id of one of those tokens
 */
const char *
tokens_expiry_monitor_get_first_due (TokensExpiryMonitor *self)
{
  g_return_val_if_fail (TOKENS_IS_EXPIRY_MONITOR (self), NULL);

  return self->first_due;
}

/**
 * tokens_expiry_monitor_get_next_deadline:
 *
 * Returns: when the monitor looks again next (unix seconds), or 0
 */
gint64
tokens_expiry_monitor_get_next_deadline (TokensExpiryMonitor *self)
{
  g_return_val_if_fail (TOKENS_IS_EXPIRY_MONITOR (self), 0);

  return self->next_deadline;
}

static void
tokens_expiry_monitor_dispose (GObject *object)
{
  TokensExpiryMonitor *self = (TokensExpiryMonitor *) object;

  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  drop_tokens (self);
  if (self->kept != NULL)
    g_signal_handlers_disconnect_by_data (self->kept, self);
  g_clear_object (&self->kept);
  g_clear_handle_id (&self->kept_idle_id, g_source_remove);
  g_clear_handle_id (&self->fdo_watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->gtk_watch_id, g_bus_unwatch_name);
  g_clear_object (&self->session);
  g_clear_object (&self->accounts);
  g_clear_object (&self->settings);
  g_clear_object (&self->kept_due);
  if (self->application != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->application), (gpointer *) &self->application);
  self->application = NULL;

  G_OBJECT_CLASS (tokens_expiry_monitor_parent_class)->dispose (object);
}

static void
tokens_expiry_monitor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TokensExpiryMonitor *self = TOKENS_EXPIRY_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_TOKENS:
      g_value_set_object (value, self->tokens);
      break;
    case PROP_N_DUE:
      g_value_set_uint (value, self->n_due);
      break;
    case PROP_KEPT_LIST:
      g_value_set_object (value, self->kept);
      break;
    case PROP_KEPT_DUE:
      g_value_set_object (value, self->kept_due);
      break;
    case PROP_N_KEPT_DUE:
      g_value_set_uint (value, g_list_model_get_n_items (G_LIST_MODEL (self->kept_due)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_expiry_monitor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TokensExpiryMonitor *self = TOKENS_EXPIRY_MONITOR (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tokens_expiry_monitor_set_session (self, g_value_get_object (value));
      break;
    case PROP_KEPT_LIST:
      tokens_expiry_monitor_set_kept_list (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_expiry_monitor_class_init (TokensExpiryMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tokens_expiry_monitor_dispose;
  object_class->get_property = tokens_expiry_monitor_get_property;
  object_class->set_property = tokens_expiry_monitor_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         TOKENS_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_TOKENS] =
    g_param_spec_object ("tokens", NULL, NULL,
                         TOKENS_TYPE_TOKEN_LIST,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * TokensExpiryMonitor:n-due:
   *
   * How many access tokens expire within the warning days or have
   * expired: what the window's banner says.
   */
  properties[PROP_N_DUE] =
    g_param_spec_uint ("n-due", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_KEPT_LIST] =
    g_param_spec_object ("kept-list", NULL, NULL,
                         TOKENS_TYPE_KEPT_LIST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_KEPT_DUE] =
    g_param_spec_object ("kept-due", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * TokensExpiryMonitor:n-kept-due:
   *
   * How many kept tokens expire within the warning days or have expired
   * (the length of `kept-due`).
   */
  properties[PROP_N_KEPT_DUE] =
    g_param_spec_uint ("n-kept-due", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_expiry_monitor_init (TokensExpiryMonitor *self)
{
  /* In a sandbox GLib goes through the Notification portal. */
  self->in_flatpak = g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);

  self->kept_due = g_list_store_new (TOKENS_TYPE_KEPT_TOKEN);
  self->session_signals = g_signal_group_new (TOKENS_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::tokens",
                                 G_CALLBACK (tokens_changed_cb), self, G_CONNECT_SWAPPED);
}
