/*
 * check_pcap.c - the capture reader's transport layer (src/ingest/pcap.c)
 * without the decoders: captures are built here (pcap_open_dead +
 * pcap_dump, or frames fed by hand) and the payload hook records what would
 * have gone to dec_dispatch().
 */
#include "core/err.h"
#include "ingest/pcap.h"

#include <check.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- what the hook saw ---- */

#define MAX_SEEN 64

struct seen_payload {
	enum dec_transport transport;
	uint32_t ppid, stream;
	uint16_t sport, dport;
	uint64_t frame;
	char stack[DEC_STACK_SIZE];
	uint8_t *data;
	size_t len;
};

struct seen {
	struct seen_payload pl[MAX_SEEN];
	size_t n;
	size_t n_anomalies;
	char last_anomaly[DEC_ANOMALY_SIZE];
};

static void on_payload(void *arg, const struct dec_payload *pl)
{
	struct seen *s = arg;
	ck_assert_uint_lt(s->n, MAX_SEEN);
	struct seen_payload *p = &s->pl[s->n++];
	p->transport = pl->transport;
	p->ppid = pl->ppid;
	p->stream = pl->stream;
	p->sport = pl->src_port;
	p->dport = pl->dst_port;
	p->frame = pl->frame;
	snprintf(p->stack, sizeof(p->stack), "%s", pl->stack);
	p->len = pl->data.len;
	p->data = malloc(p->len ? p->len : 1);
	memcpy(p->data, pl->data.p, p->len);
}

static void on_anomaly(void *arg, const struct ingest_pcap_anomaly *a)
{
	struct seen *s = arg;
	s->n_anomalies++;
	snprintf(s->last_anomaly, sizeof(s->last_anomaly), "%s", a->reason);
}

static void seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->pl[i].data);
	memset(s, 0, sizeof(*s));
}

static struct ingest_pcap *dead(int linktype, struct seen *s)
{
	struct ingest_pcap_handlers h = { .payload = on_payload, .anomaly = on_anomaly, .arg = s };
	struct ingest_pcap *r;
	memset(s, 0, sizeof(*s));
	ck_assert_int_eq(ingest_pcap_reader_open_dead(linktype, &h, &r), 0);
	return r;
}

static void feed(struct ingest_pcap *r, const uint8_t *p, size_t len)
{
	static ss_time_us t = 1000000;
	t += 1000;
	ingest_pcap_feed(r, p, len, len, t);
}

static struct ingest_pcap_counters counters(struct ingest_pcap *r)
{
	struct ingest_pcap_counters c;
	ingest_pcap_reader_counters(r, &c);
	return c;
}

/* ---- packet builders ---- */

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static size_t ip4(uint8_t *o, uint8_t proto, uint16_t id, uint16_t frag, const uint8_t *pl, size_t len)
{
	memset(o, 0, 20);
	o[0] = 0x45;
	put16(o + 2, (unsigned)(20 + len));
	put16(o + 4, id);
	put16(o + 6, frag);
	o[8] = 64;
	o[9] = proto;
	memcpy(o + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	memmove(o + 20, pl, len);
	return 20 + len;
}

static size_t ip6(uint8_t *o, uint8_t nh, const uint8_t *pl, size_t len)
{
	memset(o, 0, 40);
	o[0] = 0x60;
	put16(o + 4, (unsigned)len);
	o[6] = nh;
	o[7] = 64;
	o[8] = 0x20, o[9] = 0x01, o[23] = 1;
	o[24] = 0x20, o[25] = 0x01, o[39] = 2;
	memmove(o + 40, pl, len);
	return 40 + len;
}

static size_t udp(uint8_t *o, uint16_t sp, uint16_t dp, const void *d, size_t len)
{
	put16(o, sp);
	put16(o + 2, dp);
	put16(o + 4, (unsigned)(8 + len));
	put16(o + 6, 0);
	memmove(o + 8, d, len);
	return 8 + len;
}

static size_t sctp_common(uint8_t *o, uint32_t vtag)
{
	put16(o, 2905);
	put16(o + 2, 2906);
	put32(o + 4, vtag);
	put32(o + 8, 0);
	return 12;
}

static size_t sctp_data(uint8_t *o, uint32_t tsn, uint8_t flags, uint16_t sid, uint16_t ssn, uint32_t ppid,
			const void *d, size_t len)
{
	o[0] = 0;
	o[1] = flags;
	put16(o + 2, (unsigned)(16 + len));
	put32(o + 4, tsn);
	put16(o + 8, sid);
	put16(o + 10, ssn);
	put32(o + 12, ppid);
	memcpy(o + 16, d, len);
	size_t n = 16 + len;
	while (n % 4)
		o[n++] = 0;
	return n;
}

static size_t tcp(uint8_t *o, uint16_t sp, uint16_t dp, uint32_t seq, uint8_t flags, const void *d, size_t len)
{
	memset(o, 0, 20);
	put16(o, sp);
	put16(o + 2, dp);
	put32(o + 4, seq);
	o[12] = 0x50;
	o[13] = flags;
	put16(o + 14, 65535);
	memcpy(o + 20, d, len);
	return 20 + len;
}

static size_t eth(uint8_t *o, int vlans, uint16_t type, const uint8_t *pl, size_t len)
{
	size_t n = 12;
	memset(o, 0x11, 12);
	for (int i = 0; i < vlans; i++) {
		put16(o + n, i == 0 && vlans > 1 ? 0x88a8 : 0x8100);
		put16(o + n + 2, (unsigned)(100 + i));
		n += 4;
	}
	put16(o + n, type);
	n += 2;
	memmove(o + n, pl, len);
	return n + len;
}

/* One UDP/IPv4 frame on Ethernet carrying @text from port 1111 to 2222. */
static size_t eth_udp(uint8_t *o, const char *text)
{
	uint8_t a[2048], b[2048];
	size_t n = udp(a, 1111, 2222, text, strlen(text));
	n = ip4(b, 17, 1, 0, a, n);
	return eth(o, 0, 0x0800, b, n);
}

/* ---- capture files ---- */

struct frame {
	const uint8_t *p;
	size_t len;
};

static void write_capture(const char *path, int linktype, const struct frame *fr, size_t n)
{
	pcap_t *pd = pcap_open_dead_with_tstamp_precision(linktype, 262144, PCAP_TSTAMP_PRECISION_MICRO);
	ck_assert_ptr_nonnull(pd);
	pcap_dumper_t *d = pcap_dump_open(pd, path);
	ck_assert_ptr_nonnull(d);
	for (size_t i = 0; i < n; i++) {
		struct pcap_pkthdr h = { .ts = { (time_t)(1700000000 + i), 5 }, .caplen = (bpf_u_int32)fr[i].len,
					 .len = (bpf_u_int32)fr[i].len };
		pcap_dump((u_char *)d, &h, fr[i].p);
	}
	pcap_dump_close(d);
	pcap_close(pd);
}

static struct ingest_pcap *open_file(const char *path, struct seen *s, char *err, size_t esize, int *rc)
{
	struct ingest_pcap_handlers h = { .payload = on_payload, .anomaly = on_anomaly, .arg = s };
	struct ingest_pcap *r = NULL;
	memset(s, 0, sizeof(*s));
	*rc = ingest_pcap_reader_open(path, NULL, &h, &r, err, esize);
	return r;
}

static int run_all(struct ingest_pcap *r)
{
	int rc;
	while ((rc = ingest_pcap_reader_step(r)) > 0)
		;
	return rc;
}

/* ---- link types ---- */

struct link_case {
	int linktype;
	const char *stack;
};

START_TEST(test_link_types)
{
	static const struct link_case cases[] = {
		{ DLT_EN10MB, "eth:ethertype:ieee8021ad:ethertype:vlan:ethertype:ip:udp" }, /* QinQ */
		{ DLT_LINUX_SLL, "sll:ethertype:ip:udp" },
		{ DLT_LINUX_SLL2, "sll:ethertype:ip:udp" },
		{ DLT_RAW, "raw:ip:udp" },
		{ DLT_IPV4, "ip:udp" },
		{ DLT_IPV6, "ipv6:udp" },
		{ DLT_NULL, "null:ip:udp" },
		{ DLT_LOOP, "null:ipv6:udp" },
		{ DLT_MTP2_WITH_PHDR, "mtp2" },
		{ DLT_MTP2, "mtp2" },
		{ DLT_MTP3, "" },
	};
	static const char msg[] = "hello signalling";
	static const uint8_t msu[] = { 0x83, 0x02, 0x00, 0x40, 0x00, 0x09, 0x01, 0x03, 0x0e, 0x19, 0x0b };
	const struct link_case *lc = &cases[_i];
	uint8_t u[256], ip[512], f[600];
	size_t n = udp(u, 4729, 4729, msg, sizeof(msg) - 1), fl = 0;
	bool v6 = lc->linktype == DLT_IPV6 || lc->linktype == DLT_LOOP;
	size_t iplen = v6 ? ip6(ip, 17, u, n) : ip4(ip, 17, 1, 0, u, n);

	switch (lc->linktype) {
	case DLT_EN10MB:
		fl = eth(f, 2, 0x0800, ip, iplen);
		break;
	case DLT_LINUX_SLL:
		memset(f, 0, 16);
		put16(f + 2, 1);
		put16(f + 14, 0x0800);
		memcpy(f + 16, ip, iplen);
		fl = 16 + iplen;
		break;
	case DLT_LINUX_SLL2:
		memset(f, 0, 20);
		put16(f, 0x0800);
		put16(f + 8, 1);
		memcpy(f + 20, ip, iplen);
		fl = 20 + iplen;
		break;
	case DLT_NULL:
		memcpy(f, "\x02\x00\x00\x00", 4); /* little-endian host */
		memcpy(f + 4, ip, iplen);
		fl = 4 + iplen;
		break;
	case DLT_LOOP:
		memcpy(f, "\x00\x00\x00\x1e", 4); /* AF_INET6 (BSD 30), network order */
		memcpy(f + 4, ip, iplen);
		fl = 4 + iplen;
		break;
	case DLT_MTP2_WITH_PHDR:
		memcpy(f, "\x00\x00\x00\x01\x81\x81", 6);
		f[6] = sizeof(msu);
		memcpy(f + 7, msu, sizeof(msu));
		memcpy(f + 7 + sizeof(msu), "\xfc\xfd", 2); /* FCS: not part of the MSU */
		fl = 7 + sizeof(msu) + 2;
		break;
	case DLT_MTP2:
		memcpy(f, "\x81\x81", 2);
		f[2] = sizeof(msu);
		memcpy(f + 3, msu, sizeof(msu));
		memcpy(f + 3 + sizeof(msu), "\xfc\xfd", 2);
		fl = 3 + sizeof(msu) + 2;
		break;
	case DLT_MTP3:
		memcpy(f, msu, sizeof(msu));
		fl = sizeof(msu);
		break;
	default:
		memcpy(f, ip, iplen);
		fl = iplen;
	}

	char path[] = "/tmp/check_pcap_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct frame fr[2] = { { f, fl }, { (const uint8_t *)"\x81\x81\x00", 3 } };
	bool mtp2 = lc->linktype == DLT_MTP2;
	write_capture(path, lc->linktype, fr, mtp2 ? 2 : 1); /* MTP2: plus a FISU */

	struct seen s;
	char err[256];
	int rc;
	struct ingest_pcap *r = open_file(path, &s, err, sizeof(err), &rc);
	ck_assert_msg(rc == 0, "open: %s", err);
	ck_assert_int_eq(ingest_pcap_reader_linktype(r), lc->linktype);
	ck_assert_int_eq(run_all(r), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.pl[0].stack, lc->stack);
	ck_assert_uint_eq(s.pl[0].frame, 1);
	if (lc->linktype == DLT_MTP2 || lc->linktype == DLT_MTP2_WITH_PHDR || lc->linktype == DLT_MTP3) {
		ck_assert_int_eq(s.pl[0].transport, DEC_T_MTP3);
		ck_assert_uint_eq(s.pl[0].len, sizeof(msu));
		ck_assert_mem_eq(s.pl[0].data, msu, sizeof(msu));
	} else {
		ck_assert_int_eq(s.pl[0].transport, DEC_T_UDP);
		ck_assert_uint_eq(s.pl[0].sport, 4729);
		ck_assert_uint_eq(s.pl[0].len, sizeof(msg) - 1);
		ck_assert_mem_eq(s.pl[0].data, msg, sizeof(msg) - 1);
	}
	struct ingest_pcap_counters c = counters(r);
	ck_assert_uint_eq(c.frames, mtp2 ? 2 : 1);
	ck_assert_uint_eq(c.skipped, mtp2 ? 1 : 0);
	ck_assert_uint_eq(c.anomalies, 0);
	ck_assert_uint_eq(s.n_anomalies, 0);
	ingest_pcap_reader_close(r);
	seen_free(&s);
	unlink(path);
}
END_TEST

/* ---- IP fragments ---- */

START_TEST(test_ipv4_fragments_out_of_order)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_EN10MB, &s);
	uint8_t text[100], u[200], ip[300], f[400];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)i;
	udp(u, 5060, 5060, text, sizeof(text)); /* 108 bytes: 48 + 48 + 12 */
	/* last, first, middle; the middle one twice (identical overlap is fine) */
	const struct { size_t off; size_t len; bool mf; } parts[] = { { 96, 12, false }, { 0, 48, true },
								       { 48, 48, true }, { 48, 48, true } };
	for (size_t i = 0; i < 4; i++) {
		uint16_t fo = (uint16_t)((parts[i].mf ? 0x2000 : 0) | parts[i].off / 8);
		size_t n = ip4(ip, 17, 77, fo, u + parts[i].off, parts[i].len);
		feed(r, f, eth(f, 0, 0x0800, ip, n));
		ck_assert_uint_eq(s.n, i >= 2 ? 1 : 0);
	}
	ck_assert_int_eq(s.pl[0].transport, DEC_T_UDP);
	ck_assert_uint_eq(s.pl[0].len, sizeof(text));
	ck_assert_mem_eq(s.pl[0].data, text, sizeof(text));
	ck_assert_uint_eq(s.pl[0].frame, 3);
	struct ingest_pcap_counters c = counters(r);
	ck_assert_uint_eq(c.ip_fragments, 4);
	ck_assert_uint_eq(c.ip_reassembled, 1);
	ck_assert_uint_eq(c.skipped, 0);
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_ipv4_fragments_conflict)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_RAW, &s);
	uint8_t u[64] = { 0 }, ip[128], other[16];
	size_t ul = udp(u, 1, 2, "0123456789abcdef", 16); /* 24 bytes */
	feed(r, ip, ip4(ip, 17, 5, 0x2000, u, 16));
	memset(other, 'X', sizeof(other));
	feed(r, ip, ip4(ip, 17, 5, 0x2000, other, 16)); /* same offset, other data */
	feed(r, ip, ip4(ip, 17, 5, 2, u + 16, ul - 16));
	ck_assert_uint_eq(s.n, 0);
	ck_assert_uint_ge(s.n_anomalies, 1);
	ck_assert_ptr_nonnull(strstr(s.last_anomaly, "overlap"));
	struct ingest_pcap_counters c = counters(r);
	ck_assert_uint_ge(c.reasm_drops, 1);
	ck_assert_uint_eq(c.ip_reassembled, 0);
	/* a non-final fragment whose length is not a multiple of 8 */
	feed(r, ip, ip4(ip, 17, 6, 0x2000, u, 13));
	ck_assert_ptr_nonnull(strstr(s.last_anomaly, "multiple of 8"));
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_ipv6_fragments)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_IPV6, &s);
	uint8_t text[40], u[64], fh[128], ip[256];
	memset(text, 'q', sizeof(text));
	size_t ul = udp(u, 3868, 3868, text, sizeof(text)); /* 48 = 32 + 16 */
	/* second part first */
	fh[0] = 17, fh[1] = 0;
	put16(fh + 2, 32); /* offset 32, M = 0 */
	put32(fh + 4, 0xdeadbeef);
	memcpy(fh + 8, u + 32, ul - 32);
	feed(r, ip, ip6(ip, 44, fh, 8 + ul - 32));
	put16(fh + 2, 0 | 1); /* offset 0, M = 1 */
	memcpy(fh + 8, u, 32);
	feed(r, ip, ip6(ip, 44, fh, 8 + 32));
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.pl[0].stack, "ipv6:ipv6.fraghdr:udp");
	ck_assert_uint_eq(s.pl[0].sport, 3868);
	ck_assert_uint_eq(s.pl[0].len, sizeof(text));
	ck_assert_mem_eq(s.pl[0].data, text, sizeof(text));
	ck_assert_uint_eq(counters(r).ip_reassembled, 1);
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

/* ---- SCTP ---- */

static void feed_sctp(struct ingest_pcap *r, const uint8_t *chunks, size_t len)
{
	uint8_t sc[2048], ip[2100], f[2200];
	size_t n = sctp_common(sc, 0xabcd);
	memcpy(sc + n, chunks, len);
	n = ip4(ip, 132, 1, 0, sc, n + len);
	feed(r, f, eth(f, 0, 0x0800, ip, n));
}

START_TEST(test_sctp_bundling)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_EN10MB, &s);
	uint8_t ch[512];
	size_t n = 0;
	n += sctp_data(ch + n, 10, 3, 1, 0, 3, "first", 5);
	ch[n++] = 3, ch[n++] = 0, put16(ch + n, 16), n += 2; /* a SACK in between */
	memset(ch + n, 0, 12), n += 12;
	n += sctp_data(ch + n, 11, 3, 2, 0, 46, "second!", 7);
	n += sctp_data(ch + n, 12, 3, 1, 1, 3, "3rd", 3);
	feed_sctp(r, ch, n);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_int_eq(s.pl[0].transport, DEC_T_SCTP);
	ck_assert_uint_eq(s.pl[0].ppid, 3);
	ck_assert_uint_eq(s.pl[1].ppid, 46);
	ck_assert_uint_eq(s.pl[1].stream, 2);
	ck_assert_uint_eq(s.pl[0].sport, 2905);
	ck_assert_uint_eq(s.pl[0].dport, 2906);
	ck_assert_uint_eq(s.pl[1].len, 7);
	ck_assert_mem_eq(s.pl[2].data, "3rd", 3);
	ck_assert_str_eq(s.pl[2].stack, "eth:ethertype:ip:sctp");
	ck_assert_uint_eq(counters(r).sctp_chunks, 3);

	/* a chunk length past the packet: anomaly after the good chunk */
	n = sctp_data(ch, 13, 3, 1, 2, 3, "ok", 2);
	ch[n] = 0, ch[n + 1] = 3;
	put16(ch + n + 2, 400);
	memset(ch + n + 4, 0, 12);
	feed_sctp(r, ch, n + 16);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_uint_eq(s.n_anomalies, 1);
	ck_assert_ptr_nonnull(strstr(s.last_anomaly, "length 400"));
	ck_assert_uint_eq(counters(r).anomalies, 1);
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_sctp_fragmented_message)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_EN10MB, &s);
	uint8_t ch[256];
	/* B, middle, E in order */
	feed_sctp(r, ch, sctp_data(ch, 100, 2, 4, 9, 3, "Hello, ", 7));
	feed_sctp(r, ch, sctp_data(ch, 101, 0, 4, 9, 3, "fragmented ", 11));
	ck_assert_uint_eq(s.n, 0);
	feed_sctp(r, ch, sctp_data(ch, 102, 1, 4, 9, 0, "world", 5));
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.pl[0].len, 23);
	ck_assert_mem_eq(s.pl[0].data, "Hello, fragmented world", 23);
	ck_assert_uint_eq(s.pl[0].ppid, 3);
	ck_assert_uint_eq(s.pl[0].stream, 4);
	ck_assert_uint_eq(s.pl[0].frame, 3);
	/* E, B, middle (out of order) */
	feed_sctp(r, ch, sctp_data(ch, 202, 1, 4, 10, 0, "C", 1));
	feed_sctp(r, ch, sctp_data(ch, 200, 2, 4, 10, 47, "A", 1));
	feed_sctp(r, ch, sctp_data(ch, 201, 0, 4, 10, 0, "B", 1));
	ck_assert_uint_eq(s.n, 2);
	ck_assert_uint_eq(s.pl[1].len, 3);
	ck_assert_mem_eq(s.pl[1].data, "ABC", 3);
	ck_assert_uint_eq(s.pl[1].ppid, 47);
	ck_assert_uint_eq(counters(r).sctp_reassembled, 2);
	ck_assert_uint_eq(counters(r).skipped, 0);
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_sctp_retransmission)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_EN10MB, &s);
	uint8_t ch[256];
	feed_sctp(r, ch, sctp_data(ch, 7, 3, 0, 0, 3, "once", 4));
	feed_sctp(r, ch, sctp_data(ch, 8, 3, 0, 1, 3, "next", 4));
	feed_sctp(r, ch, sctp_data(ch, 7, 3, 0, 0, 3, "once", 4)); /* retransmitted */
	ck_assert_uint_eq(s.n, 2);
	ck_assert_uint_eq(counters(r).sctp_retrans, 1);
	/* the same TSN with other data is not a retransmission (text2pcap captures) */
	feed_sctp(r, ch, sctp_data(ch, 7, 3, 0, 0, 3, "else", 4));
	ck_assert_uint_eq(s.n, 3);
	ck_assert_uint_eq(counters(r).sctp_retrans, 1);
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

/* ---- TCP ---- */

static void feed_tcp(struct ingest_pcap *r, uint16_t sp, uint16_t dp, uint32_t seq, uint8_t flags, const char *d)
{
	uint8_t t[512], ip[600];
	size_t n = tcp(t, sp, dp, seq, flags, d, strlen(d));
	feed(r, ip, ip4(ip, 6, 1, 0, t, n));
}

static size_t concat(const struct seen *s, char *out, size_t size, uint32_t stream)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (s->pl[i].stream != stream)
			continue;
		ck_assert_uint_lt(n + s->pl[i].len, size);
		memcpy(out + n, s->pl[i].data, s->pl[i].len);
		n += s->pl[i].len;
	}
	out[n] = '\0';
	return n;
}

START_TEST(test_tcp_reassembly)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_IPV4, &s);
	char buf[256];
	feed_tcp(r, 40000, 4222, 1000, 0x02, "");	    /* SYN */
	feed_tcp(r, 4222, 40000, 5000, 0x12, "");	    /* SYN-ACK */
	feed_tcp(r, 40000, 4222, 1001, 0x18, "abc");	    /* in order */
	feed_tcp(r, 40000, 4222, 1007, 0x18, "ghi");	    /* early: held */
	feed_tcp(r, 40000, 4222, 1005, 0x18, "efgh");	    /* overlaps the held one */
	ck_assert_uint_eq(s.n, 1);
	feed_tcp(r, 40000, 4222, 1004, 0x18, "d");	    /* fills the gap */
	feed_tcp(r, 40000, 4222, 1001, 0x18, "abc");	    /* retransmission */
	feed_tcp(r, 40000, 4222, 1008, 0x18, "hijk");	    /* partly old */
	feed_tcp(r, 4222, 40000, 5001, 0x18, "reply");
	uint32_t id = s.pl[0].stream;
	concat(&s, buf, sizeof(buf), id);
	ck_assert_str_eq(buf, "abcdefghijk");
	ck_assert_int_eq(s.pl[0].transport, DEC_T_TCP);
	ck_assert_str_eq(s.pl[0].stack, "ip:tcp");
	uint32_t back = s.pl[s.n - 1].stream;
	ck_assert_uint_ne(back, id);
	concat(&s, buf, sizeof(buf), back);
	ck_assert_str_eq(buf, "reply");
	struct ingest_pcap_counters c = counters(r);
	ck_assert_uint_ge(c.tcp_retrans, 1);
	ck_assert_uint_ge(c.tcp_out_of_order, 1);
	ck_assert_uint_eq(c.tcp_gaps, 0);
	ck_assert_uint_eq(c.anomalies, 0);

	/* a gap never filled: given up at the end of input, with an anomaly */
	feed_tcp(r, 40000, 4222, 1020, 0x18, "later");
	size_t before = s.n;
	ingest_pcap_flush(r);
	ck_assert_uint_eq(s.n, before + 1);
	ck_assert_mem_eq(s.pl[s.n - 1].data, "later", 5);
	ck_assert_uint_eq(s.pl[s.n - 1].stream, id);
	ck_assert_uint_eq(counters(r).tcp_gaps, 1);
	ck_assert_ptr_nonnull(strstr(s.last_anomaly, "missing"));

	/* a new SYN on the same ports is a new stream */
	feed_tcp(r, 40000, 4222, 90000, 0x02, "");
	feed_tcp(r, 40000, 4222, 90001, 0x18, "new");
	ck_assert_uint_ne(s.pl[s.n - 1].stream, id);
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_tcp_midstream_and_timeout)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_IPV4, &s);
	feed_tcp(r, 1, 2, 777, 0x18, "mid"); /* no SYN seen: start here */
	ck_assert_uint_eq(s.n, 1);
	feed_tcp(r, 1, 2, 790, 0x18, "gap");
	ck_assert_uint_eq(s.n, 1);
	/* more than INGEST_PCAP_TCP_TIMEOUT later the gap is given up */
	uint8_t t[64], ip[128];
	size_t n = tcp(t, 1, 2, 793, 0x18, "xyz", 3);
	n = ip4(ip, 6, 1, 0, t, n);
	ingest_pcap_feed(r, ip, n, n, 1000000 + INGEST_PCAP_TCP_TIMEOUT * 3);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_mem_eq(s.pl[1].data, "gap", 3);
	ck_assert_mem_eq(s.pl[2].data, "xyz", 3);
	ck_assert_uint_eq(counters(r).tcp_gaps, 1);
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

/* ---- GTP-U, malformed and edge-size frames ---- */

START_TEST(test_gtpu_inner_ip)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_EN10MB, &s);
	uint8_t u0[64], in[256], g[300], u[400], ip[500], f[600];
	size_t n = udp(u0, 5060, 5060, "INVITE", 6);
	n = ip4(in, 17, 2, 0, u0, n);
	g[0] = 0x30, g[1] = 0xff;
	put16(g + 2, (unsigned)n);
	put32(g + 4, 1);
	memcpy(g + 8, in, n);
	n = udp(u, 2152, 2152, g, 8 + n);
	n = ip4(ip, 17, 3, 0, u, n);
	feed(r, f, eth(f, 1, 0x0800, ip, n));
	ck_assert_uint_eq(s.n, 1);
	ck_assert_str_eq(s.pl[0].stack, "eth:ethertype:vlan:ethertype:ip:udp:gtp:ip:udp");
	ck_assert_uint_eq(s.pl[0].dport, 5060);
	ck_assert_mem_eq(s.pl[0].data, "INVITE", 6);
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_malformed_frames)
{
	struct seen s;
	struct ingest_pcap *r = dead(DLT_EN10MB, &s);
	uint8_t f[256];
	size_t n = eth_udp(f, "payload");

	feed(r, f, 0);	/* zero-length frame */
	feed(r, f, 10); /* shorter than an Ethernet header */
	ingest_pcap_feed(r, f, n - 3, n, 2000000); /* caplen < len */
	uint8_t bad[256];
	memcpy(bad, f, n);
	bad[14] = 0x44; /* IHL 4 */
	feed(r, bad, n);
	memcpy(bad, f, n);
	put16(bad + 14 + 20 + 4, 4); /* UDP length < 8 */
	feed(r, bad, n);
	ck_assert_uint_eq(s.n, 0);
	struct ingest_pcap_counters c = counters(r);
	ck_assert_uint_eq(c.frames, 5);
	ck_assert_uint_eq(c.anomalies, 5);
	ck_assert_uint_eq(c.truncated, 1);
	feed(r, f, n); /* and a good one still works */
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.pl[0].frame, 6);
	/* ARP: skipped, not an anomaly */
	uint8_t arp[64];
	feed(r, arp, eth(arp, 0, 0x0806, (const uint8_t *)"\0\1\x08\0\6\4\0\1", 8));
	c = counters(r);
	ck_assert_uint_eq(c.skipped, 1);
	ck_assert_uint_eq(c.anomalies, 5);
	ingest_pcap_reader_close(r);
	seen_free(&s);
}
END_TEST

START_TEST(test_max_length_packet)
{
	size_t dlen = 65535 - 20 - 8;
	uint8_t *u = malloc(65535 + 100), *f = malloc(65535 + 100);
	uint8_t *ip = malloc(65535 + 100);
	for (size_t i = 0; i < dlen; i++)
		u[8 + i] = (uint8_t)(i * 7);
	put16(u, 9), put16(u + 2, 9), put16(u + 4, (unsigned)(8 + dlen)), put16(u + 6, 0);
	size_t n = ip4(ip, 17, 1, 0, u, 8 + dlen);
	ck_assert_uint_eq(n, 65535);
	n = eth(f, 0, 0x0800, ip, n);

	char path[] = "/tmp/check_pcap_XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	struct frame fr[2] = { { f, n }, { f, 0 } };
	write_capture(path, DLT_EN10MB, fr, 2);
	struct seen s;
	char err[256];
	int rc;
	struct ingest_pcap *r = open_file(path, &s, err, sizeof(err), &rc);
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(run_all(r), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.pl[0].len, dlen);
	ck_assert_mem_eq(s.pl[0].data, u + 8, dlen);
	struct ingest_pcap_counters c = counters(r);
	ck_assert_uint_eq(c.frames, 2);
	ck_assert_uint_eq(c.anomalies, 1); /* the zero-length record */
	ingest_pcap_reader_close(r);
	seen_free(&s);
	unlink(path);
	free(u);
	free(f);
	free(ip);
}
END_TEST

/* ---- files: cut short, not a capture, filters ---- */

START_TEST(test_truncated_file)
{
	uint8_t f1[256], f2[256];
	size_t n1 = eth_udp(f1, "first"), n2 = eth_udp(f2, "second frame");
	struct frame fr[2] = { { f1, n1 }, { f2, n2 } };
	char path[] = "/tmp/check_pcap_XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	write_capture(path, DLT_EN10MB, fr, 2);
	FILE *in = fopen(path, "rb");
	uint8_t img[1024];
	size_t total = fread(img, 1, sizeof(img), in);
	fclose(in);
	size_t last = total - 16 - n2; /* where the last record starts */

	for (size_t cut = last; cut < total; cut++) {
		FILE *w = fopen(path, "wb");
		fwrite(img, 1, cut, w);
		fclose(w);
		struct seen s;
		char err[256];
		int rc;
		struct ingest_pcap *r = open_file(path, &s, err, sizeof(err), &rc);
		ck_assert_int_eq(rc, 0);
		rc = run_all(r);
		/* cut exactly between records = a shorter, valid file */
		ck_assert_int_eq(rc, cut == last ? 0 : -SS_EPARSE);
		if (rc < 0)
			ck_assert_ptr_nonnull(strstr(ingest_pcap_reader_error(r), "after frame 1"));
		ck_assert_uint_eq(s.n, 1);
		ck_assert_uint_eq(counters(r).frames, 1);
		ingest_pcap_reader_close(r);
		seen_free(&s);

		/* the event source: reported as a rejected record, the input then ends */
		char *errs = NULL;
		size_t errs_len = 0;
		FILE *ef = open_memstream(&errs, &errs_len);
		struct ingest_options opt = { .errors = ef };
		struct ingest_source *src;
		ck_assert_int_eq(ingest_pcap_open(path, &opt, &src), 0);
		struct event ev;
		while ((rc = ingest_next(src, &ev)) == 1)
			ev_clear(&ev);
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(src->counters.rejected, cut == last ? 0 : 1);
		ingest_close(src);
		fclose(ef);
		if (cut != last)
			ck_assert_ptr_nonnull(strstr(errs, ":2: capture cut short"));
		free(errs);
	}
	/* cut inside the file header: not a capture */
	for (size_t cut = 0; cut < 24; cut++) {
		FILE *w = fopen(path, "wb");
		fwrite(img, 1, cut, w);
		fclose(w);
		struct seen s;
		char err[256] = "";
		int rc;
		struct ingest_pcap *r = open_file(path, &s, err, sizeof(err), &rc);
		ck_assert_int_eq(rc, -SS_EPARSE);
		ck_assert_ptr_null(r);
		ck_assert_ptr_nonnull(strstr(err, "not a pcap"));
	}
	unlink(path);
}
END_TEST

START_TEST(test_open_errors_and_filter)
{
	struct seen s;
	char err[256];
	int rc;
	struct ingest_pcap *r = open_file("/nonexistent/x.pcap", &s, err, sizeof(err), &rc);
	ck_assert_int_eq(rc, -ENOENT);
	ck_assert_ptr_null(r);

	uint8_t f1[256], f2[256];
	size_t n1 = eth_udp(f1, "one");
	uint8_t t[64], ip[128];
	size_t n2 = tcp(t, 5, 6, 1, 0x18, "two", 3);
	n2 = ip4(ip, 6, 1, 0, t, n2);
	n2 = eth(f2, 0, 0x0800, ip, n2);
	struct frame fr[3] = { { f1, n1 }, { f2, n2 }, { f1, n1 } };
	char path[] = "/tmp/check_pcap_XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	write_capture(path, DLT_EN10MB, fr, 3);
	struct ingest_pcap_handlers h = { .payload = on_payload, .anomaly = on_anomaly, .arg = &s };
	struct ingest_pcap_options o = { .filter = "tcp" };
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(ingest_pcap_reader_open(path, &o, &h, &r, err, sizeof(err)), 0);
	ck_assert_int_eq(run_all(r), 0);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_uint_eq(s.pl[0].frame, 2); /* numbered as in the file */
	ck_assert_uint_eq(counters(r).frames, 3);
	ingest_pcap_reader_close(r);
	seen_free(&s);
	o.filter = "no such filter ((";
	ck_assert_int_eq(ingest_pcap_reader_open(path, &o, &h, &r, err, sizeof(err)), -SS_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err, "filter"));
	unlink(path);
}
END_TEST

static Suite *pcap_suite(void)
{
	Suite *s = suite_create("pcap");
	TCase *tc = tcase_create("transport");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_link_types, 0, 11);
	tcase_add_test(tc, test_ipv4_fragments_out_of_order);
	tcase_add_test(tc, test_ipv4_fragments_conflict);
	tcase_add_test(tc, test_ipv6_fragments);
	tcase_add_test(tc, test_sctp_bundling);
	tcase_add_test(tc, test_sctp_fragmented_message);
	tcase_add_test(tc, test_sctp_retransmission);
	tcase_add_test(tc, test_tcp_reassembly);
	tcase_add_test(tc, test_tcp_midstream_and_timeout);
	tcase_add_test(tc, test_gtpu_inner_ip);
	tcase_add_test(tc, test_malformed_frames);
	tcase_add_test(tc, test_max_length_packet);
	tcase_add_test(tc, test_truncated_file);
	tcase_add_test(tc, test_open_errors_and_filter);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pcap_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
