/*
 * config_reader — private to config: the checks every configuration value
 * goes through, each reporting "FILE:LINE:COLUMN: KEY.PATH: message".
 *
 * Owns no data: it reads the tree built by yaml_tree and writes into the
 * caller's storage only when a value is valid. The sections (server,
 * pipeline, plugin_dirs, agents) are described in config_sections.c.
 */
#ifndef PS_CONFIG_READER_H
#define PS_CONFIG_READER_H

#include <stddef.h>
#include "config/config.h"
#include "config/yaml_tree.h"
#include "util/diag.h"

/* After this many problems in one file, one last message says so and the
 * rest are dropped: a garbage file should not bury the first mistakes. */
#define CONFIG_MAX_PROBLEMS 100
/* Key paths ("agents[3].settings.window_start") fit in this many bytes;
 * each key in a path is shortened to a readable length. */
#define CONFIG_PATH_SIZE 256

typedef struct config_reader {
    const char *file;   /* name used in messages */
    const char *dir;    /* folder relative paths resolve against */
    diag_list *diags;
    size_t problems;
} config_reader;

typedef struct number_range {
    double min, max;
    int min_exclusive; /* the value must be greater than min, not equal */
    int documented;    /* min..max is the documented range, said as such in messages */
} number_range;

/* Reports "PATH: message" at the node's position (no "PATH: " when path is ""). */
void reader_error(config_reader *r, const ytree_node *at, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* out = "parent.key" / "parent[index]" (out holds CONFIG_PATH_SIZE bytes). */
void path_key(char *out, const char *parent, const char *key);
void path_index(char *out, const char *parent, size_t index);

/* Reports "expected <what>, got <what node is>", or that aliases are not
 * supported when node is one. */
void reader_report_unexpected(config_reader *r, const ytree_node *node, const char *path,
                              const char *what);
/* 1 if node is of kind (YTREE_MAP or YTREE_LIST), 0 if it is null (an
 * empty section), -1 after reporting anything else. */
int reader_expect(config_reader *r, const ytree_node *node, const char *path, ytree_kind kind);
/* 1 if node is a scalar, 0 after reporting "expected <what>, got ...". */
int reader_expect_scalar(config_reader *r, const ytree_node *node, const char *path,
                         const char *what);

/* Each returns 0 and stores the value, or -1 after reporting (out untouched). */
int read_string(config_reader *r, const ytree_node *node, const char *path, char **out);
int read_bool(config_reader *r, const ytree_node *node, const char *path, int *out);
int read_int(config_reader *r, const ytree_node *node, const char *path,
             const number_range *range, int *out);
int read_double(config_reader *r, const ytree_node *node, const char *path,
                const number_range *range, double *out);

/* Called for each valid pair of a map: key_index is the key's position in
 * the allowed list (-1 when any key is allowed), path the key's full path. */
typedef void (*map_visitor)(config_reader *r, const ytree_node *key, const ytree_node *value,
                            int key_index, const char *path, void *context);

/* Visits the pairs of map in order. Keys that are not scalars, repeated
 * keys and (when allowed, NULL-terminated, is given) unknown keys are
 * reported and skipped. */
void reader_visit_map(config_reader *r, const ytree_node *map, const char *path,
                      const char *const *allowed, map_visitor visit, void *context);

/* first[i] = the lowest index whose text equals texts[i] (i itself when none
 * before it does; NULL texts match nothing). Fast for long lists. Caller frees. */
size_t *reader_first_occurrences(const char *const *texts, size_t count);

/* Reads the whole document into cfg, which holds the defaults. root may be
 * NULL (an empty file). */
void config_read_document(config_reader *r, const ytree_node *root, ps_config *cfg);

#endif
