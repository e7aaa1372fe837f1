/*
 * ss7.h - inside decode/: helpers shared by the SS7 stack decoders
 * (m3ua.c, mtp3.c, sccp.c, tcap.c, map.c, isup.c): the user-part switch on
 * the MTP3 service indicator, a BER TLV reader (ITU-T X.690 8.1) and
 * semi-octet BCD digits (Q.713 3.4.2.3, Q.763 3.9).
 *
 * Everything here reads borrowed views; nothing allocates.
 */
#ifndef SS_DECODE_SS7_H
#define SS_DECODE_SS7_H

#include "decode/context.h"

#include <string.h>

/* MTP3 service indicators (Q.704 14.2.1) this stack decodes further. */
#define SS7_SI_SCCP 3
#define SS7_SI_ISUP 5

/*
 * ss7_user_part() - hand an MTP3 user part (M3UA Protocol Data or MTP3 MSU
 * after the routing label) to SCCP or ISUP by m->si; any other SI is emitted
 * as it is.  Returns the number of messages emitted.
 */
int ss7_user_part(struct dec_context *ctx, struct dec_message *m, struct dec_view ud, dec_emit_fn emit,
		  void *arg);

/* One BER element (X.690 8.1.2-8.1.3): identifier octet(s), length, contents. */
struct ber_tlv {
	uint8_t cls;	     /* class bits (0x00 universal, 0x40 application, 0x80 context, 0xc0 private) */
	bool constructed;
	uint32_t tag;	     /* tag number */
	uint8_t id;	     /* first identifier octet (for tags < 31: the whole identifier) */
	struct dec_view val; /* contents */
	struct dec_view all; /* identifier + length + contents */
};

enum ber_err {
	BER_OK = 0,
	BER_END = 1,	      /* nothing left */
	BER_ETRUNC = -1,      /* identifier or length octets cut off */
	BER_ELEN = -2,	      /* length exceeds what is left */
	BER_EINDEF = -3,      /* indefinite length (X.690 8.1.3.6): not supported */
	BER_ELONG = -4,	      /* length of length > 4 octets, or tag number too big */
};

/*
 * ber_next() - read the next element from @c.  Returns BER_OK (element in
 * @t, cursor advanced past it), BER_END when @c is empty, or a negative
 * ber_err (cursor unchanged).  Indefinite lengths are rejected: TCAP over
 * SCCP in practice uses definite lengths, and rejecting keeps the reader
 * one-pass and bounded (docs/decoders-ss7.md).
 */
static inline int ber_next(struct dec_cursor *c, struct ber_tlv *t)
{
	const uint8_t *p = c->p;
	size_t left = c->left, i = 0;

	if (left == 0)
		return BER_END;
	uint8_t id = p[i++];
	t->id = id;
	t->cls = id & 0xc0;
	t->constructed = (id & 0x20) != 0;
	t->tag = id & 0x1f;
	if (t->tag == 0x1f) { /* high tag number form, 8.1.2.4 */
		uint32_t tag = 0;
		for (int k = 0;; k++) {
			if (i >= left)
				return BER_ETRUNC;
			if (k == 4)
				return BER_ELONG;
			uint8_t b = p[i++];
			tag = (tag << 7) | (b & 0x7f);
			if (!(b & 0x80))
				break;
		}
		t->tag = tag;
	}
	if (i >= left)
		return BER_ETRUNC;
	uint8_t l0 = p[i++];
	size_t len;
	if (l0 < 0x80) {
		len = l0;
	} else if (l0 == 0x80) {
		return BER_EINDEF;
	} else {
		size_t nl = l0 & 0x7f;
		if (nl > 4)
			return BER_ELONG;
		if (left - i < nl)
			return BER_ETRUNC;
		len = 0;
		for (size_t k = 0; k < nl; k++)
			len = (len << 8) | p[i++];
	}
	if (len > left - i)
		return BER_ELEN;
	t->val.p = p + i;
	t->val.len = len;
	t->all.p = p;
	t->all.len = i + len;
	c->p = p + i + len;
	c->left = left - i - len;
	return BER_OK;
}

static inline const char *ber_strerror(int rc)
{
	switch (rc) {
	case BER_ETRUNC: return "identifier or length cut off";
	case BER_ELEN: return "length exceeds enclosing element";
	case BER_EINDEF: return "indefinite length not supported";
	case BER_ELONG: return "length or tag too long";
	default: return "malformed";
	}
}

static inline struct dec_cursor ber_cursor(struct dec_view v)
{
	struct dec_cursor c = { v.p, v.len };
	return c;
}

/* ber_uint() - a non-negative INTEGER of 1-4 octets; -1 when it is not one. */
static inline long ber_uint(struct dec_view v)
{
	if (v.len == 0 || v.len > 4)
		return -1;
	if (v.p[0] & 0x80) /* negative */
		return -1;
	unsigned long x = 0;
	for (size_t i = 0; i < v.len; i++)
		x = (x << 8) | v.p[i];
	return (long)x;
}

/*
 * ss7_bcd() - BCD address signals, low nibble first (Q.713 3.4.2.3.1,
 * Q.763 3.9 c)); @odd: the last octet's high nibble is filler.  Signals
 * 10-15 print as A-F (tshark prints the ST signal 15 as "F").  Returns the
 * number of digits, or -1 when they do not fit in @size - 1.
 */
static inline int ss7_bcd(struct dec_view v, bool odd, char *out, size_t size)
{
	static const char hex[16] = "0123456789ABCDEF";
	size_t n = 0, ndig = v.len * 2;

	if (size == 0)
		return -1;
	if (odd && ndig)
		ndig--;
	if (ndig >= size) {
		out[0] = '\0';
		return -1;
	}
	/* Two signals an octet; the loop bound keeps every read inside @v. */
	for (size_t i = 0; i < ndig / 2; i++) {
		uint8_t b = v.p[i];
		out[n++] = hex[b & 0x0f];
		out[n++] = hex[b >> 4];
	}
	if (ndig & 1)
		out[n++] = hex[v.p[ndig / 2] & 0x0f];
	out[n] = '\0';
	return (int)n;
}

/*
 * ss7_set() - copy a name into a fixed field, cut to fit.  A literal's
 * length is known when compiling (strlen folds, the copy is a few stores);
 * a name from a table is copied byte by byte: names are a few characters,
 * and a strlen() + memcpy() call pair on every message cost more.
 */
static inline void ss7_set(char *dst, size_t size, const char *src)
{
	size_t n;
	if (__builtin_constant_p(strlen(src))) {
		n = strlen(src);
		if (n >= size)
			n = size - 1;
		memcpy(dst, src, n);
	} else {
		for (n = 0; n + 1 < size && src[n]; n++)
			dst[n] = src[n];
	}
	dst[n] = '\0';
}

#endif
