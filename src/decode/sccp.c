/*
 * sccp.c - ITU-T Q.713 Signalling Connection Control Part, connectionless
 * messages: UDT (4.10), UDTS (4.11), XUDT (4.18), XUDTS (4.19), LUDT
 * (4.20), LUDTS (4.21); connection-oriented CR (4.2), CC (4.3) and DT1
 * (4.8) with their user data; other connection-oriented messages (RLSD,
 * RLC, CREF ...) are named only.
 *
 * Connection-oriented user data goes to RANAP (SSN 142) or BSSAP (SSN 254).
 * A DT1 carries no address, only the destination local reference, so the
 * subsystem of each connection is remembered from its CR (called SSN)
 * in a table of SCCP_CONN_SLOTS entries keyed by (local reference, point
 * code of the node that chose it): CR adds (source ref, OPC), CC adds its
 * own (source ref, OPC) after finding (destination ref, DPC); a DT1 looks up
 * (destination ref, DPC).  The oldest entry is overwritten when full.  A
 * connection whose CR was not seen, or whose SSN is neither (some captures
 * use local SSNs, e.g. 16/32 for Iu-CS), falls back to the content: RANAP
 * when the first four octets are a consistent PER header (choice octet
 * 0x00/0x20/0x40/0x60, procedure code, criticality with zero padding, a
 * short-form length covering exactly the rest); otherwise BSSAP when it
 * starts with 0x01 (DTAP) or 0x00 + a length octet matching the rest
 * (BSSMAP); otherwise RANAP on the choice octet alone.  A DirectTransfer
 * (procedure 20 = 0x14) of 22 octets also reads as a BSSMAP length, hence
 * RANAP's fuller check first.
 *
 * Reads the called and calling party addresses (3.4: address indicator,
 * point code, SSN, global title of indicator 1-4 with TT, NP, ES, NAI and
 * BCD digits) and hands the user data to TCAP.  XUDT/LUDT segments (the
 * segmentation parameter, 3.17: first bit, remaining segments, local
 * reference) are reassembled (Q.714 4.1.1.2) in the context's sccp_reasm
 * slot: a table of SCCP_REASM_SLOTS partial messages keyed by local
 * reference, OPC and calling address, each expiring SCCP_REASM_EXPIRE after
 * its first segment, the oldest dropped when the table is full.  The
 * segments before the last are emitted as SCCP messages without user data.
 */
#include "decode/ss7.h"

#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>

#define SCCP_REASM_SLOTS 64
#define SCCP_REASM_BYTES 4096		       /* > 16 XUDT segments of 254 octets (Q.714 4.1.1.2.1) */
#define SCCP_REASM_EXPIRE (10 * 1000000LL)     /* µs of capture time: Q.714 T(reassembly) is 10-20 s */

#define SCCP_CONN_SLOTS 256
#define SCCP_SSN_RANAP 142 /* Q.713 3.4.2.2 / TS 25.410 */
#define SCCP_SSN_BSSAP 254 /* TS 48.006 */

#define SCCP_PARAM_CALLED 0x03	     /* 3.4 */
#define SCCP_PARAM_CALLING 0x04	     /* 3.5 */
#define SCCP_PARAM_DATA 0x0f	     /* 3.16 */
#define SCCP_PARAM_SEGMENTATION 0x10 /* 3.17 */
#define SCCP_PARAM_END 0x00

struct reasm_entry {
	bool used;
	uint32_t ref;	  /* local reference, 3.17 */
	uint32_t opc;
	uint32_t addr_hash; /* calling party address octets */
	uint8_t next_remaining; /* the remaining-segments value expected next */
	ss_time_us first;
	uint64_t seq;	  /* insertion order, for oldest-first eviction */
	size_t len;
	uint8_t buf[SCCP_REASM_BYTES];
};

/* One end of a connection: the local reference a node chose, and the connection's SSN. */
struct conn_entry {
	bool used;
	uint32_t ref, pc;
	uint8_t ssn;
	uint64_t seq;
};

/*
 * Decoded party addresses by their octets.  A signalling link carries the
 * same few global titles (HLRs, MSCs, SMSCs) in message after message, so
 * an address is decoded once and later copies come from here: a word
 * compare and a 46-byte copy instead of the BCD walk.  Direct-mapped on a
 * hash of the octets; only addresses that decoded without an anomaly are
 * kept (an anomaly must be reported for every message that has it).  The
 * decoded form is a function of the octets alone (a zeroed address filled
 * by sccp_address_parse()), so a hit gives exactly what decoding would.
 * 32 slots of 80 bytes: 2.5 KB in the sccp_reasm state.
 */
#define SCCP_ADDR_CACHE_SLOTS 32 /* power of two */
#define SCCP_ADDR_CACHE_OCTETS 24 /* longer addresses (GTs over ~36 digits) are not kept */

struct addr_cache_entry {
	uint64_t key[SCCP_ADDR_CACHE_OCTETS / 8]; /* addr_key() of the octets */
	uint32_t len;				  /* 0: empty slot */
	struct dec_sccp_addr addr;
};

struct sccp_reasm {
	struct addr_cache_entry addr_cache[SCCP_ADDR_CACHE_SLOTS];
	uint64_t seq;
	uint64_t started, completed, expired, evicted, overflowed, orphans;
	struct reasm_entry e[SCCP_REASM_SLOTS];
	uint64_t conn_seq;
	struct conn_entry conn[SCCP_CONN_SLOTS];
};

static void reasm_free(void *state)
{
	free(state);
}

static struct sccp_reasm *reasm_state(struct dec_context *ctx)
{
	if (!ctx->sccp_reasm.state) {
		ctx->sccp_reasm.state = calloc(1, sizeof(struct sccp_reasm));
		ctx->sccp_reasm.free = reasm_free;
	}
	return ctx->sccp_reasm.state;
}

static struct conn_entry *conn_find(struct sccp_reasm *st, uint32_t ref, uint32_t pc)
{
	for (int i = 0; i < SCCP_CONN_SLOTS; i++)
		if (st->conn[i].used && st->conn[i].ref == ref && st->conn[i].pc == pc)
			return &st->conn[i];
	return NULL;
}

static void conn_put(struct sccp_reasm *st, uint32_t ref, uint32_t pc, uint8_t ssn)
{
	struct conn_entry *e = conn_find(st, ref, pc);
	for (int i = 0; !e && i < SCCP_CONN_SLOTS; i++) {
		struct conn_entry *x = &st->conn[i];
		if (!x->used || !e || x->seq < e->seq)
			e = x;
		if (!x->used)
			break;
	}
	e->used = true;
	e->ref = ref;
	e->pc = pc;
	e->ssn = ssn;
	e->seq = ++st->conn_seq;
}

static uint32_t fnv1a(struct dec_view v)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < v.len; i++)
		h = (h ^ v.p[i]) * 16777619u;
	return h;
}

/* Q.713 Table 1 message type codes. */
static const char *sccp_name(uint8_t t)
{
	static const char *const names[] = {
		[0x01] = "CR",	 [0x02] = "CC",	  [0x03] = "CREF", [0x04] = "RLSD", [0x05] = "RLC",
		[0x06] = "DT1",	 [0x07] = "DT2",  [0x08] = "AK",   [0x09] = "UDT",  [0x0a] = "UDTS",
		[0x0b] = "ED",	 [0x0c] = "EA",	  [0x0d] = "RSR",  [0x0e] = "RSC",  [0x0f] = "ERR",
		[0x10] = "IT",	 [0x11] = "XUDT", [0x12] = "XUDTS", [0x13] = "LUDT", [0x14] = "LUDTS",
	};
	return t < sizeof(names) / sizeof(names[0]) ? names[t] : NULL;
}

/* Q.713 3.4: one called/calling party address. */
static void sccp_address_parse(struct dec_message *m, struct dec_view v, struct dec_sccp_addr *a, const char *what)
{
	struct dec_cursor c = { v.p, v.len };
	uint8_t ai, b;
	struct dec_view pc;

	a->present = true;
	if (dec_cur_u8(&c, &ai) < 0) {
		dec_anomaly(m, "sccp: %s party address is empty", what);
		return;
	}
	/* 3.4.1: bit 1 PC, bit 2 SSN, bits 6-3 GTI, bit 7 routing indicator. */
	if (ai & 0x01) {
		if (dec_cur_take(&c, 2, &pc) < 0) {
			dec_anomaly(m, "sccp: %s party address cut in its point code", what);
			return;
		}
		a->has_pc = true;
		a->pc = (uint16_t)((pc.p[0] | pc.p[1] << 8) & 0x3fff);
	}
	if (ai & 0x02) {
		if (dec_cur_u8(&c, &a->ssn) < 0) {
			dec_anomaly(m, "sccp: %s party address cut in its SSN", what);
			return;
		}
		a->has_ssn = true;
	}
	a->gti = (ai >> 2) & 0x0f;
	if (a->gti == 0)
		return;
	bool odd = false;
	switch (a->gti) {
	case 1: /* 3.4.2.3.1: odd/even + NAI */
		if (dec_cur_u8(&c, &b) < 0)
			goto cut;
		odd = b & 0x80;
		a->nai = b & 0x7f;
		a->es = odd ? 1 : 2;
		break;
	case 2: /* 3.4.2.3.2: TT only; digits BCD (national use) */
		if (dec_cur_u8(&c, &a->tt) < 0)
			goto cut;
		break;
	case 3: /* 3.4.2.3.3: TT, NP + ES */
	case 4: /* 3.4.2.3.4: TT, NP + ES, NAI */
		if (dec_cur_u8(&c, &a->tt) < 0 || dec_cur_u8(&c, &b) < 0)
			goto cut;
		a->np = b >> 4;
		a->es = b & 0x0f;
		odd = a->es == 1;
		if (a->gti == 4) {
			if (dec_cur_u8(&c, &b) < 0)
				goto cut;
			a->nai = b & 0x7f;
		}
		break;
	default:
		dec_anomaly(m, "sccp: %s party address global title indicator %u is spare", what, a->gti);
		return;
	}
	a->has_gt = true;
	if (a->gti >= 3 && a->es != 1 && a->es != 2)
		dec_anomaly(m, "sccp: %s party address encoding scheme %u is not BCD", what, a->es);
	struct dec_view dig = { c.p, c.left };
	if (ss7_bcd(dig, odd, a->digits, sizeof(a->digits)) < 0)
		dec_anomaly(m, "sccp: %s party global title of %zu octets exceeds %d digits", what, dig.len,
			    DEC_DIGITS_SIZE - 1);
	return;
cut:
	dec_anomaly(m, "sccp: %s party address cut in its global title header (GTI %u)", what, a->gti);
}

/*
 * addr_key() - the cache key of @v (1..SCCP_ADDR_CACHE_OCTETS octets):
 * fixed-size loads from both ends, overlapping when shorter, so the key is
 * a function of the octets that, with the length beside it, tells any two
 * apart - without a copy of variable length (a library call).
 */
static void addr_key(struct dec_view v, uint64_t key[3])
{
	const uint8_t *p = v.p;
	size_t n = v.len;
	key[0] = key[1] = key[2] = 0;
	if (n >= 8) {
		memcpy(&key[0], p, 8);
		memcpy(&key[1], p + n - 8, 8);
		if (n > 16)
			memcpy(&key[2], p + 8, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		key[0] = (uint64_t)a << 32 | b;
	} else {
		for (size_t i = 0; i < n; i++)
			key[0] = key[0] << 8 | p[i];
	}
}

/*
 * sccp_address() - the party address @v into @a, replacing what @a held,
 * through the context's address cache when there is one (see struct
 * addr_cache_entry).
 */
static void sccp_address(struct dec_context *ctx, struct dec_message *m, struct dec_view v, struct dec_sccp_addr *a,
			 const char *what)
{
	struct sccp_reasm *st = reasm_state(ctx);
	if (!st || v.len == 0 || v.len > SCCP_ADDR_CACHE_OCTETS || m->n_anomalies >= DEC_MAX_ANOMALIES) {
		*a = (struct dec_sccp_addr){ 0 };
		sccp_address_parse(m, v, a, what);
		return;
	}
	uint64_t key[SCCP_ADDR_CACHE_OCTETS / 8];
	addr_key(v, key);
	uint64_t h = (key[0] * UINT64_C(0x9e3779b97f4a7c15)) ^ (key[1] * UINT64_C(0xbf58476d1ce4e5b9)) ^
		     (key[2] * UINT64_C(0x94d049bb133111eb)) ^ v.len;
	struct addr_cache_entry *e = &st->addr_cache[(h ^ h >> 29) & (SCCP_ADDR_CACHE_SLOTS - 1)];
	_Static_assert(SCCP_ADDR_CACHE_OCTETS == 24, "three key words");
	if (e->len == v.len && e->key[0] == key[0] && e->key[1] == key[1] && e->key[2] == key[2]) {
		*a = e->addr;
		return;
	}
	/* Counted below DEC_MAX_ANOMALIES (checked above), so a new anomaly always shows. */
	int before = m->n_anomalies;
	*a = (struct dec_sccp_addr){ 0 }; /* as on a hit: nothing left from an earlier address */
	sccp_address_parse(m, v, a, what);
	if (m->n_anomalies == before) {
		memcpy(e->key, key, sizeof(key));
		e->len = (uint32_t)v.len;
		e->addr = *a;
	}
}

/*
 * A variable part located by a pointer at offset @at of width @w (1, or 2
 * for LUDT/LUDTS), with a length field of width @lw.  The pointer counts
 * from its own first octet (Q.713 2.3).  Returns 0 and the contents in @out,
 * 1 when the pointer is 0 (absent), -1 on a bad pointer or length.
 */
static int sccp_var(struct dec_message *m, struct dec_view msg, size_t at, size_t w, size_t lw,
		    struct dec_view *out, const char *what)
{
	if (at + w > msg.len) {
		dec_anomaly(m, "sccp: message of %zu octets cut before the %s pointer", msg.len, what);
		return -1;
	}
	size_t ptr = msg.p[at];
	if (w == 2)
		ptr |= (size_t)msg.p[at + 1] << 8;
	if (ptr == 0)
		return 1;
	size_t pos = at + ptr;
	if (pos + lw > msg.len) {
		dec_anomaly(m, "sccp: %s pointer %zu beyond the message (%zu octets)", what, ptr, msg.len);
		return -1;
	}
	size_t len = msg.p[pos];
	if (lw == 2)
		len |= (size_t)msg.p[pos + 1] << 8;
	if (len > msg.len - pos - lw) {
		dec_anomaly(m, "sccp: %s length %zu exceeds message", what, len);
		return -1;
	}
	out->p = msg.p + pos + lw;
	out->len = len;
	return 0;
}

static int to_user(struct dec_context *ctx, struct dec_message *m, struct dec_view data, dec_emit_fn emit,
		   void *arg)
{
	/* TCAP messages are APPLICATION-class constructed tags (Q.773 Table 8). */
	if (data.len && (data.p[0] == 0x61 || data.p[0] == 0x62 || data.p[0] == 0x64 || data.p[0] == 0x65 ||
			 data.p[0] == 0x67))
		return dec_tcap(ctx, m, data, emit, arg);
	return dec_emit(ctx, m, emit, arg); /* RANAP, BSSAP ...: not ours */
}

/* Connection-oriented user data to the connection's subsystem (0: unknown). */
static int to_co_user(struct dec_context *ctx, struct dec_message *m, struct dec_view data, uint8_t ssn,
		      dec_emit_fn emit, void *arg)
{
	/* Unknown, or not a subsystem of ours (captures with SSNs of local numbering): by content. */
	if (ssn != SCCP_SSN_RANAP && ssn != SCCP_SSN_BSSAP && data.len) {
		uint8_t b = data.p[0];
		bool per_choice = b == 0x00 || b == 0x20 || b == 0x40 || b == 0x60;
		/* A whole RANAP header: choice, procedure code, criticality (padding zero), and a
		 * short-form open-type length that covers exactly the rest. */
		bool ranap = per_choice && data.len >= 4 && (data.p[2] & 0x3f) == 0 && data.p[3] == data.len - 4;
		if (ranap)
			ssn = SCCP_SSN_RANAP;
		else if (b == 0x01 || (b == 0x00 && data.len >= 2 && data.p[1] == data.len - 2))
			ssn = SCCP_SSN_BSSAP;
		else if (per_choice)
			ssn = SCCP_SSN_RANAP;
	}
	if (ssn == SCCP_SSN_RANAP)
		return dec_ranap(ctx, m, data, emit, arg);
	if (ssn == SCCP_SSN_BSSAP)
		return dec_bssap(ctx, m, data, emit, arg);
	return dec_emit(ctx, m, emit, arg);
}

static uint32_t ref24(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/*
 * CR (4.2), CC (4.3), DT1 (4.8): local references, addresses, user data.
 * @v holds at least the message type octet.
 */
static int sccp_co(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit,
		   void *arg)
{
	uint8_t type = v.p[0];
	/* fixed part (type, references, class/segmenting) and where the pointers start */
	size_t fixed = type == 0x01 ? 5 : type == 0x02 ? 8 : 5;
	if (v.len < fixed + 1) {
		dec_anomaly(m, "sccp: %s of %zu octets cut in its fixed part", m->operation, v.len);
		return dec_emit(ctx, m, emit, arg);
	}
	struct sccp_reasm *st = reasm_state(ctx);
	uint32_t opc = m->has_pc ? m->opc : 0, dpc = m->has_pc ? m->dpc : 0;
	struct dec_view data = { 0 }, called = { 0 }, opt = { 0 };
	uint8_t ssn = 0;
	bool has_data = false;
	size_t opt_at = 0;

	if (type == 0x06) { /* DT1: dlr, segmenting/reassembling, pointer to data */
		if (st) {
			struct conn_entry *e = conn_find(st, ref24(v.p + 1), dpc);
			ssn = e ? e->ssn : 0;
		}
		int rc = sccp_var(m, v, 5, 1, 1, &data, "data");
		if (rc != 0) {
			if (rc > 0)
				dec_anomaly(m, "sccp: DT1 without data");
			return dec_emit(ctx, m, emit, arg);
		}
		return to_co_user(ctx, m, data, ssn, emit, arg);
	}
	if (type == 0x01) { /* CR: slr, class, called party address, optional part */
		int rc = sccp_var(m, v, 5, 1, 1, &called, "called party address");
		if (rc < 0)
			return dec_emit(ctx, m, emit, arg);
		if (rc == 0) {
			sccp_address(ctx, m, called, &m->called, "called");
			ssn = m->called.has_ssn ? m->called.ssn : 0;
		}
		if (st)
			conn_put(st, ref24(v.p + 1), opc, ssn);
		opt_at = 6;
	} else { /* CC: dlr, slr, class, optional part */
		struct conn_entry *e = st ? conn_find(st, ref24(v.p + 1), dpc) : NULL;
		ssn = e ? e->ssn : 0;
		if (st && e)
			conn_put(st, ref24(v.p + 4), opc, ssn);
		opt_at = 8;
	}
	if (opt_at >= v.len) {
		dec_anomaly(m, "sccp: %s cut before the optional part pointer", m->operation);
		return dec_emit(ctx, m, emit, arg);
	}
	size_t ptr = v.p[opt_at];
	if (ptr) {
		if (opt_at + ptr >= v.len) {
			dec_anomaly(m, "sccp: optional part pointer %zu beyond the message", ptr);
			return dec_emit(ctx, m, emit, arg);
		}
		opt.p = v.p + opt_at + ptr;
		opt.len = v.len - opt_at - ptr;
	}
	struct dec_cursor c = { opt.p, opt.len };
	while (c.left) {
		uint8_t pname, plen;
		struct dec_view val;
		if (dec_cur_u8(&c, &pname) < 0 || pname == SCCP_PARAM_END)
			break;
		if (dec_cur_u8(&c, &plen) < 0 || dec_cur_take(&c, plen, &val) < 0) {
			dec_anomaly(m, "sccp: optional parameter 0x%02x length beyond the message", pname);
			break;
		}
		if (pname == SCCP_PARAM_DATA) {
			data = val;
			has_data = true;
		} else if (pname == SCCP_PARAM_CALLING && type == 0x01) {
			sccp_address(ctx, m, val, &m->calling, "calling");
		} else if (pname == SCCP_PARAM_CALLED && type == 0x02) {
			sccp_address(ctx, m, val, &m->called, "called");
		}
	}
	if (!has_data)
		return dec_emit(ctx, m, emit, arg);
	return to_co_user(ctx, m, data, ssn, emit, arg);
}

/* Q.714 4.1.1.2: collect one XUDT/LUDT segment.  Returns 1 with @whole set once complete. */
static int reasm_add(struct dec_context *ctx, struct dec_message *m, struct dec_view seg, struct dec_view data,
		     struct dec_view calling, struct dec_view *whole)
{
	bool first = seg.p[0] & 0x80;
	uint8_t remaining = seg.p[0] & 0x0f;
	uint32_t ref = (uint32_t)seg.p[1] << 16 | (uint32_t)seg.p[2] << 8 | seg.p[3];
	uint32_t hash = fnv1a(calling);
	struct sccp_reasm *st = reasm_state(ctx);

	if (!st) {
		dec_anomaly(m, "sccp: no memory for segment reassembly");
		return -1;
	}
	struct reasm_entry *e = NULL, *free_e = NULL, *oldest = NULL;
	for (int i = 0; i < SCCP_REASM_SLOTS; i++) {
		struct reasm_entry *x = &st->e[i];
		/* Capture time running backwards (merged captures) does not expire entries. */
		if (x->used && m->time > x->first && (uint64_t)m->time - (uint64_t)x->first > SCCP_REASM_EXPIRE) {
			x->used = false;
			st->expired++;
		}
		if (!x->used) {
			if (!free_e)
				free_e = x;
			continue;
		}
		if (x->ref == ref && x->opc == m->opc && x->addr_hash == hash)
			e = x;
		if (!oldest || x->seq < oldest->seq)
			oldest = x;
	}
	if (first) {
		if (e) { /* a new first segment restarts the message */
			e->used = false;
			dec_anomaly(m, "sccp: first segment (ref 0x%06x) while its message was incomplete", ref);
		}
		if (!free_e) {
			free_e = oldest;
			st->evicted++;
		}
		e = free_e;
		e->used = true;
		e->ref = ref;
		e->opc = m->opc;
		e->addr_hash = hash;
		e->first = m->time;
		e->seq = ++st->seq;
		e->len = 0;
		e->next_remaining = remaining;
		st->started++;
	} else if (!e || remaining + 1 != e->next_remaining) {
		st->orphans++;
		dec_anomaly(m, "sccp: segment (ref 0x%06x, %u remaining) without its earlier segments", ref,
			    remaining);
		if (e)
			e->used = false;
		return -1;
	}
	if (data.len > sizeof(e->buf) - e->len) {
		st->overflowed++;
		e->used = false;
		dec_anomaly(m, "sccp: reassembled message (ref 0x%06x) exceeds %d octets", ref, SCCP_REASM_BYTES);
		return -1;
	}
	memcpy(e->buf + e->len, data.p, data.len);
	e->len += data.len;
	e->next_remaining = remaining;
	if (remaining)
		return 0;
	e->used = false; /* the buffer stays valid until the next segment is added */
	st->completed++;
	whole->p = e->buf;
	whole->len = e->len;
	return 1;
}

int dec_sccp(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg)
{
	dec_stack_push(m, "sccp");
	ss7_set(m->protocol, sizeof(m->protocol), "sccp");
	m->operation[0] = '\0';
	if (v.len < 1) {
		dec_anomaly(m, "sccp: empty message");
		return dec_emit(ctx, m, emit, arg);
	}
	uint8_t type = v.p[0];
	const char *name = sccp_name(type);
	if (name)
		ss7_set(m->operation, sizeof(m->operation), name);
	else
		snprintf(m->operation, sizeof(m->operation), "type 0x%02x", type);

	/* Fixed part length before the pointers, pointer width, length-field width of the data. */
	size_t fixed, w = 1, dlw = 1;
	bool has_opt;
	switch (type) {
	case 0x09: /* UDT: class */
	case 0x0a: /* UDTS: return cause */
		fixed = 2, has_opt = false;
		break;
	case 0x11: /* XUDT: class, hop counter */
	case 0x12: /* XUDTS: return cause, hop counter */
		fixed = 3, has_opt = true;
		break;
	case 0x13: /* LUDT */
	case 0x14: /* LUDTS */
		fixed = 3, has_opt = true, w = 2, dlw = 2;
		break;
	case 0x01: /* CR */
	case 0x02: /* CC */
	case 0x06: /* DT1 */
		ss7_set(m->sccp_type, sizeof(m->sccp_type), name);
		return sccp_co(ctx, m, v, emit, arg);
	default:
		return dec_emit(ctx, m, emit, arg); /* other connection-oriented messages: named only */
	}
	ss7_set(m->sccp_type, sizeof(m->sccp_type), name);

	struct dec_view called = { 0 }, calling = { 0 }, data = { 0 }, opt = { 0 };
	int rc = sccp_var(m, v, fixed, w, 1, &called, "called party address");
	if (rc == 0)
		sccp_address(ctx, m, called, &m->called, "called");
	if (rc < 0)
		return dec_emit(ctx, m, emit, arg);
	rc = sccp_var(m, v, fixed + w, w, 1, &calling, "calling party address");
	if (rc == 0)
		sccp_address(ctx, m, calling, &m->calling, "calling");
	if (rc < 0)
		return dec_emit(ctx, m, emit, arg);
	rc = sccp_var(m, v, fixed + 2 * w, w, dlw, &data, "data");
	if (rc != 0) {
		if (rc > 0)
			dec_anomaly(m, "sccp: %s without data", name);
		return dec_emit(ctx, m, emit, arg);
	}

	struct dec_view seg = { 0 };
	if (has_opt) {
		/* The optional part's pointer; its parameters run to end-of-optional (2.3, 3.1). */
		size_t at = fixed + 3 * w;
		if (at + w > v.len) {
			dec_anomaly(m, "sccp: message cut before the optional part pointer");
			return dec_emit(ctx, m, emit, arg);
		}
		size_t ptr = v.p[at] | (w == 2 ? (size_t)v.p[at + 1] << 8 : 0);
		if (ptr) {
			if (at + ptr >= v.len) {
				dec_anomaly(m, "sccp: optional part pointer %zu beyond the message", ptr);
				return dec_emit(ctx, m, emit, arg);
			}
			opt.p = v.p + at + ptr;
			opt.len = v.len - at - ptr;
		}
		struct dec_cursor c = { opt.p, opt.len };
		while (c.left) {
			uint8_t pname, plen;
			struct dec_view val;
			if (dec_cur_u8(&c, &pname) < 0 || pname == SCCP_PARAM_END)
				break;
			if (dec_cur_u8(&c, &plen) < 0 || dec_cur_take(&c, plen, &val) < 0) {
				dec_anomaly(m, "sccp: optional parameter 0x%02x length beyond the message", pname);
				break;
			}
			if (pname == SCCP_PARAM_SEGMENTATION) {
				if (plen != 4)
					dec_anomaly(m, "sccp: segmentation parameter of %u octets, expected 4", plen);
				else
					seg = val;
			}
		}
	}
	if (seg.len == 4 && !(type == 0x12 || type == 0x14)) {
		bool first = seg.p[0] & 0x80;
		uint8_t remaining = seg.p[0] & 0x0f;
		if (!(first && remaining == 0)) { /* a single segment needs no reassembly */
			struct dec_view whole;
			rc = reasm_add(ctx, m, seg, data, calling, &whole);
			if (rc <= 0)
				return dec_emit(ctx, m, emit, arg); /* a part, or a broken sequence */
			data = whole;
		}
	}
	return to_user(ctx, m, data, emit, arg);
}
