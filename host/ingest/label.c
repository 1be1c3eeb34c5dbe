/*
 * label — what level an enumerator like "(i)" has in U.S. legislative
 * drafting: (a) subsection, (1) paragraph, (A) subparagraph, (i) clause,
 * (I) subclause, (aa) item, (AA) subitem. "(i)", "(v)", "(x)" and their
 * capitals are ambiguous (letter or roman numeral); the labels already open
 * decide: "(i)" after "(h)" is a letter, under "(A)" it is a clause.
 */
#include <string.h>
#include <strings.h>
#include "ingest/ingest_internal.h"

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return n > 0;
}

static int all_same_letter(const char *s, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (s[i] != s[0])
            return 0;
    return n >= 2;
}

static int lower_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return n > 0;
}

static int upper_letters(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return 0;
    return n > 0;
}

int roman_value(const char *s, size_t n)
{
    static const char *const numerals[] = {"", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"};
    char low[LABEL_MAX];
    if (n == 0 || n >= sizeof(low))
        return 0;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
    size_t tens = 0;
    while (tens < n && tens < 3 && low[tens] == 'x')
        tens++;
    for (int units = 0; units < 10; units++)
        if (strlen(numerals[units]) == n - tens && memcmp(numerals[units], low + tens, n - tens) == 0)
            return (int)tens * 10 + units;
    return 0;
}

int label_candidates(const char *s, size_t n, int out[2])
{
    int count = 0;
    if (all_digits(s, n)) {
        if (n <= 3)
            out[count++] = LEVEL_PARAGRAPH;
        return count;
    }
    int roman = roman_value(s, n) > 0;
    if (lower_letters(s, n)) {
        if (n == 1)
            out[count++] = LEVEL_SUBSECTION;
        if (roman)
            out[count++] = LEVEL_CLAUSE;
        if (all_same_letter(s, n) && count < 2)
            out[count++] = LEVEL_ITEM;
    } else if (upper_letters(s, n)) {
        if (n == 1)
            out[count++] = LEVEL_SUBPARAGRAPH;
        if (roman)
            out[count++] = LEVEL_SUBCLAUSE;
        if (all_same_letter(s, n) && count < 2)
            out[count++] = LEVEL_SUBITEM;
    }
    return count;
}

static int is_roman_level(int level)
{
    return level == LEVEL_CLAUSE || level == LEVEL_SUBCLAUSE;
}

/* Ordinal of a label read at a given level (1 = first), 0 if it cannot be. */
static long label_ordinal(const char *s, size_t n, int level)
{
    if (level == LEVEL_PARAGRAPH) {
        long v = 0;
        for (size_t i = 0; i < n; i++)
            v = v * 10 + (s[i] - '0');
        return all_digits(s, n) ? v : 0;
    }
    if (is_roman_level(level))
        return roman_value(s, n);
    if (level == LEVEL_ITEM || level == LEVEL_SUBITEM)
        return all_same_letter(s, n) ? (s[0] | 0x20) - 'a' + 1 : 0;
    if (n == 1)
        return (s[0] | 0x20) - 'a' + 1;
    if (n == 2 && s[0] == s[1])
        return 26 + (s[0] | 0x20) - 'a' + 1; /* "(aa)" after "(z)" */
    return 0;
}

int designation_level(const char *word, size_t n)
{
    static const struct { const char *word; int level; } names[] = {
        {"subsection", LEVEL_SUBSECTION}, {"paragraph", LEVEL_PARAGRAPH},
        {"subparagraph", LEVEL_SUBPARAGRAPH}, {"clause", LEVEL_CLAUSE},
        {"subclause", LEVEL_SUBCLAUSE}, {"item", LEVEL_ITEM}, {"subitem", LEVEL_SUBITEM}};
    if (n > 0 && (word[n - 1] == 's' || word[n - 1] == 'S'))
        n--;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i].word) == n && strncasecmp(names[i].word, word, n) == 0)
            return names[i].level;
    return -1;
}

int label_choose_level(const char *s, size_t n, const open_label *open, size_t open_count,
                       int hint_level, int *fits)
{
    int cand[2];
    int count = label_candidates(s, n, cand);
    *fits = 0;
    if (count == 0)
        return -1;
    /* the next sibling of an open label */
    for (size_t i = open_count; i-- > 0;)
        for (int c = 0; c < count; c++)
            if (open[i].level == cand[c]) {
                long prev = label_ordinal(open[i].label, strlen(open[i].label), cand[c]);
                if (prev > 0 && label_ordinal(s, n, cand[c]) == prev + 1) {
                    *fits = 1;
                    return cand[c];
                }
            }
    /* the first child of a level deeper than the innermost open label */
    int top = open_count ? open[open_count - 1].level : -1;
    for (int c = 0; c < count; c++)
        if (cand[c] > top && label_ordinal(s, n, cand[c]) == 1) {
            *fits = 1;
            return cand[c];
        }
    for (int c = 0; c < count; c++)
        if (cand[c] == hint_level)
            return cand[c];
    return cand[0];
}
