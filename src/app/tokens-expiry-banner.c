/* tokens-expiry-banner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's side of the expiry warnings: a bar at the top of the
 * profile pages saying how many access tokens need renewing, and which
 * kept tokens (any service's) expire soon or have expired, with a button
 * to show them. libadwaita 1.2 has no AdwBanner, so it is a
 * revealer in an "infobar.warning" node, which libadwaita styles as
 * GtkInfoBar's warning (GtkInfoBar itself is deprecated from GTK 4.10).
 *
 * Without a monitor set, it follows the app's (tokens_application_get_
 * expiry_monitor()): the window only has to place it.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-application.h"
#include "tokens-expiry-banner.h"
#include "tokens-kept-expiry.h"

/* Kept tokens named one a line; more are counted. */
#define MAX_KEPT_LINES 3

struct _TokensExpiryBanner
{
  AdwBin               parent_instance;

  TokensExpiryMonitor *monitor;
  GSignalGroup        *monitor_signals;
  GSignalGroup        *kept_due_signals;

  GtkRevealer         *revealer;
  GtkLabel            *label;
  GtkButton           *button;
};

enum {
  PROP_0,
  PROP_MONITOR,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensExpiryBanner, tokens_expiry_banner, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* What the monitor says is due, in words. */
static char *
dup_text (TokensExpiryMonitor *monitor)
{
  GListModel *kept_due = tokens_expiry_monitor_get_kept_due (monitor);
  guint n = tokens_expiry_monitor_get_n_due (monitor);
  guint n_kept = g_list_model_get_n_items (kept_due);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);

  if (n > 0)
    g_ptr_array_add (lines,
                     /* Translators: the window's banner; it counts access tokens that
                      * expire within the warning days or have expired. */
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u access token needs renewing",
                                                   "%u access tokens need renewing", n), n));

  for (guint i = 0; i < MIN (n_kept, MAX_KEPT_LINES); i++)
    {
      g_autoptr(TokensKeptToken) token = g_list_model_get_item (kept_due, i);
      const TokensKept *kept = tokens_kept_token_get_details (token);
      gint64 days_left;
      TokensKeptDue due = tokens_kept_expiry_check (kept, now, G_MAXUINT, &days_left, NULL);

      if (due != TOKENS_KEPT_DUE_NONE)
        g_ptr_array_add (lines, tokens_kept_expiry_dup_title (kept, due, days_left));
    }

  if (n_kept > MAX_KEPT_LINES)
    g_ptr_array_add (lines,
                     /* Translators: the window's banner, below the kept tokens it names. */
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%u more kept token needs replacing",
                                                   "%u more kept tokens need replacing",
                                                   n_kept - MAX_KEPT_LINES),
                                      n_kept - MAX_KEPT_LINES));

  if (lines->len == 0)
    return NULL;
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static void
update (TokensExpiryBanner *self)
{
  g_autofree char *text = self->monitor ? dup_text (self->monitor) : NULL;
  g_autofree char *show = NULL;

  /* None: the text stays as it was while the banner hides. */
  if (text != NULL)
    {
      GListModel *kept_due = tokens_expiry_monitor_get_kept_due (self->monitor);

      show = tokens_kept_expiry_dup_show_label (tokens_expiry_monitor_get_n_due (self->monitor),
                                                g_list_model_get_n_items (kept_due));
      gtk_label_set_label (self->label, text);
      /* Says what a click opens: access tokens first, else kept ones. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, show,
                                      -1);
    }
  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
}

static void
show_clicked_cb (TokensExpiryBanner *self)
{
  const char *token_id = self->monitor ? tokens_expiry_monitor_get_first_due (self->monitor) : NULL;
  TokensSession *session = self->monitor ? tokens_expiry_monitor_get_session (self->monitor) : NULL;
  GListModel *kept_due = self->monitor ? tokens_expiry_monitor_get_kept_due (self->monitor) : NULL;
  guint n = self->monitor ? tokens_expiry_monitor_get_n_due (self->monitor) : 0;

  /* Access tokens first: one token: show that one; more: the page, soonest first. */
  if (n == 1 && token_id != NULL && session != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.show-token", "(ss)",
                                tokens_account_get_id (tokens_session_get_account (session)), token_id);
  else if (n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "access-tokens");
  else if (kept_due != NULL && g_list_model_get_n_items (kept_due) == 1)
    {
      g_autoptr(TokensKeptToken) token = g_list_model_get_item (kept_due, 0);

      gtk_widget_activate_action (GTK_WIDGET (self), "app.show-kept", "s", tokens_kept_token_get_id (token));
    }
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "app.show-kept", "s", "");
}
GtkWidget *
tokens_expiry_banner_new (void)
{
  return g_object_new (TOKENS_TYPE_EXPIRY_BANNER, NULL);
}

TokensExpiryMonitor *
tokens_expiry_banner_get_monitor (TokensExpiryBanner *self)
{
  g_return_val_if_fail (TOKENS_IS_EXPIRY_BANNER (self), NULL);

  return self->monitor;
}

void
tokens_expiry_banner_set_monitor (TokensExpiryBanner  *self,
                                  TokensExpiryMonitor *monitor)
{
  g_return_if_fail (TOKENS_IS_EXPIRY_BANNER (self));
  g_return_if_fail (monitor == NULL || TOKENS_IS_EXPIRY_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  g_set_object (&self->monitor, monitor);
  g_signal_group_set_target (self->monitor_signals, monitor);
  g_signal_group_set_target (self->kept_due_signals,
                             monitor ? tokens_expiry_monitor_get_kept_due (monitor) : NULL);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

static void
tokens_expiry_banner_constructed (GObject *object)
{
  TokensExpiryBanner *self = (TokensExpiryBanner *) object;
  GApplication *app = g_application_get_default ();

  G_OBJECT_CLASS (tokens_expiry_banner_parent_class)->constructed (object);

  if (self->monitor == NULL && TOKENS_IS_APPLICATION (app))
    tokens_expiry_banner_set_monitor (self, tokens_application_get_expiry_monitor (TOKENS_APPLICATION (app)));
}

static void
tokens_expiry_banner_dispose (GObject *object)
{
  TokensExpiryBanner *self = (TokensExpiryBanner *) object;

  if (self->monitor_signals != NULL)
    g_signal_group_set_target (self->monitor_signals, NULL);
  if (self->kept_due_signals != NULL)
    g_signal_group_set_target (self->kept_due_signals, NULL);
  g_clear_object (&self->monitor_signals);
  g_clear_object (&self->kept_due_signals);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (tokens_expiry_banner_parent_class)->dispose (object);
}

static void
tokens_expiry_banner_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TokensExpiryBanner *self = TOKENS_EXPIRY_BANNER (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_expiry_banner_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TokensExpiryBanner *self = TOKENS_EXPIRY_BANNER (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      tokens_expiry_banner_set_monitor (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_expiry_banner_class_init (TokensExpiryBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tokens_expiry_banner_constructed;
  object_class->dispose = tokens_expiry_banner_dispose;
  object_class->get_property = tokens_expiry_banner_get_property;
  object_class->set_property = tokens_expiry_banner_set_property;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         TOKENS_TYPE_EXPIRY_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* libadwaita styles "infobar.warning > revealer > box". */
  gtk_widget_class_set_css_name (widget_class, "infobar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tokens_expiry_banner_init (TokensExpiryBanner *self)
{
  GtkWidget *box;

  gtk_widget_add_css_class (GTK_WIDGET (self), "warning");

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->revealer));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_revealer_set_child (self->revealer, box);

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));

  self->button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Show")));
  gtk_widget_set_valign (GTK_WIDGET (self->button), GTK_ALIGN_CENTER);
  /* Its accessible name follows what is due (update()). */
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (show_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->button));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Expiry Warning"),
                                  -1);

  /* Whatever monitor is set, the banner follows its count of access
   * tokens and its list of kept ones (spliced anew at each look, so the
   * days left stay true). */
  self->monitor_signals = g_signal_group_new (TOKENS_TYPE_EXPIRY_MONITOR);
  g_signal_group_connect_object (self->monitor_signals, "notify::n-due",
                                 G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  self->kept_due_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_object (self->kept_due_signals, "items-changed",
                                 G_CALLBACK (update), self, G_CONNECT_SWAPPED);
}
