/*
 * outline_query — lookups in a built outline: the unit or line at an
 * offset (binary search; units are stored in document order, parents
 * first), enclosing bill units and their printed numbers ("3(a)(1)").
 */
#include <stdio.h>
#include <string.h>
#include "ingest/ingest_internal.h"

/* Index of the last unit starting at or before off, -1 if none. */
static int last_unit_starting_by(const outline *o, size_t off)
{
    size_t lo = 0, hi = o->unit_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (o->units[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (int)lo - 1;
}

int outline_unit_at(const outline *o, size_t off)
{
    int u = last_unit_starting_by(o, off);
    while (u >= 0 && off >= o->units[u].end)
        u = o->units[u].parent;
    return u;
}

int outline_line_at(const outline *o, size_t off)
{
    size_t lo = 0, hi = o->line_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (o->lines[mid].start <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (int)lo - 1;
}

size_t outline_next_unit_start(const outline *o, int u, size_t off)
{
    int next = last_unit_starting_by(o, off) + 1;
    size_t limit = u >= 0 ? o->units[u].end : (size_t)-1;
    if ((size_t)next < o->unit_count && o->units[next].start < limit)
        return o->units[next].start;
    return limit;
}

int outline_bill_ancestor(const outline *o, int u, int max_level)
{
    while (u >= 0 && (o->units[u].inserted || o->units[u].level > max_level))
        u = o->units[u].parent;
    return u;
}

void outline_bill_number(const outline *o, int u, char *buf, size_t size)
{
    int chain[INGEST_MAX_DEPTH * 2];
    size_t n = 0;
    for (int v = outline_bill_ancestor(o, u, LEVEL_SUBITEM); v >= 0 && n < sizeof(chain) / sizeof(chain[0]);
         v = o->units[v].parent)
        chain[n++] = v;
    size_t len = 0;
    buf[0] = '\0';
    while (n-- > 0 && len < size) {
        const unit *x = &o->units[chain[n]];
        int w = x->level == LEVEL_SECTION ? snprintf(buf + len, size - len, "%s", x->label)
                                          : snprintf(buf + len, size - len, "(%s)", x->label);
        if (w < 0)
            break;
        len += (size_t)w;
    }
}
