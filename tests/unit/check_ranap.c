/*
 * check_ranap.c - SCCP connection-oriented messages (Q.713 CR/CC/DT1) and
 * what they carry: RANAP (TS 25.413, ranap.c) and BSSAP (TS 48.006/48.008,
 * bssap.c) with their NAS layer 3 (dec_gsm48_l3).  Real PDUs from the
 * public corpus, checked against what tshark 4.0 shows, plus hand-built
 * BSSAP messages, truncations at every octet and malformed PER lengths.
 */
#include "decode/context.h"
#define DEC_TEST_MAX_OUT 8
#include "dec_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static struct dec_context *ctx;
static struct sink out;

static void setup(void)
{
	ck_assert_int_eq(dec_context_open(&ctx), 0);
	memset(&out, 0, sizeof(out));
}

static void teardown(void)
{
	dec_context_close(ctx);
	ctx = NULL;
}

/* One M3UA payload (SCTP PPID 3). */
static int feed_m3ua(const uint8_t *p, size_t len)
{
	struct dec_payload pl = { 0 };
	pl.transport = DEC_T_SCTP;
	pl.ppid = 3;
	pl.dst_port = 2905;
	pl.data.p = p;
	pl.data.len = len;
	pl.frame = 1;
	pl.stack = "eth:ethertype:ip:sctp";
	return dec_dispatch(ctx, &pl, collect, &out);
}

static int feed_hex(const char *hex)
{
	static uint8_t b[1024];
	memset(&out, 0, sizeof(out));
	return feed_m3ua(b, unhex(hex, b, sizeof(b)));
}

/*
 * wswiki_3gpp_mc.cap (M3UA DATA chunks).  tshark:
 *   frame 3  SCCP CR slr 0xda6101, called SSN 142; RANAP InitialUE-Message
 *            (19), NAS (MM) CM Service Request, IMSI 460098004807827
 *   frame 4  three chunks: SCCP CC (slr 0x01536c, dlr 0xda6101); DT1 RANAP
 *            CommonID (15), IMSI 460098004807827 (PermanentNAS-UE-ID); DT1
 *            RANAP DirectTransfer (20), (MM) CM Service Accept
 *   frame 5  DT1 dlr 0x01536c, DirectTransfer, (CC) Setup, called 13408007927
 */
static const char mc3[] =
	"0100010100000084020000080000000a00060008000000580210006c00001f4700001f4103000001010161da0202060443411f8e"
	"0f47001340430000060003400100000f40060064f0901807003a40080064f09018070001001040111005247103000000084906"
	"900840088772004f4003015df40056400564f090070f040443471f8e00";
static const char mc4_cc[] =
	"0100010100000034020000080000000a00060008000000b10210001900001f4100001f470300000c020161da6c53010200000000";
static const char mc4_commonid[] = "0100010100000044020000080000000a00060008000000b10210002b00001f4100001f47"
				   "0300000c060161da000114000f4010000001001740095064008900847028f700";
static const char mc4_dt[] = "0100010100000044020000080000000a00060008000000b10210002a00001f4100001f4703"
			     "00000c060161da0001130014400f00000200104003020521003b4001000000";
static const char mc5[] = "0100010100000050020000080000000a00060008000000580210003700001f4700001f4103000001066c"
			  "53010001200014401c000001001040151403450401a05e07813104087029f740040402600000";
/*
 * wswiki_Mobile-Terminating-Call_AMR.pcap frame 5: CR to SSN 32 (a local
 * SSN: the RANAP is found by content); tshark: InitialUE-Message, (RR)
 * Paging Response, IMSI 123456780020000.
 */
static const char mt5[] =
	"01000101000000780210006e0000100000002000030100000102072002020705c38e0020000405c38e0010000f4700134043"
	"0000060003400100000f40060062f1104001003a40080062f11040018195001040111006270003401000081932547608200000"
	"004f40032007020056400562f1100001000000";

START_TEST(test_initial_ue)
{
	ck_assert_int_eq(feed_hex(mc3), 1);
	const struct dec_message *m = &out.m[0];
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->stack, "eth:ethertype:ip:sctp:m3ua:sccp:ranap:gsm_a.dtap");
	ck_assert_str_eq(m->protocol, "ranap");
	ck_assert_str_eq(m->sccp_type, "CR");
	ck_assert_uint_eq(m->called.ssn, 142);
	ck_assert_uint_eq(m->opc, 8007);
	ck_assert_uint_eq(m->dpc, 8001);
	ck_assert_str_eq(m->operation, "CM Service Request");
	ck_assert_str_eq(m->imsi, "460098004807827");
}
END_TEST

START_TEST(test_connection)
{
	ck_assert_int_eq(feed_hex(mc3), 1);
	ck_assert_int_eq(feed_hex(mc4_cc), 1);
	ck_assert_str_eq(out.m[0].sccp_type, "CC");
	ck_assert_str_eq(out.m[0].stack, "eth:ethertype:ip:sctp:m3ua:sccp");
	ck_assert_int_eq(out.m[0].n_anomalies, 0);

	ck_assert_int_eq(feed_hex(mc4_commonid), 1);
	ck_assert_int_eq(out.m[0].n_anomalies, 0);
	ck_assert_str_eq(out.m[0].stack, "eth:ethertype:ip:sctp:m3ua:sccp:ranap");
	ck_assert_str_eq(out.m[0].operation, "CommonID");
	ck_assert_str_eq(out.m[0].imsi, "460098004807827");

	ck_assert_int_eq(feed_hex(mc4_dt), 1);
	ck_assert_int_eq(out.m[0].n_anomalies, 0);
	ck_assert_str_eq(out.m[0].sccp_type, "DT1");
	ck_assert_str_eq(out.m[0].operation, "CM Service Accept");

	ck_assert_int_eq(feed_hex(mc5), 1);
	const struct dec_message *m = &out.m[0];
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->stack, "eth:ethertype:ip:sctp:m3ua:sccp:ranap:gsm_a.dtap");
	ck_assert_str_eq(m->operation, "Setup");
	ck_assert(m->called_number.present);
	ck_assert_str_eq(m->called_number.digits, "13408007927");
}
END_TEST

START_TEST(test_local_ssn)
{
	ck_assert_int_eq(feed_hex(mt5), 1);
	const struct dec_message *m = &out.m[0];
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_uint_eq(m->called.ssn, 32);
	ck_assert_str_eq(m->stack, "eth:ethertype:ip:sctp:m3ua:sccp:ranap:gsm_a.dtap");
	ck_assert_str_eq(m->operation, "Paging Response");
	ck_assert_str_eq(m->imsi, "123456780020000");
}
END_TEST

/* Hand-built SCCP messages, straight into dec_sccp(). */
static int sccp_hex(const char *hex, uint8_t *copy_buf, size_t cut)
{
	static uint8_t b[512];
	size_t n = unhex(hex, b, sizeof(b));
	if (cut > n)
		cut = n;
	memcpy(copy_buf, b, cut);
	memset(&out, 0, sizeof(out));
	struct dec_message m;
	dec_message_init(&m, 1, 0);
	return dec_sccp(ctx, &m, (struct dec_view){ copy_buf, cut }, collect, &out);
}

/*
 * BSSAP (A interface): a CR to SSN 254 carrying BSSMAP Complete Layer 3
 * Information (cell identifier CGI, Layer 3 Information = MM Location
 * Updating Request, LAI 262-02, IMSI 262420000000001), then a DT1 with
 * DTAP (MM) Identity Response (IMEI 490154203237518).
 */
static const char bssap_cr[] = "01" "000001" "02" "02" "06" "0442fe00fe"
			       "0f" "21" "00" "1f" "57" "0508006202200001" "0002"
			       "1712" "050870" "62f2200001" "33" "082926240000000010"
			       "00";
static const char bssap_dt1[] = "06" "000001" "00" "01" "0e" "01" "00" "0b" "0519" "08" "4a09512430325781";

START_TEST(test_bssap)
{
	uint8_t buf[512];
	ck_assert_int_eq(sccp_hex(bssap_cr, buf, 512), 1);
	const struct dec_message *m = &out.m[0];
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->stack, "sccp:bssap:gsm_a.bssmap:gsm_a.dtap");
	ck_assert_str_eq(m->protocol, "bssap");
	ck_assert_uint_eq(m->called.ssn, 254);
	ck_assert_str_eq(m->operation, "Location Updating Request");
	ck_assert_str_eq(m->imsi, "262420000000001");
	ck_assert_str_eq(m->visited_plmn, "26202");

	ck_assert_int_eq(sccp_hex(bssap_dt1, buf, 512), 1);
	m = &out.m[0];
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->stack, "sccp:bssap:gsm_a.dtap");
	ck_assert_str_eq(m->operation, "Identity Response");
	ck_assert_str_eq(m->imei, "490154203237518");

	/* Another BSSMAP message is named only. */
	ck_assert_int_eq(sccp_hex("06" "000001" "00" "01" "05" "00" "03" "20" "0400", buf, 512), 1);
	ck_assert_int_eq(out.m[0].n_anomalies, 0);
	ck_assert_str_eq(out.m[0].operation, "Clear Command");
	ck_assert_str_eq(out.m[0].stack, "sccp:bssap:gsm_a.bssmap");
}
END_TEST

/* RANAP PER length determinants: long form accepted, fragmented form an anomaly. */
START_TEST(test_per_lengths)
{
	uint8_t b[600];
	struct dec_message m;
	/* CommonID with its open type in the long form (0x80 0x0b) */
	size_t n = unhex("000f40" "8010" "000001" "0017400950640089008470" "28f7", b, sizeof(b));
	memset(&out, 0, sizeof(out));
	dec_message_init(&m, 1, 0);
	ck_assert_int_eq(dec_ranap(ctx, &m, (struct dec_view){ b, n }, collect, &out), 1);
	ck_assert_int_eq(out.m[0].n_anomalies, 0);
	ck_assert_str_eq(out.m[0].imsi, "460098004807827");
	/* fragmented (0xc1: one 16K block follows) */
	n = unhex("000f40" "c1" "000001", b, sizeof(b));
	memset(&out, 0, sizeof(out));
	dec_message_init(&m, 1, 0);
	ck_assert_int_eq(dec_ranap(ctx, &m, (struct dec_view){ b, n }, collect, &out), 1);
	ck_assert_int_gt(out.m[0].n_anomalies, 0);
	/* an IE count beyond the IEs present */
	n = unhex("001440" "03" "0000ff", b, sizeof(b));
	memset(&out, 0, sizeof(out));
	dec_message_init(&m, 1, 0);
	ck_assert_int_eq(dec_ranap(ctx, &m, (struct dec_view){ b, n }, collect, &out), 1);
	ck_assert_int_gt(out.m[0].n_anomalies, 0);
	ck_assert_str_eq(out.m[0].operation, "DirectTransfer");
	/* outcome names: Iu-Release successful, SecurityModeControl unsuccessful */
	n = unhex("200100" "03" "000000", b, sizeof(b));
	memset(&out, 0, sizeof(out));
	dec_message_init(&m, 1, 0);
	dec_ranap(ctx, &m, (struct dec_view){ b, n }, collect, &out);
	ck_assert_str_eq(out.m[0].operation, "Iu-ReleaseComplete");
	n = unhex("400600" "03" "000000", b, sizeof(b));
	memset(&out, 0, sizeof(out));
	dec_message_init(&m, 1, 0);
	dec_ranap(ctx, &m, (struct dec_view){ b, n }, collect, &out);
	ck_assert_str_eq(out.m[0].operation, "SecurityModeReject");
}
END_TEST

/* Every real PDU cut at every octet: one message, an anomaly, no overread (ASan). */
START_TEST(test_truncations)
{
	static const char *const v[] = { mc3, mc4_commonid, mc4_dt, mc5, mt5 };
	uint8_t b[1024];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = unhex(v[i], b, sizeof(b));
		for (size_t cut = 0; cut < n; cut++) {
			memset(&out, 0, sizeof(out));
			uint8_t *copy = malloc(cut ? cut : 1);
			memcpy(copy, b, cut);
			ck_assert_int_ge(feed_m3ua(copy, cut), 1);
			ck_assert_msg(out.m[0].n_anomalies > 0, "vector %zu cut at %zu: no anomaly", i, cut);
			free(copy);
		}
	}
	/* RANAP alone: frame 5's PDU (DirectTransfer, Setup) */
	size_t n = unhex(mc5, b, sizeof(b));
	/* M3UA common header (8), network appearance (8), routing context (8), protocol data tag (4),
	 * OPC/DPC/SI.. (12); DT1 type, dlr, segmenting, pointer, length (7); 32 octets of RANAP */
	const uint8_t *ranap = b + 40 + 7;
	size_t rlen = 32;
	ck_assert_uint_ge(n, 47 + rlen);
	ck_assert_uint_eq(ranap[0], 0x00);
	ck_assert_uint_eq(ranap[1], 20);
	for (size_t cut = 0; cut < rlen; cut++) {
		memset(&out, 0, sizeof(out));
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, ranap, cut);
		struct dec_message m;
		dec_message_init(&m, 1, 0);
		ck_assert_int_eq(dec_ranap(ctx, &m, (struct dec_view){ copy, cut }, collect, &out), 1);
		ck_assert_msg(out.m[0].n_anomalies > 0, "RANAP cut at %zu: no anomaly", cut);
		free(copy);
	}
	/* BSSAP SCCP messages cut anywhere */
	static const char *const bv[] = { bssap_cr, bssap_dt1 };
	for (size_t i = 0; i < 2; i++) {
		n = unhex(bv[i], b, sizeof(b));
		for (size_t cut = 0; cut < n - (i == 0); cut++) { /* the CR's end-of-optional octet is optional */
			uint8_t *copy = malloc(cut ? cut : 1);
			ck_assert_int_eq(sccp_hex(bv[i], copy, cut), 1);
			ck_assert_msg(out.m[0].n_anomalies > 0, "BSSAP vector %zu cut at %zu: no anomaly", i, cut);
			free(copy);
		}
	}
}
END_TEST

static Suite *ranap_suite(void)
{
	Suite *s = suite_create("ranap");
	TCase *tc = tcase_create("decode");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_initial_ue);
	tcase_add_test(tc, test_connection);
	tcase_add_test(tc, test_local_ssn);
	tcase_add_test(tc, test_bssap);
	tcase_add_test(tc, test_per_lengths);
	tcase_add_test(tc, test_truncations);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ranap_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
