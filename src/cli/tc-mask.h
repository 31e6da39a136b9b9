/* tc-mask.h — secrets taken out of a stream of bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TC_MASK_TEXT "<concealed by Tokens>"

typedef struct _TcMasker TcMasker;

TcMasker *tc_masker_new    (const char * const *secrets);
void      tc_masker_free   (TcMasker           *self);
void      tc_masker_feed   (TcMasker           *self,
                            const guint8       *data,
                            gsize               len,
                            GByteArray         *out);
void      tc_masker_finish (TcMasker           *self,
                            GByteArray         *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcMasker, tc_masker_free)

G_END_DECLS
