/*
 * envelope — encoding and validating decoding of the bus envelope
 * [1, event_type, analysis_id, agent_id|nil, timestamp_ns, data] (see
 * envelope.h and schemas/envelope.md).
 *
 * Decoding first checks the raw bytes structurally (mp_check_object) so that
 * msgpack-c never sees a container claiming more elements than the buffer
 * holds, then checks every field and copies the strings into the fixed
 * buffers of the struct.
 */
#include "bus/envelope.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bus/fail.h"
#include "bus/mp_check.h"

/* The envelope array, the data map, and room for plugin maps nested in it. */
#define ENVELOPE_MAX_DEPTH 32
#define ENVELOPE_FIELDS 6

void envelope_pack_cstr(msgpack_packer *pk, const char *s)
{
    if (!s) {
        msgpack_pack_nil(pk);
        return;
    }
    size_t n = strlen(s);
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, s, n);
}

void envelope_begin(envelope_writer *w, const char *event_type, const char *analysis_id,
                    const char *agent_id, int64_t timestamp_ns)
{
    msgpack_sbuffer_init(&w->buffer);
    msgpack_packer_init(&w->packer, &w->buffer, msgpack_sbuffer_write);
    msgpack_pack_array(&w->packer, ENVELOPE_FIELDS);
    msgpack_pack_uint32(&w->packer, PS_ENVELOPE_VERSION);
    envelope_pack_cstr(&w->packer, event_type);
    envelope_pack_cstr(&w->packer, analysis_id);
    envelope_pack_cstr(&w->packer, agent_id);
    msgpack_pack_int64(&w->packer, timestamp_ns);
}

void envelope_writer_free(envelope_writer *w)
{
    msgpack_sbuffer_destroy(&w->buffer);
}

/* Copies a str object into buf (NUL-terminated); the field must be a string
 * without NUL bytes that fits, and non-empty unless allow_empty. */
static int copy_str(const msgpack_object *o, const char *field, char *buf, size_t size, int allow_empty,
                    char *err, size_t err_size)
{
    if (o->type != MSGPACK_OBJECT_STR)
        return bus_fail(err, err_size, "envelope %s is not a string", field);
    size_t n = o->via.str.size;
    if (n == 0 && !allow_empty)
        return bus_fail(err, err_size, "envelope %s is empty", field);
    if (n >= size)
        return bus_fail(err, err_size, "envelope %s is %zu bytes, longer than %zu", field, n, size - 1);
    if (n && memchr(o->via.str.ptr, '\0', n))
        return bus_fail(err, err_size, "envelope %s contains a NUL byte", field);
    memcpy(buf, o->via.str.ptr, n);
    buf[n] = '\0';
    return 0;
}

static int read_fields(const msgpack_object *root, envelope *out, char *err, size_t err_size)
{
    if (root->type != MSGPACK_OBJECT_ARRAY || root->via.array.size != ENVELOPE_FIELDS)
        return bus_fail(err, err_size, "envelope is not an array of %d fields", ENVELOPE_FIELDS);
    const msgpack_object *f = root->via.array.ptr;
    if (f[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER || f[0].via.u64 != PS_ENVELOPE_VERSION)
        return bus_fail(err, err_size, "envelope version is not %d", PS_ENVELOPE_VERSION);
    out->version = PS_ENVELOPE_VERSION;
    if (copy_str(&f[1], "event_type", out->event_type, sizeof out->event_type, 0, err, err_size) != 0 ||
        copy_str(&f[2], "analysis_id", out->analysis_id, sizeof out->analysis_id, 0, err, err_size) != 0)
        return -1;
    if (f[3].type == MSGPACK_OBJECT_NIL)
        out->agent_id[0] = '\0';
    else if (copy_str(&f[3], "agent_id", out->agent_id, sizeof out->agent_id, 0, err, err_size) != 0)
        return -1;
    if (f[4].type != MSGPACK_OBJECT_POSITIVE_INTEGER || f[4].via.u64 > INT64_MAX)
        return bus_fail(err, err_size, "envelope timestamp_ns is not a non-negative 64-bit integer");
    out->timestamp_ns = (int64_t)f[4].via.u64;
    if (f[5].type != MSGPACK_OBJECT_MAP)
        return bus_fail(err, err_size, "envelope data is not a map");
    out->data = f[5];
    return 0;
}

int envelope_decode(const void *bytes, size_t length, envelope *out, char *err, size_t err_size)
{
    msgpack_unpacked_init(&out->storage);
    char why[160];
    if (mp_check_object(bytes, length, ENVELOPE_MAX_DEPTH, why, sizeof why) != 0)
        return bus_fail(err, err_size, "malformed envelope: %s", why);
    size_t offset = 0;
    msgpack_unpack_return rc = msgpack_unpack_next(&out->storage, bytes, length, &offset);
    if (rc != MSGPACK_UNPACK_SUCCESS || offset != length) {
        envelope_release(out);
        return bus_fail(err, err_size, "malformed envelope: msgpack could not unpack it");
    }
    if (read_fields(&out->storage.data, out, err, err_size) != 0) {
        envelope_release(out);
        return -1;
    }
    return 0;
}

void envelope_release(envelope *e)
{
    msgpack_unpacked_destroy(&e->storage);
    msgpack_unpacked_init(&e->storage);
}

int64_t envelope_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}
