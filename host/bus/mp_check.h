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

#endif
