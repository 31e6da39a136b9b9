/* tokens-renew-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The end of a renewal, in the vtex seed's steps: the new secret shown
 * once, with Copy and where it was saved; how to delete the old token,
 * Later (the default, as when the dialog is closed) or Now; Finish. The
 * renewal itself is the page's action: it renews with "later" through
 * the session, so that both tokens stay valid whatever happens to this
 * window, and opens this dialog with the result. Finish with Now asks
 * the session to delete the old token.
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

  AdwWindowTitle    *window_title;
  TokensSecretRow   *secret_row;
  AdwActionRow      *saved_row;
  GtkImage          *saved_icon;
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

      gtk_widget_action_set_enabled (GTK_WIDGET (self), "renew.finish", TRUE);
      tokens_util_toast_error (GTK_WIDGET (self), error);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

/* Finish: with Now, the old token goes; Later keeps both. */
static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensRenewDialog *self = TOKENS_RENEW_DIALOG (widget);

  if (!gtk_toggle_button_get_active (self->now_toggle))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  gtk_widget_action_set_enabled (widget, "renew.finish", FALSE);
  tokens_session_delete_previous_token_async (self->session, self->token_id, self->cancellable,
                                              previous_deleted_cb, self);
}

/**
 * tokens_renew_dialog_new:
 * @session: the session that made the renewal
 * @token: the renewed token
 * @secret: its new secret, shown once
 * @saved: whether the session saved it to the keyring
 */
TokensRenewDialog *
tokens_renew_dialog_new (GtkWindow         *parent,
                         TokensSession     *session,
                         TokensAccessToken *token,
                         const char        *secret,
                         gboolean           saved)
{
  TokensRenewDialog *self;
  g_autofree char *last4 = NULL;
  g_autofree char *hint = NULL;
  const char *title;

  g_return_val_if_fail (TOKENS_IS_SESSION (session), NULL);
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (token), NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  self = g_object_new (TOKENS_TYPE_RENEW_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->token_id = g_strdup (tokens_access_token_get_id (token));

  adw_window_title_set_subtitle (self->window_title, tokens_access_token_get_name (token));

  last4 = tokens_token_last4 (secret);
  hint = tokens_token_hint (TOKENS_TOKEN_KIND_ACCESS, last4);
  tokens_secret_row_set_hint (self->secret_row, hint);
  tokens_secret_row_set_secret (self->secret_row, secret);
  tokens_secret_row_set_revealed (self->secret_row, TRUE);

  title = saved ? _("Saved to your keyring") : _("Not saved: no keyring is available");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->saved_row), title);
  gtk_image_set_from_icon_name (self->saved_icon, saved ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->saved_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

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
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, saved_row);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, saved_icon);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, now_toggle);
  gtk_widget_class_bind_template_child (widget_class, TokensRenewDialog, delete_old_description);

  gtk_widget_class_install_action (widget_class, "renew.finish", NULL, finish_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tokens_renew_dialog_init (TokensRenewDialog *self)
{
  g_type_ensure (TOKENS_TYPE_SECRET_ROW);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  g_signal_connect_object (self->now_toggle, "toggled", G_CALLBACK (delete_old_changed_cb),
                           self, G_CONNECT_SWAPPED);
  delete_old_changed_cb (self);
}
