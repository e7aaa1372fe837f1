/*
 * gen_map_trace.c - writes M3UA/SCCP/TCAP/MAP signalling captures with
 * ground truth, for testing `simsieve decode` against tshark and for
 * benchmarks.
 *
 *   gen_map_trace --out PREFIX [--seed S] [--link eth|raw]       scenario mode
 *   gen_map_trace --out PREFIX --messages N [--seed S] [--expect] bulk mode
 *
 * Writes PREFIX.pcap and (scenario mode, or --expect) PREFIX.expect.jsonl:
 * one JSON object per MAP message with the values that were encoded, keyed
 * like `simsieve decode` output (src/decode/message.c dec_message_json), so a
 * test can hold the decoder to ground truth as well as to tshark.
 *
 * Stack, each layer built by hand from its spec:
 *   Ethernet II or raw IPv4 (libpcap DLT_EN10MB / DLT_RAW, pcap_dump)
 *   IPv4 (RFC 791, header checksum)
 *   SCTP (RFC 9260) port 2905, CRC32c checksum (RFC 3309, appendix B of
 *     RFC 9260), one or several DATA chunks per packet (bundling), PPID 3
 *   M3UA DATA (RFC 4666 3.3.1) with Routing Context and Protocol Data
 *   SCCP UDT, and XUDT with the Segmentation parameter (ITU-T Q.713 4.10,
 *     4.18, 3.17) for messages longer than one UDT or when asked
 *   TCAP Begin/Continue/End (ITU-T Q.773) with a dialogue portion: AARQ on
 *     the first message, AARE on the first answer; ACN 0.4.0.0.1.0.x.v
 *   GSM MAP (3GPP TS 29.002) arguments and results, BER
 *   SMS TPDU (3GPP TS 23.040): SMS-SUBMIT / SMS-DELIVER, GSM 7-bit default
 *     alphabet with extension table (TS 23.038), UCS2, concatenation UDH
 *     (IEI 0 8-bit and IEI 8 16-bit references), alphanumeric TP-OA.
 *
 * Deterministic: the same arguments give byte-identical files (one
 * xorshift64* stream seeded by splitmix64(--seed); capture time starts at
 * --start, default 2024-03-01T00:00:00Z, and advances by pseudo-random
 * steps).
 */
#include <pcap/pcap.h>

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *msg)
{
	fprintf(stderr, "gen_map_trace: %s\n", msg);
	exit(2);
}

/* ------------------------------------------------------------------ */
/* pseudo-random numbers                                               */

static uint64_t rng_state;

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint32_t rnd_below(uint32_t n)
{
	return (uint32_t)((rnd() >> 32) % n);
}

/* ------------------------------------------------------------------ */
/* forward byte writer with BER TLV nesting                            */

struct wbuf {
	uint8_t *p;
	size_t len, cap;
};

#define WBUF(name, size)                                                      \
	uint8_t name##_mem[size];                                             \
	struct wbuf name = { name##_mem, 0, size }

static void w_bytes(struct wbuf *w, const void *d, size_t n)
{
	if (n > w->cap - w->len)
		die("internal: message buffer overflow");
	memcpy(w->p + w->len, d, n);
	w->len += n;
}

static void w_u8(struct wbuf *w, unsigned v)
{
	uint8_t b = (uint8_t)v;
	w_bytes(w, &b, 1);
}

static void w_u16(struct wbuf *w, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	w_bytes(w, b, 2);
}

static void w_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	w_bytes(w, b, 4);
}

/* Open a constructed or primitive TLV; returns where its content starts. */
static size_t ber_open(struct wbuf *w, unsigned tag)
{
	w_u8(w, tag);
	w_u8(w, 0);
	return w->len;
}

/* Close it: definite length, short form below 128, else 0x81/0x82 long form. */
static void ber_close(struct wbuf *w, size_t start)
{
	size_t n = w->len - start;
	size_t extra = n < 128 ? 0 : n < 256 ? 1 : 2;

	if (extra) {
		if (extra > w->cap - w->len)
			die("internal: message buffer overflow");
		memmove(w->p + start + extra, w->p + start, n);
		w->len += extra;
		w->p[start - 1] = (uint8_t)(0x80 | extra);
		if (extra == 1) {
			w->p[start] = (uint8_t)n;
		} else {
			w->p[start] = (uint8_t)(n >> 8);
			w->p[start + 1] = (uint8_t)n;
		}
	} else {
		w->p[start - 1] = (uint8_t)n;
	}
}

static void ber_prim(struct wbuf *w, unsigned tag, const void *d, size_t n)
{
	size_t s = ber_open(w, tag);
	w_bytes(w, d, n);
	ber_close(w, s);
}

static void ber_int(struct wbuf *w, unsigned tag, long v)
{
	uint8_t b[4];
	int n = 0;

	/* minimal two's-complement for small non-negative values */
	if (v < 0x80) {
		b[n++] = (uint8_t)v;
	} else if (v < 0x8000) {
		b[n++] = (uint8_t)(v >> 8);
		b[n++] = (uint8_t)v;
	} else {
		b[n++] = (uint8_t)(v >> 16);
		b[n++] = (uint8_t)(v >> 8);
		b[n++] = (uint8_t)v;
	}
	ber_prim(w, tag, b, (size_t)n);
}

/* ------------------------------------------------------------------ */
/* digits                                                              */

/* TBCD (TS 29.002 17.7.8): two digits an octet, low nibble first, F filler. */
static size_t tbcd(const char *digits, uint8_t *out)
{
	size_t n = strlen(digits), o = 0;
	for (size_t i = 0; i < n; i += 2) {
		unsigned lo = (unsigned)(digits[i] - '0');
		unsigned hi = i + 1 < n ? (unsigned)(digits[i + 1] - '0') : 0x0f;
		out[o++] = (uint8_t)(lo | hi << 4);
	}
	return o;
}

/* MAP AddressString / ISDN-AddressString: 0x91 (international, E.164) + TBCD. */
static void map_address(struct wbuf *w, unsigned tag, const char *digits)
{
	uint8_t b[20];
	b[0] = 0x91;
	size_t n = 1 + tbcd(digits, b + 1);
	ber_prim(w, tag, b, n);
}

static void map_imsi(struct wbuf *w, unsigned tag, const char *imsi)
{
	uint8_t b[10] = { 0 }; /* zeroed: GCC with profile data cannot see tbcd() fill it */
	ber_prim(w, tag, b, tbcd(imsi, b));
}

/* ------------------------------------------------------------------ */
/* GSM 7-bit default alphabet and extension table (3GPP TS 23.038 6.2.1) */

static const uint16_t gsm7_basic[128] = {
	0x0040, 0x00a3, 0x0024, 0x00a5, 0x00e8, 0x00e9, 0x00f9, 0x00ec, 0x00f2, 0x00c7, 0x000a, 0x00d8,
	0x00f8, 0x000d, 0x00c5, 0x00e5, 0x0394, 0x005f, 0x03a6, 0x0393, 0x039b, 0x03a9, 0x03a0, 0x03a8,
	0x03a3, 0x0398, 0x039e, 0xffff, 0x00c6, 0x00e6, 0x00df, 0x00c9, 0x0020, 0x0021, 0x0022, 0x0023,
	0x00a4, 0x0025, 0x0026, 0x0027, 0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e, 0x002f,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, 0x0038, 0x0039, 0x003a, 0x003b,
	0x003c, 0x003d, 0x003e, 0x003f, 0x00a1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f, 0x0050, 0x0051, 0x0052, 0x0053,
	0x0054, 0x0055, 0x0056, 0x0057, 0x0058, 0x0059, 0x005a, 0x00c4, 0x00d6, 0x00d1, 0x00dc, 0x00a7,
	0x00bf, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067, 0x0068, 0x0069, 0x006a, 0x006b,
	0x006c, 0x006d, 0x006e, 0x006f, 0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007a, 0x00e4, 0x00f6, 0x00f1, 0x00fc, 0x00e0,
};

static const struct { uint16_t cp; uint8_t code; } gsm7_ext[] = {
	{ 0x000c, 0x0a }, { 0x005e, 0x14 }, { 0x007b, 0x28 }, { 0x007d, 0x29 }, { 0x005c, 0x2f },
	{ 0x005b, 0x3c }, { 0x007e, 0x3d }, { 0x005d, 0x3e }, { 0x007c, 0x40 }, { 0x20ac, 0x65 },
};

/* Septets for one code point: 1 (basic), 2 (escape + extension) or 0 (not representable). */
static int gsm7_septets(uint32_t cp, uint8_t out[2])
{
	for (int i = 0; i < 128; i++)
		if (gsm7_basic[i] == cp) {
			out[0] = (uint8_t)i;
			return 1;
		}
	for (size_t i = 0; i < sizeof(gsm7_ext) / sizeof(gsm7_ext[0]); i++)
		if (gsm7_ext[i].cp == cp) {
			out[0] = 0x1b;
			out[1] = gsm7_ext[i].code;
			return 2;
		}
	return 0;
}

/* UTF-8 -> code points (input is our own literal text: assumed valid). */
static size_t utf8_decode(const char *s, uint32_t *cps, size_t max)
{
	size_t n = 0;
	const uint8_t *p = (const uint8_t *)s;
	while (*p && n < max) {
		uint32_t c = *p++;
		int more = 0;
		if (c >= 0xf0) { c &= 0x07; more = 3; }
		else if (c >= 0xe0) { c &= 0x0f; more = 2; }
		else if (c >= 0xc0) { c &= 0x1f; more = 1; }
		while (more-- && *p)
			c = c << 6 | (*p++ & 0x3f);
		cps[n++] = c;
	}
	return n;
}

static size_t utf8_encode(const uint32_t *cps, size_t n, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = cps[i];
		if (o + 5 >= size)
			break;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
	return o;
}

/* Pack septets LSB first starting @bit_off bits into @out (zeroed here). */
static size_t gsm7_pack(const uint8_t *sept, size_t n, size_t bit_off, uint8_t *out, size_t out_bytes)
{
	size_t total_bits = bit_off + 7 * n;
	size_t bytes = (total_bits + 7) / 8;
	memset(out + bit_off / 8, 0, bytes - bit_off / 8);
	for (size_t i = 0; i < n; i++) {
		size_t bit = bit_off + 7 * i;
		unsigned v = sept[i] & 0x7f;
		out[bit / 8] |= (uint8_t)(v << (bit % 8));
		if (bit % 8 > 1)
			out[bit / 8 + 1] |= (uint8_t)(v >> (8 - bit % 8));
	}
	(void)out_bytes;
	return bytes;
}

/* ------------------------------------------------------------------ */
/* SMS TPDU (3GPP TS 23.040 9.2)                                        */

enum sms_enc { ENC_GSM7 = 0, ENC_UCS2 = 2 };

struct sms_part {
	bool deliver;	   /* SMS-DELIVER (else SMS-SUBMIT) */
	const char *addr;  /* TP-OA (deliver) or TP-DA (submit) */
	bool alnum;	   /* alphanumeric TP-OA */
	enum sms_enc enc;
	bool concat, ref16;
	uint16_t ref;
	uint8_t total, seq;
	const uint32_t *cps; /* this part's text as code points */
	size_t ncps;
	uint8_t mr;	     /* TP-MR (submit) */
	bool more;	     /* deliver: more messages to send (TP-MMS = 0) */
	const uint8_t *scts; /* 7 octets (deliver) */
};

/* TP address (9.1.2.5): length in useful semi-octets, type of address, value. */
static void tp_address(struct wbuf *w, const char *addr, bool alnum)
{
	if (alnum) {
		uint32_t cps[16];
		uint8_t sept[32], packed[32];
		size_t n = utf8_decode(addr, cps, 16), ns = 0;
		for (size_t i = 0; i < n; i++)
			ns += (size_t)gsm7_septets(cps[i], sept + ns);
		size_t bytes = gsm7_pack(sept, ns, 0, packed, sizeof(packed));
		w_u8(w, (unsigned)((ns * 7 + 3) / 4)); /* semi-octets the packed name occupies */
		w_u8(w, 0xd0);			       /* alphanumeric, GSM 7-bit */
		w_bytes(w, packed, bytes);
		return;
	}
	uint8_t b[12];
	w_u8(w, (unsigned)strlen(addr));
	w_u8(w, 0x91);
	w_bytes(w, b, tbcd(addr, b));
}

/* Build one TPDU; returns the septet/octet text cost check failures as die(). */
static void sms_tpdu(struct wbuf *w, const struct sms_part *s)
{
	uint8_t udh[8];
	size_t udh_len = 0;

	if (s->concat) {
		if (s->ref16) {
			uint8_t h[] = { 6, 0x08, 4, (uint8_t)(s->ref >> 8), (uint8_t)s->ref, s->total, s->seq };
			memcpy(udh, h, sizeof(h));
			udh_len = sizeof(h);
		} else {
			uint8_t h[] = { 5, 0x00, 3, (uint8_t)s->ref, s->total, s->seq };
			memcpy(udh, h, sizeof(h));
			udh_len = sizeof(h);
		}
	}
	unsigned fo = s->deliver ? 0x00 : 0x01; /* TP-MTI */
	if (udh_len)
		fo |= 0x40; /* TP-UDHI */
	if (s->deliver) {
		if (!s->more)
			fo |= 0x04; /* TP-MMS: no more messages */
	} else {
		fo |= 0x10; /* TP-VPF relative */
	}
	w_u8(w, fo);
	if (!s->deliver)
		w_u8(w, s->mr);
	tp_address(w, s->addr, s->alnum);
	w_u8(w, 0x00);			   /* TP-PID */
	w_u8(w, s->enc == ENC_UCS2 ? 0x08 : 0x00); /* TP-DCS */
	if (s->deliver)
		w_bytes(w, s->scts, 7);
	else
		w_u8(w, 0xa7); /* TP-VP: 24 hours */

	if (s->enc == ENC_UCS2) {
		uint8_t ud[140];
		size_t n = 0;
		memcpy(ud, udh, udh_len);
		n = udh_len;
		for (size_t i = 0; i < s->ncps; i++) {
			if (n + 2 > sizeof(ud))
				die("internal: UCS2 part too long");
			ud[n++] = (uint8_t)(s->cps[i] >> 8);
			ud[n++] = (uint8_t)s->cps[i];
		}
		w_u8(w, (unsigned)n); /* TP-UDL in octets */
		w_bytes(w, ud, n);
	} else {
		uint8_t sept[200], ud[160];
		size_t ns = 0;
		for (size_t i = 0; i < s->ncps; i++) {
			int k = gsm7_septets(s->cps[i], sept + ns);
			if (!k)
				die("internal: character outside the GSM 7-bit alphabet");
			ns += (size_t)k;
		}
		size_t hdr_septets = (udh_len * 8 + 6) / 7; /* UDH plus fill bits */
		if (hdr_septets + ns > 160)
			die("internal: 7-bit part too long");
		memset(ud, 0, sizeof(ud));
		memcpy(ud, udh, udh_len);
		size_t bytes = gsm7_pack(sept, ns, hdr_septets * 7, ud, sizeof(ud));
		if (bytes < udh_len)
			bytes = udh_len;
		w_u8(w, (unsigned)(hdr_septets + ns)); /* TP-UDL in septets */
		w_bytes(w, ud, bytes);
	}
}

/*
 * Split text into parts that fit one TPDU each (never between an escape
 * and its extension character).  Returns the number of parts; part i is
 * cps[starts[i] .. starts[i+1]).
 */
static int sms_split(const uint32_t *cps, size_t n, enum sms_enc enc, bool ref16, bool force_concat,
		     size_t *starts, int max_parts)
{
	size_t whole = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t t[2];
		whole += enc == ENC_UCS2 ? 2 : (size_t)gsm7_septets(cps[i], t);
	}
	size_t single = enc == ENC_UCS2 ? 140 : 160;
	if (whole <= single && !force_concat) {
		starts[0] = 0;
		starts[1] = n;
		return 1;
	}
	size_t udh = ref16 ? 7 : 6;
	size_t cap = enc == ENC_UCS2 ? 140 - udh : 160 - (udh * 8 + 6) / 7;
	int parts = 0;
	size_t i = 0;
	starts[0] = 0;
	while (i < n) {
		size_t used = 0;
		while (i < n) {
			uint8_t t[2];
			size_t c = enc == ENC_UCS2 ? 2 : (size_t)gsm7_septets(cps[i], t);
			if (used + c > cap)
				break;
			used += c;
			i++;
		}
		if (++parts >= max_parts)
			die("internal: text too long for the part limit");
		starts[parts] = i;
	}
	return parts;
}

/* ------------------------------------------------------------------ */
/* ground truth: what was encoded (keys as in `simsieve decode`)       */

struct sccp_gt {
	const char *digits;
	uint8_t ssn;
};

struct expect {
	const char *operation;
	int opcode;
	const char *component;
	int invoke_id;
	const char *tcap_type;
	bool has_otid, has_dtid;
	uint32_t otid, dtid;
	int acn_ctx, acn_ver; /* 0 = no dialogue portion */
	const char *sccp_type;
	uint32_t opc, dpc;
	struct sccp_gt called, calling;
	char imsi[16];
	char msisdn[20], msc[20], vlr[20], hlr[20], service_centre[20];
	char ussd[200];
	bool has_sms;
	const char *tpdu;
	char sms_orig[40], sms_dest[40];
	int dcs;
	const char *encoding;
	bool concat;
	int ref, total, seq;
	char part_text[800];
	char text[2400]; /* the whole text, on the part that completes it */
};

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\r')
			fputs("\\r", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void json_kstr(FILE *f, const char *k, const char *v)
{
	if (!v || !*v)
		return;
	fprintf(f, ",\"%s\":", k);
	json_str(f, v);
}

static void json_gt(FILE *f, const char *k, const struct sccp_gt *a)
{
	/* GTI 4, TT 0, NP 1 (E.164), ES 1/2 (odd/even), NAI 4 (international) */
	fprintf(f, ",\"%s\":{\"ssn\":%u,\"gti\":4,\"tt\":0,\"np\":1,\"es\":%d,\"nai\":4,\"digits\":", k,
		a->ssn, strlen(a->digits) % 2 ? 1 : 2);
	json_str(f, a->digits);
	fputc('}', f);
}

static void expect_write(FILE *f, uint64_t frame, const struct expect *e)
{
	fprintf(f, "{\"frame\":%" PRIu64 ",\"protocol\":\"gsm_map\"", frame);
	json_kstr(f, "operation", e->operation);
	fprintf(f, ",\"opc\":%u,\"dpc\":%u,\"si\":3", e->opc, e->dpc);
	fprintf(f, ",\"sccp\":{\"type\":\"%s\"", e->sccp_type);
	json_gt(f, "called", &e->called);
	json_gt(f, "calling", &e->calling);
	fprintf(f, "},\"tcap\":{\"type\":\"%s\"", e->tcap_type);
	if (e->has_otid)
		fprintf(f, ",\"otid\":\"%08x\"", e->otid);
	if (e->has_dtid)
		fprintf(f, ",\"dtid\":\"%08x\"", e->dtid);
	if (e->acn_ctx)
		fprintf(f, ",\"acn\":\"0.4.0.0.1.0.%d.%d\",\"map_version\":%d", e->acn_ctx, e->acn_ver,
			e->acn_ver);
	fprintf(f, ",\"component\":\"%s\",\"invoke_id\":%d", e->component, e->invoke_id);
	if (e->opcode >= 0)
		fprintf(f, ",\"opcode\":%d", e->opcode);
	fputc('}', f);
	json_kstr(f, "imsi", e->imsi);
	json_kstr(f, "msisdn", e->msisdn);
	json_kstr(f, "msc", e->msc);
	json_kstr(f, "vlr", e->vlr);
	json_kstr(f, "hlr", e->hlr);
	json_kstr(f, "service_centre", e->service_centre);
	json_kstr(f, "ussd", e->ussd);
	if (e->has_sms) {
		fprintf(f, ",\"sms\":{\"tpdu\":\"%s\"", e->tpdu);
		json_kstr(f, "originator", e->sms_orig);
		json_kstr(f, "destination", e->sms_dest);
		fprintf(f, ",\"dcs\":%d,\"encoding\":\"%s\"", e->dcs, e->encoding);
		if (e->concat)
			fprintf(f, ",\"concat\":{\"ref\":%d,\"total\":%d,\"seq\":%d}", e->ref, e->total, e->seq);
		fprintf(f, ",\"complete\":%s", e->text[0] ? "true" : "false");
		fputs(",\"part_text\":", f);
		json_str(f, e->part_text);
		if (e->text[0]) {
			fputs(",\"text\":", f);
			json_str(f, e->text);
		}
		fputc('}', f);
	}
	fputs("}\n", f);
}

/* ------------------------------------------------------------------ */
/* network elements                                                     */

struct node {
	const char *gt;
	uint8_t ssn;
	uint32_t pc;   /* ITU 14-bit point code of the node (or of its gateway) */
	uint32_t ip;   /* SCTP endpoint carrying its M3UA */
};

/* ------------------------------------------------------------------ */
/* output: pcap + expectations                                          */

enum sccp_mode { SCCP_UDT, SCCP_XUDT, SCCP_XUDT_SEG };

#define MAX_BUNDLE 8
#define TSN_SLOTS 256

struct gen {
	pcap_dumper_t *dump;
	FILE *expect;
	int link; /* DLT_EN10MB or DLT_RAW */
	uint64_t frame;
	uint64_t messages;
	uint64_t limit; /* bulk mode: stop writing after this many messages */
	int64_t t_us;
	uint64_t tsn_key[TSN_SLOTS];
	uint32_t tsn[TSN_SLOTS];
	uint16_t ip_id;
	uint32_t seg_ref;
	size_t seg_size; /* XUDT segment size for forced segmentation */
	/* bundling: chunks queued for one packet */
	int bundle_depth;
	uint32_t b_src, b_dst;
	int b_n;
	uint8_t b_chunk[MAX_BUNDLE][600];
	size_t b_len[MAX_BUNDLE];
	struct expect b_expect[MAX_BUNDLE];
	bool b_has_expect[MAX_BUNDLE];
};

/* CRC32c (Castagnoli), reflected, as SCTP uses it. */
static uint32_t crc32c_table[8][256];

static void crc32c_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc32c_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int t = 1; t < 8; t++)
			crc32c_table[t][i] = (crc32c_table[t - 1][i] >> 8) ^ crc32c_table[0][crc32c_table[t - 1][i] & 0xff];
}

static uint32_t crc32c(const uint8_t *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	while (n >= 8) { /* slicing-by-8 */
		uint32_t a = c ^ (uint32_t)(p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24);
		c = crc32c_table[7][a & 0xff] ^ crc32c_table[6][(a >> 8) & 0xff] ^
		    crc32c_table[5][(a >> 16) & 0xff] ^ crc32c_table[4][a >> 24] ^ crc32c_table[3][p[4]] ^
		    crc32c_table[2][p[5]] ^ crc32c_table[1][p[6]] ^ crc32c_table[0][p[7]];
		p += 8;
		n -= 8;
	}
	while (n--)
		c = (c >> 8) ^ crc32c_table[0][(c ^ *p++) & 0xff];
	return ~c;
}

static uint16_t ip_checksum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The next TSN of the association direction src -> dst (open addressing, never full in practice). */
static uint32_t *tsn_slot(struct gen *g, uint32_t src, uint32_t dst)
{
	uint64_t key = (uint64_t)src << 32 | dst;
	size_t i = (size_t)(splitmix64(key) % TSN_SLOTS);
	for (size_t k = 0; k < TSN_SLOTS; k++, i = (i + 1) % TSN_SLOTS) {
		if (g->tsn_key[i] == key)
			return &g->tsn[i];
		if (!g->tsn_key[i]) {
			g->tsn_key[i] = key;
			g->tsn[i] = (uint32_t)splitmix64(key ^ 0x7453) & 0x0fffffffu; /* initial TSN */
			return &g->tsn[i];
		}
	}
	die("internal: too many SCTP associations");
	return NULL;
}

/* One packet: [Ethernet] IPv4 SCTP with @n DATA chunks (M3UA messages). */
static void write_packet(struct gen *g, uint32_t src, uint32_t dst, uint8_t chunks[][600], const size_t *lens,
			 int n)
{
	uint8_t pkt[4096];
	size_t off = 0;

	if (g->link == DLT_EN10MB) {
		uint8_t eth[14] = { 0x02, 0x00, (uint8_t)(dst >> 24), (uint8_t)(dst >> 16), (uint8_t)(dst >> 8),
				    (uint8_t)dst, 0x02, 0x00, (uint8_t)(src >> 24), (uint8_t)(src >> 16),
				    (uint8_t)(src >> 8), (uint8_t)src, 0x08, 0x00 };
		memcpy(pkt, eth, 14);
		off = 14;
	}
	size_t ip_off = off;
	off += 20;
	size_t sctp_off = off;
	struct wbuf w = { pkt + off, 0, sizeof(pkt) - off };
	w_u16(&w, 2905);  /* source port */
	w_u16(&w, 2905);  /* destination port */
	w_u32(&w, (uint32_t)splitmix64(dst) | 1); /* verification tag: the receiver's, RFC 9260 8.5 */
	w_u32(&w, 0);	  /* checksum, filled below */
	uint32_t *tsn = tsn_slot(g, src, dst);
	for (int i = 0; i < n; i++) {
		w_u8(&w, 0);	/* DATA */
		w_u8(&w, 0x03); /* B and E: an unfragmented user message */
		w_u16(&w, (unsigned)(16 + lens[i]));
		w_u32(&w, ++*tsn);
		w_u16(&w, 1);			   /* stream */
		w_u16(&w, (unsigned)(*tsn & 0xffff)); /* stream sequence */
		w_u32(&w, 3);			   /* PPID M3UA */
		w_bytes(&w, chunks[i], lens[i]);
		while (w.len % 4)
			w_u8(&w, 0);
	}
	uint32_t crc = crc32c(pkt + sctp_off, w.len);
	/* RFC 9260 appendix B: the CRC goes on the wire least significant byte first */
	pkt[sctp_off + 8] = (uint8_t)crc;
	pkt[sctp_off + 9] = (uint8_t)(crc >> 8);
	pkt[sctp_off + 10] = (uint8_t)(crc >> 16);
	pkt[sctp_off + 11] = (uint8_t)(crc >> 24);
	off += w.len;

	size_t ip_len = off - ip_off;
	uint8_t *ip = pkt + ip_off;
	ip[0] = 0x45;
	ip[1] = 0;
	ip[2] = (uint8_t)(ip_len >> 8);
	ip[3] = (uint8_t)ip_len;
	g->ip_id++;
	ip[4] = (uint8_t)(g->ip_id >> 8);
	ip[5] = (uint8_t)g->ip_id;
	ip[6] = 0x40; /* DF */
	ip[7] = 0;
	ip[8] = 64;
	ip[9] = 132; /* SCTP */
	ip[10] = ip[11] = 0;
	for (int i = 0; i < 4; i++) {
		ip[12 + i] = (uint8_t)(src >> (24 - 8 * i));
		ip[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
	}
	uint16_t cs = ip_checksum(ip, 20);
	ip[10] = (uint8_t)(cs >> 8);
	ip[11] = (uint8_t)cs;

	struct pcap_pkthdr h;
	h.ts.tv_sec = (time_t)(g->t_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(g->t_us % 1000000);
	h.caplen = h.len = (bpf_u_int32)off;
	pcap_dump((u_char *)g->dump, &h, pkt);
	g->frame++;
}

static void advance_time(struct gen *g)
{
	g->t_us += 200 + rnd_below(20000);
}

/* M3UA DATA (RFC 4666 3.3.1) carrying one SCCP message. */
static size_t m3ua_data(uint8_t *out, size_t cap, uint32_t opc, uint32_t dpc, const uint8_t *sccp, size_t n)
{
	struct wbuf w = { out, 0, cap };
	w_u8(&w, 1); /* version */
	w_u8(&w, 0);
	w_u8(&w, 1); /* class: transfer */
	w_u8(&w, 1); /* type: DATA */
	w_u32(&w, 0); /* length, below */
	w_u16(&w, 0x0006); /* Routing Context */
	w_u16(&w, 8);
	w_u32(&w, 1);
	w_u16(&w, 0x0210); /* Protocol Data */
	w_u16(&w, (unsigned)(4 + 12 + n));
	w_u32(&w, opc);
	w_u32(&w, dpc);
	w_u8(&w, 3); /* SI: SCCP */
	w_u8(&w, 2); /* NI: national */
	w_u8(&w, 0); /* MP */
	w_u8(&w, (unsigned)(opc ^ dpc) & 0x0f); /* SLS */
	w_bytes(&w, sccp, n);
	while (w.len % 4)
		w_u8(&w, 0);
	out[4] = (uint8_t)(w.len >> 24);
	out[5] = (uint8_t)(w.len >> 16);
	out[6] = (uint8_t)(w.len >> 8);
	out[7] = (uint8_t)w.len;
	return w.len;
}

/* SCCP party address (Q.713 3.4): route on GT, GTI 4, SSN present, no PC. */
static void sccp_addr(struct wbuf *w, const struct node *nd)
{
	uint8_t d[16];
	size_t nd_len = tbcd(nd->gt, d);
	w_u8(w, (unsigned)(1 + 1 + 3 + nd_len));
	w_u8(w, 0x12); /* AI: route on GT, GTI 4, SSN indicator */
	w_u8(w, nd->ssn);
	w_u8(w, 0);					     /* TT */
	w_u8(w, 0x10 | (strlen(nd->gt) % 2 ? 1 : 2)); /* NP E.164, ES BCD odd/even */
	w_u8(w, 0x04);				     /* NAI international */
	w_bytes(w, d, nd_len);
}

static void flush_bundle(struct gen *g);

/* Queue or write one M3UA chunk; the expectation is written with the frame it lands in. */
static void put_chunk(struct gen *g, uint32_t src, uint32_t dst, const uint8_t *m3ua, size_t n,
		      const struct expect *e)
{
	if (g->bundle_depth && g->b_n && (g->b_src != src || g->b_dst != dst || g->b_n == MAX_BUNDLE))
		flush_bundle(g);
	if (n > sizeof(g->b_chunk[0]))
		die("internal: M3UA message too long");
	g->b_src = src;
	g->b_dst = dst;
	memcpy(g->b_chunk[g->b_n], m3ua, n);
	g->b_len[g->b_n] = n;
	g->b_has_expect[g->b_n] = e != NULL;
	if (e)
		g->b_expect[g->b_n] = *e;
	g->b_n++;
	if (!g->bundle_depth)
		flush_bundle(g);
}

static void flush_bundle(struct gen *g)
{
	if (!g->b_n)
		return;
	if (g->limit && g->messages >= g->limit) { /* bulk mode: exactly --messages */
		g->b_n = 0;
		return;
	}
	write_packet(g, g->b_src, g->b_dst, g->b_chunk, g->b_len, g->b_n);
	for (int i = 0; i < g->b_n; i++)
		if (g->b_has_expect[i]) {
			g->messages++;
			if (g->expect)
				expect_write(g->expect, g->frame, &g->b_expect[i]);
		}
	g->b_n = 0;
	advance_time(g);
}

/* SCCP UDT or XUDT(s) around one TCAP message, each in M3UA, each queued/written. */
static void send_sccp(struct gen *g, const struct node *from, const struct node *to, const uint8_t *tcap,
		      size_t n, enum sccp_mode mode, struct expect *e)
{
	uint8_t called[24], calling[24];
	struct wbuf wc = { called, 0, sizeof(called) }, wg = { calling, 0, sizeof(calling) };
	sccp_addr(&wc, to);
	sccp_addr(&wg, from);

	/* A UDT must fit a 272-octet MTP3 SIF (Q.713 4.10): beyond that, segment in XUDTs. */
	if (mode == SCCP_UDT && 5 + wc.len + wg.len + 1 + n > 272)
		mode = SCCP_XUDT_SEG;
	size_t seg = n;
	if (mode == SCCP_XUDT_SEG)
		seg = g->seg_size < 200 ? g->seg_size : 200;
	else if (n > 255)
		die("internal: unsegmented SCCP data over 255 octets");
	int nseg = mode == SCCP_XUDT_SEG ? (int)((n + seg - 1) / seg) : 1;
	if (nseg > 16)
		die("message too long for SCCP segmentation");
	uint32_t ref = ++g->seg_ref & 0xffffff;
	e->sccp_type = mode == SCCP_UDT ? "UDT" : "XUDT";

	for (int i = 0; i < nseg; i++) {
		size_t off = (size_t)i * seg, len = n - off < seg ? n - off : seg;
		WBUF(s, 400);
		if (mode == SCCP_UDT) {
			w_u8(&s, 0x09); /* UDT */
			w_u8(&s, 0x80); /* class 0, return on error */
			w_u8(&s, 3);
			w_u8(&s, (unsigned)(3 + wc.len - 1));
			w_u8(&s, (unsigned)(2 + wc.len + wg.len - 1 - 0));
		} else {
			w_u8(&s, 0x11); /* XUDT */
			w_u8(&s, nseg > 1 ? 0x81 : 0x80); /* class 1 for in-sequence segments */
			w_u8(&s, 15);			    /* hop counter */
			w_u8(&s, 4);
			w_u8(&s, (unsigned)(4 + wc.len - 1));
			w_u8(&s, (unsigned)(3 + wc.len + wg.len - 1));
			w_u8(&s, nseg > 1 ? (unsigned)(2 + wc.len + wg.len + len) : 0);
		}
		w_bytes(&s, called, wc.len);
		w_bytes(&s, calling, wg.len);
		w_u8(&s, (unsigned)len);
		w_bytes(&s, tcap + off, len);
		if (mode != SCCP_UDT && nseg > 1) {
			w_u8(&s, 0x10); /* Segmentation (Q.713 3.17) */
			w_u8(&s, 4);
			w_u8(&s, (unsigned)((i == 0 ? 0x80 : 0) | 0x40 | (nseg - 1 - i)));
			w_u8(&s, ref >> 16);
			w_u8(&s, (ref >> 8) & 0xff);
			w_u8(&s, ref & 0xff);
			w_u8(&s, 0); /* end of optional parameters */
		}
		uint8_t m3[600];
		size_t mn = m3ua_data(m3, sizeof(m3), from->pc, to->pc, s.p, s.len);
		put_chunk(g, from->ip, to->ip, m3, mn, i == nseg - 1 ? e : NULL);
	}
}

/* ------------------------------------------------------------------ */
/* TCAP (ITU-T Q.773) and MAP (3GPP TS 29.002)                           */

enum tcap_kind { TC_BEGIN, TC_CONTINUE, TC_END };
enum comp_kind { COMP_INVOKE, COMP_RESULT, COMP_RESULT_NOPARAM };

struct tcap_msg {
	enum tcap_kind kind;
	uint32_t otid, dtid;
	int acn_ctx, acn_ver; /* 0: no dialogue portion */
	bool aare;	      /* dialogue response (else request) */
	enum comp_kind comp;
	int invoke_id, opcode;
	const uint8_t *param; /* MAP argument/result, BER, or NULL */
	size_t param_len;
};

static const char *op_name(int op)
{
	switch (op) {
	case 2: return "updateLocation";
	case 3: return "cancelLocation";
	case 7: return "insertSubscriberData";
	case 44: return "mt-forwardSM";
	case 45: return "sendRoutingInfoForSM";
	case 46: return "mo-forwardSM";
	case 56: return "sendAuthenticationInfo";
	case 59: return "processUnstructuredSS-Request";
	case 67: return "purgeMS";
	default: return "";
	}
}

static size_t tcap_build(const struct tcap_msg *t, uint8_t *out, size_t cap)
{
	struct wbuf w = { out, 0, cap };
	static const uint8_t tag[] = { 0x62, 0x65, 0x64 };
	size_t m = ber_open(&w, tag[t->kind]);
	uint8_t tid[4];
	if (t->kind != TC_END) {
		tid[0] = (uint8_t)(t->otid >> 24); tid[1] = (uint8_t)(t->otid >> 16);
		tid[2] = (uint8_t)(t->otid >> 8); tid[3] = (uint8_t)t->otid;
		ber_prim(&w, 0x48, tid, 4);
	}
	if (t->kind != TC_BEGIN) {
		tid[0] = (uint8_t)(t->dtid >> 24); tid[1] = (uint8_t)(t->dtid >> 16);
		tid[2] = (uint8_t)(t->dtid >> 8); tid[3] = (uint8_t)t->dtid;
		ber_prim(&w, 0x49, tid, 4);
	}
	if (t->acn_ctx) {
		static const uint8_t dialogue_as[] = { 0x00, 0x11, 0x86, 0x05, 0x01, 0x01, 0x01 };
		static const uint8_t pv[] = { 0x07, 0x80 }; /* protocol-version bit string: version1 */
		uint8_t acn[] = { 0x04, 0x00, 0x00, 0x01, 0x00, (uint8_t)t->acn_ctx, (uint8_t)t->acn_ver };
		size_t dp = ber_open(&w, 0x6b);
		size_t ext = ber_open(&w, 0x28);
		ber_prim(&w, 0x06, dialogue_as, sizeof(dialogue_as));
		size_t enc = ber_open(&w, 0xa0);
		size_t apdu = ber_open(&w, t->aare ? 0x61 : 0x60);
		ber_prim(&w, 0x80, pv, sizeof(pv));
		size_t a1 = ber_open(&w, 0xa1);
		ber_prim(&w, 0x06, acn, sizeof(acn));
		ber_close(&w, a1);
		if (t->aare) {
			size_t r = ber_open(&w, 0xa2); /* result: accepted */
			ber_int(&w, 0x02, 0);
			ber_close(&w, r);
			size_t d = ber_open(&w, 0xa3); /* result-source-diagnostic: dialogue-service-user null */
			size_t u = ber_open(&w, 0xa1);
			ber_int(&w, 0x02, 0);
			ber_close(&w, u);
			ber_close(&w, d);
		}
		ber_close(&w, apdu);
		ber_close(&w, enc);
		ber_close(&w, ext);
		ber_close(&w, dp);
	}
	size_t cp = ber_open(&w, 0x6c);
	if (t->comp == COMP_INVOKE) {
		size_t c = ber_open(&w, 0xa1);
		ber_int(&w, 0x02, t->invoke_id);
		ber_int(&w, 0x02, t->opcode);
		if (t->param)
			w_bytes(&w, t->param, t->param_len);
		ber_close(&w, c);
	} else {
		size_t c = ber_open(&w, 0xa2); /* returnResultLast */
		ber_int(&w, 0x02, t->invoke_id);
		if (t->comp == COMP_RESULT) {
			size_t r = ber_open(&w, 0x30);
			ber_int(&w, 0x02, t->opcode);
			if (t->param)
				w_bytes(&w, t->param, t->param_len);
			ber_close(&w, r);
		}
		ber_close(&w, c);
	}
	ber_close(&w, cp);
	ber_close(&w, m);
	return w.len;
}

/*
 * Send one TCAP message from @from to @to; fills the transport and TCAP
 * parts of @e (the caller filled the MAP parts) and writes it.
 */
static void send_tcap(struct gen *g, const struct node *from, const struct node *to, const struct tcap_msg *t,
		      enum sccp_mode mode, struct expect *e)
{
	uint8_t buf[3000];
	size_t n = tcap_build(t, buf, sizeof(buf));
	static const char *const kinds[] = { "begin", "continue", "end" };

	e->tcap_type = kinds[t->kind];
	e->has_otid = t->kind != TC_END;
	e->has_dtid = t->kind != TC_BEGIN;
	e->otid = t->otid;
	e->dtid = t->dtid;
	e->acn_ctx = t->acn_ctx;
	e->acn_ver = t->acn_ver;
	e->invoke_id = t->invoke_id;
	e->component = t->comp == COMP_INVOKE ? "invoke" : "returnResult";
	e->opcode = t->comp == COMP_RESULT_NOPARAM ? -1 : t->opcode;
	if (!e->operation && e->opcode >= 0)
		e->operation = op_name(t->opcode);
	e->opc = from->pc;
	e->dpc = to->pc;
	e->called.digits = to->gt;
	e->called.ssn = to->ssn;
	e->calling.digits = from->gt;
	e->calling.ssn = from->ssn;
	send_sccp(g, from, to, buf, n, mode, e);
}

/* A dialogue: two transaction ids and the ACN both ends agreed. */
struct dialogue {
	const struct node *a, *b; /* initiator, responder */
	uint32_t tid_a, tid_b;
	int ctx, ver;
	bool answered;
};

static void dlg_open(struct dialogue *d, const struct node *a, const struct node *b, int ctx, int ver)
{
	d->a = a;
	d->b = b;
	d->tid_a = (uint32_t)rnd() | 0x01000000u;
	d->tid_b = (uint32_t)rnd() | 0x02000000u;
	d->ctx = ctx;
	d->ver = ver;
	d->answered = false;
}

/* Initiator's Begin with AARQ and one invoke. */
static void dlg_begin(struct gen *g, struct dialogue *d, int invoke_id, int op, const struct wbuf *param,
		      enum sccp_mode mode, struct expect *e)
{
	struct tcap_msg t = { TC_BEGIN, d->tid_a, 0, d->ctx, d->ver, false, COMP_INVOKE, invoke_id, op,
			      param ? param->p : NULL, param ? param->len : 0 };
	send_tcap(g, d->a, d->b, &t, mode, e);
}

/* A later message: @from_b says which end sends; @end closes the dialogue. */
static void dlg_next(struct gen *g, struct dialogue *d, bool from_b, bool end, enum comp_kind comp, int invoke_id,
		     int op, const struct wbuf *param, struct expect *e)
{
	struct tcap_msg t = { end ? TC_END : TC_CONTINUE, from_b ? d->tid_b : d->tid_a, from_b ? d->tid_a : d->tid_b,
			      0, 0, false, comp, invoke_id, op, param ? param->p : NULL, param ? param->len : 0 };
	if (from_b && !d->answered) { /* first answer carries the AARE */
		t.acn_ctx = d->ctx;
		t.acn_ver = d->ver;
		t.aare = true;
		d->answered = true;
	}
	send_tcap(g, from_b ? d->b : d->a, from_b ? d->a : d->b, &t, SCCP_UDT, e);
}

/* MAP application contexts (TS 29.002 17.3.3) and operation codes. */
enum {
	AC_NETWORK_LOC_UP = 1, AC_LOCATION_CANCEL = 2, AC_INFO_RETRIEVAL = 14, AC_NETWORK_USSD = 19,
	AC_SM_GATEWAY = 20, AC_SM_MO_RELAY = 21, AC_SM_MT_RELAY = 25, AC_MS_PURGING = 27,
};
enum {
	OP_UL = 2, OP_CANCEL = 3, OP_ISD = 7, OP_MT_FSM = 44, OP_SRI_SM = 45, OP_MO_FSM = 46, OP_SAI = 56,
	OP_USSD = 59, OP_PURGE = 67,
};

/* ------------------------------------------------------------------ */
/* the MAP procedures                                                   */

struct sub {
	char imsi[16];
	char msisdn[16];
};

struct net {
	struct node hlr, vlr, msc, smsc_gw, smsc;
	struct node vlr_abroad[5], msc_abroad[5];
};

static const char *const abroad_cc[5] = { "95", "856", "855", "971", "63" };
static const char *const abroad_gt[5] = { "9592000001", "8562050001", "85512000001", "971500000001",
					  "639170000001" };
static const char *const abroad_msc_gt[5] = { "9592000002", "8562050002", "85512000002", "971500000002",
					      "639170000002" };

#define SMSC_ADDR "8613800138000"

static void expect_clear(struct expect *e)
{
	memset(e, 0, sizeof(*e));
	e->opcode = -1;
}

static void set_digits(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* updateLocation (v3) + insertSubscriberData inside it + the result, VLR <-> HLR. */
static void proc_update_location(struct gen *g, const struct net *nw, const struct node *vlr, const struct node *msc,
				 const struct sub *s, enum sccp_mode mode)
{
	struct dialogue d;
	struct expect e;
	dlg_open(&d, vlr, &nw->hlr, AC_NETWORK_LOC_UP, 3);

	WBUF(p, 256);
	size_t sq = ber_open(&p, 0x30);
	map_imsi(&p, 0x04, s->imsi);
	map_address(&p, 0x81, msc->gt); /* msc-Number [1] */
	map_address(&p, 0x04, vlr->gt); /* vlr-Number */
	ber_close(&p, sq);
	expect_clear(&e);
	set_digits(e.imsi, sizeof(e.imsi), s->imsi);
	set_digits(e.msc, sizeof(e.msc), msc->gt);
	set_digits(e.vlr, sizeof(e.vlr), vlr->gt);
	dlg_begin(g, &d, 1, OP_UL, &p, mode, &e);

	/* HLR -> VLR insertSubscriberData with the MSISDN */
	p.len = 0;
	sq = ber_open(&p, 0x30);
	map_imsi(&p, 0x80, s->imsi);     /* imsi [0] */
	map_address(&p, 0x81, s->msisdn); /* msisdn [1] */
	ber_int(&p, 0x82, 10);		 /* category [2]: ordinary subscriber */
	ber_int(&p, 0x83, 0);		 /* subscriberStatus [3]: serviceGranted */
	ber_close(&p, sq);
	expect_clear(&e);
	set_digits(e.imsi, sizeof(e.imsi), s->imsi);
	set_digits(e.msisdn, sizeof(e.msisdn), s->msisdn);
	dlg_next(g, &d, true, false, COMP_INVOKE, 2, OP_ISD, &p, &e);

	/* VLR -> HLR: insertSubscriberData result (empty) */
	expect_clear(&e); /* no opcode on the wire: the operation is not asserted */
	dlg_next(g, &d, false, false, COMP_RESULT_NOPARAM, 2, OP_ISD, NULL, &e);

	/* HLR -> VLR: updateLocation result with the HLR number */
	p.len = 0;
	sq = ber_open(&p, 0x30);
	map_address(&p, 0x04, nw->hlr.gt);
	ber_close(&p, sq);
	expect_clear(&e);
	set_digits(e.hlr, sizeof(e.hlr), nw->hlr.gt);
	dlg_next(g, &d, true, true, COMP_RESULT, 1, OP_UL, &p, &e);
}

static void proc_cancel_location(struct gen *g, const struct net *nw, const struct node *old_vlr, const struct sub *s)
{
	struct dialogue d;
	struct expect e;
	dlg_open(&d, &nw->hlr, old_vlr, AC_LOCATION_CANCEL, 3);
	WBUF(p, 64);
	size_t sq = ber_open(&p, 0xa3); /* CancelLocationArg ::= [3] SEQUENCE */
	map_imsi(&p, 0x04, s->imsi);	/* identity: imsi */
	ber_int(&p, 0x0a, 0);		/* cancellationType: updateProcedure */
	ber_close(&p, sq);
	expect_clear(&e);
	set_digits(e.imsi, sizeof(e.imsi), s->imsi);
	dlg_begin(g, &d, 1, OP_CANCEL, &p, SCCP_UDT, &e);
	expect_clear(&e); /* no opcode on the wire: the operation is not asserted */
	dlg_next(g, &d, true, true, COMP_RESULT_NOPARAM, 1, OP_CANCEL, NULL, &e);
}

static void sai_begin(struct gen *g, struct dialogue *d, const struct sub *s)
{
	struct expect e;
	WBUF(p, 64);
	size_t sq = ber_open(&p, 0x30);
	map_imsi(&p, 0x80, s->imsi); /* imsi [0] */
	ber_int(&p, 0x02, 3);	     /* numberOfRequestedVectors */
	ber_close(&p, sq);
	expect_clear(&e);
	set_digits(e.imsi, sizeof(e.imsi), s->imsi);
	dlg_begin(g, d, 1, OP_SAI, &p, SCCP_UDT, &e);
}

static void sai_end(struct gen *g, struct dialogue *d)
{
	struct expect e;
	WBUF(p, 512);
	size_t res = ber_open(&p, 0xa3); /* SendAuthenticationInfoRes ::= [3] SEQUENCE */
	size_t tl = ber_open(&p, 0xa0);	 /* tripletList */
	for (int i = 0; i < 3; i++) {
		uint8_t rand_[16], sres[4], kc[8];
		for (size_t k = 0; k < 16; k++) rand_[k] = (uint8_t)rnd();
		for (size_t k = 0; k < 4; k++) sres[k] = (uint8_t)rnd();
		for (size_t k = 0; k < 8; k++) kc[k] = (uint8_t)rnd();
		size_t t = ber_open(&p, 0x30);
		ber_prim(&p, 0x04, rand_, 16);
		ber_prim(&p, 0x04, sres, 4);
		ber_prim(&p, 0x04, kc, 8);
		ber_close(&p, t);
	}
	ber_close(&p, tl);
	ber_close(&p, res);
	expect_clear(&e);
	dlg_next(g, d, true, true, COMP_RESULT, 1, OP_SAI, &p, &e);
}

static void proc_sai(struct gen *g, const struct net *nw, const struct node *vlr, const struct sub *s)
{
	struct dialogue d;
	dlg_open(&d, vlr, &nw->hlr, AC_INFO_RETRIEVAL, 3);
	sai_begin(g, &d, s);
	sai_end(g, &d);
}

static void proc_purge(struct gen *g, const struct net *nw, const struct node *vlr, const struct sub *s)
{
	struct dialogue d;
	struct expect e;
	dlg_open(&d, vlr, &nw->hlr, AC_MS_PURGING, 3);
	WBUF(p, 64);
	size_t sq = ber_open(&p, 0xa3); /* PurgeMS-Arg ::= [3] SEQUENCE */
	map_imsi(&p, 0x04, s->imsi);
	map_address(&p, 0x80, vlr->gt); /* vlr-Number [0] */
	ber_close(&p, sq);
	expect_clear(&e);
	set_digits(e.imsi, sizeof(e.imsi), s->imsi);
	set_digits(e.vlr, sizeof(e.vlr), vlr->gt);
	dlg_begin(g, &d, 1, OP_PURGE, &p, SCCP_UDT, &e);
	expect_clear(&e); /* no opcode on the wire: the operation is not asserted */
	dlg_next(g, &d, true, true, COMP_RESULT_NOPARAM, 1, OP_PURGE, NULL, &e);
}

static void proc_sri_sm(struct gen *g, const struct net *nw, const struct node *serving_msc, const struct sub *s)
{
	struct dialogue d;
	struct expect e;
	dlg_open(&d, &nw->smsc_gw, &nw->hlr, AC_SM_GATEWAY, 3);
	WBUF(p, 64);
	size_t sq = ber_open(&p, 0x30);
	map_address(&p, 0x80, s->msisdn); /* msisdn [0] */
	uint8_t t = 0xff;
	ber_prim(&p, 0x81, &t, 1);	   /* sm-RP-PRI [1] TRUE */
	map_address(&p, 0x82, SMSC_ADDR); /* serviceCentreAddress [2] */
	ber_close(&p, sq);
	expect_clear(&e);
	set_digits(e.msisdn, sizeof(e.msisdn), s->msisdn);
	set_digits(e.service_centre, sizeof(e.service_centre), SMSC_ADDR);
	dlg_begin(g, &d, 1, OP_SRI_SM, &p, SCCP_UDT, &e);

	p.len = 0;
	sq = ber_open(&p, 0x30);
	map_imsi(&p, 0x04, s->imsi);
	size_t li = ber_open(&p, 0xa0); /* locationInfoWithLMSI [0] */
	map_address(&p, 0x81, serving_msc->gt); /* networkNode-Number [1] */
	ber_close(&p, li);
	ber_close(&p, sq);
	expect_clear(&e);
	set_digits(e.imsi, sizeof(e.imsi), s->imsi);
	set_digits(e.msc, sizeof(e.msc), serving_msc->gt);
	dlg_next(g, &d, true, true, COMP_RESULT, 1, OP_SRI_SM, &p, &e);
}

static void scts_now(const struct gen *g, uint8_t out[7])
{
	time_t t = (time_t)(g->t_us / 1000000) + 8 * 3600; /* China local time, TZ +8 */
	struct tm tm;
	gmtime_r(&t, &tm);
	int v[6] = { tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec };
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)((v[i] % 10) << 4 | v[i] / 10);
	out[6] = 0x23; /* +32 quarter hours, semi-octets swapped */
}

struct sms_spec {
	bool mt;	  /* mt-forwardSM + SMS-DELIVER, else mo-forwardSM + SMS-SUBMIT */
	const char *other; /* TP-OA (mt) / TP-DA (mo) */
	bool alnum;
	enum sms_enc enc;
	bool force_concat, ref16;
	const char *text;
	enum sccp_mode mode;
};

static uint16_t next_ref = 0x40;

/* One SMS, split into as many forwardSM dialogues as it needs. */
static void proc_sms(struct gen *g, const struct net *nw, const struct node *msc, const struct sub *s,
		     const struct sms_spec *sp)
{
	static uint32_t cps[1200];
	size_t starts[8];
	size_t n = utf8_decode(sp->text, cps, 1200);
	int parts = sms_split(cps, n, sp->enc, sp->ref16, sp->force_concat, starts, 7);
	uint16_t ref = sp->ref16 ? (uint16_t)(0x1000 + next_ref++ * 7) : (uint16_t)(next_ref++ & 0xff);
	uint8_t scts[7];

	for (int i = 0; i < parts; i++) {
		struct sms_part part = { sp->mt, sp->other, sp->alnum, sp->enc, parts > 1, sp->ref16, ref,
					 (uint8_t)parts, (uint8_t)(i + 1), cps + starts[i], starts[i + 1] - starts[i],
					 (uint8_t)(rnd() & 0xff), i + 1 < parts, scts };
		scts_now(g, scts);
		WBUF(tpdu, 200);
		sms_tpdu(&tpdu, &part);

		struct dialogue d;
		struct expect e;
		WBUF(p, 400);
		expect_clear(&e);
		size_t sq = ber_open(&p, 0x30);
		if (sp->mt) {
			dlg_open(&d, &nw->smsc_gw, msc, AC_SM_MT_RELAY, 3);
			map_imsi(&p, 0x80, s->imsi);	  /* sm-RP-DA: imsi [0] */
			map_address(&p, 0x84, SMSC_ADDR); /* sm-RP-OA: serviceCentreAddressOA [4] */
			ber_prim(&p, 0x04, tpdu.p, tpdu.len); /* sm-RP-UI */
			if (i + 1 < parts)
				ber_prim(&p, 0x05, NULL, 0); /* moreMessagesToSend */
			set_digits(e.imsi, sizeof(e.imsi), s->imsi);
			e.tpdu = "SMS-DELIVER";
			set_digits(e.sms_orig, sizeof(e.sms_orig), sp->other);
		} else {
			dlg_open(&d, msc, &nw->smsc, AC_SM_MO_RELAY, 3);
			map_address(&p, 0x84, SMSC_ADDR); /* sm-RP-DA: serviceCentreAddressDA [4] */
			map_address(&p, 0x82, s->msisdn); /* sm-RP-OA: msisdn [2] */
			ber_prim(&p, 0x04, tpdu.p, tpdu.len);
			map_imsi(&p, 0x04, s->imsi); /* imsi (v3, after sm-RP-UI) */
			set_digits(e.imsi, sizeof(e.imsi), s->imsi);
			set_digits(e.msisdn, sizeof(e.msisdn), s->msisdn);
			e.tpdu = "SMS-SUBMIT";
			set_digits(e.sms_dest, sizeof(e.sms_dest), sp->other);
		}
		ber_close(&p, sq);
		set_digits(e.service_centre, sizeof(e.service_centre), SMSC_ADDR);
		e.has_sms = true;
		e.dcs = sp->enc == ENC_UCS2 ? 8 : 0;
		e.encoding = sp->enc == ENC_UCS2 ? "ucs2" : "gsm7";
		e.concat = parts > 1;
		e.ref = ref;
		e.total = parts;
		e.seq = i + 1;
		utf8_encode(part.cps, part.ncps, e.part_text, sizeof(e.part_text));
		if (i + 1 == parts)
			utf8_encode(cps, n, e.text, sizeof(e.text));
		dlg_begin(g, &d, 1, sp->mt ? OP_MT_FSM : OP_MO_FSM, &p, sp->mode, &e);

		expect_clear(&e); /* no opcode on the wire: the operation is not asserted */
		dlg_next(g, &d, true, true, COMP_RESULT_NOPARAM, 1, sp->mt ? OP_MT_FSM : OP_MO_FSM, NULL, &e);
	}
}

/* USSD string: GSM 7-bit packed, CBS data coding 0x0f (TS 23.038 5, 6.1.2.3). */
static void ussd_param(struct wbuf *p, const char *text, const char *msisdn)
{
	uint32_t cps[200];
	uint8_t sept[200], packed[200];
	size_t n = utf8_decode(text, cps, 200), ns = 0;
	for (size_t i = 0; i < n; i++)
		ns += (size_t)gsm7_septets(cps[i], sept + ns);
	if (ns % 8 == 7)
		die("internal: USSD text would need CR padding");
	size_t bytes = gsm7_pack(sept, ns, 0, packed, sizeof(packed));
	uint8_t dcs = 0x0f;
	size_t sq = ber_open(p, 0x30);
	ber_prim(p, 0x04, &dcs, 1);
	ber_prim(p, 0x04, packed, bytes);
	if (msisdn)
		map_address(p, 0x80, msisdn); /* msisdn [0] */
	ber_close(p, sq);
}

static void proc_ussd(struct gen *g, const struct net *nw, const struct sub *s, const char *req, const char *answer)
{
	struct dialogue d;
	struct expect e;
	dlg_open(&d, &nw->vlr, &nw->hlr, AC_NETWORK_USSD, 2);
	WBUF(p, 256);
	ussd_param(&p, req, s->msisdn);
	expect_clear(&e);
	set_digits(e.msisdn, sizeof(e.msisdn), s->msisdn);
	set_digits(e.ussd, sizeof(e.ussd), req);
	dlg_begin(g, &d, 1, OP_USSD, &p, SCCP_UDT, &e);
	p.len = 0;
	ussd_param(&p, answer, NULL);
	expect_clear(&e);
	set_digits(e.ussd, sizeof(e.ussd), answer);
	dlg_next(g, &d, true, true, COMP_RESULT, 1, OP_USSD, &p, &e);
}

/* ------------------------------------------------------------------ */
/* the network and its subscribers                                      */

static uint32_t ip4(int a, int b, int c, int d)
{
	return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | (uint32_t)d;
}

static void net_init(struct net *nw)
{
	nw->hlr = (struct node){ "8613900000001", 6, 1001, ip4(10, 0, 0, 1) };
	nw->vlr = (struct node){ "8613900001001", 7, 2001, ip4(10, 0, 1, 1) };
	nw->msc = (struct node){ "8613900001001", 8, 2001, ip4(10, 0, 1, 1) };
	nw->smsc_gw = (struct node){ "8613800138000", 8, 3001, ip4(10, 0, 2, 1) };
	nw->smsc = (struct node){ "8613800138000", 8, 3001, ip4(10, 0, 2, 1) };
	for (int i = 0; i < 5; i++) {
		/* foreign nodes reach the home network through the international gateway STP */
		nw->vlr_abroad[i] = (struct node){ abroad_gt[i], 7, 50, ip4(10, 9, 0, 1 + i) };
		nw->msc_abroad[i] = (struct node){ abroad_msc_gt[i], 8, 50, ip4(10, 9, 0, 1 + i) };
	}
}

static void sub_make(struct sub *s, uint64_t k)
{
	snprintf(s->imsi, sizeof(s->imsi), "46000%010" PRIu64, (uint64_t)(k % 10000000000u));
	snprintf(s->msisdn, sizeof(s->msisdn), "86138%08" PRIu64, (uint64_t)((k * 7919) % 100000000u));
}

/* ------------------------------------------------------------------ */
/* scenario mode: every feature once or more, about 100 frames         */

static const struct sms_spec scenario_sms[] = {
	/* MT: GSM 7-bit with every extension character */
	{ true, "8613912345678", false, ENC_GSM7, false, false,
	  "Code 4821 {ref:[A-7]} ~ fee 0.00\xe2\x82\xac | ^5 \\ ok. @home \xc2\xa3" "10 \xc3\xa9t\xc3\xa9", SCCP_UDT },
	/* MT: UCS2 Chinese, bank impersonation from an alphanumeric sender */
	{ true, "ICBC", true, ENC_UCS2, false, false,
	  "\xe3\x80\x90\xe5\xb7\xa5\xe5\x95\x86\xe9\x93\xb6\xe8\xa1\x8c\xe3\x80\x91\xe6\x82\xa8\xe7\x9a\x84"
	  "\xe8\xb4\xa6\xe6\x88\xb7\xe5\xad\x98\xe5\x9c\xa8\xe5\xbc\x82\xe5\xb8\xb8\xef\xbc\x8c\xe8\xaf\xb7"
	  "\xe7\x82\xb9\xe5\x87\xbb http://icbc-verify.example/a \xe9\xaa\x8c\xe8\xaf\x81", SCCP_UDT },
	/* MT: alphanumeric sender, parcel scam, 7-bit */
	{ true, "DHL-Info", true, ENC_GSM7, false, false,
	  "Your parcel is on hold. Pay 1.99 EUR customs fee at http://dhl-track.example/x9 within 24h.",
	  SCCP_UDT },
	/* MT: 3-part concatenated 7-bit, 8-bit reference */
	{ true, "8613800000099", false, ENC_GSM7, false, false,
	  "Dear customer, your account has been selected for a special refund of 2,499.00 CNY. "
	  "To receive the refund please confirm your identity within 2 hours by replying with your "
	  "full name, ID card number and the 6-digit code we will send to this phone. Failure to "
	  "confirm will cancel the refund and your account may be suspended [ref 77-A]. Customer "
	  "service is available 24/7 at 400-800-1234; do not share this message, thank you!", SCCP_UDT },
	/* MT: 2-part concatenated UCS2 Chinese, 16-bit reference */
	{ true, "95588", false, ENC_UCS2, false, true,
	  "\xe5\xb0\x8a\xe6\x95\xac\xe7\x9a\x84\xe5\xae\xa2\xe6\x88\xb7\xef\xbc\x8c\xe6\x82\xa8\xe7\x9a\x84"
	  "\xe4\xbf\xa1\xe7\x94\xa8\xe5\x8d\xa1\xe7\xa7\xaf\xe5\x88\x86\xe5\x8d\xb3\xe5\xb0\x86\xe8\xbf\x87"
	  "\xe6\x9c\x9f\xef\xbc\x8c\xe8\xaf\xb7\xe5\x9c\xa8\xe4\xbb\x8a\xe5\xa4\xa9\xe5\x86\x85\xe7\x99\xbb"
	  "\xe5\xbd\x95\xe7\xbd\x91\xe7\xab\x99\xe5\x85\x91\xe6\x8d\xa2\xe7\x8e\xb0\xe9\x87\x91\xe7\xa4\xbc"
	  "\xe5\x8c\x85\xe3\x80\x82\xe5\xa6\x82\xe6\x9c\x89\xe7\x96\x91\xe9\x97\xae\xe8\xaf\xb7\xe8\x87\xb4"
	  "\xe7\x94\xb5\xe5\xae\xa2\xe6\x9c\x8d\xe7\x83\xad\xe7\xba\xbf\xe3\x80\x82\xe6\x9c\xac\xe7\x9f\xad"
	  "\xe4\xbf\xa1\xe7\x94\xb1\xe7\xb3\xbb\xe7\xbb\x9f\xe8\x87\xaa\xe5\x8a\xa8\xe5\x8f\x91\xe9\x80\x81"
	  "\xef\xbc\x8c\xe8\xaf\xb7\xe5\x8b\xbf\xe5\x9b\x9e\xe5\xa4\x8d\xe3\x80\x82\xe7\xa5\x9d\xe6\x82\xa8"
	  "\xe8\xaf\xa6\xe6\x83\x85\xe8\xa7\x81\xe5\xae\x98\xe7\xbd\x91\xe3\x80\x82"
	  "\xe7\x94\x9f\xe6\xb4\xbb\xe6\x84\x89\xe5\xbf\xab\xef\xbc\x81", SCCP_UDT },
	/* MO: 7-bit */
	{ false, "8613811112222", false, ENC_GSM7, false, false, "Meet at 5? Bring the SIMs _all 32_ & \xc3\xa9t\xc3\xa9.",
	  SCCP_UDT },
	/* MO: UCS2 Chinese */
	{ false, "8613811113333", false, ENC_UCS2, false, false,
	  "\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe6\x98\x8e\xe5\xa4\xa9\xe8\xa7\x81\xef\xbc\x81", SCCP_UDT },
	/* MO: 2-part 7-bit, 8-bit reference, extension chars around the split */
	{ false, "8613811114444", false, ENC_GSM7, false, false,
	  "Congratulations! You won 5000 EUR [lottery #2024]. Claim your prize now at "
	  "http://win.example/claim?id={A1B2} before midnight ~ only today! Reply STOP to opt out. "
	  "Terms apply \\ see site | \xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", SCCP_UDT },
	/* MO: 3-part UCS2, 16-bit reference */
	{ false, "8613811115555", false, ENC_UCS2, true, true,
	  "\xe7\xac\xac\xe4\xb8\x80\xe9\x83\xa8\xe5\x88\x86\xe3\x80\x82\xe8\xbf\x99\xe6\x98\xaf\xe4\xb8\x80"
	  "\xe6\x9d\xa1\xe5\xbe\x88\xe9\x95\xbf\xe7\x9a\x84\xe7\x9f\xad\xe4\xbf\xa1\xef\xbc\x8c\xe7\x94\xa8"
	  "\xe6\x9d\xa5\xe6\xb5\x8b\xe8\xaf\x95\xe5\x88\x86\xe6\xae\xb5\xe9\x87\x8d\xe7\xbb\x84\xe3\x80\x82"
	  "\xe7\xac\xac\xe4\xb8\x80\xe9\x83\xa8\xe5\x88\x86\xe3\x80\x82\xe8\xbf\x99\xe6\x98\xaf\xe4\xb8\x80"
	  "\xe6\x9d\xa1\xe5\xbe\x88\xe9\x95\xbf\xe7\x9a\x84\xe7\x9f\xad\xe4\xbf\xa1\xef\xbc\x8c\xe7\x94\xa8"
	  "\xe6\x9d\xa5\xe6\xb5\x8b\xe8\xaf\x95\xe5\x88\x86\xe6\xae\xb5\xe9\x87\x8d\xe7\xbb\x84\xe3\x80\x82"
	  "\xe7\xac\xac\xe4\xb8\x80\xe9\x83\xa8\xe5\x88\x86\xe3\x80\x82\xe8\xbf\x99\xe6\x98\xaf\xe4\xb8\x80"
	  "\xe6\x9d\xa1\xe5\xbe\x88\xe9\x95\xbf\xe7\x9a\x84\xe7\x9f\xad\xe4\xbf\xa1\xef\xbc\x8c\xe7\x94\xa8"
	  "\xe6\x9d\xa5\xe6\xb5\x8b\xe8\xaf\x95\xe5\x88\x86\xe6\xae\xb5\xe9\x87\x8d\xe7\xbb\x84\xe3\x80\x82"
	  "\xe7\xac\xac\xe4\xb8\x80\xe9\x83\xa8\xe5\x88\x86\xe3\x80\x82\xe8\xbf\x99\xe6\x98\xaf\xe4\xb8\x80"
	  "\xe6\x9d\xa1\xe5\xbe\x88\xe9\x95\xbf\xe7\x9a\x84\xe7\x9f\xad\xe4\xbf\xa1\xef\xbc\x8c\xe7\x94\xa8"
	  "\xe6\x9d\xa5\xe6\xb5\x8b\xe8\xaf\x95\xe5\x88\x86\xe6\xae\xb5\xe9\x87\x8d\xe7\xbb\x84\xe3\x80\x82"
	  "\xe7\xac\xac\xe4\xb8\x80\xe9\x83\xa8\xe5\x88\x86\xe3\x80\x82\xe8\xbf\x99\xe6\x98\xaf\xe4\xb8\x80"
	  "\xe6\x9d\xa1\xe5\xbe\x88\xe9\x95\xbf\xe7\x9a\x84\xe7\x9f\xad\xe4\xbf\xa1\xef\xbc\x8c\xe7\x94\xa8"
	  "\xe6\x9d\xa5\xe6\xb5\x8b\xe8\xaf\x95\xe5\x88\x86\xe6\xae\xb5\xe9\x87\x8d\xe7\xbb\x84\xe3\x80\x82"
	  "\xe7\xac\xac\xe4\xb8\x80\xe9\x83\xa8\xe5\x88\x86\xe3\x80\x82\xe8\xbf\x99\xe6\x98\xaf\xe4\xb8\x80"
	  "\xe6\x9d\xa1\xe5\xbe\x88\xe9\x95\xbf\xe7\x9a\x84\xe7\x9f\xad\xe4\xbf\xa1\xef\xbc\x8c\xe7\x94\xa8"
	  "\xe6\x9d\xa5\xe6\xb5\x8b\xe8\xaf\x95\xe5\x88\x86\xe6\xae\xb5\xe9\x87\x8d\xe7\xbb\x84\xe3\x80\x82"
	  "\xe7\xbb\x93\xe6\x9d\x9f", SCCP_UDT },
	/* MT: long UCS2 single part, sent as segmented XUDT */
	{ true, "10086", false, ENC_UCS2, false, false,
	  "\xe3\x80\x90\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8\xe3\x80\x91\xe6\x82\xa8\xe6\x9c\xac"
	  "\xe6\x9c\x88\xe5\xa5\x97\xe9\xa4\x90\xe5\x86\x85\xe6\xb5\x81\xe9\x87\x8f\xe5\xb7\xb2\xe4\xbd\xbf"
	  "\xe7\x94\xa8\x39\x30\x25\xef\xbc\x8c\xe5\x89\xa9\xe4\xbd\x99\x31\x2e\x32\x47\x42\xe3\x80\x82"
	  "\xe5\x8a\x9e\xe7\x90\x86\xe5\x8a\xa0\xe6\xb2\xb9\xe5\x8c\x85\xe8\xaf\xb7\xe5\x9b\x9e\xe5\xa4\x8d"
	  "\x4b\x54\x4c\x4c\xe3\x80\x82\xe8\xaf\xa6\xe6\x83\x85\xe8\xaf\xb7\xe5\x92\xa8\xe8\xaf\xa2\x31\x30"
	  "\x30\x38\x36\xe3\x80\x82\xe6\x84\x9f\xe8\xb0\xa2\xe6\x82\xa8\xe7\x9a\x84\xe6\x94\xaf\xe6\x8c\x81"
	  "\xef\xbc\x81", SCCP_XUDT_SEG },
};

static void run_scenario(struct gen *g)
{
	struct net nw;
	struct sub subs[16];
	net_init(&nw);
	uint64_t base = rnd() % 9000000000ULL + 100000000ULL;
	for (int i = 0; i < 16; i++)
		sub_make(&subs[i], base + (uint64_t)i * 101);

	/* 1. at home: authentication, location update, SMS routing */
	proc_sai(g, &nw, &nw.vlr, &subs[0]);
	proc_update_location(g, &nw, &nw.vlr, &nw.msc, &subs[0], SCCP_UDT);
	/* 2. abroad: five roaming subscribers in 95/856/855/971/63 */
	for (int i = 0; i < 5; i++) {
		struct sub *s = &subs[1 + i];
		proc_sai(g, &nw, &nw.vlr_abroad[i], s);
		proc_update_location(g, &nw, &nw.vlr_abroad[i], &nw.msc_abroad[i], s, SCCP_UDT);
		proc_cancel_location(g, &nw, &nw.vlr, s);
	}
	(void)abroad_cc;
	/* 3. SMS routing and delivery */
	proc_sri_sm(g, &nw, &nw.msc, &subs[0]);
	for (size_t i = 0; i < sizeof(scenario_sms) / sizeof(scenario_sms[0]); i++)
		proc_sms(g, &nw, &nw.msc, &subs[i % 3 == 2 ? 6 : i % 3], &scenario_sms[i]);
	/* 4. USSD, purge */
	proc_ussd(g, &nw, &subs[0], "*100#", "Balance: 12.50 CNY, valid until 2024-12-31");
	proc_purge(g, &nw, &nw.vlr, &subs[2]);
	/* 5. bundling: three SAI Begins in one SCTP packet, then their Ends in another */
	struct dialogue d[3];
	g->bundle_depth++;
	for (int i = 0; i < 3; i++) {
		dlg_open(&d[i], &nw.vlr, &nw.hlr, AC_INFO_RETRIEVAL, 3);
		sai_begin(g, &d[i], &subs[7 + i]);
	}
	flush_bundle(g);
	for (int i = 0; i < 3; i++)
		sai_end(g, &d[i]);
	flush_bundle(g);
	g->bundle_depth--;
	/* 6. XUDT without segmentation: a location update over XUDT */
	proc_update_location(g, &nw, &nw.vlr_abroad[3], &nw.msc_abroad[3], &subs[10], SCCP_XUDT);
}

/* ------------------------------------------------------------------ */
/* bulk mode: N MAP messages, a fixed mix, for benchmarks               */

static const char *const bulk_texts[] = {
	"Your verification code is 482913. Do not share it with anyone.",
	"Your parcel is on hold. Pay 1.99 EUR at http://dhl-track.example/x9",
	"Meet at 5?",
	"\xe6\x82\xa8\xe7\x9a\x84\xe9\xaa\x8c\xe8\xaf\x81\xe7\xa0\x81\xe6\x98\xaf\x31\x32\x33\x34\x35\x36",
	"Congratulations! You won 5000 EUR [lottery]. Claim at http://win.example/{id}",
};

static void run_bulk(struct gen *g, uint64_t n, uint64_t subscribers)
{
	struct net nw;
	net_init(&nw);
	while (g->messages < n) {
		struct sub s;
		sub_make(&s, rnd() % subscribers);
		uint32_t r = rnd_below(100);
		uint64_t before = g->messages;
		if (r < 30) {
			struct sms_spec sp = { true, "8613800000099", false, ENC_GSM7, false, false, NULL, SCCP_UDT };
			unsigned t = rnd_below(5);
			sp.text = bulk_texts[t];
			sp.enc = t == 3 ? ENC_UCS2 : ENC_GSM7;
			proc_sms(g, &nw, &nw.msc, &s, &sp);
		} else if (r < 55) {
			struct sms_spec sp = { false, "8613811112222", false, ENC_GSM7, false, false, NULL, SCCP_UDT };
			unsigned t = rnd_below(5);
			sp.text = bulk_texts[t];
			sp.enc = t == 3 ? ENC_UCS2 : ENC_GSM7;
			proc_sms(g, &nw, &nw.msc, &s, &sp);
		} else if (r < 70) {
			int a = (int)rnd_below(10);
			const struct node *v = a < 5 ? &nw.vlr_abroad[a] : &nw.vlr;
			const struct node *m = a < 5 ? &nw.msc_abroad[a] : &nw.msc;
			proc_update_location(g, &nw, v, m, &s, SCCP_UDT);
		} else if (r < 90) {
			proc_sai(g, &nw, &nw.vlr, &s);
		} else if (r < 97) {
			proc_sri_sm(g, &nw, &nw.msc, &s);
		} else {
			proc_purge(g, &nw, &nw.vlr, &s);
		}
		(void)before;
	}
}

/* ------------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("usage: gen_map_trace --out PREFIX [options]\n"
	      "\n"
	      "Writes PREFIX.pcap: MAP over TCAP/SCCP/M3UA/SCTP/IPv4 (3GPP TS 29.002, ITU-T Q.773,\n"
	      "Q.713, RFC 4666, RFC 9260) and PREFIX.expect.jsonl: per MAP message the values\n"
	      "encoded, keyed like `simsieve decode` output, with the frame it ends in.\n"
	      "\n"
	      "Scenario mode (default), about 100 frames: SAI, updateLocation + insertSubscriberData\n"
	      "at home (VLR GT 86...) and abroad (95, 856, 855, 971, 63), cancelLocation,\n"
	      "sendRoutingInfoForSM, mt-/mo-forwardSM with SMS-DELIVER/SUBMIT (GSM 7-bit with\n"
	      "extension characters, UCS2 Chinese, 2-3 part concatenation with 8- and 16-bit\n"
	      "references, alphanumeric senders), processUnstructuredSS-Request, purgeMS, three\n"
	      "DATA chunks bundled in one SCTP packet, segmented and unsegmented XUDT.\n"
	      "\n"
	      "options:\n"
	      "  --out PREFIX       output prefix (a trailing .pcap is dropped)\n"
	      "  --seed S           seed of every random choice (default 1)\n"
	      "  --link eth|raw     Ethernet II (default) or raw IPv4 link type\n"
	      "  --start EPOCH      capture start, seconds since 1970 (default 1709251200)\n"
	      "  --segment BYTES    XUDT segment size for forced segmentation (default 120)\n"
	      "  --messages N       bulk mode: exactly N MAP messages (one per packet), a mix of\n"
	      "                     mt/mo-forwardSM, updateLocation, SAI, SRI-SM, purgeMS\n"
	      "  --subscribers N    bulk mode: subscriber population (default 100000)\n"
	      "  --expect           bulk mode: write PREFIX.expect.jsonl too (scenario mode always does)\n"
	      "  --no-expect        do not write PREFIX.expect.jsonl\n"
	      "  -h, --help         this text\n"
	      "\n"
	      "Same arguments -> byte-identical files.  Prints a one-line summary.\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	uint64_t seed = 1, messages = 0, subscribers = 100000;
	int64_t start = 1709251200; /* 2024-03-01T00:00:00Z */
	int link = DLT_EN10MB, want_expect = -1;
	size_t seg = 120;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--expect")) {
			want_expect = 1;
		} else if (!strcmp(a, "--no-expect")) {
			want_expect = 0;
		} else if (!v) {
			usage(stderr);
			return 2;
		} else if (!strcmp(a, "--out")) {
			out = v, i++;
		} else if (!strcmp(a, "--seed")) {
			seed = strtoull(v, NULL, 10), i++;
		} else if (!strcmp(a, "--messages")) {
			messages = strtoull(v, NULL, 10), i++;
		} else if (!strcmp(a, "--subscribers")) {
			subscribers = strtoull(v, NULL, 10), i++;
		} else if (!strcmp(a, "--start")) {
			start = strtoll(v, NULL, 10), i++;
		} else if (!strcmp(a, "--segment")) {
			seg = strtoul(v, NULL, 10), i++;
		} else if (!strcmp(a, "--link")) {
			if (!strcmp(v, "eth"))
				link = DLT_EN10MB;
			else if (!strcmp(v, "raw"))
				link = DLT_RAW;
			else
				die("--link: eth or raw");
			i++;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!out) {
		usage(stderr);
		return 2;
	}
	if (subscribers == 0 || seg < 16)
		die("--subscribers must be > 0 and --segment >= 16");
	if (want_expect < 0)
		want_expect = messages == 0;

	char prefix[4096], path[4200];
	snprintf(prefix, sizeof(prefix), "%s", out);
	size_t pl = strlen(prefix);
	if (pl > 5 && !strcmp(prefix + pl - 5, ".pcap"))
		prefix[pl - 5] = '\0';

	crc32c_init();
	rng_state = splitmix64(seed) | 1;

	static struct gen g;
	g.link = link;
	g.t_us = start * 1000000;
	g.seg_size = seg;
	pcap_t *dead = pcap_open_dead(link, 65535);
	if (!dead)
		die("pcap_open_dead failed");
	snprintf(path, sizeof(path), "%s.pcap", prefix);
	FILE *pf = fopen(path, "wb");
	if (!pf) {
		perror(path);
		return 1;
	}
	static char pbuf[1 << 20];
	setvbuf(pf, pbuf, _IOFBF, sizeof(pbuf));
	g.dump = pcap_dump_fopen(dead, pf);
	if (!g.dump)
		die(pcap_geterr(dead));
	if (want_expect) {
		snprintf(path, sizeof(path), "%s.expect.jsonl", prefix);
		g.expect = fopen(path, "w");
		if (!g.expect) {
			perror(path);
			return 1;
		}
	}

	g.limit = messages;
	if (messages)
		run_bulk(&g, messages, subscribers);
	else
		run_scenario(&g);
	flush_bundle(&g);

	pcap_dump_close(g.dump);
	pcap_close(dead);
	if (g.expect && fclose(g.expect) != 0) {
		perror("expect");
		return 1;
	}
	printf("gen_map_trace: %s.pcap: %" PRIu64 " frames, %" PRIu64 " MAP messages\n", prefix, g.frame, g.messages);
	return 0;
}
