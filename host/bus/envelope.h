/*
 * envelope — the versioned MessagePack envelope every bus message uses.
 *
 *   [version=1, event_type, analysis_id, agent_id|nil, timestamp_ns, data]
 *
 * `data` is a map with string keys (documented in schemas/envelope.md).
 * Owns nothing beyond the buffers in its structs.
 */
#ifndef PS_BUS_ENVELOPE_H
#define PS_BUS_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>
#include <msgpack.h>

#define PS_ENVELOPE_VERSION 1

typedef struct envelope_writer {
    msgpack_sbuffer buffer;
    msgpack_packer packer; /* pack exactly one object (the data map) after begin */
} envelope_writer;

/* Starts an envelope; the caller then packs the data map with w->packer. */
void envelope_begin(envelope_writer *w, const char *event_type, const char *analysis_id,
                    const char *agent_id, int64_t timestamp_ns);
void envelope_writer_free(envelope_writer *w);

/* msgpack_pack_str helper for C strings (NULL packs nil). */
void envelope_pack_cstr(msgpack_packer *pk, const char *s);

typedef struct envelope {
    uint32_t version;
    char event_type[40];
    char analysis_id[72];
    char agent_id[72];      /* "" when nil */
    int64_t timestamp_ns;
    msgpack_object data;    /* valid until envelope_release, and only while the
                               decoded bytes live (strings point into them) */
    msgpack_unpacked storage;
} envelope;

/* Returns 0, or -1 with a reason in err. Call envelope_release either way. */
int envelope_decode(const void *bytes, size_t length, envelope *out, char *err, size_t err_size);
void envelope_release(envelope *e);

/* Wall clock in ns since the epoch (CLOCK_REALTIME). */
int64_t envelope_now_ns(void);

#endif
