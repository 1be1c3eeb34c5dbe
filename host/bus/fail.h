/*
 * fail — the bus module's one-line error reporting (private to host/bus).
 */
#ifndef PS_BUS_FAIL_H
#define PS_BUS_FAIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Formats the reason into err (when err_size > 0) and returns -1. */
static inline int bus_fail(char *err, size_t err_size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static inline int bus_fail(char *err, size_t err_size, const char *fmt, ...)
{
    if (err && err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, err_size, fmt, ap);
        va_end(ap);
    }
    return -1;
}

#endif
