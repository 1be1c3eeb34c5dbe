/*
 * results — the result store: a bus subscriber that keeps, per analysis,
 * its state and, once done, the final result (findings, debate, consensus)
 * as JSON for GET /api/v1/analyses/{id} and the CLI's exit status.
 *
 * Owns its records. Fed and read on the consumer thread only.
 */
#ifndef PS_PIPELINE_RESULTS_H
#define PS_PIPELINE_RESULTS_H

#include <stddef.h>
#include <stdint.h>

typedef struct result_store result_store;

result_store *results_new(void);
void results_free(result_store *s);

/* bus_subscriber_fn: pass with bus_subscribe(b, results_on_message, store). */
void results_on_message(void *store, const uint8_t *message, size_t length);

/* "queued" | "running" | "complete" | "error"; NULL if unknown. */
const char *results_state(const result_store *s, const char *analysis_id);
/* {analysis_id, bill_id, state, stage, started_at, finished_at, result?}
 * as malloc'd JSON; NULL if unknown. */
char *results_json(const result_store *s, const char *analysis_id);
/* Marks an id known before its first event (POST accepted). */
void results_register(result_store *s, const char *analysis_id, const char *bill_id);
size_t results_count(const result_store *s);

#endif
