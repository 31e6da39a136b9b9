/* ts-json-reader.h — TEMPORARY stand-in, replaced by the strict reader */
#pragma once
#include <json-glib/json-glib.h>
G_BEGIN_DECLS
#define TS_JSON_MAX_DEPTH 32
JsonNode *ts_json_read (const char *data, gsize len, GError **error);
G_END_DECLS
