/* tokens-token-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One dialog for an access token's three flows, in the seeds' steps:
 *  - Generate (transiyzi): a name, with why a meaningful one helps; what
 *    it can do, read and/or write; a duration; then the token shown once,
 *    with Copy, "you will not see it again" and where it was saved.
 *  - Edit: the name and the scopes.
 *  - Renew (vtex): the new secret shown at once, with Copy; how to delete
 *    the old token, Later (the default, as when the dialog is closed
 *    early) or Now; Finish. The renewal is made with "later" when the
 *    dialog opens, so closing it at any point leaves both tokens valid;
 *    Finish with Now deletes the old one.
 * ::token-changed tells the page what the service now says of the token.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-application.h"
#include "tokens-secret-row.h"
#include "tokens-token-dialog.h"
#include "tokens-util.h"

#define MAX_NAME_LENGTH 100

typedef enum {
  MODE_GENERATE,
  MODE_EDIT,
  MODE_RENEW,
} Mode;

struct _TokensTokenDialog
{
  AdwWindow            parent_instance;

  Mode                 mode;
  TokensSession       *session;
  TokensAccessToken   *token;        /* edited or renewed; then the result */
  GCancellable        *cancellable;
  gboolean             busy;
  gboolean             shown;        /* a secret is on screen */

  AdwWindowTitle      *window_title;
  GtkButton           *cancel_button;
  GtkButton           *accept_button;
  GtkStack            *stack;
  AdwPreferencesGroup *name_group;
  AdwEntryRow         *name_row;
  AdwPreferencesGroup *scopes_group;
  GtkSwitch           *read_switch;
  GtkSwitch           *write_switch;
  AdwPreferencesGroup *duration_group;
  GtkSwitch           *expires_switch;
  GtkSpinButton       *days_spin;
  AdwPreferencesGroup *keyring_group;
  GtkSwitch           *save_switch;
  GtkLabel            *form_error;
  TokensSecretRow     *secret_row;
  AdwActionRow        *saved_row;
  GtkImage            *saved_icon;
  AdwPreferencesGroup *delete_old_group;
  GtkToggleButton     *later_toggle;
  GtkToggleButton     *now_toggle;
  GtkLabel            *delete_old_description;
};

enum {
  TOKEN_CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TokensTokenDialog, tokens_token_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static void
set_busy (TokensTokenDialog *self,
          gboolean           busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.accept", !busy);
}

static void
show_form_error (TokensTokenDialog *self,
                 const char        *message)
{
  gtk_label_set_text (self->form_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->form_error), message != NULL);
}

static void
show_gerror (TokensTokenDialog *self,
             const GError      *error)
{
  g_autofree char *message = tokens_util_error_message (error);

  if (gtk_stack_get_visible_child_name (self->stack) &&
      g_str_equal (gtk_stack_get_visible_child_name (self->stack), "form"))
    show_form_error (self, message);
  else
    tokens_util_toast (GTK_WIDGET (self), message);
}

static void
emit_changed (TokensTokenDialog *self,
              TokensAccessToken *token)
{
  g_set_object (&self->token, token);
  g_signal_emit (self, signals[TOKEN_CHANGED], 0, token);
}

/* The secret, shown once. */
static void
show_secret (TokensTokenDialog *self,
             const char        *secret,
             gboolean           asked_to_save,
             gboolean           saved)
{
  g_autofree char *last4 = tokens_token_last4 (secret);
  g_autofree char *hint = tokens_token_hint (TOKENS_TOKEN_KIND_ACCESS, last4);
  const char *title;
  const char *icon;

  tokens_secret_row_set_hint (self->secret_row, hint);
  tokens_secret_row_set_secret (self->secret_row, secret);
  tokens_secret_row_set_revealed (self->secret_row, TRUE);

  if (saved)
    {
      title = _("Saved to your keyring");
      icon = "emblem-ok-symbolic";
    }
  else if (asked_to_save)
    {
      title = _("Not saved: no keyring is available");
      icon = "dialog-warning-symbolic";
    }
  else
    {
      title = _("Not saved, as you chose");
      icon = "dialog-information-symbolic";
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->saved_row), title);
  gtk_image_set_from_icon_name (self->saved_icon, icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->saved_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  self->shown = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "shown");
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_button_set_label (self->accept_button, _("_Finish"));
}

typedef struct
{
  TokensTokenDialog *self;
  TokensSecret      *secret;
  gboolean           asked_to_save;
} Saving;

static void
saving_free (Saving *saving)
{
  g_clear_object (&saving->self);
  g_clear_pointer (&saving->secret, tokens_secret_free);
  g_free (saving);
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Saving *saving = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  saved = tokens_store_save_finish (TOKENS_STORE (object), result, &error);
  if (saved)
    tokens_application_store_changed (TOKENS_APPLICATION (g_application_get_default ()));
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_busy (saving->self, FALSE);
      show_secret (saving->self, saving->secret, TRUE, saved);
    }

  saving_free (saving);
}

/* Into the keyring before it is shown, unless the person opted out. */
static void
save_then_show (TokensTokenDialog *self,
                const char        *secret)
{
  TokensAccessToken *token = self->token;
  Saving *saving;

  if (!gtk_switch_get_active (self->save_switch))
    {
      set_busy (self, FALSE);
      show_secret (self, secret, FALSE, FALSE);
      return;
    }

  saving = g_new0 (Saving, 1);
  saving->self = g_object_ref (self);
  saving->secret = g_strdup (secret);
  tokens_store_save_async (tokens_session_get_store (self->session),
                           tokens_session_get_account (self->session),
                           TOKENS_TOKEN_KIND_ACCESS,
                           tokens_access_token_get_id (token),
                           tokens_access_token_get_name (token),
                           secret, self->cancellable, saved_cb, saving);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TokensTokenDialog *self = user_data;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  secret = tokens_client_create_token_finish (TOKENS_CLIENT (object), result, &token, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (secret == NULL)
    {
      set_busy (self, FALSE);
      show_gerror (self, error);
      return;
    }

  emit_changed (self, token);
  save_then_show (self, secret);
}

static void
renewed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TokensTokenDialog *self = user_data;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  secret = tokens_client_renew_token_finish (TOKENS_CLIENT (object), result, &token, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (secret == NULL)
    {
      g_autofree char *message = tokens_util_error_message (error);

      set_busy (self, FALSE);
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (
        gtk_widget_get_ancestor (GTK_WIDGET (self->secret_row), ADW_TYPE_PREFERENCES_GROUP)),
        _("The Token Was Not Renewed"));
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (
        gtk_widget_get_ancestor (GTK_WIDGET (self->secret_row), ADW_TYPE_PREFERENCES_GROUP)),
        message);
      gtk_widget_set_visible (GTK_WIDGET (self->secret_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->saved_row), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->delete_old_group), FALSE);
      gtk_button_set_label (self->accept_button, _("_Close"));
      return;
    }

  emit_changed (self, token);
  save_then_show (self, secret);
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TokensTokenDialog *self = user_data;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = tokens_client_update_token_finish (TOKENS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (token == NULL)
    {
      show_gerror (self, error);
      return;
    }

  emit_changed (self, token);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
previous_deleted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TokensTokenDialog *self = user_data;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = tokens_client_delete_previous_token_finish (TOKENS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (token == NULL)
    {
      show_gerror (self, error);
      return;
    }

  emit_changed (self, token);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* Checks the form; on success fills the out values. */
static gboolean
read_form (TokensTokenDialog  *self,
           char              **out_name,
           TokensScopes       *out_scopes)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  TokensScopes scopes = TOKENS_SCOPE_NONE;

  if (gtk_switch_get_active (self->read_switch))
    scopes |= TOKENS_SCOPE_READ;
  if (gtk_switch_get_active (self->write_switch))
    scopes |= TOKENS_SCOPE_WRITE;

  if (name[0] == '\0')
    {
      show_form_error (self, _("Give the token a name."));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return FALSE;
    }

  if (g_utf8_strlen (name, -1) > MAX_NAME_LENGTH)
    {
      g_autofree char *message =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "The name is too long: at most %d character.",
                                      "The name is too long: at most %d characters.",
                                      MAX_NAME_LENGTH),
                         MAX_NAME_LENGTH);
      show_form_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return FALSE;
    }

  if (scopes == TOKENS_SCOPE_NONE)
    {
      show_form_error (self, _("Choose what the token can do: read, write, or both."));
      return FALSE;
    }

  show_form_error (self, NULL);
  *out_name = g_steal_pointer (&name);
  *out_scopes = scopes;
  return TRUE;
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensTokenDialog *self = TOKENS_TOKEN_DIALOG (widget);
  TokensClient *client = tokens_session_get_client (self->session);
  g_autofree char *name = NULL;
  TokensScopes scopes;

  if (self->busy)
    return;

  if (self->shown || !gtk_widget_get_visible (GTK_WIDGET (self->secret_row)))
    {
      /* Finish: with Now, the old token goes; Later keeps both. */
      if (self->mode == MODE_RENEW && self->shown && gtk_toggle_button_get_active (self->now_toggle))
        {
          set_busy (self, TRUE);
          tokens_client_delete_previous_token_async (client, tokens_access_token_get_id (self->token),
                                                     self->cancellable, previous_deleted_cb, self);
          return;
        }

      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (!read_form (self, &name, &scopes))
    return;

  set_busy (self, TRUE);
  if (self->mode == MODE_GENERATE)
    tokens_client_create_token_async (client, name, scopes,
                                      gtk_switch_get_active (self->expires_switch)
                                        ? (guint) gtk_spin_button_get_value_as_int (self->days_spin) : 0,
                                      self->cancellable, created_cb, self);
  else
    tokens_client_update_token_async (client, tokens_access_token_get_id (self->token),
                                      name, scopes, self->cancellable, updated_cb, self);
}

static void
delete_old_changed_cb (TokensTokenDialog *self)
{
  gtk_label_set_text (self->delete_old_description,
                      gtk_toggle_button_get_active (self->now_toggle)
                        ? _("The old token is deleted when you finish, and only the new one works.")
                        : _("Both tokens work until you delete the old one, once the new one is in use. "
                            "Closing this window keeps both."));
}

static void
secret_row_copied_cb (TokensTokenDialog *self,
                      guint              seconds)
{
  tokens_util_toast_copied (GTK_WIDGET (self), seconds);
}

static void
secret_row_need_secret_cb (TokensTokenDialog *self)
{
  tokens_secret_row_fail (self->secret_row);
}

/* Enter in the name field accepts, as in any form. */
static void
name_activated_cb (TokensTokenDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "dialog.accept", NULL);
}

static TokensTokenDialog *
dialog_new (GtkWindow     *parent,
            TokensSession *session,
            Mode           mode)
{
  TokensTokenDialog *self = g_object_new (TOKENS_TYPE_TOKEN_DIALOG,
                                          "transient-for", parent,
                                          NULL);

  self->session = g_object_ref (session);
  self->mode = mode;
  return self;
}

TokensTokenDialog *
tokens_token_dialog_new_generate (GtkWindow     *parent,
                                  TokensSession *session)
{
  TokensTokenDialog *self = dialog_new (parent, session, MODE_GENERATE);

  adw_window_title_set_title (self->window_title, _("Generate Token"));
  gtk_window_set_title (GTK_WINDOW (self), _("Generate Token"));
  gtk_button_set_label (self->accept_button, _("_Generate Token"));
  return self;
}

TokensTokenDialog *
tokens_token_dialog_new_edit (GtkWindow         *parent,
                              TokensSession     *session,
                              TokensAccessToken *token)
{
  TokensTokenDialog *self = dialog_new (parent, session, MODE_EDIT);
  TokensScopes scopes = tokens_access_token_get_scopes (token);

  self->token = g_object_ref (token);
  adw_window_title_set_title (self->window_title, _("Edit Token"));
  adw_window_title_set_subtitle (self->window_title, tokens_access_token_get_name (token));
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Token"));
  gtk_button_set_label (self->accept_button, _("_Save"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), tokens_access_token_get_name (token));
  gtk_switch_set_active (self->read_switch, (scopes & TOKENS_SCOPE_READ) != 0);
  gtk_switch_set_active (self->write_switch, (scopes & TOKENS_SCOPE_WRITE) != 0);
  gtk_widget_set_visible (GTK_WIDGET (self->duration_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_group), FALSE);
  return self;
}

TokensTokenDialog *
tokens_token_dialog_new_renew (GtkWindow         *parent,
                               TokensSession     *session,
                               TokensAccessToken *token)
{
  TokensTokenDialog *self = dialog_new (parent, session, MODE_RENEW);

  self->token = g_object_ref (token);
  adw_window_title_set_title (self->window_title, _("Renew Token"));
  adw_window_title_set_subtitle (self->window_title, tokens_access_token_get_name (token));
  gtk_window_set_title (GTK_WINDOW (self), _("Renew Token"));
  gtk_widget_set_visible (GTK_WIDGET (self->delete_old_group), TRUE);
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  gtk_stack_set_visible_child_name (self->stack, "shown");
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_button_set_label (self->accept_button, _("_Finish"));

  /* Renewed at once with "later", so that closing early keeps both
   * tokens, as the seed says; Finish with Now deletes the old one. */
  set_busy (self, TRUE);
  tokens_client_renew_token_async (tokens_session_get_client (session),
                                   tokens_access_token_get_id (token),
                                   TOKENS_DELETE_OLD_LATER, TOKENS_RENEW_SAME_DURATION,
                                   self->cancellable, renewed_cb, self);
  return self;
}

static void
tokens_token_dialog_dispose (GObject *object)
{
  TokensTokenDialog *self = (TokensTokenDialog *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_TOKEN_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->token);

  G_OBJECT_CLASS (tokens_token_dialog_parent_class)->dispose (object);
}

static void
tokens_token_dialog_class_init (TokensTokenDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_token_dialog_dispose;

  /**
   * TokensTokenDialog::token-changed:
   * @token: the token as the service now has it
   */
  signals[TOKEN_CHANGED] =
    g_signal_new ("token-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TOKENS_TYPE_ACCESS_TOKEN);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-token-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, name_group);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, scopes_group);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, read_switch);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, write_switch);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, duration_group);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, expires_switch);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, days_spin);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, keyring_group);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, save_switch);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, form_error);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, saved_row);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, saved_icon);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, delete_old_group);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, later_toggle);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, now_toggle);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenDialog, delete_old_description);

  gtk_widget_class_install_action (widget_class, "dialog.accept", NULL, accept_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tokens_token_dialog_init (TokensTokenDialog *self)
{
  g_type_ensure (TOKENS_TYPE_SECRET_ROW);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  gtk_widget_set_visible (GTK_WIDGET (self->delete_old_group), FALSE);
  g_signal_connect_object (self->now_toggle, "toggled", G_CALLBACK (delete_old_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->secret_row, "copied", G_CALLBACK (secret_row_copied_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->secret_row, "need-secret", G_CALLBACK (secret_row_need_secret_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->name_row, "entry-activated", G_CALLBACK (name_activated_cb),
                           self, G_CONNECT_SWAPPED);
  delete_old_changed_cb (self);
}
