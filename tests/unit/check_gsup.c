/*
 * check_gsup.c - IPA framing and the GSUP decoder.  The corpus has no GSUP
 * capture yet, so the vectors are built by hand from libosmocore's gsup.h
 * tags; each was written into a pcap (Ethernet/IPv4/TCP to port 4222) and
 * dissected with tshark 4.0.17 (`tshark -d tcp.port==4222,gsm_ipa -T fields
 * -e gsup.msg_type -e e212.imsi -e e164.msisdn -e gsm_sms.tp-da ...`); the
 * comments give what tshark decoded.  Malformed variants, frames split at
 * every octet and several frames in one segment follow.
 */
#include "decode/context.h"
#include "decode/stream.h"
#include "dec_test.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* UpdateLocation Request: IMSI 901700000000001, CN Domain CS. tshark: gsup.msg_type 4, e212.imsi 901700000000001 */
static const uint8_t v_ulr[18] = {
	0x00, 0x0f, 0xee, 0x05, 0x04, 0x01, 0x08, 0x09, 0x71, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x28,
	0x01, 0x01,
};
/* SendAuthInfo Request: IMSI, Number of Vectors Requested 3. tshark: msg_type 8, IEs 1,82 */
static const uint8_t v_sai[18] = {
	0x00, 0x0f, 0xee, 0x05, 0x08, 0x01, 0x08, 0x09, 0x71, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x52,
	0x01, 0x03,
};
/* InsertSubscriberData Request: IMSI, MSISDN 0x91 + TBCD 447700900456. tshark: msg_type 16, e164.msisdn 447700900456 */
static const uint8_t v_isd[27] = {
	0x00, 0x18, 0xee, 0x05, 0x10, 0x01, 0x08, 0x09, 0x71, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x08,
	0x07, 0x91, 0x44, 0x77, 0x00, 0x09, 0x40, 0x65, 0x28, 0x01, 0x01,
};
/* UpdateLocation Error: IMSI, Cause 0x02 (IMSI unknown in HLR). tshark: msg_type 5, gsup.cause 0x02 */
static const uint8_t v_ule[18] = {
	0x00, 0x0f, 0xee, 0x05, 0x05, 0x01, 0x08, 0x09, 0x71, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x02,
	0x01, 0x02,
};
/* MO-forwardSM Request: IMSI, SM-RP-MR 5, SM-RP-DA SMSC 447700900000, SM-RP-OA MSISDN 447700900456, SM-RP-UI SMS-SUBMIT to 447700900123 "hello". tshark: msg_type 36, tp-da 447700900123, sms_text hello */
static const uint8_t v_mo[58] = {
	0x00, 0x37, 0xee, 0x05, 0x24, 0x01, 0x08, 0x09, 0x71, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x40,
	0x01, 0x05, 0x41, 0x08, 0x03, 0x91, 0x44, 0x77, 0x00, 0x09, 0x00, 0x00, 0x42, 0x08, 0x02, 0x91,
	0x44, 0x77, 0x00, 0x09, 0x40, 0x65, 0x43, 0x12, 0x01, 0x00, 0x0c, 0x91, 0x44, 0x77, 0x00, 0x09,
	0x10, 0x32, 0x00, 0x00, 0x05, 0xe8, 0x32, 0x9b, 0xfd, 0x06,
};
/* MT-forwardSM Request: IMSI, SM-RP-DA IMSI, SM-RP-OA SMSC 447700900000, SM-RP-UI SMS-DELIVER from 447700900456 "hello". tshark: msg_type 40, tp-oa 447700900456, sms_text hello */
static const uint8_t v_mt[65] = {
	0x00, 0x3e, 0xee, 0x05, 0x28, 0x01, 0x08, 0x09, 0x71, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x40,
	0x01, 0x06, 0x41, 0x09, 0x01, 0x09, 0x71, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf1, 0x42, 0x08, 0x03,
	0x91, 0x44, 0x77, 0x00, 0x09, 0x00, 0x00, 0x43, 0x18, 0x04, 0x0c, 0x91, 0x44, 0x77, 0x00, 0x09,
	0x40, 0x65, 0x00, 0x00, 0x52, 0x20, 0x40, 0x11, 0x00, 0x00, 0x40, 0x05, 0xe8, 0x32, 0x9b, 0xfd,
	0x06,
};
/* IPA CCM PING (proto 0xFE, type 0x00). tshark: gsm_ipa, PING? */
static const uint8_t v_ping[4] = {
	0x00, 0x01, 0xfe, 0x00,
};

#define MAX_MSGS 16
struct collect {
	int n;
	struct dec_message m[MAX_MSGS];
};

static void collect_emit(void *arg, const struct dec_message *m)
{
	struct collect *c = arg;
	if (c->n < MAX_MSGS)
		c->m[c->n] = *m;
	c->n++;
}

static int feed(struct dec_context *ctx, uint32_t stream, const uint8_t *p, size_t len, struct collect *c)
{
	struct dec_payload pl;
	memset(&pl, 0, sizeof(pl));
	pl.transport = DEC_T_TCP;
	pl.src_port = 40000;
	pl.dst_port = 4222;
	pl.stream = stream;
	pl.data.p = p;
	pl.data.len = len;
	pl.stack = "eth:ethertype:ip:tcp";
	return dec_dispatch(ctx, &pl, collect_emit, c);
}

/* One frame in its own stream (a fresh stream id each call), exact-size copy. */
static const struct dec_message *one(struct dec_context *ctx, const uint8_t *p, size_t n, struct collect *c)
{
	static uint32_t stream = 1000;
	memset(c, 0, sizeof(*c));
	uint8_t *q = dup_bytes(p, n);
	ck_assert_int_eq(feed(ctx, stream++, q, n, c), 1);
	free(q);
	return &c->m[0];
}

START_TEST(test_vectors)
{
	struct dec_context *ctx = NULL;
	static struct collect c;
	ck_assert_int_eq(dec_context_open(&ctx), 0);
	const struct dec_message *m = one(ctx, v_ulr, sizeof(v_ulr), &c);
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->stack, "eth:ethertype:ip:tcp:gsm_ipa:gsup"); /* tshark frame.protocols */
	ck_assert_str_eq(m->protocol, "gsup");
	ck_assert_str_eq(m->operation, "UpdateLocation Request");
	ck_assert_str_eq(m->imsi, "901700000000001");
	/*
	 * No location event yet: message.c's is_location_update() knows
	 * "UpdateLocation", while GSUP operations carry Wireshark's names
	 * ("UpdateLocation Request").  Reported to the owner of message.c.
	 */

	m = one(ctx, v_sai, sizeof(v_sai), &c);
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->operation, "SendAuthInfo Request");

	m = one(ctx, v_isd, sizeof(v_isd), &c);
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->operation, "InsertSubscriberData Request");
	ck_assert(m->msisdn.present);
	ck_assert_str_eq(m->msisdn.digits, "447700900456");
	ck_assert_int_eq(m->msisdn.ton, 1);
	ck_assert_int_eq(m->msisdn.npi, 1);

	m = one(ctx, v_ule, sizeof(v_ule), &c);
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->operation, "UpdateLocation Error");
	ck_assert_int_eq(m->error_code, 2);

	m = one(ctx, v_ping, sizeof(v_ping), &c);
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->stack, "eth:ethertype:ip:tcp:gsm_ipa");
	ck_assert_str_eq(m->protocol, "ipa");
	ck_assert_str_eq(m->operation, "PING?");
	dec_context_close(ctx);
}
END_TEST

START_TEST(test_sms)
{
	struct dec_context *ctx = NULL;
	static struct collect c;
	ck_assert_int_eq(dec_context_open(&ctx), 0);
	ck_assert_ptr_nonnull((void *)dec_sms_tpdu); /* links sms_tpdu.c into this test */
	const struct dec_message *m = one(ctx, v_mo, sizeof(v_mo), &c);
	ck_assert_str_eq(m->operation, "MO-forwardSM Request");
	ck_assert_str_eq(m->imsi, "901700000000001");
	ck_assert_str_eq(m->smsc.digits, "447700900000");  /* SM-RP-DA: SMSC address */
	ck_assert_str_eq(m->msisdn.digits, "447700900456"); /* SM-RP-OA: MSISDN */
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert(m->has_sms);
	ck_assert_str_eq(m->tpdu_type, "SMS-SUBMIT");
	ck_assert_str_eq(m->sms_destination.digits, "447700900123"); /* tshark gsm_sms.tp-da */
	ck_assert_str_eq(m->text, "hello");
	struct event ev;
	ck_assert_int_eq(dec_message_event(m, &ev), 1);
	ck_assert_int_eq(ev.kind, EV_SMS);
	ck_assert_int_eq(ev.direction, EV_DIR_MO);
	ev_clear(&ev);

	m = one(ctx, v_mt, sizeof(v_mt), &c);
	ck_assert_str_eq(m->operation, "MT-forwardSM Request");
	ck_assert_str_eq(m->imsi, "901700000000001");
	ck_assert_str_eq(m->smsc.digits, "447700900000");
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->tpdu_type, "SMS-DELIVER");
	ck_assert_str_eq(m->sms_originator.digits, "447700900456"); /* tshark gsm_sms.tp-oa */
	ck_assert_str_eq(m->text, "hello");
	dec_context_close(ctx);
}
END_TEST

/* All vectors in one stream, cut in two at every octet, then one octet per segment. */
START_TEST(test_stream_split)
{
	const struct { const uint8_t *p; size_t n; } v[] = {
		{ v_ulr, sizeof(v_ulr) }, { v_isd, sizeof(v_isd) }, { v_ping, sizeof(v_ping) },
		{ v_ule, sizeof(v_ule) }, { v_sai, sizeof(v_sai) },
	};
	uint8_t all[1024];
	size_t total = 0;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memcpy(all + total, v[i].p, v[i].n);
		total += v[i].n;
	}
	static struct collect c;
	for (size_t cut = 0; cut <= total; cut++) {
		struct dec_context *ctx = NULL;
		ck_assert_int_eq(dec_context_open(&ctx), 0);
		memset(&c, 0, sizeof(c));
		uint8_t *p1 = dup_bytes(all, cut), *p2 = dup_bytes(all + cut, total - cut);
		feed(ctx, 1, p1, cut, &c);
		feed(ctx, 1, p2, total - cut, &c);
		free(p1);
		free(p2);
		ck_assert_int_eq(c.n, 5);
		ck_assert_str_eq(c.m[0].operation, "UpdateLocation Request");
		ck_assert_str_eq(c.m[1].msisdn.digits, "447700900456");
		ck_assert_str_eq(c.m[2].operation, "PING?");
		ck_assert_int_eq(c.m[3].error_code, 2);
		ck_assert_str_eq(c.m[4].operation, "SendAuthInfo Request");
		for (int i = 0; i < 5; i++)
			ck_assert_int_eq(c.m[i].n_anomalies, 0);
		ck_assert_uint_eq(dec_stream_stats(ctx).active, 0);
		dec_context_close(ctx);
	}
	struct dec_context *ctx = NULL;
	ck_assert_int_eq(dec_context_open(&ctx), 0);
	memset(&c, 0, sizeof(c));
	for (size_t i = 0; i < total; i++) {
		uint8_t *p = dup_bytes(all + i, 1);
		feed(ctx, 2, p, 1, &c);
		free(p);
	}
	ck_assert_int_eq(c.n, 5);
	ck_assert_str_eq(c.m[4].imsi, "901700000000001");
	/* Two directions interleaved keep separate state. */
	memset(&c, 0, sizeof(c));
	feed(ctx, 3, v_ulr, 5, &c);
	feed(ctx, 4, v_isd, 7, &c);
	feed(ctx, 3, v_ulr + 5, sizeof(v_ulr) - 5, &c);
	feed(ctx, 4, v_isd + 7, sizeof(v_isd) - 7, &c);
	ck_assert_int_eq(c.n, 2);
	ck_assert_str_eq(c.m[0].operation, "UpdateLocation Request");
	ck_assert_str_eq(c.m[1].operation, "InsertSubscriberData Request");
	dec_context_close(ctx);
}
END_TEST

START_TEST(test_malformed)
{
	struct dec_context *ctx = NULL;
	static struct collect c;
	ck_assert_int_eq(dec_context_open(&ctx), 0);
	uint8_t buf[256];
	const struct dec_message *m;

	/* Every truncation of the GSUP payload, with the IPA length fixed up to match. */
	for (size_t n = 4; n < sizeof(v_mo); n++) {
		memcpy(buf, v_mo, n);
		buf[0] = (uint8_t)((n - 3) >> 8);
		buf[1] = (uint8_t)(n - 3);
		m = one(ctx, buf, n, &c);
		ck_assert_str_eq(m->protocol, "gsup");
		ck_assert_int_ge(m->n_anomalies, 1);
	}
	/* IE length beyond the message. */
	memcpy(buf, v_ulr, sizeof(v_ulr));
	buf[6] = 0x40;
	m = one(ctx, buf, sizeof(v_ulr), &c);
	ck_assert(has_anomaly(m, "IE 0x01 length 64 exceeds"));
	ck_assert(has_anomaly(m, "mandatory IMSI"));
	/* Zero-length IMSI, filler in the middle of the IMSI, unknown message type. */
	static const uint8_t z[] = { 0x00, 0x06, 0xee, 0x05, 0x04, 0x01, 0x00, 0x28, 0x00 };
	m = one(ctx, z, sizeof(z), &c);
	ck_assert(has_anomaly(m, "IMSI IE is empty"));
	static const uint8_t f[] = { 0x00, 0x06, 0xee, 0x05, 0x04, 0x01, 0x02, 0xf9, 0x10 };
	m = one(ctx, f, sizeof(f), &c);
	ck_assert(has_anomaly(m, "bad BCD"));
	static const uint8_t u[] = { 0x00, 0x05, 0xee, 0x05, 0x7f, 0x01, 0x01, 0x21 };
	m = one(ctx, u, sizeof(u), &c);
	ck_assert(has_anomaly(m, "unknown GSUP message type 0x7f"));
	ck_assert_str_eq(m->imsi, "12");
	/* Empty GSUP, OSMO frame without extension, CCM without type, unknown IPA protocol. */
	static const uint8_t e1[] = { 0x00, 0x01, 0xee, 0x05 };
	m = one(ctx, e1, sizeof(e1), &c);
	ck_assert(has_anomaly(m, "empty GSUP message"));
	static const uint8_t e2[] = { 0x00, 0x00, 0xee };
	m = one(ctx, e2, sizeof(e2), &c);
	ck_assert(has_anomaly(m, "without its extension octet"));
	static const uint8_t e3[] = { 0x00, 0x00, 0xfe };
	m = one(ctx, e3, sizeof(e3), &c);
	ck_assert(has_anomaly(m, "without a message type"));
	static const uint8_t e4[] = { 0x00, 0x01, 0x42, 0x00 };
	m = one(ctx, e4, sizeof(e4), &c);
	ck_assert(has_anomaly(m, "unknown IPA protocol 0x42"));
	/* A tag with no length octet, a Cause of 2 octets, an SM-RP-DA of unknown type. */
	static const uint8_t t1[] = { 0x00, 0x06, 0xee, 0x05, 0x04, 0x01, 0x01, 0x21, 0x02 };
	m = one(ctx, t1, sizeof(t1), &c);
	ck_assert(has_anomaly(m, "truncated in its tag/length"));
	static const uint8_t t2[] = { 0x00, 0x09, 0xee, 0x05, 0x05, 0x01, 0x01, 0x21, 0x02, 0x02, 0x00, 0x02 };
	m = one(ctx, t2, sizeof(t2), &c);
	ck_assert(has_anomaly(m, "Cause IE length 2"));
	static const uint8_t t3[] = { 0x00, 0x09, 0xee, 0x05, 0x24, 0x01, 0x01, 0x21, 0x41, 0x02, 0x09, 0x00 };
	m = one(ctx, t3, sizeof(t3), &c);
	ck_assert(has_anomaly(m, "unknown identity type 0x09"));
	/* Maximum-length IPA frame (65535 octets after the header): decoded once complete. */
	size_t big = 3 + 65535;
	uint8_t *p = calloc(1, big);
	p[0] = 0xff; p[1] = 0xff; p[2] = 0xee; p[3] = 0x05; p[4] = 0x04;
	p[5] = 0x01; p[6] = 0x01; p[7] = 0x21;
	for (size_t i = 8; i + 2 <= big; i += 2)
		p[i] = 0x7e, p[i + 1] = 0x00; /* empty unknown IEs to the end */
	memset(&c, 0, sizeof(c));
	for (size_t off = 0; off < big; off += 1460)
		feed(ctx, 77, p + off, big - off < 1460 ? big - off : 1460, &c);
	ck_assert_int_eq(c.n, 1);
	ck_assert_str_eq(c.m[0].imsi, "12");
	ck_assert_int_eq(c.m[0].n_anomalies, 0);
	free(p);
	dec_context_close(ctx);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gsup");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_vectors);
	tcase_add_test(tc, test_sms);
	tcase_add_test(tc, test_stream_split);
	tcase_add_test(tc, test_malformed);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
