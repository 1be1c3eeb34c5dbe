/*
 * check_main.h — what every Check unit test shares: building a tcase from a
 * list of tests (CHECK_TCASE), and the runner that runs one suite with
 * CK_NORMAL output and turns its result into the exit status CTest reads. A
 * test file ends with CHECK_MAIN(its_suite) or, when main has more to do
 * (load data first, free it after), calls check_run_suite itself.
 */
#ifndef PS_TESTS_CHECK_MAIN_H
#define PS_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/* Adds a tcase named name to suite holding the tests (START_TEST names), in
 * order; returns it for timeouts, fixtures and loop tests. */
#define CHECK_TCASE(suite, name, ...) check_tcase((suite), (name), (const TTest *const[]){__VA_ARGS__, NULL})

static inline TCase *check_tcase(Suite *suite, const char *name, const TTest *const *tests)
{
    TCase *tc = tcase_create(name);
    for (size_t i = 0; tests[i]; i++)
        tcase_add_test(tc, tests[i]);
    suite_add_tcase(suite, tc);
    return tc;
}

/* Runs suite (and frees it); EXIT_SUCCESS when every test passed. */
static inline int check_run_suite(Suite *suite)
{
    SRunner *runner = srunner_create(suite);
    srunner_run_all(runner, CK_NORMAL);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* main() of a test file whose suite is built by suite_fn(). */
#define CHECK_MAIN(suite_fn)                                                                                          \
    int main(void)                                                                                                    \
    {                                                                                                                 \
        return check_run_suite(suite_fn());                                                                           \
    }

#endif
