/*
 * mp_check — validation of plugin-supplied MessagePack.
 *
 * A payload is accepted only if it is exactly one map with string keys,
 * within a byte cap, a nesting-depth cap and an entry-count cap, with no
 * trailing bytes. Owns nothing.
 */
#ifndef PS_BUS_MP_CHECK_H
#define PS_BUS_MP_CHECK_H

#include <stddef.h>

typedef struct mp_limits {
    size_t max_bytes;   /* 65536 */
    int max_depth;      /* 16 */
    size_t max_entries; /* 4096, counted over the whole tree */
} mp_limits;

extern const mp_limits MP_DEFAULT_LIMITS;

/* Returns 0 if valid, else -1 with a one-line reason in err. */
int mp_check_map(const void *bytes, size_t length, const mp_limits *limits, char *err, size_t err_size);

/* Structural check of exactly one object of any type (keys of any type, ext
 * allowed, no entry cap): well-formed, no container claiming more elements
 * than bytes remain, nesting <= max_depth (<= 128), no trailing bytes. Run
 * before msgpack_unpack on untrusted bytes so it cannot over-allocate.
 * Returns 0, or -1 with a one-line reason in err. */
int mp_check_object(const void *bytes, size_t length, int max_depth, char *err, size_t err_size);

#endif
