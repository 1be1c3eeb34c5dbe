/*
 * mp_writer — MessagePack encoding of the few types the consensus report
 * uses; big-endian as the format requires (see mp_writer.h).
 */
#include "mp_writer.h"

#include <stdlib.h>
#include <string.h>

static void put(mp_writer *w, const void *bytes, size_t n)
{
    if (w->failed)
        return;
    if (w->size + n > w->capacity) {
        size_t capacity = w->capacity ? w->capacity * 2 : 256;
        while (capacity < w->size + n)
            capacity *= 2;
        unsigned char *grown = realloc(w->data, capacity);
        if (!grown) {
            w->failed = 1;
            return;
        }
        w->data = grown;
        w->capacity = capacity;
    }
    memcpy(w->data + w->size, bytes, n);
    w->size += n;
}

/* A type byte followed by the low `width` bytes of value, big-endian. */
static void put_tagged(mp_writer *w, unsigned char tag, uint64_t value, size_t width)
{
    unsigned char bytes[9];
    bytes[0] = tag;
    for (size_t i = 0; i < width; i++)
        bytes[1 + i] = (unsigned char)(value >> (8 * (width - 1 - i)));
    put(w, bytes, 1 + width);
}

/* A header for a length: fix form below fix_limit, else the 8/16/32-bit tag. */
static void put_length(mp_writer *w, size_t n, unsigned char fix_tag, size_t fix_limit, unsigned char tag8,
                       unsigned char tag16, unsigned char tag32)
{
    if (n < fix_limit)
        put_tagged(w, (unsigned char)(fix_tag | n), 0, 0);
    else if (tag8 && n <= UINT8_MAX)
        put_tagged(w, tag8, n, 1);
    else if (n <= UINT16_MAX)
        put_tagged(w, tag16, n, 2);
    else if (n <= UINT32_MAX)
        put_tagged(w, tag32, n, 4);
    else
        w->failed = 1;
}

void mpw_nil(mp_writer *w)
{
    put_tagged(w, 0xc0, 0, 0);
}

void mpw_bool(mp_writer *w, int value)
{
    put_tagged(w, value ? 0xc3 : 0xc2, 0, 0);
}

void mpw_i64(mp_writer *w, int64_t value)
{
    put_tagged(w, 0xd3, (uint64_t)value, 8);
}

void mpw_f64(mp_writer *w, double value)
{
    uint64_t bits;
    memcpy(&bits, &value, sizeof bits);
    put_tagged(w, 0xcb, bits, 8);
}

void mpw_str(mp_writer *w, const char *s)
{
    if (!s) {
        mpw_nil(w);
        return;
    }
    size_t n = strlen(s);
    put_length(w, n, 0xa0, 32, 0xd9, 0xda, 0xdb);
    put(w, s, n);
}

void mpw_array(mp_writer *w, size_t count)
{
    w->entries += count;
    put_length(w, count, 0x90, 16, 0, 0xdc, 0xdd);
}

void mpw_map(mp_writer *w, size_t count)
{
    w->entries += count;
    put_length(w, count, 0x80, 16, 0, 0xde, 0xdf);
}

void mpw_free(mp_writer *w)
{
    free(w->data);
    *w = (mp_writer){0};
}
