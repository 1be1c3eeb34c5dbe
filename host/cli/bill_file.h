/*
 * bill_file — reads a bill from disk for the CLI, refusing what is not a
 * bill: missing or unreadable, empty, binary, or over the size cap.
 */
#ifndef PS_CLI_BILL_FILE_H
#define PS_CLI_BILL_FILE_H

#include <stddef.h>

/* Returns the malloc'd text (NUL-terminated) and its length, or NULL with a
 * one-line reason in err. */
char *bill_file_read(const char *path, size_t max_bytes, size_t *length, char *err, size_t err_size);

/* "119-hr-3168" from "conf/bills/119-hr-3168.txt" into buf. */
const char *bill_file_id(const char *path, char *buf, size_t size);

#endif
