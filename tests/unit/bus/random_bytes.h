/*
 * random_bytes.h — reproducible garbage for the decoder tests of the bus
 * module (xorshift32, so the global rand state is never touched and every
 * run feeds the same bytes).
 */
#ifndef PS_TESTS_RANDOM_BYTES_H
#define PS_TESTS_RANDOM_BYTES_H

#include <stddef.h>
#include <stdint.h>

/* The next number of the xorshift32 sequence in *state (never 0 from a
 * non-zero seed). */
static inline uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* Fills the start of bytes with 1 to capacity random bytes; returns how many. */
static inline size_t random_bytes(uint32_t *state, uint8_t *bytes, size_t capacity)
{
    size_t n = next_random(state) % capacity + 1;
    for (size_t i = 0; i < n; i++)
        bytes[i] = (uint8_t)next_random(state);
    return n;
}

#endif
