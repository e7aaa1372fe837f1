/*
 * pcap.c - signalling captures -> transport payloads -> decoders / events.
 *
 * Implements (see pcap.h for the contract, docs/input-formats.md for the
 * user's view):
 *   Ethernet II + IEEE 802.1Q / 802.1ad tags; Linux "cooked" SLL and SLL2;
 *   BSD NULL / LOOP; raw IP; MTP2 with the libpcap pseudo-header, MTP2
 *   (ITU-T Q.703 7.2: BSN/FSN/LI header; LI gives the MSU length, so a
 *   trailing FCS is not passed on) and MTP3 (Q.704) MSUs;
 *   IPv4 (RFC 791) and IPv6 (RFC 8200 4) with fragment reassembly
 *   (RFC 791 3.2, RFC 8200 4.5; conflicting overlaps drop the datagram as
 *   RFC 5722 asks); GTP-U T-PDUs (3GPP TS 29.281 5) unwrapped;
 *   SCTP (RFC 9260 3: common header, chunks; 3.3.1 DATA; RFC 8260 2.1
 *   I-DATA; 6.9 fragmentation); TCP (RFC 9293) in-order reassembly; UDP.
 * Checksums are not verified: captures taken on the sending host carry
 * offloaded (unfilled) checksums.
 *
 * Hot path: no allocation per frame; the stack string is built with memcpy;
 * state tables are fixed-size with bounded probing.
 */
#include "ingest/pcap.h"

#include "core/err.h"
#include "core/hash.h"
#include "ingest/pcapfile.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DGRAM 65536u	 /* IP datagram buffer (max 65535 bytes of payload) */
#define MAX_REPORTS_PER_FRAME 4	 /* anomaly callbacks per frame */
#define MAX_DEPTH 2		 /* IP-in-GTP / IP-in-IP nesting */
#define FLOW_PROBE 8
#define TSN_WINDOW 128		 /* TSNs remembered per SCTP direction */
#define INGEST_PCAP_IOBUF (256 * 1024) /* stdio buffer of a capture file libpcap reads */

/* ---- state ---- */

struct ip_frag {
	bool used;
	bool have_last;
	uint8_t af; /* 4 or 6 */
	uint8_t proto;
	uint32_t id;
	uint8_t src[16], dst[16];
	ss_time_us first;
	uint32_t total;
	uint8_t *buf;		   /* MAX_DGRAM bytes */
	uint8_t map[MAX_DGRAM / 64]; /* one bit per 8-byte block */
};

struct flow_key {
	uint8_t proto, af;
	uint16_t sport, dport;
	uint32_t tag; /* SCTP verification tag */
	uint8_t src[16], dst[16];
};

struct tcp_seg {
	uint32_t seq, len;
	uint8_t *data;
};

struct flow {
	struct flow_key key;
	bool used;
	ss_time_us last;
	union {
		struct {
			bool init;
			uint32_t high;
			uint64_t seen[TSN_WINDOW / 64]; /* bit i: TSN high - i seen */
			uint32_t hash[TSN_WINDOW];	 /* [tsn % TSN_WINDOW]: hash of its user data */
		} sctp;
		struct {
			bool sync;
			uint32_t isn, next, id;
			ss_time_us gap_since;
			uint8_t n_held;
			struct tcp_seg *held; /* INGEST_PCAP_TCP_HOLD, allocated on first need */
		} tcp;
	} u;
};

struct sctp_frag {
	bool used;
	bool b, e;
	struct flow_key key;
	uint16_t stream;
	uint8_t kind;	/* 0 ordered DATA, 1 unordered DATA, 2 I-DATA ordered, 3 I-DATA unordered */
	uint32_t group; /* DATA: SSN (ordered) or 0; I-DATA: MID */
	uint32_t seq;	/* DATA: TSN; I-DATA: FSN (0 for the B fragment) */
	uint32_t ppid;
	ss_time_us time;
	uint8_t *data;
	uint32_t len;
};

struct ingest_pcap {
	/*
	 * A capture file is read by pcapfile.c when it can (classic pcap of a
	 * known link type: records in place, no copy), by libpcap otherwise;
	 * with @pf, @pc is only a dead handle for compiling a filter (or NULL).
	 */
	struct pcapfile *pf;
	pcap_t *pc;
	char *iobuf; /* the stdio buffer of a file libpcap reads (INGEST_PCAP_IOBUF), or NULL */
	bool live, have_filter, ended;
	volatile sig_atomic_t brk; /* ingest_pcap_reader_break() on a file read by pcapfile.c */
	struct bpf_program filter; /* offline: applied here so frame numbers count every record */
	int linktype;
	struct ingest_pcap_handlers h;
	struct dec_context *dec;
	struct ingest_pcap_counters c;
	char err[PCAP_ERRBUF_SIZE + 64];

	/* The frame being walked. */
	uint64_t frame;
	ss_time_us ts;
	char stack[DEC_STACK_SIZE];
	size_t stack_len;
	bool f_payload, f_anomaly, f_used;
	int f_reports;
	int depth;

	struct ip_frag frags[INGEST_PCAP_IP_FRAGS];
	uint8_t *spare_dgram;
	struct flow *flows; /* INGEST_PCAP_FLOWS, allocated on first need */
	struct sctp_frag sfrags[INGEST_PCAP_SCTP_FRAGS];
	size_t n_sfrags;
	uint8_t *sctp_msg; /* INGEST_PCAP_SCTP_MSG_MAX */
	size_t tcp_held_bytes;
	uint32_t next_stream_id;
};

/* ---- small helpers ---- */

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* push() - append ":name" to the frame's stack; PUSH() for a literal (length known at compile time). */
static inline void push_n(struct ingest_pcap *r, const char *name, size_t n)
{
	size_t sep = r->stack_len ? 1 : 0;
	if (r->stack_len + sep + n >= sizeof(r->stack))
		return;
	if (sep)
		r->stack[r->stack_len++] = ':';
	memcpy(r->stack + r->stack_len, name, n + 1);
	r->stack_len += n;
}

static void push(struct ingest_pcap *r, const char *name)
{
	push_n(r, name, strlen(name));
}

#define PUSH(r, lit) push_n((r), (lit), sizeof(lit) - 1)

__attribute__((format(printf, 2, 3))) static void anomaly(struct ingest_pcap *r, const char *fmt, ...)
{
	char reason[DEC_ANOMALY_SIZE];
	va_list ap;

	if (!r->f_anomaly) {
		r->f_anomaly = true;
		r->c.anomalies++;
	}
	if (!r->h.anomaly || r->f_reports >= MAX_REPORTS_PER_FRAME)
		return;
	r->f_reports++;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	struct ingest_pcap_anomaly a = { r->frame, r->ts, r->stack, reason };
	r->h.anomaly(r->h.arg, &a);
}

static void deliver(struct ingest_pcap *r, enum dec_transport t, uint32_t ppid, uint16_t sport,
		    uint16_t dport, uint32_t stream, const uint8_t *p, size_t len)
{
	struct dec_payload pl = {
		.transport = t, .ppid = ppid, .src_port = sport, .dst_port = dport, .stream = stream,
		.data = { p, len }, .frame = r->frame, .time = r->ts, .stack = r->stack, .stack_len = r->stack_len,
	};
	r->c.payloads++;
	r->f_payload = true;
	if (r->h.payload)
		r->h.payload(r->h.arg, &pl);
	else if (r->dec)
		dec_dispatch(r->dec, &pl, r->h.emit, r->h.arg);
}

/* ---- flow table (SCTP directions, TCP directions) ---- */

static void tcp_free_held(struct ingest_pcap *r, struct flow *f, bool count)
{
	if (!f->u.tcp.held)
		return;
	for (unsigned i = 0; i < f->u.tcp.n_held; i++) {
		r->tcp_held_bytes -= f->u.tcp.held[i].len;
		free(f->u.tcp.held[i].data);
		if (count)
			r->c.reasm_drops++;
	}
	free(f->u.tcp.held);
	f->u.tcp.held = NULL;
	f->u.tcp.n_held = 0;
}

static void flow_release(struct ingest_pcap *r, struct flow *f)
{
	if (f->key.proto == 6)
		tcp_free_held(r, f, true);
	memset(f, 0, sizeof(*f));
}

/*
 * flow_hash() - the key's fields in six words, multiplied by odd constants
 * and mixed once: a third of ss_hash64()'s work, run for every SCTP chunk
 * and TCP segment.  The fields are read at the sizes they were written
 * with: the key was filled field by field just before, and reading it back
 * as whole words stalled on store forwarding (a tenth of the SCTP path).
 */
static inline uint32_t flow_u32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t flow_hash(const struct flow_key *k)
{
	uint64_t w[6] = {
		(uint64_t)k->proto | (uint64_t)k->af << 8 | (uint64_t)k->sport << 16 | (uint64_t)k->dport << 32,
		(uint64_t)k->tag | (uint64_t)flow_u32(k->src + 12) << 32,
		(uint64_t)flow_u32(k->src) | (uint64_t)flow_u32(k->src + 4) << 32,
		(uint64_t)flow_u32(k->src + 8),
		(uint64_t)flow_u32(k->dst) | (uint64_t)flow_u32(k->dst + 4) << 32,
		(uint64_t)flow_u32(k->dst + 8) | (uint64_t)flow_u32(k->dst + 12) << 32,
	};
	return ss_hash_mix((w[0] + 0) * UINT64_C(0x9e3779b97f4a7c15) ^ (w[1] + 1) * UINT64_C(0xbf58476d1ce4e5b9) ^
			   (w[2] + 2) * UINT64_C(0x94d049bb133111eb) ^ (w[3] + 3) * UINT64_C(0xd6e8feb86659fd93) ^
			   (w[4] + 4) * UINT64_C(0xa0761d6478bd642f) ^ (w[5] + 5) * UINT64_C(0xe7037ed1a0b428db));
}

static struct flow *flow_get(struct ingest_pcap *r, const struct flow_key *k, bool create)
{
	if (!r->flows) {
		if (!create)
			return NULL;
		r->flows = calloc(INGEST_PCAP_FLOWS, sizeof(*r->flows));
		if (!r->flows)
			return NULL;
	}
	size_t idx = (size_t)flow_hash(k) & (INGEST_PCAP_FLOWS - 1);
	struct flow *empty = NULL, *oldest = NULL;
	for (size_t i = 0; i < FLOW_PROBE; i++) {
		struct flow *f = &r->flows[(idx + i) & (INGEST_PCAP_FLOWS - 1)];
		if (!f->used) {
			if (!empty)
				empty = f;
			continue;
		}
		if (memcmp(&f->key, k, sizeof(*k)) == 0) {
			f->last = r->ts;
			return f;
		}
		if (!oldest || f->last < oldest->last)
			oldest = f;
	}
	if (!create)
		return NULL;
	struct flow *f = empty ? empty : oldest;
	if (!empty)
		flow_release(r, f);
	memset(f, 0, sizeof(*f));
	f->key = *k;
	f->used = true;
	f->last = r->ts;
	return f;
}

/* ---- layers (forward declarations for nesting) ---- */

static void walk_ipv4(struct ingest_pcap *r, const uint8_t *p, size_t len);
static void walk_ipv6(struct ingest_pcap *r, const uint8_t *p, size_t len);
static void walk_ipv6_ext(struct ingest_pcap *r, uint8_t nh, const uint8_t *src, const uint8_t *dst,
			  const uint8_t *p, size_t len, bool reassembled);

/* ---- SCTP (RFC 9260) ---- */

/*
 * chunk_fingerprint() - what tsn_seen() compares: the length and the first
 * and last 32 bytes of the user data.  A retransmission repeats the chunk
 * byte for byte, so it always matches; two different messages under one TSN
 * (text2pcap captures) differ in length or at their ends, where TCAP ids and
 * MAP arguments sit.  Hashing whole chunks cost a tenth of decoding time, so
 * chunks of 32 bytes or more are read as four words from each end (they
 * overlap when shorter than 64: still a function of the bytes), each
 * multiplied in, and mixed once.
 */
static uint32_t chunk_fingerprint(const uint8_t *data, size_t dlen)
{
	if (dlen < 32)
		return (uint32_t)ss_hash64(data, dlen, dlen);
	uint64_t h = (uint64_t)dlen * UINT64_C(0x9e3779b97f4a7c15);
	const uint8_t *ends[2] = { data, data + dlen - 32 };
	for (int e = 0; e < 2; e++)
		for (int i = 0; i < 4; i++) {
			uint64_t w;
			memcpy(&w, ends[e] + 8 * i, 8);
			h = (h ^ w) * UINT64_C(0xbf58476d1ce4e5b9) + (uint64_t)(e * 4 + i);
			h ^= h >> 29;
		}
	return (uint32_t)ss_hash_mix(h);
}

/*
 * tsn_seen() - true when @tsn was already seen in this direction with the
 * same user data (hash @h): a retransmission.  The same TSN with other data
 * is not one (text2pcap-made captures number every chunk 0) and is passed on.
 */
static bool tsn_seen(struct flow *f, uint32_t tsn, uint32_t h)
{
	uint64_t *w = f->u.sctp.seen;
	const size_t nw = TSN_WINDOW / 64;

	if (!f->u.sctp.init) {
		f->u.sctp.init = true;
		f->u.sctp.high = tsn;
		memset(w, 0, sizeof(f->u.sctp.seen));
		w[0] = 1;
		f->u.sctp.hash[tsn % TSN_WINDOW] = h;
		return false;
	}
	int32_t d = (int32_t)(tsn - f->u.sctp.high);
	if (d > 0) {
		/* Slide the window: bit i moves to bit i + d. */
		if (d >= TSN_WINDOW) {
			memset(w, 0, sizeof(f->u.sctp.seen));
		} else {
			size_t words = (size_t)d / 64, bits = (size_t)d % 64;
			for (size_t i = nw; i-- > 0;) {
				uint64_t v = i >= words ? w[i - words] << bits : 0;
				if (bits && i >= words + 1)
					v |= w[i - words - 1] >> (64 - bits);
				w[i] = v;
			}
		}
		w[0] |= 1;
		f->u.sctp.high = tsn;
		f->u.sctp.hash[tsn % TSN_WINDOW] = h;
		return false;
	}
	uint32_t i = (uint32_t)-(int64_t)d;
	if (i >= TSN_WINDOW)
		return false; /* older than the window: cannot tell, pass it on */
	if ((w[i / 64] >> (i % 64) & 1) && f->u.sctp.hash[tsn % TSN_WINDOW] == h)
		return true;
	w[i / 64] |= UINT64_C(1) << (i % 64);
	f->u.sctp.hash[tsn % TSN_WINDOW] = h;
	return false;
}

static void sfrag_free(struct ingest_pcap *r, struct sctp_frag *s, bool count)
{
	free(s->data);
	memset(s, 0, sizeof(*s));
	r->n_sfrags--;
	if (count)
		r->c.reasm_drops++;
}

static bool sfrag_same_group(const struct sctp_frag *a, const struct sctp_frag *b)
{
	return a->used && b->used && a->stream == b->stream && a->kind == b->kind && a->group == b->group &&
	       memcmp(&a->key, &b->key, sizeof(a->key)) == 0;
}

/* sctp_assemble() - if the group of @s holds a B .. E run of consecutive fragments, deliver it. */
static void sctp_assemble(struct ingest_pcap *r, const struct sctp_frag *s)
{
	struct sctp_frag *run[INGEST_PCAP_SCTP_FRAGS];

	for (size_t bi = 0; bi < INGEST_PCAP_SCTP_FRAGS; bi++) {
		struct sctp_frag *b = &r->sfrags[bi];
		if (!b->used || !b->b || !sfrag_same_group(b, s))
			continue;
		size_t n = 0, total = 0;
		struct sctp_frag *cur = b;
		bool complete = false;
		for (;;) {
			run[n++] = cur;
			total += cur->len;
			if (cur->e) {
				complete = true;
				break;
			}
			if (n == INGEST_PCAP_SCTP_FRAGS)
				break;
			struct sctp_frag *nx = NULL;
			for (size_t j = 0; j < INGEST_PCAP_SCTP_FRAGS; j++) {
				struct sctp_frag *c = &r->sfrags[j];
				if (c->used && !c->b && c->seq == cur->seq + 1 && sfrag_same_group(c, s)) {
					nx = c;
					break;
				}
			}
			if (!nx)
				break;
			cur = nx;
		}
		if (!complete)
			continue;
		if (total > INGEST_PCAP_SCTP_MSG_MAX) {
			anomaly(r, "sctp: reassembled user message of %zu bytes exceeds %u", total,
				(unsigned)INGEST_PCAP_SCTP_MSG_MAX);
			for (size_t i = 0; i < n; i++)
				sfrag_free(r, run[i], true);
			return;
		}
		if (!r->sctp_msg && !(r->sctp_msg = malloc(INGEST_PCAP_SCTP_MSG_MAX))) {
			for (size_t i = 0; i < n; i++)
				sfrag_free(r, run[i], true);
			return;
		}
		size_t off = 0;
		for (size_t i = 0; i < n; i++) {
			memcpy(r->sctp_msg + off, run[i]->data, run[i]->len);
			off += run[i]->len;
		}
		uint32_t ppid = b->ppid;
		uint16_t sport = b->key.sport, dport = b->key.dport, stream = b->stream;
		for (size_t i = 0; i < n; i++)
			sfrag_free(r, run[i], false);
		r->c.sctp_reassembled++;
		deliver(r, DEC_T_SCTP, ppid, sport, dport, stream, r->sctp_msg, off);
		return;
	}
}

static void sctp_fragment(struct ingest_pcap *r, const struct sctp_frag *tmpl, const uint8_t *p, size_t len)
{
	struct sctp_frag *slot = NULL, *oldest = NULL;

	r->f_used = true;
	for (size_t i = 0; i < INGEST_PCAP_SCTP_FRAGS; i++) {
		struct sctp_frag *s = &r->sfrags[i];
		if (s->used && s->time + INGEST_PCAP_SCTP_TIMEOUT < r->ts)
			sfrag_free(r, s, true);
		if (!s->used) {
			if (!slot)
				slot = s;
		} else if (!oldest || s->time < oldest->time) {
			oldest = s;
		}
	}
	if (!slot) {
		sfrag_free(r, oldest, true);
		slot = oldest;
	}
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy) {
		r->c.reasm_drops++;
		return;
	}
	memcpy(copy, p, len);
	*slot = *tmpl;
	slot->used = true;
	slot->data = copy;
	slot->len = (uint32_t)len;
	slot->time = r->ts;
	r->n_sfrags++;
	sctp_assemble(r, slot);
}

static void sctp_data(struct ingest_pcap *r, const struct flow_key *k, uint8_t flags, bool idata,
		      const uint8_t *p, size_t len)
{
	size_t hdr = idata ? 16 : 12;

	r->c.sctp_chunks++;
	if (len < hdr) {
		anomaly(r, "sctp: %s chunk length %zu < %zu", idata ? "I-DATA" : "DATA", len + 4, hdr + 4);
		return;
	}
	uint32_t tsn = be32(p);
	uint16_t stream = be16(p + 4);
	uint32_t word = be32(p + 8);	       /* DATA: PPID; I-DATA: MID */
	uint32_t ppid_fsn = idata ? be32(p + 12) : 0; /* I-DATA: PPID (B) or FSN */
	const uint8_t *data = p + hdr;
	size_t dlen = len - hdr;
	if (dlen == 0) {
		anomaly(r, "sctp: %s chunk without user data (TSN %u)", idata ? "I-DATA" : "DATA", tsn);
		return;
	}
	struct flow *f = flow_get(r, k, true);
	if (f && tsn_seen(f, tsn, chunk_fingerprint(data, dlen))) {
		r->c.sctp_retrans++;
		r->f_used = true;
		return;
	}
	bool b = flags & 2, e = flags & 1, u = flags & 4;
	uint32_t ppid = idata ? (b ? ppid_fsn : 0) : word;
	if (b && e) {
		deliver(r, DEC_T_SCTP, ppid, k->sport, k->dport, stream, data, dlen);
		return;
	}
	struct sctp_frag t;
	memset(&t, 0, sizeof(t));
	t.key = *k;
	t.b = b;
	t.e = e;
	t.stream = stream;
	t.kind = (uint8_t)((idata ? 2 : 0) | (u ? 1 : 0));
	t.group = idata ? word : (u ? 0 : be16(p + 6));
	t.seq = idata ? (b ? 0 : ppid_fsn) : tsn;
	t.ppid = ppid;
	sctp_fragment(r, &t, data, dlen);
}

static void walk_sctp(struct ingest_pcap *r, int af, const uint8_t *src, const uint8_t *dst,
		      const uint8_t *p, size_t len)
{
	PUSH(r, "sctp");
	if (len < 12) {
		anomaly(r, "sctp: %zu bytes, common header needs 12", len);
		return;
	}
	struct flow_key k;
	memset(&k, 0, sizeof(k));
	k.proto = 132;
	k.sport = be16(p);
	k.dport = be16(p + 2);
	k.tag = be32(p + 4);
	k.af = (uint8_t)af;
	memcpy(k.src, src, af == 4 ? 4 : 16);
	memcpy(k.dst, dst, af == 4 ? 4 : 16);
	p += 12;
	len -= 12;
	while (len > 0) {
		if (len < 4) {
			anomaly(r, "sctp: %zu bytes left, chunk header needs 4", len);
			return;
		}
		uint8_t type = p[0], flags = p[1];
		size_t clen = be16(p + 2);
		if (clen < 4) {
			anomaly(r, "sctp: chunk type %u length %zu < 4", type, clen);
			return;
		}
		if (clen > len) {
			anomaly(r, "sctp: chunk type %u length %zu > %zu bytes left", type, clen, len);
			return;
		}
		if (type == 0 || type == 64)
			sctp_data(r, &k, flags, type == 64, p + 4, clen - 4);
		size_t padded = (clen + 3) & ~(size_t)3;
		if (padded > len)
			padded = len; /* the last chunk's padding may be missing */
		p += padded;
		len -= padded;
	}
}

/* ---- TCP (RFC 9293) ---- */

static void tcp_drain(struct ingest_pcap *r, struct flow *f)
{
	for (;;) {
		struct tcp_seg *best = NULL;
		for (unsigned i = 0; i < f->u.tcp.n_held; i++) {
			struct tcp_seg *s = &f->u.tcp.held[i];
			int32_t rel = (int32_t)(s->seq - f->u.tcp.next);
			if (rel <= 0) {
				best = s;
				break;
			}
		}
		if (!best)
			break;
		int32_t rel = (int32_t)(best->seq - f->u.tcp.next);
		size_t skip = (size_t)(-(int64_t)rel);
		if (skip < best->len) {
			deliver(r, DEC_T_TCP, 0, f->key.sport, f->key.dport, f->u.tcp.id, best->data + skip,
				best->len - skip);
			f->u.tcp.next += (uint32_t)(best->len - skip);
		} else {
			r->c.tcp_retrans++;
		}
		r->tcp_held_bytes -= best->len;
		free(best->data);
		*best = f->u.tcp.held[--f->u.tcp.n_held];
	}
	if (!f->u.tcp.n_held)
		f->u.tcp.gap_since = 0;
}

/* tcp_skip_gap() - give up waiting: continue at the first held segment. */
static void tcp_skip_gap(struct ingest_pcap *r, struct flow *f)
{
	struct tcp_seg *first = NULL;
	for (unsigned i = 0; i < f->u.tcp.n_held; i++) {
		struct tcp_seg *s = &f->u.tcp.held[i];
		if (!first || (int32_t)(s->seq - first->seq) < 0)
			first = s;
	}
	if (!first)
		return;
	uint32_t missing = first->seq - f->u.tcp.next;
	r->c.tcp_gaps++;
	anomaly(r, "tcp: %u bytes missing in stream %u (%u.%u), skipped", missing, f->u.tcp.id,
		f->key.sport, f->key.dport);
	f->u.tcp.next = first->seq;
	tcp_drain(r, f);
}

static void tcp_hold(struct ingest_pcap *r, struct flow *f, uint32_t seq, const uint8_t *p, size_t len)
{
	r->f_used = true;
	if (!f->u.tcp.held && !(f->u.tcp.held = calloc(INGEST_PCAP_TCP_HOLD, sizeof(*f->u.tcp.held)))) {
		r->c.reasm_drops++;
		return;
	}
	for (unsigned i = 0; i < f->u.tcp.n_held; i++) {
		struct tcp_seg *s = &f->u.tcp.held[i];
		if (s->seq == seq && s->len >= len) {
			r->c.tcp_retrans++; /* the same out-of-order segment again */
			return;
		}
	}
	while (f->u.tcp.n_held && (f->u.tcp.n_held >= INGEST_PCAP_TCP_HOLD ||
				   r->tcp_held_bytes + len > INGEST_PCAP_TCP_HOLD_BYTES))
		tcp_skip_gap(r, f);
	if (r->tcp_held_bytes + len > INGEST_PCAP_TCP_HOLD_BYTES) {
		r->c.reasm_drops++;
		return;
	}
	uint8_t *copy = malloc(len);
	if (!copy) {
		r->c.reasm_drops++;
		return;
	}
	memcpy(copy, p, len);
	f->u.tcp.held[f->u.tcp.n_held++] = (struct tcp_seg){ seq, (uint32_t)len, copy };
	r->tcp_held_bytes += len;
	r->c.tcp_out_of_order++;
	if (!f->u.tcp.gap_since)
		f->u.tcp.gap_since = r->ts;
}

static void tcp_data(struct ingest_pcap *r, struct flow *f, uint32_t seq, const uint8_t *p, size_t len)
{
	int32_t rel = (int32_t)(seq - f->u.tcp.next);

	if (rel < 0) {
		size_t old = (size_t)(-(int64_t)rel);
		if (old >= len) {
			r->c.tcp_retrans++;
			r->f_used = true;
			return;
		}
		p += old; /* overlap: the part already delivered is dropped */
		len -= old;
		rel = 0;
	}
	if (rel == 0) {
		deliver(r, DEC_T_TCP, 0, f->key.sport, f->key.dport, f->u.tcp.id, p, len);
		f->u.tcp.next += (uint32_t)len;
		tcp_drain(r, f);
		return;
	}
	tcp_hold(r, f, seq, p, len);
	if (f->u.tcp.gap_since && r->ts - f->u.tcp.gap_since > INGEST_PCAP_TCP_TIMEOUT)
		tcp_skip_gap(r, f);
}

static void tcp_reset_dir(struct ingest_pcap *r, struct flow_key *k)
{
	struct flow *f = flow_get(r, k, false);
	if (!f)
		return;
	while (f->u.tcp.n_held)
		tcp_skip_gap(r, f);
	flow_release(r, f);
}

static void walk_tcp(struct ingest_pcap *r, int af, const uint8_t *src, const uint8_t *dst,
		     const uint8_t *p, size_t len)
{
	PUSH(r, "tcp");
	if (len < 20) {
		anomaly(r, "tcp: %zu bytes, header needs 20", len);
		return;
	}
	size_t doff = (size_t)(p[12] >> 4) * 4;
	if (doff < 20 || doff > len) {
		anomaly(r, "tcp: data offset %zu bytes invalid for a %zu-byte segment", doff, len);
		return;
	}
	uint8_t flags = p[13];
	uint32_t seq = be32(p + 4);
	const uint8_t *data = p + doff;
	size_t dlen = len - doff;
	size_t alen = af == 4 ? 4 : 16;
	struct flow_key k;
	memset(&k, 0, sizeof(k));
	k.proto = 6;
	k.af = (uint8_t)af;
	k.sport = be16(p);
	k.dport = be16(p + 2);
	memcpy(k.src, src, alen);
	memcpy(k.dst, dst, alen);

	if (flags & 0x04) { /* RST: both directions end; deliver what was held */
		tcp_reset_dir(r, &k);
		struct flow_key rk = k;
		rk.sport = k.dport;
		rk.dport = k.sport;
		memcpy(rk.src, k.dst, sizeof(rk.src));
		memcpy(rk.dst, k.src, sizeof(rk.dst));
		tcp_reset_dir(r, &rk);
		return;
	}
	if (!dlen && !(flags & 0x02) && !flow_get(r, &k, false))
		return; /* a bare ACK / FIN of a stream we never saw: nothing to keep */
	struct flow *f = flow_get(r, &k, true);
	if (!f) {
		r->c.reasm_drops++;
		return;
	}
	uint32_t dseq = seq;
	if (flags & 0x02) { /* SYN: a new connection unless it is the same SYN again */
		if (!(f->u.tcp.sync && f->u.tcp.isn == seq)) {
			while (f->u.tcp.n_held)
				tcp_skip_gap(r, f);
			tcp_free_held(r, f, true);
			f->u.tcp.sync = true;
			f->u.tcp.isn = seq;
			f->u.tcp.next = seq + 1;
			f->u.tcp.id = ++r->next_stream_id;
		}
		dseq = seq + 1;
	}
	if (!f->u.tcp.sync) { /* capture started mid-stream: take it from here */
		f->u.tcp.sync = true;
		f->u.tcp.isn = seq - 1;
		f->u.tcp.next = seq;
		f->u.tcp.id = ++r->next_stream_id;
	}
	if (dlen) {
		r->c.tcp_segments++;
		tcp_data(r, f, dseq, data, dlen);
	}
}

/* ---- UDP, GTP-U ---- */

/* walk_gtpu() - 3GPP TS 29.281 5.1; returns true when the datagram was GTP-U (consumed). */
static bool walk_gtpu(struct ingest_pcap *r, const uint8_t *p, size_t len)
{
	if (len < 8 || (p[0] >> 5) != 1 || !(p[0] & 0x10))
		return false;
	size_t end = 8 + (size_t)be16(p + 2);
	PUSH(r, "gtp");
	if (end > len) {
		anomaly(r, "gtp: length %zu > %zu bytes", end - 8, len - 8);
		return true;
	}
	if (p[1] != 0xff) /* echo, error indication, end marker: nothing for us */
		return true;
	size_t hdr = 8;
	if (p[0] & 0x07) {
		if (end < 12) {
			anomaly(r, "gtp: optional fields past the message");
			return true;
		}
		uint8_t next = (p[0] & 0x04) ? p[11] : 0;
		hdr = 12;
		while (next) {
			if (hdr + 4 > end || p[hdr] == 0) {
				anomaly(r, "gtp: bad extension header");
				return true;
			}
			size_t elen = (size_t)p[hdr] * 4;
			if (hdr + elen > end) {
				anomaly(r, "gtp: extension header past the message");
				return true;
			}
			next = p[hdr + elen - 1];
			hdr += elen;
		}
	}
	if (hdr >= end)
		return true;
	const uint8_t *ip = p + hdr;
	size_t iplen = end - hdr;
	r->depth++;
	if ((ip[0] >> 4) == 4)
		walk_ipv4(r, ip, iplen);
	else if ((ip[0] >> 4) == 6)
		walk_ipv6(r, ip, iplen);
	r->depth--;
	return true;
}

static void walk_udp(struct ingest_pcap *r, int af, const uint8_t *p, size_t len)
{
	PUSH(r, "udp");
	if (len < 8) {
		anomaly(r, "udp: %zu bytes, header needs 8", len);
		return;
	}
	size_t ulen = be16(p + 4);
	if (ulen == 0 && af == 6)
		ulen = len; /* jumbogram (RFC 2675) */
	if (ulen < 8) {
		anomaly(r, "udp: length %zu < 8", ulen);
		return;
	}
	if (ulen > len) {
		anomaly(r, "udp: length %zu > %zu bytes", ulen, len);
		return;
	}
	uint16_t sport = be16(p), dport = be16(p + 2);
	if ((sport == 2152 || dport == 2152) && r->depth < MAX_DEPTH && walk_gtpu(r, p + 8, ulen - 8))
		return;
	deliver(r, DEC_T_UDP, 0, sport, dport, 0, p + 8, ulen - 8);
}

static void walk_l4(struct ingest_pcap *r, uint8_t proto, int af, const uint8_t *src, const uint8_t *dst,
		    const uint8_t *p, size_t len)
{
	switch (proto) {
	case 132:
		walk_sctp(r, af, src, dst, p, len);
		break;
	case 6:
		walk_tcp(r, af, src, dst, p, len);
		break;
	case 17:
		walk_udp(r, af, p, len);
		break;
	case 4:
	case 41:
		if (r->depth >= MAX_DEPTH)
			break;
		r->depth++;
		if (proto == 4)
			walk_ipv4(r, p, len);
		else
			walk_ipv6(r, p, len);
		r->depth--;
		break;
	default:
		break; /* ICMP, OSPF ...: nothing for the decoders */
	}
}

/* ---- IP fragment reassembly ---- */

static void frag_drop(struct ingest_pcap *r, struct ip_frag *e)
{
	if (e->buf) {
		if (!r->spare_dgram)
			r->spare_dgram = e->buf;
		else
			free(e->buf);
	}
	memset(e, 0, sizeof(*e));
	r->c.reasm_drops++;
}

static bool map_get(const struct ip_frag *e, size_t b)
{
	return e->map[b / 8] >> (b % 8) & 1;
}

static void frag_add(struct ingest_pcap *r, int af, const uint8_t *src, const uint8_t *dst, uint32_t id,
		     uint8_t proto, size_t off, bool mf, const uint8_t *p, size_t len)
{
	size_t alen = af == 4 ? 4 : 16;
	struct ip_frag *e = NULL, *slot = NULL, *oldest = NULL;

	r->c.ip_fragments++;
	r->f_used = true;
	if (off + len > MAX_DGRAM - 1) {
		anomaly(r, "ip: fragment at %zu of %zu bytes ends past 65535", off, len);
		r->c.reasm_drops++;
		return;
	}
	if (mf && len % 8) {
		anomaly(r, "ip: non-final fragment of %zu bytes (not a multiple of 8)", len);
		r->c.reasm_drops++;
		return;
	}
	for (size_t i = 0; i < INGEST_PCAP_IP_FRAGS; i++) {
		struct ip_frag *x = &r->frags[i];
		if (x->used && x->first + INGEST_PCAP_IP_TIMEOUT < r->ts)
			frag_drop(r, x); /* timed out */
		if (!x->used) {
			if (!slot)
				slot = x;
			continue;
		}
		if (x->af == af && x->id == id && (af == 6 || x->proto == proto) &&
		    !memcmp(x->src, src, alen) && !memcmp(x->dst, dst, alen))
			e = x;
		else if (!oldest || x->first < oldest->first)
			oldest = x;
	}
	if (!e) {
		if (!slot) {
			frag_drop(r, oldest); /* table full: the oldest datagram goes */
			slot = oldest;
		}
		e = slot;
		uint8_t *buf = r->spare_dgram ? r->spare_dgram : malloc(MAX_DGRAM);
		r->spare_dgram = NULL;
		if (!buf) {
			r->c.reasm_drops++;
			return;
		}
		memset(e, 0, sizeof(*e));
		e->used = true;
		e->buf = buf;
		e->af = (uint8_t)af;
		e->id = id;
		e->proto = proto;
		e->first = r->ts;
		memcpy(e->src, src, alen);
		memcpy(e->dst, dst, alen);
	}
	if (af == 6 && off == 0)
		e->proto = proto; /* the upper header follows the first fragment's fragment header */
	size_t end = off + len;
	bool conflict = false;
	if (!mf) {
		if (e->have_last && e->total != end)
			conflict = true;
		/* nothing may lie beyond the end */
		for (size_t b = (end + 7) / 8; !conflict && b < MAX_DGRAM / 8; b++)
			conflict = map_get(e, b);
		e->have_last = true;
		e->total = (uint32_t)end;
	} else if (e->have_last && end > e->total) {
		conflict = true;
	}
	/* Overlap: bytes already held must agree (RFC 5722: otherwise drop). */
	for (size_t b = off / 8; !conflict && b < (end + 7) / 8; b++) {
		if (!map_get(e, b))
			continue;
		size_t lo = b * 8 > off ? b * 8 : off, hi = (b + 1) * 8 < end ? (b + 1) * 8 : end;
		if (e->have_last && hi > e->total)
			hi = e->total;
		if (lo < hi && memcmp(e->buf + lo, p + (lo - off), hi - lo) != 0)
			conflict = true;
	}
	if (conflict) {
		anomaly(r, "ip: fragments of datagram %u overlap with different data or lengths; dropped", id);
		frag_drop(r, e);
		return;
	}
	memcpy(e->buf + off, p, len);
	for (size_t b = off / 8; b < (end + 7) / 8; b++)
		e->map[b / 8] |= (uint8_t)(1u << (b % 8));
	if (!e->have_last)
		return;
	size_t nb = (e->total + 7) / 8;
	for (size_t b = 0; b < nb; b++)
		if (!map_get(e, b))
			return;

	/* Complete: take the buffer out of the table before walking (nesting may reuse slots). */
	uint8_t *buf = e->buf;
	uint8_t s[16], d[16];
	uint8_t up = e->proto;
	size_t total = e->total;
	memcpy(s, e->src, sizeof(s));
	memcpy(d, e->dst, sizeof(d));
	memset(e, 0, sizeof(*e));
	r->c.ip_reassembled++;
	if (af == 4)
		walk_l4(r, up, 4, s, d, buf, total);
	else
		walk_ipv6_ext(r, up, s, d, buf, total, true);
	if (!r->spare_dgram)
		r->spare_dgram = buf;
	else
		free(buf);
}

/* ---- IPv4 / IPv6 ---- */

static void walk_ipv4(struct ingest_pcap *r, const uint8_t *p, size_t len)
{
	PUSH(r, "ip");
	if (len < 20) {
		anomaly(r, "ipv4: %zu bytes, header needs 20", len);
		return;
	}
	if ((p[0] >> 4) != 4) {
		anomaly(r, "ipv4: version %u", p[0] >> 4);
		return;
	}
	size_t ihl = (size_t)(p[0] & 15) * 4;
	size_t tot = be16(p + 2);
	if (ihl < 20 || ihl > len) {
		anomaly(r, "ipv4: header length %zu invalid (%zu bytes captured)", ihl, len);
		return;
	}
	if (tot == 0)
		tot = len; /* segmentation offload: the length is left to the NIC */
	if (tot < ihl) {
		anomaly(r, "ipv4: total length %zu < header length %zu", tot, ihl);
		return;
	}
	if (tot > len) {
		anomaly(r, "ipv4: total length %zu > %zu bytes captured", tot, len);
		return;
	}
	uint16_t fo = be16(p + 6);
	size_t off = (size_t)(fo & 0x1fff) * 8;
	bool mf = fo & 0x2000;
	if (mf || off)
		frag_add(r, 4, p + 12, p + 16, be16(p + 4), p[9], off, mf, p + ihl, tot - ihl);
	else
		walk_l4(r, p[9], 4, p + 12, p + 16, p + ihl, tot - ihl);
}

static void walk_ipv6_ext(struct ingest_pcap *r, uint8_t nh, const uint8_t *src, const uint8_t *dst,
			  const uint8_t *p, size_t len, bool reassembled)
{
	for (int i = 0; i < 16; i++) {
		size_t hl;
		switch (nh) {
		case 0:
		case 43:
		case 60:
		case 51:
			if (len < 8) {
				anomaly(r, "ipv6: extension header %u truncated", nh);
				return;
			}
			hl = nh == 51 ? ((size_t)p[1] + 2) * 4 : ((size_t)p[1] + 1) * 8;
			if (hl > len) {
				anomaly(r, "ipv6: extension header %u of %zu bytes > %zu left", nh, hl, len);
				return;
			}
			push(r, nh == 0 ? "ipv6.hopopts" : nh == 43 ? "ipv6.routing" : nh == 60 ? "ipv6.dstopts" : "ah");
			nh = p[0];
			p += hl;
			len -= hl;
			continue;
		case 44: {
			if (len < 8) {
				anomaly(r, "ipv6: fragment header truncated");
				return;
			}
			PUSH(r, "ipv6.fraghdr");
			uint8_t next = p[0];
			size_t off = be16(p + 2) & 0xfff8;
			bool mf = p[3] & 1;
			if (!off && !mf) { /* atomic fragment (RFC 6946) */
				nh = next;
				p += 8;
				len -= 8;
				continue;
			}
			if (reassembled) {
				anomaly(r, "ipv6: fragment header inside a reassembled datagram");
				return;
			}
			frag_add(r, 6, src, dst, be32(p + 4), next, off, mf, p + 8, len - 8);
			return;
		}
		case 59:
			return; /* no next header */
		default:
			walk_l4(r, nh, 6, src, dst, p, len);
			return;
		}
	}
	anomaly(r, "ipv6: more than 16 extension headers");
}

static void walk_ipv6(struct ingest_pcap *r, const uint8_t *p, size_t len)
{
	PUSH(r, "ipv6");
	if (len < 40) {
		anomaly(r, "ipv6: %zu bytes, header needs 40", len);
		return;
	}
	if ((p[0] >> 4) != 6) {
		anomaly(r, "ipv6: version %u", p[0] >> 4);
		return;
	}
	size_t plen = be16(p + 4);
	if (plen == 0 && p[6] != 59)
		plen = len - 40; /* jumbogram or segmentation offload */
	if (40 + plen > len) {
		anomaly(r, "ipv6: payload length %zu > %zu bytes captured", plen, len - 40);
		return;
	}
	walk_ipv6_ext(r, p[6], p + 8, p + 24, p + 40, plen, false);
}

/* ---- link layers ---- */

static void walk_ethertype(struct ingest_pcap *r, uint16_t type, const uint8_t *p, size_t len)
{
	for (int tags = 0; type == 0x8100 || type == 0x88a8 || type == 0x9100; tags++) {
		if (tags == 8) {
			anomaly(r, "vlan: more than 8 tags");
			return;
		}
		push(r, type == 0x88a8 ? "ieee8021ad:ethertype" : "vlan:ethertype"); /* tshark's names */
		if (len < 4) {
			anomaly(r, "vlan: %zu bytes, tag needs 4", len);
			return;
		}
		type = be16(p + 2);
		p += 4;
		len -= 4;
	}
	if (type == 0x0800)
		walk_ipv4(r, p, len);
	else if (type == 0x86dd)
		walk_ipv6(r, p, len);
	/* ARP, LLDP, 802.3 LLC ...: nothing for the decoders */
}

/* walk_mtp2() - Q.703 7.2 (basic) or Annex A (extended sequence numbers). */
static void walk_mtp2(struct ingest_pcap *r, const uint8_t *p, size_t len, bool extended)
{
	size_t hdr = extended ? 6 : 3;
	PUSH(r, "mtp2");
	if (len < hdr) {
		anomaly(r, "mtp2: %zu bytes, header needs %zu", len, hdr);
		return;
	}
	size_t li = extended ? (size_t)((p[4] | p[5] << 8) & 0x1ff) : (size_t)(p[2] & 0x3f);
	size_t avail = len - hdr;
	if (li < 3)
		return; /* FISU (0) or LSSU (1, 2): link status */
	size_t n = li;
	if (li == (extended ? 0x1ff : 63)) /* "63 or more" */
		n = avail;
	if (n > avail) {
		anomaly(r, "mtp2: length indicator %zu > %zu bytes after the header", li, avail);
		return;
	}
	deliver(r, DEC_T_MTP3, 0, 0, 0, 0, p + hdr, n);
}

static void walk_link(struct ingest_pcap *r, const uint8_t *p, size_t len)
{
	switch (r->linktype) {
	case DLT_EN10MB:
		PUSH(r, "eth:ethertype");
		if (len < 14) {
			anomaly(r, "eth: frame of %zu bytes, header needs 14", len);
			return;
		}
		walk_ethertype(r, be16(p + 12), p + 14, len - 14);
		return;
	case DLT_LINUX_SLL:
		PUSH(r, "sll:ethertype");
		if (len < 16) {
			anomaly(r, "sll: frame of %zu bytes, header needs 16", len);
			return;
		}
		walk_ethertype(r, be16(p + 14), p + 16, len - 16);
		return;
	case DLT_LINUX_SLL2:
		PUSH(r, "sll:ethertype");
		if (len < 20) {
			anomaly(r, "sll2: frame of %zu bytes, header needs 20", len);
			return;
		}
		walk_ethertype(r, be16(p), p + 20, len - 20);
		return;
	case DLT_NULL:
	case DLT_LOOP: {
		PUSH(r, "null");
		if (len < 4) {
			anomaly(r, "null: frame of %zu bytes, header needs 4", len);
			return;
		}
		/* NULL: host byte order of the capturing machine; LOOP: network order. */
		uint32_t fam = be32(p);
		if (r->linktype == DLT_NULL && (fam & 0xffff) == 0)
			fam = (uint32_t)p[0] | (uint32_t)p[1] << 8;
		if (fam == 2)
			walk_ipv4(r, p + 4, len - 4);
		else if (fam == 24 || fam == 28 || fam == 30 || fam == 10)
			walk_ipv6(r, p + 4, len - 4);
		return;
	}
	case DLT_RAW:
	case 14: /* DLT_RAW on OpenBSD */
	case 101: /* LINKTYPE_RAW */
	case DLT_IPV4:
	case DLT_IPV6:
		if (r->linktype != DLT_IPV4 && r->linktype != DLT_IPV6)
			PUSH(r, "raw");
		if (len < 1) {
			anomaly(r, "raw: empty frame");
			return;
		}
		if ((p[0] >> 4) == 4 && r->linktype != DLT_IPV6)
			walk_ipv4(r, p, len);
		else if ((p[0] >> 4) == 6 && r->linktype != DLT_IPV4)
			walk_ipv6(r, p, len);
		else
			anomaly(r, "raw: IP version %u", p[0] >> 4);
		return;
	case DLT_MTP2_WITH_PHDR:
		/* pseudo-header: sent, annex_a_used, link_number (2) */
		if (len < 4) {
			PUSH(r, "mtp2");
			anomaly(r, "mtp2: frame of %zu bytes, pseudo-header needs 4", len);
			return;
		}
		walk_mtp2(r, p + 4, len - 4, p[1] != 0);
		return;
	case DLT_MTP2:
		walk_mtp2(r, p, len, false);
		return;
	case DLT_MTP3:
		if (len == 0) {
			anomaly(r, "mtp3: empty frame");
			return;
		}
		deliver(r, DEC_T_MTP3, 0, 0, 0, 0, p, len);
		return;
	default:
		anomaly(r, "link type %d not supported", r->linktype);
		return;
	}
}

void ingest_pcap_feed(struct ingest_pcap *r, const uint8_t *p, size_t caplen, size_t wirelen,
		      ss_time_us ts)
{
	r->frame++;
	r->ts = ts;
	r->stack_len = 0;
	r->stack[0] = '\0';
	r->f_payload = r->f_anomaly = r->f_used = false;
	r->f_reports = 0;
	r->depth = 0;
	r->c.frames++;
	r->c.bytes += wirelen > caplen ? wirelen : caplen;
	if (caplen < wirelen)
		r->c.truncated++;
	walk_link(r, p, caplen);
	if (!r->f_payload && !r->f_anomaly && !r->f_used)
		r->c.skipped++;
}

void ingest_pcap_flush(struct ingest_pcap *r)
{
	if (!r->flows)
		return;
	r->stack_len = 0;
	r->stack[0] = '\0';
	r->f_reports = 0;
	for (size_t i = 0; i < INGEST_PCAP_FLOWS; i++) {
		struct flow *f = &r->flows[i];
		if (f->used && f->key.proto == 6)
			while (f->u.tcp.n_held)
				tcp_skip_gap(r, f);
	}
}

/* ---- reader ---- */

static int reader_new(const struct ingest_pcap_handlers *h, struct ingest_pcap **out)
{
	struct ingest_pcap *r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	if (h)
		r->h = *h;
	if (!r->h.payload && dec_context_open(&r->dec) < 0) {
		free(r);
		return -ENOMEM;
	}
	*out = r;
	return 0;
}

static void set_err(char *err, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;
	if (!err || !size)
		return;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
}

static int reader_filter(struct ingest_pcap *r, const struct ingest_pcap_options *opt, char *err, size_t size)
{
	if (!opt || !opt->filter || !opt->filter[0])
		return 0;
	if (!r->pc && r->pf) {
		/* pcapfile.c reads the file: compile for its link type on a handle that reads nothing. */
		r->pc = pcap_open_dead_with_tstamp_precision(r->linktype, pcapfile_snaplen(r->pf),
							     PCAP_TSTAMP_PRECISION_MICRO);
		if (!r->pc) {
			set_err(err, size, "filter '%s': %s", opt->filter, strerror(ENOMEM));
			return -ENOMEM;
		}
	}
	if (pcap_compile(r->pc, &r->filter, opt->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		set_err(err, size, "filter '%s': %s", opt->filter, pcap_geterr(r->pc));
		return -SS_EUSAGE;
	}
	r->have_filter = true;
	if (r->live && pcap_setfilter(r->pc, &r->filter) < 0) {
		set_err(err, size, "filter '%s': %s", opt->filter, pcap_geterr(r->pc));
		return -SS_EUSAGE;
	}
	return 0;
}

/*
 * stream_fd() - @f's descriptor when it is a pipe, socket or terminal
 * (read with read(2) by pcapfile.c, which returns what has arrived), -1
 * for a regular file or a memory stream (read with fread() in large blocks).
 */
static int stream_fd(FILE *f)
{
	struct stat st;
	int fd = fileno(f);
	if (fd < 0 || fstat(fd, &st) < 0 || S_ISREG(st.st_mode))
		return -1;
	return fd;
}

/* open_libpcap() - libpcap reads @f (pcapng, pcap it alone handles); @f is closed on failure. */
static int open_libpcap(struct ingest_pcap *r, FILE *f, char *err, size_t err_size)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	r->pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_MICRO, ebuf);
	if (!r->pc) {
		fclose(f);
		set_err(err, err_size, "not a pcap/pcapng capture: %s", ebuf);
		return -SS_EPARSE;
	}
	r->linktype = pcap_datalink(r->pc);
	return 0;
}

int ingest_pcap_reader_open_stream(FILE *f, const struct ingest_pcap_options *opt,
				   const struct ingest_pcap_handlers *h, struct ingest_pcap **out,
				   char *err, size_t err_size)
{
	struct ingest_pcap *r;
	struct pcapfile *pf;
	int rc;

	*out = NULL;
	rc = reader_new(h, &r);
	if (rc >= 0) {
		rc = pcapfile_open(f, stream_fd(f), &pf);
		if (rc < 0)
			ingest_pcap_reader_close(r);
	}
	if (rc < 0) {
		fclose(f);
		set_err(err, err_size, "%s", strerror(-rc));
		return rc;
	}
	if (rc == 1) {
		r->pf = pf;
		r->linktype = pcapfile_linktype(pf);
	} else {
		/*
		 * Not ours: libpcap reads the stream from its start again (the
		 * replay FILE).  libpcap reads each record with two fread()s; with
		 * stdio's default 4 KiB buffer a read(2) every ~20 frames cost more
		 * than the whole record walk, hence the large buffer, freed after
		 * pcap_close() has closed the FILE.
		 */
		r->iobuf = malloc(INGEST_PCAP_IOBUF);
		FILE *rf = pcapfile_fallback(pf, r->iobuf, r->iobuf ? INGEST_PCAP_IOBUF : 0);
		rc = rf ? open_libpcap(r, rf, err, err_size) : -ENOMEM;
		if (rc < 0) {
			if (!rf)
				set_err(err, err_size, "%s", strerror(ENOMEM));
			ingest_pcap_reader_close(r);
			return rc;
		}
	}
	rc = reader_filter(r, opt, err, err_size);
	if (rc < 0) {
		ingest_pcap_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int ingest_pcap_reader_open(const char *path, const struct ingest_pcap_options *opt,
			    const struct ingest_pcap_handlers *h, struct ingest_pcap **out, char *err,
			    size_t err_size)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		int rc = -errno;
		set_err(err, err_size, "cannot open: %s", strerror(errno));
		*out = NULL;
		return rc;
	}
	return ingest_pcap_reader_open_stream(f, opt, h, out, err, err_size);
}

int ingest_pcap_reader_open_live(const char *iface, const struct ingest_pcap_options *opt,
				 const struct ingest_pcap_handlers *h, struct ingest_pcap **out,
				 char *err, size_t err_size)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct ingest_pcap *r;
	int rc;

	*out = NULL;
	rc = reader_new(h, &r);
	if (rc < 0)
		return rc;
	r->live = true;
	r->pc = pcap_create(iface, ebuf);
	if (!r->pc) {
		set_err(err, err_size, "interface %s: %s", iface, ebuf);
		ingest_pcap_reader_close(r);
		return -SS_EUSAGE;
	}
	pcap_set_snaplen(r->pc, opt && opt->snaplen > 0 ? opt->snaplen : 262144);
	pcap_set_promisc(r->pc, opt && opt->promisc);
	pcap_set_timeout(r->pc, opt && opt->timeout_ms > 0 ? opt->timeout_ms : 200);
	pcap_set_tstamp_precision(r->pc, PCAP_TSTAMP_PRECISION_MICRO);
	rc = pcap_activate(r->pc);
	if (rc < 0) {
		set_err(err, err_size, "interface %s: %s", iface,
			rc == PCAP_ERROR ? pcap_geterr(r->pc) : pcap_statustostr(rc));
		ingest_pcap_reader_close(r);
		return rc == PCAP_ERROR_PERM_DENIED ? -EACCES : -SS_EUSAGE;
	}
	r->linktype = pcap_datalink(r->pc);
	rc = reader_filter(r, opt, err, err_size);
	if (rc < 0) {
		ingest_pcap_reader_close(r);
		return rc;
	}
	*out = r;
	return 0;
}

int ingest_pcap_reader_open_dead(int linktype, const struct ingest_pcap_handlers *h,
				 struct ingest_pcap **out)
{
	struct ingest_pcap *r;
	int rc = reader_new(h, &r);
	*out = NULL;
	if (rc < 0)
		return rc;
	r->linktype = linktype;
	*out = r;
	return 0;
}

/* step_file() - ingest_pcap_reader_step() for a file pcapfile.c reads. */
static int step_file(struct ingest_pcap *r)
{
	struct pcapfile_record rec;

	for (;;) {
		int rc = r->brk ? 0 : pcapfile_next(r->pf, &rec);
		if (rc == 0) {
			r->ended = true;
			ingest_pcap_flush(r);
			return 0;
		}
		if (rc < 0) {
			snprintf(r->err, sizeof(r->err), "after frame %llu: %s", (unsigned long long)r->frame,
				 pcapfile_error(r->pf));
			r->ended = true;
			ingest_pcap_flush(r);
			return -SS_EPARSE;
		}
		if (r->have_filter) {
			struct pcap_pkthdr hdr = { .caplen = rec.caplen, .len = rec.len };
			if (!pcap_offline_filter(&r->filter, &hdr, rec.data)) {
				r->frame++; /* frame numbers count every record, as tshark's do */
				r->c.frames++;
				r->c.skipped++;
				continue;
			}
		}
		ingest_pcap_feed(r, rec.data, rec.caplen, rec.len, rec.ts);
		return 1;
	}
}

int ingest_pcap_reader_step(struct ingest_pcap *r)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;

	if (r->ended)
		return 0;
	if (r->pf)
		return step_file(r);
	if (!r->pc)
		return 0;
	for (;;) {
		int rc = pcap_next_ex(r->pc, &hdr, &data);
		if (rc == 0)
			return 1; /* live timeout */
		if (rc == PCAP_ERROR_BREAK) {
			r->ended = true;
			ingest_pcap_flush(r);
			return 0;
		}
		if (rc < 0) {
			snprintf(r->err, sizeof(r->err), "after frame %llu: %s", (unsigned long long)r->frame,
				 pcap_geterr(r->pc));
			r->ended = true;
			ingest_pcap_flush(r);
			return -SS_EPARSE;
		}
		if (r->have_filter && !r->live && !pcap_offline_filter(&r->filter, hdr, data)) {
			r->frame++; /* frame numbers count every record, as tshark's do */
			r->c.frames++;
			r->c.skipped++;
			continue;
		}
		ss_time_us ts = (ss_time_us)hdr->ts.tv_sec * SS_US_PER_SEC + hdr->ts.tv_usec;
		ingest_pcap_feed(r, data, hdr->caplen, hdr->len, ts);
		return 1;
	}
}

void ingest_pcap_reader_break(struct ingest_pcap *r)
{
	if (r && r->pf)
		r->brk = 1; /* as libpcap ends a file read on pcap_breakloop() */
	else if (r && r->pc)
		pcap_breakloop(r->pc);
}

void ingest_pcap_reader_counters(const struct ingest_pcap *r, struct ingest_pcap_counters *c)
{
	*c = r->c;
	if (r->dec) {
		const struct dec_counters *d = dec_context_counters(r->dec);
		c->messages = d->messages;
		c->msg_anomalies = d->anomalies;
		c->unknown = d->unknown;
	}
}

int ingest_pcap_reader_linktype(const struct ingest_pcap *r)
{
	return r->linktype;
}

const char *ingest_pcap_reader_error(const struct ingest_pcap *r)
{
	return r->err;
}

void ingest_pcap_reader_close(struct ingest_pcap *r)
{
	if (!r)
		return;
	if (r->have_filter)
		pcap_freecode(&r->filter);
	if (r->pc)
		pcap_close(r->pc);
	free(r->iobuf); /* after pcap_close(): its FILE used this buffer */
	pcapfile_close(r->pf);
	for (size_t i = 0; i < INGEST_PCAP_IP_FRAGS; i++)
		free(r->frags[i].buf);
	free(r->spare_dgram);
	if (r->flows) {
		for (size_t i = 0; i < INGEST_PCAP_FLOWS; i++)
			if (r->flows[i].used && r->flows[i].key.proto == 6)
				tcp_free_held(r, &r->flows[i], false);
		free(r->flows);
	}
	for (size_t i = 0; i < INGEST_PCAP_SCTP_FRAGS; i++)
		free(r->sfrags[i].data);
	free(r->sctp_msg);
	dec_context_close(r->dec);
	free(r);
}

void ingest_pcap_counters_print(FILE *out, const struct ingest_pcap_counters *c)
{
	fprintf(out,
		"frames %llu (%llu bytes, %llu cut short by the snap length, %llu skipped), "
		"%llu with anomalies, %llu payloads, %llu messages (%llu with anomalies), %llu unknown payloads; "
		"ip fragments %llu -> %llu datagrams; sctp chunks %llu (%llu retransmitted, %llu messages "
		"reassembled); tcp segments %llu (%llu retransmitted, %llu out of order, %llu gaps); "
		"reassembly drops %llu",
		(unsigned long long)c->frames, (unsigned long long)c->bytes, (unsigned long long)c->truncated,
		(unsigned long long)c->skipped, (unsigned long long)c->anomalies,
		(unsigned long long)c->payloads, (unsigned long long)c->messages,
		(unsigned long long)c->msg_anomalies, (unsigned long long)c->unknown,
		(unsigned long long)c->ip_fragments, (unsigned long long)c->ip_reassembled,
		(unsigned long long)c->sctp_chunks, (unsigned long long)c->sctp_retrans,
		(unsigned long long)c->sctp_reassembled, (unsigned long long)c->tcp_segments,
		(unsigned long long)c->tcp_retrans, (unsigned long long)c->tcp_out_of_order,
		(unsigned long long)c->tcp_gaps, (unsigned long long)c->reasm_drops);
}

/* ---- the event source ---- */

void ingest_event_queue_on_message(void *arg, const struct dec_message *m)
{
	struct ingest_event_queue *s = arg;
	struct event ev;

	if (dec_message_event(m, &ev) != 1) {
		ev_clear(&ev);
		return;
	}
	ev.source = EV_SRC_PCAP;
	ev.input = s->input_index;
	ev.line = m->frame;
	if (s->len == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct event *q = realloc(s->q, cap * sizeof(*q));
		if (!q) {
			s->oom = true;
			ev_clear(&ev);
			return;
		}
		s->q = q;
		s->cap = cap;
	}
	s->q[s->len++] = ev;
}

void ingest_event_queue_on_anomaly(void *arg, const struct ingest_pcap_anomaly *a)
{
	struct ingest_event_queue *s = arg;
	if (a->frame == s->last_bad_frame)
		return; /* rejected counts frames: one report each */
	s->last_bad_frame = a->frame;
	ingest_report_bad(s->src, a->frame, "%s: %s", a->stack[0] ? a->stack : "frame", a->reason);
}

int ingest_event_queue_pop(struct ingest_event_queue *s, struct event *ev)
{
	if (s->head < s->len) {
		*ev = s->q[s->head];
		ev_init(&s->q[s->head]);
		s->head++;
		return 1;
	}
	s->head = s->len = 0;
	return 0;
}

void ingest_event_queue_free(struct ingest_event_queue *s)
{
	for (size_t i = s->head; i < s->len; i++)
		ev_clear(&s->q[i]);
	free(s->q);
	s->q = NULL;
	s->head = s->len = s->cap = 0;
}

struct pcap_src {
	struct ingest_source base;
	struct ingest_pcap *r;
	struct ingest_event_queue queue;
	bool done;
};

static const struct ingest_source_ops pcap_src_ops;

static int src_next(struct ingest_source *src, struct event *ev)
{
	struct pcap_src *s = (struct pcap_src *)src;

	for (;;) {
		if (s->queue.oom)
			return -ENOMEM;
		if (ingest_event_queue_pop(&s->queue, ev)) {
			src->counters.accepted++;
			return 1;
		}
		if (s->done)
			return 0;
		int rc = ingest_pcap_reader_step(s->r);
		if (rc == 0) {
			s->done = true;
		} else if (rc < 0) {
			s->done = true;
			ingest_report_bad(src, s->r->frame + 1, "capture cut short: %s",
					  ingest_pcap_reader_error(s->r));
		}
	}
}

static void src_close(struct ingest_source *src)
{
	struct pcap_src *s = (struct pcap_src *)src;
	ingest_event_queue_free(&s->queue);
	ingest_pcap_reader_close(s->r);
	free(src->name);
	free(s);
}

static const struct ingest_source_ops pcap_src_ops = { .next = src_next, .close = src_close };

int ingest_pcap_open_stream(FILE *f, const char *name, const struct ingest_options *opt,
			    struct ingest_source **out)
{
	struct pcap_src *s = calloc(1, sizeof(*s));
	char err[PCAP_ERRBUF_SIZE + 64];
	int rc;

	*out = NULL;
	if (!s || !(s->base.name = strdup(strcmp(name, "-") == 0 ? "<stdin>" : name))) {
		free(s);
		fclose(f);
		return -ENOMEM;
	}
	s->base.ops = &pcap_src_ops;
	s->base.kind = "pcap";
	s->base.errors = opt ? opt->errors : NULL;
	s->base.max_error_lines = opt ? opt->max_error_lines : 0;
	s->queue.src = &s->base;
	s->queue.input_index = opt ? opt->input_index : 0;
	struct ingest_pcap_handlers h = {
		.emit = ingest_event_queue_on_message, .anomaly = ingest_event_queue_on_anomaly, .arg = &s->queue
	};
	rc = ingest_pcap_reader_open_stream(f, NULL, &h, &s->r, err, sizeof(err));
	if (rc < 0) {
		fprintf(s->base.errors ? s->base.errors : stderr, "%s: %s\n", s->base.name, err);
		free(s->base.name);
		free(s);
		return rc;
	}
	*out = &s->base;
	return 0;
}

int ingest_pcap_open(const char *path, const struct ingest_options *opt, struct ingest_source **out)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	*out = NULL;
	if (!f) {
		int rc = -errno;
		fprintf(opt && opt->errors ? opt->errors : stderr, "%s: cannot open: %s\n", path,
			strerror(errno));
		return rc;
	}
	return ingest_pcap_open_stream(f, path, opt, out);
}

int ingest_pcap_source_counters(const struct ingest_source *src, struct ingest_pcap_counters *c)
{
	if (!src || src->ops != &pcap_src_ops)
		return -SS_EUSAGE;
	ingest_pcap_reader_counters(((const struct pcap_src *)src)->r, c);
	return 0;
}

int ingest_pcap_reader_pollfd(struct ingest_pcap *r, char *err, size_t err_size)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";

	if (!r || !r->pc || !r->live) {
		set_err(err, err_size, "not a live capture");
		return -SS_EUSAGE;
	}
	if (pcap_setnonblock(r->pc, 1, ebuf) < 0) {
		set_err(err, err_size, "non-blocking mode: %s", ebuf);
		return -SS_EUSAGE;
	}
	int fd = pcap_get_selectable_fd(r->pc);
	if (fd < 0) {
		set_err(err, err_size, "no selectable descriptor for this capture");
		return -SS_EUSAGE;
	}
	return fd;
}
