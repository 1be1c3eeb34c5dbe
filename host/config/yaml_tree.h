/*
 * yaml_tree — private to config: turns YAML text into a small tree of
 * scalars, maps and lists that remembers where each node starts.
 *
 * Built from libyaml's event API so that aliases stay visible (they are kept
 * as YTREE_ALIAS nodes for the validator to reject, never expanded), tags
 * are ignored, and nesting is bounded. Owns the nodes it returns.
 */
#ifndef PS_CONFIG_YAML_TREE_H
#define PS_CONFIG_YAML_TREE_H

#include <stddef.h>
#include "util/diag.h"

/* Deeper documents are refused: the configuration needs five levels. */
#define YTREE_MAX_DEPTH 32

typedef enum ytree_kind {
    YTREE_SCALAR,
    YTREE_MAP,
    YTREE_LIST,
    YTREE_ALIAS
} ytree_kind;

typedef struct ytree_node {
    ytree_kind kind;
    char *text;         /* scalar text, or an alias's anchor name; NULL otherwise */
    int plain;          /* scalar written without quotes or block indicators */
    int line, column;   /* 1-based start of the node */
    struct ytree_node **children; /* list items; for a map, key and value alternate */
    size_t child_count;
    size_t child_capacity;
} ytree_node;

/* Parses the single document in text. Returns 0 with *root set (NULL for a
 * stream without a document); extra documents are reported and ignored. On a
 * syntax error, a NUL character or too deep nesting, adds the diagnostic and
 * returns -1 with *root NULL. */
int ytree_parse(const char *text, size_t length, const char *file, diag_list *diags,
                ytree_node **root);
void ytree_free(ytree_node *node);

/* A plain scalar meaning "no value": empty, "~" or "null". */
int ytree_is_null(const ytree_node *node);

#endif
