/* tokens-best-practices.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The security best practices table and the "if you leaked it, reset it
 * now" warning, in the discloud seed's words, shown wherever a person
 * handles a secret: the last onboarding step and the API Key page.
 */

#include "config.h"

#include "tokens-best-practices.h"

struct _TokensBestPractices
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TokensBestPractices, tokens_best_practices, GTK_TYPE_WIDGET)

static void
tokens_best_practices_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TOKENS_TYPE_BEST_PRACTICES);
  /* A GtkWidget (unlike AdwBin) leaves its template's top child to us. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (tokens_best_practices_parent_class)->dispose (object);
}

static void
tokens_best_practices_class_init (TokensBestPracticesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_best_practices_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-best-practices.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "bestpractices");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tokens_best_practices_init (TokensBestPractices *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
