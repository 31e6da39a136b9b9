/* TEMPORARY stand-in */
#include "config.h"
#include "tokens-error.h"
#include "ts-json-reader.h"
JsonNode *
ts_json_read (const char *data, gsize len, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  if (!g_utf8_validate (data, len, NULL) || !json_parser_load_from_data (parser, data, len, NULL))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT, "The body is not valid JSON.");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}
