/* tokens-token-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One access token in the list: its name, what it can do, how long until
 * it expires (the day in a tooltip), when it was last used, and a renewal
 * in progress with both durations (the vtex seed's "Duração do token"
 * column). Its ⋮ menu has
 * the token's actions, which the page installs ("tokens.*", with the
 * token's id as target). Rows are recycled by the list view: a row shows
 * whatever token it is given, and follows its changes.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-token-row.h"
#include "tokens-util.h"

struct _TokensTokenRow
{
  GtkWidget          parent_instance;

  TokensAccessToken *token;
  gulong             notify_handler;

  GtkLabel          *name_label;
  GtkLabel          *scopes_label;
  GtkLabel          *details_label;
  GtkLabel          *renewal_label;
  GtkButton         *copy_button;
  GtkMenuButton     *menu_button;
};

G_DEFINE_FINAL_TYPE (TokensTokenRow, tokens_token_row, GTK_TYPE_WIDGET)

static char *
describe_scopes (TokensScopes scopes)
{
  /* Translators: the scope names, as the transiyzi seed writes them */
  if (scopes == TOKENS_SCOPES_ALL)
    return g_strdup (C_("scope", "read, write"));
  if (scopes & TOKENS_SCOPE_WRITE)
    return g_strdup (C_("scope", "write"));
  return g_strdup (C_("scope", "read"));
}

static GMenuModel *
build_menu (TokensAccessToken *token)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) main_section = g_menu_new ();
  g_autoptr(GMenu) renewal_section = g_menu_new ();
  g_autoptr(GMenu) revoke_section = g_menu_new ();
  const char *id = tokens_access_token_get_id (token);

#define ADD(section, label, action) \
  G_STMT_START { \
    g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL); \
    g_menu_item_set_action_and_target (item, action, "s", id); \
    g_menu_append_item (section, item); \
  } G_STMT_END

  ADD (main_section, _("_Copy"), "tokens.copy");
  ADD (main_section, _("_Edit…"), "tokens.edit");
  ADD (main_section, _("Re_new Token…"), "tokens.renew");
  if (tokens_access_token_get_has_previous (token))
    {
      ADD (renewal_section, _("_Delete Old Token…"), "tokens.delete-old");
      ADD (renewal_section, _("_Undo Renewal…"), "tokens.undo-renewal");
    }
  ADD (revoke_section, _("_Revoke…"), "tokens.revoke");

#undef ADD

  g_menu_append_section (menu, NULL, G_MENU_MODEL (main_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (renewal_section));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (revoke_section));
  return G_MENU_MODEL (g_steal_pointer (&menu));
}

static void
update (TokensTokenRow *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *scopes = NULL;
  g_autofree char *expiry = NULL;
  g_autofree char *last_used = NULL;
  g_autofree char *details = NULL;
  g_autofree char *menu_label = NULL;
  g_autofree char *copy_label = NULL;
  g_autofree char *description = NULL;
  TokensAccessToken *token = self->token;
  const char *name;

  if (token == NULL)
    return;

  name = tokens_access_token_get_name (token);
  scopes = describe_scopes (tokens_access_token_get_scopes (token));
  expiry = tokens_util_format_expiry (tokens_access_token_get_expires_at (token), now);
  last_used = tokens_util_format_last_used (tokens_access_token_get_last_used_at (token));
  /* Translators: "Expires in 12 days · Last used 3 days ago" */
  details = g_strdup_printf (_("%s · %s"), expiry, last_used);

  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->scopes_label, scopes);
  gtk_label_set_text (self->details_label, details);

  /* A renewal waiting for the old token to go: both work, and both
   * durations are listed, as the vtex seed's "Token duration" column does. */
  if (tokens_access_token_get_has_previous (token))
    {
      g_autofree char *durations =
        tokens_util_format_durations (tokens_access_token_get_expires_at (token),
                                      tokens_access_token_get_previous_expires_at (token), now);

      gtk_label_set_text (self->renewal_label, durations);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->renewal_label), durations);
      gtk_widget_set_visible (GTK_WIDGET (self->renewal_label), TRUE);
      description = g_strdup_printf ("%s\n%s", details, durations);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->renewal_label), FALSE);

  /* Translators: the accessible name of a token's ⋮ menu button */
  menu_label = g_strdup_printf (_("Actions for %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);

  /* Translators: the accessible name of a token's Copy button */
  copy_label = g_strdup_printf (_("Copy %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, copy_label, -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->copy_button), "s", tokens_access_token_get_id (token));
  /* Named only once it has a target: "tokens.copy" takes the token's id. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->copy_button), "tokens.copy");

  /* GTK 4.8 gives the description no heed to described-by: set it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description ? description : details,
                                  -1);
}

/**
 * tokens_token_row_set_token:
 * @token: (nullable): the token to show
 *
 * Copy is always offered: the keyring is asked when it is used, and
 * says so when it has no copy (the person opted out when it was shown).
 */
void
tokens_token_row_set_token (TokensTokenRow    *self,
                            TokensAccessToken *token)
{
  g_return_if_fail (TOKENS_IS_TOKEN_ROW (self));

  if (self->token != NULL)
    g_clear_signal_handler (&self->notify_handler, self->token);

  g_set_object (&self->token, token);

  if (token != NULL)
    self->notify_handler = g_signal_connect_object (token, "notify", G_CALLBACK (update), self,
                                                    G_CONNECT_SWAPPED);
  update (self);
}

/* The day it expires, under the count of days; and the whole line when
 * the row is too narrow for it. */
static gboolean
details_query_tooltip_cb (GtkLabel       *label,
                          int             x,
                          int             y,
                          gboolean        keyboard_mode,
                          GtkTooltip     *tooltip,
                          TokensTokenRow *self)
{
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;

  if (self->token == NULL)
    return FALSE;

  date = tokens_util_format_expiry_date (tokens_access_token_get_expires_at (self->token));
  if (pango_layout_is_ellipsized (gtk_label_get_layout (label)))
    text = g_strdup_printf ("%s\n%s", gtk_label_get_text (label), date);

  gtk_tooltip_set_text (tooltip, text ? text : date);
  return TRUE;
}

static gboolean
button_query_tooltip_cb (GtkWidget  *button,
                         int         x,
                         int         y,
                         gboolean    keyboard_mode,
                         GtkTooltip *tooltip,
                         gpointer    user_data)
{
  TokensTokenRow *self = TOKENS_TOKEN_ROW (user_data);

  gtk_tooltip_set_text (tooltip, button == GTK_WIDGET (self->copy_button)
                                   ? _("Copy")
                                   : _("More Actions"));
  return TRUE;
}

/* The menu is made when it opens, for the token the row shows then:
 * rows come and go by the dozen as a long list is searched, and a popover
 * menu each would make that slow. */
static void
create_popup_cb (GtkMenuButton *button,
                 gpointer       user_data)
{
  TokensTokenRow *self = user_data;
  g_autoptr(GMenuModel) menu = NULL;

  if (self->token == NULL)
    return;

  menu = build_menu (self->token);
  gtk_menu_button_set_menu_model (button, menu);
}

static void
tokens_token_row_dispose (GObject *object)
{
  TokensTokenRow *self = (TokensTokenRow *) object;

  if (self->token != NULL)
    g_clear_signal_handler (&self->notify_handler, self->token);
  g_clear_object (&self->token);
  gtk_widget_dispose_template (GTK_WIDGET (self), TOKENS_TYPE_TOKEN_ROW);
  /* A GtkWidget (unlike AdwBin) leaves its template's top child to us. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (tokens_token_row_parent_class)->dispose (object);
}

static void
tokens_token_row_class_init (TokensTokenRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_token_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-token-row.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenRow, scopes_label);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenRow, details_label);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenRow, renewal_label);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenRow, copy_button);
  gtk_widget_class_bind_template_child (widget_class, TokensTokenRow, menu_button);
  gtk_widget_class_bind_template_callback (widget_class, details_query_tooltip_cb);
  gtk_widget_class_bind_template_callback (widget_class, button_query_tooltip_cb);
}

static void
tokens_token_row_init (TokensTokenRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Named by its name label, once: setting the row's own name with each
   * token it shows sent one more accessibility signal a row, for the
   * 30-odd rows a search keystroke rebinds. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->name_label, NULL,
                                  -1);
  gtk_menu_button_set_create_popup_func (self->menu_button, create_popup_cb, self, NULL);
}
