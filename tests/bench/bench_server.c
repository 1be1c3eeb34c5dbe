/*
 * bench_server — the server process under benchmark (see bench_server.h).
 */
#include "bench_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* The port from the server's "listening on http://HOST:PORT" line, or 0. */
static int listening_port(const char *log_path)
{
    FILE *f = fopen(log_path, "r");
    char line[512];
    int port = 0;
    while (f && !port && fgets(line, sizeof line, f)) {
        const char *at = strstr(line, "listening on http://");
        const char *colon = at ? strchr(at + strlen("listening on http://"), ':') : NULL;
        if (colon)
            port = atoi(colon + 1);
    }
    if (f)
        fclose(f);
    return port;
}

int bench_server_start(bench_server *s, const char *host, const char *yaml, char *err, size_t err_size)
{
    memset(s, 0, sizeof *s);
    snprintf(s->dir, sizeof s->dir, "/tmp/polisim-bench-XXXXXX");
    if (!mkdtemp(s->dir)) {
        snprintf(err, err_size, "mkdtemp: %s", strerror(errno));
        return -1;
    }
    char config[128], log_path[128];
    snprintf(config, sizeof config, "%s/polisim.yaml", s->dir);
    snprintf(log_path, sizeof log_path, "%s/server.log", s->dir);
    FILE *f = fopen(config, "w");
    if (!f || fputs(yaml, f) < 0 || fclose(f) != 0) {
        snprintf(err, err_size, "cannot write %s", config);
        return -1;
    }
    s->pid = fork();
    if (s->pid == 0) {
        int log = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(log, STDERR_FILENO);
        dup2(log, STDOUT_FILENO);
        execl(host, host, "serve", "-c", config, "--port", "0", (char *)NULL);
        _exit(127);
    }
    for (int waited = 0; s->pid > 0 && waited < 30000; waited += 20) {
        if ((s->port = listening_port(log_path)))
            return 0;
        if (waitpid(s->pid, NULL, WNOHANG) == s->pid)
            break;
        pause_ms(20);
    }
    snprintf(err, err_size, "the server did not start (see %s)", log_path);
    return -1;
}

double bench_server_cpu_seconds(const bench_server *s)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)s->pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    const char *after_name = strrchr(buf, ')'); /* the command name may hold spaces */
    unsigned long utime = 0, stime = 0;
    if (!after_name || sscanf(after_name + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime,
                              &stime) != 2)
        return -1;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

long bench_server_rss_kib(const bench_server *s)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)s->pid);
    FILE *f = fopen(path, "r");
    long rss = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &rss) == 1)
            break;
    if (f)
        fclose(f);
    return rss;
}

/* One HTTP/1.0 exchange on a fresh connection; the body goes to out. */
static int http(const bench_server *s, const char *method, const char *path, const char *body, char *out,
                size_t size)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char request[4096];
    int length = snprintf(request, sizeof request,
                          "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          "Content-Length: %zu\r\n\r\n%s",
                          method, path, body ? strlen(body) : 0, body ? body : "");
    char response[65536];
    size_t got = 0;
    ssize_t n = write(fd, request, (size_t)length) == length ? 1 : -1;
    while (n > 0 && got < sizeof response - 1 && (n = read(fd, response + got, sizeof response - 1 - got)) > 0)
        got += (size_t)n;
    close(fd);
    response[got] = '\0';
    int status = -1;
    if (sscanf(response, "HTTP/1.%*d %d", &status) != 1)
        return -1;
    const char *start = strstr(response, "\r\n\r\n");
    if (out)
        snprintf(out, size, "%s", start ? start + 4 : "");
    return status;
}

int bench_server_post(const bench_server *s, const char *path, const char *body)
{
    return http(s, "POST", path, body, NULL, 0);
}

int bench_server_get(const bench_server *s, const char *path, char *out, size_t size)
{
    return http(s, "GET", path, NULL, out, size);
}

int bench_server_stop(bench_server *s)
{
    int status = -1;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        if (waitpid(s->pid, &status, 0) != s->pid)
            status = -1;
        s->pid = 0;
    }
    char path[128];
    snprintf(path, sizeof path, "%s/polisim.yaml", s->dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/server.log", s->dir);
    unlink(path);
    rmdir(s->dir);
    return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
