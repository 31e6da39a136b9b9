/* tokens-token-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form of an access token, in the seeds' steps:
 *  - Generate (transiyzi), titled "New Access Token": a name (Generate
 *    waits for one), with why a meaningful one helps; what
 *    it can do, read and/or write; a duration; then the token shown once,
 *    with Copy, "you will not see it again" and where it was saved.
 *  - Edit: the name and the scopes.
 * The session does the work (service, keyring, the list the page shows);
 * the dialog reads the form and shows the outcome. Renewing is
 * TokensRenewDialog's.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-secret-row.h"
#include "tokens-token-dialog.h"
#include "tokens-util.h"

#define MAX_NAME_LENGTH 100

typedef enum {
  MODE_GENERATE,
  MODE_EDIT,
} Mode;

struct _TokensTokenDialog
{
  AdwWindow            parent_instance;

  Mode                 mode;
  TokensSession       *session;
  TokensAccessToken   *token;        /* edited */
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
};

G_DEFINE_FINAL_TYPE (TokensTokenDialog, tokens_token_dialog, ADW_TYPE_WINDOW)

/* Whitespace is not a name (the service would refuse it too). */
static gboolean
has_name (TokensTokenDialog *self)
{
  for (const char *p = gtk_editable_get_text (GTK_EDITABLE (self->name_row)); *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Generate and Save only once there is a name, and not twice at once. */
static void
update_accept (TokensTokenDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dialog.accept",
                                 !self->busy && (self->shown || has_name (self)));
}

static void
set_busy (TokensTokenDialog *self,
          gboolean           busy)
{
  self->busy = busy;
  update_accept (self);
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

/* The secret, shown once. */
static void
show_secret (TokensTokenDialog *self,
             const char        *secret,
             gboolean           asked_to_save,
             gboolean           saved)
{
  tokens_secret_row_show_once (self->secret_row, TOKENS_TOKEN_KIND_ACCESS, secret);
  tokens_util_say_saved (self->saved_row, self->saved_icon, saved, asked_to_save,
                         tokens_session_get_save_error (self->session));

  self->shown = TRUE;
  gtk_stack_set_visible_child_name (self->stack, "shown");
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_button_set_label (self->accept_button, _("_Finish"));
  update_accept (self);
}

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TokensTokenDialog *self = user_data;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved = FALSE;

  secret = tokens_session_create_token_finish (TOKENS_SESSION (object), result, NULL, &saved, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (secret == NULL)
    {
      show_gerror (self, error);
      return;
    }

  show_secret (self, secret, gtk_switch_get_active (self->save_switch), saved);
}

static void
updated_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TokensTokenDialog *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tokens_session_update_token_finish (TOKENS_SESSION (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_busy (self, FALSE);
      show_gerror (self, error);
      return;
    }

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
  g_autofree char *name = NULL;
  TokensScopes scopes;

  if (self->busy)
    return;

  if (self->shown)
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  if (!read_form (self, &name, &scopes))
    return;

  set_busy (self, TRUE);
  if (self->mode == MODE_GENERATE)
    tokens_session_create_token_async (self->session, name, scopes,
                                       gtk_switch_get_active (self->expires_switch)
                                         ? (guint) gtk_spin_button_get_value_as_int (self->days_spin) : 0,
                                       gtk_switch_get_active (self->save_switch),
                                       self->cancellable, created_cb, self);
  else
    tokens_session_update_token_async (self->session, tokens_access_token_get_id (self->token),
                                       name, scopes, self->cancellable, updated_cb, self);
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

  adw_window_title_set_title (self->window_title, _("New Access Token"));
  gtk_window_set_title (GTK_WINDOW (self), _("New Access Token"));
  gtk_button_set_label (self->accept_button, _("_Generate"));
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

  gtk_widget_class_install_action (widget_class, "dialog.accept", NULL, accept_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tokens_token_dialog_init (TokensTokenDialog *self)
{
  g_type_ensure (TOKENS_TYPE_SECRET_ROW);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  tokens_util_fit_to_pages (self->stack);

  g_signal_connect_object (self->secret_row, "need-secret", G_CALLBACK (secret_row_need_secret_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->name_row, "entry-activated", G_CALLBACK (name_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->name_row, "changed", G_CALLBACK (update_accept),
                           self, G_CONNECT_SWAPPED);
  update_accept (self);
}
