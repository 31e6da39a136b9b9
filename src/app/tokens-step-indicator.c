/* tokens-step-indicator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Numbered steps in a row, as the vendors' steppers draw them: done steps
 * show a check, the current one is highlighted, later ones are dimmed.
 * For a screen reader the whole row is one label, "Step 2 of 4: Sign In".
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-step-indicator.h"

struct _TokensStepIndicator
{
  GtkWidget  parent_instance;

  GPtrArray *titles;   /* char* */
  GPtrArray *steps;    /* GtkBox*, one per title */
  guint      current;  /* 0-based */
};

enum {
  PROP_0,
  PROP_CURRENT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensStepIndicator, tokens_step_indicator, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
update (TokensStepIndicator *self)
{
  g_autofree char *description = NULL;

  for (guint i = 0; i < self->steps->len; i++)
    {
      GtkWidget *step = g_ptr_array_index (self->steps, i);
      GtkWidget *bubble = gtk_widget_get_first_child (step);
      GtkWidget *number = gtk_widget_get_first_child (bubble);
      GtkWidget *check = gtk_widget_get_next_sibling (number);

      gtk_widget_set_visible (number, i >= self->current);
      gtk_widget_set_visible (check, i < self->current);

      if (i == self->current)
        gtk_widget_add_css_class (step, "current");
      else
        gtk_widget_remove_css_class (step, "current");

      if (i < self->current)
        gtk_widget_add_css_class (step, "done");
      else
        gtk_widget_remove_css_class (step, "done");

      if (i > self->current)
        gtk_widget_add_css_class (step, "dim-label");
      else
        gtk_widget_remove_css_class (step, "dim-label");
    }

  if (self->titles->len > 0)
    {
      /* Translators: the onboarding's step indicator, read by screen
       * readers: "Step 2 of 4: Sign In". */
      description = g_strdup_printf (_("Step %u of %u: %s"),
                                     self->current + 1, self->titles->len,
                                     (const char *) g_ptr_array_index (self->titles, self->current));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                      -1);
    }
}

/**
 * tokens_step_indicator_set_steps:
 * @titles: the steps' short titles, translated
 */
void
tokens_step_indicator_set_steps (TokensStepIndicator *self,
                                 const char * const  *titles)
{
  GtkWidget *child;

  g_return_if_fail (TOKENS_IS_STEP_INDICATOR (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_ptr_array_set_size (self->steps, 0);
  g_ptr_array_set_size (self->titles, 0);

  for (guint i = 0; titles != NULL && titles[i] != NULL; i++)
    {
      g_autofree char *number_text = g_strdup_printf ("%u", i + 1);
      GtkWidget *step = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *bubble = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      GtkWidget *number = gtk_label_new (number_text);
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
      GtkWidget *title = gtk_label_new (titles[i]);

      gtk_widget_add_css_class (step, "step");
      gtk_widget_add_css_class (bubble, "bubble");
      gtk_widget_set_halign (bubble, GTK_ALIGN_CENTER);
      gtk_widget_set_size_request (bubble, 28, 28);
      gtk_widget_set_hexpand (number, TRUE);
      gtk_widget_set_hexpand (check, TRUE);
      gtk_box_append (GTK_BOX (bubble), number);
      gtk_box_append (GTK_BOX (bubble), check);
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_label_set_justify (GTK_LABEL (title), GTK_JUSTIFY_CENTER);
      gtk_widget_add_css_class (title, "caption");
      gtk_box_append (GTK_BOX (step), bubble);
      gtk_box_append (GTK_BOX (step), title);
      gtk_widget_set_hexpand (step, TRUE);
      /* The row is described as a whole (update()); its parts say nothing. */
      gtk_accessible_update_state (GTK_ACCESSIBLE (step), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);

      gtk_widget_set_parent (step, GTK_WIDGET (self));
      g_ptr_array_add (self->steps, step);
      g_ptr_array_add (self->titles, g_strdup (titles[i]));
    }

  self->current = MIN (self->current, self->titles->len ? self->titles->len - 1 : 0);
  update (self);
}

guint
tokens_step_indicator_get_current (TokensStepIndicator *self)
{
  g_return_val_if_fail (TOKENS_IS_STEP_INDICATOR (self), 0);

  return self->current;
}

void
tokens_step_indicator_set_current (TokensStepIndicator *self,
                                   guint                current)
{
  g_return_if_fail (TOKENS_IS_STEP_INDICATOR (self));

  if (self->titles->len > 0)
    current = MIN (current, self->titles->len - 1);

  if (current == self->current)
    return;

  self->current = current;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

static void
tokens_step_indicator_dispose (GObject *object)
{
  TokensStepIndicator *self = (TokensStepIndicator *) object;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (tokens_step_indicator_parent_class)->dispose (object);
}

static void
tokens_step_indicator_finalize (GObject *object)
{
  TokensStepIndicator *self = (TokensStepIndicator *) object;

  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->titles, g_ptr_array_unref);

  G_OBJECT_CLASS (tokens_step_indicator_parent_class)->finalize (object);
}

static void
tokens_step_indicator_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TokensStepIndicator *self = TOKENS_STEP_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_uint (value, self->current);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_step_indicator_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  TokensStepIndicator *self = TOKENS_STEP_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      tokens_step_indicator_set_current (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_step_indicator_class_init (TokensStepIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_step_indicator_dispose;
  object_class->finalize = tokens_step_indicator_finalize;
  object_class->get_property = tokens_step_indicator_get_property;
  object_class->set_property = tokens_step_indicator_set_property;

  properties[PROP_CURRENT] =
    g_param_spec_uint ("current", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "stepindicator");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
tokens_step_indicator_init (TokensStepIndicator *self)
{
  GtkLayoutManager *layout = gtk_box_layout_new (GTK_ORIENTATION_HORIZONTAL);

  gtk_box_layout_set_homogeneous (GTK_BOX_LAYOUT (layout), TRUE);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  gtk_widget_set_layout_manager (GTK_WIDGET (self), layout);

  self->titles = g_ptr_array_new_with_free_func (g_free);
  self->steps = g_ptr_array_new ();
}
