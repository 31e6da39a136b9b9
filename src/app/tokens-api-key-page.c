/* tokens-api-key-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The profile's API Key page, as the discloud seed has it: the personal
 * API token hidden, the eye icon to reveal it (from the keyring), Copy,
 * Reset Token with a confirmation, and the security best practices.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-api-key-page.h"
#include "tokens-application.h"
#include "tokens-best-practices.h"
#include "tokens-clipboard.h"
#include "tokens-secret-row.h"
#include "tokens-util.h"

struct _TokensApiKeyPage
{
  AdwBin           parent_instance;

  TokensSession   *session;
  GSignalGroup    *session_signals;
  GCancellable    *cancellable;
  gboolean         busy;             /* a reset under way */
  TokensSecret    *old_secret;       /* during a reset: the token it kills, if on the clipboard */

  TokensSecretRow *secret_row;
  AdwActionRow    *created_row;
  AdwActionRow    *last_used_row;
  GtkButton       *reset_button;
};

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensApiKeyPage, tokens_api_key_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* What the .ui binds the rows to: the session's api-key, put in words. */

static char *
api_key_hint (gpointer      this,
              TokensApiKey *api_key)
{
  return api_key ? tokens_api_key_dup_hint (api_key) : NULL;
}

static char *
format_past (gpointer   this,
             GDateTime *time)
{
  return time ? tokens_util_format_past (time) : g_strdup ("");
}

/* What the page shows is bound in its .ui; only an action's enabled state
 * cannot be bound, so it is set here. */
static void
update_reset_action (TokensApiKeyPage *self)
{
  TokensApiKey *api_key = self->session ? tokens_session_get_api_key (self->session) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "api-key.reset", api_key != NULL && !self->busy);
}

static void
api_key_changed_cb (TokensApiKeyPage *self)
{
  /* A reset elsewhere: the token this page may hold is dead. (After a
   * reset here, reset_cb gives the row the new one after this.) */
  tokens_secret_row_forget (self->secret_row);
  update_reset_action (self);
}

static void
reset_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  TokensApiKeyPage *self = user_data;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved = FALSE;

  secret = tokens_session_reset_api_token_finish (TOKENS_SESSION (object), result, &saved, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->busy = FALSE;
  update_reset_action (self);

  if (secret == NULL)
    {
      g_autofree char *message = tokens_util_error_message (error);

      g_clear_pointer (&self->old_secret, tokens_secret_free);
      tokens_util_toast (GTK_WIDGET (self), message);
      return;
    }

  /* The old token is dead: if it waits on the clipboard, it goes now,
   * not at the timeout (pasted, it would only fail). */
  if (self->old_secret != NULL)
    tokens_clipboard_clear_secret (tokens_application_get_clipboard (TOKENS_APPLICATION (g_application_get_default ())),
                                   self->old_secret);
  g_clear_pointer (&self->old_secret, tokens_secret_free);

  /* Shown at once, so the person can update what used the old one. */
  update_reset_action (self);
  tokens_secret_row_set_secret (self->secret_row, secret);
  tokens_secret_row_set_revealed (self->secret_row, TRUE);
  if (saved)
    tokens_util_toast (GTK_WIDGET (self), _("New API token saved to your keyring"));
  else if (g_error_matches (tokens_session_get_save_error (TOKENS_SESSION (object)),
                            TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED))
    tokens_util_toast (GTK_WIDGET (self),
                       _("New API token made, but not saved: the keyring is locked. Copy it now, or unlock the keyring and reset again."));
  else
    tokens_util_toast (GTK_WIDGET (self),
                       _("New API token made, but not saved: no keyring is available. Copy it now."));
}

static void
old_token_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  TokensApiKeyPage *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->old_secret, tokens_secret_free);
  self->old_secret = tokens_session_lookup_secret_finish (TOKENS_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Not found or no keyring: reset all the same, the clipboard's timeout
   * still clears it. */
  tokens_session_reset_api_token_async (self->session, self->cancellable, reset_cb, self);
}

static void
reset_confirmed (GtkWidget *widget,
                 gpointer   user_data)
{
  TokensApiKeyPage *self = TOKENS_API_KEY_PAGE (widget);

  if (self->session == NULL)
    return;

  tokens_secret_row_forget (self->secret_row);
  self->busy = TRUE;
  update_reset_action (self);

  /* Only worth a look in the keyring when something of ours is on the
   * clipboard: was it the token this reset kills? */
  if (tokens_clipboard_holds_secret (tokens_application_get_clipboard (TOKENS_APPLICATION (g_application_get_default ()))))
    tokens_session_lookup_secret_async (self->session, TOKENS_TOKEN_KIND_API_KEY, NULL,
                                        self->cancellable, old_token_cb, self);
  else
    tokens_session_reset_api_token_async (self->session, self->cancellable, reset_cb, self);
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  tokens_util_confirm_reset_api_token (widget, reset_confirmed);
}

void
tokens_api_key_page_set_session (TokensApiKeyPage *self,
                                 TokensSession    *session)
{
  g_return_if_fail (TOKENS_IS_API_KEY_PAGE (self));

  if (self->session == session)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);

  tokens_secret_row_forget (self->secret_row);
  self->busy = FALSE;
  update_reset_action (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
tokens_api_key_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TokensApiKeyPage *self = TOKENS_API_KEY_PAGE (object);

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
tokens_api_key_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  TokensApiKeyPage *self = TOKENS_API_KEY_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tokens_api_key_page_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_api_key_page_unmap (GtkWidget *widget)
{
  TokensApiKeyPage *self = TOKENS_API_KEY_PAGE (widget);

  /* Hidden again when the person leaves: a revealed token does not wait
   * on screen, and its copy in memory goes. */
  tokens_secret_row_forget (self->secret_row);

  GTK_WIDGET_CLASS (tokens_api_key_page_parent_class)->unmap (widget);
}

static void
tokens_api_key_page_dispose (GObject *object)
{
  TokensApiKeyPage *self = (TokensApiKeyPage *) object;

  g_cancellable_cancel (self->cancellable);
  /* The session outlives the page: nothing of its may reach it now. */
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_API_KEY_PAGE);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->old_secret, tokens_secret_free);

  G_OBJECT_CLASS (tokens_api_key_page_parent_class)->dispose (object);
}

static void
tokens_api_key_page_class_init (TokensApiKeyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_api_key_page_dispose;
  object_class->get_property = tokens_api_key_page_get_property;
  object_class->set_property = tokens_api_key_page_set_property;
  widget_class->unmap = tokens_api_key_page_unmap;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TOKENS_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-api-key-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensApiKeyPage, secret_row);
  gtk_widget_class_bind_template_child (widget_class, TokensApiKeyPage, created_row);
  gtk_widget_class_bind_template_child (widget_class, TokensApiKeyPage, last_used_row);
  gtk_widget_class_bind_template_child (widget_class, TokensApiKeyPage, reset_button);
  gtk_widget_class_bind_template_callback (widget_class, api_key_hint);
  gtk_widget_class_bind_template_callback (widget_class, format_past);

  gtk_widget_class_install_action (widget_class, "api-key.reset", NULL, reset_action);
}

static void
tokens_api_key_page_init (TokensApiKeyPage *self)
{
  g_type_ensure (TOKENS_TYPE_SECRET_ROW);
  g_type_ensure (TOKENS_TYPE_BEST_PRACTICES);
  /* Named in the template's bindings. */
  g_type_ensure (TOKENS_TYPE_SESSION);
  g_type_ensure (TOKENS_TYPE_API_KEY);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* The row reads the API token from the page's session itself. */
  tokens_secret_row_set_source (self->secret_row, NULL, TOKENS_TOKEN_KIND_API_KEY, NULL);
  g_object_bind_property (self, "session", self->secret_row, "session", G_BINDING_SYNC_CREATE);

  self->session_signals = g_signal_group_new (TOKENS_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::api-key",
                                 G_CALLBACK (api_key_changed_cb), self, G_CONNECT_SWAPPED);
  update_reset_action (self);
}
