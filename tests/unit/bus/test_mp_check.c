/* Unit tests: validation of plugin-supplied MessagePack (mp_check.h). */
#include <check.h>
#include <msgpack.h>
#include <stdlib.h>
#include <string.h>

#include "bus/mp_check.h"
#include "random_bytes.h"
#include "../check_main.h"

typedef struct packed {
    msgpack_sbuffer buffer;
    msgpack_packer pk;
} packed;

static void packed_init(packed *p)
{
    msgpack_sbuffer_init(&p->buffer);
    msgpack_packer_init(&p->pk, &p->buffer, msgpack_sbuffer_write);
}

static void pack_key(msgpack_packer *pk, const char *key)
{
    size_t n = strlen(key);
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, key, n);
}

/* {"name": "x", "n": -3, "ratio": 0.5, "ok": true, "none": nil,
 *  "list": [1, "two", {"deep": [ ]}], "blob": bin(3)} */
static void pack_valid(packed *p)
{
    packed_init(p);
    msgpack_pack_map(&p->pk, 7);
    pack_key(&p->pk, "name");
    pack_key(&p->pk, "x");
    pack_key(&p->pk, "n");
    msgpack_pack_int(&p->pk, -3);
    pack_key(&p->pk, "ratio");
    msgpack_pack_double(&p->pk, 0.5);
    pack_key(&p->pk, "ok");
    msgpack_pack_true(&p->pk);
    pack_key(&p->pk, "none");
    msgpack_pack_nil(&p->pk);
    pack_key(&p->pk, "list");
    msgpack_pack_array(&p->pk, 3);
    msgpack_pack_uint64(&p->pk, 1);
    pack_key(&p->pk, "two");
    msgpack_pack_map(&p->pk, 1);
    pack_key(&p->pk, "deep");
    msgpack_pack_array(&p->pk, 0);
    pack_key(&p->pk, "blob");
    msgpack_pack_bin(&p->pk, 3);
    msgpack_pack_bin_body(&p->pk, "\x00\x01\x02", 3);
}

static void expect_error(const void *bytes, size_t n, const mp_limits *limits, const char *message)
{
    char err[160] = "";
    ck_assert_int_eq(mp_check_map(bytes, n, limits, err, sizeof err), -1);
    ck_assert_str_eq(err, message);
}

START_TEST(accepts_a_nested_map_of_every_plain_type)
{
    packed p;
    pack_valid(&p);
    char err[160] = "";
    ck_assert_int_eq(mp_check_map(p.buffer.data, p.buffer.size, &MP_DEFAULT_LIMITS, err, sizeof err), 0);
    ck_assert_str_eq(err, "");
    msgpack_sbuffer_destroy(&p.buffer);
}
END_TEST

START_TEST(default_limits_are_64k_bytes_depth_16_and_4096_entries)
{
    ck_assert_uint_eq(MP_DEFAULT_LIMITS.max_bytes, 65536);
    ck_assert_int_eq(MP_DEFAULT_LIMITS.max_depth, 16);
    ck_assert_uint_eq(MP_DEFAULT_LIMITS.max_entries, 4096);
}
END_TEST

START_TEST(rejects_empty_and_non_map_payloads)
{
    const uint8_t array[] = {0x90};
    const uint8_t integer[] = {0x05};
    const uint8_t string[] = {0xa1, 'x'};
    expect_error(NULL, 0, NULL, "empty payload: expected a map");
    expect_error(array, 0, NULL, "empty payload: expected a map");
    expect_error(array, sizeof array, NULL, "payload is an array, not a map");
    expect_error(integer, sizeof integer, NULL, "payload is an integer, not a map");
    expect_error(string, sizeof string, NULL, "payload is a string, not a map");
}
END_TEST

START_TEST(rejects_a_payload_over_the_byte_cap)
{
    mp_limits limits = {8, 16, 4096};
    packed p;
    pack_valid(&p);
    char message[96];
    snprintf(message, sizeof message, "payload is %zu bytes, more than the 8 allowed", p.buffer.size);
    expect_error(p.buffer.data, p.buffer.size, &limits, message);
    msgpack_sbuffer_destroy(&p.buffer);
}
END_TEST

START_TEST(rejects_non_string_keys_at_any_level)
{
    const uint8_t top[] = {0x81, 0x01, 0xa1, 'x'};                    /* {1: "x"} */
    const uint8_t nested[] = {0x81, 0xa1, 'a', 0x81, 0xc0, 0x01};      /* {"a": {nil: 1}} */
    const uint8_t in_array[] = {0x81, 0xa1, 'a', 0x91, 0x81, 0xc3, 0x01}; /* {"a": [{true: 1}]} */
    expect_error(top, sizeof top, NULL, "map key at byte 1 is an integer, not a string");
    expect_error(nested, sizeof nested, NULL, "map key at byte 4 is nil, not a string");
    expect_error(in_array, sizeof in_array, NULL, "map key at byte 5 is a boolean, not a string");
}
END_TEST

START_TEST(string_values_may_follow_string_keys)
{
    const uint8_t ok[] = {0x82, 0xa1, 'a', 0xa1, 'b', 0xa1, 'c', 0x01}; /* {"a": "b", "c": 1} */
    ck_assert_int_eq(mp_check_map(ok, sizeof ok, NULL, NULL, 0), 0);
}
END_TEST

START_TEST(rejects_extension_types)
{
    const uint8_t fixext[] = {0x81, 0xa1, 'a', 0xd4, 0x01, 0x00};
    const uint8_t ext8[] = {0x81, 0xa1, 'a', 0xc7, 0x01, 0x05, 0x00};
    expect_error(fixext, sizeof fixext, NULL, "extension type at byte 3 is not allowed");
    expect_error(ext8, sizeof ext8, NULL, "extension type at byte 3 is not allowed");
}
END_TEST

START_TEST(rejects_the_never_used_type_byte)
{
    const uint8_t bad[] = {0x81, 0xa1, 'a', 0xc1};
    expect_error(bad, sizeof bad, NULL, "invalid type byte 0xc1 at byte 3");
}
END_TEST

START_TEST(rejects_trailing_bytes)
{
    const uint8_t trailing[] = {0x80, 0xc0, 0xc0};
    expect_error(trailing, sizeof trailing, NULL, "2 trailing bytes after the value (at byte 1)");
}
END_TEST

START_TEST(every_truncation_is_rejected_as_truncated)
{
    packed p;
    pack_valid(&p);
    for (size_t n = 1; n < p.buffer.size; n++) {
        char err[160] = "";
        ck_assert_int_eq(mp_check_map(p.buffer.data, n, NULL, err, sizeof err), -1);
        ck_assert_msg(strncmp(err, "truncated: ", 11) == 0, "prefix %zu: %s", n, err);
    }
    msgpack_sbuffer_destroy(&p.buffer);
}
END_TEST

START_TEST(a_header_claiming_2_to_the_32_entries_fails_fast)
{
    const uint8_t map32[] = {0xdf, 0xff, 0xff, 0xff, 0xff, 0xa1, 'k', 0x01, 0x02, 0x03};
    const uint8_t str32[] = {0x81, 0xa1, 'k', 0xdb, 0xff, 0xff, 0xff, 0xff, 'x', 'y'};
    expect_error(map32, sizeof map32, NULL, "truncated: a map at byte 0 declares 4294967295 entries, only 5 bytes remain");
    expect_error(str32, sizeof str32, NULL, "truncated: a string at byte 3 needs 4294967295 bytes, 2 remain");
}
END_TEST

/* depth nested maps {"k": {"k": ... {}}} */
static size_t nested_maps(uint8_t *out, int depth)
{
    size_t n = 0;
    for (int i = 0; i < depth - 1; i++) {
        out[n++] = 0x81;
        out[n++] = 0xa1;
        out[n++] = 'k';
    }
    out[n++] = 0x80;
    return n;
}

START_TEST(nesting_is_capped_at_the_depth_limit)
{
    uint8_t bytes[64];
    size_t n = nested_maps(bytes, 16);
    ck_assert_int_eq(mp_check_map(bytes, n, NULL, NULL, 0), 0);
    n = nested_maps(bytes, 17);
    expect_error(bytes, n, NULL, "nesting deeper than 16 levels at byte 48");
}
END_TEST

START_TEST(hostile_deep_nesting_is_rejected_without_recursion)
{
    size_t n = 60000;
    uint8_t *bytes = malloc(n);
    bytes[0] = 0x81;
    bytes[1] = 0xa1;
    bytes[2] = 'k';
    memset(bytes + 3, 0x91, n - 3); /* [[[[[...  */
    mp_limits limits = {n, 128, 1000000};
    char err[160];
    ck_assert_int_eq(mp_check_map(bytes, n, &limits, err, sizeof err), -1);
    ck_assert_str_eq(err, "nesting deeper than 128 levels at byte 130");
    free(bytes);
}
END_TEST

START_TEST(a_depth_limit_beyond_128_is_refused)
{
    const uint8_t empty[] = {0x80};
    mp_limits limits = {100, 129, 10};
    expect_error(empty, sizeof empty, &limits, "depth limit 129 exceeds the supported 128");
}
END_TEST

/* {"k": [nil x elements]} */
static size_t map_with_array(uint8_t *out, uint32_t elements)
{
    size_t n = 0;
    out[n++] = 0x81;
    out[n++] = 0xa1;
    out[n++] = 'k';
    out[n++] = 0xdc;
    out[n++] = (uint8_t)(elements >> 8);
    out[n++] = (uint8_t)elements;
    memset(out + n, 0xc0, elements);
    return n + elements;
}

START_TEST(entries_are_capped_over_the_whole_tree)
{
    uint8_t bytes[8192];
    size_t n = map_with_array(bytes, 4095); /* 1 map entry + 4095 elements */
    ck_assert_int_eq(mp_check_map(bytes, n, NULL, NULL, 0), 0);
    n = map_with_array(bytes, 4096);
    expect_error(bytes, n, NULL, "more than 4096 entries in total (at byte 3)");
}
END_TEST

START_TEST(a_huge_flat_map_is_rejected)
{
    size_t pairs = 5000, n = 0;
    uint8_t *bytes = malloc(5 + pairs * 3);
    bytes[n++] = 0xdf;
    bytes[n++] = 0;
    bytes[n++] = 0;
    bytes[n++] = (uint8_t)(pairs >> 8);
    bytes[n++] = (uint8_t)pairs;
    for (size_t i = 0; i < pairs; i++) {
        bytes[n++] = 0xa1;
        bytes[n++] = 'k';
        bytes[n++] = 0x00;
    }
    expect_error(bytes, n, NULL, "more than 4096 entries in total (at byte 0)");
    free(bytes);
}
END_TEST

START_TEST(random_garbage_never_crashes_and_is_explained)
{
    uint32_t state = 123456789u;
    uint8_t bytes[48];
    for (int round = 0; round < 100000; round++) {
        size_t n = random_bytes(&state, bytes, sizeof bytes);
        bytes[0] = 0x80 | (bytes[0] & 0x0f); /* usually a fixmap, so the walk goes deep */
        char err[160] = "";
        if (mp_check_map(bytes, n, NULL, err, sizeof err) != 0)
            ck_assert_str_ne(err, "");
    }
}
END_TEST

START_TEST(object_check_accepts_any_well_formed_value)
{
    const uint8_t array_with_int_keys[] = {0x92, 0x81, 0x01, 0x02, 0xd4, 0x01, 0x00}; /* [{1: 2}, ext] */
    ck_assert_int_eq(mp_check_object(array_with_int_keys, sizeof array_with_int_keys, 4, NULL, 0), 0);
    const uint8_t scalar[] = {0xcb, 0, 0, 0, 0, 0, 0, 0, 0};
    ck_assert_int_eq(mp_check_object(scalar, sizeof scalar, 1, NULL, 0), 0);
}
END_TEST

START_TEST(object_check_rejects_truncation_depth_and_trailing_bytes)
{
    const uint8_t truncated[] = {0x92, 0x01};
    const uint8_t deep[] = {0x91, 0x91, 0x91, 0x90};
    const uint8_t trailing[] = {0x01, 0x02};
    char err[160];
    ck_assert_int_eq(mp_check_object(truncated, sizeof truncated, 4, err, sizeof err), -1);
    ck_assert_str_eq(err, "truncated: an array at byte 0 declares 2 entries, only 1 bytes remain");
    ck_assert_int_eq(mp_check_object(deep, sizeof deep, 3, err, sizeof err), -1);
    ck_assert_str_eq(err, "nesting deeper than 3 levels at byte 3");
    ck_assert_int_eq(mp_check_object(trailing, sizeof trailing, 4, err, sizeof err), -1);
    ck_assert_str_eq(err, "1 trailing bytes after the value (at byte 1)");
}
END_TEST

static Suite *mp_check_suite(void)
{
    Suite *s = suite_create("mp_check");
    TCase *tc = CHECK_TCASE(s, "core", accepts_a_nested_map_of_every_plain_type,
                            default_limits_are_64k_bytes_depth_16_and_4096_entries, rejects_empty_and_non_map_payloads,
                            rejects_a_payload_over_the_byte_cap, rejects_non_string_keys_at_any_level,
                            string_values_may_follow_string_keys, rejects_extension_types,
                            rejects_the_never_used_type_byte, rejects_trailing_bytes,
                            every_truncation_is_rejected_as_truncated, a_header_claiming_2_to_the_32_entries_fails_fast,
                            nesting_is_capped_at_the_depth_limit, hostile_deep_nesting_is_rejected_without_recursion,
                            a_depth_limit_beyond_128_is_refused, entries_are_capped_over_the_whole_tree,
                            a_huge_flat_map_is_rejected, random_garbage_never_crashes_and_is_explained,
                            object_check_accepts_any_well_formed_value,
                            object_check_rejects_truncation_depth_and_trailing_bytes);
    tcase_set_timeout(tc, 60);
    return s;
}

CHECK_MAIN(mp_check_suite)
