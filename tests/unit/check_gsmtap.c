/*
 * check_gsmtap.c - GSMTAP / LAPDm / 04.08 / 04.11 decoder.
 *
 * Real frames come from ../shared/corpus/pcap/qcsuper_sample_2g_3g_4g_xperia_
 * with_sib_and_nas.pcap (GSMTAP type 2, a layer-3 message without LAPDm);
 * the Um (type 1) frames with LAPDm were built by hand per TS 44.006 and
 * checked with TShark 4.0.17 (frame.protocols, _ws.col.Info, e212.imsi,
 * gsm_a.imei, gsm_a.dtap.cld_party_bcd_num, gsm_sms.sms_text): what it
 * printed is quoted next to each vector.
 */
#include "decode/decode.h"
#include "dec_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXMSG 8
struct got {
	int n;
	struct dec_message m[MAXMSG];
};

static void on_msg(void *arg, const struct dec_message *m)
{
	struct got *g = arg;
	g->m[g->n % MAXMSG] = *m; /* a ring: the last MAXMSG messages */
	g->n++;
}

static int feed_raw(struct dec_context *ctx, const uint8_t *p, size_t n, struct got *g, uint64_t frame)
{
	struct dec_payload pl = { .transport = DEC_T_UDP, .src_port = 33000, .dst_port = 4729,
				  .data = { p, n }, .frame = frame, .time = (ss_time_us)frame * 1000, .stack = "ip:udp" };
	return dec_dispatch(ctx, &pl, on_msg, g);
}

/* Decode one hex frame; the message it gave is g->m[g->n - 1]. */
static const struct dec_message *feed(struct dec_context *ctx, const char *hex, struct got *g)
{
	uint8_t buf[512];
	size_t n = unhex(hex, buf, sizeof(buf));
	int before = g->n;
	ck_assert_int_eq(feed_raw(ctx, buf, n, g, (uint64_t)before + 1), 1);
	ck_assert_int_eq(g->n, before + 1);
	return &g->m[(g->n - 1) % MAXMSG];
}

/* qcsuper frame 989: "(DTAP) (MM) Location Updating Request", LAC 0x2f46, TMSI, stack ip:udp:gsmtap:gsm_a.dtap */
#define QC_989 "0204020040000000000000000600000005081002f8012f465305f40843e8bc"
/* qcsuper frame 1201: "(DTAP) (MM) CM Service Request" (TMSI) */
#define QC_1201 "02040200400000000000000006000000052414035359a605f408467eec"
/* qcsuper frame 1215: CP-DATA / RP-DATA (MS to Network); RP-DA 33609001390, TP-DA 0768987654, text "Sms 2g",
 * stack ip:udp:gsmtap:gsm_a.dtap:gsm_a.rp:gsm_sms */
#define QC_1215 "0204020040000000000000000600000039011e00040007913306091093f01201070a817086896745000006d3f61c243b03"
/* qcsuper frame 1225: "(DTAP) (SMS) CP-DATA (RP) RP-ACK (Network to MS)", stack ...:gsm_a.dtap:gsm_a.rp */
#define QC_1225 "02040200000000000000000006000000b9010403044100"
/* qcsuper frame 1337: "(DTAP) (CC) Setup", called party 0768987654 */
#define QC_1337 "02040200400000000000000006000000038504066004020005815e068170868967451502010040080402600400021f00"
/* qcsuper frame 1007: GSMTAP Um PACCH, "GPRS UL CTRL: PACKET_RESOURCE_REQUEST" (RLC/MAC: not decoded) */
#define QC_1007 "0204010040000000000000000b0000004015bead92158498cacdc5659091e400000400ea8c008905"

/* Hand-built Um, SDCCH/8 uplink.  tshark: "U P, func=SABM(DTAP) (MM) Location Updating Request",
 * e212.imsi 262011234567890, stack gsmtap:lapdm:gsm_a.dtap */
#define UM_LU "02040101401100000000000008000000013f4905087062f2205678330829261021436587092b2b"
/* "I, N(R)=0, N(S)=0(DTAP) (MM) Identity Response", gsm_a.imei 352099001761481 */
#define UM_IDR "0204010140110000000000000800000001002d0559083a259009106741182b2b2b2b2b2b2b2b2b"
/* "U P, func=SABM(DTAP) (MM) CM Service Request", IMSI 262011234567890 */
#define UM_CMS "02040101401100000000000008000000013f41052401035719a20829261021436587092b2b2b2b"
/* "U P, func=SABM(DTAP) (RR) Paging Response", IMSI 262011234567890 */
#define UM_PAG "02040101401100000000000008000000013f41062707035719a20829261021436587092b2b2b2b"
/* Setup split over two I frames on TCH/F: "(Fragment)", then "(DTAP) (CC) Setup" called 0768987654 */
#define UM_SET1 "02040102401100000000000009000000010253038504066004020005815e068170868967451502"
#define UM_SET2 "02040102401100000000000009000000010431010040080402600400021f002b2b2b2b2b2b2b2b"
/* CP-DATA over SAPI 3 in three I frames: "(Fragment)" x2, then "CP-DATA (RP) RP-DATA (MS to Network)",
 * RP-DA 33609001390, text "hellohello hellohello", stack gsmtap:lapdm:gsm_a.dtap:gsm_a.rp:gsm_sms */
#define UM_SMS1 "020401014011000000000000080000000d005309012c00040007913306091093f02001070c914477"
#define UM_SMS2 "020401014011000000000000080000000d02537700091032000015e8329bfd4697d9ec37085d6697"
#define UM_SMS3 "020401014011000000000000080000000d041db3dfe8329bfd062b2b2b2b2b2b2b2b2b2b2b2b2b"
/* SACCH (0x88), L1 header + UI: "U, func=UI(DTAP) (RR) Measurement Report" */
#define UM_SACCH "02040101401100000000000088000000050101031906153e3e01002b2b2b2b2b2b2b2b2b2b2b2b"
/* PCH downlink: "(CCCH) (RR) Paging Request Type 1", stack gsmtap:gsm_a.ccch */
#define UM_PCH "020401000000000000000000050000002d06210008f40843e8bc2b2b2b2b2b2b2b2b2b2b2b2b2b2b"

START_TEST(test_qcsuper_frames)
{
	struct dec_context *ctx;
	struct got g = { 0 };
	const struct dec_message *m;
	ck_assert_int_eq(dec_context_open(&ctx), 0);

	m = feed(ctx, QC_989, &g);
	ck_assert_str_eq(m->stack, "ip:udp:gsmtap:gsm_a.dtap");
	ck_assert_str_eq(m->protocol, "gsmtap");
	ck_assert_str_eq(m->operation, "Location Updating Request");
	ck_assert_str_eq(m->visited_plmn, "20810");
	ck_assert_str_eq(m->imsi, "");
	ck_assert_int_eq(m->n_anomalies, 0);

	m = feed(ctx, QC_1201, &g);
	ck_assert_str_eq(m->operation, "CM Service Request");
	ck_assert_int_eq(m->n_anomalies, 0);

	m = feed(ctx, QC_1215, &g);
	ck_assert_str_eq(m->stack, "ip:udp:gsmtap:gsm_a.dtap:gsm_a.rp:gsm_sms");
	ck_assert_str_eq(m->operation, "CP-DATA");
	ck_assert_str_eq(m->smsc.digits, "33609001390");
	ck_assert_str_eq(m->tpdu_type, "SMS-SUBMIT");
	ck_assert_str_eq(m->sms_destination.digits, "0768987654");
	ck_assert_int_eq(m->dcs, 0);
	ck_assert_str_eq(m->text, "Sms 2g");
	ck_assert(m->text_complete);
	ck_assert_int_eq(m->n_anomalies, 0);

	m = feed(ctx, QC_1225, &g);
	ck_assert_str_eq(m->stack, "ip:udp:gsmtap:gsm_a.dtap:gsm_a.rp");
	ck_assert_str_eq(m->operation, "CP-DATA");
	ck_assert(!m->has_sms);

	m = feed(ctx, QC_1337, &g);
	ck_assert_str_eq(m->operation, "Setup");
	ck_assert(m->called_number.present);
	ck_assert_str_eq(m->called_number.digits, "0768987654");
	ck_assert_int_eq(m->n_anomalies, 0);

	m = feed(ctx, QC_1007, &g);
	ck_assert_str_eq(m->stack, "ip:udp:gsmtap");
	ck_assert_str_eq(m->operation, "");
	dec_context_close(ctx);
}
END_TEST

START_TEST(test_um_lapdm)
{
	struct dec_context *ctx;
	struct got g = { 0 };
	const struct dec_message *m;
	ck_assert_int_eq(dec_context_open(&ctx), 0);

	m = feed(ctx, UM_LU, &g);
	ck_assert_str_eq(m->stack, "ip:udp:gsmtap:lapdm:gsm_a.dtap");
	ck_assert_str_eq(m->operation, "Location Updating Request");
	ck_assert_str_eq(m->imsi, "262011234567890");
	ck_assert_str_eq(m->visited_plmn, "26202");
	ck_assert_int_eq(m->n_anomalies, 0);

	m = feed(ctx, UM_IDR, &g);
	ck_assert_str_eq(m->operation, "Identity Response");
	ck_assert_str_eq(m->imei, "352099001761481");

	m = feed(ctx, UM_CMS, &g);
	ck_assert_str_eq(m->operation, "CM Service Request");
	ck_assert_str_eq(m->imsi, "262011234567890");

	m = feed(ctx, UM_PAG, &g);
	ck_assert_str_eq(m->operation, "Paging Response");
	ck_assert_str_eq(m->imsi, "262011234567890");

	m = feed(ctx, UM_SET1, &g);
	ck_assert_str_eq(m->stack, "ip:udp:gsmtap:lapdm");
	ck_assert_str_eq(m->operation, "");
	m = feed(ctx, UM_SET2, &g);
	ck_assert_str_eq(m->operation, "Setup");
	ck_assert_str_eq(m->called_number.digits, "0768987654");

	m = feed(ctx, UM_SMS1, &g);
	ck_assert_str_eq(m->operation, "");
	m = feed(ctx, UM_SMS2, &g);
	m = feed(ctx, UM_SMS2, &g); /* retransmitted segment: ignored */
	m = feed(ctx, UM_SMS3, &g);
	ck_assert_msg(strcmp(m->stack, "ip:udp:gsmtap:lapdm:gsm_a.dtap:gsm_a.rp:gsm_sms") == 0, "%s %s %d %s", m->stack, m->operation, m->n_anomalies, m->anomalies[0]);
	ck_assert_str_eq(m->operation, "CP-DATA");
	ck_assert_str_eq(m->smsc.digits, "33609001390");
	ck_assert_str_eq(m->sms_destination.digits, "447700900123");
	ck_assert_str_eq(m->text, "hellohello hellohello");
	ck_assert_int_eq(m->n_anomalies, 0);

	m = feed(ctx, UM_SACCH, &g);
	ck_assert_str_eq(m->operation, "Measurement Report");
	m = feed(ctx, UM_PCH, &g);
	ck_assert_str_eq(m->stack, "ip:udp:gsmtap:gsm_a.ccch");
	ck_assert_str_eq(m->operation, "Paging Request Type 1");
	dec_context_close(ctx);
}
END_TEST

START_TEST(test_malformed)
{
	struct dec_context *ctx;
	struct got g = { 0 };
	const struct dec_message *m;
	ck_assert_int_eq(dec_context_open(&ctx), 0);

	m = feed(ctx, "0204", &g);
	ck_assert_int_eq(m->n_anomalies, 1);
	m = feed(ctx, "03040100000000000000000000000000", &g);
	ck_assert_ptr_nonnull(strstr(m->anomalies[0], "version 3"));
	m = feed(ctx, "02090100000000000000000000000000", &g);
	ck_assert_int_eq(m->n_anomalies, 1);
	/* LAPDm length 20 in a 5-octet frame. */
	m = feed(ctx, "020401014011000000000000080000000100530901", &g);
	ck_assert_ptr_nonnull(strstr(m->anomalies[0], "LAPDm length 20"));
	/* Every real and hand-built frame cut at every octet: one message each, never a crash. */
	static const char *const vec[] = { QC_989, QC_1201, QC_1215, QC_1337, UM_LU, UM_IDR, UM_CMS, UM_PAG,
					   UM_SET2, UM_SMS3, UM_SACCH, UM_PCH };
	for (size_t k = 0; k < sizeof(vec) / sizeof(vec[0]); k++) {
		uint8_t buf[256];
		size_t n = unhex(vec[k], buf, sizeof(buf));
		for (size_t cut = 0; cut < n; cut++) {
			uint8_t *p = malloc(cut ? cut : 1);
			memcpy(p, buf, cut);
			ck_assert_int_eq(feed_raw(ctx, p, cut, &g, 1), 1);
			free(p);
		}
	}
	dec_context_close(ctx);
}
END_TEST

static Suite *gsmtap_suite(void)
{
	Suite *s = suite_create("gsmtap");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_qcsuper_frames);
	tcase_add_test(tc, test_um_lapdm);
	tcase_add_test(tc, test_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(gsmtap_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
