/*
 * ingest_fixture.h — ingesting a bill inside a Check test (the ingest and
 * analyst tests): a bill ingest_bill() refuses fails the test.
 */
#ifndef PS_TESTS_INGEST_FIXTURE_H
#define PS_TESTS_INGEST_FIXTURE_H

#include <check.h>
#include <string.h>

#include "ingest/ingest.h"
#include "../test_data.h"

/* The start of a bill as congress.gov prints it, through section 1 (short
 * title "Test Act"); a test appends the sections it needs. */
#define BILL_HEAD                                                                             \
    "I\n119th CONGRESS\n1st Session\nH. R. 1\nIN THE HOUSE OF REPRESENTATIVES\n"             \
    "January 3, 2025 Mr. Example introduced the following bill\nA BILL\nTo test ingest.\n" \
    "#### 1. Short title\nThis Act may be cited as the Test Act .\n"

/* A bill written in the test, as analysis "analysis-1" of bill "bill-1". */
static inline ingest_result *ingest_text(const char *text)
{
    ingest_result *r = ingest_bill(text, strlen(text), "analysis-1", "bill-1", NULL);
    ck_assert_ptr_nonnull(r);
    return r;
}

/* The dev bill tests/data/dev/BILL_ID.txt, as analysis analysis_id. */
static inline ingest_result *ingest_dev_bill(const char *bill_id, const char *analysis_id)
{
    size_t length;
    char *text = test_read_dev_bill(bill_id, &length);
    ingest_result *r = ingest_bill(text, length, analysis_id, bill_id, NULL);
    free(text);
    ck_assert_msg(r != NULL, "ingest_bill failed on %s", bill_id);
    return r;
}

#endif
