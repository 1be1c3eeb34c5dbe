/*
 * watch_format — how polisim-watch shows what it receives: one readable
 * line per stream event (sequence, type, the key fields of its data) and
 * per resume notice. Pure; owns nothing.
 */
#ifndef PS_WATCH_FORMAT_H
#define PS_WATCH_FORMAT_H

#include <stddef.h>
#include <cjson/cJSON.h>

/* "#12  agent_finding        fiscal [fiscal] conf 0.85: ..." (sequence null:
 * "  -  progress_update ..."). Writes at most size bytes, NUL-terminated. */
void watch_format_event(const cJSON *event, char *out, size_t size);

/* "resume: recovered, from sequence 13" or "resume: NOT recovered (too_old):
 * 40 event(s) missed, resuming at 51 (buffer 51..150)". */
void watch_format_resume(const cJSON *notice, char *out, size_t size);

#endif
