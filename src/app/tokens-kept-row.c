/* tokens-kept-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One kept token of any service in the Kept Tokens page: the service's
 * initial, the name, the service and where it is used, the expiry ("Expires
 * in 12 days", "Expired", "No expiry"), then the eye, Copy and a ⋮ menu
 * (Edit Details, Replace Secret, Delete). The row holds no secret unless it
 * is revealed: the eye asks the page (::need-secret), which reads it from
 * the keyring and hands it back; hiding it again wipes it.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-kept-row.h"

struct _TokensKeptRow
{
  GtkListBoxRow    parent_instance;

  TokensKeptToken *token;
  TokensSecret    *secret;

  GtkLabel        *initial_label;
  GtkLabel        *name_label;
  GtkLabel        *details_label;
  GtkLabel        *expiry_label;
  GtkLabel        *secret_label;
  GtkToggleButton *reveal_button;
  GtkButton       *copy_button;
  GtkMenuButton   *menu_button;
};

enum { NEED_SECRET, N_SIGNALS };

G_DEFINE_FINAL_TYPE (TokensKeptRow, tokens_kept_row, GTK_TYPE_LIST_BOX_ROW)

static guint signals[N_SIGNALS];

static const TokensFormat *
format_of_service (const char *service)
{
  TokensFormatRules *rules = tokens_format_rules_get_default ();
  guint n = rules ? tokens_format_rules_get_n_formats (rules) : 0;

  for (guint i = 0; service != NULL && i < n; i++)
    {
      const TokensFormat *format = tokens_format_rules_get_format (rules, i);

      if (g_strcmp0 (tokens_format_get_service_id (format), service) == 0)
        return format;
    }
  return NULL;
}

/**
 * tokens_kept_service_initial:
 *
 * Returns: (transfer full): the short mark of a service: the rules' own
 *   ("GH"), or the first letter of its name
 */
char *
tokens_kept_service_initial (const char *service,
                             const char *service_name)
{
  const TokensFormat *format = format_of_service (service);
  gunichar first;
  char buffer[8] = { 0 };

  if (format != NULL && tokens_format_get_initial (format) != NULL)
    return g_strdup (tokens_format_get_initial (format));

  if (service_name == NULL || *service_name == '\0')
    return g_strdup ("?");

  first = g_unichar_toupper (g_utf8_get_char (service_name));
  g_unichar_to_utf8 (first, buffer);
  return g_strdup (buffer);
}

/* Where the service's tokens are managed, or NULL. */
const char *
tokens_kept_service_manage_url (const char *service)
{
  const TokensFormat *format = format_of_service (service);

  return format ? tokens_format_get_manage_url (format) : NULL;
}

/**
 * tokens_kept_format_expiry:
 *
 * Returns: (transfer full): "Expires in 12 days", "Expires today",
 *   "Expired" or "No expiry", in calendar days
 */
char *
tokens_kept_format_expiry (const TokensKept *kept,
                           GDateTime        *now)
{
  gint64 days = tokens_kept_days_left (kept, now);

  if (days == G_MAXINT64)
    return g_strdup (_("No expiry"));
  if (days < 0)
    return g_strdup (_("Expired"));
  if (days == 0)
    return g_strdup (_("Expires today"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Expires in %d day", "Expires in %d days", days),
                          (int) days);
}

/* A ⋮ menu item for the token @id: the page's "kept.*" actions take it. */
static void
append_item (GMenu      *section,
             const char *label,
             const char *action,
             const char *id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (id));
  g_menu_append_item (section, item);
}

static GMenuModel *
build_menu (const char *id)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) edit_section = g_menu_new ();
  g_autoptr(GMenu) delete_section = g_menu_new ();

  append_item (edit_section, _("_Edit Details…"), "kept.edit", id);
  append_item (edit_section, _("_Replace Secret…"), "kept.replace", id);
  append_item (delete_section, _("_Delete…"), "kept.delete", id);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (delete_section));
  return G_MENU_MODEL (menu);
}

static void
update (TokensKeptRow *self)
{
  const TokensKept *kept = tokens_kept_token_get_details (self->token);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *initial = tokens_kept_service_initial (kept->service, kept->service_name);
  g_autofree char *expiry = tokens_kept_format_expiry (kept, now);
  g_autofree char *details = NULL;
  g_autofree char *menu_label = NULL;
  g_autoptr(GMenuModel) menu = NULL;
  gboolean expired = tokens_kept_days_left (kept, now) < 0;

  gtk_label_set_text (self->initial_label, initial);
  gtk_label_set_text (self->name_label, kept->name);
  if (kept->used_in != NULL && *kept->used_in != '\0')
    /* Translators: a kept token's service and where it is used: "GitHub · CI server" */
    details = g_strdup_printf (_("%s · %s"), kept->service_name, kept->used_in);
  else
    details = g_strdup (kept->service_name);
  gtk_label_set_text (self->details_label, details);
  gtk_label_set_text (self->expiry_label, expiry);
  if (expired)
    gtk_widget_add_css_class (GTK_WIDGET (self->expiry_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->expiry_label), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->expiry_label), kept->expires_on);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, kept->name, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->initial_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, kept->service_name, -1);
  /* Translators: the accessible name of a token's ⋮ menu button */
  menu_label = g_strdup_printf (_("Actions for %s"), kept->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);

  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->copy_button), "s", kept->id);
  menu = build_menu (kept->id);
  gtk_menu_button_set_menu_model (self->menu_button, menu);
}

static void
forget (TokensKeptRow *self)
{
  g_clear_pointer (&self->secret, tokens_secret_free);
  gtk_label_set_text (self->secret_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->secret_label), FALSE);
}

static void
reveal_toggled_cb (TokensKeptRow *self)
{
  gboolean active = gtk_toggle_button_get_active (self->reveal_button);
  const char *label = active ? _("Hide Token") : _("Show Token");

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reveal_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_button_set_icon_name (GTK_BUTTON (self->reveal_button),
                            active ? "view-conceal-symbolic" : "view-reveal-symbolic");

  if (!active)
    forget (self);
  else if (self->secret == NULL)
    g_signal_emit (self, signals[NEED_SECRET], 0);
}

/**
 * tokens_kept_row_set_secret:
 * @secret: (nullable): the secret read for a reveal; %NULL: it could not be
 *
 * Shows @secret if the eye is still open.
 */
void
tokens_kept_row_set_secret (TokensKeptRow *self,
                            const char    *secret)
{
  g_return_if_fail (TOKENS_IS_KEPT_ROW (self));

  /* The row may have left the list while the keyring was read. */
  if (self->reveal_button == NULL)
    return;

  if (secret == NULL || !gtk_toggle_button_get_active (self->reveal_button))
    {
      gtk_toggle_button_set_active (self->reveal_button, FALSE);
      return;
    }

  g_clear_pointer (&self->secret, tokens_secret_free);
  self->secret = g_strdup (secret);
  gtk_label_set_text (self->secret_label, self->secret);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_label), TRUE);
}

void
tokens_kept_row_hide_secret (TokensKeptRow *self)
{
  g_return_if_fail (TOKENS_IS_KEPT_ROW (self));
  gtk_toggle_button_set_active (self->reveal_button, FALSE);
}

TokensKeptToken *
tokens_kept_row_get_token (TokensKeptRow *self)
{
  g_return_val_if_fail (TOKENS_IS_KEPT_ROW (self), NULL);
  return self->token;
}

GtkWidget *
tokens_kept_row_new (TokensKeptToken *token)
{
  TokensKeptRow *self = g_object_new (TOKENS_TYPE_KEPT_ROW, NULL);

  self->token = g_object_ref (token);
  update (self);
  return GTK_WIDGET (self);
}

static void
tokens_kept_row_dispose (GObject *object)
{
  TokensKeptRow *self = TOKENS_KEPT_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_KEPT_ROW);
  g_clear_pointer (&self->secret, tokens_secret_free);
  g_clear_object (&self->token);

  G_OBJECT_CLASS (tokens_kept_row_parent_class)->dispose (object);
}

static void
tokens_kept_row_class_init (TokensKeptRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_kept_row_dispose;

  /**
   * TokensKeptRow::need-secret:
   *
   * The eye was opened: the owner reads the secret and answers with
   * tokens_kept_row_set_secret().
   */
  signals[NEED_SECRET] =
    g_signal_new ("need-secret", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-kept-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensKeptRow, initial_label);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptRow, expiry_label);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptRow, secret_label);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptRow, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, TokensKeptRow, menu_button);
}

static void
tokens_kept_row_init (TokensKeptRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->reveal_button, "toggled", G_CALLBACK (reveal_toggled_cb),
                           self, G_CONNECT_SWAPPED);
}
