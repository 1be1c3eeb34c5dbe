/*
 * arena — the allocator behind one ingested bill: every string and array the
 * returned ps_bill points to lives in a chain of blocks freed at once.
 * Also the one growable-array helper the working lists use.
 */
#include <stdlib.h>
#include <string.h>
#include "ingest/ingest_internal.h"

#define ARENA_BLOCK_SIZE 16384

struct arena_block {
    arena_block *next;
    size_t used, size;
    max_align_t data[]; /* aligned storage */
};

void *arena_alloc(arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t block = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
        b = malloc(sizeof(*b) + block);
        if (!b) {
            a->failed = 1;
            return NULL;
        }
        b->size = block;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (p && n)
        memcpy(p, s, n);
    return p;
}

void arena_release(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

int grow_array(void **items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return 1;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*items, n * elem_size);
    if (!p)
        return 0;
    *items = p;
    *cap = n;
    return 1;
}
