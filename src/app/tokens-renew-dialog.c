/* tokens-renew-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renewing an access token, in the vtex seed's steps, asked first:
 *  1. what will happen (a new token, shown once; the old one works until
 *     it is deleted), with the seed's choice of how to delete the old
 *     token, Later or Now; Cancel changes nothing, Renew renews;
 *  2. the new secret shown once, with Copy and where it was saved; the
 *     choice still open; Finish.
 * The renewal is always made with "later", so that both tokens stay valid
 * whatever happens to this window before Finish (closing it is Later, as
 * the seed says); Finish with Now then asks the session to delete the old
 * token. The session does the work: service, keyring, the list.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-renew-dialog.h"
#include "tokens-secret-row.h"
#include "tokens-util.h"

struct _TokensRenewDialog
{
  AdwWindow          parent_instance;

  TokensSession     *session;
  char              *token_id;
  GCancellable      *cancellable;
  gboolean           renewed;

  AdwWindowTitle    *window_title;
  GtkButton         *cancel_button;
  GtkButton         *accept_button;
  GtkStack          *stack;
  GtkLabel          *ask_label;
  TokensSecretRow   *secret_row;
  AdwActionRow      *saved_row;
  GtkImage          *saved_icon;
  AdwPreferencesGroup *delete_old_group;
  GtkToggleButton   *now_toggle;
  GtkLabel          *delete_old_description;
};

G_DEFINE_FINAL_TYPE (TokensRenewDialog, tokens_renew_dialog, ADW_TYPE_WINDOW)

static void
delete_old_changed_cb (TokensRenewDialog *self)
{
  gtk_label_set_text (self->delete_old_description,
                      gtk_toggle_button_get_active (self->now_toggle)
                        ? _("The old token is deleted when you finish, and only the new one works.")
                        : _("Both tokens work until you delete the old one, once the new one is in use. "
                            "Closing this window keeps both."));
}

/* The new secret, shown once. */
static void
show_secret (TokensRenewDialog *self,
             const char        *secret,
             gboolean           saved)
{
  tokens_secret_row_show_once (self->secret_row, TOKENS_TOKEN_KIND_ACCESS, secret);
  tokens_util_say_saved (self->saved_row, self->saved_icon, saved, TRUE,
                         tokens_session_get_save_error (self->session));

  /* There is no going back now: the renewal is made; Undo Renewal is in
   * the token's menu while the old token exists. */
  self->renewed = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "shown");
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_button_set_label (self->accept_button, _("_Finish"));
}

static void
renewed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TokensRenewDialog *self = user_data;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved = FALSE;

  secret = tokens_session_renew_token_finish (TOKENS_SESSION (object), result, NULL, &saved, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "renew.accept", TRUE);
  if (secret == NULL)
    {
      tokens_util_toast_error (GTK_WIDGET (self), error);
      return;
    }

  show_secret (self, secret, saved);
}

static void
previous_deleted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  TokensRenewDialog *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tokens_session_delete_previous_token_finish (TOKENS_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      gtk_widget_action_set_enabled (GTK_WIDGET (self), "renew.accept", TRUE);
      tokens_util_toast_error (GTK_WIDGET (self), error);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

/* Renew, then Finish: with Now, the old token goes; Later keeps both. */
static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensRenewDialog *self = TOKENS_RENEW_DIALOG (widget);

  if (!self->renewed)
    {
      gtk_widget_action_set_enabled (widget, "renew.accept", FALSE);
      tokens_session_renew_token_async (self->session, self->token_id,
                                        TOKENS_DELETE_OLD_LATER, TOKENS_RENEW_SAME_DURATION,
                                        self->cancellable, renewed_cb, self);
      return;
    }

  if (!gtk_toggle_button_get_active (self->now_toggle))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  gtk_widget_action_set_enabled (widget, "renew.accept", FALSE);
  tokens_session_delete_previous_token_async (self->session, self->token_id, self->cancellable,
                                              previous_deleted_cb, self);
}

/**
 * tokens_renew_dialog_new:
 * @session: the session that renews it
 * @token: the token to renew
 *
 * Asks before renewing @token: nothing changes until the person says
 * Renew.
 */
TokensRenewDialog *
tokens_renew_dialog_new (GtkWindow         *parent,
                         TokensSession     *session,
                         TokensAccessToken *token)
{
  TokensRenewDialog *self;
  g_autofree char *duration = NULL;
  g_autofree char *ask = NULL;

  g_return_val_if_fail (TOKENS_IS_SESSION (session), NULL);
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (token), NULL);

  self = g_object_new (TOKENS_TYPE_RENEW_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->token_id = g_strdup (tokens_access_token_get_id (token));

  adw_window_title_set_subtitle (self->window_title, tokens_access_token_get_name (token));

  if (tokens_access_token_get_has_previous (token))
    {
      /* The service keeps one old token at a time. */
      gtk_label_set_text (self->ask_label,
                          _("This token was renewed and its old token still works. Delete the old "
                            "token or undo the renewal before renewing it again."));
      gtk_widget_set_visible (GTK_WIDGET (self->delete_old_group), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "renew.accept", FALSE);
      return self;
    }

  if (tokens_access_token_get_duration_days (token) > 0)
    /* Translators: %d is the token's duration in days, as it was chosen */
    duration = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "It lasts %d day, as the current one did.",
                                             "It lasts %d days, as the current one did.",
                                             tokens_access_token_get_duration_days (token)),
                                tokens_access_token_get_duration_days (token));
  else
    duration = g_strdup (_("It does not expire, as the current one does not."));

  /* Translators: %s is "It lasts 90 days, as the current one did." */
  ask = g_strdup_printf (_("A new token is made and shown once, to copy into your integrations. %s "
                           "The old token works until you delete it, now or later."),
                         duration);
  gtk_label_set_text (self->ask_label, ask);
  return self;
}

static void
tokens_renew_dialog_dispose (GObject *object)
{
  TokensRenewDialog *self = (TokensRenewDialog *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_RENEW_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->token_id, g_free);

  G_OBJECT_CLASS (tokens_renew_dialog_parent_class)->dispose (object);
}

static void
tokens_renew_dialog_class_init (TokensRenewDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_renew_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-renew-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, ask_label);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, saved_row);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, saved_icon);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, delete_old_group);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, now_toggle);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, delete_old_description);

  gtk_widget_class_install_action (widget_class, "renew.accept", NULL, accept_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tokens_renew_dialog_init (TokensRenewDialog *self)
{
  g_type_ensure (TOKENS_TYPE_SECRET_ROW);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  tokens_util_fit_to_pages (self->stack);
  tokens_util_hide_inactive_pages (GTK_WIDGET (self->stack));

  g_signal_connect_object (self->now_toggle, "toggled", G_CALLBACK (delete_old_changed_cb),
                           self, G_CONNECT_SWAPPED);
  delete_old_changed_cb (self);
}
