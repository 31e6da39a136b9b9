/* tokens-kept-expiry.c — when a kept token is due, and how to say it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kept token's expiry is a day (`expires-on`), not a moment: the token
 * works on that day and is refused from the next one (as tokens-cli
 * counts it, tokens_kept_days_until()). It is due `expiry-warning-days`
 * calendar days before, and stays due once expired: it is never dropped
 * from the warnings, only removed by the person. No widget here: the
 * expiry monitor, the banner and their unit test share these words.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "tokens-kept-expiry.h"

/**
 * tokens_kept_expiry_check:
 * @now: (nullable): the moment to look from; %NULL: now
 * @warning_days: how many days before its expiry day a token is due
 * @days_left: (out) (optional): calendar days to the expiry day (0 on
 *   it, negative after; G_MAXINT64 for no expiry)
 * @next_look: (out) (optional): when what this says next changes, in
 *   unix seconds (a local midnight); 0 for never
 *
 * Returns: whether @kept is due
 */
TokensKeptDue
tokens_kept_expiry_check (const TokensKept *kept,
                          GDateTime        *now,
                          guint             warning_days,
                          gint64           *days_left,
                          gint64           *next_look)
{
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) local = now ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  g_autoptr(GDateTime) change = NULL;
  TokensKeptDue due = TOKENS_KEPT_DUE_NONE;
  gint64 left = G_MAXINT64;

  g_return_val_if_fail (kept != NULL, TOKENS_KEPT_DUE_NONE);

  if (tokens_kept_get_expiry (kept, &expires))
    {
      left = tokens_kept_days_until (expires, local);
      if (left < 0)
        due = TOKENS_KEPT_DUE_EXPIRED;
      else if (left <= (gint64) warning_days)
        {
          g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (local),
                                                              g_date_time_get_month (local),
                                                              g_date_time_get_day_of_month (local),
                                                              0, 0, 0);

          due = TOKENS_KEPT_DUE_SOON;
          /* Each midnight the days left change, and the last one expires it. */
          change = g_date_time_add_days (today, 1);
        }
      else
        change = g_date_time_add_days (expires, -(gint) warning_days);
    }

  if (days_left != NULL)
    *days_left = left;
  if (next_look != NULL)
    *next_look = change ? g_date_time_to_unix (change) : 0;
  return due;
}

/**
 * tokens_kept_expiry_dup_title:
 *
 * Which token, and what about it: "GitHub token “deploy-ci” expires in
 * 2 days". The notification's title and the banner's line.
 */
char *
tokens_kept_expiry_dup_title (const TokensKept *kept,
                              TokensKeptDue     due,
                              gint64            days_left)
{
  const char *service = kept->service_name ? kept->service_name : _("Other service");
  const char *name = kept->name ? kept->name : "";

  g_return_val_if_fail (due != TOKENS_KEPT_DUE_NONE, NULL);

  if (due == TOKENS_KEPT_DUE_EXPIRED)
    /* Translators: the first %s is a service ("GitHub"), the second the
     * name the person gave a kept token. */
    return g_strdup_printf (_("%s token “%s” has expired"), service, name);

  if (days_left <= 0)
    /* Translators: the first %s is a service ("GitHub"), the second the
     * name the person gave a kept token. */
    return g_strdup_printf (_("%s token “%s” expires today"), service, name);

  /* Translators: the first %s is a service ("GitHub"), the second the
   * name the person gave a kept token; %d is a number of days. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%s token “%s” expires in %d day",
                                       "%s token “%s” expires in %d days",
                                       (gulong) MIN (days_left, G_MAXINT)),
                          service, name, (int) MIN (days_left, G_MAXINT));
}

/**
 * tokens_kept_expiry_dup_body:
 *
 * Where the token is used, and what to do: a kept token is renewed at
 * its service, then its secret replaced in Tokens.
 */
char *
tokens_kept_expiry_dup_body (const TokensKept *kept,
                             TokensKeptDue     due)
{
  g_autofree char *used = NULL;
  const char *what;

  g_return_val_if_fail (due != TOKENS_KEPT_DUE_NONE, NULL);

  if (due == TOKENS_KEPT_DUE_EXPIRED)
    what = _("The service refuses it now: make a new token there and replace the one kept in Tokens.");
  else
    what = _("Make a new token at the service and replace the one kept in Tokens before it stops working.");

  if (kept->used_in == NULL || *kept->used_in == '\0')
    return g_strdup (what);

  /* Translators: %s is where a kept token is used ("CI server"); what to
   * do about its expiry follows this sentence. */
  used = g_strdup_printf (_("Used in %s."), kept->used_in);
  return g_strconcat (used, " ", what, NULL);
}

/**
 * tokens_kept_expiry_dup_show_label:
 * @n_access: access tokens due (the banner's Show opens them first)
 * @n_kept: kept tokens due
 *
 * The accessible name of the banner's Show button: what a click opens,
 * the access tokens that need renewing when there are any, else the kept
 * tokens that need replacing.
 *
 * Returns: (nullable): %NULL when nothing is due
 */
char *
tokens_kept_expiry_dup_show_label (guint n_access,
                                   guint n_kept)
{
  if (n_access > 0)
    return g_strdup (/* Translators: the accessible name of the expiry banner's
                      * Show button; it opens the access token(s). */
                     g_dngettext (GETTEXT_PACKAGE,
                                  "Show Access Token That Needs Renewing",
                                  "Show Access Tokens That Need Renewing", n_access));
  if (n_kept > 0)
    return g_strdup (/* Translators: the accessible name of the expiry banner's
                      * Show button; it opens the kept token(s) of other services. */
                     g_dngettext (GETTEXT_PACKAGE,
                                  "Show Kept Token That Needs Replacing",
                                  "Show Kept Tokens That Need Replacing", n_kept));
  return NULL;
}
