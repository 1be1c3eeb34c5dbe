/*
 * bill_file — see bill_file.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/bill_file.h"

/* Offset of the first byte that makes this not UTF-8 text, or -1. */
static long first_binary_byte(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = s[i];
        size_t extra = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 9;
        int control = c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f';
        if (control || extra == 9 || (extra > 0 && i + extra >= n))
            return (long)i;
        for (size_t k = 1; k <= extra; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return (long)i;
        i += extra + 1;
    }
    return -1;
}

char *bill_file_read(const char *path, size_t max_bytes, size_t *length, char *err, size_t err_size)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        snprintf(err, err_size, "cannot read '%s': %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, err_size, "'%s' is not a regular file", path);
        return NULL;
    }
    if ((size_t)st.st_size > max_bytes) {
        snprintf(err, err_size, "'%s' is %lld bytes, over the limit of %zu (pipeline.max_bill_bytes)", path,
                 (long long)st.st_size, max_bytes);
        return NULL;
    }
    if (st.st_size == 0) {
        snprintf(err, err_size, "'%s' is empty", path);
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    char *text = f ? malloc((size_t)st.st_size + 1) : NULL;
    size_t n = text ? fread(text, 1, (size_t)st.st_size, f) : 0;
    int read_errno = errno;
    if (f)
        fclose(f);
    if (!text || n != (size_t)st.st_size) {
        snprintf(err, err_size, "cannot read '%s': %s", path, strerror(text ? read_errno : ENOMEM));
        free(text);
        return NULL;
    }
    text[n] = '\0';
    long bad = first_binary_byte((const unsigned char *)text, n);
    if (bad >= 0) {
        snprintf(err, err_size, "'%s' is not a text file (binary data at byte %ld)", path, bad);
        free(text);
        return NULL;
    }
    *length = n;
    return text;
}

const char *bill_file_id(const char *path, char *buf, size_t size)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(buf, size, "%s", base);
    char *dot = strrchr(buf, '.');
    if (dot && dot != buf)
        *dot = '\0';
    return buf;
}
