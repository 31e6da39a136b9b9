/* tokens-kept-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kept Tokens: every token a person keeps in Tokens, of any service (the
 * app's TokensKeptList), and below them the tokens-server tokens saved in
 * the keyring by their accounts, read-only, with Copy. A search filters
 * both. Each kept token can be revealed, copied (through the clipboard
 * guard), edited, given a new secret after a rotation at its vendor, or
 * deleted after a confirmation. The page needs no account: with no token
 * service at all, it is the whole window.
 *
 * The list is loaded by the application at start-up; the page loads it
 * once more when made, to say why when the keyring is locked or absent.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tokens-application.h"
#include "tokens-kept-dialog.h"
#include "tokens-kept-page.h"
#include "tokens-kept-row.h"
#include "tokens-util.h"

struct _TokensKeptPage
{
  AdwBin              parent_instance;

  TokensKeptList     *list;       /* the app's */
  TokensAccountList  *accounts;   /* the app's */
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  GPtrArray          *saved;      /* TokensStoreItem, or NULL */
  GError             *error;      /* why the list could not be read */
  gboolean            loading;
  char               *selecting;  /* a token to focus once it is listed */
  GCancellable       *cancellable;
  GCancellable       *saved_cancellable;

  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_page;
  GtkSearchEntry     *search_entry;
  GtkListBox         *kept_box;
  GtkLabel           *saved_heading;
  GtkListBox         *saved_box;
  GtkLabel           *placeholder;
};

G_DEFINE_FINAL_TYPE (TokensKeptPage, tokens_kept_page, ADW_TYPE_BIN)

static void select_pending (TokensKeptPage *self);

static TokensApplication *
get_app (void)
{
  return TOKENS_APPLICATION (g_application_get_default ());
}

static gboolean
matches (const char *query,
         const char *text)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, query) != NULL;
}

static char *
dup_query (TokensKeptPage *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  return *text != '\0' ? g_utf8_casefold (text, -1) : NULL;
}

static gboolean
filter_cb (gpointer item,
           gpointer user_data)
{
  TokensKeptPage *self = user_data;
  const TokensKept *kept = tokens_kept_token_get_details (item);
  g_autofree char *query = dup_query (self);

  return query == NULL ||
         matches (query, kept->name) || matches (query, kept->service_name) ||
         matches (query, kept->used_in) || matches (query, kept->note);
}

static void
update_state (TokensKeptPage *self)
{
  guint kept = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  gboolean saved = gtk_widget_get_first_child (GTK_WIDGET (self->saved_box)) != NULL;
  g_autofree char *query = dup_query (self);
  const char *page;

  if (self->error != NULL && !tokens_kept_list_get_loaded (self->list))
    page = "error";
  else if (!tokens_kept_list_get_loaded (self->list))
    page = "loading";
  else if (kept == 0 && !saved && query == NULL)
    page = self->saved == NULL ? "loading" : "empty";
  else
    page = "list";

  gtk_spinner_set_spinning (self->spinner, g_strcmp0 (page, "loading") == 0);
  gtk_stack_set_visible_child_name (self->stack, page);
  gtk_widget_set_visible (GTK_WIDGET (self->saved_heading), saved);
  gtk_widget_set_visible (GTK_WIDGET (self->saved_box), saved);
  gtk_label_set_text (self->placeholder,
                      kept == 0 ? _("No kept tokens yet.") : _("No kept token matches the search."));
  select_pending (self);
}

/* Focuses the row of the token tokens_kept_page_select() asked for, once
 * the list has it: a notification may be clicked before the keyring has
 * answered. Its secret stays hidden. */
static void
select_pending (TokensKeptPage *self)
{
  TokensKeptToken *token;
  GListModel *shown = G_LIST_MODEL (self->filtered);

  if (self->selecting == NULL ||
      (token = tokens_kept_list_find_by_id (self->list, self->selecting)) == NULL)
    return;

  /* A search that hides it is cleared: the person asked for this one. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
        {
          g_autoptr(TokensKeptToken) item = g_list_model_get_item (shown, i);
          GtkListBoxRow *row;

          if (item != token)
            continue;
          row = gtk_list_box_get_row_at_index (self->kept_box, i);
          g_clear_pointer (&self->selecting, g_free);
          gtk_list_box_select_row (self->kept_box, row);
          gtk_widget_grab_focus (GTK_WIDGET (row));
          return;
        }
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_LESS_STRICT);
    }
}

/**
 * tokens_kept_page_select:
 * @token_id: (nullable): a kept token's id, or %NULL or "" for none
 *
 * Scrolls to the token's row and focuses it, now or once the list has
 * it, as when its expiry notification is clicked.
 */
void
tokens_kept_page_select (TokensKeptPage *self,
                         const char     *token_id)
{
  g_return_if_fail (TOKENS_IS_KEPT_PAGE (self));

  g_free (self->selecting);
  self->selecting = token_id != NULL && *token_id != '\0' ? g_strdup (token_id) : NULL;
  select_pending (self);
}

/* The tokens-server tokens saved by the accounts */

static GtkWidget *
saved_row_new (TokensAccount         *account,
               const TokensStoreItem *item)
{
  g_autofree char *account_label = tokens_account_dup_label (account);
  g_autofree char *subtitle = NULL;
  g_autofree char *copy_label = NULL;
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
  const char *title;

  if (item->kind == TOKENS_TOKEN_KIND_API_KEY)
    {
      title = _("API Token");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "app.copy-api-token");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (copy), "s", tokens_account_get_id (account));
      subtitle = g_strdup (account_label);
    }
  else
    {
      g_autoptr(GDateTime) expires = NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *expiry = NULL;

      /* An item saved before names were attributes shows its id. */
      title = item->name && *item->name ? item->name : item->token_id;
      gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "app.copy-access-token");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (copy), "(ss)", tokens_account_get_id (account),
                                        item->token_id);
      if (item->expires_at != NULL)
        {
          expires = *item->expires_at ? g_date_time_new_from_iso8601 (item->expires_at, NULL) : NULL;
          expiry = tokens_util_format_expiry (expires, now);
          /* Translators: a saved access token: "ana@example.org on this computer · Expires in 3 days" */
          subtitle = g_strdup_printf (_("%s · %s"), account_label, expiry);
        }
      else
        subtitle = g_strdup (account_label);
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (copy, "flat");
  gtk_widget_set_tooltip_text (copy, _("Copy"));
  /* Translators: the accessible name of a saved token's Copy button; %s is its name */
  copy_label = g_strdup_printf (_("Copy %s"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label, -1);
  adw_action_row_add_suffix (row, copy);
  return GTK_WIDGET (row);
}

static void
rebuild_saved (TokensKeptPage *self)
{
  GListModel *accounts = G_LIST_MODEL (self->accounts);
  g_autofree char *query = dup_query (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->saved_box))) != NULL)
    gtk_list_box_remove (self->saved_box, child);

  for (guint i = 0; self->saved != NULL && i < g_list_model_get_n_items (accounts); i++)
    {
      g_autoptr(TokensAccount) account = g_list_model_get_item (accounts, i);

      for (guint j = 0; j < self->saved->len; j++)
        {
          const TokensStoreItem *item = g_ptr_array_index (self->saved, j);

          /* The old secret of a renewal is not what anyone copies. */
          if (item->slot != TOKENS_STORE_SLOT_CURRENT ||
              !tokens_account_matches (account, item->service_url, item->email) ||
              (item->kind != TOKENS_TOKEN_KIND_API_KEY &&
               (item->kind != TOKENS_TOKEN_KIND_ACCESS || item->token_id == NULL || *item->token_id == '\0')))
            continue;

          if (query != NULL && !matches (query, item->name) && !matches (query, tokens_account_get_email (account)))
            continue;

          gtk_list_box_append (self->saved_box, saved_row_new (account, item));
        }
    }

  update_state (self);
}

static void
saved_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  TokensKeptPage *self;

  items = tokens_account_list_list_saved_finish (TOKENS_ACCOUNT_LIST (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TOKENS_KEPT_PAGE (user_data);
  g_clear_object (&self->saved_cancellable);
  g_clear_pointer (&self->saved, g_ptr_array_unref);
  /* No keyring: the kept list says so; the accounts' part is just empty. */
  self->saved = items ? items : g_ptr_array_new ();
  rebuild_saved (self);
}

static void
refresh_saved (TokensKeptPage *self)
{
  g_cancellable_cancel (self->saved_cancellable);
  g_clear_object (&self->saved_cancellable);
  self->saved_cancellable = g_cancellable_new ();
  tokens_account_list_list_saved_async (self->accounts, self->saved_cancellable, saved_listed_cb, self);
}

/* Loading */

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  TokensKeptPage *self;

  if (!tokens_kept_list_load_finish (TOKENS_KEPT_LIST (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TOKENS_KEPT_PAGE (user_data);
  self->loading = FALSE;
  g_clear_error (&self->error);
  if (error != NULL)
    {
      g_autofree char *message = tokens_util_error_message (error);

      adw_status_page_set_description (self->error_page, message);
      self->error = g_steal_pointer (&error);
    }
  update_state (self);
}

static void
load (TokensKeptPage *self)
{
  if (self->loading)
    return;

  self->loading = TRUE;
  tokens_kept_list_load_async (self->list, self->cancellable, loaded_cb, self);
  refresh_saved (self);
}

/* A row's eye and Copy */

static void
revealed_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TokensKeptRow) row = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) secret = NULL;

  secret = tokens_kept_list_read_finish (TOKENS_KEPT_LIST (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  tokens_kept_row_set_secret (row, secret);
  if (secret == NULL)
    tokens_util_toast_error (GTK_WIDGET (row), error);
}

static void
need_secret_cb (TokensKeptRow  *row,
                TokensKeptPage *self)
{
  tokens_kept_list_read_async (self->list, tokens_kept_row_get_token (row), self->cancellable,
                               revealed_cb, g_object_ref (row));
}

static GtkWidget *
create_row_cb (gpointer item,
               gpointer user_data)
{
  GtkWidget *row = tokens_kept_row_new (item);

  g_signal_connect_object (row, "need-secret", G_CALLBACK (need_secret_cb), user_data, 0);
  return row;
}

static TokensKeptToken *
find_token (TokensKeptPage *self,
            GVariant       *param)
{
  return tokens_kept_list_find_by_id (self->list, g_variant_get_string (param, NULL));
}

static void
copied_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  TokensKeptPage *self;
  guint seconds;

  secret = tokens_kept_list_read_finish (TOKENS_KEPT_LIST (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TOKENS_KEPT_PAGE (user_data);
  if (secret == NULL)
    {
      tokens_util_toast_error (GTK_WIDGET (self), error);
      return;
    }

  seconds = tokens_clipboard_copy_secret (tokens_application_get_clipboard (get_app ()),
                                          GTK_WIDGET (self), secret);
  tokens_util_toast_copied (GTK_WIDGET (self), seconds);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TokensKeptPage *self = TOKENS_KEPT_PAGE (widget);
  TokensKeptToken *token = find_token (self, param);

  if (token != NULL)
    tokens_kept_list_read_async (self->list, token, self->cancellable, copied_cb, self);
}

/* The dialogs */

static void
dialog_saved_cb (TokensKeptPage  *self,
                 TokensKeptToken *token,
                 gpointer         dialog)
{
  const char *said = g_object_get_data (G_OBJECT (dialog), "tokens-said");

  tokens_util_toast (GTK_WIDGET (self), said);
}

static void
present_dialog (TokensKeptPage   *self,
                TokensKeptDialog *dialog,
                const char       *said)
{
  g_object_set_data_full (G_OBJECT (dialog), "tokens-said", g_strdup (said), g_free);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (dialog_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWindow *
get_window (TokensKeptPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  TokensKeptPage *self = TOKENS_KEPT_PAGE (widget);

  present_dialog (self, tokens_kept_dialog_new_add (get_window (self), self->list), _("Token kept in your keyring"));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TokensKeptPage *self = TOKENS_KEPT_PAGE (widget);
  TokensKeptToken *token = find_token (self, param);

  if (token != NULL)
    present_dialog (self, tokens_kept_dialog_new_edit (get_window (self), self->list, token), _("Details saved"));
}

static void
replace_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TokensKeptPage *self = TOKENS_KEPT_PAGE (widget);
  TokensKeptToken *token = find_token (self, param);

  if (token != NULL)
    present_dialog (self, tokens_kept_dialog_new_replace (get_window (self), self->list, token),
                    _("Secret replaced. The old one is gone from your keyring."));
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  TokensKeptPage *self;

  if (!tokens_kept_list_delete_finish (TOKENS_KEPT_LIST (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TOKENS_KEPT_PAGE (user_data);
  if (error != NULL)
    tokens_util_toast_error (GTK_WIDGET (self), error);
  else
    tokens_util_toast (GTK_WIDGET (self), _("Token deleted from your keyring"));
}

static void
delete_confirmed_cb (GtkWidget *widget,
                     gpointer   user_data)
{
  TokensKeptPage *self = TOKENS_KEPT_PAGE (widget);
  g_autofree char *id = user_data;
  TokensKeptToken *token = tokens_kept_list_find_by_id (self->list, id);

  if (token != NULL)
    tokens_kept_list_delete_async (self->list, token, self->cancellable, deleted_cb, self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensKeptPage *self = TOKENS_KEPT_PAGE (widget);
  TokensKeptToken *token = find_token (self, param);
  const TokensKept *kept;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (token == NULL)
    return;

  kept = tokens_kept_token_get_details (token);
  /* Translators: %s is the name a kept token was given */
  heading = g_strdup_printf (_("Delete “%s”?"), kept->name);
  /* Translators: %s is a service, such as GitHub */
  body = g_strdup_printf (_("Tokens forgets this token and removes its secret from your keyring. "
                            "The token itself keeps working at %s until you revoke it there."),
                          kept->service_name);
  tokens_util_confirm (widget, heading, body, _("_Delete"), delete_confirmed_cb,
                       g_strdup (kept->id), g_free);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensKeptPage *self = TOKENS_KEPT_PAGE (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "list") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  load (TOKENS_KEPT_PAGE (widget));
}

static void
search_changed_cb (TokensKeptPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  rebuild_saved (self);
}

static void
tokens_kept_page_dispose (GObject *object)
{
  TokensKeptPage *self = TOKENS_KEPT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->saved_cancellable);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  self->filter = NULL;   /* borrowed: the filtered model below holds it */
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_KEPT_PAGE);
  g_clear_object (&self->filtered);
  g_clear_object (&self->list);
  g_clear_object (&self->accounts);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->saved_cancellable);
  g_clear_pointer (&self->saved, g_ptr_array_unref);
  g_clear_pointer (&self->selecting, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (tokens_kept_page_parent_class)->dispose (object);
}

static void
tokens_kept_page_class_init (TokensKeptPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_kept_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-kept-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensKeptPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptPage, kept_box);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptPage, saved_heading);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptPage, saved_box);

  gtk_widget_class_install_action (widget_class, "kept.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "kept.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "kept.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "kept.copy", "s", copy_action);
  gtk_widget_class_install_action (widget_class, "kept.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "kept.replace", "s", replace_action);
  gtk_widget_class_install_action (widget_class, "kept.delete", "s", delete_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "kept.search", NULL);
}

static void
tokens_kept_page_init (TokensKeptPage *self)
{
  TokensApplication *app = get_app ();

  g_type_ensure (TOKENS_TYPE_KEPT_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));
  tokens_util_hide_inactive_pages (GTK_WIDGET (self->stack));

  self->cancellable = g_cancellable_new ();
  self->list = g_object_ref (tokens_application_get_kept_list (app));
  self->accounts = g_object_ref (tokens_application_get_accounts (app));

  self->filter = gtk_custom_filter_new (filter_cb, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->list)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  g_object_unref (self->filter);   /* the model holds it */
  gtk_list_box_bind_model (self->kept_box, G_LIST_MODEL (self->filtered), create_row_cb, self, NULL);

  self->placeholder = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_margin_top (GTK_WIDGET (self->placeholder), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->placeholder), 18);
  gtk_widget_add_css_class (GTK_WIDGET (self->placeholder), "dim-label");
  gtk_list_box_set_placeholder (self->kept_box, GTK_WIDGET (self->placeholder));

  g_signal_connect_object (self->list, "items-changed", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "notify::loaded", G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->accounts, "items-changed", G_CALLBACK (refresh_saved), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb),
                           self, G_CONNECT_SWAPPED);

  load (self);
  update_state (self);
}
