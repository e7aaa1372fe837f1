/*
 * recv_hlr.c - the osmo-hlr receiver: actions written to an Osmocom HLR's
 * subscriber database through its CTRL interface (IPA framing on TCP 4259;
 * libosmocore src/ctrl/control_if.c, osmo-hlr src/ctrl.c), then read back.
 *
 * Each action becomes a target state of the subscriber's network access
 * mode (docs/provisioning.md, "osmo-hlr receiver"):
 *
 *   block              cs-enabled 0, ps-enabled 0
 *   limit, reverify    cs-enabled 1, ps-enabled 0  (CS stays for emergency
 *                      calls and the real-name verification call-back)
 *   release            cs-enabled 1, ps-enabled 1
 *   monitor            nothing written (acknowledged)
 *   mode "shadow"      nothing written (acknowledged)
 *
 * The subscriber is addressed as subscriber.by-imsi-<IMSI>, or
 * by-msisdn-<MSISDN> when the action has no IMSI.  Per action four
 * commands go out - SET cs-enabled, SET ps-enabled, GET cs-enabled, GET
 * ps-enabled - and the whole batch is pipelined on one connection before
 * the replies are read; replies are matched by command id.  Read-back equal
 * to the target -> delivered; "No such subscriber" or an invalid selector
 * -> rejected; any other ERROR, a mismatch, a timeout -> retry.
 *
 * Writing the target state (not a toggle) makes re-delivery harmless.
 *
 * Gap (docs/provisioning.md): osmo-hlr's CTRL SET of cs-/ps-enabled changes
 * only its database (db_subscr_nam()); a VLR/SGSN the subscriber is
 * attached to is not told and keeps serving until the next Location Update.
 */
#include "act/deliver.h"
#include "act/recv.h"

#include "core/err.h"
#include "core/log.h"
#include "core/time.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define IPA_HDR 3
#define IPA_PROTO_OSMO 0xee
#define IPA_OSMO_CTRL 0x00
#define HLR_IN_SIZE (256 * 1024)
#define HLR_FRAME_MAX 200
#define HLR_OPS 4 /* SET cs, SET ps, GET cs, GET ps */

/* ---- CTRL framing ---- */

int act_ctrl_frame(char *buf, size_t size, const char *verb, uint32_t id, const char *var, const char *value)
{
	if (size < IPA_HDR + 2)
		return -SS_ETOOLONG;
	int t = snprintf(buf + IPA_HDR + 1, size - IPA_HDR - 1, "%s %u %s%s%s", verb, (unsigned)id, var,
			 value ? " " : "", value ? value : "");
	if (t < 0 || (size_t)t >= size - IPA_HDR - 1 || t + 1 > 0xffff)
		return -SS_ETOOLONG;
	size_t plen = (size_t)t + 1;
	buf[0] = (char)(plen >> 8);
	buf[1] = (char)(plen & 0xff);
	buf[2] = (char)IPA_PROTO_OSMO;
	buf[3] = IPA_OSMO_CTRL;
	return (int)(IPA_HDR + plen);
}

/* The next space-separated token of [*p, end). */
static const char *token(const char **p, const char *end, size_t *len)
{
	const char *s = *p;
	while (s < end && *s == ' ')
		s++;
	const char *e = s;
	while (e < end && *e != ' ')
		e++;
	*len = (size_t)(e - s);
	*p = e < end ? e + 1 : e; /* skip exactly one separator */
	return s;
}

int act_ctrl_parse(const char *buf, size_t len, struct act_ctrl_msg *m)
{
	const unsigned char *u = (const unsigned char *)buf;

	memset(m, 0, sizeof(*m));
	if (len < IPA_HDR)
		return 0;
	size_t plen = (size_t)u[0] << 8 | u[1];
	if (len < IPA_HDR + plen)
		return 0;
	int used = (int)(IPA_HDR + plen);
	if (u[2] != IPA_PROTO_OSMO || plen < 1 || u[3] != IPA_OSMO_CTRL)
		return used; /* another IPA protocol: ACT_CTRL_OTHER */

	const char *p = buf + IPA_HDR + 1, *end = buf + IPA_HDR + plen;
	size_t vl, il;
	const char *verb = token(&p, end, &vl);
	const char *id = token(&p, end, &il);
	if (vl == 0 || il == 0 || il > 10)
		return -SS_EPARSE;
	uint64_t v = 0;
	for (size_t i = 0; i < il; i++) {
		if (id[i] < '0' || id[i] > '9')
			return -SS_EPARSE;
		v = v * 10 + (uint64_t)(id[i] - '0');
	}
	if (v > UINT32_MAX)
		return -SS_EPARSE;
	m->id = (uint32_t)v;
#define VERB_IS(s) (vl == sizeof(s) - 1 && memcmp(verb, s, vl) == 0)
	if (VERB_IS("ERROR")) {
		m->type = ACT_CTRL_ERROR;
		m->value = p;
		m->value_len = (size_t)(end - p);
		return used;
	}
	if (VERB_IS("SET_REPLY"))
		m->type = ACT_CTRL_SET_REPLY;
	else if (VERB_IS("GET_REPLY"))
		m->type = ACT_CTRL_GET_REPLY;
	else if (VERB_IS("TRAP"))
		m->type = ACT_CTRL_TRAP;
	else
		m->type = ACT_CTRL_OTHER; /* a request (GET/SET) sent to us: not ours to answer */
#undef VERB_IS
	m->var = token(&p, end, &m->var_len);
	m->value = p;
	m->value_len = (size_t)(end - p);
	return used;
}

/* ---- a minimal reader for the action's own JSON ---- */

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Past the closing quote of the string starting at p ('"'), or NULL. */
static const char *skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '\\')
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;
	p = ws(p, end);
	do {
		if (p >= end)
			return NULL;
		if (*p == '"') {
			if (!(p = skip_string(p, end)))
				return NULL;
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		else if (depth == 0) { /* number, true, false, null */
			while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ')
				p++;
			return p;
		}
		p++;
	} while (depth > 0);
	return p;
}

/* The value of @key in the object at p, or NULL. */
static const char *find_key(const char *p, const char *end, const char *key)
{
	size_t kl = strlen(key);
	p = ws(p, end);
	if (p >= end || *p != '{')
		return NULL;
	p++;
	for (;;) {
		p = ws(p, end);
		if (p >= end || *p != '"')
			return NULL;
		const char *k = p + 1, *ke = skip_string(p, end);
		if (!ke)
			return NULL;
		p = ws(ke, end);
		if (p >= end || *p != ':')
			return NULL;
		p = ws(p + 1, end);
		if ((size_t)(ke - 1 - k) == kl && memcmp(k, key, kl) == 0)
			return p;
		if (!(p = skip_value(p, end)))
			return NULL;
		p = ws(p, end);
		if (p >= end || *p != ',')
			return NULL;
		p++;
	}
}

int act_json_get(const char *json, size_t len, const char *outer, const char *key, char *out, size_t size)
{
	const char *end = json + len, *p = json;

	if (outer && !(p = find_key(p, end, outer)))
		return -SS_ENOTFOUND;
	if (!(p = find_key(p, end, key)))
		return -SS_ENOTFOUND;
	if (p >= end || *p != '"') /* "key": at the very end: no value */
		return -SS_EPARSE;
	size_t n = 0;
	for (p++; p < end && *p != '"'; p++) {
		char c = *p;
		if (c == '\\') {
			if (++p >= end)
				return -SS_EPARSE;
			switch (*p) {
			case '"': case '\\': case '/': c = *p; break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			default: return -SS_EPARSE; /* \b \f \u: never in the values we read */
			}
		}
		if (n + 1 >= size)
			return -SS_ETOOLONG;
		out[n++] = c;
	}
	if (p >= end)
		return -SS_EPARSE;
	out[n] = '\0';
	return (int)n;
}

/* ---- the receiver ---- */

enum hlr_plan { PLAN_ACK, PLAN_REJECT, PLAN_WRITE };

struct hlr_entry {
	enum hlr_plan plan;
	char selector[48]; /* by-imsi-... / by-msisdn-... */
	int want_cs, want_ps;
	int got[HLR_OPS];  /* GET values (index 2, 3); -1 until replied */
	bool replied[HLR_OPS];
	bool error, unknown;
	char why[120];
};

struct hlr {
	struct act_receiver base;
	char host[256];
	char port[8];
	int64_t timeout_us;
	int fd;
	uint32_t next_id;
	struct hlr_entry *entries;
	char *out;
	size_t out_cap;
	size_t in_len;
	char in[HLR_IN_SIZE];
};

static void hlr_disconnect(struct hlr *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	h->in_len = 0;
}

static int remaining_ms(ss_time_us deadline)
{
	ss_time_us left = deadline - ss_time_monotonic();
	return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

static int hlr_connect(struct hlr *h, ss_time_us deadline, char *why, size_t why_size)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *ai, *a;
	int rc = getaddrinfo(h->host, h->port, &hints, &ai);
	if (rc != 0) {
		snprintf(why, why_size, "%.64s: %s", h->host, gai_strerror(rc));
		return -EHOSTUNREACH;
	}
	rc = -ECONNREFUSED;
	for (a = ai; a; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			rc = -errno;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
			rc = -errno;
			close(fd);
			continue;
		}
		struct pollfd pfd = { .fd = fd, .events = POLLOUT };
		int err = 0;
		socklen_t el = sizeof(err);
		if (poll(&pfd, 1, remaining_ms(deadline)) <= 0) {
			rc = -ETIMEDOUT;
			close(fd);
			continue;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err) {
			rc = -(err ? err : errno);
			close(fd);
			continue;
		}
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		h->fd = fd;
		rc = 0;
		break;
	}
	freeaddrinfo(ai);
	if (rc < 0)
		snprintf(why, why_size, "CTRL %.64s:%s: %s", h->host, h->port, ss_strerror(rc));
	return rc;
}

static bool all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);
	if (n < min || n > max)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* What to do with one action. */
static void plan_entry(const struct act_delivery *d, struct hlr_entry *e)
{
	char action[16], mode[16], imsi[24], msisdn[24];

	memset(e, 0, sizeof(*e));
	e->got[2] = e->got[3] = -1;
	e->plan = PLAN_REJECT;
	if (act_json_get(d->json, d->len, NULL, "action", action, sizeof(action)) < 0) {
		snprintf(e->why, sizeof(e->why), "no \"action\" in the action");
		return;
	}
	if (act_json_get(d->json, d->len, NULL, "mode", mode, sizeof(mode)) >= 0 && strcmp(mode, "shadow") == 0) {
		e->plan = PLAN_ACK;
		return;
	}
	if (strcmp(action, "block") == 0)
		e->want_cs = 0, e->want_ps = 0;
	else if (strcmp(action, "limit") == 0 || strcmp(action, "reverify") == 0)
		e->want_cs = 1, e->want_ps = 0;
	else if (strcmp(action, "release") == 0)
		e->want_cs = 1, e->want_ps = 1;
	else if (strcmp(action, "monitor") == 0) {
		e->plan = PLAN_ACK;
		return;
	} else {
		snprintf(e->why, sizeof(e->why), "unknown action '%s'", action);
		return;
	}
	bool has_imsi = act_json_get(d->json, d->len, "subject", "imsi", imsi, sizeof(imsi)) > 0;
	bool has_msisdn = act_json_get(d->json, d->len, "subject", "msisdn", msisdn, sizeof(msisdn)) > 0;
	if (has_imsi) {
		if (!all_digits(imsi, 6, 15)) {
			snprintf(e->why, sizeof(e->why), "IMSI '%s' is not 6-15 digits", imsi);
			return;
		}
		snprintf(e->selector, sizeof(e->selector), "by-imsi-%s", imsi);
	} else if (has_msisdn) {
		if (!all_digits(msisdn, 1, 15)) {
			snprintf(e->why, sizeof(e->why), "MSISDN '%s' is not 1-15 digits", msisdn);
			return;
		}
		snprintf(e->selector, sizeof(e->selector), "by-msisdn-%s", msisdn);
	} else {
		snprintf(e->why, sizeof(e->why), "subject has neither IMSI nor MSISDN");
		return;
	}
	e->plan = PLAN_WRITE;
}

static int out_reserve(struct hlr *h, size_t need)
{
	if (need <= h->out_cap)
		return 0;
	size_t cap = h->out_cap ? h->out_cap : 8192;
	while (cap < need)
		cap *= 2;
	char *p = realloc(h->out, cap);
	if (!p)
		return -ENOMEM;
	h->out = p;
	h->out_cap = cap;
	return 0;
}

static void on_reply(struct hlr *h, const struct act_ctrl_msg *m, uint32_t base, size_t n, size_t *pending)
{
	uint32_t rel = m->id - base;
	if (m->type == ACT_CTRL_OTHER || m->type == ACT_CTRL_TRAP || rel >= n * HLR_OPS)
		return; /* a trap, or a late reply to an earlier timed-out batch */
	struct hlr_entry *e = &h->entries[rel / HLR_OPS];
	unsigned k = rel % HLR_OPS;
	if (e->plan != PLAN_WRITE || e->replied[k])
		return;
	e->replied[k] = true;
	(*pending)--;
	if (m->type == ACT_CTRL_ERROR) {
		static const char *const gone[] = { "No such subscriber", "Invalid value part", "Subscriber Unknown" };
		for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
			if (m->value_len >= strlen(gone[i]) && memmem(m->value, m->value_len, gone[i], strlen(gone[i])))
				e->unknown = true;
		/* The SET of an unknown IMSI says only "An error has occurred.";
		 * the GET names the cause, so keep the most telling message. */
		if (!e->error || e->unknown)
			snprintf(e->why, sizeof(e->why), "%s %s.%s: %.*s", k < 2 ? "SET" : "GET", e->selector,
				 k % 2 ? "ps-enabled" : "cs-enabled", (int)m->value_len, m->value);
		e->error = true;
		return;
	}
	if (k >= 2)
		e->got[k] = (m->value_len == 1 && (m->value[0] == '0' || m->value[0] == '1')) ? m->value[0] - '0' : -2;
}

static int hlr_send(struct act_receiver *r, const struct act_delivery *d, size_t n, enum act_result *result,
		    char *why, size_t why_size)
{
	struct hlr *h = (struct hlr *)r;
	size_t writes = 0, out_len = 0, out_off = 0, pending;
	uint32_t base = h->next_id;
	char conn[ACT_WHY_SIZE] = ""; /* what went wrong with the connection */
	int rc = 0;

	if (n > r->max_batch) {
		for (size_t i = 0; i < n; i++)
			result[i] = ACT_RETRY;
		snprintf(why, why_size, "batch of %zu over the receiver's %zu", n, r->max_batch);
		return -SS_EUSAGE;
	}
	for (size_t i = 0; i < n; i++) {
		result[i] = ACT_RETRY;
		plan_entry(&d[i], &h->entries[i]);
		writes += h->entries[i].plan == PLAN_WRITE;
	}
	h->next_id += (uint32_t)(n * HLR_OPS);

	pending = writes * HLR_OPS;
	ss_time_us deadline = ss_time_monotonic() + h->timeout_us;
	if (writes > 0) {
		if ((rc = out_reserve(h, writes * HLR_OPS * HLR_FRAME_MAX)) < 0)
			return rc;
		for (size_t i = 0; i < n; i++) {
			struct hlr_entry *e = &h->entries[i];
			if (e->plan != PLAN_WRITE)
				continue;
			char var[96];
			uint32_t id = base + (uint32_t)(i * HLR_OPS);
			static const char *const field[2] = { "cs-enabled", "ps-enabled" };
			for (unsigned k = 0; k < HLR_OPS; k++) {
				snprintf(var, sizeof(var), "subscriber.%s.%s", e->selector, field[k % 2]);
				int want = k % 2 ? e->want_ps : e->want_cs;
				int fl = act_ctrl_frame(h->out + out_len, h->out_cap - out_len, k < 2 ? "SET" : "GET",
							id + k, var, k < 2 ? (want ? "1" : "0") : NULL);
				if (fl < 0)
					return fl;
				out_len += (size_t)fl;
			}
		}
		if (h->fd < 0 && (rc = hlr_connect(h, deadline, why, why_size)) < 0)
			return rc; /* all ACT_RETRY */
	}

	/* Write everything while reading whatever replies arrive. */
	while (pending > 0) {
		struct pollfd pfd = { .fd = h->fd, .events = POLLIN | (out_off < out_len ? POLLOUT : 0) };
		int pr = poll(&pfd, 1, remaining_ms(deadline));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			rc = -ETIMEDOUT;
			snprintf(conn, sizeof(conn), "CTRL %.64s:%s: no reply within the timeout (%zu of %zu outstanding)",
				 h->host, h->port, pending, writes * HLR_OPS);
			break;
		}
		if (pfd.revents & POLLOUT) {
			ssize_t w = send(h->fd, h->out + out_off, out_len - out_off, MSG_NOSIGNAL);
			if (w < 0 && errno != EAGAIN && errno != EINTR) {
				rc = -errno;
				snprintf(conn, sizeof(conn), "CTRL %.64s:%s: send: %s", h->host, h->port, strerror(errno));
				break;
			}
			if (w > 0)
				out_off += (size_t)w;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t got = recv(h->fd, h->in + h->in_len, sizeof(h->in) - h->in_len, 0);
			if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
				rc = got == 0 ? -ECONNRESET : -errno;
				snprintf(conn, sizeof(conn), "CTRL %.64s:%s: connection lost: %s", h->host, h->port,
					 ss_strerror(rc));
				break;
			}
			if (got > 0)
				h->in_len += (size_t)got;
			size_t off = 0;
			for (;;) {
				struct act_ctrl_msg m;
				int used = act_ctrl_parse(h->in + off, h->in_len - off, &m);
				if (used == 0)
					break;
				if (used < 0) {
					rc = used;
					snprintf(conn, sizeof(conn), "CTRL %.64s:%s: unparsable reply", h->host, h->port);
					goto out;
				}
				on_reply(h, &m, base, n, &pending);
				off += (size_t)used;
			}
			memmove(h->in, h->in + off, h->in_len - off);
			h->in_len -= off;
		}
	}
out:
	if (rc < 0)
		hlr_disconnect(h); /* the stream's state is unknown: start over next time */

	bool retry = false, any_reply = false;
	const char *first_reason = NULL;
	char mismatch[160];
	for (size_t i = 0; i < n; i++) {
		struct hlr_entry *e = &h->entries[i];
		enum act_result res = ACT_RETRY;
		const char *reason = NULL;
		char buf[160];
		bool complete = e->plan == PLAN_WRITE && e->replied[0] && e->replied[1] && e->replied[2] &&
				e->replied[3];
		any_reply |= e->replied[0] || e->replied[1] || e->replied[2] || e->replied[3];
		if (e->plan == PLAN_ACK) {
			res = ACT_DELIVERED;
		} else if (e->plan == PLAN_REJECT) {
			res = ACT_REJECTED;
			reason = e->why;
		} else if (e->unknown) {
			res = ACT_REJECTED; /* may be decided before all replies are in */
			reason = e->why;
		} else if (!complete) {
			reason = conn[0] ? conn : "no reply";
		} else if (e->error) {
			reason = e->why;
		} else if (e->got[2] != e->want_cs || e->got[3] != e->want_ps) {
			snprintf(buf, sizeof(buf), "%s read back cs-enabled=%d ps-enabled=%d, wanted %d %d", e->selector,
				 e->got[2], e->got[3], e->want_cs, e->want_ps);
			reason = buf;
		} else {
			res = ACT_DELIVERED;
		}
		if (retry)
			res = ACT_RETRY; /* order is kept: nothing after a retry counts */
		if (res == ACT_RETRY)
			retry = true;
		result[i] = res;
		if (res != ACT_DELIVERED && !first_reason)
			first_reason = reason ? reason : conn;
		if (first_reason == buf) /* buf is reused by the next entry */
			first_reason = strcpy(mismatch, buf);
	}
	if (first_reason)
		snprintf(why, why_size, "%s", first_reason);
	/* Unreachable (no reply at all) is a negative return; partial progress is 0. */
	return rc < 0 && !any_reply ? rc : 0;
}

static void hlr_close(struct act_receiver *r)
{
	struct hlr *h = (struct hlr *)r;
	if (!h)
		return;
	hlr_disconnect(h);
	free(h->entries);
	free(h->out);
	free(h);
}

static const struct act_receiver_ops hlr_ops = {
	.type = "hlr",
	.send = hlr_send,
	.close = hlr_close,
};

int act_receiver_hlr_open(const struct ss_config *cfg, const char *name, struct act_receiver **out)
{
	char sec[96];
	const char *host;
	int64_t port, timeout_us, batch;
	int rc;

	*out = NULL;
	snprintf(sec, sizeof(sec), "sink.%s", name);
	if ((rc = ss_config_string(cfg, sec, "host", "127.0.0.1", &host)) < 0 ||
	    (rc = ss_config_int(cfg, sec, "port", 4259, 1, 65535, &port)) < 0 ||
	    (rc = ss_config_duration(cfg, sec, "timeout", 5 * SS_US_PER_SEC, &timeout_us)) < 0 ||
	    (rc = ss_config_int(cfg, sec, "batch", 64, 1, 4096, &batch)) < 0)
		return rc;
	if (strlen(host) >= sizeof(((struct hlr *)0)->host) || !*host) {
		ss_error("%s: [%s] host: bad host name", ss_config_path(cfg), sec);
		return -SS_ECONFIG;
	}
	if (timeout_us < 1000) {
		ss_error("%s: [%s] timeout: at least 1 ms", ss_config_path(cfg), sec);
		return -SS_ECONFIG;
	}
	struct hlr *h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->entries = calloc((size_t)batch, sizeof(*h->entries));
	if (!h->entries) {
		free(h);
		return -ENOMEM;
	}
	h->base.ops = &hlr_ops;
	snprintf(h->base.name, sizeof(h->base.name), "%s", name);
	h->base.max_batch = (size_t)batch;
	snprintf(h->host, sizeof(h->host), "%s", host);
	snprintf(h->port, sizeof(h->port), "%d", (int)port);
	h->timeout_us = timeout_us;
	h->fd = -1;
	h->next_id = 1;
	*out = &h->base;
	return 0;
}
