/*
 * survey — `polisim-host survey [-c FILE] [--truth truth.json] DIR`: runs the
 * full analysis on every .txt file in DIR and prints one row per bill (total in the
 * budget window, indefinite amounts, tax provisions, programs, time), and,
 * given a truth file, whether each matches it.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "cli/cli.h"
#include "cli/bill_file.h"
#include "cli/session.h"

#define SURVEY_MAX_REPEAT 1000

typedef struct survey_row {
    char bill[128];
    double total;
    int indefinite;
    int tax_provisions;
    char programs[160];
    double milliseconds;
    const char *mismatch;    /* first field that differs from the truth, or NULL */
} survey_row;

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted *.txt names in dir; NULL if it cannot be read. */
static char **list_bills(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        char **grown = realloc(names, (n + 1) * sizeof *names);
        if (!grown)
            break;
        names = grown;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, compare_names);
    *count = n;
    return names ? names : calloc(1, sizeof *names);
}

static void programs_text(const cJSON *list, char *out, size_t size)
{
    out[0] = '\0';
    const cJSON *p;
    cJSON_ArrayForEach(p, list)
        if (cJSON_IsString(p))
            snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? "," : "", p->valuestring);
}

/* Fills the row from the analysis result's fiscal_summary. */
static int read_result(const char *json, survey_row *row)
{
    cJSON *root = cJSON_Parse(json);
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "result"), "summary"),
            "summary"),
        "fiscal_summary");
    int ok = cJSON_IsObject(fs);
    if (ok) {
        row->total = cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(fs, "total_usd"));
        row->indefinite = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(fs, "has_indefinite"));
        row->tax_provisions = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(fs, "tax_provisions"));
        programs_text(cJSON_GetObjectItemCaseSensitive(fs, "programs_touched"), row->programs, sizeof row->programs);
    }
    cJSON_Delete(root);
    return ok ? 0 : -1;
}

static const char *compare_with_truth(const survey_row *row, const cJSON *truth)
{
    if (!cJSON_IsObject(truth))
        return "not in truth";
    char programs[160];
    programs_text(cJSON_GetObjectItemCaseSensitive(truth, "programs_touched"), programs, sizeof programs);
    if (row->total != cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(truth, "total_2026_2035_usd")))
        return "total";
    if (row->indefinite != cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(truth, "has_indefinite")))
        return "indefinite";
    if (row->tax_provisions != cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(truth, "tax_provisions")))
        return "tax provisions";
    return strcmp(row->programs, programs) == 0 ? NULL : "programs";
}

static double elapsed_ms(const struct timespec *from)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - from->tv_sec) * 1e3 + (double)(now.tv_nsec - from->tv_nsec) / 1e6;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Analyses one bill file `repeat` times; fills row (time: the median run).
 * Returns 0, or -1 with a message printed. */
static int survey_bill(session *s, const char *dir, const char *name, int repeat, survey_row *row)
{
    char path[4096], err[512] = "", id[PS_ANALYSIS_ID_SIZE];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    bill_file_id(name, row->bill, sizeof row->bill);
    analysis_request req = {.bill_id = row->bill};
    char *text = bill_file_read(path, (size_t)s->cfg->pipeline.max_bill_bytes, &req.length, err, sizeof err);
    if (!text) {
        fprintf(stderr, "polisim-host: %s\n", err);
        return -1;
    }
    req.text = text;
    double times[SURVEY_MAX_REPEAT];
    int rc = 0;
    for (int i = 0; i < repeat && rc == 0; i++) {
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        rc = session_run(s, &req, NULL, NULL, id, err, sizeof err);
        times[i] = elapsed_ms(&start);
    }
    free(text);
    qsort(times, (size_t)repeat, sizeof times[0], compare_doubles);
    row->milliseconds = times[repeat / 2];
    char *json = rc == 0 ? results_json(s->results, id) : NULL;
    rc = json ? read_result(json, row) : -1;
    free(json);
    if (rc != 0)
        fprintf(stderr, "polisim-host: %s: analysis did not complete%s%s\n", row->bill, err[0] ? ": " : "", err);
    return rc;
}

static cJSON *load_truth(const char *path)
{
    size_t length;
    char err[512];
    char *text = bill_file_read(path, 64u << 20, &length, err, sizeof err);
    cJSON *truth = text ? cJSON_Parse(text) : NULL;
    if (text && !truth)
        fprintf(stderr, "polisim-host: %s: not valid JSON\n", path);
    else if (!text)
        fprintf(stderr, "polisim-host: %s\n", err);
    free(text);
    return truth;
}

static void usage(FILE *out)
{
    fprintf(out, "usage: polisim-host survey [-c FILE] [--truth truth.json] [--repeat N] DIR\n\n"
                 "Runs the full analysis on every .txt file in DIR and prints a table: total in the\n"
                 "budget window, indefinite amounts, tax provisions, programs touched, time per bill\n"
                 "(the median of N runs with --repeat, 1-%d); with --truth, whether each bill\n"
                 "matches (truth.json format: conf/bills/README.md).\n", SURVEY_MAX_REPEAT);
}

static int survey(session *s, const char *dir, const cJSON *truth, int repeat)
{
    size_t count = 0, matches = 0, failures = 0;
    double total_ms = 0, max_ms = 0;
    char **names = list_bills(dir, &count);
    if (!names) {
        fprintf(stderr, "polisim-host: cannot read folder '%s'\n", dir);
        return CLI_FAILED;
    }
    printf("%-16s %18s %6s %4s %-34s %8s%s\n", "bill", "total_usd", "indef", "tax", "programs", "ms",
           truth ? "  truth" : "");
    for (size_t i = 0; i < count; i++) {
        survey_row row = {0};
        if (survey_bill(s, dir, names[i], repeat, &row) != 0) {
            failures++;
        } else {
            row.mismatch = truth ? compare_with_truth(&row, cJSON_GetObjectItemCaseSensitive(truth, row.bill)) : NULL;
            matches += truth && !row.mismatch;
            total_ms += row.milliseconds;
            max_ms = row.milliseconds > max_ms ? row.milliseconds : max_ms;
            printf("%-16s %18.0f %6s %4d %-34s %8.2f%s%s\n", row.bill, row.total, row.indefinite ? "yes" : "no",
                   row.tax_provisions, row.programs, row.milliseconds, truth ? "  " : "",
                   truth ? (row.mismatch ? row.mismatch : "match") : "");
        }
        free(names[i]);
    }
    free(names);
    size_t done = count - failures;
    printf("\n%zu bills analysed, %zu failed; %.2f ms mean, %.2f ms max per bill", done, failures,
           done ? total_ms / (double)done : 0.0, max_ms);
    if (truth)
        printf("; %zu of %zu match the truth", matches, done);
    printf("\n");
    return failures || (truth && matches != done) ? CLI_FAILED : CLI_OK;
}

int cmd_survey(int argc, char **argv)
{
    static const struct option options[] = {{"config", required_argument, NULL, 'c'},
                                            {"truth", required_argument, NULL, 't'},
                                            {"repeat", required_argument, NULL, 'r'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *truth_path = NULL;
    int opt, repeat = 1;
    char *end;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:t:r:h", options, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 't': truth_path = optarg; break;
        case 'r':
            repeat = (int)strtol(optarg, &end, 10);
            if (*end || repeat < 1 || repeat > SURVEY_MAX_REPEAT) {
                usage(stderr);
                return CLI_USAGE;
            }
            break;
        case 'h': usage(stdout); return CLI_OK;
        default: usage(stderr); return CLI_USAGE;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return CLI_USAGE;
    }
    cJSON *truth = truth_path ? load_truth(truth_path) : NULL;
    if (truth_path && !truth)
        return CLI_FAILED;
    ps_config cfg;
    agent_set agents = {0};
    session s;
    int rc = CLI_FAILED;
    if (cli_load_config(config_path, &cfg) == 0) {
        if (cli_load_agents(&cfg, &agents) == 0 && session_open(&s, &cfg, &agents) == 0) {
            rc = survey(&s, argv[optind], truth, repeat);
            session_close(&s);
        }
        loader_unload_all(&agents);
        config_free(&cfg);
    }
    cJSON_Delete(truth);
    return rc;
}
