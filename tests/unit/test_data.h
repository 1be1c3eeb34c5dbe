/*
 * test_data.h — reading the test data files (tests/data, PS_TEST_DATA_DIR)
 * inside a Check test: a file that cannot be read fails the test, naming it.
 */
#ifndef PS_TESTS_TEST_DATA_H
#define PS_TESTS_TEST_DATA_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

/* The whole file, NUL-terminated (free it); *length gets its size unless
 * length is NULL. */
static inline char *test_read_file(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    ck_assert_int_ge(size, 0);
    rewind(f);
    char *text = malloc((size_t)size + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    if (length)
        *length = (size_t)size;
    return text;
}

/* The text of the dev bill tests/data/dev/BILL_ID.txt (free it). */
static inline char *test_read_dev_bill(const char *bill_id, size_t *length)
{
    char path[512];
    snprintf(path, sizeof path, "%s/dev/%s.txt", PS_TEST_DATA_DIR, bill_id);
    return test_read_file(path, length);
}

#endif
