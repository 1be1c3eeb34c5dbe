/* Unit tests: MessagePack -> JSON at the edge (wire_json.h). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bus/wire_json.h"
#include "../check_main.h"

typedef struct packed {
    msgpack_sbuffer buffer;
    msgpack_packer pk;
    msgpack_unpacked unpacked;
} packed;

static msgpack_packer *begin(packed *p)
{
    msgpack_sbuffer_init(&p->buffer);
    msgpack_packer_init(&p->pk, &p->buffer, msgpack_sbuffer_write);
    msgpack_unpacked_init(&p->unpacked);
    return &p->pk;
}

static void pack_str(msgpack_packer *pk, const char *s, size_t n)
{
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, s, n);
}

static void key(msgpack_packer *pk, const char *s)
{
    pack_str(pk, s, strlen(s));
}

/* Unpacks what was packed, converts it, and compares the printed JSON. */
static void expect_json(packed *p, const char *expected)
{
    size_t offset = 0;
    ck_assert_int_eq(msgpack_unpack_next(&p->unpacked, p->buffer.data, p->buffer.size, &offset),
                     MSGPACK_UNPACK_SUCCESS);
    cJSON *json = wire_from_msgpack(&p->unpacked.data);
    ck_assert_ptr_nonnull(json);
    char *text = cJSON_PrintUnformatted(json);
    ck_assert_str_eq(text, expected);
    free(text);
    cJSON_Delete(json);
    msgpack_unpacked_destroy(&p->unpacked);
    msgpack_sbuffer_destroy(&p->buffer);
}

START_TEST(integers_print_as_exact_integers)
{
    packed p;
    msgpack_packer *pk = begin(&p);
    msgpack_pack_array(pk, 8);
    msgpack_pack_int(pk, 1);
    msgpack_pack_int(pk, -2);
    msgpack_pack_uint64(pk, 3000000000ULL);
    msgpack_pack_uint64(pk, 999999999999999ULL);
    msgpack_pack_uint64(pk, 1000000000000000ULL);
    msgpack_pack_int64(pk, 1764495795123456789LL);
    msgpack_pack_int64(pk, -9000000000000000000LL);
    msgpack_pack_uint64(pk, UINT64_MAX);
    expect_json(&p, "[1,-2,3000000000,999999999999999,1000000000000000,1764495795123456789,"
                    "-9000000000000000000,18446744073709551615]");
}
END_TEST

START_TEST(floats_print_plainly_and_non_finite_becomes_null)
{
    packed p;
    msgpack_packer *pk = begin(&p);
    msgpack_pack_array(pk, 7);
    msgpack_pack_double(pk, 0.5);
    msgpack_pack_double(pk, 3.0);
    msgpack_pack_double(pk, -1234.25);
    msgpack_pack_float(pk, 1.5f);
    msgpack_pack_double(pk, NAN);
    msgpack_pack_double(pk, INFINITY);
    msgpack_pack_double(pk, -INFINITY);
    expect_json(&p, "[0.5,3,-1234.25,1.5,null,null,null]");
}
END_TEST

START_TEST(scalars_maps_and_arrays_nest)
{
    packed p;
    msgpack_packer *pk = begin(&p);
    msgpack_pack_map(pk, 4);
    key(pk, "nil");
    msgpack_pack_nil(pk);
    key(pk, "flags");
    msgpack_pack_array(pk, 2);
    msgpack_pack_true(pk);
    msgpack_pack_false(pk);
    key(pk, "inner");
    msgpack_pack_map(pk, 1);
    key(pk, "list");
    msgpack_pack_array(pk, 0);
    key(pk, "text");
    key(pk, "quote \" and\nnewline");
    expect_json(&p, "{\"nil\":null,\"flags\":[true,false],\"inner\":{\"list\":[]},"
                    "\"text\":\"quote \\\" and\\nnewline\"}");
}
END_TEST

START_TEST(non_string_keys_are_left_out)
{
    packed p;
    msgpack_packer *pk = begin(&p);
    msgpack_pack_map(pk, 3);
    key(pk, "a");
    msgpack_pack_int(pk, 1);
    msgpack_pack_int(pk, 7);
    msgpack_pack_int(pk, 2);
    key(pk, "b");
    msgpack_pack_int(pk, 3);
    expect_json(&p, "{\"a\":1,\"b\":3}");
}
END_TEST

START_TEST(binary_becomes_base64_and_ext_becomes_null)
{
    static const char *plain[] = {"", "f", "fo", "foo", "foobar"};
    packed p;
    msgpack_packer *pk = begin(&p);
    msgpack_pack_array(pk, 6);
    for (size_t i = 0; i < 5; i++) {
        msgpack_pack_bin(pk, strlen(plain[i]));
        msgpack_pack_bin_body(pk, plain[i], strlen(plain[i]));
    }
    msgpack_pack_ext(pk, 1, 5);
    msgpack_pack_ext_body(pk, "\x01", 1);
    expect_json(&p, "[\"\",\"Zg==\",\"Zm8=\",\"Zm9v\",\"Zm9vYmFy\",null]");
}
END_TEST

START_TEST(valid_utf8_passes_through)
{
    packed p;
    msgpack_packer *pk = begin(&p);
    key(pk, "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80");
    expect_json(&p, "\"h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\"");
}
END_TEST

START_TEST(invalid_utf8_and_nul_become_replacement_characters)
{
    packed p;
    msgpack_packer *pk = begin(&p);
    msgpack_pack_array(pk, 4);
    pack_str(pk, "a\xFF" "b", 3);
    pack_str(pk, "x\0y", 3);
    pack_str(pk, "\xC0\xAF", 2);           /* overlong '/' */
    pack_str(pk, "cut\xE2\x82", 5);        /* sequence cut short */
    expect_json(&p, "[\"a\xEF\xBF\xBD" "b\",\"x\xEF\xBF\xBDy\",\"\xEF\xBF\xBD\xEF\xBF\xBD\","
                    "\"cut\xEF\xBF\xBD\xEF\xBF\xBD\"]");
}
END_TEST

START_TEST(long_strings_and_keys_convert_whole)
{
    char text[1001];
    memset(text, 'z', 1000);
    text[1000] = '\0';
    packed p;
    msgpack_packer *pk = begin(&p);
    msgpack_pack_map(pk, 1);
    key(pk, text);
    key(pk, text);
    char expected[2100];
    snprintf(expected, sizeof expected, "{\"%s\":\"%s\"}", text, text);
    expect_json(&p, expected);
}
END_TEST

START_TEST(timestamp_is_utc_iso8601_with_milliseconds)
{
    char buf[32];
    wire_timestamp(1764495795123456789LL, buf, sizeof buf);
    ck_assert_str_eq(buf, "2025-11-30T09:43:15.123Z");
    wire_timestamp(0, buf, sizeof buf);
    ck_assert_str_eq(buf, "1970-01-01T00:00:00.000Z");
    wire_timestamp(951782400999999999LL, buf, sizeof buf);
    ck_assert_str_eq(buf, "2000-02-29T00:00:00.999Z");
    wire_timestamp(-1, buf, sizeof buf);
    ck_assert_str_eq(buf, "1969-12-31T23:59:59.999Z");
}
END_TEST

START_TEST(event_json_has_the_six_wire_fields_in_order)
{
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "stage", "voting");
    char *json = wire_event_json("bill-42-7", "stage_changed", "bill-42", data, 1764495795123456789LL, 7);
    ck_assert_str_eq(json, "{\"event_id\":\"bill-42-7\",\"event_type\":\"stage_changed\",\"analysis_id\":\"bill-42\","
                           "\"data\":{\"stage\":\"voting\"},\"timestamp\":\"2025-11-30T09:43:15.123Z\","
                           "\"sequence\":7}");
    free(json);
}
END_TEST

START_TEST(sequence_zero_is_null_and_missing_data_is_an_empty_object)
{
    char *json = wire_event_json("bill-42-progress", "progress_update", "bill-42", NULL, 0, 0);
    ck_assert_str_eq(json, "{\"event_id\":\"bill-42-progress\",\"event_type\":\"progress_update\","
                           "\"analysis_id\":\"bill-42\",\"data\":{},\"timestamp\":\"1970-01-01T00:00:00.000Z\","
                           "\"sequence\":null}");
    free(json);
}
END_TEST

static Suite *wire_json_suite(void)
{
    Suite *s = suite_create("wire_json");
    CHECK_TCASE(s, "core", integers_print_as_exact_integers, floats_print_plainly_and_non_finite_becomes_null,
                scalars_maps_and_arrays_nest, non_string_keys_are_left_out, binary_becomes_base64_and_ext_becomes_null,
                valid_utf8_passes_through, invalid_utf8_and_nul_become_replacement_characters,
                long_strings_and_keys_convert_whole, timestamp_is_utc_iso8601_with_milliseconds,
                event_json_has_the_six_wire_fields_in_order, sequence_zero_is_null_and_missing_data_is_an_empty_object);
    return s;
}

CHECK_MAIN(wire_json_suite)
