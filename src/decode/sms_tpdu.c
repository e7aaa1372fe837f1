/*
 * sms_tpdu.c - SMS transfer-layer PDUs, 3GPP TS 23.040 clause 9.2, with the
 * alphabets of TS 23.038 and concatenated-SMS reassembly (TS 23.040
 * 9.2.3.24.1 and 9.2.3.24.8).
 *
 * Decoded: SMS-SUBMIT (9.2.2.2) and SMS-DELIVER (9.2.2.1) in full: TP-MTI,
 * TP-MR, TP-DA / TP-OA (9.1.2.5, including TON 5 alphanumeric senders),
 * TP-PID, TP-DCS (TS 23.038 clause 4), TP-VP skipped per TP-VPF
 * (9.2.3.3, 9.2.3.12), TP-SCTS, TP-UDL / TP-UD (9.2.3.16, 9.2.3.24) with the
 * user data header.  The report and command TPDUs are recognised by TP-MTI
 * only (their type name is recorded, nothing else).
 *
 * Text becomes UTF-8: GSM 7-bit default alphabet and its extension table
 * (TS 23.038 6.2.1, 6.2.1.1), UCS2 read as UTF-16BE with surrogate pairs
 * (TS 23.038 6.2.3; phones send UTF-16 in practice), 8-bit data as lower-case
 * hex of the octets (sms_encoding 1), since it is binary (WAP push, OTA, ...)
 * and has no character set.
 *
 * Concatenated SMS: parts are kept in a table allocated once per context in
 * the sms_concat slot (DEC_SMS_CONCAT_MAX pending messages, up to 255 parts
 * each, text bounded by DEC_TEXT_SIZE, expiring DEC_SMS_CONCAT_EXPIRE of
 * capture time after the first part, oldest evicted first when full; every
 * drop counted, see sms_tpdu.h).  Nothing is allocated per message.
 */
#include "decode/sms_tpdu.h"

#include "core/err.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 output ---- */

/* Append code point @cp to @out (@size bytes incl. NUL); false when it does not fit whole. */
static bool utf8_put(char *out, size_t size, size_t *len, uint32_t cp)
{
	uint8_t b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (uint8_t)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (uint8_t)(0xc0 | (cp >> 6));
		b[1] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | (cp >> 12));
		b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | (cp >> 18));
		b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (uint8_t)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (size == 0 || *len + n >= size)
		return false;
	memcpy(out + *len, b, n);
	*len += n;
	out[*len] = '\0';
	return true;
}

/* ---- GSM 7-bit default alphabet, TS 23.038 6.2.1 ---- */

static const uint16_t gsm7_default[128] = {
	0x0040, 0x00a3, 0x0024, 0x00a5, 0x00e8, 0x00e9, 0x00f9, 0x00ec, /* 0x00 */
	0x00f2, 0x00c7, 0x000a, 0x00d8, 0x00f8, 0x000d, 0x00c5, 0x00e5,
	0x0394, 0x005f, 0x03a6, 0x0393, 0x039b, 0x03a9, 0x03a0, 0x03a8, /* 0x10 */
	0x03a3, 0x0398, 0x039e, 0x00a0, 0x00c6, 0x00e6, 0x00df, 0x00c9, /* 0x1b ESC */
	0x0020, 0x0021, 0x0022, 0x0023, 0x00a4, 0x0025, 0x0026, 0x0027, /* 0x20 */
	0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e, 0x002f,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, /* 0x30 */
	0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d, 0x003e, 0x003f,
	0x00a1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047, /* 0x40 */
	0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057, /* 0x50 */
	0x0058, 0x0059, 0x005a, 0x00c4, 0x00d6, 0x00d1, 0x00dc, 0x00a7,
	0x00bf, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067, /* 0x60 */
	0x0068, 0x0069, 0x006a, 0x006b, 0x006c, 0x006d, 0x006e, 0x006f,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077, /* 0x70 */
	0x0078, 0x0079, 0x007a, 0x00e4, 0x00f6, 0x00f1, 0x00fc, 0x00e0,
};

/*
 * The extension table reached through ESC 0x1B (TS 23.038 6.2.1.1); 0 = not
 * defined, in which case the spec says to show the default-table character.
 */
static uint32_t gsm7_extension(uint8_t s)
{
	switch (s) {
	case 0x0a: return 0x000c; /* page break */
	case 0x14: return '^';
	case 0x28: return '{';
	case 0x29: return '}';
	case 0x2f: return '\\';
	case 0x3c: return '[';
	case 0x3d: return '~';
	case 0x3e: return ']';
	case 0x40: return '|';
	case 0x65: return 0x20ac; /* euro sign */
	default: return 0;
	}
}

size_t dec_gsm7_unpack(const uint8_t *p, size_t len, size_t first, size_t nsept, char *out, size_t size)
{
	size_t n = 0;
	bool esc = false;

	if (size == 0)
		return 0;
	out[0] = '\0';
	/* Never read a septet whose last bit lies beyond @len octets. */
	if (nsept > len * 8 / 7)
		nsept = len * 8 / 7;
	if (first >= nsept)
		return 0;
	/*
	 * Septets LSB first (TS 23.038 6.1.2.1.1), taken from a bit
	 * accumulator: an octet is read only when the next septet needs its
	 * bits, and septet nsept - 1 ends inside octet len - 1, so no read
	 * passes @len.
	 */
	size_t bit = first * 7, byte = bit / 8;
	uint32_t acc = p[byte++] >> (bit % 8);
	unsigned have = 8 - (unsigned)(bit % 8);
	for (size_t i = first; i < nsept; i++) {
		/*
		 * Eight septets at a time from their seven octets where septet i
		 * starts an octet (i % 8 == 0) and all eight are one-byte
		 * characters: no escape pending or among them, room for all.
		 * Otherwise (and for what is left) one septet at a time.  The
		 * accumulator holds no bits past septet i - 1 here, so after a
		 * block it restarts empty at the next octet.
		 */
		if ((i & 7) == 0 && !esc && i + 8 <= nsept && n + 8 < size) {
			const uint8_t *q = p + i / 8 * 7;
			uint64_t x = 0;
			memcpy(&x, q, 7); /* little-endian value of the seven octets */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			x = __builtin_bswap64(x);
#endif
			/* ESC maps to U+00A0 in the table, so it fails the one-byte test too. */
			uint32_t wide = 0, c;
#define GSM7_ONE(k)                                                                                \
	c = gsm7_default[x >> (7 * (k)) & 0x7f];                                                   \
	wide |= c;                                                                                 \
	out[n + (k)] = (char)c;
			GSM7_ONE(0) GSM7_ONE(1) GSM7_ONE(2) GSM7_ONE(3)
			GSM7_ONE(4) GSM7_ONE(5) GSM7_ONE(6) GSM7_ONE(7)
#undef GSM7_ONE
			if (wide < 0x80) {
				n += 8;
				i += 7; /* and the loop's i++ */
				acc = 0;
				have = 0;
				byte = i / 8 * 7 + 7;
				continue;
			}
		}
		if (have < 7) {
			acc |= (uint32_t)p[byte++] << have;
			have += 8;
		}
		uint8_t s = acc & 0x7f;
		acc >>= 7;
		have -= 7;
		uint32_t cp;
		if (esc) {
			esc = false;
			cp = gsm7_extension(s);
			if (!cp)
				cp = s == 0x1b ? 0x20 : gsm7_default[s];
		} else if (s == 0x1b) {
			esc = true;
			continue;
		} else {
			cp = gsm7_default[s];
		}
		if (cp < 0x80 && n + 1 < size) { /* most text: one byte, no encoder */
			out[n++] = (char)cp;
			continue;
		}
		if (!utf8_put(out, size, &n, cp))
			break;
	}
	out[n] = '\0';
	/* A dangling ESC at the end shows nothing (6.2.1.1 leaves it undefined). */
	return n;
}

/* ---- UCS2 / UTF-16BE ---- */

/* Returns the number of unpaired surrogates replaced by U+FFFD. */
static unsigned ucs2_to_utf8(const uint8_t *p, size_t len, char *out, size_t size, size_t *n)
{
	unsigned bad = 0;

	for (size_t i = 0; i + 1 < len; i += 2) {
		uint32_t u = (uint32_t)p[i] << 8 | p[i + 1];
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < len) {
			uint32_t lo = (uint32_t)p[i + 2] << 8 | p[i + 3];
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff) {
			u = 0xfffd;
			bad++;
		}
		if (!utf8_put(out, size, n, u))
			break;
	}
	return bad;
}

/* ---- concatenated-SMS table ---- */

#define CONCAT_HASH 8192 /* power of two, 2x the entries */

struct concat_entry {
	uint64_t hash;
	char party[DEC_DIGITS_SIZE];  /* TP-OA (deliver) or TP-DA (submit) */
	char served[DEC_DIGITS_SIZE]; /* the subscriber's IMSI or MSISDN when known */
	uint16_t ref;
	uint8_t total, have;
	bool from_ms, truncated;
	ss_time_us first;
	int32_t hnext;	    /* hash chain */
	int32_t older, newer; /* age list (creation order); the free list uses newer */
	uint16_t used;	    /* bytes of arena in use */
	uint8_t present[32]; /* bitmap by sequence number */
	uint16_t off[256], plen[256];
	char arena[DEC_TEXT_SIZE];
};

struct concat_table {
	struct dec_sms_concat_stats st;
	int32_t head[CONCAT_HASH];
	int32_t oldest, newest, free_list;
	int32_t fresh; /* entries never used yet start here: calloc'd pages stay untouched */
	struct concat_entry e[DEC_SMS_CONCAT_MAX];
};

static void concat_free(void *state)
{
	free(state);
}

static struct concat_table *concat_get(struct dec_context *ctx)
{
	struct concat_table *t = ctx->sms_concat.state;
	if (t)
		return t;
	t = calloc(1, sizeof(*t)); /* once per context; pages are touched as entries are used */
	if (!t)
		return NULL;
	for (size_t i = 0; i < CONCAT_HASH; i++)
		t->head[i] = -1;
	t->oldest = t->newest = t->free_list = -1;
	ctx->sms_concat.state = t;
	ctx->sms_concat.free = concat_free;
	return t;
}

void dec_sms_concat_stats(const struct dec_context *ctx, struct dec_sms_concat_stats *out)
{
	const struct concat_table *t = ctx->sms_concat.state;
	if (t)
		*out = t->st;
	else
		memset(out, 0, sizeof(*out));
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * UINT64_C(0x100000001b3);
	return h;
}

static void concat_remove(struct concat_table *t, int32_t i)
{
	struct concat_entry *e = &t->e[i];
	int32_t *pp = &t->head[e->hash & (CONCAT_HASH - 1)];
	while (*pp != -1 && *pp != i)
		pp = &t->e[*pp].hnext;
	if (*pp == i)
		*pp = e->hnext;
	if (e->older != -1)
		t->e[e->older].newer = e->newer;
	else
		t->oldest = e->newer;
	if (e->newer != -1)
		t->e[e->newer].older = e->older;
	else
		t->newest = e->older;
	e->newer = t->free_list;
	t->free_list = i;
	t->st.pending--;
}

/*
 * Add part @seq of @total with text @txt/@tlen; on the last part the whole
 * text, in sequence order, goes into @m and true is returned.
 */
static bool concat_add(struct concat_table *t, struct dec_message *m, bool from_ms, const char *txt, size_t tlen)
{
	const struct dec_number *party = from_ms ? &m->sms_destination : &m->sms_originator;
	const char *served = m->imsi[0] ? m->imsi : m->msisdn.present ? m->msisdn.digits : "";
	uint8_t seq = m->concat_seq, total = m->concat_total;

	t->st.parts++;
	/* Expire from the oldest end (creation order ~ capture time order). */
	while (t->oldest != -1 && m->time - t->e[t->oldest].first > DEC_SMS_CONCAT_EXPIRE) {
		concat_remove(t, t->oldest);
		t->st.expired++;
	}

	uint64_t h = UINT64_C(0xcbf29ce484222325);
	h = fnv(h, party->digits, strlen(party->digits) + 1);
	h = fnv(h, served, strlen(served) + 1);
	h = fnv(h, &m->concat_ref, sizeof(m->concat_ref));
	h = fnv(h, &total, 1);
	h = fnv(h, &from_ms, sizeof(from_ms));

	int32_t i = t->head[h & (CONCAT_HASH - 1)];
	for (; i != -1; i = t->e[i].hnext) {
		const struct concat_entry *e = &t->e[i];
		if (e->hash == h && e->ref == m->concat_ref && e->total == total && e->from_ms == from_ms &&
		    strcmp(e->party, party->digits) == 0 && strcmp(e->served, served) == 0)
			break;
	}
	if (i == -1) {
		if (t->free_list == -1 && t->fresh == DEC_SMS_CONCAT_MAX) {
			/* full: the oldest pending message makes room */
			concat_remove(t, t->oldest);
			t->st.evicted++;
		}
		struct concat_entry *e;
		if (t->free_list != -1) {
			i = t->free_list;
			e = &t->e[i];
			t->free_list = e->newer;
		} else {
			i = t->fresh++;
			e = &t->e[i];
		}
		memset(e, 0, offsetof(struct concat_entry, off));
		e->hash = h;
		memcpy(e->party, party->digits, sizeof(e->party));
		memcpy(e->served, served, strlen(served) + 1);
		e->ref = m->concat_ref;
		e->total = total;
		e->from_ms = from_ms;
		e->first = m->time;
		e->hnext = t->head[h & (CONCAT_HASH - 1)];
		t->head[h & (CONCAT_HASH - 1)] = i;
		e->older = t->newest;
		e->newer = -1;
		if (t->newest != -1)
			t->e[t->newest].newer = i;
		else
			t->oldest = i;
		t->newest = i;
		t->st.pending++;
	}

	struct concat_entry *e = &t->e[i];
	if (e->present[seq / 8] & (1u << (seq % 8))) {
		t->st.duplicates++;
		return false;
	}
	size_t room = sizeof(e->arena) - 1 - e->used;
	if (tlen > room) {
		/* Cut at a UTF-8 character boundary. */
		tlen = room;
		while (tlen > 0 && ((uint8_t)txt[tlen] & 0xc0) == 0x80)
			tlen--;
		e->truncated = true;
	}
	memcpy(e->arena + e->used, txt, tlen);
	e->off[seq] = e->used;
	e->plen[seq] = (uint16_t)tlen;
	e->used = (uint16_t)(e->used + tlen);
	e->present[seq / 8] |= (uint8_t)(1u << (seq % 8));
	if (++e->have < e->total)
		return false;

	size_t n = 0;
	for (unsigned s = 1; s <= e->total; s++) {
		memcpy(m->text + n, e->arena + e->off[s], e->plen[s]);
		n += e->plen[s];
	}
	m->text[n] = '\0';
	m->text_len = (uint32_t)n;
	t->st.completed++;
	if (e->truncated)
		t->st.truncated++;
	concat_remove(t, i);
	return true;
}

/* ---- TPDU fields ---- */

/* TS 23.040 9.1.2.5: address length (semi-octets), type of address, value. */
static int parse_address(struct dec_message *m, struct dec_cursor *c, struct dec_number *n, const char *what)
{
	uint8_t ndig, toa;
	struct dec_view a;

	if (dec_cur_u8(c, &ndig) < 0 || dec_cur_u8(c, &toa) < 0) {
		dec_anomaly(m, "%s truncated (TS 23.040 9.1.2.5)", what);
		return -SS_EPARSE;
	}
	if (ndig > 20) {
		dec_anomaly(m, "%s length %u semi-octets > 20 (TS 23.040 9.1.2.5)", what, ndig);
		return -SS_EPARSE;
	}
	size_t oct = (ndig + 1u) / 2;
	if (dec_cur_take(c, oct, &a) < 0) {
		dec_anomaly(m, "%s needs %zu octets, %zu left (TS 23.040 9.1.2.5)", what, oct, c->left);
		return -SS_EPARSE;
	}
	n->present = true;
	n->ton = (toa >> 4) & 7;
	n->npi = toa & 0x0f;
	if (n->ton == 5) {
		/* Alphanumeric: GSM 7-bit packed, length counts the semi-octets used (9.1.2.5). */
		n->alphanumeric = true;
		dec_gsm7_unpack(a.p, a.len, 0, ndig * 4u / 7, n->digits, sizeof(n->digits));
		return 0;
	}
	char tmp[DEC_DIGITS_SIZE];
	int r = dec_tbcd(a.p, a.len, tmp, sizeof(tmp));
	if (r < 0) {
		dec_anomaly(m, "%s has a filler inside its digits (TS 23.040 9.1.2.3)", what);
		return -SS_EPARSE;
	}
	if ((unsigned)r > ndig)
		r = ndig; /* odd count whose last nibble is not the F filler: keep the counted ones */
	memcpy(n->digits, tmp, (size_t)r);
	n->digits[r] = '\0';
	return 0;
}

/* TS 23.038 clause 4: the alphabet a TP-DCS names; *compressed set for the compressed groups. */
static uint8_t dcs_alphabet(uint8_t dcs, bool *compressed)
{
	*compressed = false;
	switch (dcs >> 4) {
	case 0x0: case 0x1: case 0x2: case 0x3: /* general data coding */
	case 0x4: case 0x5: case 0x6: case 0x7: /* ... marked for automatic deletion */
		*compressed = (dcs & 0x20) != 0;
		switch ((dcs >> 2) & 3) {
		case 1: return 1;
		case 2: return 2;
		default: return 0; /* 11 reserved: assume the default alphabet */
		}
	case 0xc: case 0xd: return 0; /* message waiting: discard / store, GSM 7-bit */
	case 0xe: return 2;	      /* message waiting: store, UCS2 */
	case 0xf: return (dcs & 0x04) ? 1 : 0; /* data coding / message class */
	default: return 0;		       /* 1000..1011 reserved: default alphabet */
	}
}

/*
 * TS 23.040 9.2.3.24: the user data header.  Sets the concatenation fields
 * of @m from IE 0x00 (8-bit reference) or 0x08 (16-bit reference).
 * Returns 0, or -SS_EPARSE with an anomaly.
 */
static int parse_udh(struct dec_message *m, const uint8_t *p, size_t len)
{
	size_t i = 0;
	while (i < len) {
		if (len - i < 2) {
			dec_anomaly(m, "UDH IE header cut at octet %zu of %zu (TS 23.040 9.2.3.24)", i, len);
			return -SS_EPARSE;
		}
		uint8_t iei = p[i], iel = p[i + 1];
		if (iel > len - i - 2) {
			dec_anomaly(m, "UDH IE 0x%02x length %u exceeds the UDH (TS 23.040 9.2.3.24)", iei, iel);
			return -SS_EPARSE;
		}
		const uint8_t *d = p + i + 2;
		if (iei == 0x00 || iei == 0x08) {
			unsigned want = iei == 0x00 ? 3 : 4;
			if (iel != want) {
				dec_anomaly(m, "concatenation IE 0x%02x length %u, not %u (TS 23.040 9.2.3.24.%s)", iei,
					    iel, want, iei == 0x00 ? "1" : "8");
				return -SS_EPARSE;
			}
			if (!m->has_concat) {
				m->concat_ref = iei == 0x00 ? d[0] : (uint16_t)(d[0] << 8 | d[1]);
				m->concat_total = d[want - 2];
				m->concat_seq = d[want - 1];
				m->has_concat = true;
			}
		}
		i += 2u + iel;
	}
	return 0;
}

static void hex_text(const uint8_t *p, size_t len, char *out, size_t size, size_t *n)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < len && *n + 2 < size; i++) {
		out[(*n)++] = hx[p[i] >> 4];
		out[(*n)++] = hx[p[i] & 15];
	}
	out[*n] = '\0';
}

/*
 * TP-UDL and TP-UD (9.2.3.16, 9.2.3.24): header, then the text into @out.
 * Returns 0 or -SS_EPARSE (anomaly recorded, @out holds what could be read).
 */
static int parse_user_data(struct dec_message *m, struct dec_cursor *c, bool udhi, uint8_t enc,
			   char *out, size_t size, size_t *n)
{
	uint8_t udl;
	int rc = 0;

	if (dec_cur_u8(c, &udl) < 0) {
		dec_anomaly(m, "TP-UDL missing (TS 23.040 9.2.3.16)");
		return -SS_EPARSE;
	}
	size_t max = enc == 0 ? 160 : 140;
	size_t need = enc == 0 ? (udl * 7u + 7) / 8 : udl;
	if (udl > max) {
		dec_anomaly(m, "TP-UDL %u > %zu (TS 23.040 9.2.3.16)", udl, max);
		rc = -SS_EPARSE;
	}
	if (need > c->left) {
		dec_anomaly(m, "TP-UDL %u needs %zu octets of TP-UD, %zu present (TS 23.040 9.2.3.16)", udl, need,
			    c->left);
		rc = -SS_EPARSE;
		need = c->left;
	}
	const uint8_t *ud = c->p;
	size_t hdr = 0; /* octets of UDHL + UDH */
	if (udhi) {
		if (need < 1 || (size_t)ud[0] + 1 > need) {
			dec_anomaly(m, "TP-UDHL %u exceeds the %zu octets of TP-UD (TS 23.040 9.2.3.24)",
				    need ? ud[0] : 0, need);
			return -SS_EPARSE;
		}
		hdr = (size_t)ud[0] + 1;
		if (parse_udh(m, ud + 1, ud[0]) < 0)
			rc = -SS_EPARSE;
	}
	if (enc == 0) {
		/* Text starts at the first septet boundary after the header (fill bits, 9.2.3.24). */
		size_t first = (hdr * 8 + 6) / 7;
		size_t nsept = udl;
		if (need * 8 / 7 < nsept)
			nsept = need * 8 / 7;
		if (first > udl) {
			dec_anomaly(m, "UDH longer than TP-UDL %u septets (TS 23.040 9.2.3.24)", udl);
			return -SS_EPARSE;
		}
		*n = dec_gsm7_unpack(ud, need, first, nsept, out, size);
	} else if (enc == 2) {
		size_t tl = need - hdr;
		if (tl % 2) {
			dec_anomaly(m, "UCS2 TP-UD has an odd %zu octets (TS 23.038 6.2.3)", tl);
			rc = -SS_EPARSE;
		}
		unsigned bad = ucs2_to_utf8(ud + hdr, tl, out, size, n);
		if (bad) {
			dec_anomaly(m, "UCS2 text has %u unpaired UTF-16 surrogate(s), shown as U+FFFD", bad);
			rc = -SS_EPARSE;
		}
	} else {
		hex_text(ud + hdr, need - hdr, out, size, n);
	}
	return rc;
}

int dec_sms_tpdu(struct dec_context *ctx, struct dec_message *m, struct dec_view v, bool from_ms)
{
	struct dec_cursor c = { v.p, v.len };
	uint8_t fo, b;
	struct dec_view skip;
	int rc = 0;

	m->has_sms = true;
	m->text[0] = '\0';
	m->text_len = 0;
	if (dec_cur_u8(&c, &fo) < 0) {
		dec_anomaly(m, "empty TPDU (TS 23.040 9.2.2)");
		return -SS_EPARSE;
	}
	/* TS 23.040 9.2.3.1: the meaning of TP-MTI depends on the direction. */
	static const char *const to_ms[4] = { "SMS-DELIVER", "SUBMIT-REPORT", "STATUS-REPORT", NULL };
	static const char *const to_sc[4] = { "DELIVER-REPORT", "SMS-SUBMIT", "SMS-COMMAND", NULL };
	const char *type = (from_ms ? to_sc : to_ms)[fo & 3];
	if (!type) {
		memcpy(m->tpdu_type, "reserved", sizeof("reserved"));
		dec_anomaly(m, "reserved TP-MTI 3 (TS 23.040 9.2.3.1)");
		return -SS_EPARSE;
	}
	/* Every name above fits tpdu_type; no printf for each SMS. */
	_Static_assert(sizeof("DELIVER-REPORT") <= sizeof(((struct dec_message *)0)->tpdu_type), "tpdu_type");
	memcpy(m->tpdu_type, type, strlen(type) + 1);
	if ((fo & 3) != (from_ms ? 1 : 0))
		return 0; /* reports and commands: the type is all we record */

	bool udhi = (fo & 0x40) != 0;
	if (from_ms) {
		/* SMS-SUBMIT, 9.2.2.2: TP-MR, TP-DA, TP-PID, TP-DCS, [TP-VP], TP-UDL, TP-UD */
		if (dec_cur_u8(&c, &b) < 0) {
			dec_anomaly(m, "SMS-SUBMIT cut before TP-MR (TS 23.040 9.2.2.2)");
			return -SS_EPARSE;
		}
		if (parse_address(m, &c, &m->sms_destination, "TP-DA") < 0)
			return -SS_EPARSE;
	} else {
		/* SMS-DELIVER, 9.2.2.1: TP-OA, TP-PID, TP-DCS, TP-SCTS, TP-UDL, TP-UD */
		if (parse_address(m, &c, &m->sms_originator, "TP-OA") < 0)
			return -SS_EPARSE;
	}
	uint8_t pid, dcs;
	if (dec_cur_u8(&c, &pid) < 0 || dec_cur_u8(&c, &dcs) < 0) {
		dec_anomaly(m, "%s cut before TP-PID/TP-DCS (TS 23.040 9.2.2)", type);
		return -SS_EPARSE;
	}
	m->dcs = dcs;
	bool compressed;
	uint8_t enc = dcs_alphabet(dcs, &compressed);
	m->sms_encoding = enc;
	if (from_ms) {
		static const size_t vp_len[4] = { 0, 7, 1, 7 }; /* TP-VPF 9.2.3.3: none, enhanced, relative, absolute */
		size_t vl = vp_len[(fo >> 3) & 3];
		if (dec_cur_take(&c, vl, &skip) < 0) {
			dec_anomaly(m, "SMS-SUBMIT cut in TP-VP (%zu octets, TS 23.040 9.2.3.12)", vl);
			return -SS_EPARSE;
		}
	} else if (dec_cur_take(&c, 7, &skip) < 0) {
		dec_anomaly(m, "SMS-DELIVER cut in TP-SCTS (TS 23.040 9.2.3.11)");
		return -SS_EPARSE;
	}
	if (compressed) {
		dec_anomaly(m, "compressed TP-UD (TP-DCS 0x%02x, TS 23.038 4) not decoded", dcs);
		return -SS_EPARSE;
	}

	char part[DEC_TEXT_SIZE];
	size_t n = 0;
	part[0] = '\0';
	rc = parse_user_data(m, &c, udhi, enc, part, sizeof(part), &n);

	if (m->has_concat && (m->concat_total == 0 || m->concat_seq == 0 || m->concat_seq > m->concat_total)) {
		/* 9.2.3.24.1: such an IE is ignored; the part stands alone. */
		dec_anomaly(m, "concatenation part %u of %u ignored (TS 23.040 9.2.3.24.1)", m->concat_seq,
			    m->concat_total);
		rc = -SS_EPARSE;
		m->has_concat = false;
	}
	if (m->has_concat && m->concat_total > 1) {
		struct concat_table *t = concat_get(ctx);
		if (t && concat_add(t, m, from_ms, part, n)) {
			m->text_complete = true;
			return rc;
		}
		if (!t)
			dec_anomaly(m, "no memory for the concatenated-SMS table");
	} else {
		m->text_complete = true;
	}
	memcpy(m->text, part, n + 1);
	m->text_len = (uint32_t)n;
	return rc;
}
