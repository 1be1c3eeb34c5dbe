/*
 * mp_writer — a minimal MessagePack writer for the consensus report
 * (plugins may not depend on msgpack-c).
 *
 * Owns a growable byte buffer. Writes nil, bool, int64, float64, str
 * (fixstr/str8/16/32), array and map headers (fix/16/32). After an
 * allocation failure every write is ignored and `failed` stays set.
 */
#ifndef PS_MP_WRITER_H
#define PS_MP_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct mp_writer {
    unsigned char *data;
    size_t size, capacity;
    size_t entries;   /* map pairs + array elements written, as hosts count them */
    int failed;
} mp_writer;

void mpw_nil(mp_writer *w);
void mpw_bool(mp_writer *w, int value);
void mpw_i64(mp_writer *w, int64_t value);
void mpw_f64(mp_writer *w, double value);
void mpw_str(mp_writer *w, const char *s); /* NULL writes nil */
void mpw_array(mp_writer *w, size_t count);
void mpw_map(mp_writer *w, size_t count);  /* then count key, value pairs */
void mpw_free(mp_writer *w);

#endif
