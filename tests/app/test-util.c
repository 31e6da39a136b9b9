/* test-util.c — the words the app's rows and toasts use for times and errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tokens-util.c's formatting helpers, in English and in Brazilian
 * Portuguese, with the translations the build made. No display: these
 * helpers touch no widget.
 */

#include "config.h"

#include "test-language.h"
#include "tokens.h"
#include "tokens-util.h"

/* What a helper says for one input, in each language. */
typedef struct
{
  GTimeSpan   span;
  const char *en;
  const char *pt_br;
} Said;

/* Each row's `span` goes to @say, once in English and once in pt_BR. */
static void
assert_said (const Said *rows,
             gsize       n_rows,
             char     *(*say) (GTimeSpan span))
{
  for (guint pass = 0; pass < 2; pass++)
    {
      use_language (pass == 0 ? "en" : "pt_BR");
      for (gsize i = 0; i < n_rows; i++)
        {
          g_autofree char *text = say (rows[i].span);

          g_assert_cmpstr (text, ==, pass == 0 ? rows[i].en : rows[i].pt_br);
        }
    }
  use_language ("en");
}

static GDateTime *
ago (GTimeSpan span)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_add (now, -span);
}

/* span 0 stands for "no time at all" (NULL) in the tables below. */
static char *
say_past (GTimeSpan span)
{
  g_autoptr(GDateTime) time = span ? ago (span) : NULL;

  return tokens_util_format_past (time);
}

static char *
say_last_used (GTimeSpan span)
{
  g_autoptr(GDateTime) time = span ? ago (span) : NULL;

  return tokens_util_format_last_used (time);
}

/* Noon, local time: the days below are calendar days. */
static GDateTime *
noon (void)
{
  return g_date_time_new_local (2026, 12, 2, 12, 0, 0);
}

static char *
say_expiry (GTimeSpan left)
{
  g_autoptr(GDateTime) now = noon ();
  g_autoptr(GDateTime) expires_at = left != G_MAXINT64 ? g_date_time_add (now, left) : NULL;

  return tokens_util_format_expiry (expires_at, now);
}

/* The new token expires in @left, the old one a week before. */
static char *
say_durations (GTimeSpan left)
{
  g_autoptr(GDateTime) now = noon ();
  g_autoptr(GDateTime) expires_at = left != G_MAXINT64 ? g_date_time_add (now, left) : NULL;
  g_autoptr(GDateTime) previous = g_date_time_add (now, left != G_MAXINT64 ? left - 7 * G_TIME_SPAN_DAY
                                                                           : G_TIME_SPAN_DAY);

  return tokens_util_format_durations (expires_at, previous, now);
}

static char *
say_expiry_date (GTimeSpan left)
{
  g_autoptr(GDateTime) now = noon ();
  g_autoptr(GDateTime) expires_at = left != G_MAXINT64 ? g_date_time_add (now, left) : NULL;

  return tokens_util_format_expiry_date (expires_at);
}

/* The spans sit inside their bucket, so the second or so between making
 * the time here and the helper reading the clock changes nothing. */
static void
test_past_says_never_just_now_and_how_long_ago (void)
{
  static const Said rows[] = {
    { 0, "Never", "Nunca" },
    { 10 * G_TIME_SPAN_SECOND, "Just now", "Agora mesmo" },
    { G_TIME_SPAN_MINUTE + 20 * G_TIME_SPAN_SECOND, "1 minute ago", "há 1 minuto" },
    { 5 * G_TIME_SPAN_MINUTE + 20 * G_TIME_SPAN_SECOND, "5 minutes ago", "há 5 minutos" },
    { G_TIME_SPAN_HOUR + 5 * G_TIME_SPAN_MINUTE, "1 hour ago", "há 1 hora" },
    { 23 * G_TIME_SPAN_HOUR + 5 * G_TIME_SPAN_MINUTE, "23 hours ago", "há 23 horas" },
    { G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR, "1 day ago", "há 1 dia" },
    { 29 * G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR, "29 days ago", "há 29 dias" },
  };

  assert_said (rows, G_N_ELEMENTS (rows), say_past);
}

static void
test_past_beyond_a_month_is_a_date (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_local (2020, 3, 7, 12, 0, 0);
  g_autofree char *en = NULL;
  g_autofree char *pt_br = NULL;

  use_language ("en");
  en = tokens_util_format_past (time);
  use_language ("pt_BR");
  pt_br = tokens_util_format_past (time);
  use_language ("en");

  g_assert_cmpstr (en, ==, "2020-03-07");
  g_assert_cmpstr (pt_br, ==, "07/03/2020");
}

static void
test_expiry_says_days_left_today_expired_or_none (void)
{
  static const Said rows[] = {
    { G_MAXINT64, "No expiry", "Sem expiração" },
    /* Made a moment ago for 90 days: what the person chose, not 89. */
    { 90 * G_TIME_SPAN_DAY - G_TIME_SPAN_SECOND, "Expires in 90 days", "Expira em 90 dias" },
    { 12 * G_TIME_SPAN_DAY, "Expires in 12 days", "Expira em 12 dias" },
    { G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR, "Expires in 1 day", "Expira em 1 dia" },
    /* Calendar days: tomorrow morning is one day away, tonight is today. */
    { 23 * G_TIME_SPAN_HOUR, "Expires in 1 day", "Expira em 1 dia" },
    { 11 * G_TIME_SPAN_HOUR, "Expires today", "Expira hoje" },
    { G_TIME_SPAN_SECOND, "Expires today", "Expira hoje" },
    { 0, "Expired", "Expirado" },
    { -3 * G_TIME_SPAN_DAY, "Expired", "Expirado" },
  };

  assert_said (rows, G_N_ELEMENTS (rows), say_expiry);
}

/* Calendar days across a daylight saving change: a token made a little
 * after midnight for 90 days, with the clocks going back an hour before it
 * expires, would end at 23:30 on the 89th day, local time; one made a
 * little before midnight with the clocks going forward would end at 00:30
 * on the 91st. Either way the person chose 90. */
static void
test_expiry_across_daylight_saving_is_what_was_chosen (void)
{
  static const struct {
    int month, day, hour, minute;
  } made[] = {
    { 8, 10, 0, 30 },    /* CEST, expires in CET (clocks back on 25 October) */
    { 3, 1, 23, 30 },    /* CET, expires in CEST (clocks forward on 29 March) */
  };
  g_autofree char *tz = g_strdup (g_getenv ("TZ"));

  g_setenv ("TZ", "Europe/Berlin", TRUE);
  for (guint pass = 0; pass < 2; pass++)
    {
      use_language (pass == 0 ? "en" : "pt_BR");
      for (guint i = 0; i < G_N_ELEMENTS (made); i++)
        {
          g_autoptr(GDateTime) now = g_date_time_new_local (2026, made[i].month, made[i].day,
                                                            made[i].hour, made[i].minute, 0);
          g_autoptr(GDateTime) expires_at = g_date_time_add (now, 90 * G_TIME_SPAN_DAY);
          g_autofree char *text = tokens_util_format_expiry (expires_at, now);

          g_assert_cmpint (g_date_time_get_utc_offset (now), !=, g_date_time_get_utc_offset (expires_at));
          g_assert_cmpstr (text, ==, pass == 0 ? "Expires in 90 days" : "Expira em 90 dias");
        }
    }
  use_language ("en");
  if (tz != NULL)
    g_setenv ("TZ", tz, TRUE);
  else
    g_unsetenv ("TZ");
}

/* A pending renewal lists both durations, in one sentence with no capital
 * after the colon. */
static void
test_durations_name_the_new_and_the_old_token (void)
{
  static const Said rows[] = {
    { 90 * G_TIME_SPAN_DAY - G_TIME_SPAN_SECOND,
      "Token duration: new token expires in 90 days, old token expires in 83 days",
      "Duração do token: token novo expira em 90 dias, token antigo expira em 83 dias" },
    { 3 * G_TIME_SPAN_DAY,
      "Token duration: new token expires in 3 days, old token has expired",
      "Duração do token: token novo expira em 3 dias, token antigo expirou" },
    { G_MAXINT64,
      "Token duration: new token never expires, old token expires in 1 day",
      "Duração do token: token novo nunca expira, token antigo expira em 1 dia" },
  };

  assert_said (rows, G_N_ELEMENTS (rows), say_durations);
}

static void
test_expiry_date_says_the_day (void)
{
  static const Said rows[] = {
    { G_MAXINT64, "Does not expire", "Não expira" },
    { 90 * G_TIME_SPAN_DAY - G_TIME_SPAN_SECOND, "Expires on 2027-03-02", "Expira em 02/03/2027" },
  };

  assert_said (rows, G_N_ELEMENTS (rows), say_expiry_date);
}

static void
test_last_used_says_never_used_or_when (void)
{
  static const Said rows[] = {
    { 0, "Never used", "Nunca usado" },
    { 5 * G_TIME_SPAN_MINUTE + 20 * G_TIME_SPAN_SECOND, "Last used: 5 minutes ago", "Último uso: há 5 minutos" },
    { 3 * G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR, "Last used: 3 days ago", "Último uso: há 3 dias" },
  };

  assert_said (rows, G_N_ELEMENTS (rows), say_last_used);
}

static void
test_error_message_is_our_sentence_then_what_was_wrong (void)
{
  g_autoptr(GError) invalid = g_error_new_literal (TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                                                   "The name is longer than 100 characters.");
  g_autoptr(GError) described = tokens_error_new_described (TOKENS_ERROR_INVALID_INPUT);
  g_autoptr(GError) not_found = g_error_new_literal (TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND,
                                                     "No access token with this id in this account.");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "read(): EIO");
  g_autofree char *with_detail = tokens_util_error_message (invalid);
  g_autofree char *alone = tokens_util_error_message (described);
  g_autofree char *not_found_text = tokens_util_error_message (not_found);
  g_autofree char *other_text = tokens_util_error_message (other);
  g_autofree char *none_text = tokens_util_error_message (NULL);

  g_assert_cmpstr (with_detail, ==,
                   "The service did not accept what was sent. The name is longer than 100 characters.");
  /* Said once, not twice. */
  g_assert_cmpstr (alone, ==, "The service did not accept what was sent.");
  /* Only a refusal of what was sent adds the service's words. */
  g_assert_cmpstr (not_found_text, ==, tokens_error_describe (TOKENS_ERROR_NOT_FOUND));
  /* Another domain's message is for developers, not people. */
  g_assert_cmpstr (other_text, ==, "Something went wrong.");
  g_assert_cmpstr (none_text, ==, "Something went wrong.");
}

static void
test_error_message_in_portuguese (void)
{
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "read(): EIO");
  g_autoptr(GError) described = NULL;
  g_autofree char *text = NULL;
  g_autofree char *invalid = NULL;

  use_language ("pt_BR");
  described = tokens_error_new_described (TOKENS_ERROR_INVALID_INPUT);
  text = tokens_util_error_message (other);
  invalid = tokens_util_error_message (described);
  use_language ("en");

  g_assert_cmpstr (text, ==, "Algo deu errado.");
  g_assert_cmpstr (invalid, ==, "O serviço não aceitou o que foi enviado.");
}

int
main (int   argc,
      char *argv[])
{
  use_translations ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/util/past-says-never-just-now-and-how-long-ago", test_past_says_never_just_now_and_how_long_ago);
  g_test_add_func ("/util/past-beyond-a-month-is-a-date", test_past_beyond_a_month_is_a_date);
  g_test_add_func ("/util/expiry-says-days-left-today-expired-or-none", test_expiry_says_days_left_today_expired_or_none);
  g_test_add_func ("/util/expiry-across-daylight-saving-is-what-was-chosen",
                   test_expiry_across_daylight_saving_is_what_was_chosen);
  g_test_add_func ("/util/durations-name-the-new-and-the-old-token", test_durations_name_the_new_and_the_old_token);
  g_test_add_func ("/util/expiry-date-says-the-day", test_expiry_date_says_the_day);
  g_test_add_func ("/util/last-used-says-never-used-or-when", test_last_used_says_never_used_or_when);
  g_test_add_func ("/util/error-message-is-our-sentence-then-what-was-wrong", test_error_message_is_our_sentence_then_what_was_wrong);
  g_test_add_func ("/util/error-message-in-portuguese", test_error_message_in_portuguese);

  return g_test_run ();
}
