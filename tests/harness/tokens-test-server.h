/* tokens-test-server.h — a real tokens-server for a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TokensTestServer TokensTestServer;

TokensTestServer *tokens_test_server_new          (const char * const *extra_args);
TokensTestServer *tokens_test_server_new_for_path (const char         *database,
                                                   const char * const *extra_args);
const char       *tokens_test_server_get_url      (TokensTestServer   *self);
const char       *tokens_test_server_get_database (TokensTestServer   *self);
const char       *tokens_test_server_get_tmpdir   (TokensTestServer   *self);
GPid              tokens_test_server_get_pid      (TokensTestServer   *self);
int               tokens_test_server_stop         (TokensTestServer   *self);
void              tokens_test_server_free         (TokensTestServer   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokensTestServer, tokens_test_server_free)

G_END_DECLS
