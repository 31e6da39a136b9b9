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
#include "tokens-kept-page.h"
#include "tokens-bench-probe.h"
#include "tokens-onboarding.h"
#include "tokens-security-page.h"
#include "tokens-util.h"
#include "tokens-window.h"

struct _TokensWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  TokensSession        *session;      /* the app's, through app_binding */
  GBinding             *app_binding;  /* weak */
  GSignalGroup         *session_signals;
  TokensSessionState    problem;      /* what the problem page says */
  gboolean              kept_aside;   /* Kept Tokens shown over a problem */
  GCancellable         *cancellable;
  gint64                inactive_since;  /* monotonic µs; 0 while active */

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  GtkWidget            *loading_spinner;
  guint                 loading_slow_id;
  TokensOnboarding     *onboarding;   /* made when first needed */
  AdwViewStack         *view_stack;
  GtkMenuButton        *avatar_button;
  GtkWidget            *kept_back_button;
  AdwBin               *access_tokens_bin;
  AdwBin               *security_bin;
  AdwBin               *kept_bin;
  TokensKeptPage       *kept_page;             /* made when first shown */
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

enum {
  PROP_0,
  PROP_SESSION,
  PROP_PROBLEM,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensWindow, tokens_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties[N_PROPS];

static TokensOnboarding *ensure_onboarding (TokensWindow *self);
static TokensAccessTokensPage *ensure_access_tokens_page (TokensWindow *self);
static void show_kept_only (TokensWindow *self,
                            gboolean      kept_only);
static void set_kept_aside (TokensWindow *self,
                            gboolean      aside);

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

/* What the .ui binds the profile button, the loading page and the
 * problem page to: the session's account and the problem shown, in words.
 * The problem page's words are the session's when it was shown (`this` is
 * the window), so they stay while the page fades out. */

static char *
account_label (gpointer       this,
               TokensAccount *account)
{
  /* "ana@example.org on this computer" */
  return account ? tokens_account_dup_label (account) : NULL;
}

static char *
loading_title (gpointer this,
               gboolean is_local)
{
  return g_strdup (is_local ? _("Starting the Token Service…") : _("Connecting…"));
}

static gboolean
state_is (gpointer           this,
          TokensSessionState state,
          TokensSessionState expected)
{
  return state == expected;
}

static gboolean
state_is_not (gpointer           this,
              TokensSessionState state,
              TokensSessionState expected)
{
  return state != expected;
}

/* The problem page's title and icon for the problem it shows; FALSE
 * when there is none. */
static gboolean
problem_look (TokensSession       *session,
              TokensSessionState   problem,
              const char         **title,
              const char         **icon_name)
{
  const GError *error = session ? tokens_session_get_error (session) : NULL;

  if (problem == TOKENS_SESSION_STATE_SIGNED_OUT)
    {
      *title = _("Signed Out");
      *icon_name = "avatar-default-symbolic";
      return TRUE;
    }
  if (problem != TOKENS_SESSION_STATE_FAILED)
    return FALSE;

  *title = _("Something Went Wrong");
  *icon_name = "dialog-error-symbolic";
  if (error == NULL || error->domain != TOKENS_ERROR)
    return TRUE;

  switch (error->code)
    {
    case TOKENS_ERROR_NETWORK:
    case TOKENS_ERROR_TIMEOUT:
      *title = _("Cannot Reach the Service");
      *icon_name = "network-error-symbolic";
      break;
    case TOKENS_ERROR_TLS:
    case TOKENS_ERROR_INSECURE_URL:
      *title = _("The Connection Is Not Safe");
      *icon_name = "security-low-symbolic";
      break;
    case TOKENS_ERROR_KEYRING_UNAVAILABLE:
    case TOKENS_ERROR_KEYRING_LOCKED:
      *title = _("The Keyring Is Not Available");
      *icon_name = "dialog-password-symbolic";
      break;
    case TOKENS_ERROR_LOCAL_SERVICE:
      *title = _("The Token Service Did Not Start");
      *icon_name = "computer-fail-symbolic";
      break;
    case TOKENS_ERROR_CLIENT_TOKEN_REQUIRED:
    case TOKENS_ERROR_CLIENT_TOKEN_INVALID:
      *title = _("The Account Security Token Is Needed");
      *icon_name = "security-high-symbolic";
      break;
    default:
      break;
    }

  return TRUE;
}

static char *
problem_title (TokensWindow       *self,
               TokensSessionState  problem)
{
  const char *title, *icon_name;

  return problem_look (self->session, problem, &title, &icon_name) ? g_strdup (title) : NULL;
}

/* None until a problem is shown: a 128-pixel icon is drawn from SVG, not
 * worth loading unseen. */
static char *
problem_icon_name (TokensWindow       *self,
                   TokensSessionState  problem)
{
  const char *title, *icon_name;

  return problem_look (self->session, problem, &title, &icon_name) ? g_strdup (icon_name) : NULL;
}

static char *
problem_description (TokensWindow       *self,
                     TokensSessionState  problem)
{
  if (problem == TOKENS_SESSION_STATE_SIGNED_OUT && self->session != NULL)
    {
      g_autofree char *label = tokens_account_dup_label (tokens_session_get_account (self->session));

      /* Translators: %s is "ana@example.org on this computer" */
      return g_strdup_printf (_("Sign in again to use the tokens of %s."), label);
    }
  if (problem != TOKENS_SESSION_STATE_FAILED || self->session == NULL)
    return NULL;

  return tokens_util_error_message (tokens_session_get_error (self->session));
}

/* The problem page says what it shows, set when it is shown: a retry or
 * another account fades the old words out, not the next state's. */
static void
show_problem (TokensWindow       *self,
              TokensSessionState  problem)
{
  /* Notified even when unchanged: a retry may fail another way. */
  self->problem = problem;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
  gtk_stack_set_visible_child_name (self->main_stack, "problem");
}

/* Which page the session's state calls for; what each says is bound. */
static void
follow_state (TokensWindow *self)
{
  TokensSessionState state;

  if (self->session == NULL)
    return;

  /* The stepper stays up while it is in use, whatever happens behind it. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "onboarding") == 0)
    return;

  state = tokens_session_get_state (self->session);

  /* Kept Tokens, opened from the problem page, stay until the person
   * goes back or the account works again; a new problem is what Back
   * shows. */
  if (self->kept_aside)
    {
      if (state == TOKENS_SESSION_STATE_SIGNED_OUT || state == TOKENS_SESSION_STATE_FAILED)
        {
          self->problem = state;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
        }
      if (state != TOKENS_SESSION_STATE_READY)
        return;
      set_kept_aside (self, FALSE);
    }

  switch (state)
    {
    case TOKENS_SESSION_STATE_IDLE:
    case TOKENS_SESSION_STATE_CONNECTING:
      gtk_stack_set_visible_child_name (self->main_stack, "loading");
      break;

    case TOKENS_SESSION_STATE_READY:
      /* From "Connecting…" straight in: a cross-fade would paint both
       * whole pages for each of its frames, for a page seen a moment. */
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "loading") == 0)
        gtk_stack_set_visible_child_full (self->main_stack, "main", GTK_STACK_TRANSITION_TYPE_NONE);
      else
        gtk_stack_set_visible_child_name (self->main_stack, "main");
      break;

    case TOKENS_SESSION_STATE_SIGNED_OUT:
    case TOKENS_SESSION_STATE_FAILED:
    default:
      show_problem (self, state);
      break;
    }
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The state change says it all; follow_state() shows it. */
  tokens_session_connect_finish (TOKENS_SESSION (object), result, &error);
}

/* The profile menu opens with who is signed in, and where: its first
 * section's heading. A section's label is its item's attribute in the
 * menu around it, so the item is put back with the new one. */
static void
set_profile_heading (TokensWindow *self)
{
  g_autofree char *label = NULL;
  g_autofree char *heading = NULL;

  if (self->session == NULL)
    return;

  label = tokens_account_dup_label (tokens_session_get_account (self->session));
  /* Translators: the profile menu's heading; %s is "ana@example.org on this computer" */
  heading = g_strdup_printf (_("Signed in as %s"), label);
  g_menu_remove (G_MENU (self->profile_menu), 0);
  g_menu_insert_section (G_MENU (self->profile_menu), 0, heading, G_MENU_MODEL (self->signed_in_section));
}

static void
tokens_window_set_session (TokensWindow  *self,
                           TokensSession *session)
{
  if (!g_set_object (&self->session, session))
    return;

  g_signal_group_set_target (self->session_signals, session);
  set_profile_heading (self);
  /* The pages, bound to it, have the session before the window shows them. */
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  follow_state (self);
}

static void
start (TokensWindow *self)
{
  TokensApplication *app = get_app (self);
  TokensAccountList *accounts = tokens_application_get_accounts (app);
  TokensAccount *active;

  /* Followed already, through the `session` binding. */
  if (self->session != NULL)
    return;

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

  /* No token service at all: the person only keeps tokens they have. */
  if (g_settings_get_boolean (self->settings, "kept-only"))
    {
      show_kept_only (self, TRUE);
      return;
    }

  /* First run: the stepper. */
  tokens_onboarding_restart (ensure_onboarding (self), FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "onboarding");
}

static void
onboarding_finished_cb (TokensWindow *self)
{
  /* A service was added: the window is a whole one again. */
  if (g_settings_get_boolean (self->settings, "kept-only"))
    {
      g_settings_set_boolean (self->settings, "kept-only", FALSE);
      show_kept_only (self, FALSE);
    }
  gtk_stack_set_visible_child_name (self->main_stack, "main");
  adw_view_stack_set_visible_child_name (self->view_stack, "api-key");
  follow_state (self);
}

static void
onboarding_cancelled_cb (TokensWindow *self)
{
  if (self->session == NULL && g_settings_get_boolean (self->settings, "kept-only"))
    {
      show_kept_only (self, TRUE);
      return;
    }
  gtk_stack_set_visible_child_name (self->main_stack, "loading");
  follow_state (self);
}

static void
onboarding_keep_only_cb (TokensWindow *self)
{
  g_settings_set_boolean (self->settings, "kept-only", TRUE);
  show_kept_only (self, TRUE);
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
      g_signal_connect_object (self->onboarding, "keep-only",
                               G_CALLBACK (onboarding_keep_only_cb), self, G_CONNECT_SWAPPED);
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
      g_object_bind_property (self, "session", self->access_tokens_page, "session", G_BINDING_SYNC_CREATE);
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
      g_object_bind_property (self, "session", self->security_page, "session", G_BINDING_SYNC_CREATE);
      adw_bin_set_child (self->security_bin, GTK_WIDGET (self->security_page));
    }

  return self->security_page;
}

static TokensKeptPage *
ensure_kept_page (TokensWindow *self)
{
  if (self->kept_page == NULL)
    {
      self->kept_page = g_object_new (TOKENS_TYPE_KEPT_PAGE, NULL);
      adw_bin_set_child (self->kept_bin, GTK_WIDGET (self->kept_page));
    }

  return self->kept_page;
}

/* With no token service, the window is the Kept Tokens page alone: the
 * account's pages and the profile menu are not there, and the main menu
 * offers to add a service. */
static void
show_account_pages (TokensWindow *self,
                    gboolean      shown)
{
  static const char *account_pages[] = { "api-key", "access-tokens", "security" };

  for (guint i = 0; i < G_N_ELEMENTS (account_pages); i++)
    {
      GtkWidget *page = adw_view_stack_get_child_by_name (self->view_stack, account_pages[i]);

      adw_view_stack_page_set_visible (adw_view_stack_get_page (self->view_stack, page), shown);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->avatar_button), shown);
}

static void
show_kept_only (TokensWindow *self,
                gboolean      kept_only)
{
  show_account_pages (self, !kept_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-first-service", kept_only);

  if (kept_only)
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "kept");
      gtk_stack_set_visible_child_name (self->main_stack, "main");
    }
}

/* Kept tokens need no account, so a problem with the account (the
 * service unreachable, signed out, the keyring for its secrets) must not
 * hide them. The problem page keeps its one clear way on (Retry, Sign In
 * Again) and gains a second, quieter button to the Kept Tokens page, shown
 * alone — the account's pages would only repeat the problem — with a Back
 * button to the problem. That is the problem page GNOME apps show for a
 * failed account, plus what still works without it; a view switcher
 * with three pages that all say "cannot reach the service" would not be.
 * Once the account works again, its pages come back around the kept
 * tokens. */
static void
set_kept_aside (TokensWindow *self,
                gboolean      aside)
{
  self->kept_aside = aside;
  gtk_widget_set_visible (self->kept_back_button, aside);
  show_account_pages (self, !aside && !g_settings_get_boolean (self->settings, "kept-only"));
  if (aside)
    {
      adw_view_stack_set_visible_child_name (self->view_stack, "kept");
      gtk_stack_set_visible_child_name (self->main_stack, "main");
    }
}

/* Shows Kept Tokens from wherever the window is, except the stepper
 * while it is in use: from the problem page or while connecting, alone. */
static TokensKeptPage *
show_kept (TokensWindow *self)
{
  const char *shown = gtk_stack_get_visible_child_name (self->main_stack);

  if (g_strcmp0 (shown, "onboarding") == 0)
    return NULL;
  if (g_strcmp0 (shown, "main") != 0)
    set_kept_aside (self, TRUE);
  adw_view_stack_set_visible_child_name (self->view_stack, "kept");
  return ensure_kept_page (self);
}

/* win.show-kept: a kept token's id, or "" for the list; from the problem
 * page, a notification or the banner (app.show-kept). */
static void
show_kept_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TokensKeptPage *page = show_kept (TOKENS_WINDOW (widget));

  if (page != NULL)
    tokens_kept_page_select (page, g_variant_get_string (param, NULL));
}

static void
leave_kept_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  TokensWindow *self = TOKENS_WINDOW (widget);

  if (!self->kept_aside)
    return;
  set_kept_aside (self, FALSE);
  follow_state (self);
}

static void
view_page_changed_cb (TokensWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (g_strcmp0 (name, "access-tokens") == 0)
    ensure_access_tokens_page (self);
  else if (g_strcmp0 (name, "security") == 0)
    ensure_security_page (self);
  else if (g_strcmp0 (name, "kept") == 0)
    ensure_kept_page (self);
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

  /* Ctrl+F on Kept Tokens searches them. */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "kept") == 0 &&
      g_strcmp0 (g_variant_get_string (param, NULL), "tokens.search") == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (ensure_kept_page (self)), "kept.search", NULL);
      return;
    }

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
add_first_service_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  TokensWindow *self = TOKENS_WINDOW (widget);

  tokens_onboarding_restart (ensure_onboarding (self), TRUE);
  gtk_stack_set_visible_child_name (self->main_stack, "onboarding");
}

/* Add Existing Token… (Ctrl+Shift+N), from the main menu. */
static void
add_kept_token_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  TokensKeptPage *page = show_kept (TOKENS_WINDOW (widget));

  if (page != NULL)
    gtk_widget_activate_action (GTK_WIDGET (page), "kept.add", NULL);
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

  /* The pages follow the window's session (the API Key page through the
   * template), the window the app's. */
  g_set_weak_pointer (&self->app_binding,
                      g_object_bind_property (app, "session", self, "session", G_BINDING_SYNC_CREATE));
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
  if (self->app_binding != NULL)
    g_binding_unbind (self->app_binding);
  {
    GApplication *app = g_application_get_default ();
    TokensAccountList *accounts = app ? tokens_application_get_accounts (TOKENS_APPLICATION (app)) : NULL;

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
  g_clear_weak_pointer (&self->app_binding);

  G_OBJECT_CLASS (tokens_window_parent_class)->dispose (object);
}

static void
tokens_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TokensWindow *self = TOKENS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_PROBLEM:
      g_value_set_enum (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TokensWindow *self = TOKENS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      tokens_window_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_window_class_init (TokensWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tokens_window_constructed;
  object_class->dispose = tokens_window_dispose;
  object_class->get_property = tokens_window_get_property;
  object_class->set_property = tokens_window_set_property;

  /* The app's, followed; the pages bind to it. */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TOKENS_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* The session's state that the problem page speaks of: signed out or
   * failed, set when that page is shown. */
  properties[PROP_PROBLEM] =
    g_param_spec_enum ("problem", NULL, NULL, TOKENS_TYPE_SESSION_STATE, TOKENS_SESSION_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, avatar_button);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, kept_back_button);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, access_tokens_bin);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, security_bin);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, kept_bin);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, accounts_section);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, signed_in_section);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, profile_menu);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, problem_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TokensWindow, switcher_bar);
  gtk_widget_class_bind_template_callback (widget_class, account_label);
  gtk_widget_class_bind_template_callback (widget_class, loading_title);
  gtk_widget_class_bind_template_callback (widget_class, state_is);
  gtk_widget_class_bind_template_callback (widget_class, state_is_not);
  gtk_widget_class_bind_template_callback (widget_class, problem_title);
  gtk_widget_class_bind_template_callback (widget_class, problem_description);
  gtk_widget_class_bind_template_callback (widget_class, problem_icon_name);

  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.add-service", NULL, add_service_action);
  gtk_widget_class_install_action (widget_class, "win.add-first-service", NULL, add_first_service_action);
  gtk_widget_class_install_action (widget_class, "win.add-kept-token", NULL, add_kept_token_action);
  gtk_widget_class_install_action (widget_class, "win.show-kept", "s", show_kept_action);
  gtk_widget_class_install_action (widget_class, "win.leave-kept", NULL, leave_kept_action);
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
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "kept");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.add-kept-token", NULL);
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
  /* Named in the template's bindings. */
  g_type_ensure (TOKENS_TYPE_SESSION);
  g_type_ensure (TOKENS_TYPE_SESSION_STATE);
  g_type_ensure (TOKENS_TYPE_ACCOUNT);

  self->session_signals = g_signal_group_new (TOKENS_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "notify::state",
                                 G_CALLBACK (follow_state), self, G_CONNECT_SWAPPED);

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (main_page_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (view_page_changed_cb), self, G_CONNECT_SWAPPED);
  main_page_changed_cb (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-first-service", FALSE);

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
