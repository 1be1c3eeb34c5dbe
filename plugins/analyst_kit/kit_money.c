/*
 * kit_money — money arithmetic under the counting rules of
 * conf/bills/README.md, dollar formatting and the documented scales of
 * kit.h (impact, band confidence).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "kit.h"

int kit_years_in_window(const ps_money *m, int ws, int we)
{
    int n = 0;
    for (size_t i = 0; i < m->year_count; i++)
        if (m->years[i] >= ws && m->years[i] <= we)
            n++;
    return n;
}

int64_t kit_money_in_window(const ps_money *m, int ws, int we)
{
    if (!kit_countable(m))
        return 0;
    if (m->year_count == 0)
        return m->amount_usd;                       /* R5: no fiscal year, once */
    int years = kit_years_in_window(m, ws, we);
    if (m->period_total)
        return years > 0 ? m->amount_usd : 0;       /* R6: a lump sum, once */
    return m->amount_usd * years;                   /* R9 */
}

const char *kit_kind_name(ps_money_kind kind)
{
    switch (kind) {
    case PS_MONEY_AUTHORIZATION: return "authorization";
    case PS_MONEY_APPROPRIATION: return "appropriation";
    case PS_MONEY_DIRECT_SPENDING: return "direct spending";
    case PS_MONEY_OTHER: return "other";
    }
    return "unknown";
}

const char *kit_tax_kind_name(ps_tax_kind kind)
{
    switch (kind) {
    case PS_TAX_CREDIT: return "credit";
    case PS_TAX_DEDUCTION: return "deduction";
    case PS_TAX_RATE_CHANGE: return "rate change";
    case PS_TAX_EXCLUSION: return "exclusion";
    case PS_TAX_OTHER: return "other";
    }
    return "unknown";
}

char *kit_program_names(uint32_t programs, char *buf, size_t size)
{
    static const char *const names[] = {"medicare", "medicaid", "social_security", "tax",
                                        "defense", "education", "health_other"};
    kit_buf out;
    kit_buf_init(&out, buf, size);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (programs & (1u << i))
            kit_buf_add(&out, "%s%s", out.length ? ", " : "", names[i]);
    if (!out.length)
        kit_buf_add(&out, "none");
    return buf;
}

char *kit_usd(double usd, char *buf, size_t size)
{
    char digits[32];
    char grouped[48];
    double whole = floor(fabs(usd) + 0.5);
    snprintf(digits, sizeof digits, "%.0f", whole);
    size_t n = strlen(digits), out = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            grouped[out++] = ',';
        grouped[out++] = digits[i];
    }
    grouped[out] = '\0';
    snprintf(buf, size, "%s$%s", usd < 0 ? "-" : "", grouped);
    return buf;
}

char *kit_usd_short(double usd, char *buf, size_t size)
{
    double a = fabs(usd);
    const char *sign = usd < 0 ? "-" : "";
    if (a >= 1e12)
        snprintf(buf, size, "%s$%.2f trillion", sign, a / 1e12);
    else if (a >= 1e9)
        snprintf(buf, size, "%s$%.2f billion", sign, a / 1e9);
    else if (a >= 1e6)
        snprintf(buf, size, "%s$%.1f million", sign, a / 1e6);
    else
        kit_usd(usd, buf, size);
    return buf;
}

double kit_impact_from_usd(double usd)
{
    if (usd <= 0)
        return KIT_IMPACT_MINOR;
    double x = (log10(usd) - 6.0) / 6.0;
    return x < KIT_IMPACT_MINOR ? KIT_IMPACT_MINOR : x > 1.0 ? 1.0 : x;
}

double kit_band_factor(double low, double estimate, double high)
{
    if (!(high > low) || high <= 0)
        return 1.0;
    double expected_error =
        ((estimate - low) * (estimate - low) + (high - estimate) * (high - estimate)) / (2.0 * (high - low));
    double f = 1.0 - expected_error / high;
    return f < 0 ? 0 : f > 1 ? 1 : f;
}

double kit_band_confidence(double low, double estimate, double high, double known_share)
{
    double share = known_share < 0 ? 0 : known_share > 1 ? 1 : known_share;
    return KIT_CONF_PRINTED * kit_band_factor(low, estimate, high) * share;
}

int kit_countable(const ps_money *m)
{
    return m->counted && !m->indefinite && m->amount_printed;
}

double kit_known_share(const ps_bill *b)
{
    double known = 0, unknown = b->unquantified_effects ? 1 : 0;
    for (size_t i = 0; i < b->money_count; i++) {
        if (b->money[i]->indefinite)
            unknown++;
        else if (kit_countable(b->money[i]))
            known++;
    }
    return known + unknown > 0 ? known / (known + unknown) : 1.0;
}

int64_t kit_section_money(const kit_run *k, const ps_section *s, kit_buf *desc, kit_money_sum *total)
{
    char usd[40];
    int64_t sum = 0;
    for (size_t i = 0; i < k->bill->money_count; i++) {
        const ps_money *m = k->bill->money[i];
        if (!kit_section_holds(s, m->quote.offset))
            continue;
        int64_t in_window = kit_money_in_window(m, k->window_start, k->window_end);
        if (in_window > 0 && !total->section) {
            total->section = m->bill_section;
            total->quote = m->quote;
        }
        sum += in_window;
        if (m->indefinite)
            kit_buf_add(desc, " It provides such sums as may be necessary (%s, %s): an amount the text does not "
                        "print.", kit_label(m->section), kit_kind_name(m->kind));
        else if (m->kind == PS_MONEY_OTHER && m->amount_printed)
            kit_buf_add(desc, " It prints %s (%s), a benefit or program parameter rather than budget authority%s%s%s.",
                        kit_usd((double)m->amount_usd, usd, sizeof usd), kit_label(m->section),
                        m->note ? " (" : "", m->note ? m->note : "", m->note ? ")" : "");
    }
    if (sum > 0)
        kit_buf_add(desc, " Counted money in it: %s in %s.", kit_usd((double)sum, usd, sizeof usd), k->period);
    total->usd += sum;
    return sum;
}

int kit_money_finding(kit_run *k, const kit_money_sum *sum, const char *metric, const char *text)
{
    ps_finding f = {
        .description = text,
        .confidence = KIT_CONF_PRINTED * kit_known_share(k->bill),
        .impact_magnitude = kit_impact_from_usd((double)sum->usd),
        .related_section = sum->section,
        .metric = metric,
        .value = (double)sum->usd,
        .quote = sum->quote,
    };
    return kit_finding(k, &f);
}
