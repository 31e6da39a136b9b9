/* tokens-security-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Security page's "Account security token" module, as the zapi seed
 * has it: Configure Now makes a token that starts disabled; with every
 * client sending it in the Client-Token header, Activate Token makes the
 * service refuse requests without it. The app sends it itself (the
 * session saves it to the keyring and gives it to its client), so the
 * app keeps working once it is active.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-secret-row.h"
#include "tokens-security-page.h"
#include "tokens-util.h"

struct _TokensSecurityPage
{
  AdwBin               parent_instance;

  TokensSession       *session;
  TokensSecurityToken *security_token;   /* the session's, through session_bindings */
  GBindingGroup       *session_bindings;
  GCancellable        *cancellable;

  TokensSecretRow     *secret_row;
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SECURITY_TOKEN,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensSecurityPage, tokens_security_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* The state at a glance: a word, a colour, a shape. */
static const struct {
  const char *title;
  const char *subtitle;
  const char *icon_name;
  const char *style;
} looks[] = {
  [TOKENS_SECURITY_TOKEN_STATE_NONE] = {
    N_("Not Configured"), N_("The service accepts requests without it"),
    "security-low-symbolic", "dim-label" },
  [TOKENS_SECURITY_TOKEN_STATE_DISABLED] = {
    N_("Disabled"), N_("Set up your requests to send it, then activate it"),
    "security-medium-symbolic", "warning" },
  [TOKENS_SECURITY_TOKEN_STATE_ACTIVE] = {
    N_("Active"), N_("Requests without the token are refused"),
    "security-high-symbolic", "success" },
};

static TokensSecurityTokenState
state_of (TokensSecurityToken *token)
{
  TokensSecurityTokenState state = token ? tokens_security_token_get_state (token)
                                         : TOKENS_SECURITY_TOKEN_STATE_NONE;

  return state < G_N_ELEMENTS (looks) ? state : TOKENS_SECURITY_TOKEN_STATE_NONE;
}

/* What the .ui binds the state row, the buttons and the groups to: the
 * page's security-token (the session's), put in words. */

static char *
state_title (gpointer             this,
             TokensSecurityToken *token)
{
  return g_strdup (_(looks[state_of (token)].title));
}

static char *
state_subtitle (gpointer             this,
                TokensSecurityToken *token)
{
  return g_strdup (_(looks[state_of (token)].subtitle));
}

static char *
state_icon_name (gpointer             this,
                 TokensSecurityToken *token)
{
  return g_strdup (looks[state_of (token)].icon_name);
}

static GStrv
state_css_classes (gpointer             this,
                   TokensSecurityToken *token)
{
  const char *classes[] = { "state-icon", looks[state_of (token)].style, NULL };

  return g_strdupv ((char **) classes);
}

static gboolean
state_is (gpointer                  this,
          TokensSecurityToken      *token,
          TokensSecurityTokenState  state)
{
  return state_of (token) == state;
}

static gboolean
state_is_not (gpointer                  this,
              TokensSecurityToken      *token,
              TokensSecurityTokenState  state)
{
  return state_of (token) != state;
}

static char *
security_token_hint (gpointer             this,
                     TokensSecurityToken *token)
{
  return token ? tokens_security_token_dup_hint (token) : NULL;
}

static void
set_security_token (TokensSecurityPage  *self,
                    TokensSecurityToken *token)
{
  if (g_set_object (&self->security_token, token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY_TOKEN]);
}

static void
set_busy (TokensSecurityPage *self,
          gboolean            busy)
{
  static const char * const actions[] = {
    "security.configure", "security.activate", "security.deactivate", "security.delete",
  };

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), actions[i], !busy && self->session != NULL);
}

static gboolean
finish_or_toast (TokensSecurityPage *self,
                 GError             *error)
{
  if (error == NULL)
    return TRUE;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = tokens_util_error_message (error);

      set_busy (self, FALSE);
      tokens_util_toast (GTK_WIDGET (self), message);
    }

  return FALSE;
}

static void
configured_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TokensSecurityPage *self = user_data;
  g_autoptr(TokensSecret) secret = NULL;
  GError *error = NULL;
  gboolean saved = FALSE;

  secret = tokens_session_configure_security_token_finish (TOKENS_SESSION (object), result, &saved, &error);
  if (!finish_or_toast (self, error))
    {
      g_clear_error (&error);
      return;
    }

  set_busy (self, FALSE);
  /* Shown once, revealed, as the service hands it out. */
  tokens_secret_row_set_secret (self->secret_row, secret);
  tokens_secret_row_set_revealed (self->secret_row, TRUE);
  if (saved)
    tokens_util_toast (GTK_WIDGET (self),
                       _("Account security token saved to your keyring"));
  else if (g_error_matches (tokens_session_get_save_error (TOKENS_SESSION (object)),
                            TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED))
    tokens_util_toast (GTK_WIDGET (self),
                       _("Account security token made, but not saved: the keyring is locked. Copy it now."));
  else
    tokens_util_toast (GTK_WIDGET (self),
                       _("Account security token made, but not saved: no keyring is available. Copy it now."));
}

static void
state_changed (TokensSecurityPage *self,
               gboolean            ok,
               GError             *error)
{
  if (!ok && !finish_or_toast (self, error))
    {
      g_clear_error (&error);
      return;
    }

  set_busy (self, FALSE);
  if (state_of (self->security_token) == TOKENS_SECURITY_TOKEN_STATE_NONE)
    tokens_secret_row_forget (self->secret_row);
}

static void
activated_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError *error = NULL;
  gboolean ok = tokens_session_activate_security_token_finish (TOKENS_SESSION (object), result, &error);

  state_changed (user_data, ok, error);
}

static void
deactivated_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GError *error = NULL;
  gboolean ok = tokens_session_deactivate_security_token_finish (TOKENS_SESSION (object), result, &error);

  state_changed (user_data, ok, error);
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError *error = NULL;
  gboolean ok = tokens_session_delete_security_token_finish (TOKENS_SESSION (object), result, &error);

  state_changed (user_data, ok, error);
}

static void
configure_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TokensSecurityPage *self = TOKENS_SECURITY_PAGE (widget);

  set_busy (self, TRUE);
  tokens_session_configure_security_token_async (self->session, self->cancellable, configured_cb, self);
}

static void
activate_confirmed (GtkWidget *widget,
                    gpointer   user_data)
{
  TokensSecurityPage *self = TOKENS_SECURITY_PAGE (widget);

  set_busy (self, TRUE);
  tokens_session_activate_security_token_async (self->session, self->cancellable, activated_cb, self);
}

static void
activate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  tokens_util_confirm (widget, _("Activate Token?"),
                       _("From now on the service accepts only requests that carry the token in the "
                         "Client-Token header. Requests without it get “null not allowed”. "
                         "Tokens sends it for you."),
                       _("_Activate Token"), activate_confirmed, NULL, NULL);
}

static void
deactivate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TokensSecurityPage *self = TOKENS_SECURITY_PAGE (widget);

  set_busy (self, TRUE);
  tokens_session_deactivate_security_token_async (self->session, self->cancellable, deactivated_cb, self);
}

static void
delete_confirmed (GtkWidget *widget,
                  gpointer   user_data)
{
  TokensSecurityPage *self = TOKENS_SECURITY_PAGE (widget);

  set_busy (self, TRUE);
  tokens_session_delete_security_token_async (self->session, self->cancellable, deleted_cb, self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  tokens_util_confirm (widget, _("Delete the Account Security Token?"),
                       _("Requests no longer need it. To use one again, configure a new one."),
                       _("_Delete"), delete_confirmed, NULL, NULL);
}

void
tokens_security_page_set_session (TokensSecurityPage *self,
                                  TokensSession      *session)
{
  g_return_if_fail (TOKENS_IS_SECURITY_PAGE (self));

  if (self->session == session)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_set_object (&self->session, session);
  /* The state follows the session's; with none, there is none. */
  g_binding_group_set_source (self->session_bindings, session);
  if (session == NULL)
    set_security_token (self, NULL);

  tokens_secret_row_forget (self->secret_row);
  set_busy (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

static void
tokens_security_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TokensSecurityPage *self = TOKENS_SECURITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SECURITY_TOKEN:
      g_value_set_object (value, self->security_token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_security_page_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TokensSecurityPage *self = TOKENS_SECURITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tokens_security_page_set_session (self, g_value_get_object (value));
      break;
    case PROP_SECURITY_TOKEN:
      set_security_token (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_security_page_unmap (GtkWidget *widget)
{
  tokens_secret_row_forget (TOKENS_SECURITY_PAGE (widget)->secret_row);

  GTK_WIDGET_CLASS (tokens_security_page_parent_class)->unmap (widget);
}

static void
tokens_security_page_dispose (GObject *object)
{
  TokensSecurityPage *self = (TokensSecurityPage *) object;

  g_cancellable_cancel (self->cancellable);
  /* The session outlives the page. */
  if (self->session_bindings != NULL)
    g_binding_group_set_source (self->session_bindings, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_SECURITY_PAGE);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->security_token);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tokens_security_page_parent_class)->dispose (object);
}

static void
tokens_security_page_class_init (TokensSecurityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_security_page_dispose;
  object_class->get_property = tokens_security_page_get_property;
  object_class->set_property = tokens_security_page_set_property;
  widget_class->unmap = tokens_security_page_unmap;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TOKENS_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The session's security token, followed: what the template binds to.
   * Writable only for that binding; it is the session's to change. */
  properties[PROP_SECURITY_TOKEN] =
    g_param_spec_object ("security-token", NULL, NULL, TOKENS_TYPE_SECURITY_TOKEN,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-security-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensSecurityPage, secret_row);
  gtk_widget_class_bind_template_callback (widget_class, state_title);
  gtk_widget_class_bind_template_callback (widget_class, state_subtitle);
  gtk_widget_class_bind_template_callback (widget_class, state_icon_name);
  gtk_widget_class_bind_template_callback (widget_class, state_css_classes);
  gtk_widget_class_bind_template_callback (widget_class, state_is);
  gtk_widget_class_bind_template_callback (widget_class, state_is_not);
  gtk_widget_class_bind_template_callback (widget_class, security_token_hint);

  gtk_widget_class_install_action (widget_class, "security.configure", NULL, configure_action);
  gtk_widget_class_install_action (widget_class, "security.activate", NULL, activate_action);
  gtk_widget_class_install_action (widget_class, "security.deactivate", NULL, deactivate_action);
  gtk_widget_class_install_action (widget_class, "security.delete", NULL, delete_action);
}

static void
tokens_security_page_init (TokensSecurityPage *self)
{
  g_type_ensure (TOKENS_TYPE_SECRET_ROW);
  /* Named in the template's bindings. */
  g_type_ensure (TOKENS_TYPE_SECURITY_TOKEN);
  g_type_ensure (TOKENS_TYPE_SECURITY_TOKEN_STATE);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  /* The row reads the saved token from the page's session itself. */
  tokens_secret_row_set_source (self->secret_row, NULL, TOKENS_TOKEN_KIND_CLIENT, NULL);
  g_object_bind_property (self, "session", self->secret_row, "session", G_BINDING_SYNC_CREATE);

  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "security-token", self, "security-token",
                        G_BINDING_SYNC_CREATE);
  set_busy (self, FALSE);
}
