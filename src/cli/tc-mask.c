/* tc-mask.c — secrets taken out of a stream of bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `tokens-cli run` passes a command's output through, with every secret
 * it injected replaced by TC_MASK_TEXT. Output comes in reads of any
 * size, so a secret may be split over two (or over one read per byte):
 * the masker holds back the end of what it was given only while that end
 * could still become a secret — the longest suffix that is a prefix of
 * one — and lets everything else through at once, so a program's prompt
 * is not delayed unless it ends with the start of a secret.
 *
 * Where two secrets could match at one place, the longer one is masked.
 * Empty secrets are ignored (they would match everywhere). The masker's
 * copies of the secrets and what it holds back are wiped when it is freed.
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "tc-mask.h"

struct _TcMasker
{
  GPtrArray  *secrets;      /* GBytes, longest first */
  gboolean    first[256];   /* bytes a secret starts with */
  GByteArray *held;         /* not yet let through */
};

static gint
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize la = g_bytes_get_size (*(GBytes **) a);
  gsize lb = g_bytes_get_size (*(GBytes **) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

static void
wipe_bytes (gpointer data)
{
  GBytes *bytes = data;
  gsize size;
  gconstpointer p = g_bytes_get_data (bytes, &size);

  sodium_memzero ((gpointer) p, size);
  g_bytes_unref (bytes);
}

TcMasker *
tc_masker_new (const char * const *secrets)
{
  TcMasker *self = g_new0 (TcMasker, 1);

  self->secrets = g_ptr_array_new_with_free_func (wipe_bytes);
  self->held = g_byte_array_new ();

  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    {
      gsize len = strlen (secrets[i]);

      if (len == 0)
        continue;
      g_ptr_array_add (self->secrets, g_bytes_new (secrets[i], len));
      self->first[(guint8) secrets[i][0]] = TRUE;
    }
  g_ptr_array_sort (self->secrets, longest_first);
  return self;
}

void
tc_masker_free (TcMasker *self)
{
  if (self == NULL)
    return;

  if (self->held->len > 0)
    sodium_memzero (self->held->data, self->held->len);
  g_byte_array_unref (self->held);
  g_ptr_array_unref (self->secrets);
  g_free (self);
}

typedef enum
{
  NO_MATCH,
  PARTIAL,    /* what is left is the start of a secret */
  MATCH,
} Match;

static Match
match_at (TcMasker     *self,
          const guint8 *p,
          gsize         left,
          gsize        *matched)
{
  gboolean partial = FALSE;

  if (!self->first[p[0]])
    return NO_MATCH;

  for (guint i = 0; i < self->secrets->len; i++)
    {
      gsize len;
      const guint8 *s = g_bytes_get_data (g_ptr_array_index (self->secrets, i), &len);

      if (left >= len)
        {
          if (memcmp (p, s, len) == 0)
            {
              /* Longest first: a longer one that could still match
               * beyond what we have wins over this one. */
              if (partial)
                return PARTIAL;
              *matched = len;
              return MATCH;
            }
        }
      else if (memcmp (p, s, left) == 0)
        partial = TRUE;
    }

  return partial ? PARTIAL : NO_MATCH;
}

static void
scan (TcMasker   *self,
      GByteArray *out,
      gboolean    at_end)
{
  const guint8 *data = self->held->data;
  gsize len = self->held->len;
  gsize done = 0;
  gsize i = 0;

  if (len == 0)
    return;

  while (i < len)
    {
      gsize matched = 0;
      Match m = match_at (self, data + i, len - i, &matched);

      if (m == PARTIAL && at_end)
        {
          /* Nothing more will come: the shorter secrets that match
           * here, if any, still do. */
          gsize best = 0;

          for (guint k = 0; k < self->secrets->len; k++)
            {
              gsize slen;
              const guint8 *s = g_bytes_get_data (g_ptr_array_index (self->secrets, k), &slen);

              if (slen <= len - i && memcmp (data + i, s, slen) == 0)
                {
                  best = slen;
                  break;
                }
            }
          if (best > 0)
            {
              m = MATCH;
              matched = best;
            }
          else
            m = NO_MATCH;
        }

      if (m == PARTIAL)
        break;

      if (m == MATCH)
        {
          g_byte_array_append (out, data + done, i - done);
          g_byte_array_append (out, (const guint8 *) TC_MASK_TEXT, strlen (TC_MASK_TEXT));
          i += matched;
          done = i;
        }
      else
        i++;
    }

  g_byte_array_append (out, data + done, i - done);
  sodium_memzero (self->held->data, i);
  g_byte_array_remove_range (self->held, 0, i);
}

/* Appends to @out what can be let through of @data. */
void
tc_masker_feed (TcMasker     *self,
                const guint8 *data,
                gsize         len,
                GByteArray   *out)
{
  if (len == 0)
    return;
  g_byte_array_append (self->held, data, len);
  scan (self, out, FALSE);
}

/* The stream ended: the rest goes through, masked. */
void
tc_masker_finish (TcMasker   *self,
                  GByteArray *out)
{
  scan (self, out, TRUE);
}
