/*
 * sip.c - SIP (RFC 3261) over UDP and TCP, port 5060.
 *
 * A message (RFC 3261 7) is a start line, header fields up to an empty
 * line, then a body.  Over TCP, Content-Length frames the body (RFC 3261
 * 18.3, 20.14); over UDP one datagram is one message and octets past
 * Content-Length are discarded (18.3).  CRLF keep-alives (RFC 5626 3.5.1)
 * are skipped.
 *
 * What we keep: the method (request line, 7.1) or "SIP/2.0 <code>"
 * (status line, 7.2) as the operation; From / To / P-Asserted-Identity
 * (RFC 3325 9.1) / Call-ID, compact forms f / t / i / l / c (7.3.3), as
 * bounded copies; numbers from sip:/sips: user parts and tel: URIs (RFC
 * 3966) - digits only, '+' stripped, visual separators dropped:
 *   INVITE   calling = P-Asserted-Identity, else From; called = To, else
 *            the Request-URI
 *   MESSAGE  with a text/plain body (RFC 3428): an SMS-like message from
 *            P-Asserted-Identity/From to To, text = the body (UTF-8)
 * Header folding (7.3.1): continuation lines extend the copied values;
 * numbers come from the header's first line.
 */
#include "decode/context.h"
#include "decode/stream.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SIP_MAX_HEADERS_SCAN DEC_STREAM_MAX_FRAME

/* Offset of the body: just past the first empty line (CRLF CRLF, or bare LF LF); 0 when none yet. */
static size_t header_end(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return i + 2;
		if (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

static bool is_ws(uint8_t c)
{
	return c == ' ' || c == '\t';
}

static struct dec_view trim(struct dec_view v)
{
	while (v.len && is_ws(v.p[0])) {
		v.p++;
		v.len--;
	}
	while (v.len && (is_ws(v.p[v.len - 1]) || v.p[v.len - 1] == '\r'))
		v.len--;
	return v;
}

static bool view_ieq(struct dec_view v, const char *s)
{
	size_t n = strlen(s);
	return v.len == n && strncasecmp((const char *)v.p, s, n) == 0;
}

static bool view_iprefix(struct dec_view v, const char *s)
{
	size_t n = strlen(s);
	return v.len >= n && strncasecmp((const char *)v.p, s, n) == 0;
}

enum sip_hdr { H_OTHER, H_FROM, H_TO, H_PAI, H_CALL_ID, H_CSEQ, H_VIA, H_CLEN, H_CTYPE };

static enum sip_hdr header_kind(struct dec_view name)
{
	static const struct { const char *full, *compact; enum sip_hdr kind; } names[] = {
		{ "From", "f", H_FROM },	   { "To", "t", H_TO },
		{ "P-Asserted-Identity", NULL, H_PAI }, { "Call-ID", "i", H_CALL_ID },
		{ "CSeq", NULL, H_CSEQ },	   { "Via", "v", H_VIA },
		{ "Content-Length", "l", H_CLEN }, { "Content-Type", "c", H_CTYPE },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (view_ieq(name, names[i].full) || (names[i].compact && view_ieq(name, names[i].compact)))
			return names[i].kind;
	return H_OTHER;
}

/* Decimal value of @v, or -1 when not all digits / beyond 10^9. */
static long parse_uint(struct dec_view v)
{
	long x = 0;
	v = trim(v);
	if (!v.len || v.len > 9)
		return -1;
	for (size_t i = 0; i < v.len; i++) {
		if (v.p[i] < '0' || v.p[i] > '9')
			return -1;
		x = x * 10 + (v.p[i] - '0');
	}
	return x;
}

/* Append @v to the NUL-terminated @dst of @size, bounded (silently cut: the copy is for display). */
static void append_bounded(char *dst, size_t size, struct dec_view v, bool space)
{
	size_t len = strlen(dst);
	if (space && len + 1 < size)
		dst[len++] = ' ';
	for (size_t i = 0; i < v.len && len + 1 < size; i++)
		dst[len++] = (v.p[i] >= 0x20 && v.p[i] != 0x7f) ? (char)v.p[i] : '?';
	dst[len] = '\0';
}

/*
 * The telephone number in a From/To/PAI value or a Request-URI: the user
 * part of a sip:/sips: URI or a tel: URI (RFC 3261 19.1.1, RFC 3966 3).
 * Returns true with @n filled, false when the URI names no number.
 */
static bool uri_number(struct dec_message *m, const char *what, struct dec_view v, bool header,
		       struct dec_number *n)
{
	const uint8_t *lt = memchr(v.p, '<', v.len);
	struct dec_view uri = v;
	if (lt) { /* name-addr: the URI between < and > */
		uri.p = lt + 1;
		uri.len = v.len - (size_t)(lt + 1 - v.p);
		const uint8_t *gt = memchr(uri.p, '>', uri.len);
		if (gt)
			uri.len = (size_t)(gt - uri.p);
	} else if (header) { /* addr-spec: header parameters follow ';' (RFC 3261 20.10) */
		const uint8_t *semi = memchr(uri.p, ';', uri.len);
		if (semi)
			uri.len = (size_t)(semi - uri.p);
	}
	uri = trim(uri);

	struct dec_view num;
	if (view_iprefix(uri, "tel:")) {
		num.p = uri.p + 4;
		num.len = uri.len - 4;
		const uint8_t *semi = memchr(num.p, ';', num.len);
		if (semi)
			num.len = (size_t)(semi - num.p);
	} else if (view_iprefix(uri, "sip:") || view_iprefix(uri, "sips:")) {
		size_t skip = (uri.p[3] == ':') ? 4 : 5;
		num.p = uri.p + skip;
		num.len = uri.len - skip;
		const uint8_t *at = memchr(num.p, '@', num.len);
		if (!at)
			return false; /* sip:host - no user part */
		num.len = (size_t)(at - num.p);
		for (size_t i = 0; i < num.len; i++) {
			if (num.p[i] == ';' || num.p[i] == ':') { /* user parameters (phone-context), password */
				num.len = i;
				break;
			}
		}
	} else {
		return false;
	}

	bool plus = num.len && num.p[0] == '+';
	char digits[DEC_DIGITS_SIZE];
	size_t nd = 0;
	for (size_t i = plus; i < num.len; i++) {
		uint8_t ch = num.p[i];
		if (ch >= '0' && ch <= '9') {
			if (nd + 1 >= sizeof(digits)) {
				dec_anomaly(m, "SIP %s number longer than %d digits", what, DEC_DIGITS_SIZE - 1);
				return false;
			}
			digits[nd++] = (char)ch;
		} else if (ch != '-' && ch != '.' && ch != '(' && ch != ')') { /* RFC 3966 visual separators */
			return false; /* a name, not a number */
		}
	}
	if (!nd)
		return false;
	digits[nd] = '\0';
	memset(n, 0, sizeof(*n));
	n->present = true;
	n->ton = plus ? 1 : 0; /* international when written with '+' */
	n->npi = 1;
	memcpy(n->digits, digits, nd + 1);
	return true;
}

/* Length of the valid UTF-8 prefix of p[0..n) (RFC 3629 3). */
static size_t utf8_valid_prefix(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = p[i];
		size_t k = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (!k || (k == 2 && c < 0xc2) || (k == 4 && c > 0xf4) || i + k > n)
			return i;
		for (size_t j = 1; j < k; j++)
			if ((p[i + j] & 0xc0) != 0x80)
				return i;
		if (k == 3 && ((c == 0xe0 && p[i + 1] < 0xa0) || (c == 0xed && p[i + 1] >= 0xa0)))
			return i;
		if (k == 4 && ((c == 0xf0 && p[i + 1] < 0x90) || (c == 0xf4 && p[i + 1] >= 0x90)))
			return i;
		i += k;
	}
	return i;
}

struct sip_parsed {
	struct dec_view ruri, from, to, pai, ctype, body;
	long clen;
	bool request, invite, message;
	bool seen_call_id, seen_cseq, seen_via;
};

/* One SIP message in @v (a datagram, or a frame cut by sip_frame_len()). */
static void sip_decode(struct dec_message *m, struct dec_view v, bool stream)
{
	struct sip_parsed s;
	memset(&s, 0, sizeof(s));
	s.clen = -1;

	dec_stack_push(m, "sip");
	snprintf(m->protocol, sizeof(m->protocol), "sip");
	snprintf(m->operation, sizeof(m->operation), "SIP");

	size_t hend = header_end(v.p, v.len);
	if (!hend) {
		dec_anomaly(m, "SIP headers not ended by an empty line");
		hend = v.len;
	}
	s.body.p = v.p + hend;
	s.body.len = v.len - hend;

	/* Start line (RFC 3261 7.1 / 7.2). */
	struct dec_cursor c = { v.p, hend };
	const uint8_t *nl = memchr(c.p, '\n', c.left);
	struct dec_view line = { c.p, nl ? (size_t)(nl - c.p) : c.left };
	c.p += line.len + (nl != NULL);
	c.left -= line.len + (nl != NULL);
	line = trim(line);
	if (view_iprefix(line, "SIP/2.0 ")) {
		struct dec_view code = { line.p + 8, line.len - 8 };
		if (code.len > 3)
			code.len = 3;
		long sc = parse_uint(code);
		if (sc < 100 || sc > 699 || (line.len > 11 && line.p[11] != ' '))
			dec_anomaly(m, "SIP status line without a valid status code");
		else
			snprintf(m->operation, sizeof(m->operation), "SIP/2.0 %ld", sc);
	} else {
		const uint8_t *sp1 = memchr(line.p, ' ', line.len);
		size_t mlen = sp1 ? (size_t)(sp1 - line.p) : 0;
		bool token = mlen > 0 && mlen < DEC_NAME_SIZE;
		for (size_t i = 0; token && i < mlen; i++)
			if (!((line.p[i] >= 'A' && line.p[i] <= 'Z') || (line.p[i] >= 'a' && line.p[i] <= 'z') ||
			      line.p[i] == '-' || line.p[i] == '_' || line.p[i] == '.' || line.p[i] == '!' ||
			      line.p[i] == '%' || line.p[i] == '*' || line.p[i] == '+' || line.p[i] == '~'))
				token = false;
		struct dec_view rest = { sp1 ? sp1 + 1 : line.p, sp1 ? line.len - mlen - 1 : 0 };
		const uint8_t *sp2 = rest.len ? memchr(rest.p, ' ', rest.len) : NULL;
		if (!token || !sp2) {
			dec_anomaly(m, "not a SIP request or status line");
			return;
		}
		s.request = true;
		snprintf(m->operation, sizeof(m->operation), "%.*s", (int)mlen, (const char *)line.p);
		s.ruri.p = rest.p;
		s.ruri.len = (size_t)(sp2 - rest.p);
		struct dec_view ver = { sp2 + 1, rest.len - s.ruri.len - 1 };
		if (!view_ieq(trim(ver), "SIP/2.0"))
			dec_anomaly(m, "SIP request line version is not SIP/2.0");
		s.invite = strcmp(m->operation, "INVITE") == 0;
		s.message = strcmp(m->operation, "MESSAGE") == 0;
	}

	/* Header fields (RFC 3261 7.3). */
	char *cont = NULL; /* the copy a continuation line extends */
	size_t cont_size = 0;
	bool bad_line = false;
	while (c.left) {
		nl = memchr(c.p, '\n', c.left);
		line.p = c.p;
		line.len = nl ? (size_t)(nl - c.p) : c.left;
		c.p += line.len + (nl != NULL);
		c.left -= line.len + (nl != NULL);
		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		if (!line.len)
			break; /* the empty line */
		if (is_ws(line.p[0])) { /* folded continuation (7.3.1) */
			if (cont)
				append_bounded(cont, cont_size, trim(line), true);
			continue;
		}
		cont = NULL;
		const uint8_t *colon = memchr(line.p, ':', line.len);
		if (!colon) {
			if (!bad_line)
				dec_anomaly(m, "SIP header line without ':'");
			bad_line = true;
			continue;
		}
		struct dec_view name = trim((struct dec_view){ line.p, (size_t)(colon - line.p) });
		struct dec_view value = trim((struct dec_view){ colon + 1, line.len - (size_t)(colon + 1 - line.p) });
		switch (header_kind(name)) {
		case H_FROM:
			if (!s.from.p) {
				s.from = value;
				append_bounded(m->sip_from, sizeof(m->sip_from), value, false);
				cont = m->sip_from;
				cont_size = sizeof(m->sip_from);
			}
			break;
		case H_TO:
			if (!s.to.p) {
				s.to = value;
				append_bounded(m->sip_to, sizeof(m->sip_to), value, false);
				cont = m->sip_to;
				cont_size = sizeof(m->sip_to);
			}
			break;
		case H_PAI:
			if (!s.pai.p) {
				s.pai = value;
				append_bounded(m->sip_pai, sizeof(m->sip_pai), value, false);
				cont = m->sip_pai;
				cont_size = sizeof(m->sip_pai);
			}
			break;
		case H_CALL_ID:
			if (!s.seen_call_id) {
				append_bounded(m->call_id, sizeof(m->call_id), value, false);
				cont = m->call_id;
				cont_size = sizeof(m->call_id);
			}
			s.seen_call_id = true;
			break;
		case H_CSEQ:
			s.seen_cseq = true;
			break;
		case H_VIA:
			s.seen_via = true;
			break;
		case H_CLEN:
			s.clen = parse_uint(value);
			if (s.clen < 0)
				dec_anomaly(m, "SIP Content-Length is not a number");
			break;
		case H_CTYPE:
			s.ctype = value;
			break;
		case H_OTHER:
			break;
		}
	}
	/* RFC 3261 8.1.1: To, From, CSeq, Call-ID (and Via) in every message. */
	if (!s.from.p || !s.to.p || !s.seen_call_id || !s.seen_cseq || !s.seen_via)
		dec_anomaly(m, "SIP message missing mandatory header(s):%s%s%s%s%s", s.from.p ? "" : " From",
			    s.to.p ? "" : " To", s.seen_call_id ? "" : " Call-ID", s.seen_cseq ? "" : " CSeq",
			    s.seen_via ? "" : " Via");

	if (s.clen >= 0) {
		if ((size_t)s.clen > s.body.len)
			dec_anomaly(m, "SIP Content-Length %ld exceeds the %zu body octets", s.clen, s.body.len);
		else
			s.body.len = (size_t)s.clen; /* UDP: the rest is discarded (18.3) */
	} else if (stream && s.body.len) {
		dec_anomaly(m, "SIP over TCP without Content-Length");
	}

	if (s.invite) {
		struct dec_view caller = s.pai.p ? s.pai : s.from;
		if (caller.p)
			uri_number(m, "calling", caller, true, &m->calling_number);
		if (!(s.to.p && uri_number(m, "called", s.to, true, &m->called_number)) && s.ruri.p)
			uri_number(m, "called", s.ruri, false, &m->called_number);
	}
	if (s.message && s.ctype.p && view_iprefix(s.ctype, "text/plain")) {
		struct dec_view caller = s.pai.p ? s.pai : s.from;
		if (caller.p)
			uri_number(m, "originator", caller, true, &m->sms_originator);
		if (s.to.p)
			uri_number(m, "destination", s.to, true, &m->sms_destination);
		if (m->sms_originator.present)
			m->msisdn = m->sms_originator; /* the sender is the served party */
		/* Event semantics of an SMS-SUBMIT: originated by the From party. */
		m->has_sms = true;
		snprintf(m->tpdu_type, sizeof(m->tpdu_type), "SMS-SUBMIT");
		m->sms_encoding = 1;
		m->text_complete = true;
		size_t n = s.body.len < DEC_TEXT_SIZE - 1 ? s.body.len : DEC_TEXT_SIZE - 1;
		size_t ok = utf8_valid_prefix(s.body.p, n);
		if (ok < n && (n == s.body.len || n - ok > 3)) /* not merely a character cut by our bound */
			dec_anomaly(m, "SIP MESSAGE body is not valid UTF-8 at octet %zu", ok);
		memcpy(m->text, s.body.p, ok);
		m->text[ok] = '\0';
		m->text_len = (uint32_t)ok;
	}
}

struct sip_run {
	struct dec_context *ctx;
	const struct dec_message *base;
	dec_emit_fn emit;
	void *arg;
	int emitted;
};

static bool all_crlf(struct dec_view v)
{
	for (size_t i = 0; i < v.len; i++)
		if (v.p[i] != '\r' && v.p[i] != '\n')
			return false;
	return true;
}

/*
 * TCP framing (RFC 3261 18.3): a run of CR/LF is a keep-alive frame;
 * otherwise headers to the empty line plus Content-Length octets.
 */
static long sip_frame_len(const uint8_t *p, size_t avail)
{
	size_t i = 0;
	while (i < avail && (p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i)
		return i < avail ? (long)i : 0; /* wait to see where the run ends */
	size_t scan = avail < SIP_MAX_HEADERS_SCAN ? avail : SIP_MAX_HEADERS_SCAN;
	size_t hend = header_end(p, scan);
	if (!hend)
		return 0;
	long clen = 0;
	size_t off = 0;
	while (off < hend) {
		const uint8_t *nl = memchr(p + off, '\n', hend - off);
		size_t len = nl ? (size_t)(nl - (p + off)) : hend - off;
		struct dec_view line = { p + off, len };
		off += len + 1;
		const uint8_t *colon = memchr(line.p, ':', line.len);
		if (!colon || (line.len && is_ws(line.p[0])))
			continue;
		struct dec_view name = trim((struct dec_view){ line.p, (size_t)(colon - line.p) });
		if (header_kind(name) == H_CLEN) {
			long v = parse_uint((struct dec_view){ colon + 1, line.len - (size_t)(colon + 1 - line.p) });
			if (v > 0)
				clen = v;
		}
	}
	return (long)hend + clen;
}

static void sip_on_frame(void *arg, enum dec_stream_status status, struct dec_view v, size_t length)
{
	struct sip_run *r = arg;
	struct dec_message m = *r->base;

	if (status == DEC_STREAM_FRAME && all_crlf(v))
		return; /* keep-alive */
	switch (status) {
	case DEC_STREAM_FRAME:
		sip_decode(&m, v, true);
		break;
	case DEC_STREAM_TOO_LONG:
		sip_decode(&m, v, true);
		dec_anomaly(&m, "SIP message of %zu octets exceeds our %u-octet limit: skipped", length,
			    DEC_STREAM_MAX_FRAME);
		break;
	case DEC_STREAM_NO_BOUNDARY:
	case DEC_STREAM_BAD_START:
	case DEC_STREAM_TRUNCATED:
		dec_stack_push(&m, "sip");
		snprintf(m.protocol, sizeof(m.protocol), "sip");
		snprintf(m.operation, sizeof(m.operation), "SIP");
		dec_anomaly(&m, "no end of SIP headers within %zu octets: dropped", v.len);
		break;
	}
	r->emitted += dec_emit(r->ctx, &m, r->emit, r->arg);
}

int dec_sip(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m, dec_emit_fn emit,
	    void *arg)
{
	if (pl->transport == DEC_T_TCP) {
		struct sip_run r = { ctx, m, emit, arg, 0 };
		dec_stream_feed(ctx, DEC_STREAM_SIP, pl, sip_frame_len, sip_on_frame, &r);
		return r.emitted;
	}
	if (all_crlf(pl->data))
		return 0; /* keep-alive datagram, or empty */
	sip_decode(m, pl->data, false);
	return dec_emit(ctx, m, emit, arg);
}
