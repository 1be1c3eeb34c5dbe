/*
 * yaml_tree — YAML text to a positioned node tree, via libyaml events.
 *
 * Every node is attached to its parent as soon as it is created, so freeing
 * the root frees everything whether or not parsing finished.
 */
#include "config/yaml_tree.h"

#include <string.h>
#include <yaml.h>

#include "config/config_alloc.h"

typedef enum step_result { STEP_CONTINUE, STEP_FINISHED, STEP_FAILED } step_result;

typedef struct tree_builder {
    const char *text; /* the input, to place reader errors */
    size_t length;
    const char *file;
    diag_list *diags;
    ytree_node *root;
    ytree_node *open[YTREE_MAX_DEPTH]; /* containers not yet closed, innermost last */
    size_t depth;
    int documents;
} tree_builder;

static ytree_node *node_new(ytree_kind kind, const yaml_mark_t *mark)
{
    ytree_node *node = config_checked(calloc(1, sizeof *node));
    node->kind = kind;
    node->line = (int)mark->line + 1;
    node->column = (int)mark->column + 1;
    return node;
}

static void node_append(ytree_node *parent, ytree_node *child)
{
    if (parent->child_count == parent->child_capacity) {
        size_t capacity = parent->child_capacity ? parent->child_capacity * 2 : 4;
        parent->children =
            config_checked(realloc(parent->children, capacity * sizeof *parent->children));
        parent->child_capacity = capacity;
    }
    parent->children[parent->child_count++] = child;
}

static void builder_attach(tree_builder *b, ytree_node *node)
{
    if (b->depth == 0)
        b->root = node;
    else
        node_append(b->open[b->depth - 1], node);
}

static char *copy_text(const yaml_char_t *text, size_t length)
{
    char *copy = config_checked(malloc(length + 1));
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

static step_result add_scalar(tree_builder *b, const yaml_event_t *event)
{
    const char *value = (const char *)event->data.scalar.value;
    size_t length = event->data.scalar.length;
    if (memchr(value, '\0', length)) {
        diag_add(b->diags, b->file, (int)event->start_mark.line + 1,
                 (int)event->start_mark.column + 1, "NUL characters are not allowed");
        return STEP_FAILED;
    }
    ytree_node *node = node_new(YTREE_SCALAR, &event->start_mark);
    node->text = copy_text(event->data.scalar.value, length);
    node->plain = event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    builder_attach(b, node);
    return STEP_CONTINUE;
}

static step_result open_container(tree_builder *b, ytree_kind kind, const yaml_mark_t *mark)
{
    if (b->depth == YTREE_MAX_DEPTH) {
        diag_add(b->diags, b->file, (int)mark->line + 1, (int)mark->column + 1,
                 "nesting is deeper than %d levels", YTREE_MAX_DEPTH);
        return STEP_FAILED;
    }
    ytree_node *node = node_new(kind, mark);
    builder_attach(b, node);
    b->open[b->depth++] = node;
    return STEP_CONTINUE;
}

static step_result start_document(tree_builder *b, const yaml_mark_t *mark)
{
    if (b->documents++ == 0)
        return STEP_CONTINUE;
    diag_add(b->diags, b->file, (int)mark->line + 1, (int)mark->column + 1,
             "only one YAML document is allowed; this one and the rest are ignored");
    return STEP_FINISHED;
}

static step_result builder_step(tree_builder *b, const yaml_event_t *event)
{
    switch (event->type) {
    case YAML_DOCUMENT_START_EVENT:
        return start_document(b, &event->start_mark);
    case YAML_SCALAR_EVENT:
        return add_scalar(b, event);
    case YAML_SEQUENCE_START_EVENT:
        return open_container(b, YTREE_LIST, &event->start_mark);
    case YAML_MAPPING_START_EVENT:
        return open_container(b, YTREE_MAP, &event->start_mark);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        b->depth--;
        return STEP_CONTINUE;
    case YAML_ALIAS_EVENT: {
        ytree_node *node = node_new(YTREE_ALIAS, &event->start_mark);
        const yaml_char_t *anchor = event->data.alias.anchor;
        node->text = copy_text(anchor, strlen((const char *)anchor));
        builder_attach(b, node);
        return STEP_CONTINUE;
    }
    case YAML_STREAM_END_EVENT:
        return STEP_FINISHED;
    default: /* stream start, document end */
        return STEP_CONTINUE;
    }
}

/* libyaml places reader errors (bad encoding, control characters) by byte
 * offset only; count lines and characters up to it like its own marks do. */
static void offset_to_position(const char *text, size_t length, size_t offset, int *line,
                               int *column)
{
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset && i < length; i++) {
        unsigned char byte = (unsigned char)text[i];
        if (byte == '\n') {
            (*line)++;
            *column = 1;
        } else if ((byte & 0xC0) != 0x80) {
            (*column)++;
        }
    }
}

static void report_parser_error(tree_builder *b, const yaml_parser_t *parser)
{
    const char *problem = parser->problem ? parser->problem : "invalid YAML";
    if (parser->error == YAML_MEMORY_ERROR)
        config_checked(NULL);
    if (parser->error == YAML_READER_ERROR) {
        int line, column;
        offset_to_position(b->text, b->length, parser->problem_offset, &line, &column);
        if (parser->problem_value >= 0)
            diag_add(b->diags, b->file, line, column, "syntax error: %s (byte 0x%02X)", problem,
                     (unsigned)parser->problem_value);
        else
            diag_add(b->diags, b->file, line, column, "syntax error: %s", problem);
        return;
    }
    int line = (int)parser->problem_mark.line + 1;
    int column = (int)parser->problem_mark.column + 1;
    if (parser->context)
        diag_add(b->diags, b->file, line, column, "syntax error: %s (%s at line %d, column %d)",
                 problem, parser->context, (int)parser->context_mark.line + 1,
                 (int)parser->context_mark.column + 1);
    else
        diag_add(b->diags, b->file, line, column, "syntax error: %s", problem);
}

int ytree_parse(const char *text, size_t length, const char *file, diag_list *diags,
                ytree_node **root)
{
    tree_builder builder = {.text = text, .length = length, .file = file, .diags = diags};
    yaml_parser_t parser;
    *root = NULL;
    if (!yaml_parser_initialize(&parser))
        config_checked(NULL);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, length);

    step_result result = STEP_CONTINUE;
    while (result == STEP_CONTINUE) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            report_parser_error(&builder, &parser);
            result = STEP_FAILED;
            break;
        }
        result = builder_step(&builder, &event);
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);

    if (result == STEP_FAILED) {
        ytree_free(builder.root);
        return -1;
    }
    *root = builder.root;
    return 0;
}

void ytree_free(ytree_node *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->child_count; i++)
        ytree_free(node->children[i]);
    free(node->children);
    free(node->text);
    free(node);
}

int ytree_is_null(const ytree_node *node)
{
    if (node->kind != YTREE_SCALAR || !node->plain)
        return 0;
    static const char *const spellings[] = {"", "~", "null", "Null", "NULL"};
    for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
        if (strcmp(node->text, spellings[i]) == 0)
            return 1;
    return 0;
}
