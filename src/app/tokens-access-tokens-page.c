/* tokens-access-tokens-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The profile's Access Tokens page (transiyzi's "Access Tokens", vtex's
 * "Geradas"): the account's tokens in a list view that stays smooth with
 * thousands of them, a search that filters as you type, Generate Token,
 * and each token's actions — copy (from the keyring), edit, renew, delete
 * the old token, undo a renewal, revoke — as "tokens.*" actions with the
 * token's id, which the rows' menus and the keyboard reach. Each action
 * is one call on the session, which changes the service, the keyring
 * and the list this page shows (the session's `tokens`); the page only
 * observes.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-access-tokens-page.h"
#include "tokens-application.h"
#include "tokens-bench-probe.h"
#include "tokens-clipboard.h"
#include "tokens-renew-dialog.h"
#include "tokens-token-dialog.h"
#include "tokens-token-row.h"
#include "tokens-token-slots.h"
#include "tokens-util.h"

struct _TokensAccessTokensPage
{
  AdwBin               parent_instance;

  TokensSession       *session;
  GBindingGroup       *session_bindings;  /* session → tokens_signals */
  GSignalGroup        *tokens_signals;    /* the session's token list */
  GtkFilterListModel  *filtered;
  TokensTokenSlots    *slots;
  GtkSingleSelection  *selection;
  GtkCustomFilter     *filter;
  char                *query;        /* casefolded, or NULL */
  guint                search_idle;
  GCancellable        *cancellable;
  char                *pending_select;  /* a token to show once it is loaded */
  char                *selected_id;     /* the selected token's, kept as the list changes */
  gboolean             following;       /* the list is changing: selected_id stays */

  GtkSearchEntry      *search_entry;
  GtkWidget           *empty_generate_button;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkGridView         *grid_view;
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensAccessTokensPage, tokens_access_tokens_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* The list shown: the session's, followed through tokens_signals. */
static TokensTokenList *
get_tokens (TokensAccessTokensPage *self)
{
  return TOKENS_TOKEN_LIST (gtk_filter_list_model_get_model (self->filtered));
}

static void
update_stack (TokensAccessTokensPage *self)
{
  TokensTokenList *tokens = get_tokens (self);
  const char *page;
  const GError *error = tokens ? tokens_token_list_get_error (tokens) : NULL;
  guint n_all = tokens ? g_list_model_get_n_items (G_LIST_MODEL (tokens)) : 0;
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  /* A refresh (the window is back) reads a loaded list again: what it
   * shows stands meanwhile, an empty list included. */
  gboolean loading = tokens && tokens_token_list_get_loading (tokens) &&
                     !tokens_token_list_get_loaded (tokens);

  if (n_all == 0 && error != NULL)
    {
      g_autofree char *message = tokens_util_error_message (error);

      adw_status_page_set_description (self->error_page, message);
      page = "error";
    }
  else if (n_all == 0 && (loading || tokens == NULL))
    page = "loading";
  else if (n_all == 0)
    page = "empty";
  else if (n_shown == 0)
    page = "no-results";
  else
    page = "list";

  gtk_spinner_set_spinning (self->spinner, g_str_equal (page, "loading"));
  gtk_stack_set_visible_child_name (self->stack, page);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  TokensAccessTokensPage *self = user_data;

  if (self->query == NULL)
    return TRUE;

  return strstr (tokens_access_token_get_search_key (item), self->query) != NULL;
}

/* A search that extends the last one only looks again at what that one
 * found (MORE_STRICT), one that shortens it only at what it left out. */
static void
apply_search (TokensAccessTokensPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *query = text[0] ? g_utf8_casefold (text, -1) : NULL;
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_clear_handle_id (&self->search_idle, g_source_remove);

  if (g_strcmp0 (query, self->query) == 0)
    return;
  if (query != NULL && (self->query == NULL || strstr (query, self->query) != NULL))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->query != NULL && (query == NULL || strstr (self->query, query) != NULL))
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->query);
  self->query = g_steal_pointer (&query);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_stack (self);
}

static gboolean
search_idle_cb (gpointer user_data)
{
  apply_search (user_data);
  return G_SOURCE_REMOVE;
}

/* Once per frame, not once per change of the text: replacing it (select
 * all and type, paste, a screen reader setting it) is a deletion and an
 * insertion, and the list between them is every token. The idle runs
 * before the frame is drawn (GDK_PRIORITY_REDRAW is lower). */
static void
search_text_changed_cb (TokensAccessTokensPage *self)
{
  if (self->search_idle != 0)
    return;

  tokens_bench_probe_start (GTK_WIDGET (self), "filter-frame", self->stack, G_LIST_MODEL (self->filtered));
  self->search_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, search_idle_cb, self, NULL);
}

/* The list view's rows. */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  gtk_list_item_set_child (item, g_object_new (TOKENS_TYPE_TOKEN_ROW, NULL));
}

/* A row shows the token in its slot, and the next one put there. */
static void
slot_token_changed_cb (TokensTokenSlot *slot,
                       GParamSpec      *pspec,
                       TokensTokenRow  *row)
{
  tokens_token_row_set_token (row, tokens_token_slot_get_token (slot));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  TokensTokenSlot *slot = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);

  g_signal_connect_object (slot, "notify::token", G_CALLBACK (slot_token_changed_cb), row, 0);
  slot_token_changed_cb (slot, NULL, TOKENS_TOKEN_ROW (row));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GtkWidget *row = gtk_list_item_get_child (item);

  g_signal_handlers_disconnect_by_func (gtk_list_item_get_item (item), slot_token_changed_cb, row);
  tokens_token_row_set_token (TOKENS_TOKEN_ROW (row), NULL);
}

/* The selection is a position; the person selected a token. Slots keep
 * their positions as tokens come, go and are filtered: the selection
 * follows the token, or goes with it. */
static void
selection_changed_cb (TokensAccessTokensPage *self)
{
  TokensTokenSlot *slot = gtk_single_selection_get_selected_item (self->selection);
  TokensAccessToken *token = slot ? tokens_token_slot_get_token (slot) : NULL;

  if (self->following)
    return;

  g_free (self->selected_id);
  self->selected_id = token ? g_strdup (tokens_access_token_get_id (token)) : NULL;
}

static void
filtered_changing_cb (TokensAccessTokensPage *self)
{
  self->following = TRUE;
}

static void
follow_selection (TokensAccessTokensPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  guint found = GTK_INVALID_LIST_POSITION;

  for (guint i = 0; self->selected_id != NULL && i < n; i++)
    {
      g_autoptr(TokensAccessToken) token = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_str_equal (tokens_access_token_get_id (token), self->selected_id))
        {
          found = i;
          break;
        }
    }

  if (found == GTK_INVALID_LIST_POSITION)
    g_clear_pointer (&self->selected_id, g_free);
  gtk_single_selection_set_selected (self->selection, found);
}

/* Connected before and after the slots take the change. */
static void
filtered_changed_cb (TokensAccessTokensPage *self)
{
  follow_selection (self);
  self->following = FALSE;
  update_stack (self);
}

static gboolean select_now (TokensAccessTokensPage *self,
                            const char             *token_id);

static void
select_pending (TokensAccessTokensPage *self)
{
  if (self->pending_select != NULL && select_now (self, self->pending_select))
    g_clear_pointer (&self->pending_select, g_free);
}

/* Loading: the first page at once, the rest behind it. */

static void
renew_cancellable (TokensAccessTokensPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

static void
list_changed_cb (TokensAccessTokensPage *self)
{
  update_stack (self);
  select_pending (self);
}

/* The page shows the session's list: one copy of the tokens, loaded
 * once, that the tray and the expiry warnings observe too. The session's
 * `tokens` is bound to the signal group's target; binding it shows it. */
static void
tokens_bound_cb (TokensAccessTokensPage *self,
                 TokensTokenList        *tokens)
{
  tokens_bench_probe_start (GTK_WIDGET (self), "rows-frame", self->stack, G_LIST_MODEL (self->filtered));
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (tokens));
  list_changed_cb (self);
}

static void
tokens_unbound_cb (TokensAccessTokensPage *self)
{
  gtk_filter_list_model_set_model (self->filtered, NULL);
  update_stack (self);
}

static gboolean
search_wanted (gpointer    unused,
               const char *stack_page)
{
  /* Something to search: a list, or a search that matched nothing. */
  return g_strcmp0 (stack_page, "list") == 0 || g_strcmp0 (stack_page, "no-results") == 0;
}

void
tokens_access_tokens_page_set_session (TokensAccessTokensPage *self,
                                       TokensSession          *session)
{
  g_return_if_fail (TOKENS_IS_ACCESS_TOKENS_PAGE (self));

  if (self->session == session)
    return;

  /* Nothing of the previous account may land on this one. */
  renew_cancellable (self);
  g_set_object (&self->session, session);
  g_clear_pointer (&self->pending_select, g_free);
  /* A binding group leaves its target as it was when its source goes:
   * with no session, no list. */
  if (session == NULL)
    g_signal_group_set_target (self->tokens_signals, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static gboolean
select_now (TokensAccessTokensPage *self,
            const char             *token_id)
{
  guint n;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  apply_search (self);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TokensAccessToken) token = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (tokens_access_token_get_id (token), token_id) == 0)
        {
          gtk_single_selection_set_selected (self->selection, i);
          gtk_widget_activate_action (GTK_WIDGET (self->grid_view), "list.scroll-to-item", "u", i);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * tokens_access_tokens_page_select:
 *
 * Selects and shows the token, as when a notification about it is
 * clicked — now, or as soon as the list has loaded it.
 *
 * Returns: %TRUE if the page has that token already
 */
gboolean
tokens_access_tokens_page_select (TokensAccessTokensPage *self,
                                  const char             *token_id)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKENS_PAGE (self), FALSE);

  g_clear_pointer (&self->pending_select, g_free);
  if (select_now (self, token_id))
    return TRUE;

  if (get_tokens (self) == NULL || tokens_token_list_get_loading (get_tokens (self)) ||
      tokens_token_list_get_has_more (get_tokens (self)))
    self->pending_select = g_strdup (token_id);
  return FALSE;
}

/* Actions. */

/* The token an action is for: its id as the action's target, or with
 * no target (the keyboard shortcuts), the selected one. */
static TokensAccessToken *
find_token (TokensAccessTokensPage *self,
            GVariant               *param)
{
  if (param == NULL)
    {
      TokensTokenSlot *slot = gtk_single_selection_get_selected_item (self->selection);

      return slot ? tokens_token_slot_get_token (slot) : NULL;
    }

  if (get_tokens (self) == NULL)
    return NULL;

  return tokens_token_list_find_by_id (get_tokens (self), g_variant_get_string (param, NULL), NULL);
}

static GtkWindow *
parent_window (TokensAccessTokensPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);

  if (self->session == NULL || tokens_session_get_client (self->session) == NULL)
    return;

  gtk_window_present (GTK_WINDOW (tokens_token_dialog_new_generate (parent_window (self), self->session)));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  TokensAccessToken *token = find_token (self, param);

  if (token != NULL)
    gtk_window_present (GTK_WINDOW (tokens_token_dialog_new_edit (parent_window (self), self->session, token)));
}

/* Renew: the dialog asks first, then renews through the session. */
static void
renew_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  TokensAccessToken *token = find_token (self, param);

  if (token == NULL || self->session == NULL)
    return;

  gtk_window_present (GTK_WINDOW (tokens_renew_dialog_new (parent_window (self), self->session, token)));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);

  if (self->session != NULL)
    tokens_session_reload_tokens (self->session);
}

/* Copy: the secret comes from the keyring, where it was saved when shown. */

static void
copy_lookup_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(TokensAccessTokensPage) self = user_data;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  secret = tokens_session_lookup_secret_finish (TOKENS_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (secret == NULL)
    {
      g_autofree char *message = error ? tokens_util_error_message (error)
                                       : g_strdup (_("Tokens has no copy of this token: it was not saved to the keyring when it was shown. Renew it to get a new one."));
      tokens_util_toast (GTK_WIDGET (self), message);
      return;
    }

  tokens_util_toast_copied (GTK_WIDGET (self),
                            tokens_clipboard_copy_secret (tokens_application_get_clipboard (TOKENS_APPLICATION (g_application_get_default ())),
                                                          GTK_WIDGET (self), secret));
}

static void
copy_token (TokensAccessTokensPage *self,
            TokensAccessToken      *token)
{
  if (token == NULL || self->session == NULL)
    return;

  tokens_session_lookup_secret_async (self->session, TOKENS_TOKEN_KIND_ACCESS,
                                      tokens_access_token_get_id (token),
                                      self->cancellable, copy_lookup_cb, g_object_ref (self));
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);

  copy_token (self, find_token (self, param));
}

/* Revoke, delete the old token, undo a renewal: each confirmed first. */

typedef struct
{
  TokensAccessTokensPage *self;
  char                   *id;
  gboolean                undo;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->self);
  g_free (job->id);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

static Job *
job_new (TokensAccessTokensPage *self,
         TokensAccessToken      *token)
{
  Job *job = g_new0 (Job, 1);

  job->self = g_object_ref (self);
  job->id = g_strdup (tokens_access_token_get_id (token));
  return job;
}

static void
revoked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;

  if (!tokens_session_revoke_token_finish (TOKENS_SESSION (object), result, &error))
    {
      tokens_util_toast_error (GTK_WIDGET (job->self), error);
      return;
    }

  tokens_util_toast (GTK_WIDGET (job->self), _("Token revoked"));
  /* The focused row went with the token: focus goes to the list, or to
   * Generate Token when it is empty, not to wherever GTK finds next
   * (the toast's close button). */
  if (g_list_model_get_n_items (G_LIST_MODEL (job->self->filtered)) > 0)
    gtk_widget_grab_focus (GTK_WIDGET (job->self->grid_view));
  else
    gtk_widget_grab_focus (job->self->empty_generate_button);
}

static void
revoke_confirmed (GtkWidget *widget,
                  gpointer   user_data)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  Job *job = user_data;

  tokens_session_revoke_token_async (self->session, job->id, self->cancellable, revoked_cb, job);
}

static void
confirm_revoke (TokensAccessTokensPage *self,
                TokensAccessToken      *token)
{
  g_autofree char *heading = NULL;

  if (token == NULL)
    return;

  /* Translators: %s is the token's name */
  heading = g_strdup_printf (_("Revoke “%s”?"), tokens_access_token_get_name (token));
  tokens_util_confirm (GTK_WIDGET (self), heading,
                       _("The token stops working at once, for everything that uses it. This cannot be undone."),
                       _("_Revoke"), revoke_confirmed, job_new (self, token), (GDestroyNotify) job_free);
}

static void
revoke_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);

  confirm_revoke (self, find_token (self, param));
}

static void
replaced_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Job) job = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = job->undo ? tokens_session_undo_renewal_finish (TOKENS_SESSION (object), result, &error)
                 : tokens_session_delete_previous_token_finish (TOKENS_SESSION (object), result, &error);
  if (!ok)
    {
      tokens_util_toast_error (GTK_WIDGET (job->self), error);
      return;
    }

  tokens_util_toast (GTK_WIDGET (job->self),
                     job->undo ? _("Renewal undone: the old token is the current one again")
                               : _("Old token deleted"));
}

static void
delete_old_confirmed (GtkWidget *widget,
                      gpointer   user_data)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  Job *job = user_data;

  tokens_session_delete_previous_token_async (self->session, job->id, self->cancellable,
                                              replaced_cb, job);
}

static void
undo_confirmed (GtkWidget *widget,
                gpointer   user_data)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  Job *job = user_data;

  job->undo = TRUE;
  tokens_session_undo_renewal_async (self->session, job->id, self->cancellable, replaced_cb, job);
}

static void
delete_old_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  TokensAccessToken *token = find_token (self, param);

  if (token == NULL || !tokens_access_token_get_has_previous (token))
    return;

  tokens_util_confirm (widget, _("Delete Old Token?"),
                       _("Make sure the old token is no longer used by any integration. This cannot be undone."),
                       _("_Delete"), delete_old_confirmed, job_new (self, token), (GDestroyNotify) job_free);
}

static void
undo_renewal_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  TokensAccessToken *token = find_token (self, param);

  if (token == NULL || !tokens_access_token_get_has_previous (token))
    return;

  tokens_util_confirm (widget, _("Undo Renewal?"),
                       _("The new token stops working at once, and the old one is the current token again."),
                       _("_Undo"), undo_confirmed, job_new (self, token), (GDestroyNotify) job_free);
}

static void
tokens_access_tokens_page_dispose (GObject *object)
{
  TokensAccessTokensPage *self = (TokensAccessTokensPage *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->search_idle, g_source_remove);
  /* The session outlives the page: nothing of its may reach it once its
   * template is gone. */
  if (self->session_bindings != NULL)
    g_binding_group_set_source (self->session_bindings, NULL);
  if (self->tokens_signals != NULL)
    g_signal_group_set_target (self->tokens_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_ACCESS_TOKENS_PAGE);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->tokens_signals);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->pending_select, g_free);
  g_clear_pointer (&self->selected_id, g_free);

  G_OBJECT_CLASS (tokens_access_tokens_page_parent_class)->dispose (object);
}

static void
tokens_access_tokens_page_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_access_tokens_page_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tokens_access_tokens_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_access_tokens_page_class_init (TokensAccessTokensPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_access_tokens_page_dispose;
  object_class->get_property = tokens_access_tokens_page_get_property;
  object_class->set_property = tokens_access_tokens_page_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TOKENS_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-access-tokens-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, grid_view);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, empty_generate_button);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, filtered);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, slots);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, filter);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, selection);
  gtk_widget_class_bind_template_callback (widget_class, search_wanted);

  gtk_widget_class_install_action (widget_class, "tokens.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "tokens.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "tokens.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "tokens.copy-selected", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "tokens.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "tokens.renew", "s", renew_action);
  gtk_widget_class_install_action (widget_class, "tokens.delete-old", "s", delete_old_action);
  gtk_widget_class_install_action (widget_class, "tokens.undo-renewal", "s", undo_renewal_action);
  gtk_widget_class_install_action (widget_class, "tokens.revoke", "s", revoke_action);
  gtk_widget_class_install_action (widget_class, "tokens.revoke-selected", NULL, revoke_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "tokens.generate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "tokens.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "tokens.copy-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "tokens.revoke-selected", NULL);
}

/* A refresh updates tokens in place, with no items-changed when none
 * moved: a token renamed elsewhere is looked at again by the search. */
static void
loading_changed_cb (TokensAccessTokensPage *self)
{
  TokensTokenList *tokens = get_tokens (self);

  if (self->query != NULL && tokens != NULL && !tokens_token_list_get_loading (tokens))
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
tokens_access_tokens_page_init (TokensAccessTokensPage *self)
{
  GtkListItemFactory *factory;

  g_type_ensure (TOKENS_TYPE_TOKEN_ROW);
  g_type_ensure (TOKENS_TYPE_TOKEN_SLOTS);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  gtk_custom_filter_set_filter_func (self->filter, filter_func, self, NULL);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_grid_view_set_factory (self->grid_view, factory);
  g_object_unref (factory);

  /* Filtering thousands of names takes well under a frame: no need to
   * wait for a pause in the typing (the entry's search-changed does). */
  g_signal_connect_object (self->search_entry, "changed", G_CALLBACK (search_text_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (filtered_changing_cb), self, G_CONNECT_SWAPPED);
  tokens_token_slots_set_model (self->slots, G_LIST_MODEL (self->filtered));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (filtered_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  tokens_util_hide_inactive_pages (GTK_WIDGET (self->stack));

  /* Follow whatever session is current, and its list (Text Editor's
   * editor-window.c follows its page the same way). */
  self->tokens_signals = g_signal_group_new (TOKENS_TYPE_TOKEN_LIST);
  g_signal_group_connect_object (self->tokens_signals, "items-changed",
                                 G_CALLBACK (list_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->tokens_signals, "notify::loading",
                                 G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->tokens_signals, "notify::loading",
                                 G_CALLBACK (loading_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tokens_signals, "bind", G_CALLBACK (tokens_bound_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->tokens_signals, "unbind", G_CALLBACK (tokens_unbound_cb), self, G_CONNECT_SWAPPED);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "tokens", self->tokens_signals, "target", G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "session", self->session_bindings, "source", G_BINDING_SYNC_CREATE);
  update_stack (self);
}
