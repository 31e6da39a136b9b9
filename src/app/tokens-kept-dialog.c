/* tokens-kept-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Add a token a person already has, edit its details, or replace its
 * secret after a rotation at the vendor. A pasted secret is recognised
 * offline (tokens-format.c) as it is typed: the service, its initial and
 * where its tokens are managed. A secret whose checksum does not match
 * "looks mistyped", and keeping it takes a second, deliberate click
 * (Keep Anyway). A secret that is kept already is not kept twice: the
 * dialog says under which name it is, or which account saved it (its API
 * token, an access token) when the app has it already. The keyring calls go through the
 * app's TokensKeptList, the one writer of those items.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tokens-application.h"
#include "tokens-kept-dialog.h"
#include "tokens-kept-row.h"
#include "tokens-util.h"

typedef enum
{
  MODE_ADD,
  MODE_EDIT,
  MODE_REPLACE,
} Mode;

struct _TokensKeptDialog
{
  AdwWindow          parent_instance;

  Mode               mode;
  TokensKeptList    *list;
  TokensKeptToken   *token;      /* edit, replace */
  TokensFormatMatch  match;
  gboolean           recognised;
  gboolean           insist;     /* a mistyped secret, Keep Anyway shown */
  gboolean           busy;
  GCancellable      *cancellable;

  AdwWindowTitle    *window_title;
  GtkButton         *accept_button;
  GtkSpinner        *spinner;
  GtkLabel          *intro_label;
  GtkListBox        *secret_list;
  AdwPasswordEntryRow *secret_row;
  GtkListBox        *service_list;
  AdwActionRow      *service_row;
  GtkLabel          *initial_label;
  GtkButton         *manage_button;
  GtkLabel          *problem_label;
  GtkListBox        *details_list;
  AdwEntryRow       *name_row;
  AdwEntryRow       *used_in_row;
  AdwEntryRow       *expiry_row;
  GtkCalendar       *calendar;
  AdwEntryRow       *note_row;
  GtkLabel          *expiry_hint;
};

enum { SAVED, N_SIGNALS };

G_DEFINE_FINAL_TYPE (TokensKeptDialog, tokens_kept_dialog, ADW_TYPE_WINDOW)

static guint signals[N_SIGNALS];

static void
say_problem (TokensKeptDialog *self,
             const char       *problem)
{
  gtk_label_set_text (self->problem_label, problem ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), problem != NULL);
}

static char *
dup_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));

  g_strstrip (text);
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static const char *
accept_label (TokensKeptDialog *self)
{
  switch (self->mode)
    {
    case MODE_ADD:
      return self->insist ? _("Keep _Anyway") : _("_Keep");
    case MODE_REPLACE:
      return self->insist ? _("Replace _Anyway") : _("_Replace");
    case MODE_EDIT:
    default:
      return _("_Save");
    }
}

static void
update_actions (TokensKeptDialog *self)
{
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  gboolean ready = !self->busy;

  if (self->mode != MODE_EDIT)
    ready = ready && *secret != '\0';
  if (self->mode != MODE_REPLACE)
    ready = ready && *name != '\0';

  gtk_button_set_label (self->accept_button, accept_label (self));
  if (self->insist)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->accept_button), "suggested-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->accept_button), "destructive-action");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->accept_button), "destructive-action");
      gtk_widget_add_css_class (GTK_WIDGET (self->accept_button), "suggested-action");
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "kept-dialog.accept", ready);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
}

static void
show_service (TokensKeptDialog *self,
              const char       *service,
              const char       *service_name,
              const char       *description)
{
  g_autofree char *initial = tokens_kept_service_initial (service, service_name);
  const char *url = tokens_kept_service_manage_url (service);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->service_row), service_name);
  adw_action_row_set_subtitle (self->service_row, description ? description : "");
  gtk_label_set_text (self->initial_label, initial);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->initial_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, service_name, -1);
  gtk_widget_set_visible (GTK_WIDGET (self->manage_button), url != NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->manage_button), url);
}

static void
secret_changed_cb (TokensKeptDialog *self)
{
  const char *pasted = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  g_autoptr(TokensSecret) secret = tokens_format_trim_pasted (pasted);

  self->insist = FALSE;
  say_problem (self, NULL);

  if (*secret == '\0')
    {
      self->recognised = FALSE;
      if (self->mode == MODE_ADD)
        gtk_widget_set_visible (GTK_WIDGET (self->service_list), FALSE);
      update_actions (self);
      return;
    }

  self->recognised = tokens_format_recognize (tokens_format_rules_get_default (), secret, &self->match);
  if (!self->recognised)
    self->match.check = TOKENS_FORMAT_CHECK_OTHER;
  show_service (self,
                self->recognised ? tokens_format_match_get_service_id (&self->match) : TOKENS_FORMAT_SERVICE_OTHER,
                tokens_format_match_get_display_name (&self->match),
                tokens_format_match_describe (&self->match));
  gtk_widget_set_visible (GTK_WIDGET (self->service_list), TRUE);
  update_actions (self);
}

static void
day_selected_cb (TokensKeptDialog *self)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (self->calendar);
  g_autofree char *text = g_date_time_format (day, "%Y-%m-%d");

  gtk_editable_set_text (GTK_EDITABLE (self->expiry_row), text);
}

/* YYYY-MM-DD, a real day; empty is "no expiry". */
static gboolean
read_expiry (TokensKeptDialog  *self,
             char             **expires_on)
{
  g_autofree char *text = dup_text (self->expiry_row);
  int year, month, day;
  char end;

  *expires_on = NULL;
  if (text == NULL)
    return TRUE;

  if (strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &end) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;

  *expires_on = g_steal_pointer (&text);
  return TRUE;
}

static void
set_busy (TokensKeptDialog *self,
          gboolean          busy)
{
  /* Only the button waits: making the rows insensitive would take the
   * focus from an entry without a focus-out (GTK 4.8 warns of it). */
  self->busy = busy;
  /* What was checked is what is kept: the secret cannot change while the
   * keyring is asked about it (not editable keeps the focus). */
  gtk_editable_set_editable (GTK_EDITABLE (self->secret_row), !busy);
  update_actions (self);
}

/* The dialog a keyring call answered, no longer busy; NULL when the call
 * was cancelled (the dialog may be gone) or failed (said in the dialog). */
static TokensKeptDialog *
answered (gpointer      user_data,
          const GError *error)
{
  TokensKeptDialog *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return NULL;

  self = TOKENS_KEPT_DIALOG (user_data);
  set_busy (self, FALSE);
  if (error != NULL)
    {
      g_autofree char *message = tokens_util_error_message (error);

      say_problem (self, message);
      return NULL;
    }
  return self;
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensKeptToken) token = NULL;
  TokensKeptDialog *self;

  token = tokens_kept_list_save_finish (TOKENS_KEPT_LIST (object), result, &error);
  if ((self = answered (user_data, error)) == NULL)
    return;

  g_signal_emit (self, signals[SAVED], 0, token);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
save (TokensKeptDialog *self)
{
  g_autoptr(TokensKept) details = NULL;
  g_autoptr(TokensSecret) secret = NULL;

  if (self->token != NULL)
    details = tokens_kept_copy (tokens_kept_token_get_details (self->token));
  else
    details = g_new0 (TokensKept, 1);

  if (self->mode != MODE_EDIT)
    {
      secret = tokens_format_trim_pasted (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));
      /* A new token takes what the format says; a replaced one keeps its
       * service unless the new secret names one. */
      if (self->mode == MODE_ADD || self->recognised)
        {
          g_free (details->service);
          g_free (details->service_name);
          details->service = g_strdup (self->recognised ? tokens_format_match_get_service_id (&self->match)
                                                        : TOKENS_FORMAT_SERVICE_OTHER);
          details->service_name = g_strdup (tokens_format_match_get_display_name (&self->match));
        }
    }

  if (self->mode != MODE_REPLACE)
    {
      g_free (details->name);
      g_free (details->used_in);
      g_free (details->note);
      g_free (details->expires_on);
      details->name = dup_text (self->name_row);
      details->used_in = dup_text (self->used_in_row);
      details->note = dup_text (self->note_row);
      read_expiry (self, &details->expires_on);
    }

  set_busy (self, TRUE);
  tokens_kept_list_save_async (self->list, details, secret, self->cancellable, saved_cb, self);
}

/* What an account's saved secret is, in a sentence: "…as the API token of
 * ana@example.org on this computer". */
static char *
saved_already (const TokensStoreItem *item,
               TokensAccount         *account)
{
  g_autofree char *whose = account ? tokens_account_dup_label (account) : g_strdup (item->email);

  switch (item->kind)
    {
    case TOKENS_TOKEN_KIND_API_KEY:
      /* Translators: %s is "ana@example.org on this computer" */
      return g_strdup_printf (_("This token is already saved, as the API token of %s."), whose);
    case TOKENS_TOKEN_KIND_ACCESS:
      if (item->name != NULL && *item->name != '\0')
        /* Translators: the first %s is an access token's name, the second "ana@example.org on this computer" */
        return g_strdup_printf (_("This token is already saved, as the access token “%s” of %s."),
                                item->name, whose);
      /* Translators: %s is "ana@example.org on this computer" */
      return g_strdup_printf (_("This token is already saved, as an access token of %s."), whose);
    case TOKENS_TOKEN_KIND_CLIENT:
      /* Translators: %s is "ana@example.org on this computer" */
      return g_strdup_printf (_("This token is already saved, as the account security token of %s."), whose);
    case TOKENS_TOKEN_KIND_SESSION:
    default:
      /* Translators: %s is "ana@example.org on this computer" */
      return g_strdup_printf (_("This token is already saved, for %s."), whose);
    }
}

static void
found_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensStoreItem) item = NULL;
  TokensAccount *account = NULL;
  TokensKeptDialog *self;

  item = tokens_account_list_find_saved_secret_finish (TOKENS_ACCOUNT_LIST (object), result, &account, &error);
  if ((self = answered (user_data, error)) == NULL)
    return;
  if (item != NULL)
    {
      g_autofree char *problem = saved_already (item, account);

      say_problem (self, problem);
      return;
    }

  save (self);
}

static void
found_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensKeptToken) found = NULL;
  TokensKeptDialog *self;

  found = tokens_kept_list_find_secret_finish (TOKENS_KEPT_LIST (object), result, &error);
  if ((self = answered (user_data, error)) == NULL)
    return;

  if (found != NULL && self->token != NULL &&
      g_strcmp0 (tokens_kept_token_get_id (found), tokens_kept_token_get_id (self->token)) == 0)
    {
      say_problem (self, _("This is the secret Tokens already keeps for this token. Paste the new one."));
      return;
    }

  if (found != NULL)
    {
      /* Translators: %s is the name a kept token was given */
      g_autofree char *problem = g_strdup_printf (_("This token is already kept, as “%s”."),
                                                  tokens_kept_token_get_name (found));

      say_problem (self, problem);
      return;
    }

  /* Nor is a secret an account saved: the app has it, and a second copy
   * would outlive a reset or a revocation unnoticed. A replacement too. */
  {
    g_autoptr(TokensSecret) secret =
      tokens_format_trim_pasted (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));
    TokensAccountList *accounts = tokens_application_get_accounts (TOKENS_APPLICATION (g_application_get_default ()));

    set_busy (self, TRUE);
    tokens_account_list_find_saved_secret_async (accounts, secret, self->cancellable, found_saved_cb, self);
  }
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensKeptDialog *self = TOKENS_KEPT_DIALOG (widget);
  g_autofree char *expires_on = NULL;

  if (self->busy)
    return;

  if (self->mode != MODE_REPLACE && !read_expiry (self, &expires_on))
    {
      say_problem (self, _("The expiry date is not a date. Write it as YYYY-MM-DD, such as 2027-01-31, or leave it empty."));
      gtk_widget_grab_focus (GTK_WIDGET (self->expiry_row));
      return;
    }

  if (self->mode == MODE_EDIT)
    {
      save (self);
      return;
    }

  /* A mistyped secret is kept only when asked twice. */
  if (self->match.check == TOKENS_FORMAT_CHECK_MISTYPED && !self->insist)
    {
      g_autofree char *problem =
        /* Translators: %s is a sentence on what is wrong with the pasted token */
        g_strdup_printf (_("%s\nCheck it at the service. To keep it as it is, choose “Keep Anyway”."),
                         tokens_format_match_describe (&self->match));

      self->insist = TRUE;
      update_actions (self);
      say_problem (self, problem);
      return;
    }

  {
    g_autoptr(TokensSecret) secret =
      tokens_format_trim_pasted (gtk_editable_get_text (GTK_EDITABLE (self->secret_row)));

    say_problem (self, NULL);
    set_busy (self, TRUE);
    tokens_kept_list_find_secret_async (self->list, secret, self->cancellable, found_cb, self);
  }
}

static void
manage_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TokensKeptDialog *self = TOKENS_KEPT_DIALOG (widget);
  const char *url = gtk_widget_get_tooltip_text (GTK_WIDGET (self->manage_button));

  if (url != NULL)
    gtk_show_uri (GTK_WINDOW (self), url, GDK_CURRENT_TIME);
}

static void
tokens_kept_dialog_dispose (GObject *object)
{
  TokensKeptDialog *self = TOKENS_KEPT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_KEPT_DIALOG);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->token);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (tokens_kept_dialog_parent_class)->dispose (object);
}

static void
tokens_kept_dialog_class_init (TokensKeptDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_kept_dialog_dispose;

  /**
   * TokensKeptDialog::saved:
   * @token: the token as it is now kept
   */
  signals[SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, TOKENS_TYPE_KEPT_TOKEN);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-kept-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, accept_button);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, intro_label);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, secret_list);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, secret_row);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, service_list);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, service_row);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, initial_label);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, manage_button);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, problem_label);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, details_list);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, used_in_row);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, calendar);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, note_row);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptDialog, expiry_hint);
  gtk_widget_class_bind_template_callback (widget_class, day_selected_cb);

  gtk_widget_class_install_action (widget_class, "kept-dialog.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "kept-dialog.manage", NULL, manage_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tokens_kept_dialog_init (TokensKeptDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  g_signal_connect_object (self->secret_row, "changed", G_CALLBACK (secret_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->name_row, "changed", G_CALLBACK (update_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->secret_row, "entry-activated", G_CALLBACK (gtk_widget_grab_focus),
                           self->name_row, G_CONNECT_SWAPPED);
}

static TokensKeptDialog *
dialog_new (GtkWindow       *parent,
            Mode             mode,
            TokensKeptList  *list,
            TokensKeptToken *token)
{
  TokensKeptDialog *self = g_object_new (TOKENS_TYPE_KEPT_DIALOG,
                                         "transient-for", parent,
                                         NULL);
  const TokensKept *kept = token ? tokens_kept_token_get_details (token) : NULL;
  const char *intro = NULL;
  g_autofree char *replace_intro = NULL;

  self->mode = mode;
  /* No wider than a narrow window (a phone's 360 px) it belongs to. */
  if (parent != NULL && gtk_widget_get_width (GTK_WIDGET (parent)) > 0)
    {
      int width, height;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   MIN (width, gtk_widget_get_width (GTK_WIDGET (parent))), height);
    }
  self->list = g_object_ref (list);
  self->token = token ? g_object_ref (token) : NULL;

  switch (mode)
    {
    case MODE_ADD:
      gtk_window_set_title (GTK_WINDOW (self), _("Add Existing Token"));
      intro = _("Paste a token you already have. Tokens recognises its service, checks it for typos, and keeps it in your keyring.");
      gtk_widget_set_visible (GTK_WIDGET (self->service_list), FALSE);
      break;

    case MODE_EDIT:
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Details"));
      gtk_widget_set_visible (GTK_WIDGET (self->secret_list), FALSE);
      break;

    case MODE_REPLACE:
    default:
      gtk_window_set_title (GTK_WINDOW (self), _("Replace Secret"));
      /* Translators: %s is the name a kept token was given */
      replace_intro = g_strdup_printf (_("After rotating “%s” at its service, paste the new secret here. The old secret is removed from your keyring."),
                                       kept->name);
      intro = replace_intro;
      gtk_widget_set_visible (GTK_WIDGET (self->details_list), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->expiry_hint), FALSE);
      break;
    }

  adw_window_title_set_title (self->window_title, gtk_window_get_title (GTK_WINDOW (self)));
  gtk_label_set_text (self->intro_label, intro ? intro : "");
  gtk_widget_set_visible (GTK_WIDGET (self->intro_label), intro != NULL);

  if (kept != NULL)
    {
      show_service (self, kept->service, kept->service_name, NULL);
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), kept->name);
      gtk_editable_set_text (GTK_EDITABLE (self->used_in_row), kept->used_in ? kept->used_in : "");
      gtk_editable_set_text (GTK_EDITABLE (self->expiry_row), kept->expires_on ? kept->expires_on : "");
      gtk_editable_set_text (GTK_EDITABLE (self->note_row), kept->note ? kept->note : "");
    }

  update_actions (self);
  gtk_widget_grab_focus (GTK_WIDGET (mode == MODE_EDIT ? self->name_row : (gpointer) self->secret_row));
  return self;
}

TokensKeptDialog *
tokens_kept_dialog_new_add (GtkWindow      *parent,
                            TokensKeptList *list)
{
  return dialog_new (parent, MODE_ADD, list, NULL);
}

TokensKeptDialog *
tokens_kept_dialog_new_edit (GtkWindow       *parent,
                             TokensKeptList  *list,
                             TokensKeptToken *token)
{
  return dialog_new (parent, MODE_EDIT, list, token);
}

TokensKeptDialog *
tokens_kept_dialog_new_replace (GtkWindow       *parent,
                                TokensKeptList  *list,
                                TokensKeptToken *token)
{
  return dialog_new (parent, MODE_REPLACE, list, token);
}
