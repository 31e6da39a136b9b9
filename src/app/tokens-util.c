/* tokens-util.c — small helpers the app's widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens.h"
#include "tokens-util.h"

/**
 * tokens_util_error_message:
 *
 * Returns: (transfer full): what to tell a person about @error, in their
 *   language: our sentence for the code, and for a refusal of what was
 *   sent, the service's own words on what was wrong
 */
char *
tokens_util_error_message (const GError *error)
{
  const char *sentence;

  if (error == NULL)
    return g_strdup (tokens_error_describe (TOKENS_ERROR_FAILED));

  if (error->domain != TOKENS_ERROR)
    return g_strdup (tokens_error_describe (TOKENS_ERROR_FAILED));

  sentence = tokens_error_describe (error->code);

  /* What was wrong with the input, after our sentence; the message is in
   * the person's language (the client's reply reader sees to the
   * service's). */
  if ((error->code == TOKENS_ERROR_INVALID_INPUT || error->code == TOKENS_ERROR_CONFLICT) &&
      g_strcmp0 (error->message, sentence) != 0)
    return g_strdup_printf ("%s %s", sentence, error->message);

  return g_strdup (sentence);
}

/**
 * tokens_util_format_past:
 * @time: (nullable): a moment in the past
 *
 * Returns: (transfer full): "Never", "Just now", "5 minutes ago"… or the
 *   date, for a row's subtitle
 */
char *
tokens_util_format_past (GDateTime *time)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) local = NULL;
  GTimeSpan span;
  gint64 n;

  if (time == NULL)
    return g_strdup (_("Never"));

  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (now, time);

  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("Just now"));

  if (span < G_TIME_SPAN_HOUR)
    {
      n = span / G_TIME_SPAN_MINUTE;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n), (int) n);
    }

  if (span < G_TIME_SPAN_DAY)
    {
      n = span / G_TIME_SPAN_HOUR;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), (int) n);
    }

  if (span < 30 * G_TIME_SPAN_DAY)
    {
      n = span / G_TIME_SPAN_DAY;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", n), (int) n);
    }

  local = g_date_time_to_local (time);
  /* Translators: a date, as strftime() writes it */
  return g_date_time_format (local, _("%Y-%m-%d"));
}

/* Calendar days from @now's day to the day @expires_at falls on, both
 * read at @now's offset from UTC; -1 once it has passed. A token made now
 * for 90 days expires on the 90th day from today, whatever the hour:
 * counting 24-hour spans would say 89 a second after it was made. And
 * whatever daylight saving does in between: read in local time, a token
 * made at 00:30 ends at 23:30 on the 89th day when the clocks go back an
 * hour before then (one made at 23:30, at 00:30 on the 91st when they go
 * forward). At @now's offset both ends are on the same clock. */
static gint64
days_left (GDateTime *expires_at,
           GDateTime *now)
{
  g_autoptr(GDateTime) local_now = NULL;
  g_autoptr(GTimeZone) frame = NULL;
  g_autoptr(GDateTime) expires = NULL;

  if (g_date_time_compare (expires_at, now) <= 0)
    return -1;

  local_now = g_date_time_to_local (now);
  frame = g_time_zone_new_offset ((gint32) (g_date_time_get_utc_offset (local_now) / G_TIME_SPAN_SECOND));
  expires = g_date_time_to_timezone (expires_at, frame);
  return tokens_kept_days_until (expires, local_now);
}

/* @in_sentence: the words go after other words ("new token expires in
 * 90 days"), so they start in lower case. */
static char *
say_expiry (GDateTime *expires_at,
            GDateTime *now,
            gboolean   in_sentence)
{
  gint64 days;

  if (expires_at == NULL)
    return g_strdup (in_sentence ? _("never expires") : _("No expiry"));

  days = days_left (expires_at, now);
  if (days < 0)
    return g_strdup (in_sentence ? _("has expired") : _("Expired"));
  if (days == 0)
    return g_strdup (in_sentence ? _("expires today") : _("Expires today"));

  return g_strdup_printf (in_sentence
                            ? g_dngettext (GETTEXT_PACKAGE, "expires in %d day", "expires in %d days", days)
                            : g_dngettext (GETTEXT_PACKAGE, "Expires in %d day", "Expires in %d days", days),
                          (int) days);
}

/**
 * tokens_util_format_expiry:
 * @expires_at: (nullable): when a token expires; %NULL for never
 *
 * Returns: (transfer full): "Expires in 12 days", "Expires today",
 *   "Expired" or "No expiry", in calendar days: a token made now for 90
 *   days "Expires in 90 days"
 */
char *
tokens_util_format_expiry (GDateTime *expires_at,
                           GDateTime *now)
{
  return say_expiry (expires_at, now, FALSE);
}

/**
 * tokens_util_format_expiry_date:
 * @expires_at: (nullable): when a token expires; %NULL for never
 *
 * Returns: (transfer full): the day it expires, "Expires on 2027-03-02",
 *   for a tooltip beside tokens_util_format_expiry()'s count
 */
char *
tokens_util_format_expiry_date (GDateTime *expires_at)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *date = NULL;

  if (expires_at == NULL)
    return g_strdup (_("Does not expire"));

  local = g_date_time_to_local (expires_at);
  /* Translators: a date, as strftime() writes it */
  date = g_date_time_format (local, _("%Y-%m-%d"));
  /* Translators: %s is a date */
  return g_strdup_printf (_("Expires on %s"), date);
}

/**
 * tokens_util_format_durations:
 * @expires_at: (nullable): when the new token expires
 * @previous_expires_at: (nullable): when the old one does
 *
 * While a renewal waits for the old token to be deleted, both tokens
 * work, and the vtex seed lists both durations under "Token duration".
 *
 * Returns: (transfer full): "Token duration: new token expires in 90
 *   days, old token expires in 12 days"
 */
char *
tokens_util_format_durations (GDateTime *expires_at,
                              GDateTime *previous_expires_at,
                              GDateTime *now)
{
  g_autofree char *current = say_expiry (expires_at, now, TRUE);
  g_autofree char *previous = say_expiry (previous_expires_at, now, TRUE);

  /* Translators: the vtex seed's "Token duration" with both tokens of a
   * renewal; each %s is "expires in 90 days", "expires today", "has
   * expired" or "never expires" */
  return g_strdup_printf (_("Token duration: new token %s, old token %s"), current, previous);
}

/**
 * tokens_util_format_last_used:
 *
 * Returns: (transfer full): "Never used" or "Last used 3 days ago"
 */
char *
tokens_util_format_last_used (GDateTime *last_used_at)
{
  g_autofree char *when = NULL;

  if (last_used_at == NULL)
    return g_strdup (_("Never used"));

  when = tokens_util_format_past (last_used_at);
  /* Translators: %s is "3 days ago", "Just now"… */
  return g_strdup_printf (_("Last used: %s"), when);
}

static AdwToastOverlay *
find_overlay (GtkWidget *widget)
{
  GtkWidget *ancestor = gtk_widget_get_ancestor (widget, ADW_TYPE_TOAST_OVERLAY);

  return ancestor ? ADW_TOAST_OVERLAY (ancestor) : NULL;
}

/* Long enough to read it; a toast is news, not a record. */
#define TOAST_TIMEOUT_S      4
#define TOAST_LONG_TIMEOUT_S 6
#define TOAST_LONG_CHARS     60

static void
toast_dismissed_cb (AdwToast        *toast,
                    AdwToastOverlay *overlay)
{
  if (g_object_get_data (G_OBJECT (overlay), "tokens-toast") == toast)
    g_object_set_data (G_OBJECT (overlay), "tokens-toast", NULL);
}

/**
 * tokens_util_toast:
 *
 * Says @title in a short-lived toast. A newer toast replaces the one on
 * screen rather than queueing behind it: a queue of old news keeps the
 * bottom of the window covered for half a minute.
 */
void
tokens_util_toast (GtkWidget  *widget,
                   const char *title)
{
  AdwToastOverlay *overlay = find_overlay (widget);
  AdwToast *previous;
  AdwToast *toast;

  if (overlay == NULL)
    return;

  previous = g_object_get_data (G_OBJECT (overlay), "tokens-toast");
  if (previous != NULL)
    adw_toast_dismiss (previous);

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, g_utf8_strlen (title, -1) > TOAST_LONG_CHARS ? TOAST_LONG_TIMEOUT_S
                                                                              : TOAST_TIMEOUT_S);
  g_object_set_data (G_OBJECT (overlay), "tokens-toast", toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), overlay, 0);
  adw_toast_overlay_add_toast (overlay, toast);
}

/**
 * tokens_util_toast_error:
 *
 * Tells the person what went wrong, in a toast; a cancelled call (the
 * person went elsewhere) is not an error to them and says nothing.
 */
void
tokens_util_toast_error (GtkWidget    *widget,
                         const GError *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  message = tokens_util_error_message (error);
  tokens_util_toast (widget, message);
}

/**
 * tokens_util_toast_copied:
 * @seconds: when the clipboard will be cleared
 *
 * Says that a token was copied, and when the clipboard will be cleared.
 */
void
tokens_util_toast_copied (GtkWidget *widget,
                          guint      seconds)
{
  g_autofree char *title =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "Copied. The clipboard will be cleared in %u second.",
                                  "Copied. The clipboard will be cleared in %u seconds.",
                                  seconds),
                     seconds);

  tokens_util_toast (widget, title);
}

typedef struct
{
  GtkWidget         *widget;
  TokensConfirmFunc  confirmed;
  gpointer           user_data;
  GDestroyNotify     user_data_free;
  gboolean           accepted;
} Confirm;

static void
confirm_free (Confirm *confirm)
{
  g_object_unref (confirm->widget);
  if (confirm->user_data_free != NULL)
    confirm->user_data_free (confirm->user_data);
  g_free (confirm);
}

static void
confirm_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Confirm          *confirm)
{
  confirm->accepted = g_strcmp0 (response, "confirm") == 0;
}

/* Act once the dialog is gone: GTK 4.8's accessibility bridge crashes
 * when the window behind a closing modal dialog changes its accessible
 * tree in the same main-loop turn. */
static gboolean
confirm_idle_cb (gpointer user_data)
{
  Confirm *confirm = user_data;

  /* The callback takes user_data over; otherwise it is freed here. */
  if (confirm->accepted && gtk_widget_get_root (confirm->widget) != NULL)
    {
      confirm->confirmed (confirm->widget, confirm->user_data);
      confirm->user_data_free = NULL;
    }

  confirm_free (confirm);
  return G_SOURCE_REMOVE;
}

static void
confirm_destroy_cb (GtkWidget *dialog,
                    Confirm   *confirm)
{
  g_timeout_add (100, confirm_idle_cb, confirm);
}

/**
 * tokens_util_confirm:
 *
 * Asks before something that cannot be undone, in a dialog whose
 * confirming button is destructive and not the default: Escape or
 * closing the dialog changes nothing.
 */
void
tokens_util_confirm (GtkWidget         *widget,
                     const char        *heading,
                     const char        *body,
                     const char        *confirm_label,
                     TokensConfirmFunc  confirmed,
                     gpointer           user_data,
                     GDestroyNotify     user_data_free)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;
  Confirm *confirm;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "confirm", confirm_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "confirm", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  confirm = g_new0 (Confirm, 1);
  confirm->widget = g_object_ref (widget);
  confirm->confirmed = confirmed;
  confirm->user_data = user_data;
  confirm->user_data_free = user_data_free;
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_response_cb), confirm);
  g_signal_connect (dialog, "destroy", G_CALLBACK (confirm_destroy_cb), confirm);

  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * tokens_util_confirm_reset_api_token:
 *
 * The discloud seed's Reset Token, asked first: the old token dies at once.
 */
void
tokens_util_confirm_reset_api_token (GtkWidget         *widget,
                                     TokensConfirmFunc  confirmed)
{
  tokens_util_confirm (widget,
                       _("Reset API Token?"),
                       _("The current token stops working at once. Every service, script and "
                         "integration that uses it must be updated with the new token."),
                       _("_Reset Token"),
                       confirmed, NULL, NULL);
}

/**
 * tokens_util_say_saved:
 * @row: the row under a secret shown once that says where it went
 * @icon: the row's icon
 * @saved: whether the secret is in the keyring
 * @asked: whether the person asked for it to be saved
 * @save_error: (nullable): why not (tokens_session_get_save_error())
 *
 * Says whether a secret shown once was saved, and why not: the person's
 * choice, a locked keyring whose unlock prompt was refused, or no keyring.
 */
void
tokens_util_say_saved (AdwActionRow *row,
                       GtkImage     *icon,
                       gboolean      saved,
                       gboolean      asked,
                       const GError *save_error)
{
  const char *title;
  const char *icon_name = "dialog-warning-symbolic";

  if (saved)
    {
      title = _("Saved to your keyring");
      icon_name = "emblem-ok-symbolic";
    }
  else if (!asked)
    {
      title = _("Not saved, as you chose");
      icon_name = "dialog-information-symbolic";
    }
  else if (g_error_matches (save_error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED))
    title = _("Not saved: the keyring is locked");
  else
    title = _("Not saved: no keyring is available");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_image_set_from_icon_name (icon, icon_name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

/* The window's height for its width, from what the page now shown needs;
 * the width stays as it is. */
static void
fit_height (GtkStack *stack)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (stack));
  GtkWidget *child;
  int default_width;
  int default_height;
  int height;

  if (!GTK_IS_WINDOW (root) || !gtk_widget_get_mapped (GTK_WIDGET (root)) ||
      gtk_stack_get_transition_running (stack))
    return;

  /* The default size counts the window's frame, which the child's
   * allocation does not: keep the difference. */
  child = gtk_window_get_child (GTK_WINDOW (root));
  gtk_window_get_default_size (GTK_WINDOW (root), &default_width, &default_height);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (child), NULL, &height, NULL, NULL);
  gtk_window_set_default_size (GTK_WINDOW (root), default_width,
                               height + MAX (default_height - gtk_widget_get_height (child), 0));
}

/**
 * tokens_util_fit_to_pages:
 * @stack: a #GtkStack, not homogeneous vertically, in a dialog sized to
 *   its content
 *
 * GTK keeps a mapped window's size: a dialog whose next page is shorter
 * (the form, then the secret shown once) would keep the form's height,
 * half of it empty. Fits the window's height to each page once it is
 * shown, keeping the width.
 */
void
tokens_util_fit_to_pages (GtkStack *stack)
{
  g_return_if_fail (GTK_IS_STACK (stack));

  g_signal_connect (stack, "notify::visible-child", G_CALLBACK (fit_height), NULL);
  g_signal_connect (stack, "notify::transition-running", G_CALLBACK (fit_height), NULL);
}

static void
sync_hidden_pages (GtkWidget *stack)
{
  GtkWidget *visible = NULL;
  g_autoptr(GtkSelectionModel) pages = NULL;
  guint n;

  if (GTK_IS_STACK (stack))
    {
      visible = gtk_stack_get_visible_child (GTK_STACK (stack));
      pages = gtk_stack_get_pages (GTK_STACK (stack));
    }
  else
    {
      visible = adw_view_stack_get_visible_child (ADW_VIEW_STACK (stack));
      pages = adw_view_stack_get_pages (ADW_VIEW_STACK (stack));
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (pages));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      GtkWidget *child = GTK_IS_STACK_PAGE (page)
                           ? gtk_stack_page_get_child (GTK_STACK_PAGE (page))
                           : adw_view_stack_page_get_child (ADW_VIEW_STACK_PAGE (page));

      gtk_accessible_update_state (GTK_ACCESSIBLE (child),
                                   GTK_ACCESSIBLE_STATE_HIDDEN, child != visible,
                                   -1);
    }
}

/**
 * tokens_util_hide_inactive_pages:
 * @stack: a #GtkStack or an #AdwViewStack
 *
 * GTK 4.8 lets assistive technologies see every page of a stack, shown or
 * not, so a screen reader reads the steps and pages a person cannot see.
 * Marks all pages but the visible one hidden, and keeps it so.
 */
void
tokens_util_hide_inactive_pages (GtkWidget *stack)
{
  g_return_if_fail (GTK_IS_STACK (stack) || ADW_IS_VIEW_STACK (stack));

  g_signal_connect (stack, "notify::visible-child", G_CALLBACK (sync_hidden_pages), NULL);
  sync_hidden_pages (stack);
}
