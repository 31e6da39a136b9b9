/* tokens-core.h — what libtokens and tokens-server share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib, json-glib and libsodium only: no libsoup, libsecret or GTK. The
 * JSON readers and writers (tokens-json.h) are for the code that speaks
 * to the network, so they are not in here: widgets never read JSON.
 */

#pragma once

#include "tokens-error.h"
#include "tokens-token.h"
#include "tokens-wire.h"
