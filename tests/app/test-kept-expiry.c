/* test-kept-expiry.c — which kept tokens are due, and what the warnings say
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tokens-kept-expiry.c on its own: a kept token's expiry is a day, due
 * within the warning days, expired from the day after, never due
 * without one; the notification's and the banner's words name the
 * service, the token and where it is used, in English and in pt_BR.
 */

#include "config.h"

#include "test-language.h"
#include "tokens.h"
#include "tokens-kept-expiry.h"

/* 2026-03-10, 15:00 local time: "now" in every test. */
static GDateTime *
afternoon (void)
{
  return g_date_time_new_local (2026, 3, 10, 15, 0, 0);
}

static gint64
local_midnight (int year,
                int month,
                int day)
{
  g_autoptr(GDateTime) midnight = g_date_time_new_local (year, month, day, 0, 0, 0);

  return g_date_time_to_unix (midnight);
}

static TokensKept
kept_token (const char *expires_on)
{
  return (TokensKept) {
    .id = (char *) "abcdefghij",
    .service = (char *) "github",
    .service_name = (char *) "GitHub",
    .name = (char *) "deploy-ci",
    .used_in = (char *) "CI server",
    .expires_on = (char *) expires_on,
  };
}

static void
test_due_within_the_warning_days_expired_after_the_day_never_without_expiry (void)
{
  static const struct
  {
    const char    *expires_on;
    TokensKeptDue  due;
    gint64         days_left;
    int            next_day;   /* of March, local midnight; 0: never */
  } rows[] = {
    { NULL, TOKENS_KEPT_DUE_NONE, G_MAXINT64, 0 },
    /* Not a date Tokens writes: no expiry, not a crash. */
    { "2026-02-30", TOKENS_KEPT_DUE_NONE, G_MAXINT64, 0 },
    { "soon", TOKENS_KEPT_DUE_NONE, G_MAXINT64, 0 },
    /* Due 7 days before: from the 13th on for the 20th. */
    { "2026-03-20", TOKENS_KEPT_DUE_NONE, 10, 13 },
    { "2026-03-17", TOKENS_KEPT_DUE_SOON, 7, 11 },
    { "2026-03-12", TOKENS_KEPT_DUE_SOON, 2, 11 },
    /* It works on its expiry day; refused from the next one. */
    { "2026-03-10", TOKENS_KEPT_DUE_SOON, 0, 11 },
    { "2026-03-09", TOKENS_KEPT_DUE_EXPIRED, -1, 0 },
    { "2025-01-01", TOKENS_KEPT_DUE_EXPIRED, -433, 0 },
  };
  g_autoptr(GDateTime) now = afternoon ();

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      TokensKept kept = kept_token (rows[i].expires_on);
      gint64 days_left = 0, next_look = -1;

      g_test_message ("expires on %s", rows[i].expires_on);
      g_assert_cmpint (tokens_kept_expiry_check (&kept, now, 7, &days_left, &next_look), ==, rows[i].due);
      g_assert_cmpint (days_left, ==, rows[i].days_left);
      g_assert_cmpint (next_look, ==, rows[i].next_day ? local_midnight (2026, 3, rows[i].next_day) : 0);
    }
}

static void
test_late_evening_still_counts_the_day (void)
{
  g_autoptr(GDateTime) late = g_date_time_new_local (2026, 3, 10, 23, 59, 30);
  g_autoptr(GDateTime) after = g_date_time_new_local (2026, 3, 11, 0, 0, 1);
  TokensKept kept = kept_token ("2026-03-10");
  gint64 days_left;

  g_assert_cmpint (tokens_kept_expiry_check (&kept, late, 7, &days_left, NULL), ==, TOKENS_KEPT_DUE_SOON);
  g_assert_cmpint (days_left, ==, 0);
  g_assert_cmpint (tokens_kept_expiry_check (&kept, after, 7, &days_left, NULL), ==, TOKENS_KEPT_DUE_EXPIRED);
  g_assert_cmpint (days_left, ==, -1);
}

static void
test_no_warning_days_means_only_the_day_itself (void)
{
  g_autoptr(GDateTime) now = afternoon ();
  TokensKept tomorrow = kept_token ("2026-03-11");
  TokensKept today = kept_token ("2026-03-10");

  g_assert_cmpint (tokens_kept_expiry_check (&tomorrow, now, 0, NULL, NULL), ==, TOKENS_KEPT_DUE_NONE);
  g_assert_cmpint (tokens_kept_expiry_check (&today, now, 0, NULL, NULL), ==, TOKENS_KEPT_DUE_SOON);
}

typedef struct
{
  const char    *used_in;
  TokensKeptDue  due;
  gint64         days_left;
  const char    *title[2];   /* en, pt_BR */
  const char    *body[2];
} Words;

static void
test_warnings_name_the_service_the_token_and_where_it_is_used (void)
{
  static const Words rows[] = {
    { "CI server", TOKENS_KEPT_DUE_SOON, 2,
      { "GitHub token “deploy-ci” expires in 2 days", "O token “deploy-ci” (GitHub) expira em 2 dias" },
      { "Used in CI server. Make a new token at the service and replace the one kept in Tokens before it stops working.",
        "Usado em CI server. Crie um novo token no serviço e substitua o guardado no Tokens antes que ele pare de funcionar." } },
    { NULL, TOKENS_KEPT_DUE_SOON, 1,
      { "GitHub token “deploy-ci” expires in 1 day", "O token “deploy-ci” (GitHub) expira em 1 dia" },
      { "Make a new token at the service and replace the one kept in Tokens before it stops working.",
        "Crie um novo token no serviço e substitua o guardado no Tokens antes que ele pare de funcionar." } },
    { "", TOKENS_KEPT_DUE_SOON, 0,
      { "GitHub token “deploy-ci” expires today", "O token “deploy-ci” (GitHub) expira hoje" },
      { "Make a new token at the service and replace the one kept in Tokens before it stops working.",
        "Crie um novo token no serviço e substitua o guardado no Tokens antes que ele pare de funcionar." } },
    { "laptop", TOKENS_KEPT_DUE_EXPIRED, -3,
      { "GitHub token “deploy-ci” has expired", "O token “deploy-ci” (GitHub) expirou" },
      { "Used in laptop. The service refuses it now: make a new token there and replace the one kept in Tokens.",
        "Usado em laptop. O serviço já o recusa: crie um novo token lá e substitua o guardado no Tokens." } },
  };

  for (guint pass = 0; pass < 2; pass++)
    {
      use_language (pass == 0 ? "en" : "pt_BR");
      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        {
          TokensKept kept = kept_token ("2026-03-12");
          g_autofree char *title = NULL;
          g_autofree char *body = NULL;

          kept.used_in = (char *) rows[i].used_in;
          title = tokens_kept_expiry_dup_title (&kept, rows[i].due, rows[i].days_left);
          body = tokens_kept_expiry_dup_body (&kept, rows[i].due);
          g_assert_cmpstr (title, ==, rows[i].title[pass]);
          g_assert_cmpstr (body, ==, rows[i].body[pass]);
        }
    }
  use_language ("en");
}

static void
test_show_button_says_what_it_opens (void)
{
  static const struct
  {
    guint       n_access;
    guint       n_kept;
    const char *label[2];   /* en, pt_BR */
  } rows[] = {
    { 1, 0, { "Show Access Token That Needs Renewing", "Mostrar o token de acesso que precisa ser renovado" } },
    { 3, 0, { "Show Access Tokens That Need Renewing", "Mostrar os tokens de acesso que precisam ser renovados" } },
    /* Access tokens first: that is what a click opens. */
    { 2, 4, { "Show Access Tokens That Need Renewing", "Mostrar os tokens de acesso que precisam ser renovados" } },
    { 0, 1, { "Show Kept Token That Needs Replacing", "Mostrar o token guardado que precisa ser substituído" } },
    { 0, 2, { "Show Kept Tokens That Need Replacing", "Mostrar os tokens guardados que precisam ser substituídos" } },
  };

  for (guint pass = 0; pass < 2; pass++)
    {
      use_language (pass == 0 ? "en" : "pt_BR");
      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        {
          g_autofree char *label = tokens_kept_expiry_dup_show_label (rows[i].n_access, rows[i].n_kept);

          g_assert_cmpstr (label, ==, rows[i].label[pass]);
        }
      g_assert_null (tokens_kept_expiry_dup_show_label (0, 0));
    }
  use_language ("en");
}

int
main (int   argc,
      char *argv[])
{
  use_translations ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kept-expiry/due-within-the-warning-days-expired-after-the-day-never-without-expiry",
                   test_due_within_the_warning_days_expired_after_the_day_never_without_expiry);
  g_test_add_func ("/kept-expiry/late-evening-still-counts-the-day", test_late_evening_still_counts_the_day);
  g_test_add_func ("/kept-expiry/no-warning-days-means-only-the-day-itself",
                   test_no_warning_days_means_only_the_day_itself);
  g_test_add_func ("/kept-expiry/warnings-name-the-service-the-token-and-where-it-is-used",
                   test_warnings_name_the_service_the_token_and_where_it_is_used);
  g_test_add_func ("/kept-expiry/show-button-says-what-it-opens", test_show_button_says_what_it_opens);

  return g_test_run ();
}
