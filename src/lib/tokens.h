/* tokens.h — libtokens, the GTK-free core shared by the app, the server and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tokens-access-token.h"
#include "tokens-account.h"
#include "tokens-account-list.h"
#include "tokens-api-key.h"
#include "tokens-client.h"
#include "tokens-error.h"
#include "tokens-event.h"
#include "tokens-file.h"
#include "tokens-format.h"
#include "tokens-kept.h"
#include "tokens-kept-list.h"
#include "tokens-local-service.h"
#include "tokens-profile.h"
#include "tokens-security-token.h"
#include "tokens-session.h"
#include "tokens-store.h"
#include "tokens-token.h"
#include "tokens-token-list.h"
