/*
 * check_ss7.c - the SS7/SIGTRAN decoders (m3ua.c, mtp3.c, sccp.c, tcap.c,
 * map.c, isup.c) on real PDUs from ../shared/corpus/pcap (expected values:
 * what tshark 4.0.17 decodes for the same frame), hand-built PDUs, and
 * malformed variants: every truncation, corrupted lengths, zero-length and
 * maximum-length fields.
 */
#include "decode/context.h"
#define DEC_TEST_MAX_OUT 16
#include "dec_test.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static struct dec_context *ctx;
static struct sink out;

/*
 * SS7_SEED_DIR=dir: the tests that build PDUs also write them as fuzz seeds
 * (tests/fuzz/fuzz_ss7.c framing: mode octet, then 2-octet length + PDU per
 * frame) to dir/<test>; that is how tests/fuzz/corpus/ss7/hand_* were made.
 */
static FILE *seed_file;

static void seed_open(const char *name, uint8_t mode)
{
	const char *dir = getenv("SS7_SEED_DIR");
	char path[512];
	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/hand_%s", dir, name);
	seed_file = fopen(path, "wb");
	if (seed_file)
		fputc(mode, seed_file);
}

static void setup(void)
{
	ck_assert_int_eq(dec_context_open(&ctx), 0);
	memset(&out, 0, sizeof(out));
}

static void teardown(void)
{
	if (seed_file)
		fclose(seed_file);
	seed_file = NULL;
	dec_context_close(ctx);
	ctx = NULL;
}

/* Feed @len octets of @p as an M3UA (SCTP PPID 3) or MTP3 payload. */
static int feed(enum dec_transport t, const uint8_t *p, size_t len, ss_time_us time)
{
	struct dec_payload pl = { 0 };
	pl.transport = t;
	pl.ppid = t == DEC_T_SCTP ? 3 : 0;
	pl.dst_port = t == DEC_T_SCTP ? 2905 : 0;
	pl.data.p = p;
	pl.data.len = len;
	pl.frame = 1;
	pl.time = time;
	pl.stack = t == DEC_T_SCTP ? "eth:ethertype:ip:sctp" : NULL;
	if (seed_file) {
		fputc((int)(len >> 8), seed_file);
		fputc((int)(len & 0xff), seed_file);
		fwrite(p, 1, len, seed_file);
	}
	return dec_dispatch(ctx, &pl, collect, &out);
}

/*
 * wswiki_gsm_map_with_ussd_string.pcap frame 1: the MTP3 MSU inside M2UA.
 * tshark: OPC 1041 DPC 8744, calling GT 27829106146 SSN 6, called GT
 * 278291600 SSN 147, otid 2f3b4602, ACN 0.4.0.0.1.0.19.2, invoke 59
 * processUnstructuredSS-Request, IMSI 655011420096316 (MAP-OpenInfo
 * destinationReference), MSISDN 27761485722, USSD "*140*0761241377#".
 */
static const char ussd_msu[] =
	"8328620421"
	"0900030d180a129300110472281906000b12060011047228196041066c626a48042f3b46026b3a2838060700118605010101a0"
	"2d602b80020780a109060704000001001302be1a2818060704000001010101a00da00b80099656051124006913f66c26a12402"
	"010102013b301c04010f040eaa180da682dd6c31192d36bbdd468007917267415827f2";

START_TEST(test_ussd_real)
{
	seed_open("ussd_real", 1);
	uint8_t b[512];
	size_t n = unhex(ussd_msu, b, sizeof(b));
	ck_assert_int_eq(feed(DEC_T_MTP3, b, n, 0), 1);
	const struct dec_message *m = &out.m[0];
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->stack, "mtp3:sccp:tcap:gsm_map");
	ck_assert_str_eq(m->protocol, "gsm_map");
	ck_assert_str_eq(m->operation, "processUnstructuredSS-Request");
	ck_assert_uint_eq(m->opc, 1041);
	ck_assert_uint_eq(m->dpc, 8744);
	ck_assert_uint_eq(m->si, 3);
	ck_assert_str_eq(m->sccp_type, "UDT");
	ck_assert_str_eq(m->called.digits, "278291600");
	ck_assert_uint_eq(m->called.ssn, 147);
	ck_assert_uint_eq(m->called.gti, 4);
	ck_assert_uint_eq(m->called.tt, 0);
	ck_assert_uint_eq(m->called.np, 1);
	ck_assert_uint_eq(m->called.es, 1);
	ck_assert_uint_eq(m->called.nai, 4);
	ck_assert_str_eq(m->calling.digits, "27829106146");
	ck_assert_uint_eq(m->calling.ssn, 6);
	ck_assert_str_eq(m->tcap_type, "begin");
	ck_assert(m->has_otid);
	ck_assert_uint_eq(m->otid, 0x2f3b4602);
	ck_assert(!m->has_dtid);
	ck_assert_str_eq(m->acn, "0.4.0.0.1.0.19.2");
	ck_assert_int_eq(m->map_version, 2);
	ck_assert_str_eq(m->component, "invoke");
	ck_assert_int_eq(m->invoke_id, 1);
	ck_assert_int_eq(m->opcode, 59);
	ck_assert_str_eq(m->imsi, "655011420096316");
	ck_assert(m->msisdn.present);
	ck_assert_str_eq(m->msisdn.digits, "27761485722");
	ck_assert_uint_eq(m->msisdn.ton, 1);
	ck_assert_uint_eq(m->msisdn.npi, 1);
	ck_assert_str_eq(m->text, "*140*0761241377#");
}
END_TEST

/* The same frame as tshark sees it: M2UA (SCTP PPID 2) MAUP DATA, Protocol Data 1. */
static const char ussd_m2ua[] = "010006010000009c03000092";

START_TEST(test_ussd_m2ua)
{
	uint8_t b[512];
	size_t n = unhex(ussd_m2ua, b, sizeof(b));
	n += unhex(ussd_msu, b + n, sizeof(b) - n);
	b[n++] = 0, b[n++] = 0; /* padding to 4 */
	struct dec_payload pl = { 0 };
	pl.transport = DEC_T_SCTP;
	pl.ppid = 2;
	pl.data.p = b;
	pl.data.len = n;
	pl.stack = "eth:ethertype:ip:sctp";
	ck_assert_int_eq(dec_dispatch(ctx, &pl, collect, &out), 1);
	ck_assert_int_eq(out.m[0].n_anomalies, 0);
	ck_assert_str_eq(out.m[0].stack, "eth:ethertype:ip:sctp:m2ua:mtp3:sccp:tcap:gsm_map");
	ck_assert_str_eq(out.m[0].operation, "processUnstructuredSS-Request");
	ck_assert_str_eq(out.m[0].imsi, "655011420096316");
	/* M2UA management: ASPUP; MAUP State Request. */
	static const char *const hex[] = { "0100030100000008", "0100060700000008" };
	static const char *const op[] = { "ASPUP", "STATE_REQ" };
	for (int i = 0; i < 2; i++) {
		memset(&out, 0, sizeof(out));
		pl.data.len = unhex(hex[i], b, sizeof(b));
		ck_assert_int_eq(dec_dispatch(ctx, &pl, collect, &out), 1);
		ck_assert_str_eq(out.m[0].protocol, "m2ua");
		ck_assert_str_eq(out.m[0].operation, op[i]);
	}
}
END_TEST

/*
 * wswiki_camel.pcap frames 1-2 (MTP3 MSU inside M2UA): CAP v2, not MAP.
 * tshark: OPC 10 DPC 100, called SSN 200, calling SSN 152, otid 06f7,
 * ACN 0.4.0.0.1.0.50.1; frame 2: otid 13b8 dtid 06f7, invokes 23, 35, 31.
 */
static const char camel1_msu[] =
	"83648002c0"
	"098103070b04436400c804430a00988a628187480206f76b1e281c060700118605010101a011600f80020780a109060704000"
	"0010032016c61a15f020101020100305780012a830884111487095040f79c01029f32061487572586f9bf34148107913366020"
	"000f0a3098007313233343536379f3605a12345678f9f3707913366020000f09f3807111487085040f79f39080230900211223370";
static const char camel2_msu[] =
	"830a0019b0"
	"090103070904430a00980242c8c16581be480213b8490206f76b2a2828060700118605010101a01d611b80020780a10906070400"
	"0001003201a203020100a305a1030201006c8187a165020101020117305da05b300b800104810100a203800102300b800105810"
	"100a203800102300b800106810100a203800102300b800107810101a203800102300b800109810100a203800101300b8001098"
	"10100a203800102300b80010a810101a203800101a116020102020123300e8007a0058003008ca0a203800101a10602010302011f";

START_TEST(test_camel_is_tcap)
{
	seed_open("camel_is_tcap", 1);
	uint8_t b[512];
	size_t n = unhex(camel1_msu, b, sizeof(b));
	ck_assert_int_eq(feed(DEC_T_MTP3, b, n, 0), 1);
	const struct dec_message *m = &out.m[0];
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->protocol, "tcap");
	ck_assert_str_eq(m->stack, "mtp3:sccp:tcap");
	ck_assert_uint_eq(m->opc, 10);
	ck_assert_uint_eq(m->dpc, 100);
	ck_assert_uint_eq(m->called.ssn, 200);
	ck_assert_uint_eq(m->called.pc, 100);
	ck_assert_uint_eq(m->calling.ssn, 152);
	ck_assert_uint_eq(m->otid, 0x06f7);
	ck_assert_str_eq(m->acn, "0.4.0.0.1.0.50.1");
	ck_assert_int_eq(m->map_version, 0);
	ck_assert_int_eq(m->opcode, 0);
	ck_assert_str_eq(m->operation, "invoke");

	memset(&out, 0, sizeof(out));
	n = unhex(camel2_msu, b, sizeof(b));
	ck_assert_int_eq(feed(DEC_T_MTP3, b, n, 0), 3); /* one message per component */
	ck_assert_int_eq(out.m[0].opcode, 23);
	ck_assert_int_eq(out.m[1].opcode, 35);
	ck_assert_int_eq(out.m[2].opcode, 31);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(out.m[i].n_anomalies, 0);
		ck_assert_uint_eq(out.m[i].otid, 0x13b8);
		ck_assert_uint_eq(out.m[i].dtid, 0x06f7);
		ck_assert_str_eq(out.m[i].tcap_type, "continue");
		ck_assert_int_eq(out.m[i].invoke_id, i + 1);
	}
}
END_TEST

/*
 * wswiki_isup.cap (M3UA draft 6, Protocol Data tag 0x0002 = MTP3 MSU).
 * tshark -o 'm3ua.version:Internet Draft version 6': OPC 11522 DPC 12163,
 * CIC 213, IAM calling 3933399708 called 4891F; then CFN ACM ANM REL.
 */
static const struct {
	const char *hex, *op;
	unsigned opc, dpc;
} isup_frames[] = {
	{ "010001010000005400020049c583af405bd5000100a0010a02020705819084190f0a070317933393798008018003057c038890a6"
	  "1d038890a6310200643f06039300060010f4056476c328813902f49000000000", "IAM", 11522, 12163 },
	{ "010001010000001c00020012c502ede05bd5002f02000384e3f40000", "CFN", 12163, 11522 },
	{ "01000101000000180002000fc502ede05bd5000604240000", "ACM", 12163, 11522 },
	{ "01000101000000180002000dc502ede05bd5000900000000", "ANM", 12163, 11522 },
	{ "010001010000001c00020011c583af405bd5000c0200028090000000", "REL", 11522, 12163 },
};

START_TEST(test_isup_real)
{
	seed_open("isup_real", 0);
	uint8_t b[256];
	for (size_t i = 0; i < sizeof(isup_frames) / sizeof(isup_frames[0]); i++) {
		memset(&out, 0, sizeof(out));
		size_t n = unhex(isup_frames[i].hex, b, sizeof(b));
		ck_assert_int_eq(feed(DEC_T_SCTP, b, n, 0), 1);
		const struct dec_message *m = &out.m[0];
		ck_assert_int_eq(m->n_anomalies, 0);
		ck_assert_str_eq(m->stack, "eth:ethertype:ip:sctp:m3ua:mtp3:isup");
		ck_assert_str_eq(m->protocol, "isup");
		ck_assert_str_eq(m->operation, isup_frames[i].op);
		ck_assert_uint_eq(m->opc, isup_frames[i].opc);
		ck_assert_uint_eq(m->dpc, isup_frames[i].dpc);
		if (i == 0) {
			ck_assert_str_eq(m->calling_number.digits, "3933399708");
			ck_assert_uint_eq(m->calling_number.ton, 3);
			ck_assert_uint_eq(m->calling_number.npi, 1);
			ck_assert_str_eq(m->called_number.digits, "4891F");
			ck_assert_uint_eq(m->called_number.ton, 1);
			struct event ev;
			ck_assert_int_eq(dec_message_event(m, &ev), 1);
			ck_assert_int_eq(ev.kind, EV_CALL);
		}
	}
}
END_TEST

/*
 * wswiki_bicc.pcap frame 1: RFC 4666 DATA (Routing Context, Protocol Data
 * 0x0210), tshark: OPC 329729 DPC 75781, SI 13 (BICC).
 * wswiki_3gpp_mc.cap frame 3: OPC 8007 DPC 8001, SCCP CR (RANAP).
 */
static const char bicc_m3ua[] =
	"010001010000011800060008000001360210010500050801000128050d02000212000000011060010a00020604021008910a08"
	"03133104080010f80801801d038090a33f070413683104808878c68581c00000018283020283839c88048d85058585020580800583"
	"85010107828304081e81832020763d300d0a6f3d2d2030203120494e20495034203139322e3136382e3138392e3230300d0a733d30"
	"0d0a633d494e20495034203139322e3136382e3138392e3230300d0a743d3020300d0a613d69706263703a31205265717565737"
	"40d0a6d3d617564696f203430303732205254502f415650203130300d0a613d7274706d61703a31303020564e442e334750502e"
	"495546502f31363030300d0a0982830100000000";
static const char mc3_m3ua[] =
	"0100010100000084020000080000000a00060008000000580210006c00001f4700001f4103000001010161da0202060443411f8e"
	"0f47001340430000060003400100000f40060064f0901807003a40080064f09018070001001040111005247103000000084906"
	"900840088772004f4003015df40056400564f090070f040443471f8e00";

START_TEST(test_m3ua_rfc_real)
{
	seed_open("m3ua_rfc_real", 0);
	uint8_t b[512];
	size_t n = unhex(bicc_m3ua, b, sizeof(b));
	ck_assert_int_eq(feed(DEC_T_SCTP, b, n, 0), 1);
	ck_assert_int_eq(out.m[0].n_anomalies, 0);
	ck_assert_str_eq(out.m[0].protocol, "m3ua");
	ck_assert_str_eq(out.m[0].operation, "BICC");
	ck_assert_uint_eq(out.m[0].opc, 329729);
	ck_assert_uint_eq(out.m[0].dpc, 75781);
	ck_assert_uint_eq(out.m[0].si, 13);

	memset(&out, 0, sizeof(out));
	n = unhex(mc3_m3ua, b, sizeof(b));
	ck_assert_int_eq(feed(DEC_T_SCTP, b, n, 0), 1);
	ck_assert_int_eq(out.m[0].n_anomalies, 0);
	/* SCCP CR carrying RANAP InitialUE-Message (check_ranap.c covers the content) */
	ck_assert_str_eq(out.m[0].stack, "eth:ethertype:ip:sctp:m3ua:sccp:ranap:gsm_a.dtap");
	ck_assert_str_eq(out.m[0].sccp_type, "CR");
	ck_assert_str_eq(out.m[0].operation, "CM Service Request");
	ck_assert_uint_eq(out.m[0].opc, 8007);
	ck_assert_uint_eq(out.m[0].dpc, 8001);
}
END_TEST

START_TEST(test_m3ua_management)
{
	seed_open("m3ua_management", 0);
	/* ASPUP with an ASP Identifier; ASPAC_ACK; BEAT; an unknown class. */
	static const char *const hex[] = { "0100030100000010001100080000000a", "0100040300000008",
					   "0100030300000008", "0100070100000008" };
	static const char *const op[] = { "ASPUP", "ASPAC_ACK", "BEAT", "class 7 type 1" };
	uint8_t b[64];
	for (int i = 0; i < 4; i++) {
		memset(&out, 0, sizeof(out));
		size_t n = unhex(hex[i], b, sizeof(b));
		ck_assert_int_eq(feed(DEC_T_SCTP, b, n, 0), 1);
		ck_assert_str_eq(out.m[0].operation, op[i]);
		ck_assert_str_eq(out.m[0].protocol, "m3ua");
		ck_assert_int_eq(out.m[0].n_anomalies, 0);
		ck_assert(!out.m[0].has_pc);
	}
}
END_TEST

/* ---- hand-built MAP over M3UA/SCCP ---- */

struct pdu {
	uint8_t b[4096];
	size_t n;
};

static void put(struct pdu *p, const char *hex)
{
	p->n += unhex(hex, p->b + p->n, sizeof(p->b) - p->n);
}

static void put_bytes(struct pdu *p, const uint8_t *b, size_t n)
{
	ck_assert_uint_le(p->n + n, sizeof(p->b));
	memcpy(p->b + p->n, b, n);
	p->n += n;
}

/* BER TLV with a definite length in the shortest form. */
static void tlv(struct pdu *p, uint8_t id, const struct pdu *val)
{
	uint8_t h[4];
	size_t k = 0;
	h[k++] = id;
	if (val->n < 0x80) {
		h[k++] = (uint8_t)val->n;
	} else if (val->n < 0x100) {
		h[k++] = 0x81, h[k++] = (uint8_t)val->n;
	} else {
		h[k++] = 0x82, h[k++] = (uint8_t)(val->n >> 8), h[k++] = (uint8_t)val->n;
	}
	put_bytes(p, h, k);
	put_bytes(p, val->b, val->n);
}

/* M3UA DATA around @ud with OPC 1-2, SI 3, padded. */
static void m3ua_wrap(struct pdu *out_pdu, const struct pdu *ud)
{
	size_t plen = 16 + ud->n, pad = (4 - plen % 4) % 4, total = 8 + 8 + plen + pad;
	out_pdu->n = 0;
	uint8_t h[8] = { 1, 0, 1, 1, (uint8_t)(total >> 24), (uint8_t)(total >> 16), (uint8_t)(total >> 8),
			 (uint8_t)total };
	put_bytes(out_pdu, h, 8);
	put(out_pdu, "0006000800000001"); /* routing context */
	uint8_t ph[4] = { 0x02, 0x10, (uint8_t)(plen >> 8), (uint8_t)plen };
	put_bytes(out_pdu, ph, 4);
	put(out_pdu, "00000001000000020300000b");
	put_bytes(out_pdu, ud->b, ud->n);
	static const uint8_t zero[3] = { 0 };
	put_bytes(out_pdu, zero, pad);
}

/* SCCP UDT: called GT 4 SSN 8 "447700900123", calling GT 4 SSN 6 "12345". */
static const char called_gt[] = "0b"
				"12" /* RI=GT, GTI 4, SSN present */
				"08" /* SSN 8 MSC */
				"00" /* TT */
				"12" /* NP 1, ES 2 (even) */
				"04" /* NAI international */
				"447700091032";
static const char calling_gt[] = "08"
				 "12" "06" "00" "11" "04" /* SSN 6 HLR, ES 1 odd */
				 "214365"; /* digits 12345 + filler */

/* SCCP UDT with the given party addresses (hex, length octet included) around @tcap. */
static void udt_with(struct pdu *o, const struct pdu *tcap, const char *called_hex, const char *calling_hex)
{
	struct pdu cd = { .n = 0 }, cg = { .n = 0 };
	put(&cd, called_hex);
	put(&cg, calling_hex);
	o->n = 0;
	uint8_t h[5] = { 0x09, 0x80, 3, (uint8_t)(2 + cd.n), (uint8_t)(1 + cd.n + cg.n) };
	put_bytes(o, h, 5);
	put_bytes(o, cd.b, cd.n);
	put_bytes(o, cg.b, cg.n);
	ck_assert_uint_lt(tcap->n, 256);
	uint8_t l = (uint8_t)tcap->n;
	put_bytes(o, &l, 1);
	put_bytes(o, tcap->b, tcap->n);
}

static void udt(struct pdu *o, const struct pdu *tcap)
{
	udt_with(o, tcap, called_gt, calling_gt);
}

/* TCAP Begin, otid 01020304, ACN 0.4.0.0.1.0.<ac>.<ver>, one invoke of @op with @arg. */
static void tcap_begin(struct pdu *o, int ac, int ver, int op, const struct pdu *arg)
{
	struct pdu body = { .n = 0 }, dlg = { .n = 0 }, ext = { .n = 0 }, a0 = { .n = 0 }, aarq = { .n = 0 },
		   a1 = { .n = 0 }, comps = { .n = 0 }, inv = { .n = 0 }, x = { .n = 0 };
	put(&body, "480401020304");
	uint8_t oid[] = { 0x06, 0x07, 0x04, 0x00, 0x00, 0x01, 0x00, (uint8_t)ac, (uint8_t)ver };
	put_bytes(&a1, oid, sizeof(oid));
	put(&aarq, "80020780");
	tlv(&aarq, 0xa1, &a1);
	tlv(&a0, 0x60, &aarq);
	put(&ext, "060700118605010101");
	tlv(&ext, 0xa0, &a0);
	tlv(&dlg, 0x28, &ext);
	tlv(&body, 0x6b, &dlg);
	put(&inv, "020101");
	uint8_t opc[3] = { 0x02, 0x01, (uint8_t)op };
	put_bytes(&inv, opc, 3);
	put_bytes(&inv, arg->b, arg->n);
	tlv(&comps, 0xa1, &inv);
	tlv(&body, 0x6c, &comps);
	tlv(&x, 0x62, &body);
	*o = x;
}

static void map_over_m3ua(struct pdu *o, int ac, int ver, int op, const char *arg_hex)
{
	struct pdu arg = { .n = 0 }, tc, sc;
	put(&arg, arg_hex);
	tcap_begin(&tc, ac, ver, op, &arg);
	udt(&sc, &tc);
	m3ua_wrap(o, &sc);
}

START_TEST(test_update_location)
{
	seed_open("update_location", 0);
	struct pdu p;
	/* UpdateLocationArg: imsi 234150123456789, msc [1] 447700900001, vlr 447700900002 */
	map_over_m3ua(&p, 1, 3, 2,
		      "301c" "0408" "32140521436587f9" "8107" "91447700090010" "0407" "91447700090020");
	ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 0), 1);
	const struct dec_message *m = &out.m[0];
	ck_assert_int_eq(m->n_anomalies, 0);
	ck_assert_str_eq(m->stack, "eth:ethertype:ip:sctp:m3ua:sccp:tcap:gsm_map");
	ck_assert_str_eq(m->operation, "updateLocation");
	ck_assert_str_eq(m->acn, "0.4.0.0.1.0.1.3");
	ck_assert_int_eq(m->map_version, 3);
	ck_assert_str_eq(m->imsi, "234150123456789");
	ck_assert_str_eq(m->msc.digits, "447700900001");
	ck_assert_str_eq(m->vlr.digits, "447700900002");
	ck_assert_str_eq(m->called.digits, "447700900123");
	ck_assert_uint_eq(m->called.es, 2);
	ck_assert_str_eq(m->calling.digits, "12345");
	ck_assert_uint_eq(m->calling.ssn, 6);
	ck_assert_uint_eq(m->opc, 1);
	ck_assert_uint_eq(m->dpc, 2);
	struct event ev;
	ck_assert_int_eq(dec_message_event(m, &ev), 1);
	ck_assert_int_eq(ev.kind, EV_LOCATION);
	ck_assert_str_eq(ev.other_party, "447700900002");
}
END_TEST

START_TEST(test_forward_sm_names)
{
	seed_open("forward_sm_names", 0);
	/* v2 forwardSM (opcode 46, shortMsgRelay v2): DA = SC address -> from the MS. */
	static const char arg[] = "3019"
				  "8407" "91447700090000" /* serviceCentreAddressDA */
				  "8207" "91447700091011" /* msisdn */
				  "0405" "0100038121"; /* sm-RP-UI: a short SMS-SUBMIT */
	struct pdu p;
	map_over_m3ua(&p, 21, 2, 46, arg);
	ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 0), 1);
	ck_assert_str_eq(out.m[0].operation, "forwardSM");
	ck_assert_str_eq(out.m[0].msisdn.digits, "447700900111");
	ck_assert_str_eq(out.m[0].service_centre.digits, "447700900000");
	memset(&out, 0, sizeof(out));
	/* mo-forwardSM v3 with an SMS-SUBMIT to 447700900111, GSM 7-bit "hello". */
	map_over_m3ua(&p, 21, 3, 46, "3026" "8407" "91447700090000" "8207" "91447700091011"
				     "0412" "01000c91447700091011000005e8329bfd06");
	ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 0), 1);
	ck_assert_msg(out.m[0].n_anomalies == 0, "%s", out.m[0].anomalies[0]);
	ck_assert_str_eq(out.m[0].operation, "mo-forwardSM");
	ck_assert(out.m[0].has_sms);
	ck_assert_str_eq(out.m[0].tpdu_type, "SMS-SUBMIT");
	ck_assert_str_eq(out.m[0].sms_destination.digits, "447700900111");
	ck_assert_str_eq(out.m[0].text, "hello");
	struct event ev;
	ck_assert_int_eq(dec_message_event(&out.m[0], &ev), 1);
	ck_assert_int_eq(ev.kind, EV_SMS);
	ck_assert_int_eq(ev.direction, EV_DIR_MO);
	ck_assert_str_eq(ev.msisdn, "447700900111");
	ev_clear(&ev);
	memset(&out, 0, sizeof(out));
	/* mt-forwardSM v3: DA imsi [0], OA serviceCentreAddressOA [4] */
	map_over_m3ua(&p, 25, 3, 44, "3018" "8008" "32140521436587f9" "8407" "91447700090000" "0403" "040000");
	ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 0), 1);
	ck_assert_str_eq(out.m[0].operation, "mt-forwardSM");
	ck_assert_str_eq(out.m[0].imsi, "234150123456789");
	ck_assert_str_eq(out.m[0].service_centre.digits, "447700900000");
}
END_TEST

START_TEST(test_other_ops)
{
	seed_open("other_ops", 0);
	static const struct {
		int ac, ver, op;
		const char *arg, *name, *imsi, *msisdn;
	} v[] = {
		{ 14, 2, 56, "0408" "32140521436587f9", "sendAuthenticationInfo", "234150123456789", "" },
		{ 14, 3, 56, "300d" "8008" "32140521436587f9" "020105", "sendAuthenticationInfo", "234150123456789", "" },
		{ 20, 3, 45, "3010" "8007" "91447700091011" "810100" "8202" "9144", "sendRoutingInfoForSM", "",
		  "447700900111" },
		{ 5, 3, 22, "3009" "8007" "91447700091011", "sendRoutingInfo", "", "447700900111" },
		{ 32, 3, 23, "3013" "0408" "32140521436587f9" "0407" "91447700090010", "updateGprsLocation",
		  "234150123456789", "" },
		{ 2, 3, 3, "a30a" "0408" "32140521436587f9", "cancelLocation", "234150123456789", "" },
		{ 27, 3, 67, "a30a" "0408" "32140521436587f9", "purgeMS", "234150123456789", "" },
		{ 16, 3, 7, "3013" "8008" "32140521436587f9" "8107" "91447700091011", "insertSubscriberData",
		  "234150123456789", "447700900111" },
		{ 1, 3, 99, "3000", "unknown MAP (99)", "", "" },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct pdu p;
		memset(&out, 0, sizeof(out));
		map_over_m3ua(&p, v[i].ac, v[i].ver, v[i].op, v[i].arg);
		ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 0), 1);
		ck_assert_msg(out.m[0].n_anomalies == 0, "%s: %s", v[i].name, out.m[0].anomalies[0]);
		ck_assert_str_eq(out.m[0].operation, v[i].name);
		ck_assert_str_eq(out.m[0].imsi, v[i].imsi);
		ck_assert_str_eq(out.m[0].msisdn.digits, v[i].msisdn);
	}
}
END_TEST

/* XUDT segmentation: one TCAP message split across 3 XUDTs, reassembled. */
static void xudt_segment(struct pdu *o, const uint8_t *data, size_t n, bool first, int remaining, uint32_t ref)
{
	struct pdu cd = { .n = 0 }, cg = { .n = 0 }, s = { .n = 0 };
	put(&cd, called_gt);
	put(&cg, calling_gt);
	uint8_t h[7] = { 0x11, 0x80, 0x0f, 4, (uint8_t)(3 + cd.n), (uint8_t)(2 + cd.n + cg.n),
			 (uint8_t)(1 + cd.n + cg.n + 1 + n) };
	put_bytes(&s, h, 7);
	put_bytes(&s, cd.b, cd.n);
	put_bytes(&s, cg.b, cg.n);
	uint8_t l = (uint8_t)n;
	put_bytes(&s, &l, 1);
	put_bytes(&s, data, n);
	uint8_t seg[7] = { 0x10, 4, (uint8_t)((first ? 0x80 : 0) | remaining), (uint8_t)(ref >> 16),
			   (uint8_t)(ref >> 8), (uint8_t)ref, 0x00 };
	put_bytes(&s, seg, 7);
	m3ua_wrap(o, &s);
}

START_TEST(test_xudt_reassembly)
{
	seed_open("xudt_reassembly", 0);
	struct pdu arg = { .n = 0 }, tc, p;
	put(&arg, "301c" "0408" "32140521436587f9" "8107" "91447700090010" "0407" "91447700090020");
	tcap_begin(&tc, 1, 3, 2, &arg);
	size_t third = tc.n / 3;
	xudt_segment(&p, tc.b, third, true, 2, 0xabcdef);
	ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 1000), 1);
	ck_assert_str_eq(out.m[0].protocol, "sccp");
	ck_assert_str_eq(out.m[0].sccp_type, "XUDT");
	ck_assert_int_eq(out.m[0].n_anomalies, 0);
	/* An unrelated reference in between. */
	xudt_segment(&p, tc.b, third, false, 0, 0x111111);
	ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 1100), 1);
	ck_assert_int_eq(out.m[1].n_anomalies, 1);
	xudt_segment(&p, tc.b + third, third, false, 1, 0xabcdef);
	ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 1200), 1);
	ck_assert_int_eq(out.m[2].n_anomalies, 0);
	xudt_segment(&p, tc.b + 2 * third, tc.n - 2 * third, false, 0, 0xabcdef);
	ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 1300), 1);
	ck_assert_msg(out.m[3].n_anomalies == 0, "%s", out.m[3].anomalies[0]);
	ck_assert_str_eq(out.m[3].operation, "updateLocation");
	ck_assert_str_eq(out.m[3].imsi, "234150123456789");

	/* Expiry: a continuation 11 s after its first segment is an orphan. */
	memset(&out, 0, sizeof(out));
	xudt_segment(&p, tc.b, third, true, 1, 0x222222);
	feed(DEC_T_SCTP, p.b, p.n, 2000000);
	xudt_segment(&p, tc.b + third, tc.n - third, false, 0, 0x222222);
	feed(DEC_T_SCTP, p.b, p.n, 13000000);
	ck_assert_int_eq(out.n, 2);
	ck_assert_int_eq(out.m[1].n_anomalies, 1);

	/* A full table evicts the oldest: 200 first segments never completed. */
	for (uint32_t r = 0; r < 200; r++) {
		xudt_segment(&p, tc.b, third, true, 1, r);
		feed(DEC_T_SCTP, p.b, p.n, 14000000 + r);
	}
	memset(&out, 0, sizeof(out));
	xudt_segment(&p, tc.b + third, tc.n - third, false, 0, 199); /* newest survives */
	ck_assert_int_eq(feed(DEC_T_SCTP, p.b, p.n, 14000300), 1);
	ck_assert_int_eq(out.m[0].n_anomalies, 0);
	ck_assert_str_eq(out.m[0].operation, "updateLocation");
}
END_TEST

/* Every truncation of every vector: no crash, one message, an anomaly. */
START_TEST(test_truncations)
{
	static const struct {
		const char *hex;
		enum dec_transport t;
	} v[] = { { ussd_msu, DEC_T_MTP3 }, { camel2_msu, DEC_T_MTP3 }, { bicc_m3ua, DEC_T_SCTP } };
	uint8_t b[1024];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = unhex(v[i].hex, b, sizeof(b));
		for (size_t cut = 0; cut < n; cut++) {
			memset(&out, 0, sizeof(out));
			uint8_t *copy = malloc(cut ? cut : 1); /* exact size: ASan sees any overread */
			memcpy(copy, b, cut);
			int k = feed(v[i].t, copy, cut, 0);
			ck_assert_int_ge(k, 1);
			ck_assert_msg(out.m[0].n_anomalies > 0, "vector %zu cut at %zu: no anomaly", i, cut);
			free(copy);
		}
	}
	/* ISUP alone: the IAM of wswiki_isup.cap frame 1 cut anywhere is malformed. */
	size_t n = unhex(isup_frames[0].hex, b, sizeof(b));
	const uint8_t *iam = b + 17; /* after the M3UA header (8), draft parameter header (4), SIO and label (5) */
	size_t iam_len = 0x49 - 4 - 5;
	for (size_t cut = 0; cut < iam_len; cut++) {
		memset(&out, 0, sizeof(out));
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, iam, cut);
		dec_message_init(&out.m[15], 1, 0);
		ck_assert_int_eq(dec_isup(ctx, &out.m[15], (struct dec_view){ copy, cut }, collect, &out), 1);
		ck_assert_msg(out.m[0].n_anomalies > 0, "IAM cut at %zu: no anomaly", cut);
		free(copy);
	}
	(void)n;
	/* The hand-built chains too (M3UA framing says where it was cut). */
	struct pdu p;
	map_over_m3ua(&p, 21, 3, 46, "3019" "8407" "91447700090000" "8207" "91447700091011" "0405" "0100038121");
	for (size_t cut = 0; cut < p.n; cut++) {
		memset(&out, 0, sizeof(out));
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, p.b, cut);
		ck_assert_int_ge(feed(DEC_T_SCTP, copy, cut, 0), 1);
		ck_assert_int_gt(out.m[0].n_anomalies, 0);
		free(copy);
	}
}
END_TEST

START_TEST(test_corrupt_lengths)
{
	uint8_t b[512];
	size_t n = unhex(ussd_msu, b, sizeof(b));
	/* Every single octet set to 0x00, 0x7f, 0x80, 0x81, 0xff in turn: no crash, >= 1 message. */
	static const uint8_t vals[] = { 0x00, 0x7f, 0x80, 0x81, 0x84, 0xff };
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < sizeof(vals); k++) {
			uint8_t c[512];
			memcpy(c, b, n);
			c[i] = vals[k];
			memset(&out, 0, sizeof(out));
			ck_assert_int_ge(feed(DEC_T_MTP3, c, n, 0), 1);
		}
	}
	/* The called address length octet 0x0a -> 0x40 (beyond the message). */
	uint8_t c[512];
	memcpy(c, b, n);
	c[5 + 5] = 0xf0;
	memset(&out, 0, sizeof(out));
	feed(DEC_T_MTP3, c, n, 0);
	ck_assert_str_eq(out.m[0].anomalies[0], "sccp: called party address length 240 exceeds message");
	/* The TCAP length in long form 0x84 with a huge value. */
	struct pdu t = { .n = 0 };
	put(&t, "628400ffffff48040102030");
	memset(&out, 0, sizeof(out));
	ck_assert_int_eq(dec_tcap(ctx, &out.m[15], (struct dec_view){ t.b, t.n }, collect, &out), 1);
	ck_assert_str_eq(out.m[0].anomalies[0], "tcap: message: length exceeds enclosing element");
	/* Indefinite length: rejected. */
	t.n = 0;
	put(&t, "6280480401020304");
	memset(&out, 0, sizeof(out));
	dec_message_init(&out.m[15], 1, 0);
	dec_tcap(ctx, &out.m[15], (struct dec_view){ t.b, t.n }, collect, &out);
	ck_assert_str_eq(out.m[0].anomalies[0], "tcap: message: indefinite length not supported");
}
END_TEST

START_TEST(test_edge_fields)
{
	struct pdu p;
	/* Zero-length IMSI and MSISDN; an IMSI of 9 octets; a 20-octet (38-digit) address. */
	map_over_m3ua(&p, 16, 3, 7, "3004" "8000" "8100");
	feed(DEC_T_SCTP, p.b, p.n, 0);
	ck_assert_str_eq(out.m[0].anomalies[0], "gsm_map: IMSI of 0 octets, expected 3-8");
	ck_assert_str_eq(out.m[0].anomalies[1], "gsm_map: msisdn is empty");
	memset(&out, 0, sizeof(out));
	map_over_m3ua(&p, 16, 3, 7, "3022" "8009" "321405103254769810" "8115" "91" "1111111111111111111111111111111111111111");
	feed(DEC_T_SCTP, p.b, p.n, 0);
	ck_assert_int_eq(out.m[0].n_anomalies, 2);
	ck_assert_str_eq(out.m[0].imsi, "");
	/* A global title of 20 octets (40 digits) > DEC_DIGITS_SIZE. */
	struct pdu s = { .n = 0 }, m3;
	put(&s, "0900031c1e"
		"19" "1208001104" "1111111111111111111111111111111111111111"
		"024206" "00");
	m3ua_wrap(&m3, &s);
	memset(&out, 0, sizeof(out));
	feed(DEC_T_SCTP, m3.b, m3.n, 0);
	ck_assert_int_ge(out.m[0].n_anomalies, 1);
	/* M3UA: message length 0, parameter length 2, no Protocol Data. */
	static const char *const bad[] = { "0100010100000000", "01000101000000100210000200000000",
					   "0100010100000010000600080000000a", "020001010000000c0210000c" };
	uint8_t b[64];
	for (int i = 0; i < 4; i++) {
		memset(&out, 0, sizeof(out));
		size_t n = unhex(bad[i], b, sizeof(b));
		ck_assert_int_eq(feed(DEC_T_SCTP, b, n, 0), 1);
		ck_assert_int_gt(out.m[0].n_anomalies, 0);
	}
}
END_TEST

/* The JSON of @m, which must fit. */
static const char *json_of(const struct dec_message *m)
{
	static char buf[8192];
	ck_assert_int_gt(dec_message_json(m, buf, sizeof(buf)), 0);
	return buf;
}

/*
 * Party addresses are decoded once per distinct octet string and the
 * "sccp" JSON once per distinct (type, called, calling) block: messages
 * that differ from a cached one in a single field (an SSN, a digit, the
 * translation type) must still come out as themselves, in any order, and
 * an address with an anomaly must report it on every message.
 */
START_TEST(test_address_cache)
{
	static const char *const called[] = {
		called_gt,
		"0b" "12" "07" "00" "12" "04" "447700091032",	      /* SSN 7 instead of 8 */
		"0b" "12" "08" "00" "12" "04" "447700091033",	      /* last digit pair 3 -> 33 */
		"0b" "12" "08" "05" "12" "04" "447700091032",	      /* TT 5 */
		"0b" "3e" "08" "00" "12" "04" "447700091032",	      /* GTI 15: spare, an anomaly */
	};
	static const char *const ssn_json[] = { "\"ssn\":8", "\"ssn\":7", "\"ssn\":8", "\"ssn\":8", "\"ssn\":8" };
	static const char *const digits[] = { "447700900123", "447700900123", "447700900133", "447700900123", "" };
	struct pdu arg = { .n = 0 }, tc, sc, m3;
	put(&arg, "3004" "8002" "1234");
	tcap_begin(&tc, 1, 3, 2, &arg);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 5; i++) {
			int k = round == 1 ? 4 - i : i; /* the second round backwards */
			udt_with(&sc, &tc, called[k], calling_gt);
			m3ua_wrap(&m3, &sc);
			memset(&out, 0, sizeof(out));
			ck_assert_int_eq(feed(DEC_T_SCTP, m3.b, m3.n, 0), 1);
			const struct dec_message *m = &out.m[0];
			ck_assert_str_eq(m->called.digits, digits[k]);
			ck_assert_str_eq(m->calling.digits, "12345");
			ck_assert_uint_eq(m->called.ssn, k == 1 ? 7 : 8);
			ck_assert_uint_eq(m->called.tt, k == 3 ? 5 : 0);
			ck_assert_int_eq(has_anomaly(m, "global title indicator 15 is spare"), k == 4);
			const char *j = json_of(m);
			const char *cd = strstr(j, "\"called\":{");
			ck_assert_ptr_nonnull(cd);
			ck_assert_ptr_nonnull(strstr(cd, ssn_json[k]));
			ck_assert_ptr_nonnull(strstr(j, k == 3 ? "\"tt\":5" : "\"gti\":4,\"tt\":0"));
			if (digits[k][0]) {
				char want[64];
				snprintf(want, sizeof(want), "\"digits\":\"%s\"", digits[k]);
				ck_assert_ptr_nonnull(strstr(cd, want));
			}
		}
	}
	/*
	 * 600 addresses differing in the last digits, the SSN or the TT: far
	 * more than either cache has slots, so many share one; each must
	 * still decode and print as itself, forwards and backwards.
	 */
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 600; i++) {
			int v = round ? 599 - i : i, n = v % 100, ssn = 6 + v / 100 % 3, tt = v / 300 ? 5 : 0;
			char hex[64], want[128];
			/* BCD: the last octet holds digits 11 and 12 as low, high nibble. */
			snprintf(hex, sizeof(hex), "0b12%02x%02x1204" "4477000910%x%x", ssn, tt, n % 10, n / 10);
			udt_with(&sc, &tc, hex, calling_gt);
			m3ua_wrap(&m3, &sc);
			memset(&out, 0, sizeof(out));
			ck_assert_int_eq(feed(DEC_T_SCTP, m3.b, m3.n, 0), 1);
			const struct dec_message *m = &out.m[0];
			char dig[16];
			snprintf(dig, sizeof(dig), "4477009001%02d", n);
			ck_assert_str_eq(m->called.digits, dig);
			ck_assert_uint_eq(m->called.ssn, ssn);
			ck_assert_uint_eq(m->called.tt, tt);
			snprintf(want, sizeof(want),
				 "\"called\":{\"ssn\":%d,\"gti\":4,\"tt\":%d,\"np\":1,\"es\":2,\"nai\":4,\"digits\":\"%s\"}",
				 ssn, tt, dig);
			const char *j = json_of(m);
			ck_assert_msg(strstr(j, want), "%s in %s", want, j);
		}
	}
}
END_TEST

/* Transaction ids as 8 lower-case hex digits, the time to the microsecond. */
START_TEST(test_json_tid_time)
{
	static const struct {
		uint32_t tid;
		const char *hex;
	} tids[] = { { 0, "00000000" }, { 0xdeadbeef, "deadbeef" }, { 0x0a0b0c0d, "0a0b0c0d" },
		     { 0x99999999, "99999999" }, { 0xffffffff, "ffffffff" }, { 0x10fa09af, "10fa09af" } };
	static const struct {
		ss_time_us t;
		const char *text;
	} times[] = { { 1709251200000000, "\"2024-03-01T00:00:00Z\"" },
		      { 1709251200000005, "\"2024-03-01T00:00:00.000005Z\"" },
		      { 1709251200123456, "\"2024-03-01T00:00:00.123456Z\"" },
		      { 1709251259990100, "\"2024-03-01T00:00:59.990100Z\"" } };
	for (size_t i = 0; i < sizeof(tids) / sizeof(tids[0]); i++) {
		struct dec_message m;
		dec_message_init(&m, 1, times[i % 4].t);
		strcpy(m.tcap_type, "end");
		m.has_otid = m.has_dtid = true;
		m.otid = tids[i].tid;
		m.dtid = ~tids[i].tid;
		const char *j = json_of(&m);
		char want[64], inv[9];
		snprintf(want, sizeof(want), "\"otid\":\"%s\"", tids[i].hex);
		ck_assert_msg(strstr(j, want), "%s in %s", want, j);
		snprintf(inv, sizeof(inv), "%08x", ~tids[i].tid);
		snprintf(want, sizeof(want), "\"dtid\":\"%s\"", inv);
		ck_assert_msg(strstr(j, want), "%s in %s", want, j);
		ck_assert_msg(strstr(j, times[i % 4].text), "%s in %s", times[i % 4].text, j);
	}
	/* Numbers at every power of ten, and the largest. */
	uint64_t frame = 1;
	for (int k = 0; k <= 20; k++) {
		uint64_t vals[3] = { frame - 1, frame, frame + 1 };
		if (k == 20)
			vals[0] = vals[1] = vals[2] = UINT64_MAX;
		for (int i = 0; i < 3; i++) {
			struct dec_message m;
			dec_message_init(&m, vals[i], 0);
			char want[40];
			snprintf(want, sizeof(want), "{\"frame\":%llu,", (unsigned long long)vals[i]);
			const char *j = json_of(&m);
			ck_assert_msg(strncmp(j, want, strlen(want)) == 0, "%s at the start of %s", want, j);
		}
		if (k < 19)
			frame *= 10;
	}
	/*
	 * Escapes found in any 16-byte block of a string of known length (USSD
	 * text) and of a NUL-terminated field (SIP From), first block or later,
	 * and in the overlapping last block.
	 */
	static const struct {
		const char *in, *out;
	} esc[] = {
		{ "0123456789abcdefghij\"lmnopqrstuvwxyz", "0123456789abcdefghij\\\"lmnopqrstuvwxyz" },
		{ "0123456789abcdefghijklmnopqrstuvwxy\x01", "0123456789abcdefghijklmnopqrstuvwxy\\u0001" },
		{ "\\123456789abcdefghijklmnopqrstuvwxyz", "\\\\123456789abcdefghijklmnopqrstuvwxyz" },
		{ "0123456789abcdef\x1f", "0123456789abcdef\\u001f" },
		{ "0123456789abcde\xc3\xa9 caf\xc3\xa9", "0123456789abcde\xc3\xa9 caf\xc3\xa9" },
		{ "plain text of thirty-one bytes.", "plain text of thirty-one bytes." },
	};
	for (size_t i = 0; i < sizeof(esc) / sizeof(esc[0]); i++) {
		struct dec_message m;
		dec_message_init(&m, 1, 0);
		size_t n = strlen(esc[i].in);
		memcpy(m.text, esc[i].in, n + 1);
		m.text_len = (uint32_t)n;
		snprintf(m.sip_from, sizeof(m.sip_from), "%s", esc[i].in);
		const char *j = json_of(&m);
		char want[256];
		snprintf(want, sizeof(want), "\"ussd\":\"%s\"", esc[i].out);
		ck_assert_msg(strstr(j, want), "%s in %s", want, j);
		snprintf(want, sizeof(want), "\"from\":\"%s\"", esc[i].out);
		ck_assert_msg(strstr(j, want), "%s in %s", want, j);
	}
}
END_TEST

static Suite *ss7_suite(void)
{
	Suite *s = suite_create("ss7");
	TCase *tc = tcase_create("decode");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_ussd_real);
	tcase_add_test(tc, test_ussd_m2ua);
	tcase_add_test(tc, test_camel_is_tcap);
	tcase_add_test(tc, test_isup_real);
	tcase_add_test(tc, test_m3ua_rfc_real);
	tcase_add_test(tc, test_m3ua_management);
	tcase_add_test(tc, test_update_location);
	tcase_add_test(tc, test_forward_sm_names);
	tcase_add_test(tc, test_other_ops);
	tcase_add_test(tc, test_xudt_reassembly);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_corrupt_lengths);
	tcase_add_test(tc, test_edge_fields);
	tcase_add_test(tc, test_address_cache);
	tcase_add_test(tc, test_json_tid_time);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ss7_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
