/*
 * kit_emit — emitting thoughts and findings for one run (and the "nothing
 * to report" finding every analyst makes), and the run's cancellation and
 * error state (see kit.h). The first failure is kept in
 * k->rc; later emits do nothing, so an analysis can stop at its next check.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "kit.h"

int kit_check_cancel(kit_run *k)
{
    if (k->rc == PS_OK && k->api->cancelled(k->run))
        k->rc = PS_ECANCELED;
    return k->rc;
}

int kit_finish(kit_run *k)
{
    if (k->rc != PS_OK && !k->error_set) {
        k->error_set = 1;
        k->api->set_error(k->inst, k->run, "%s analyst stopped: %s", k->category, k->api->strerror(k->rc));
    }
    return k->rc;
}

void kit_buf_init(kit_buf *b, char *storage, size_t size)
{
    b->text = storage;
    b->size = size;
    b->length = 0;
    if (size)
        storage[0] = '\0';
}

static void buf_vadd(kit_buf *b, const char *fmt, va_list ap)
{
    if (b->size < 4 || b->length >= b->size - 1)
        return;
    int n = vsnprintf(b->text + b->length, b->size - b->length, fmt, ap);
    if (n < 0)
        return;
    if ((size_t)n >= b->size - b->length) {
        size_t cut = b->size - 4;
        while (cut > 0 && ((unsigned char)b->text[cut] & 0xC0) == 0x80)
            cut--; /* never split a UTF-8 character */
        memcpy(b->text + cut, "...", 4);
        b->length = cut + 3;
        return;
    }
    b->length += (size_t)n;
}

void kit_buf_add(kit_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vadd(b, fmt, ap);
    va_end(ap);
}

int kit_thought(kit_run *k, const char *type, const char *label, double confidence, const char *section,
                const char *fmt, ...)
{
    char content[1024];
    kit_buf text;
    if (k->rc != PS_OK)
        return k->rc;
    kit_buf_init(&text, content, sizeof content);
    va_list ap;
    va_start(ap, fmt);
    buf_vadd(&text, fmt, ap);
    va_end(ap);
    ps_thought t = {
        .struct_size = sizeof t,
        .thought_type = type,
        .label = label,
        .content = content,
        .confidence = confidence,
        .related_section = section,
    };
    k->rc = k->api->emit_thought(k->run, &t);
    return k->rc;
}

int kit_finding(kit_run *k, ps_finding *f)
{
    if (k->rc != PS_OK)
        return k->rc;
    f->struct_size = sizeof *f;
    f->category = k->category;
    k->rc = k->api->emit_finding(k->run, f, NULL, 0);
    return k->rc;
}

int kit_report_absence(kit_run *k, const char *label, const char *fmt, ...)
{
    char text[512];
    kit_buf desc;
    const char *section;
    ps_span quote;
    kit_cite_bill(k->bill, &section, &quote);
    kit_buf_init(&desc, text, sizeof text);
    va_list ap;
    va_start(ap, fmt);
    buf_vadd(&desc, fmt, ap);
    va_end(ap);
    kit_thought(k, "conclusion", label, KIT_CONF_ABSENCE, section, "%s", text);
    ps_finding f = {
        .description = text,
        .confidence = KIT_CONF_ABSENCE,
        .impact_magnitude = KIT_IMPACT_MINOR,
        .related_section = section,
        .quote = quote,
    };
    return kit_finding(k, &f);
}
