/*
 * check_sms.c - SMS TPDU decoder (3GPP TS 23.040, TS 23.038) and the
 * concatenated-SMS table.
 *
 * Vectors were built by hand per TS 23.040 9.2.2 and each was checked with
 * TShark 4.0.17 wrapped in GSMTAP/CP-DATA/RP-DATA frames (gsm_sms.tp-oa,
 * gsm_sms.tp-da, gsm_sms.tp-dcs, gsm_sms.sms_text): the expected strings
 * below are what tshark printed.
 */
#include "decode/sms_tpdu.h"

#include "core/err.h"
#include "dec_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int decode(struct dec_context *ctx, struct dec_message *m, const char *hex, bool from_ms, ss_time_us t)
{
	uint8_t buf[512];
	size_t n = unhex(hex, buf, sizeof(buf));
	dec_message_init(m, 1, t);
	struct dec_view v = { buf, n };
	return dec_sms_tpdu(ctx, m, v, from_ms);
}

/* tshark: TP-DA 447700900123, DCS 0, text "hellohello" */
#define V_HELLO "01070c9144770009103200000ae8329bfd4697d9ec37"
/* tshark: TP-OA 447700900123, text "a^{}\[~]|€b" (extension table) */
#define V_EXT "040c9144770009103200005220514100000014e10d6583daa436af0d6fd3dbf836c04d590c"
/* tshark: TP-OA 8613800138000, DCS 8, text "您的验证码123456😀" (U+1F600 as a surrogate pair) */
#define V_UCS2 "040d91683108108300f00008522051410000001a60a876849a8c8bc17801003100320033003400350036d83dde00"
/* tshark: TP-OA "MyBank" (TON 5 alphanumeric), text "Your code is 1234" */
#define V_ALPHA "040bd0cdbc30ec5e0300005220514100000011d9775d0e1abfc965507a0e8ac96634"
/* 3-part 7-bit, 8-bit reference 0x42; tshark reassembles "Part one text. Part two text. Part three." */
#define V_C7_1 "440c9144770009103200005220514100000016050003420301a061391df4769741f4329eee0201"
#define V_C7_2 "440c9144770009103200005220514100000016050003420302a061391d44bfbf41f4329eee0201"
#define V_C7_3 "440c9144770009103200005220514100000012050003420303a061391d4447cbcb6517"
/* 3-part UCS2 SMS-SUBMIT, 16-bit reference 0x1234: "您好，", "这是第二部分", "结束😀" */
#define V_CU_1 "41070d91683108108300f000080d0608041234030160a8597dff0c"
#define V_CU_2 "41070d91683108108300f0000813060804123403028fd9662f7b2c4e8c90e85206"
#define V_CU_3 "41070d91683108108300f000080f060804123403037ed3675fd83dde00"
/* DCS 4 (8-bit data): tshark shows no text; we give hex */
#define V_BIT8 "040491214300045220514100000004deadbeef"
/* SMS-SUBMIT with a relative TP-VP (VPF 10): tshark "hi" */
#define V_VPREL "11070c914477000910320000a702e834"

START_TEST(test_single_parts)
{
	struct dec_context *ctx;
	struct dec_message m;
	ck_assert_int_eq(dec_context_open(&ctx), 0);

	ck_assert_int_eq(decode(ctx, &m, V_HELLO, true, 0), 0);
	ck_assert(m.has_sms);
	ck_assert_str_eq(m.tpdu_type, "SMS-SUBMIT");
	ck_assert(m.sms_destination.present);
	ck_assert_str_eq(m.sms_destination.digits, "447700900123");
	ck_assert_int_eq(m.sms_destination.ton, 1);
	ck_assert_int_eq(m.sms_destination.npi, 1);
	ck_assert_int_eq(m.sms_encoding, 0);
	ck_assert_str_eq(m.text, "hellohello");
	ck_assert_uint_eq(m.text_len, 10);
	ck_assert(m.text_complete);
	ck_assert_int_eq(m.n_anomalies, 0);

	ck_assert_int_eq(decode(ctx, &m, V_EXT, false, 0), 0);
	ck_assert_str_eq(m.tpdu_type, "SMS-DELIVER");
	ck_assert_str_eq(m.sms_originator.digits, "447700900123");
	ck_assert_str_eq(m.text, "a^{}\\[~]|\xe2\x82\xac" "b");

	ck_assert_int_eq(decode(ctx, &m, V_UCS2, false, 0), 0);
	ck_assert_int_eq(m.sms_encoding, 2);
	ck_assert_int_eq(m.dcs, 8);
	ck_assert_str_eq(m.sms_originator.digits, "8613800138000");
	ck_assert_str_eq(m.text, "您的验证码123456😀");

	ck_assert_int_eq(decode(ctx, &m, V_ALPHA, false, 0), 0);
	ck_assert(m.sms_originator.alphanumeric);
	ck_assert_int_eq(m.sms_originator.ton, 5);
	ck_assert_str_eq(m.sms_originator.digits, "MyBank");
	ck_assert_str_eq(m.text, "Your code is 1234");

	ck_assert_int_eq(decode(ctx, &m, V_BIT8, false, 0), 0);
	ck_assert_int_eq(m.sms_encoding, 1);
	ck_assert_str_eq(m.text, "deadbeef");

	ck_assert_int_eq(decode(ctx, &m, V_VPREL, true, 0), 0);
	ck_assert_str_eq(m.text, "hi");

	/* Reports: the type name only (TS 23.040 9.2.3.1). */
	ck_assert_int_eq(decode(ctx, &m, "0207", false, 0), 0);
	ck_assert_str_eq(m.tpdu_type, "STATUS-REPORT");
	ck_assert(!m.text_complete);
	ck_assert_int_eq(decode(ctx, &m, "0100", false, 0), 0);
	ck_assert_str_eq(m.tpdu_type, "SUBMIT-REPORT");
	ck_assert_int_eq(decode(ctx, &m, "00", true, 0), 0);
	ck_assert_str_eq(m.tpdu_type, "DELIVER-REPORT");
	ck_assert_int_lt(decode(ctx, &m, "03", true, 0), 0);
	ck_assert_int_eq(m.n_anomalies, 1);
	dec_context_close(ctx);
}
END_TEST

START_TEST(test_gsm7_tables)
{
	/* Every default-table septet, packed: spot-check the non-ASCII mappings (TS 23.038 6.2.1). */
	uint8_t sept[128], packed[112] = { 0 };
	char out[600];
	for (int i = 0; i < 128; i++)
		sept[i] = (uint8_t)(i == 0x1b ? 0x20 : i);
	for (int i = 0; i < 128; i++)
		for (int b = 0; b < 7; b++)
			if (sept[i] >> b & 1)
				packed[(i * 7 + b) / 8] |= (uint8_t)(1u << ((i * 7 + b) % 8));
	size_t n = dec_gsm7_unpack(packed, sizeof(packed), 0, 128, out, sizeof(out));
	ck_assert_uint_gt(n, 128);
	ck_assert(strncmp(out, "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ !\"#¤%&'()*+,-./0123456789", 80) == 0);
	ck_assert(strstr(out, "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà") != NULL);
	/* Output never ends mid-character: "€" (3 bytes) does not fit in 3 bytes incl. NUL. */
	uint8_t euro[2] = { 0x9b, 0x32 }; /* septets ESC 0x65 */
	ck_assert_uint_eq(dec_gsm7_unpack(euro, 2, 0, 2, out, 3), 0);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(dec_gsm7_unpack(euro, 2, 0, 2, out, 4), 3);
	ck_assert_str_eq(out, "€");
}
END_TEST

START_TEST(test_concat_out_of_order)
{
	struct dec_context *ctx;
	struct dec_message m;
	struct dec_sms_concat_stats st;
	ck_assert_int_eq(dec_context_open(&ctx), 0);

	ck_assert_int_eq(decode(ctx, &m, V_C7_3, false, 1), 0);
	ck_assert(m.has_concat);
	ck_assert_int_eq(m.concat_ref, 0x42);
	ck_assert_int_eq(m.concat_total, 3);
	ck_assert_int_eq(m.concat_seq, 3);
	ck_assert(!m.text_complete);
	ck_assert_str_eq(m.text, "Part three.");
	ck_assert_int_eq(decode(ctx, &m, V_C7_1, false, 2), 0);
	ck_assert(!m.text_complete);
	ck_assert_str_eq(m.text, "Part one text. ");
	ck_assert_int_eq(decode(ctx, &m, V_C7_1, false, 3), 0); /* retransmission */
	ck_assert(!m.text_complete);
	ck_assert_int_eq(decode(ctx, &m, V_C7_2, false, 4), 0);
	ck_assert(m.text_complete);
	ck_assert_str_eq(m.text, "Part one text. Part two text. Part three.");
	ck_assert_uint_eq(m.text_len, strlen(m.text));
	dec_sms_concat_stats(ctx, &st);
	ck_assert_uint_eq(st.parts, 4);
	ck_assert_uint_eq(st.completed, 1);
	ck_assert_uint_eq(st.duplicates, 1);
	ck_assert_uint_eq(st.pending, 0);

	/* UCS2, 16-bit reference, two parts now, the middle one never comes. */
	ck_assert_int_eq(decode(ctx, &m, V_CU_3, true, 10), 0);
	ck_assert_int_eq(m.concat_ref, 0x1234);
	ck_assert_str_eq(m.text, "结束😀");
	ck_assert_int_eq(decode(ctx, &m, V_CU_1, true, 11), 0);
	ck_assert(!m.text_complete);
	dec_sms_concat_stats(ctx, &st);
	ck_assert_uint_eq(st.pending, 1);
	/* Same ref/parties but another subscriber (IMSI known): a separate message. */
	uint8_t buf[64];
	size_t n = unhex(V_CU_2, buf, sizeof(buf));
	dec_message_init(&m, 1, 12);
	snprintf(m.imsi, sizeof(m.imsi), "262011234567890");
	ck_assert_int_eq(dec_sms_tpdu(ctx, &m, (struct dec_view){ buf, n }, true), 0);
	ck_assert(!m.text_complete);
	dec_sms_concat_stats(ctx, &st);
	ck_assert_uint_eq(st.pending, 2);
	/* Eleven minutes of capture time later, any part expires the old ones. */
	ck_assert_int_eq(decode(ctx, &m, V_C7_1, false, 11 * SS_US_PER_MIN + 20), 0);
	dec_sms_concat_stats(ctx, &st);
	ck_assert_uint_eq(st.expired, 2);
	ck_assert_uint_eq(st.pending, 1);
	dec_context_close(ctx);

	/* In order, all three UCS2 parts. */
	ck_assert_int_eq(dec_context_open(&ctx), 0);
	decode(ctx, &m, V_CU_1, true, 0);
	decode(ctx, &m, V_CU_2, true, 0);
	ck_assert_int_eq(decode(ctx, &m, V_CU_3, true, 0), 0);
	ck_assert(m.text_complete);
	ck_assert_str_eq(m.text, "您好，这是第二部分结束😀");
	ck_assert_str_eq(m.sms_destination.digits, "8613800138000");
	dec_context_close(ctx);
}
END_TEST

START_TEST(test_concat_table_full)
{
	struct dec_context *ctx;
	struct dec_message m;
	struct dec_sms_concat_stats st;
	uint8_t buf[64];
	size_t n = unhex(V_C7_1, buf, sizeof(buf));
	ck_assert_int_eq(dec_context_open(&ctx), 0);
	for (unsigned i = 0; i < DEC_SMS_CONCAT_MAX + 10; i++) {
		buf[22] = (uint8_t)i; /* 8-bit reference */
		buf[4] = (uint8_t)((i >> 8) % 10 | ((i >> 8) / 10) << 4); /* originator digits vary too */
		dec_message_init(&m, 1, i);
		ck_assert_int_eq(dec_sms_tpdu(ctx, &m, (struct dec_view){ buf, n }, false), 0);
	}
	dec_sms_concat_stats(ctx, &st);
	ck_assert_uint_eq(st.pending, DEC_SMS_CONCAT_MAX);
	ck_assert_uint_eq(st.evicted, 10);
	dec_context_close(ctx);
}
END_TEST

START_TEST(test_truncated_everywhere)
{
	static const char *const vec[] = { V_HELLO, V_EXT, V_UCS2, V_ALPHA, V_C7_1, V_CU_2, V_BIT8, V_VPREL };
	for (size_t k = 0; k < sizeof(vec) / sizeof(vec[0]); k++) {
		uint8_t buf[256];
		size_t n = unhex(vec[k], buf, sizeof(buf));
		bool from_ms = (buf[0] & 3) == 1;
		for (size_t cut = 0; cut < n; cut++) {
			struct dec_context *ctx;
			struct dec_message m;
			ck_assert_int_eq(dec_context_open(&ctx), 0);
			/* An exact-size heap copy: ASan catches any read past the cut. */
			uint8_t *p = malloc(cut ? cut : 1);
			memcpy(p, buf, cut);
			dec_message_init(&m, 1, 0);
			int rc = dec_sms_tpdu(ctx, &m, (struct dec_view){ p, cut }, from_ms);
			ck_assert_msg(rc < 0 && m.n_anomalies > 0, "vector %zu cut at %zu: rc %d", k, cut, rc);
			free(p);
			dec_context_close(ctx);
		}
	}
}
END_TEST

START_TEST(test_malformed)
{
	struct dec_context *ctx;
	struct dec_message m;
	ck_assert_int_eq(dec_context_open(&ctx), 0);

	/* TP-UDL 11 septets, 9 octets present: the 10 that are there, and why. */
	ck_assert_int_lt(decode(ctx, &m, "01070c9144770009103200000be8329bfd4697d9ec37", true, 0), 0);
	ck_assert_str_eq(m.text, "hellohello");
	ck_assert_ptr_nonnull(strstr(m.anomalies[0], "TP-UDL 11 needs 10 octets"));
	/* TP-UDL over 160 septets. */
	ck_assert_int_lt(decode(ctx, &m, "01070c914477000910320000a1e8329bfd4697d9ec37", true, 0), 0);
	ck_assert_ptr_nonnull(strstr(m.anomalies[0], "TP-UDL 161 > 160"));
	/* TP-UDHL 9 in a 5-octet TP-UD. */
	ck_assert_int_lt(decode(ctx, &m, "440c9144770009103200005220514100000005090003420301", false, 0), 0);
	ck_assert_ptr_nonnull(strstr(m.anomalies[0], "TP-UDHL 9 exceeds"));
	/* A UDH IE running past the UDH. */
	ck_assert_int_lt(decode(ctx, &m, "440c922144770009103200005220514100000008050007420301aa", false, 0), 0);
	/* Concatenation IE with the wrong length. */
	ck_assert_int_lt(decode(ctx, &m, "440c91447700091032000052205141000000090600044203010061", false, 0), 0);
	ck_assert_ptr_nonnull(strstr(m.anomalies[0], "concatenation IE 0x00 length 4"));
	/* Part 4 of 3: ignored as a concatenation, decoded alone. */
	ck_assert_int_lt(decode(ctx, &m, "440c9144770009103200005220514100000016050003420304a061391df4769741f4329eee0201",
				false, 0), 0);
	ck_assert(!m.has_concat);
	ck_assert(m.text_complete);
	/* Address of 25 semi-octets; address longer than the PDU. */
	ck_assert_int_lt(decode(ctx, &m, "04199144770009103200005220514100000000", false, 0), 0);
	ck_assert_ptr_nonnull(strstr(m.anomalies[0], "TP-OA length 25 semi-octets > 20"));
	ck_assert_int_lt(decode(ctx, &m, "0414914477", false, 0), 0);
	ck_assert_ptr_nonnull(strstr(m.anomalies[0], "TP-OA needs 10 octets, 2 left"));
	/* A filler inside the digits. */
	ck_assert_int_lt(decode(ctx, &m, "040691f4770000522051410000000100", false, 0), 0);
	/* Unpaired surrogates -> U+FFFD. */
	ck_assert_int_lt(decode(ctx, &m, "0404912143000852205141000000060041d83d0042", false, 0), 0);
	ck_assert_str_eq(m.text, "A\xef\xbf\xbd" "B");
	ck_assert_ptr_nonnull(strstr(m.anomalies[0], "unpaired"));
	ck_assert_int_lt(decode(ctx, &m, "040491214300085220514100000004dc000041", false, 0), 0);
	/* Odd UCS2 length. */
	ck_assert_int_lt(decode(ctx, &m, "040491214300085220514100000003004100", false, 0), 0);
	ck_assert_str_eq(m.text, "A");
	/* Compressed (TP-DCS 0x20). */
	ck_assert_int_lt(decode(ctx, &m, "040491214300205220514100000001aa", false, 0), 0);
	ck_assert_ptr_nonnull(strstr(m.anomalies[0], "compressed"));
	dec_context_close(ctx);
}
END_TEST

static Suite *sms_suite(void)
{
	Suite *s = suite_create("sms_tpdu");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_single_parts);
	tcase_add_test(tc, test_gsm7_tables);
	tcase_add_test(tc, test_concat_out_of_order);
	tcase_add_test(tc, test_concat_table_full);
	tcase_add_test(tc, test_truncated_everywhere);
	tcase_add_test(tc, test_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sms_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
