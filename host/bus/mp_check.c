/*
 * mp_check — validation of untrusted MessagePack (see mp_check.h).
 *
 * Walks the raw bytes itself, iteratively, with a fixed-size stack of open
 * containers: no recursion and no allocation, whatever the input claims.
 * Every length and element count is checked against the bytes that remain
 * before anything is skipped, so a header announcing 2^32 entries in a
 * 10-byte buffer is reported as truncated at once.
 */
#include "bus/mp_check.h"
#include "polisim/polisim.h"

#include <stdint.h>
#include <stdio.h>

#include "bus/fail.h"

#define MP_SCAN_DEPTH_LIMIT 128

const mp_limits MP_DEFAULT_LIMITS = {PS_MSGPACK_MAX_BYTES, PS_MSGPACK_MAX_DEPTH, PS_MSGPACK_MAX_ENTRIES};

typedef struct scan_rules {
    int max_depth;
    uint64_t max_entries;   /* map entries + array elements over the whole tree */
    int string_keys;
    int allow_ext;
} scan_rules;

typedef enum { ITEM_SCALAR, ITEM_STR, ITEM_BIN, ITEM_EXT, ITEM_ARRAY, ITEM_MAP } item_kind;

typedef struct item {
    item_kind kind;
    size_t length_bytes;    /* big-endian length/count field after the type byte */
    uint64_t size;          /* payload bytes, or element count for array/map */
} item;

static const char *type_name(uint8_t b)
{
    if (b <= 0x7f || b >= 0xe0 || (b >= 0xcc && b <= 0xd3))
        return "an integer";
    if (b <= 0x8f || b == 0xde || b == 0xdf)
        return "a map";
    if (b <= 0x9f || b == 0xdc || b == 0xdd)
        return "an array";
    if (b <= 0xbf || (b >= 0xd9 && b <= 0xdb))
        return "a string";
    switch (b) {
    case 0xc0: return "nil";
    case 0xc2: case 0xc3: return "a boolean";
    case 0xc4: case 0xc5: case 0xc6: return "binary";
    case 0xca: case 0xcb: return "a float";
    case 0xc1: return "the never-used byte 0xc1";
    default: return "an extension";
    }
}

/* Fills *it from the type byte alone (length field not read yet).
 * Returns -1 for 0xc1, which MessagePack never uses. */
static int classify(uint8_t b, item *it)
{
    it->length_bytes = 0;
    it->size = 0;
    it->kind = ITEM_SCALAR;
    if (b <= 0x7f || b >= 0xe0)
        return 0;
    if (b <= 0x8f) {
        it->kind = ITEM_MAP;
        it->size = b & 0x0f;
        return 0;
    }
    if (b <= 0x9f) {
        it->kind = ITEM_ARRAY;
        it->size = b & 0x0f;
        return 0;
    }
    if (b <= 0xbf) {
        it->kind = ITEM_STR;
        it->size = b & 0x1f;
        return 0;
    }
    static const uint8_t fixed_payload[] = {
        [0xca - 0xc0] = 4, [0xcb - 0xc0] = 8,
        [0xcc - 0xc0] = 1, [0xcd - 0xc0] = 2, [0xce - 0xc0] = 4, [0xcf - 0xc0] = 8,
        [0xd0 - 0xc0] = 1, [0xd1 - 0xc0] = 2, [0xd2 - 0xc0] = 4, [0xd3 - 0xc0] = 8,
    };
    switch (b) {
    case 0xc1:
        return -1;
    case 0xc0: case 0xc2: case 0xc3:
        return 0;
    case 0xc4: case 0xc5: case 0xc6:
        it->kind = ITEM_BIN;
        it->length_bytes = (size_t)1 << (b - 0xc4);
        return 0;
    case 0xc7: case 0xc8: case 0xc9:
        it->kind = ITEM_EXT;
        it->length_bytes = (size_t)1 << (b - 0xc7);
        return 0;
    case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
        it->kind = ITEM_EXT;
        it->size = 1 + ((uint64_t)1 << (b - 0xd4)); /* type byte + data */
        return 0;
    case 0xd9: case 0xda: case 0xdb:
        it->kind = ITEM_STR;
        it->length_bytes = (size_t)1 << (b - 0xd9);
        return 0;
    case 0xdc: case 0xdd:
        it->kind = ITEM_ARRAY;
        it->length_bytes = (size_t)2 << (b - 0xdc);
        return 0;
    case 0xde: case 0xdf:
        it->kind = ITEM_MAP;
        it->length_bytes = (size_t)2 << (b - 0xde);
        return 0;
    default: /* 0xca..0xd3: floats and sized integers */
        it->size = fixed_payload[b - 0xc0];
        return 0;
    }
}

static uint64_t read_big_endian(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Reads the item starting at *pos, advancing *pos past its header. */
static int read_header(const uint8_t *p, size_t n, size_t *pos, item *it, char *err, size_t err_size)
{
    size_t at = *pos;
    if (at >= n)
        return bus_fail(err, err_size, "truncated: a value is missing at byte %zu", at);
    if (classify(p[at], it) != 0)
        return bus_fail(err, err_size, "invalid type byte 0xc1 at byte %zu", at);
    if (n - at - 1 < it->length_bytes)
        return bus_fail(err, err_size, "truncated: %s header at byte %zu is cut short", type_name(p[at]), at);
    if (it->length_bytes) {
        it->size = read_big_endian(p + at + 1, it->length_bytes);
        if (it->kind == ITEM_EXT)
            it->size += 1; /* the ext type byte follows the length */
    }
    *pos = at + 1 + it->length_bytes;
    return 0;
}

static int scan(const uint8_t *p, size_t n, const scan_rules *rules, char *err, size_t err_size)
{
    if (rules->max_depth > MP_SCAN_DEPTH_LIMIT)
        return bus_fail(err, err_size, "depth limit %d exceeds the supported %d", rules->max_depth,
                    MP_SCAN_DEPTH_LIMIT);
    /* Items still expected in each open container; level 0 is the top level. */
    uint64_t remaining[MP_SCAN_DEPTH_LIMIT + 1];
    uint8_t is_map[MP_SCAN_DEPTH_LIMIT + 1];
    int level = 0;
    remaining[0] = 1;
    is_map[0] = 0;
    size_t pos = 0;
    uint64_t entries = 0;

    while (level >= 0) {
        if (remaining[level] == 0) {
            level--;
            continue;
        }
        int wants_key = is_map[level] && remaining[level] % 2 == 0;
        remaining[level]--;
        size_t at = pos;
        item it;
        if (read_header(p, n, &pos, &it, err, err_size) != 0)
            return -1;
        if (wants_key && rules->string_keys && it.kind != ITEM_STR)
            return bus_fail(err, err_size, "map key at byte %zu is %s, not a string", at, type_name(p[at]));
        if (it.kind == ITEM_EXT && !rules->allow_ext)
            return bus_fail(err, err_size, "extension type at byte %zu is not allowed", at);
        if (it.kind != ITEM_ARRAY && it.kind != ITEM_MAP) {
            if (it.size > n - pos)
                return bus_fail(err, err_size, "truncated: %s at byte %zu needs %llu bytes, %zu remain",
                            type_name(p[at]), at, (unsigned long long)it.size, n - pos);
            pos += (size_t)it.size;
            continue;
        }
        uint64_t items = it.kind == ITEM_MAP ? it.size * 2 : it.size;
        if (items > n - pos)
            return bus_fail(err, err_size, "truncated: %s at byte %zu declares %llu entries, only %zu bytes remain",
                        type_name(p[at]), at, (unsigned long long)it.size, n - pos);
        if (level + 1 > rules->max_depth)
            return bus_fail(err, err_size, "nesting deeper than %d levels at byte %zu", rules->max_depth, at);
        entries += it.size;
        if (entries > rules->max_entries)
            return bus_fail(err, err_size, "more than %llu entries in total (at byte %zu)",
                        (unsigned long long)rules->max_entries, at);
        if (items) {
            level++;
            remaining[level] = items;
            is_map[level] = it.kind == ITEM_MAP;
        }
    }
    if (pos != n)
        return bus_fail(err, err_size, "%zu trailing bytes after the value (at byte %zu)", n - pos, pos);
    return 0;
}

int mp_check_map(const void *bytes, size_t length, const mp_limits *limits, char *err, size_t err_size)
{
    const uint8_t *p = bytes;
    if (!limits)
        limits = &MP_DEFAULT_LIMITS;
    if (!p || length == 0)
        return bus_fail(err, err_size, "empty payload: expected a map");
    if (length > limits->max_bytes)
        return bus_fail(err, err_size, "payload is %zu bytes, more than the %zu allowed", length, limits->max_bytes);
    item top;
    if (classify(p[0], &top) != 0 || top.kind != ITEM_MAP)
        return bus_fail(err, err_size, "payload is %s, not a map", type_name(p[0]));
    scan_rules rules = {limits->max_depth, limits->max_entries, 1, 0};
    return scan(p, length, &rules, err, err_size);
}

int mp_check_object(const void *bytes, size_t length, int max_depth, char *err, size_t err_size)
{
    if (!bytes || length == 0)
        return bus_fail(err, err_size, "empty input: expected a MessagePack value");
    scan_rules rules = {max_depth, UINT64_MAX, 0, 1};
    return scan(bytes, length, &rules, err, err_size);
}
