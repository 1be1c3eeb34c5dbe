/*
 * config_alloc — private to config: allocation that never returns NULL.
 *
 * The reader builds many small strings and arrays; running out of memory
 * while reading a configuration is not recoverable, so the process stops
 * with a message instead of threading a failure through every step.
 */
#ifndef PS_CONFIG_ALLOC_H
#define PS_CONFIG_ALLOC_H

#include <stdio.h>
#include <stdlib.h>

/* Returns pointer, or stops the process if the allocation behind it failed. */
static inline void *config_checked(void *pointer)
{
    if (!pointer) {
        fputs("polisim: out of memory while reading the configuration\n", stderr);
        abort();
    }
    return pointer;
}

#endif
