/* tokens-access-tokens-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The profile's Access Tokens page (transiyzi's "Access Tokens", vtex's
 * "Geradas"): the account's tokens in a list view that stays smooth with
 * thousands of them, a search that filters as you type, Generate Token,
 * and each token's actions — copy (from the keyring), edit, renew, delete
 * the old token, undo a renewal, revoke — as "tokens.*" actions with the
 * token's id, which the rows' menus and the keyboard reach.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-access-tokens-page.h"
#include "tokens-application.h"
#include "tokens-bench-probe.h"
#include "tokens-clipboard.h"
#include "tokens-expiry-monitor.h"
#include "tokens-token-dialog.h"
#include "tokens-token-row.h"
#include "tokens-util.h"

struct _TokensAccessTokensPage
{
  AdwBin               parent_instance;

  TokensSession       *session;
  TokensTokenList     *tokens;
  GtkFilterListModel  *filtered;
  GtkSingleSelection  *selection;
  GtkCustomFilter     *filter;
  char                *query;        /* casefolded, or NULL */
  GCancellable        *cancellable;
  char                *pending_select;  /* a token to show once it is loaded */

  GtkSearchEntry      *search_entry;
  GtkWidget           *generate_button;
  GtkStack            *stack;
  GtkSpinner          *spinner;
  AdwStatusPage       *error_page;
  GtkGridView         *grid_view;
};

G_DEFINE_FINAL_TYPE (TokensAccessTokensPage, tokens_access_tokens_page, ADW_TYPE_BIN)

static void
update_stack (TokensAccessTokensPage *self)
{
  const char *page;
  const GError *error = self->tokens ? tokens_token_list_get_error (self->tokens) : NULL;
  guint n_all = self->tokens ? g_list_model_get_n_items (G_LIST_MODEL (self->tokens)) : 0;
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  gboolean loading = self->tokens && tokens_token_list_get_loading (self->tokens);

  if (n_all == 0 && error != NULL)
    {
      g_autofree char *message = tokens_util_error_message (error);

      adw_status_page_set_description (self->error_page, message);
      page = "error";
    }
  else if (n_all == 0 && (loading || self->tokens == NULL))
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

static void
search_changed_cb (TokensAccessTokensPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *query = text[0] ? g_utf8_casefold (text, -1) : NULL;
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (self->query != NULL && query != NULL && strstr (query, self->query) != NULL)
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->query != NULL && query != NULL && strstr (self->query, query) != NULL)
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  tokens_bench_probe_start (GTK_WIDGET (self), "filter-frame", self->stack, G_LIST_MODEL (self->filtered));
  g_free (self->query);
  self->query = g_steal_pointer (&query);
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  update_stack (self);
}

/* The list view's rows. */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  gtk_list_item_set_child (item, g_object_new (TOKENS_TYPE_TOKEN_ROW, NULL));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  tokens_token_row_set_token (TOKENS_TOKEN_ROW (gtk_list_item_get_child (item)),
                              gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  tokens_token_row_set_token (TOKENS_TOKEN_ROW (gtk_list_item_get_child (item)), NULL);
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

static TokensExpiryMonitor *
monitor (void)
{
  return tokens_application_get_expiry_monitor (TOKENS_APPLICATION (g_application_get_default ()));
}

static void
list_changed_cb (TokensAccessTokensPage *self)
{
  update_stack (self);
  select_pending (self);
}

/* The page shows the list the expiry monitor keeps for the active
 * session: one copy of the tokens, loaded once, and the warnings follow
 * every change made here without listing everything again. */
static void
attach_list (TokensAccessTokensPage *self)
{
  TokensTokenList *tokens = monitor () ? tokens_expiry_monitor_get_tokens (monitor ()) : NULL;

  if (self->session == NULL || tokens_session_get_state (self->session) != TOKENS_SESSION_STATE_READY)
    tokens = NULL;

  if (tokens == self->tokens)
    return;

  if (self->tokens != NULL)
    g_signal_handlers_disconnect_by_data (self->tokens, self);
  g_set_object (&self->tokens, tokens);

  if (tokens != NULL)
    {
      tokens_bench_probe_start (GTK_WIDGET (self), "rows-frame", self->stack, G_LIST_MODEL (self->filtered));
      g_signal_connect_object (tokens, "items-changed", G_CALLBACK (list_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (tokens, "notify::loading", G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
    }

  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (tokens));
  list_changed_cb (self);
}

static void
session_state_cb (TokensAccessTokensPage *self)
{
  attach_list (self);
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
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, session_state_cb, self);
  g_set_object (&self->session, session);
  g_clear_pointer (&self->pending_select, g_free);

  if (session != NULL)
    g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb), self, G_CONNECT_SWAPPED);

  attach_list (self);
}

GListModel *
tokens_access_tokens_page_get_tokens (TokensAccessTokensPage *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKENS_PAGE (self), NULL);

  return self->tokens ? G_LIST_MODEL (self->tokens) : NULL;
}

static gboolean
select_now (TokensAccessTokensPage *self,
            const char             *token_id)
{
  guint n;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
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

  if (self->tokens == NULL || tokens_token_list_get_loading (self->tokens) ||
      tokens_token_list_get_has_more (self->tokens))
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
    return gtk_single_selection_get_selected_item (self->selection);

  if (self->tokens == NULL)
    return NULL;

  return tokens_token_list_find_by_id (self->tokens, g_variant_get_string (param, NULL), NULL);
}

/* The tray's menu and the expiry warnings follow what changed here. */
static void
tell_others (void)
{
  /* The expiry warnings share the list, and see the change themselves. */
  tokens_application_store_changed (TOKENS_APPLICATION (g_application_get_default ()));
}

static void
token_changed_cb (TokensAccessTokensPage *self,
                  TokensAccessToken      *token)
{
  if (self->tokens == NULL)
    return;

  if (!tokens_token_list_replace (self->tokens, token))
    tokens_token_list_add (self->tokens, token);
  update_stack (self);
  tell_others ();
}

static void
present_dialog (TokensAccessTokensPage *self,
                TokensTokenDialog      *dialog)
{
  g_signal_connect_object (dialog, "token-changed", G_CALLBACK (token_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
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

  present_dialog (self, tokens_token_dialog_new_generate (parent_window (self), self->session));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  TokensAccessToken *token = find_token (self, param);

  if (token != NULL)
    present_dialog (self, tokens_token_dialog_new_edit (parent_window (self), self->session, token));
}

static void
renew_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  TokensAccessToken *token = find_token (self, param);

  if (token != NULL)
    present_dialog (self, tokens_token_dialog_new_renew (parent_window (self), self->session, token));
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
  if (monitor () != NULL)
    tokens_expiry_monitor_reload (monitor ());
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

  secret = tokens_store_lookup_finish (TOKENS_STORE (object), result, &error);
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
  if (token == NULL)
    return;

  tokens_store_lookup_async (tokens_session_get_store (self->session),
                             tokens_session_get_account (self->session),
                             TOKENS_TOKEN_KIND_ACCESS, tokens_access_token_get_id (token),
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
  TokensAccessTokensPage *self = job->self;

  if (!tokens_client_revoke_token_finish (TOKENS_CLIENT (object), result, &error))
    {
      tokens_util_toast_error (GTK_WIDGET (self), error);
      return;
    }

  if (self->tokens != NULL)
    tokens_token_list_remove_by_id (self->tokens, job->id);
  /* A revoked token's secret is worth nothing: out of the keyring too. */
  tokens_store_clear_async (tokens_session_get_store (self->session),
                            tokens_session_get_account (self->session),
                            TOKENS_TOKEN_KIND_ACCESS, job->id, NULL, NULL, NULL);
  tokens_util_toast (GTK_WIDGET (self), _("Token revoked"));
  update_stack (self);
  /* The focused row went with the token: focus goes to the list, or to
   * Generate Token when it is empty, not to wherever GTK finds next
   * (the toast's close button). */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->grid_view));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->generate_button));
  tell_others ();
}

static void
revoke_confirmed (GtkWidget *widget,
                  gpointer   user_data)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  Job *job = user_data;

  tokens_client_revoke_token_async (tokens_session_get_client (self->session), job->id,
                                    self->cancellable, revoked_cb, job);
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
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(GError) error = NULL;
  TokensAccessTokensPage *self = job->self;
  gboolean undo = job->undo;

  token = undo ? tokens_client_undo_renewal_finish (TOKENS_CLIENT (object), result, &error)
               : tokens_client_delete_previous_token_finish (TOKENS_CLIENT (object), result, &error);
  if (token == NULL)
    {
      tokens_util_toast_error (GTK_WIDGET (self), error);
      return;
    }

  token_changed_cb (self, token);
  if (undo)
    {
      /* The new secret is refused now; the keyring's copy is of it. */
      tokens_store_clear_async (tokens_session_get_store (self->session),
                                tokens_session_get_account (self->session),
                                TOKENS_TOKEN_KIND_ACCESS, job->id, NULL, NULL, NULL);
      tokens_util_toast (GTK_WIDGET (self), _("Renewal undone: the old token is the current one again"));
    }
  else
    tokens_util_toast (GTK_WIDGET (self), _("Old token deleted"));
}

static void
delete_old_confirmed (GtkWidget *widget,
                      gpointer   user_data)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  Job *job = user_data;

  tokens_client_delete_previous_token_async (tokens_session_get_client (self->session), job->id,
                                             self->cancellable, replaced_cb, job);
}

static void
undo_confirmed (GtkWidget *widget,
                gpointer   user_data)
{
  TokensAccessTokensPage *self = TOKENS_ACCESS_TOKENS_PAGE (widget);
  Job *job = user_data;

  job->undo = TRUE;
  tokens_client_undo_renewal_async (tokens_session_get_client (self->session), job->id,
                                    self->cancellable, replaced_cb, job);
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
  /* The session and the monitor outlive the page: nothing of theirs may
   * reach it once its template is gone. */
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  if (monitor () != NULL)
    g_signal_handlers_disconnect_by_data (monitor (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_ACCESS_TOKENS_PAGE);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  if (self->tokens != NULL)
    g_signal_handlers_disconnect_by_data (self->tokens, self);
  g_clear_object (&self->tokens);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->pending_select, g_free);

  G_OBJECT_CLASS (tokens_access_tokens_page_parent_class)->dispose (object);
}

static void
tokens_access_tokens_page_class_init (TokensAccessTokensPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_access_tokens_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-access-tokens-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, grid_view);
  gtk_widget_class_bind_template_child (widget_class, TokensAccessTokensPage, generate_button);

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

static void
tokens_access_tokens_page_init (TokensAccessTokensPage *self)
{
  GtkListItemFactory *factory;

  g_type_ensure (TOKENS_TYPE_TOKEN_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (G_LIST_MODEL (self->filtered));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), NULL);
  gtk_grid_view_set_factory (self->grid_view, factory);
  g_object_unref (factory);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (self->selection));

  /* Filtering thousands of names takes well under a frame: no need to
   * wait for a pause in the typing. */
  gtk_search_entry_set_search_delay (self->search_entry, 0);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_stack), self, G_CONNECT_SWAPPED);
  tokens_util_hide_inactive_pages (GTK_WIDGET (self->stack));
  if (monitor () != NULL)
    g_signal_connect_object (monitor (), "notify::tokens", G_CALLBACK (attach_list), self, G_CONNECT_SWAPPED);
  update_stack (self);
}
