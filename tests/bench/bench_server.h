/*
 * bench_server — a polisim-host serve process for the benchmark: started
 * with a generated YAML config on a free port (its stderr goes to a log
 * file), asked for its CPU time and RSS through /proc, sent POSTs over a
 * plain socket, and stopped with SIGTERM. Owns the process and its temp
 * folder.
 */
#ifndef PS_BENCH_SERVER_H
#define PS_BENCH_SERVER_H

#include <stddef.h>
#include <sys/types.h>

typedef struct bench_server {
    pid_t pid;
    int port;
    char dir[64];          /* temp folder: polisim.yaml, server.log */
} bench_server;

/* Writes yaml to a temp config and starts `host serve -c it --port 0`;
 * waits for its "listening on" line. 0, or -1 with err set. */
int bench_server_start(bench_server *s, const char *host, const char *yaml, char *err, size_t err_size);
/* User + system CPU seconds the server has used so far. */
double bench_server_cpu_seconds(const bench_server *s);
/* Resident set size in KiB. */
long bench_server_rss_kib(const bench_server *s);
/* POSTs body to path; returns the HTTP status (or -1). */
int bench_server_post(const bench_server *s, const char *path, const char *body);
/* GETs path into out (NUL-terminated body); returns the HTTP status (or -1). */
int bench_server_get(const bench_server *s, const char *path, char *out, size_t size);
/* SIGTERM, waits; returns the exit status (-1 if it did not exit cleanly). */
int bench_server_stop(bench_server *s);

#endif
