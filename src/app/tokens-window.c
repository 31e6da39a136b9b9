/* tokens-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window shows the active account's session: starting, a
 * problem a person can act on (with Retry), the onboarding stepper, or
 * the profile pages — API Key, Access Tokens, Security — behind the
 * avatar's profile menu, as the vendors' dashboards have them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-access-tokens-page.h"
#include "tokens-api-key-page.h"
#include "tokens-bench-probe.h"
#include "tokens-onboarding.h"
#include "tokens-security-page.h"
#include "tokens-util.h"
#include "tokens-window.h"

struct _TokensWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  TokensSession        *session;      /* the app's, followed */
  GSignalGroup         *session_signals;
  GCancellable         *cancellable;
  gint64                inactive_since;  /* monotonic µs; 0 while active */

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *loading_page;
  GtkWidget            *loading_spinner;
  guint                 loading_slow_id;
  AdwStatusPage        *problem_page;
  GtkButton            *problem_sign_in_button;
  GtkButton            *retry_button;
  TokensOnboarding     *onboarding;   /* made when first needed */
  AdwViewStack         *view_stack;
  AdwAvatar            *avatar;
  GtkMenuButton        *avatar_button;
  TokensApiKeyPage     *api_key_page;
  AdwBin               *access_tokens_bin;
  AdwBin               *security_bin;
  TokensAccessTokensPage *access_tokens_page;  /* made when first shown */
  TokensSecurityPage   *security_page;         /* made when first shown */
  GMenu                *accounts_section;
  GMenu                *signed_in_section;
  GMenuModel           *primary_menu;
  GMenuModel           *profile_menu;
  GtkMenuButton        *problem_menu_button;
  GtkMenuButton        *primary_menu_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
};

G_DEFINE_FINAL_TYPE (TokensWindow, tokens_window, ADW_TYPE_APPLICATION_WINDOW)

static TokensOnboarding *ensure_onboarding (TokensWindow *self);
static TokensAccessTokensPage *ensure_access_tokens_page (TokensWindow *self);

static TokensApplication *
get_app (TokensWindow *self)
{
  /* The "application" property is set after construction, and there is
   * one application anyway. */
  return TOKENS_APPLICATION (g_application_get_default ());
}

TokensWindow *
tokens_window_new (TokensApplication *application)
{
  return g_object_new (TOKENS_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
show_problem (TokensWindow *self,
              const GError *error)
{
  g_autofree char *message = tokens_util_error_message (error);
  const char *title = _("Something Went Wrong");
  const char *icon = "dialog-error-symbolic";

  if (error != NULL && error->domain == TOKENS_ERROR)
    {
      switch (error->code)
        {
        case TOKENS_ERROR_NETWORK:
        case TOKENS_ERROR_TIMEOUT:
          title = _("Cannot Reach the Service");
          icon = "network-error-symbolic";
          break;
        case TOKENS_ERROR_TLS:
        case TOKENS_ERROR_INSECURE_URL:
          title = _("The Connection Is Not Safe");
          icon = "security-low-symbolic";
          break;
        case TOKENS_ERROR_KEYRING_UNAVAILABLE:
        case TOKENS_ERROR_KEYRING_LOCKED:
          title = _("The Keyring Is Not Available");
          icon = "dialog-password-symbolic";
          break;
        case TOKENS_ERROR_LOCAL_SERVICE:
          title = _("The Token Service Did Not Start");
          icon = "computer-fail-symbolic";
          break;
        case TOKENS_ERROR_CLIENT_TOKEN_REQUIRED:
        case TOKENS_ERROR_CLIENT_TOKEN_INVALID:
          title = _("The Account Security Token Is Needed");
          icon = "security-high-symbolic";
          break;
        default:
          break;
        }
    }

  adw_status_page_set_title (self->problem_page, title);
  adw_status_page_set_description (self->problem_page, message);
  adw_status_page_set_icon_name (self->problem_page, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_sign_in_button), FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "problem");
}

static void
update_profile (TokensWindow *self)
{
  TokensAccount *account = self->session ? tokens_session_get_account (self->session) : NULL;
  g_autofree char *tooltip = NULL;

  if (account == NULL)
    return;

  /* "ana@example.org on this computer" */
  tooltip = tokens_account_dup_label (account);
  adw_avatar_set_text (self->avatar, tokens_account_get_email (account));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->avatar_button), tooltip);

  /* The profile menu opens with who is signed in, and where: its first
   * section's heading. A section's label is its item's attribute in the
   * menu around it, so the item is put back with the new one. */
  {
    /* Translators: the profile menu's heading; %s is "ana@example.org on this computer" */
    g_autofree char *heading = g_strdup_printf (_("Signed in as %s"), tooltip);

    g_menu_remove (G_MENU (self->profile_menu), 0);
    g_menu_insert_section (G_MENU (self->profile_menu), 0, heading, G_MENU_MODEL (self->signed_in_section));
  }
}

static void
update_state (TokensWindow *self)
{
  TokensSessionState state;
  TokensAccount *account;

  if (self->session == NULL)
    return;

  /* The stepper stays up while it is in use, whatever happens behind it. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "onboarding") == 0)
    return;

  state = tokens_session_get_state (self->session);
  account = tokens_session_get_account (self->session);

  switch (state)
    {
    case TOKENS_SESSION_STATE_IDLE:
    case TOKENS_SESSION_STATE_CONNECTING:
      adw_status_page_set_title (self->loading_page,
                                 tokens_account_get_is_local (account)
                                   ? _("Starting the Token Service…")
                                   : _("Connecting…"));
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
      break;

    case TOKENS_SESSION_STATE_SIGNED_OUT:
      {
        g_autofree char *label = tokens_account_dup_label (account);
        /* Translators: %s is "ana@example.org on this computer" */
        g_autofree char *description = g_strdup_printf (_("Sign in again to use the tokens of %s."), label);

        adw_status_page_set_title (self->problem_page, _("Signed Out"));
        adw_status_page_set_description (self->problem_page, description);
        adw_status_page_set_icon_name (self->problem_page, "avatar-default-symbolic");
        /* Nothing failed that a retry would mend: one way on, signing in. */
        gtk_widget_set_visible (GTK_WIDGET (self->retry_button), FALSE);
        gtk_widget_set_visible (GTK_WIDGET (self->problem_sign_in_button), TRUE);
        gtk_stack_set_visible_child_name (self->main_stack, "problem");
      }
      break;

    case TOKENS_SESSION_STATE_READY:
      update_profile (self);
      /* From "Connecting…" straight in: a cross-fade would paint both
       * whole pages for each of its frames, for a page seen a moment. */
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0)
        gtk_stack_set_visible_child_full (self->main_stack, "main", GTK_STACK_TRANSITION_TYPE_NONE);
      else
        gtk_stack_set_visible_child_name (self->main_stack, "main");
      break;

    case TOKENS_SESSION_STATE_FAILED:
    default:
      show_problem (self, tokens_session_get_error (self->session));
      break;
    }
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The state change says it all; update_state() shows it. */
  tokens_session_connect_finish (TOKENS_SESSION (object), result, &error);
}

static void
session_changed_cb (TokensWindow *self)
{
  TokensSession *session = tokens_application_get_session (get_app (self));

  if (session == self->session)
    return;

  /* The pages follow the app's session through their bound `session`. */
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);
  if (session != NULL)
    update_profile (self);

  update_state (self);
}

static void
start (TokensWindow *self)
{
  TokensApplication *app = get_app (self);
  TokensAccountList *accounts = tokens_application_get_accounts (app);
  TokensAccount *active;

  if (tokens_application_get_session (app) != NULL)
    {
      session_changed_cb (self);
      return;
    }

  active = tokens_account_list_get_active (accounts);
  if (active == NULL && g_list_model_get_n_items (G_LIST_MODEL (accounts)) > 0)
    {
      g_autoptr(TokensAccount) first = g_list_model_get_item (G_LIST_MODEL (accounts), 0);
      tokens_application_open_account (app, first);
      return;
    }

  if (active != NULL)
    {
      tokens_application_open_account (app, active);
      return;
    }

  /* First run: the stepper. */
  tokens_onboarding_restart (ensure_onboarding (self), FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "onboarding");
}

static void
onboarding_finished_cb (TokensWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  adw_view_stack_set_visible_child_name (self->view_stack, "api-key");
  update_state (self);
}

static void
onboarding_cancelled_cb (TokensWindow *self)
{
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  update_state (self);
}

/* The stepper is only needed on a first run or to add a service: made
 * then, not at every start. */
static TokensOnboarding *
ensure_onboarding (TokensWindow *self)
{
  if (self->onboarding == NULL)
    {
      self->onboarding = g_object_new (TOKENS_TYPE_ONBOARDING, NULL);
      tokens_onboarding_set_menu (self->onboarding, self->primary_menu);
      g_signal_connect_object (self->onboarding, "finished",
                               G_CALLBACK (onboarding_finished_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->onboarding, "cancelled",
                               G_CALLBACK (onboarding_cancelled_cb), self, G_CONNECT_SWAPPED);
      gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->onboarding), "onboarding");
    }

  return self->onboarding;
}

/* The Access Tokens and Security pages are made when first shown, so a
 * start shows the API Key page without building (and styling, and
 * loading the icons of) two pages nobody has looked at yet. */
static TokensAccessTokensPage *
ensure_access_tokens_page (TokensWindow *self)
{
  if (self->access_tokens_page == NULL)
    {
      self->access_tokens_page = g_object_new (TOKENS_TYPE_ACCESS_TOKENS_PAGE, NULL);
      g_object_bind_property (get_app (self), "session", self->access_tokens_page, "session",
                              G_BINDING_SYNC_CREATE);
      adw_bin_set_child (self->access_tokens_bin, GTK_WIDGET (self->access_tokens_page));
    }

  return self->access_tokens_page;
}

static TokensSecurityPage *
ensure_security_page (TokensWindow *self)
{
  if (self->security_page == NULL)
    {
      self->security_page = g_object_new (TOKENS_TYPE_SECURITY_PAGE, NULL);
      g_object_bind_property (get_app (self), "session", self->security_page, "session",
                              G_BINDING_SYNC_CREATE);
      adw_bin_set_child (self->security_bin, GTK_WIDGET (self->security_page));
    }

  return self->security_page;
}

static void
view_page_changed_cb (TokensWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "access-tokens") == 0)
    ensure_access_tokens_page (self);
  else if (g_strcmp0 (name, "security") == 0)
    ensure_security_page (self);
}

/* A menu's popover is made when it first opens, not with the window. */
static void
create_menu_cb (GtkMenuButton *button,
                gpointer       user_data)
{
  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, G_MENU_MODEL (user_data));
}

static void
lazy_menu (GtkMenuButton *button,
           GMenuModel    *model)
{
  gtk_menu_button_set_create_popup_func (button, create_menu_cb,
                                         g_object_ref (model), g_object_unref);
}

/* The bottom switcher, for narrow windows, gets its buttons when it is
 * first shown. */
static void
narrow_cb (TokensWindow *self)
{
  if (adw_view_switcher_title_get_title_visible (self->switcher_title) &&
      adw_view_switcher_bar_get_stack (self->switcher_bar) == NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, self->view_stack);
}

/* A spinner only when starting takes long enough to wonder about: a
 * quick start (the usual one) shows no flash of it. */
#define SPINNER_DELAY_MS 300

static gboolean
loading_slow_cb (gpointer user_data)
{
  TokensWindow *self = user_data;

  self->loading_slow_id = 0;
  gtk_widget_set_visible (self->loading_spinner, TRUE);
  gtk_spinner_start (GTK_SPINNER (self->loading_spinner));

  return G_SOURCE_REMOVE;
}

static void
main_page_changed_cb (TokensWindow *self)
{
  gboolean loading = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0;

  if (!loading)
    {
      g_clear_handle_id (&self->loading_slow_id, g_source_remove);
      gtk_spinner_stop (GTK_SPINNER (self->loading_spinner));
      gtk_widget_set_visible (self->loading_spinner, FALSE);
    }
  else if (self->loading_slow_id == 0 && !gtk_widget_get_visible (self->loading_spinner))
    {
      self->loading_slow_id = g_timeout_add (SPINNER_DELAY_MS, loading_slow_cb, self);
    }
}

static void
rebuild_accounts_menu (TokensWindow *self)
{
  GListModel *accounts = G_LIST_MODEL (tokens_application_get_accounts (get_app (self)));
  guint n = g_list_model_get_n_items (accounts);

  g_menu_remove_all (self->accounts_section);

  /* One account needs no switcher. */
  if (n < 2)
    return;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TokensAccount) account = g_list_model_get_item (accounts, i);
      g_autofree char *label = tokens_account_dup_label (account);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "win.switch-account", "s", tokens_account_get_id (account));
      g_menu_append_item (self->accounts_section, item);
    }
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TokensWindow *self = TOKENS_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") == 0)
    adw_view_stack_set_visible_child_name (self->view_stack, g_variant_get_string (param, NULL));
}

/* Ctrl+N and Ctrl+F from anywhere in the profile pages. */
static void
page_action_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TokensWindow *self = TOKENS_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "main") != 0)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, "access-tokens");
  gtk_widget_activate_action (GTK_WIDGET (ensure_access_tokens_page (self)),
                              g_variant_get_string (param, NULL), NULL);
}

/**
 * tokens_window_show_token:
 *
 * Shows the Access Tokens page with the token selected, as when a
 * notification about it is clicked.
 */
gboolean
tokens_window_show_token (TokensWindow *self,
                          const char   *token_id)
{
  g_return_val_if_fail (TOKENS_IS_WINDOW (self), FALSE);

  adw_view_stack_set_visible_child_name (self->view_stack, "access-tokens");
  return tokens_access_tokens_page_select (ensure_access_tokens_page (self), token_id);
}

static void
add_service_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  TokensWindow *self = TOKENS_WINDOW (widget);

  tokens_onboarding_restart (ensure_onboarding (self), self->session != NULL);
  gtk_stack_set_visible_child_name (self->main_stack, "onboarding");
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  TokensWindow *self = TOKENS_WINDOW (widget);

  if (self->session == NULL)
    return;

  tokens_onboarding_sign_in_again (ensure_onboarding (self), tokens_session_get_account (self->session));
  gtk_stack_set_visible_child_name (self->main_stack, "onboarding");
}

static void
sign_out_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TokensWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tokens_session_sign_out_finish (TOKENS_SESSION (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = tokens_util_error_message (error);
      tokens_util_toast (GTK_WIDGET (self), message);
    }
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TokensWindow *self = TOKENS_WINDOW (widget);

  if (self->session != NULL)
    tokens_session_sign_out_async (self->session, self->cancellable, sign_out_cb, self);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  TokensWindow *self = TOKENS_WINDOW (widget);

  if (self->session != NULL)
    tokens_session_connect_async (self->session, self->cancellable, connect_cb, self);
  else
    start (self);
}

static void
switch_account_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  TokensWindow *self = TOKENS_WINDOW (widget);
  TokensAccountList *accounts = tokens_application_get_accounts (get_app (self));
  TokensAccount *account = tokens_account_list_find_by_id (accounts, g_variant_get_string (param, NULL));

  if (account == NULL ||
      (self->session != NULL && tokens_session_get_account (self->session) == account))
    return;

  tokens_application_open_account (get_app (self), account);
}

/* Ctrl+?: built when first asked for, not with every window. */
static void
show_shortcuts_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/org/example/Tokens/tokens-shortcuts-window.ui");

      /* Given to the window, which fills in the keys of the shortcuts
       * that name an action, and takes it along when it goes. */
      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

static void
tokens_window_constructed (GObject *object)
{
  TokensWindow *self = (TokensWindow *) object;
  TokensApplication *app = get_app (self);

  G_OBJECT_CLASS (tokens_window_parent_class)->constructed (object);

  self->session_signals = g_signal_group_new (TOKENS_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::state",
                                 G_CALLBACK (update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->session_signals, "notify::profile",
                                 G_CALLBACK (update_profile), self, G_CONNECT_SWAPPED);
  g_object_bind_property (app, "session", self->api_key_page, "session", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (app, "notify::session", G_CALLBACK (session_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (tokens_application_get_accounts (app), "items-changed",
                           G_CALLBACK (rebuild_accounts_menu), self, G_CONNECT_SWAPPED);
  rebuild_accounts_menu (self);
  start (self);
}

static void
tokens_window_dispose (GObject *object)
{
  TokensWindow *self = TOKENS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* The app and its accounts outlive a closed window (it may run in the
   * background): a later session or account change must not reach it. */
  {
    GApplication *app = g_application_get_default ();
    TokensAccountList *accounts = app ? tokens_application_get_accounts (TOKENS_APPLICATION (app)) : NULL;

    if (app != NULL)
      g_signal_handlers_disconnect_by_data (app, self);
    if (accounts != NULL)
      g_signal_handlers_disconnect_by_data (accounts, self);
  }
  /* Taking the stacks apart changes their visible pages: that must not
   * make a page or start the spinner's timeout now. */
  if (self->main_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->main_stack, self);
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->view_stack, self);
  if (self->switcher_title != NULL)
    g_signal_handlers_disconnect_by_data (self->switcher_title, self);
  g_clear_handle_id (&self->loading_slow_id, g_source_remove);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_WINDOW);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tokens_window_parent_class)->dispose (object);
}

static void
tokens_window_class_init (TokensWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tokens_window_constructed;
  object_class->dispose = tokens_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, problem_page);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, problem_sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, avatar);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, avatar_button);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, api_key_page);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, access_tokens_bin);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, security_bin);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, accounts_section);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, signed_in_section);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, profile_menu);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, problem_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, switcher_bar);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.add-service", NULL, add_service_action);
  gtk_widget_class_install_action (widget_class, "win.sign-in", NULL, sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.switch-account", "s", switch_account_action);
  gtk_widget_class_install_action (widget_class, "win.page-action", "s", page_action_action);
  /* Ctrl+? is the application's accelerator for it. */
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, show_shortcuts_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "api-key");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "access-tokens");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "security");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "win.page-action", "s", "tokens.generate");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.page-action", "s", "tokens.search");
}

/* Back from elsewhere (a terminal where a token was just used, another
 * computer): the list catches up with the service. A second away is
 * enough; a glance at a menu is not. */
#define REFRESH_AFTER_AWAY_US G_USEC_PER_SEC

static void
is_active_cb (TokensWindow *self)
{
  if (!gtk_window_is_active (GTK_WINDOW (self)))
    {
      self->inactive_since = g_get_monotonic_time ();
      return;
    }

  if (self->session != NULL && self->inactive_since != 0 &&
      g_get_monotonic_time () - self->inactive_since >= REFRESH_AFTER_AWAY_US)
    tokens_session_refresh_tokens (self->session);
  self->inactive_since = 0;
}

static void
tokens_window_init (TokensWindow *self)
{
  g_type_ensure (TOKENS_TYPE_API_KEY_PAGE);

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (main_page_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (view_page_changed_cb), self, G_CONNECT_SWAPPED);
  main_page_changed_cb (self);

  lazy_menu (self->problem_menu_button, self->primary_menu);
  lazy_menu (self->primary_menu_button, self->primary_menu);
  lazy_menu (self->avatar_button, self->profile_menu);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (narrow_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (is_active_cb), NULL);

  tokens_bench_probe_window (GTK_WINDOW (self), self->main_stack, self->view_stack);
  tokens_util_hide_inactive_pages (GTK_WIDGET (self->main_stack));
  tokens_util_hide_inactive_pages (GTK_WIDGET (self->view_stack));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}
