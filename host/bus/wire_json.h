/*
 * wire_json — the JSON edge: turns an envelope into the wire event
 *   {"event_id","event_type","analysis_id","data","timestamp","sequence"}
 * exactly once; the bytes are then shared by every recipient (cJSON).
 */
#ifndef PS_BUS_WIRE_JSON_H
#define PS_BUS_WIRE_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include <msgpack.h>

/* MessagePack object -> cJSON (maps with string keys, arrays, scalars; bin
 * becomes a base64 string; ext becomes null). NULL on out of memory.
 * Integers beyond +-1e15 become raw number text (cJSON_IsRaw) so they print
 * exactly; NaN/inf become null; invalid UTF-8 and NUL bytes in strings become
 * U+FFFD; map entries with non-string keys are left out. */
cJSON *wire_from_msgpack(const msgpack_object *o);

/* "2026-11-30T09:43:15.123Z" from ns since the epoch. buf >= 32 bytes. */
void wire_timestamp(int64_t timestamp_ns, char *buf, size_t size);

/* Builds the wire event; takes ownership of data (NULL = {}). sequence 0 = null
 * (outside the stream). Returns a malloc'd unformatted JSON string. */
char *wire_event_json(const char *event_id, const char *event_type, const char *analysis_id,
                      cJSON *data, int64_t timestamp_ns, uint64_t sequence);

#endif
