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
 * becomes a base64 string; ext becomes null). NULL on out of memory. */
cJSON *wire_from_msgpack(const msgpack_object *o);

/* "2026-11-30T09:43:15.123Z" from ns since the epoch. buf >= 32 bytes. */
void wire_timestamp(int64_t timestamp_ns, char *buf, size_t size);

/* Builds the wire event; takes ownership of data. sequence 0 = null
 * (outside the stream). Returns a malloc'd unformatted JSON string. */
char *wire_event_json(const char *event_id, const char *event_type, const char *analysis_id,
                      cJSON *data, int64_t timestamp_ns, uint64_t sequence);

#endif
