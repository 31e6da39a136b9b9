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
#include "tokens-util.h"

struct _TokensAccessTokensPage
{
  AdwBin               parent_instance;

  TokensSession       *session;
  GSignalGroup        *session_signals;
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

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensAccessTokensPage, tokens_access_tokens_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

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

static void
list_changed_cb (TokensAccessTokensPage *self)
{
  update_stack (self);
  select_pending (self);
}

/* The page shows the session's list: one copy of the tokens, loaded
 * once, that the tray and the expiry warnings observe too. */
static void
attach_list (TokensAccessTokensPage *self)
{
  TokensTokenList *tokens = self->session ? tokens_session_get_tokens (self->session) : NULL;

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
  g_signal_group_set_target (self->session_signals, session);
  g_clear_pointer (&self->pending_select, g_free);

  attach_list (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
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
    gtk_widget_grab_focus (GTK_WIDGET (job->self->generate_button));
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
  /* The session outlives the page: nothing of its may reach it once its
   * template is gone. */
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_ACCESS_TOKENS_PAGE);
  g_clear_object (&self->session_signals);
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
  self->session_signals = g_signal_group_new (TOKENS_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::tokens",
                                 G_CALLBACK (attach_list), self, G_CONNECT_SWAPPED);
  update_stack (self);
}
