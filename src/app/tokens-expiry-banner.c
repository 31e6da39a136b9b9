/* tokens-expiry-banner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window's side of the expiry warnings: a bar at the top of the
 * profile pages saying how many access tokens need renewing, with a
 * button to show them. libadwaita 1.2 has no AdwBanner, so it is a
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

struct _TokensExpiryBanner
{
  AdwBin               parent_instance;

  TokensExpiryMonitor *monitor;
  GBindingGroup       *monitor_bindings;

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

/* The monitor's n-due, bound to what the banner shows. */

static gboolean
n_due_to_revealed (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  g_value_set_boolean (to, g_value_get_uint (from) > 0);
  return TRUE;
}

static gboolean
n_due_to_text (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  guint n = g_value_get_uint (from);

  /* None: the text stays as it was while the banner hides. */
  if (n == 0)
    return FALSE;

  g_value_take_string (to,
                       /* Translators: the window's banner; it counts access tokens that
                        * expire within the warning days or have expired. */
                       g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                     "%u access token needs renewing",
                                                     "%u access tokens need renewing", n), n));
  return TRUE;
}

static void
show_clicked_cb (TokensExpiryBanner *self)
{
  const char *token_id = self->monitor ? tokens_expiry_monitor_get_first_due (self->monitor) : NULL;
  TokensSession *session = self->monitor ? tokens_expiry_monitor_get_session (self->monitor) : NULL;

  /* One token: show that one; more: the page, soonest first. */
  if (tokens_expiry_monitor_get_n_due (self->monitor) == 1 && token_id != NULL && session != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "app.show-token", "(ss)",
                                tokens_account_get_id (tokens_session_get_account (session)), token_id);
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-page", "s", "access-tokens");
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
  g_binding_group_set_source (self->monitor_bindings, monitor);
  /* No monitor: nothing is due. */
  if (monitor == NULL)
    gtk_revealer_set_reveal_child (self->revealer, FALSE);
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

  if (self->monitor_bindings != NULL)
    g_binding_group_set_source (self->monitor_bindings, NULL);
  g_clear_object (&self->monitor_bindings);
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
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Show Tokens That Need Renewing"),
                                  -1);
  g_signal_connect_swapped (self->button, "clicked", G_CALLBACK (show_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->button));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Expiry Warning"),
                                  -1);

  /* Whatever monitor is set, the banner follows its count. */
  self->monitor_bindings = g_binding_group_new ();
  g_binding_group_bind_full (self->monitor_bindings, "n-due", self->revealer, "reveal-child",
                             G_BINDING_SYNC_CREATE, n_due_to_revealed, NULL, NULL, NULL);
  g_binding_group_bind_full (self->monitor_bindings, "n-due", self->label, "label",
                             G_BINDING_SYNC_CREATE, n_due_to_text, NULL, NULL, NULL);
}
