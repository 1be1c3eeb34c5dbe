/*
 * bench_probe — what the benchmark asks of the server outside the stream:
 * its process figures (CPU time and memory, from /proc) and its REST API
 * (one blocking HTTP/1.1 request on 127.0.0.1 at a time).
 */
#ifndef PS_BENCH_PROBE_H
#define PS_BENCH_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct process_sample {
    double cpu_seconds; /* user + system time of all its threads */
    long rss_kib;       /* resident set now */
    long peak_rss_kib;  /* highest resident set so far */
} process_sample;

/* Reads /proc/PID/stat and /proc/PID/status. 0, or -1 with err set. */
int probe_process(pid_t pid, process_sample *out, char *err, size_t err_size);
/* CPU time (user + system) this process has used. */
double probe_own_cpu_seconds(void);

/* Sends one request (body may be NULL) to 127.0.0.1:port and reads the
 * answer. On 0, *status is the HTTP status and *body a malloc'd,
 * NUL-terminated copy of the response body. -1 with err set if the server
 * could not be reached or its answer is not HTTP. */
int http_request(int port, const char *method, const char *path, const char *request_body, int *status,
                 char **body, char *err, size_t err_size);

typedef struct stream_status {
    uint64_t head_sequence;
    uint64_t oldest_sequence; /* 0 when nothing is buffered */
    uint64_t connections;
    int complete;             /* analysis_complete is stored */
} stream_status;

/* GET /api/v1/ws/analysis/{id}/status. 0, or -1 with err set. */
int probe_stream_status(int port, const char *analysis_id, stream_status *out, char *err, size_t err_size);

/* POST /api/v1/analyses for a bill with this id; 0 on 202, else -1 with err set. */
int probe_submit(int port, const char *analysis_id, char *err, size_t err_size);

typedef struct server_stats {
    uint64_t connected;            /* WebSocket clients connected now */
    uint64_t events_sent;          /* stream events written to clients, ever */
} server_stats;

/* GET /api/v1/ws/stats. 0, or -1 with err set. */
int probe_stats(int port, server_stats *out, char *err, size_t err_size);

#endif
