/* tokens.h — libtokens, the GTK-free core shared by the app, the server and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tokens-client.h"
#include "tokens-error.h"
#include "tokens-token.h"
