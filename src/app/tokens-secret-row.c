/* tokens-secret-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row that holds a secret the way the vendors' dashboards do: hidden
 * behind a hint ("tkapi_••••••••Jx9Q"), an eye to reveal it and a Copy
 * button. A row given a session, a kind and a token id takes its secret
 * from the one route to saved secrets, tokens_session_lookup_secret_async(),
 * when the person asks to reveal or copy and it has none; without a
 * session it emits ::need-secret and its owner answers with
 * tokens_secret_row_set_secret() or tokens_secret_row_fail(). The pending
 * reveal or copy then happens. Copies, including Ctrl+C of the revealed
 * text, go through the app's TokensClipboard: marked as a secret and
 * cleared after a while, and said in a toast.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "tokens-application.h"
#include "tokens-clipboard.h"
#include "tokens-secret-row.h"
#include "tokens-token.h"
#include "tokens-util.h"

typedef enum {
  PENDING_NONE,
  PENDING_REVEAL,
  PENDING_COPY,
} Pending;

struct _TokensSecretRow
{
  GtkListBoxRow    parent_instance;

  TokensSecret    *secret;
  char            *hint;
  Pending          pending;

  TokensSession   *session;       /* where the secret comes from, or NULL */
  TokensTokenKind  kind;
  char            *token_id;
  char            *missing_text;  /* said when the session has no copy */
  GCancellable    *cancellable;

  GtkLabel        *title_label;
  GtkLabel        *token_label;
  GtkToggleButton *reveal_button;
  GtkButton       *copy_button;
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_HINT,
  PROP_REVEALED,
  PROP_HAS_SECRET,
  PROP_SESSION,
  PROP_MISSING_TEXT,
  N_PROPS
};

enum {
  NEED_SECRET,
  COPIED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TokensSecretRow, tokens_secret_row, GTK_TYPE_LIST_BOX_ROW)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
update_label (TokensSecretRow *self)
{
  gboolean revealed = gtk_toggle_button_get_active (self->reveal_button);

  if (revealed && self->secret != NULL)
    {
      gtk_label_set_text (self->token_label, self->secret);
      gtk_label_set_selectable (self->token_label, TRUE);
    }
  else
    {
      gtk_label_set_text (self->token_label, self->hint ? self->hint : "••••••••••••••••");
      /* A hint is not worth selecting, and a selection of it copied with
       * Ctrl+C would be a string that looks like a token. */
      gtk_label_set_selectable (self->token_label, FALSE);
    }

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reveal_button),
                               revealed ? _("Hide Token") : _("Show Token"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reveal_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  revealed ? _("Hide Token") : _("Show Token"),
                                  -1);
  gtk_button_set_icon_name (GTK_BUTTON (self->reveal_button),
                            revealed ? "view-conceal-symbolic" : "view-reveal-symbolic");
}

static void
copy_text (TokensSecretRow *self,
           const char      *text)
{
  TokensApplication *app = TOKENS_APPLICATION (g_application_get_default ());
  guint seconds;

  seconds = tokens_clipboard_copy_secret (tokens_application_get_clipboard (app),
                                          GTK_WIDGET (self), text);
  tokens_util_toast_copied (GTK_WIDGET (self), seconds);
  g_signal_emit (self, signals[COPIED], 0, seconds);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  TokensSecretRow *self = user_data;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GError) error = NULL;

  secret = tokens_session_lookup_secret_finish (TOKENS_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (secret == NULL)
    {
      g_autofree char *message = error ? tokens_util_error_message (error) : g_strdup (self->missing_text);

      tokens_secret_row_fail (self);
      if (message != NULL)
        tokens_util_toast (GTK_WIDGET (self), message);
      return;
    }

  tokens_secret_row_set_secret (self, secret);
}

static void
need_secret (TokensSecretRow *self)
{
  if (self->session == NULL)
    {
      g_signal_emit (self, signals[NEED_SECRET], 0);
      return;
    }

  tokens_session_lookup_secret_async (self->session, self->kind, self->token_id,
                                      self->cancellable, lookup_cb, self);
}

/**
 * tokens_secret_row_set_source:
 * @session: (nullable): the session whose saved secret the row shows
 * @kind: which of its secrets
 * @token_id: (nullable): an access token's id
 *
 * Where the row takes its secret from when it needs it. A new source
 * drops the secret the row holds.
 */
void
tokens_secret_row_set_source (TokensSecretRow *self,
                              TokensSession   *session,
                              TokensTokenKind  kind,
                              const char      *token_id)
{
  g_return_if_fail (TOKENS_IS_SECRET_ROW (self));
  g_return_if_fail (session == NULL || TOKENS_IS_SESSION (session));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  self->kind = kind;
  g_free (self->token_id);
  self->token_id = g_strdup (token_id);
  if (g_set_object (&self->session, session))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
  tokens_secret_row_forget (self);
}

void
tokens_secret_row_set_session (TokensSecretRow *self,
                               TokensSession   *session)
{
  g_return_if_fail (TOKENS_IS_SECRET_ROW (self));

  if (self->session != session)
    tokens_secret_row_set_source (self, session, self->kind, self->token_id);
}

/**
 * tokens_secret_row_copy:
 *
 * Copies the secret, asking the owner for it first if the row has none.
 */
void
tokens_secret_row_copy (TokensSecretRow *self)
{
  g_return_if_fail (TOKENS_IS_SECRET_ROW (self));

  if (self->secret != NULL)
    {
      copy_text (self, self->secret);
      return;
    }

  self->pending = PENDING_COPY;
  need_secret (self);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  tokens_secret_row_copy (TOKENS_SECRET_ROW (widget));
}

static void
reveal_toggled_cb (TokensSecretRow *self)
{
  if (gtk_toggle_button_get_active (self->reveal_button) && self->secret == NULL)
    {
      self->pending = PENDING_REVEAL;
      need_secret (self);
    }

  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
}

/* Ctrl+C on the revealed token: the same protection as the Copy button. */
static void
label_copy_clipboard_cb (TokensSecretRow *self,
                         GtkLabel        *label)
{
  int start, end;

  g_signal_stop_emission_by_name (label, "copy-clipboard");

  if (self->secret == NULL || !gtk_toggle_button_get_active (self->reveal_button))
    return;

  if (gtk_label_get_selection_bounds (label, &start, &end) && end > start)
    {
      const char *text = gtk_label_get_text (label);
      const char *from = g_utf8_offset_to_pointer (text, start);
      const char *to = g_utf8_offset_to_pointer (text, end);
      g_autoptr(TokensSecret) part = g_strndup (from, to - from);

      copy_text (self, part);
    }
  else
    {
      copy_text (self, self->secret);
    }
}

/**
 * tokens_secret_row_set_secret:
 * @secret: (nullable): the secret, copied and wiped when forgotten
 *
 * Gives the row its secret; a reveal or copy the person asked for while
 * the row had none happens now.
 */
void
tokens_secret_row_set_secret (TokensSecretRow *self,
                              const char      *secret)
{
  Pending pending;

  g_return_if_fail (TOKENS_IS_SECRET_ROW (self));

  g_clear_pointer (&self->secret, tokens_secret_free);
  self->secret = g_strdup (secret);

  pending = self->pending;
  self->pending = PENDING_NONE;

  update_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_SECRET]);

  if (pending == PENDING_COPY && self->secret != NULL)
    copy_text (self, self->secret);
}

/**
 * tokens_secret_row_show_once:
 * @kind: the kind of token, for the hint
 * @secret: a secret the service shows this once
 *
 * Shows @secret, revealed: the person is about to copy it.
 */
void
tokens_secret_row_show_once (TokensSecretRow *self,
                             TokensTokenKind  kind,
                             const char      *secret)
{
  g_autofree char *last4 = NULL;
  g_autofree char *hint = NULL;

  g_return_if_fail (TOKENS_IS_SECRET_ROW (self));
  g_return_if_fail (secret != NULL);

  last4 = tokens_token_last4 (secret);
  hint = tokens_token_hint (kind, last4);
  tokens_secret_row_set_hint (self, hint);
  tokens_secret_row_set_secret (self, secret);
  tokens_secret_row_set_revealed (self, TRUE);
}

/**
 * tokens_secret_row_fail:
 *
 * The owner could not find the secret: drop the pending reveal or copy.
 * The owner tells the person why.
 */
void
tokens_secret_row_fail (TokensSecretRow *self)
{
  g_return_if_fail (TOKENS_IS_SECRET_ROW (self));

  self->pending = PENDING_NONE;
  tokens_secret_row_set_revealed (self, FALSE);
}

/**
 * tokens_secret_row_forget:
 *
 * Hides the secret and drops the row's copy of it.
 */
void
tokens_secret_row_forget (TokensSecretRow *self)
{
  g_return_if_fail (TOKENS_IS_SECRET_ROW (self));

  tokens_secret_row_set_revealed (self, FALSE);
  tokens_secret_row_set_secret (self, NULL);
}

const char *
tokens_secret_row_get_hint (TokensSecretRow *self)
{
  g_return_val_if_fail (TOKENS_IS_SECRET_ROW (self), NULL);

  return self->hint;
}

void
tokens_secret_row_set_hint (TokensSecretRow *self,
                            const char      *hint)
{
  g_return_if_fail (TOKENS_IS_SECRET_ROW (self));

  if (g_strcmp0 (self->hint, hint) != 0)
    {
      g_free (self->hint);
      self->hint = g_strdup (hint);
      update_label (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
    }
}

gboolean
tokens_secret_row_get_revealed (TokensSecretRow *self)
{
  g_return_val_if_fail (TOKENS_IS_SECRET_ROW (self), FALSE);

  return gtk_toggle_button_get_active (self->reveal_button);
}

void
tokens_secret_row_set_revealed (TokensSecretRow *self,
                                gboolean         revealed)
{
  g_return_if_fail (TOKENS_IS_SECRET_ROW (self));

  gtk_toggle_button_set_active (self->reveal_button, revealed);
}

static void
tokens_secret_row_dispose (GObject *object)
{
  TokensSecretRow *self = (TokensSecretRow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (object), TOKENS_TYPE_SECRET_ROW);

  G_OBJECT_CLASS (tokens_secret_row_parent_class)->dispose (object);
}

static void
tokens_secret_row_finalize (GObject *object)
{
  TokensSecretRow *self = (TokensSecretRow *) object;

  g_clear_pointer (&self->secret, tokens_secret_free);
  g_clear_pointer (&self->hint, g_free);
  g_clear_pointer (&self->token_id, g_free);
  g_clear_pointer (&self->missing_text, g_free);

  G_OBJECT_CLASS (tokens_secret_row_parent_class)->finalize (object);
}

static void
tokens_secret_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TokensSecretRow *self = TOKENS_SECRET_ROW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, gtk_label_get_text (self->title_label));
      break;

    case PROP_HINT:
      g_value_set_string (value, self->hint);
      break;

    case PROP_REVEALED:
      g_value_set_boolean (value, tokens_secret_row_get_revealed (self));
      break;

    case PROP_HAS_SECRET:
      g_value_set_boolean (value, self->secret != NULL);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_MISSING_TEXT:
      g_value_set_string (value, self->missing_text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_secret_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TokensSecretRow *self = TOKENS_SECRET_ROW (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      gtk_label_set_text (self->title_label, g_value_get_string (value));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, g_value_get_string (value),
                                      -1);
      g_object_notify_by_pspec (object, pspec);
      break;

    case PROP_HINT:
      tokens_secret_row_set_hint (self, g_value_get_string (value));
      break;

    case PROP_REVEALED:
      tokens_secret_row_set_revealed (self, g_value_get_boolean (value));
      break;

    case PROP_SESSION:
      tokens_secret_row_set_session (self, g_value_get_object (value));
      break;

    case PROP_MISSING_TEXT:
      g_free (self->missing_text);
      self->missing_text = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_secret_row_class_init (TokensSecretRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tokens_secret_row_dispose;
  object_class->finalize = tokens_secret_row_finalize;
  object_class->get_property = tokens_secret_row_get_property;
  object_class->set_property = tokens_secret_row_set_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HINT] =
    g_param_spec_string ("hint", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HAS_SECRET] =
    g_param_spec_boolean ("has-secret", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * TokensSecretRow:session:
   *
   * The session whose saved secret (of the row's kind and token id) the
   * row shows when the person asks; see tokens_secret_row_set_source().
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, TOKENS_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /**
   * TokensSecretRow:missing-text:
   *
   * What to say when the session has no copy of the secret.
   */
  properties[PROP_MISSING_TEXT] =
    g_param_spec_string ("missing-text", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TokensSecretRow::need-secret:
   *
   * The person asked to reveal or copy and the row has no secret: answer
   * with tokens_secret_row_set_secret() or tokens_secret_row_fail().
   */
  signals[NEED_SECRET] =
    g_signal_new ("need-secret",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * TokensSecretRow::copied:
   * @seconds: when the clipboard will be cleared
   *
   * The secret is on the clipboard: the owner tells the person (a toast).
   */
  signals[COPIED] =
    g_signal_new ("copied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/Tokens/tokens-secret-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TokensSecretRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TokensSecretRow, token_label);
  gtk_widget_class_bind_template_child (widget_class, TokensSecretRow, reveal_button);
  gtk_widget_class_bind_template_child (widget_class, TokensSecretRow, copy_button);

  gtk_widget_class_install_action (widget_class, "secret-row.copy", NULL, copy_action);
}

static void
tokens_secret_row_init (TokensSecretRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  g_signal_connect_object (self->reveal_button, "toggled",
                           G_CALLBACK (reveal_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->token_label, "copy-clipboard",
                           G_CALLBACK (label_copy_clipboard_cb), self, G_CONNECT_SWAPPED);
  update_label (self);
}
