/* tokens-onboarding.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The stepper, after the vendors' "where to get your token" pages:
 * (1) choose the service, (2) sign in or create an account, (3) your API
 * token, shown, with Copy, already in the keyring, (4) keep it safe.
 * Shown on first run and from "Add a Service". When it is done, the new
 * account's session is the app's, and ::finished lands on the API Key page.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-application.h"
#include "tokens-onboarding.h"
#include "tokens-secret-row.h"
#include "tokens-step-indicator.h"
#include "tokens-util.h"

enum {
  STEP_SERVICE,
  STEP_SIGN_IN,
  STEP_TOKEN,
  STEP_SAFE,
  N_STEPS
};

static const char *step_names[N_STEPS] = { "service", "sign-in", "token", "safe" };

struct _TokensOnboarding
{
  GtkWidget            parent_instance;

  TokensSession       *session;      /* being signed in */
  GCancellable        *cancellable;
  guint                step;
  gboolean             busy;
  gboolean             signed_in;
  gboolean             has_local_account;

  TokensStepIndicator *step_indicator;
  GtkStack            *pages;
  GtkButton           *cancel_button;
  GtkMenuButton       *menu_button;
  AdwWindowTitle      *window_title;
  GtkButton           *back_button;
  GtkButton           *next_button;
  GtkSpinner          *spinner;
  GtkToggleButton     *local_toggle;
  GtkToggleButton     *remote_toggle;
  GtkLabel            *service_description;
  AdwEntryRow         *address_row;
  AdwActionRow        *insecure_row;
  GtkSwitch           *insecure_switch;
  GtkLabel            *service_error;
  GtkButton           *keep_only_button;
  GtkLabel            *sign_in_title;
  GtkToggleButton     *sign_in_toggle;
  GtkToggleButton     *sign_up_toggle;
  AdwEntryRow         *email_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel            *sign_in_error;
  GtkStack            *token_stack;
  TokensSecretRow     *token_row;
  AdwActionRow        *saved_row;
  GtkImage            *saved_icon;
};

enum {
  FINISHED,
  CANCELLED,
  KEEP_ONLY,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TokensOnboarding, tokens_onboarding, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];

static TokensApplication *
app (void)
{
  return TOKENS_APPLICATION (g_application_get_default ());
}

static void
update (TokensOnboarding *self)
{
  gtk_stack_set_visible_child_name (self->pages, step_names[self->step]);
  tokens_step_indicator_set_current (self->step_indicator, self->step);

  gtk_button_set_label (self->next_button,
                        self->step == STEP_SAFE ? _("_Finish") : _("_Next"));

  /* Once signed in there is no going back to the password. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.back",
                                 !self->busy && self->step > STEP_SERVICE && self->step != STEP_TOKEN);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "onboarding.next", !self->busy);
  /* Not shown where it could not be used: step 1, and after signing in. */
  gtk_widget_set_visible (GTK_WIDGET (self->back_button), self->step > STEP_SERVICE && self->step != STEP_TOKEN);

  gtk_spinner_set_spinning (self->spinner, self->busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);

  gtk_label_set_text (self->sign_in_title,
                      gtk_toggle_button_get_active (self->sign_up_toggle)
                        ? _("Create an Account") : _("Sign In"));
}

static void
set_busy (TokensOnboarding *self,
          gboolean          busy)
{
  self->busy = busy;
  update (self);
}

static void
show_error (GtkLabel     *label,
            const GError *error)
{
  g_autofree char *message = tokens_util_error_message (error);

  /* A label's accessible name is its text: a screen reader reads it. */
  gtk_label_set_text (label, message);
  gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
}

static void
go_to (TokensOnboarding *self,
       guint             step)
{
  self->step = step;
  update (self);

  if (step == STEP_SIGN_IN)
    gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
}

static gboolean
address_is_plain_http (TokensOnboarding *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));

  return g_ascii_strncasecmp (text, "http://", 7) == 0;
}

static void
address_changed_cb (TokensOnboarding *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->service_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->insecure_row), address_is_plain_http (self));
}

static void
service_changed_cb (TokensOnboarding *self)
{
  gboolean remote = gtk_toggle_button_get_active (self->remote_toggle);

  gtk_widget_set_visible (GTK_WIDGET (self->service_error), FALSE);
  gtk_label_set_text (self->service_description,
                      remote ? _("A token service at an address, such as your team’s")
                             : _("A token service that Tokens runs for you"));
  /* A team's server usually has the account already; a first run on
   * this computer does not. */
  gtk_toggle_button_set_active (remote || self->has_local_account ? self->sign_in_toggle
                                                                  : self->sign_up_toggle,
                                TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->insecure_row), remote && address_is_plain_http (self));
  if (remote)
    gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
}

/* Step 3: the token, from the sign-up, the keyring, or a reset. */

static gboolean
keyring_locked (TokensOnboarding *self)
{
  return self->session != NULL &&
         g_error_matches (tokens_session_get_save_error (self->session),
                          TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED);
}

static void
show_token (TokensOnboarding *self,
            const char       *secret,
            gboolean          saved)
{
  if (secret == NULL)
    {
      gtk_stack_set_visible_child_name (self->token_stack, "unknown");
      return;
    }

  {
    g_autofree char *last4 = tokens_token_last4 (secret);
    g_autofree char *hint = tokens_token_hint (TOKENS_TOKEN_KIND_API_KEY, last4);
    tokens_secret_row_set_hint (self->token_row, hint);
  }
  tokens_secret_row_set_secret (self->token_row, secret);
  /* Hidden, as everywhere: the eye shows it (the seed: never let it be
   * seen over a shoulder or in a screenshot). */
  tokens_secret_row_set_revealed (self->token_row, FALSE);
  gtk_stack_set_visible_child_name (self->token_stack, "shown");

  if (saved)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->saved_row), _("Saved to your keyring"));
      adw_action_row_set_subtitle (self->saved_row,
                                   _("Tokens can copy it for you later, from the window or the tray."));
    }
  else if (keyring_locked (self))
    {
      /* The person said no to the unlock prompt: a keyring is there, and
       * libtokens says what to do about it. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->saved_row), _("Not saved: the keyring is locked"));
      adw_action_row_set_subtitle (self->saved_row, tokens_session_get_save_error (self->session)->message);
    }
  else
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->saved_row), _("Not saved: no keyring is available"));
      adw_action_row_set_subtitle (self->saved_row,
                                   _("Copy it now and keep it somewhere safe: the service will not show it again."));
    }
  gtk_image_set_from_icon_name (self->saved_icon, saved ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->saved_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, saved ? _("Saved") : _("Not saved"),
                                  -1);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  TokensOnboarding *self = user_data;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  secret = tokens_session_lookup_secret_finish (TOKENS_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  show_token (self, secret, TRUE);
  go_to (self, STEP_TOKEN);
}

static void
reset_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  TokensOnboarding *self = user_data;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved = FALSE;

  secret = tokens_session_reset_api_token_finish (TOKENS_SESSION (object), result, &saved, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  if (secret == NULL)
    {
      g_autofree char *message = tokens_util_error_message (error);
      tokens_util_toast (GTK_WIDGET (self->pages), message);
      return;
    }

  show_token (self, secret, saved);
}

static void
reset_confirmed (GtkWidget *widget,
                 gpointer   user_data)
{
  TokensOnboarding *self = TOKENS_ONBOARDING (widget);

  set_busy (self, TRUE);
  tokens_session_reset_api_token_async (self->session, self->cancellable, reset_cb, self);
}

static void
reset_token_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  tokens_util_confirm_reset_api_token (widget, reset_confirmed);
}

/* Step 2: sign in or create the account. */

static void
sign_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TokensOnboarding *self = user_data;
  TokensSession *session = TOKENS_SESSION (object);
  g_autoptr(TokensSecret) api_token = NULL;
  g_autoptr(GError) error = NULL;
  TokensAccountList *accounts;
  TokensAccount *account;
  gboolean saved = FALSE;

  api_token = tokens_session_sign_in_finish (session, result, &saved, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (error != NULL)
    {
      set_busy (self, FALSE);
      if (gtk_toggle_button_get_active (self->sign_up_toggle) &&
          g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT))
        {
          /* The one conflict a sign-up has: say what to do instead. */
          gtk_label_set_text (self->sign_in_error,
                              _("An account with this email address already exists on this service. Choose “I Have an Account” to sign in."));
          gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), TRUE);
          return;
        }
      show_error (self->sign_in_error, error);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  /* Signed in: the account is kept, and is the one the window shows. */
  self->signed_in = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  accounts = tokens_application_get_accounts (app ());
  account = tokens_session_get_account (session);
  if (tokens_account_list_find_by_id (accounts, tokens_account_get_id (account)) == NULL)
    tokens_account_list_add (accounts, account, NULL);
  tokens_application_set_session (app (), session);

  if (api_token != NULL)
    {
      set_busy (self, FALSE);
      show_token (self, api_token, saved);
      go_to (self, STEP_TOKEN);
      return;
    }

  tokens_session_lookup_secret_async (session, TOKENS_TOKEN_KIND_API_KEY, NULL,
                                      self->cancellable, lookup_cb, self);
}

static TokensAccount *
account_for_form (TokensOnboarding *self,
                  const char       *email)
{
  TokensAccountList *accounts = tokens_application_get_accounts (app ());
  gboolean local = gtk_toggle_button_get_active (self->local_toggle);
  const char *address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  TokensAccount *known;
  TokensAccount *account;

  known = tokens_account_list_find (accounts, local ? TOKENS_LOCAL_SERVICE_URI : address, email);
  if (known != NULL)
    {
      if (!local)
        tokens_account_set_allow_insecure (known, gtk_switch_get_active (self->insecure_switch));
      return g_object_ref (known);
    }

  if (local)
    return tokens_account_new_local (email, NULL);

  account = tokens_account_new (address, email, NULL);
  tokens_account_set_allow_insecure (account, gtk_switch_get_active (self->insecure_switch));
  return account;
}

static void
sign_in (TokensOnboarding *self)
{
  g_autoptr(TokensAccount) account = NULL;
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), FALSE);

  if (email[0] == '\0' || strchr (email, '@') == NULL)
    {
      gtk_label_set_text (self->sign_in_error, _("Enter your email address."));
      gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->email_row));
      return;
    }

  if (password[0] == '\0')
    {
      gtk_label_set_text (self->sign_in_error, _("Enter your password."));
      gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  account = account_for_form (self, email);
  g_clear_object (&self->session);
  self->session = tokens_application_create_session (app (), account);

  set_busy (self, TRUE);
  tokens_session_sign_in_async (self->session, password,
                                gtk_toggle_button_get_active (self->sign_up_toggle),
                                self->cancellable, sign_in_cb, self);
}

/* Step 1: the service. */

static gboolean
check_service (TokensOnboarding *self)
{
  g_autoptr(GError) error = NULL;
  const char *address;

  if (gtk_toggle_button_get_active (self->local_toggle))
    return TRUE;

  address = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  if (!tokens_account_check_service_url (address, gtk_switch_get_active (self->insecure_switch), &error))
    {
      /* Our own checks say precisely what is wrong with the address. */
      gtk_label_set_text (self->service_error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->service_error), TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->insecure_row), address_is_plain_http (self));
      gtk_widget_grab_focus (GTK_WIDGET (self->address_row));
      return FALSE;
    }

  return TRUE;
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TokensOnboarding *self = TOKENS_ONBOARDING (widget);

  if (self->busy)
    return;

  switch (self->step)
    {
    case STEP_SERVICE:
      if (check_service (self))
        go_to (self, STEP_SIGN_IN);
      break;

    case STEP_SIGN_IN:
      sign_in (self);
      break;

    case STEP_TOKEN:
      go_to (self, STEP_SAFE);
      break;

    case STEP_SAFE:
    default:
      tokens_secret_row_forget (self->token_row);
      g_signal_emit (self, signals[FINISHED], 0);
      break;
    }
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  TokensOnboarding *self = TOKENS_ONBOARDING (widget);

  if (self->step > STEP_SERVICE && self->step != STEP_TOKEN && !self->busy)
    go_to (self, self->step - 1);
}

static void
keep_only_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TokensOnboarding *self = TOKENS_ONBOARDING (widget);

  if (self->busy)
    return;

  g_cancellable_cancel (self->cancellable);
  g_signal_emit (self, signals[KEEP_ONLY], 0);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensOnboarding *self = TOKENS_ONBOARDING (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, FALSE);
  tokens_secret_row_forget (self->token_row);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
token_row_need_secret_cb (TokensOnboarding *self)
{
  /* The row was given its secret when shown; nothing else to find. */
  tokens_secret_row_fail (self->token_row);
}

/**
 * tokens_onboarding_restart:
 * @can_cancel: whether there is somewhere to go back to (another account)
 *
 * Starts over at step 1 with an empty form.
 */
void
tokens_onboarding_restart (TokensOnboarding *self,
                           gboolean          can_cancel)
{
  TokensAccountList *accounts;
  gboolean has_local = FALSE;

  g_return_if_fail (TOKENS_IS_ONBOARDING (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->session);
  self->busy = FALSE;
  self->signed_in = FALSE;

  accounts = tokens_application_get_accounts (app ());
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (accounts)); i++)
    {
      g_autoptr(TokensAccount) account = g_list_model_get_item (G_LIST_MODEL (accounts), i);
      has_local |= tokens_account_get_is_local (account);
    }

  self->has_local_account = has_local;
  gtk_toggle_button_set_active (self->local_toggle, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), "");
  gtk_switch_set_active (self->insecure_switch, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->email_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  /* On a first run the service on this computer has no account yet. */
  gtk_toggle_button_set_active (has_local ? self->sign_in_toggle : self->sign_up_toggle, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->service_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sign_in_error), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), can_cancel);
  gtk_widget_set_visible (GTK_WIDGET (self->keep_only_button), !can_cancel);
  adw_window_title_set_title (self->window_title, _("Add a Service"));
  tokens_secret_row_forget (self->token_row);

  go_to (self, STEP_SERVICE);
}

/**
 * tokens_onboarding_set_menu:
 *
 * The window's main menu, so Preferences and About are there on a first
 * run too.
 */
void
tokens_onboarding_set_menu (TokensOnboarding *self,
                            GMenuModel       *menu)
{
  g_return_if_fail (TOKENS_IS_ONBOARDING (self));

  gtk_menu_button_set_menu_model (self->menu_button, menu);
}

/**
 * tokens_onboarding_sign_in_again:
 * @account: an account whose session ended
 *
 * Starts at step 2 for @account, its service and email filled in.
 */
void
tokens_onboarding_sign_in_again (TokensOnboarding *self,
                                 TokensAccount    *account)
{
  g_return_if_fail (TOKENS_IS_ONBOARDING (self));
  g_return_if_fail (TOKENS_IS_ACCOUNT (account));

  tokens_onboarding_restart (self, TRUE);
  adw_window_title_set_title (self->window_title, _("Sign In Again"));

  if (tokens_account_get_is_local (account))
    gtk_toggle_button_set_active (self->local_toggle, TRUE);
  else
    {
      gtk_toggle_button_set_active (self->remote_toggle, TRUE);
      gtk_editable_set_text (GTK_EDITABLE (self->address_row), tokens_account_get_service_url (account));
      gtk_switch_set_active (self->insecure_switch, tokens_account_get_allow_insecure (account));
    }

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), tokens_account_get_email (account));
  gtk_toggle_button_set_active (self->sign_in_toggle, TRUE);
  go_to (self, STEP_SIGN_IN);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
tokens_onboarding_dispose (GObject *object)
{
  TokensOnboarding *self = (TokensOnboarding *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_ONBOARDING);
  /* A GtkWidget (unlike AdwBin) leaves its template's top child to us. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (tokens_onboarding_parent_class)->dispose (object);
}

static void
tokens_onboarding_class_init (TokensOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_onboarding_dispose;

  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[CANCELLED] =
    g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The person chose to only keep the tokens they have: no service. */
  signals[KEEP_ONLY] =
    g_signal_new ("keep-only", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-onboarding.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, step_indicator);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, pages);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, menu_button);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, window_title);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, back_button);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, next_button);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, spinner);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, local_toggle);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, remote_toggle);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, service_description);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, address_row);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, insecure_row);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, insecure_switch);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, service_error);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, keep_only_button);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, sign_in_title);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, sign_in_toggle);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, sign_up_toggle);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, email_row);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, password_row);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, sign_in_error);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, token_stack);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, token_row);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, saved_row);
  gtk_widget_class_bind_template_child (widget_class, TokensOnboarding, saved_icon);

  gtk_widget_class_install_action (widget_class, "onboarding.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "onboarding.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "onboarding.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "onboarding.keep-only", NULL, keep_only_action);
  gtk_widget_class_install_action (widget_class, "onboarding.reset-token", NULL, reset_token_action);

  /* Enter moves on, as in any form; Alt+Left goes back. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "onboarding.back", NULL);
}

static void
password_activated_cb (TokensOnboarding *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "onboarding.next", NULL);
}

static void
tokens_onboarding_init (TokensOnboarding *self)
{
  const char *titles[N_STEPS + 1] = {
    _("Service"),
    _("Sign In"),
    _("API Token"),
    _("Keep It Safe"),
    NULL
  };

  g_type_ensure (TOKENS_TYPE_STEP_INDICATOR);
  g_type_ensure (TOKENS_TYPE_SECRET_ROW);

  gtk_widget_init_template (GTK_WIDGET (self));

  tokens_util_hide_inactive_pages (GTK_WIDGET (self->pages));
  tokens_util_hide_inactive_pages (GTK_WIDGET (self->token_stack));

  self->cancellable = g_cancellable_new ();
  tokens_step_indicator_set_steps (self->step_indicator, titles);

  g_signal_connect_object (self->address_row, "changed", G_CALLBACK (address_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->remote_toggle, "toggled", G_CALLBACK (service_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sign_up_toggle, "toggled", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->token_row, "need-secret", G_CALLBACK (token_row_need_secret_cb), self, G_CONNECT_SWAPPED);
  /* The row says "Copied" itself, in the stepper's own overlay (its
   * nearest), clear of Back and Next. */
  /* Enter in the password field signs in. */
  g_signal_connect_object (self->password_row, "entry-activated", G_CALLBACK (password_activated_cb),
                           self, G_CONNECT_SWAPPED);

  update (self);
}
