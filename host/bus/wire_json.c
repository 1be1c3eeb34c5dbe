/*
 * wire_json — MessagePack to JSON at the edge (see wire_json.h).
 *
 * Numbers: integers within +-1e15 become cJSON numbers (cJSON prints them
 * exactly, without an exponent); larger integers become raw number text so
 * that they still print as exact integers. Non-finite floats become null.
 * Strings: invalid UTF-8 and NUL bytes are replaced by U+FFFD, because a
 * WebSocket text frame must be valid UTF-8 and cJSON strings end at NUL.
 */
#include "bus/wire_json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* cJSON prints numbers with at most 15 significant digits. */
#define WIRE_EXACT_INTEGER_LIMIT 1000000000000000LL
/* The envelope decoder caps nesting at 32; anything deeper is cut to null. */
#define WIRE_MAX_DEPTH 64
#define WIRE_LOCAL_TEXT 256

static const char REPLACEMENT_CHARACTER[] = "\xEF\xBF\xBD";

static int is_continuation(uint8_t b)
{
    return (b & 0xC0) == 0x80;
}

/* Length of the well-formed, non-NUL UTF-8 sequence at s, or 0 if none. */
static size_t utf8_sequence_length(const uint8_t *s, size_t n)
{
    uint8_t b = s[0];
    if (b >= 0x01 && b <= 0x7F)
        return 1;
    size_t len;
    uint8_t low = 0x80, high = 0xBF; /* allowed range of the second byte */
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        if (b == 0xE0)
            low = 0xA0;             /* no overlong forms */
        else if (b == 0xED)
            high = 0x9F;            /* no surrogates */
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        if (b == 0xF0)
            low = 0x90;
        else if (b == 0xF4)
            high = 0x8F;            /* nothing above U+10FFFF */
    } else {
        return 0;
    }
    if (n < len || s[1] < low || s[1] > high)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (!is_continuation(s[i]))
            return 0;
    return len;
}

/* NUL-terminated, sanitized copy of s[0..n) in local (if it fits) or on the
 * heap. Returns NULL on out of memory; free the result if it is not local. */
static char *sanitized_text(const char *s, size_t n, char *local, size_t local_size)
{
    size_t worst = n * (sizeof REPLACEMENT_CHARACTER - 1) + 1;
    char *out = worst <= local_size ? local : malloc(worst);
    if (!out)
        return NULL;
    const uint8_t *in = (const uint8_t *)s;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_sequence_length(in + i, n - i);
        if (len) {
            memcpy(out + w, in + i, len);
            w += len;
            i += len;
        } else {
            memcpy(out + w, REPLACEMENT_CHARACTER, sizeof REPLACEMENT_CHARACTER - 1);
            w += sizeof REPLACEMENT_CHARACTER - 1;
            i++;
        }
    }
    out[w] = '\0';
    return out;
}

static cJSON *string_node(const char *s, size_t n)
{
    char local[WIRE_LOCAL_TEXT];
    char *text = sanitized_text(s, n, local, sizeof local);
    if (!text)
        return NULL;
    cJSON *node = cJSON_CreateString(text);
    if (text != local)
        free(text);
    return node;
}

static cJSON *base64_node(const uint8_t *bytes, size_t n)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc((n + 2) / 3 * 4 + 1);
    if (!out)
        return NULL;
    size_t w = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t chunk = (uint32_t)bytes[i] << 16;
        if (i + 1 < n)
            chunk |= (uint32_t)bytes[i + 1] << 8;
        if (i + 2 < n)
            chunk |= bytes[i + 2];
        out[w++] = alphabet[(chunk >> 18) & 63];
        out[w++] = alphabet[(chunk >> 12) & 63];
        out[w++] = i + 1 < n ? alphabet[(chunk >> 6) & 63] : '=';
        out[w++] = i + 2 < n ? alphabet[chunk & 63] : '=';
    }
    out[w] = '\0';
    cJSON *node = cJSON_CreateString(out);
    free(out);
    return node;
}

static cJSON *unsigned_node(uint64_t v)
{
    if (v < (uint64_t)WIRE_EXACT_INTEGER_LIMIT)
        return cJSON_CreateNumber((double)v);
    char text[24];
    snprintf(text, sizeof text, "%" PRIu64, v);
    return cJSON_CreateRaw(text);
}

static cJSON *signed_node(int64_t v)
{
    if (v > -WIRE_EXACT_INTEGER_LIMIT)
        return cJSON_CreateNumber((double)v);
    char text[24];
    snprintf(text, sizeof text, "%" PRId64, v);
    return cJSON_CreateRaw(text);
}

static cJSON *float_node(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

static cJSON *convert(const msgpack_object *o, int depth);

static cJSON *convert_array(const msgpack_object_array *a, int depth)
{
    cJSON *array = cJSON_CreateArray();
    for (uint32_t i = 0; array && i < a->size; i++) {
        cJSON *item = convert(&a->ptr[i], depth + 1);
        if (!item || !cJSON_AddItemToArray(array, item)) {
            cJSON_Delete(item);
            cJSON_Delete(array);
            array = NULL;
        }
    }
    return array;
}

/* Entries whose key is not a string are left out (the bus carries string
 * keys only: mp_check and the host's own encoders guarantee it). */
static cJSON *convert_map(const msgpack_object_map *m, int depth)
{
    cJSON *object = cJSON_CreateObject();
    for (uint32_t i = 0; object && i < m->size; i++) {
        const msgpack_object_kv *kv = &m->ptr[i];
        if (kv->key.type != MSGPACK_OBJECT_STR)
            continue;
        char local[WIRE_LOCAL_TEXT];
        char *key = sanitized_text(kv->key.via.str.ptr, kv->key.via.str.size, local, sizeof local);
        cJSON *value = key ? convert(&kv->val, depth + 1) : NULL;
        if (!value || !cJSON_AddItemToObject(object, key, value)) {
            cJSON_Delete(value);
            cJSON_Delete(object);
            object = NULL;
        }
        if (key != local)
            free(key);
    }
    return object;
}

static cJSON *convert(const msgpack_object *o, int depth)
{
    if (depth > WIRE_MAX_DEPTH)
        return cJSON_CreateNull();
    switch (o->type) {
    case MSGPACK_OBJECT_BOOLEAN:
        return cJSON_CreateBool(o->via.boolean);
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        return unsigned_node(o->via.u64);
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        return signed_node(o->via.i64);
    case MSGPACK_OBJECT_FLOAT32:
    case MSGPACK_OBJECT_FLOAT64:
        return float_node(o->via.f64);
    case MSGPACK_OBJECT_STR:
        return string_node(o->via.str.ptr, o->via.str.size);
    case MSGPACK_OBJECT_BIN:
        return base64_node((const uint8_t *)o->via.bin.ptr, o->via.bin.size);
    case MSGPACK_OBJECT_ARRAY:
        return convert_array(&o->via.array, depth);
    case MSGPACK_OBJECT_MAP:
        return convert_map(&o->via.map, depth);
    case MSGPACK_OBJECT_NIL:
    case MSGPACK_OBJECT_EXT:
    default:
        return cJSON_CreateNull();
    }
}

cJSON *wire_from_msgpack(const msgpack_object *o)
{
    return convert(o, 0);
}

void wire_timestamp(int64_t timestamp_ns, char *buf, size_t size)
{
    int64_t seconds = timestamp_ns / 1000000000LL;
    int64_t nanos = timestamp_ns % 1000000000LL;
    if (nanos < 0) {
        nanos += 1000000000LL;
        seconds--;
    }
    time_t t = (time_t)seconds;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        memset(&tm, 0, sizeof tm);
    snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(nanos / 1000000));
}

char *wire_event_json(const char *event_id, const char *event_type, const char *analysis_id,
                      cJSON *data, int64_t timestamp_ns, uint64_t sequence)
{
    char timestamp[32];
    wire_timestamp(timestamp_ns, timestamp, sizeof timestamp);
    cJSON *root = cJSON_CreateObject();
    if (!data)
        data = cJSON_CreateObject();
    int ok = root && data && cJSON_AddStringToObject(root, "event_id", event_id) &&
             cJSON_AddStringToObject(root, "event_type", event_type) &&
             cJSON_AddStringToObject(root, "analysis_id", analysis_id) &&
             cJSON_AddItemToObjectCS(root, "data", data);
    if (ok)
        data = NULL; /* owned by root now */
    ok = ok && cJSON_AddStringToObject(root, "timestamp", timestamp) &&
         (sequence ? cJSON_AddNumberToObject(root, "sequence", (double)sequence) != NULL
                   : cJSON_AddNullToObject(root, "sequence") != NULL);
    char *json = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    cJSON_Delete(data);
    return json;
}
