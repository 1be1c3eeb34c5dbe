/*
 * publish — builds the pipeline's envelopes and puts them on the bus.
 *
 * Every event the pipeline emits goes through publish_begin/publish_end, so
 * the envelope layout (schemas/envelope.md) lives in one place.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "pipeline/internal.h"

void publish_begin(envelope_writer *w, const analysis *an, const char *type, const char *agent_id,
                   uint32_t pairs)
{
    envelope_begin(w, type, an->id, agent_id, envelope_now_ns());
    msgpack_pack_map(&w->packer, pairs);
}

void publish_end(envelope_writer *w, const analysis *an)
{
    if (bus_publish(an->owner->bus, w->buffer.data, w->buffer.size) != 0)
        fprintf(stderr, "polisim-host: [%s] out of memory publishing an event\n", an->id);
    envelope_writer_free(w);
}

void pack_key(msgpack_packer *pk, const char *key)
{
    envelope_pack_cstr(pk, key);
}

void pack_kv_str(msgpack_packer *pk, const char *key, const char *value)
{
    pack_key(pk, key);
    envelope_pack_cstr(pk, value);
}

void pack_kv_int(msgpack_packer *pk, const char *key, int64_t value)
{
    pack_key(pk, key);
    msgpack_pack_int64(pk, value);
}

void pack_kv_double(msgpack_packer *pk, const char *key, double value)
{
    pack_key(pk, key);
    msgpack_pack_double(pk, value);
}

void pack_kv_bool(msgpack_packer *pk, const char *key, int value)
{
    pack_key(pk, key);
    if (value)
        msgpack_pack_true(pk);
    else
        msgpack_pack_false(pk);
}

void publish_error(const analysis *an, const char *agent_id, const char *stage, const char *fmt, ...)
{
    char message[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    envelope_writer w;
    publish_begin(&w, an, "error", agent_id, 3);
    pack_kv_str(&w.packer, "error", message);
    pack_kv_str(&w.packer, "agent_id", agent_id);
    pack_kv_str(&w.packer, "stage", stage);
    publish_end(&w, an);
}

void publish_stage(const analysis *an, const char *stage, const char *previous)
{
    envelope_writer w;
    publish_begin(&w, an, "stage_changed", NULL, 2);
    pack_kv_str(&w.packer, "stage", stage);
    pack_kv_str(&w.packer, "previous_stage", previous);
    publish_end(&w, an);
}
