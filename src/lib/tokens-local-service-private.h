/* tokens-local-service-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tokens-local-service.h"

G_BEGIN_DECLS

/* For the tests, which check that the process is really gone. */
GPid tokens_local_service_get_pid (TokensLocalService *self);

G_END_DECLS
