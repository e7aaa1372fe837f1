/* check_event.c - unit tests for src/event: ownership of the text, copies, dedup keys. */
#include "event/event.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_text_ownership)
{
	struct event a, b;
	ev_init(&a);
	ev_init(&b);
	ck_assert_int_eq(ev_set_text(&a, "hello", 5), 0);
	ck_assert_str_eq(a.text, "hello");
	ck_assert_int_eq(ev_copy(&b, &a), 0);
	ck_assert_ptr_ne(a.text, b.text);
	ck_assert_str_eq(b.text, "hello");
	ev_clear(&a);
	ck_assert_ptr_null(a.text);
	ck_assert_str_eq(b.text, "hello"); /* deep copy survives */
	ev_move(&a, &b);
	ck_assert_str_eq(a.text, "hello");
	ck_assert_ptr_null(b.text);
	ev_clear(&a);
	ev_clear(&b);
	ev_clear(NULL);
}
END_TEST

START_TEST(test_text_truncated_on_utf8_boundary)
{
	size_t n = EV_TEXT_MAX + 10;
	char *big = malloc(n);
	/* "微" is 3 bytes: EV_TEXT_MAX is not a multiple of 3, so a cut would split one. */
	for (size_t i = 0; i + 3 <= n; i += 3)
		memcpy(big + i, "\xe5\xbe\xae", 3);
	struct event ev;
	ev_init(&ev);
	ck_assert_int_eq(ev_set_text(&ev, big, n - n % 3), 0);
	ck_assert_uint_le(ev.text_len, EV_TEXT_MAX);
	ck_assert_uint_eq(ev.text_len % 3, 0);
	ck_assert_uint_eq(strlen(ev.text), ev.text_len);
	ev_clear(&ev);
	free(big);
}
END_TEST

START_TEST(test_dedup_hash)
{
	struct event a, b;
	ev_init(&a);
	a.time = 1000;
	a.kind = EV_CALL;
	a.direction = EV_DIR_MO;
	strcpy(a.msisdn, "8613800138000");
	strcpy(a.other_party, "8613911112222");
	b = a;
	ck_assert_uint_eq(ev_dedup_hash(&a), ev_dedup_hash(&b));
	b.direction = EV_DIR_MT;
	ck_assert_uint_ne(ev_dedup_hash(&a), ev_dedup_hash(&b));
	b = a;
	b.time++;
	ck_assert_uint_ne(ev_dedup_hash(&a), ev_dedup_hash(&b));
	/* With a record_id, the id alone decides. */
	strcpy(a.record_id, "A93F-0001");
	b = a;
	b.time += 5;
	ck_assert_uint_eq(ev_dedup_hash(&a), ev_dedup_hash(&b));
	ck_assert_str_eq(ev_subject_key(&a), "8613800138000");
	strcpy(a.imsi, "460001234567890");
	ck_assert_str_eq(ev_subject_key(&a), "460001234567890");
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(ev_kind_name(EV_CALL), "voice");
	ck_assert_str_eq(ev_kind_name(EV_KIND_COUNT), "unknown");
	ck_assert_str_eq(ev_direction_name(EV_DIR_MT), "mt");
	ck_assert_str_eq(ev_activation_name(EV_ACT_REVERIFY_OK), "reverify_ok");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("event");
	tcase_add_test(tc, test_text_ownership);
	tcase_add_test(tc, test_text_truncated_on_utf8_boundary);
	tcase_add_test(tc, test_dedup_hash);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
