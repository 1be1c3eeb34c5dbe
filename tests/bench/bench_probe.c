/*
 * bench_probe — the server's process figures and REST API (see bench_probe.h).
 */
#include "bench_probe.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

/* A REST answer larger than this is not one the benchmark asks for. */
#define MAX_RESPONSE_BYTES (1024 * 1024)
#define IO_TIMEOUT_SECONDS 10
#define BILL_TEXT "SECTION 1. SHORT TITLE.\\n\\nThis Act may be cited as the Benchmark Act.\\n"

/* ---- /proc ------------------------------------------------------------------------ */

static int read_cpu_seconds(pid_t pid, double *out, char *err, size_t err_size)
{
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    int got = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    /* after "pid (comm)": state, then ten fields, then utime and stime in clock ticks */
    const char *after_name = got ? strrchr(line, ')') : NULL;
    unsigned long user_ticks, system_ticks;
    if (!after_name || sscanf(after_name + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &user_ticks,
                              &system_ticks) != 2) {
        snprintf(err, err_size, "%s: unexpected format", path);
        return -1;
    }
    *out = (double)(user_ticks + system_ticks) / (double)sysconf(_SC_CLK_TCK);
    return 0;
}

static int read_memory(pid_t pid, long *rss_kib, long *peak_kib, char *err, size_t err_size)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    *rss_kib = *peak_kib = -1;
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "VmRSS: %ld kB", rss_kib);
        sscanf(line, "VmHWM: %ld kB", peak_kib);
    }
    fclose(f);
    if (*rss_kib < 0 || *peak_kib < 0) {
        snprintf(err, err_size, "%s: no VmRSS/VmHWM", path);
        return -1;
    }
    return 0;
}

int probe_process(pid_t pid, process_sample *out, char *err, size_t err_size)
{
    if (read_cpu_seconds(pid, &out->cpu_seconds, err, err_size) != 0)
        return -1;
    return read_memory(pid, &out->rss_kib, &out->peak_rss_kib, err, err_size);
}

double probe_own_cpu_seconds(void)
{
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return 0;
    return (double)(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           (double)(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* ---- HTTP ------------------------------------------------------------------------- */

static int connect_local(int port, char *err, size_t err_size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        snprintf(err, err_size, "socket: %s", strerror(errno));
        return -1;
    }
    struct timeval timeout = {.tv_sec = IO_TIMEOUT_SECONDS};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        snprintf(err, err_size, "connect to 127.0.0.1:%d: %s", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t n = send(fd, data, length, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        length -= (size_t)n;
    }
    return 0;
}

/* The body length the headers announce, or -1 when they do not. */
static long content_length(const char *headers, const char *headers_end)
{
    static const char name[] = "\r\nContent-Length:";
    for (const char *p = headers; p + sizeof name - 1 < headers_end; p++)
        if (strncasecmp(p, name, sizeof name - 1) == 0)
            return strtol(p + sizeof name - 1, NULL, 10);
    return -1;
}

/* Reads until the announced body is complete (or the server closes). */
static int read_response(int fd, char **out, size_t *out_length, char **body_start)
{
    size_t capacity = 4096, length = 0;
    char *text = malloc(capacity);
    long expected = -1;
    *body_start = NULL;
    while (text) {
        if (length + 1 >= capacity) {
            char *grown = capacity < MAX_RESPONSE_BYTES ? realloc(text, capacity * 2) : NULL;
            if (!grown)
                break;
            text = grown;
            capacity *= 2;
        }
        ssize_t n = recv(fd, text + length, capacity - length - 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        length += (size_t)n;
        text[length] = '\0';
        if (!*body_start) {
            char *blank = strstr(text, "\r\n\r\n");
            if (blank) {
                *body_start = blank + 4;
                expected = content_length(text, blank + 2);
            }
        }
        if (n == 0 || (*body_start && expected >= 0 && (long)(text + length - *body_start) >= expected)) {
            *out = text;
            *out_length = length;
            return *body_start ? 0 : -1;
        }
    }
    free(text);
    return -1;
}

int http_request(int port, const char *method, const char *path, const char *request_body, int *status,
                 char **body, char *err, size_t err_size)
{
    int fd = connect_local(port, err, err_size);
    if (fd < 0)
        return -1;
    size_t body_length = request_body ? strlen(request_body) : 0;
    char head[512];
    int head_length = snprintf(head, sizeof head,
                               "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n"
                               "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
                               method, path, port, body_length);
    char *response = NULL, *response_body = NULL;
    size_t response_length = 0;
    int rc = -1;
    if (head_length >= (int)sizeof head)
        snprintf(err, err_size, "%s %s: path too long", method, path);
    else if (send_all(fd, head, (size_t)head_length) != 0 || send_all(fd, request_body, body_length) != 0)
        snprintf(err, err_size, "%s %s: send: %s", method, path, strerror(errno));
    else if (read_response(fd, &response, &response_length, &response_body) != 0)
        snprintf(err, err_size, "%s %s: no complete HTTP answer", method, path);
    else if (sscanf(response, "HTTP/1.%*d %d", status) != 1)
        snprintf(err, err_size, "%s %s: not an HTTP status line", method, path);
    else if (!(*body = strdup(response_body)))
        snprintf(err, err_size, "out of memory");
    else
        rc = 0;
    free(response);
    close(fd);
    return rc;
}

/* ---- the REST calls the benchmark makes --------------------------------------------- */

/* GET path, expecting 200 and a JSON object (the caller deletes it). */
static cJSON *get_json(int port, const char *path, char *err, size_t err_size)
{
    int status = 0;
    char *body = NULL;
    if (http_request(port, "GET", path, NULL, &status, &body, err, err_size) != 0)
        return NULL;
    cJSON *json = cJSON_Parse(body);
    if (status != 200 || !cJSON_IsObject(json)) {
        snprintf(err, err_size, "GET %s: %d %.200s", path, status, body);
        cJSON_Delete(json);
        json = NULL;
    }
    free(body);
    return json;
}

static uint64_t number_or_zero(const cJSON *object, const char *name)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(object, name);
    return cJSON_IsNumber(item) && item->valuedouble > 0 ? (uint64_t)item->valuedouble : 0;
}

int probe_stream_status(int port, const char *analysis_id, stream_status *out, char *err, size_t err_size)
{
    char path[160];
    snprintf(path, sizeof path, "/api/v1/ws/analysis/%s/status", analysis_id);
    cJSON *json = get_json(port, path, err, err_size);
    if (!json)
        return -1;
    out->head_sequence = number_or_zero(json, "head_sequence");
    out->oldest_sequence = number_or_zero(json, "oldest_sequence");
    out->connections = number_or_zero(json, "connections");
    out->complete = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(json, "complete"));
    cJSON_Delete(json);
    return 0;
}

int probe_stats(int port, server_stats *out, char *err, size_t err_size)
{
    cJSON *json = get_json(port, "/api/v1/ws/stats", err, err_size);
    if (!json)
        return -1;
    out->connected = number_or_zero(json, "total_connections");
    out->events_sent = number_or_zero(cJSON_GetObjectItemCaseSensitive(json, "stats"), "total_events_sent");
    cJSON_Delete(json);
    return 0;
}

int probe_submit(int port, const char *analysis_id, char *err, size_t err_size)
{
    char request[512];
    snprintf(request, sizeof request, "{\"analysis_id\":\"%s\",\"bill_id\":\"bench\",\"text\":\"%s\"}", analysis_id,
             BILL_TEXT);
    int status = 0;
    char *body = NULL;
    if (http_request(port, "POST", "/api/v1/analyses", request, &status, &body, err, err_size) != 0)
        return -1;
    int rc = status == 202 ? 0 : -1;
    if (rc != 0)
        snprintf(err, err_size, "POST /api/v1/analyses (%s): %d %.200s", analysis_id, status, body);
    free(body);
    return rc;
}
