/* Unit tests: the bus envelope (envelope.h): encoding, validation, garbage. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "bus/envelope.h"
#include "random_bytes.h"
#include "../check_main.h"

static void pack_sample_data(msgpack_packer *pk)
{
    msgpack_pack_map(pk, 2);
    envelope_pack_cstr(pk, "stage");
    envelope_pack_cstr(pk, "analyzing");
    envelope_pack_cstr(pk, "previous_stage");
    envelope_pack_cstr(pk, NULL);
}

/* A valid envelope in w (free with envelope_writer_free). */
static void sample_envelope(envelope_writer *w, const char *agent_id)
{
    envelope_begin(w, "stage_changed", "bill-42", agent_id, 1764495795123456789LL);
    pack_sample_data(&w->packer);
}

static int decode(const void *bytes, size_t length, char *err, size_t err_size)
{
    envelope ev;
    int rc = envelope_decode(bytes, length, &ev, err, err_size);
    envelope_release(&ev);
    return rc;
}

START_TEST(round_trip_keeps_every_field)
{
    envelope_writer w;
    sample_envelope(&w, "fiscal");
    envelope ev;
    char err[128] = "";
    ck_assert_int_eq(envelope_decode(w.buffer.data, w.buffer.size, &ev, err, sizeof err), 0);
    ck_assert_uint_eq(ev.version, 1);
    ck_assert_str_eq(ev.event_type, "stage_changed");
    ck_assert_str_eq(ev.analysis_id, "bill-42");
    ck_assert_str_eq(ev.agent_id, "fiscal");
    ck_assert_int_eq(ev.timestamp_ns, 1764495795123456789LL);
    ck_assert_int_eq(ev.data.type, MSGPACK_OBJECT_MAP);
    ck_assert_uint_eq(ev.data.via.map.size, 2);
    const msgpack_object_kv *kv = ev.data.via.map.ptr;
    ck_assert_int_eq(kv[0].val.type, MSGPACK_OBJECT_STR);
    ck_assert_int_eq(memcmp(kv[0].val.via.str.ptr, "analyzing", 9), 0);
    ck_assert_int_eq(kv[1].val.type, MSGPACK_OBJECT_NIL);
    envelope_release(&ev);
    envelope_writer_free(&w);
}
END_TEST

START_TEST(nil_agent_decodes_as_empty_string)
{
    envelope_writer w;
    sample_envelope(&w, NULL);
    envelope ev;
    char err[128];
    ck_assert_int_eq(envelope_decode(w.buffer.data, w.buffer.size, &ev, err, sizeof err), 0);
    ck_assert_str_eq(ev.agent_id, "");
    envelope_release(&ev);
    envelope_writer_free(&w);
}
END_TEST

/* ---- each malformed field gets its own message ------------------------------- */

typedef struct raw {
    msgpack_sbuffer buffer;
    msgpack_packer pk;
} raw;

static void raw_begin(raw *r, uint32_t fields)
{
    msgpack_sbuffer_init(&r->buffer);
    msgpack_packer_init(&r->pk, &r->buffer, msgpack_sbuffer_write);
    msgpack_pack_array(&r->pk, fields);
}

static void pack_bytes(msgpack_packer *pk, const char *s, size_t n)
{
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, s, n);
}

static void expect_error(raw *r, const char *message)
{
    char err[160] = "";
    ck_assert_int_eq(decode(r->buffer.data, r->buffer.size, err, sizeof err), -1);
    ck_assert_str_eq(err, message);
    msgpack_sbuffer_destroy(&r->buffer);
}

START_TEST(rejects_a_non_array)
{
    raw r;
    msgpack_sbuffer_init(&r.buffer);
    msgpack_packer_init(&r.pk, &r.buffer, msgpack_sbuffer_write);
    pack_sample_data(&r.pk);
    expect_error(&r, "envelope is not an array of 6 fields");
}
END_TEST

START_TEST(rejects_the_wrong_field_count)
{
    raw r;
    raw_begin(&r, 5);
    msgpack_pack_uint32(&r.pk, 1);
    envelope_pack_cstr(&r.pk, "stage_changed");
    envelope_pack_cstr(&r.pk, "a");
    msgpack_pack_nil(&r.pk);
    msgpack_pack_int64(&r.pk, 1);
    expect_error(&r, "envelope is not an array of 6 fields");
}
END_TEST

/* Packs [version, type, id, agent, timestamp, data] with one field replaced by
 * the caller's packing function. */
typedef void (*field_fn)(msgpack_packer *pk);

static void pack_envelope_with(raw *r, int field, field_fn fn)
{
    raw_begin(r, 6);
    if (field == 0) fn(&r->pk); else msgpack_pack_uint32(&r->pk, 1);
    if (field == 1) fn(&r->pk); else envelope_pack_cstr(&r->pk, "stage_changed");
    if (field == 2) fn(&r->pk); else envelope_pack_cstr(&r->pk, "bill-42");
    if (field == 3) fn(&r->pk); else envelope_pack_cstr(&r->pk, "fiscal");
    if (field == 4) fn(&r->pk); else msgpack_pack_int64(&r->pk, 1000);
    if (field == 5) fn(&r->pk); else pack_sample_data(&r->pk);
}

static void pack_version_2(msgpack_packer *pk) { msgpack_pack_uint32(pk, 2); }
static void pack_int(msgpack_packer *pk) { msgpack_pack_int(pk, 7); }
static void pack_empty(msgpack_packer *pk) { pack_bytes(pk, "", 0); }
static void pack_40_chars(msgpack_packer *pk) { pack_bytes(pk, "0123456789012345678901234567890123456789", 40); }
static void pack_72_chars(msgpack_packer *pk)
{
    char s[72];
    memset(s, 'x', sizeof s);
    pack_bytes(pk, s, sizeof s);
}
static void pack_with_nul(msgpack_packer *pk) { pack_bytes(pk, "bill\0x", 6); }
static void pack_float(msgpack_packer *pk) { msgpack_pack_double(pk, 1.5); }
static void pack_negative(msgpack_packer *pk) { msgpack_pack_int64(pk, -5); }
static void pack_array(msgpack_packer *pk) { msgpack_pack_array(pk, 0); }

typedef struct field_case {
    int field;
    field_fn fn;
    const char *message;
} field_case;

static const field_case FIELD_CASES[] = {
    {0, pack_version_2, "envelope version is not 1"},
    {0, pack_empty, "envelope version is not 1"},
    {1, pack_int, "envelope event_type is not a string"},
    {1, pack_empty, "envelope event_type is empty"},
    {1, pack_40_chars, "envelope event_type is 40 bytes, longer than 39"},
    {2, pack_empty, "envelope analysis_id is empty"},
    {2, pack_72_chars, "envelope analysis_id is 72 bytes, longer than 71"},
    {2, pack_with_nul, "envelope analysis_id contains a NUL byte"},
    {3, pack_int, "envelope agent_id is not a string"},
    {3, pack_72_chars, "envelope agent_id is 72 bytes, longer than 71"},
    {4, pack_float, "envelope timestamp_ns is not a non-negative 64-bit integer"},
    {4, pack_negative, "envelope timestamp_ns is not a non-negative 64-bit integer"},
    {5, pack_array, "envelope data is not a map"},
    {5, pack_int, "envelope data is not a map"},
};

START_TEST(rejects_each_bad_field_with_a_clear_message)
{
    const field_case *c = &FIELD_CASES[_i];
    raw r;
    pack_envelope_with(&r, c->field, c->fn);
    expect_error(&r, c->message);
}
END_TEST

START_TEST(rejects_trailing_bytes)
{
    envelope_writer w;
    sample_envelope(&w, "fiscal");
    msgpack_pack_nil(&w.packer);
    char err[160];
    ck_assert_int_eq(decode(w.buffer.data, w.buffer.size, err, sizeof err), -1);
    ck_assert_str_eq(err, "malformed envelope: 1 trailing bytes after the value (at byte 73)");
    envelope_writer_free(&w);
}
END_TEST

START_TEST(rejects_a_header_claiming_billions_of_elements)
{
    const uint8_t hostile[] = {0xdd, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03, 0x04, 0x05};
    char err[160];
    ck_assert_int_eq(decode(hostile, sizeof hostile, err, sizeof err), -1);
    ck_assert_str_eq(err, "malformed envelope: truncated: an array at byte 0 declares 4294967295 entries, "
                          "only 5 bytes remain");
}
END_TEST

START_TEST(every_truncation_is_rejected)
{
    envelope_writer w;
    sample_envelope(&w, "fiscal");
    for (size_t n = 0; n < w.buffer.size; n++) {
        char err[160] = "";
        ck_assert_int_eq(decode(w.buffer.data, n, err, sizeof err), -1);
        ck_assert_int_eq(strncmp(err, "malformed envelope: ", 20), 0);
    }
    envelope_writer_free(&w);
}
END_TEST

START_TEST(random_bytes_never_crash_and_always_explain)
{
    uint32_t state = 2463534242u;
    uint8_t bytes[64];
    for (int round = 0; round < 100000; round++) {
        size_t n = random_bytes(&state, bytes, sizeof bytes);
        if (round % 2)
            bytes[0] = 0x96; /* a 6-element array: get past the first check more often */
        char err[160] = "";
        envelope ev;
        if (envelope_decode(bytes, n, &ev, err, sizeof err) != 0)
            ck_assert_str_ne(err, "");
        envelope_release(&ev);
    }
}
END_TEST

START_TEST(mutated_envelopes_never_crash)
{
    envelope_writer w;
    sample_envelope(&w, "fiscal");
    uint32_t state = 88172645u;
    uint8_t *copy = malloc(w.buffer.size);
    for (int round = 0; round < 50000; round++) {
        memcpy(copy, w.buffer.data, w.buffer.size);
        for (int flips = 0; flips < 3; flips++)
            copy[next_random(&state) % w.buffer.size] = (uint8_t)next_random(&state);
        envelope ev;
        char err[160] = "";
        if (envelope_decode(copy, w.buffer.size, &ev, err, sizeof err) == 0)
            ck_assert_int_eq(ev.data.type, MSGPACK_OBJECT_MAP);
        else
            ck_assert_str_ne(err, "");
        envelope_release(&ev);
    }
    free(copy);
    envelope_writer_free(&w);
}
END_TEST

static Suite *envelope_suite(void)
{
    Suite *s = suite_create("envelope");
    TCase *tc = CHECK_TCASE(s, "core", round_trip_keeps_every_field, nil_agent_decodes_as_empty_string,
                            rejects_a_non_array, rejects_the_wrong_field_count, rejects_trailing_bytes,
                            rejects_a_header_claiming_billions_of_elements, every_truncation_is_rejected,
                            random_bytes_never_crash_and_always_explain, mutated_envelopes_never_crash);
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, rejects_each_bad_field_with_a_clear_message, 0,
                        (int)(sizeof FIELD_CASES / sizeof FIELD_CASES[0]));
    return s;
}

CHECK_MAIN(envelope_suite)
