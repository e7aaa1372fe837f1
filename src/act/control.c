/*
 * control.c - breaker and release-log control records (act/control.h).
 */
#include "act/control.h"

#include "act/breaker.h"
#include "core/err.h"
#include "core/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int act_ctl_breaker_read(struct rep *rep, struct act_breaker_state *st)
{
	char buf[512];
	size_t len = 0;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = rep_meta_get(rep, ACT_CTL_TRIP_KEY, strlen(ACT_CTL_TRIP_KEY), buf, sizeof(buf) - 1, &len);
	if (rc == 0) {
		unsigned mask = 0;
		long long since = 0;
		unsigned long long gen = 0;
		int off = 0;
		buf[len] = '\0';
		if (sscanf(buf, "%u %lld %llu %n", &mask, &since, &gen, &off) >= 3) {
			st->mask = mask;
			st->since = since;
			st->reset_gen = gen;
			snprintf(st->reason, sizeof(st->reason), "%s", buf + off);
		}
	} else if (rc != -SS_ENOTFOUND) {
		return rc;
	}
	rc = rep_meta_get(rep, ACT_CTL_RESET_KEY, strlen(ACT_CTL_RESET_KEY), buf, sizeof(buf) - 1, &len);
	if (rc == 0) {
		unsigned long long gen = 0;
		long long at = 0;
		int off = 0;
		buf[len] = '\0';
		if (sscanf(buf, "%llu %lld %n", &gen, &at, &off) >= 2) {
			st->resets = gen;
			st->reset_at = at;
			snprintf(st->reset_note, sizeof(st->reset_note), "%s", buf + off);
		}
	} else if (rc != -SS_ENOTFOUND) {
		return rc;
	}
	return 0;
}

uint32_t act_ctl_breaker_tripped(const struct act_breaker_state *st)
{
	return st->mask && st->reset_gen >= st->resets ? st->mask : 0;
}

int act_ctl_breaker_put_trip(struct rep *rep, const struct act_breaker_state *st)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%u %lld %llu %s", st->mask, (long long)st->since,
			 (unsigned long long)st->reset_gen, st->reason);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	return rep_meta_put(rep, ACT_CTL_TRIP_KEY, strlen(ACT_CTL_TRIP_KEY), buf, (size_t)n);
}

int act_ctl_breaker_reset(struct rep *rep, const char *note, uint64_t *gen)
{
	struct act_breaker_state st;
	char buf[256];
	int rc = rep_flush(rep);

	if (rc == 0)
		rc = act_ctl_breaker_read(rep, &st);
	if (rc < 0)
		return rc;
	uint64_t g = st.resets + 1;
	int n = snprintf(buf, sizeof(buf), "%llu %lld %s", (unsigned long long)g, (long long)ss_time_now(),
			 note ? note : "");
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = (int)sizeof(buf) - 1;
	rc = rep_meta_put(rep, ACT_CTL_RESET_KEY, strlen(ACT_CTL_RESET_KEY), buf, (size_t)n);
	if (rc == 0)
		rc = rep_flush(rep);
	if (rc == 0 && gen)
		*gen = g;
	return rc;
}

static void release_key(uint8_t *key, ss_time_us at, uint64_t id)
{
	memcpy(key, ACT_CTL_RELEASE_PREFIX, 8);
	rep_be64_put(key + 8, (uint64_t)at);
	rep_be64_put(key + 16, id);
}

int act_ctl_release_put(struct rep *rep, const struct act_release_record *rec)
{
	uint8_t key[ACT_CTL_RELEASE_KEY_SIZE];
	char val[256];
	const struct det_subject *s = &rec->subject;
	int n = snprintf(val, sizeof(val), "%lld %d %s %s %s", (long long)rec->event_time, rec->shadow ? 1 : 0,
			 s->imsi[0] ? s->imsi : "-", s->msisdn[0] ? s->msisdn : "-", s->imei[0] ? s->imei : "-");
	if (n < 0 || (size_t)n >= sizeof(val))
		return -SS_ETOOLONG;
	release_key(key, rec->at, rec->id);
	return rep_meta_put(rep, key, sizeof(key), val, (size_t)n);
}

struct scan_ctx {
	act_release_fn fn;
	void *ctx;
};

static void copy_id(char *dst, size_t size, const char *src)
{
	size_t n = strcmp(src, "-") == 0 ? 0 : strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int release_one(void *vctx, const uint8_t *key, size_t klen, const void *val, size_t len)
{
	struct scan_ctx *c = vctx;
	struct act_release_record rec;
	char buf[256], imsi[64], msisdn[64], imei[64];
	long long et = 0;
	int shadow = 0;

	if (klen != ACT_CTL_RELEASE_KEY_SIZE || len >= sizeof(buf))
		return 0;
	memcpy(buf, val, len);
	buf[len] = '\0';
	if (sscanf(buf, "%lld %d %63s %63s %63s", &et, &shadow, imsi, msisdn, imei) != 5)
		return 0;
	memset(&rec, 0, sizeof(rec));
	rec.at = (ss_time_us)rep_be64_get(key + 8);
	rec.id = rep_be64_get(key + 16);
	rec.event_time = et;
	rec.shadow = shadow != 0;
	copy_id(rec.subject.imsi, sizeof(rec.subject.imsi), imsi);
	copy_id(rec.subject.msisdn, sizeof(rec.subject.msisdn), msisdn);
	copy_id(rec.subject.imei, sizeof(rec.subject.imei), imei);
	rec.subject.kind = rec.subject.imsi[0] || rec.subject.msisdn[0] ? DET_SUBJECT_SIM : DET_SUBJECT_DEVICE;
	return c->fn(c->ctx, &rec, key);
}

int act_ctl_release_scan(struct rep *rep, const uint8_t *after, act_release_fn fn, void *ctx)
{
	struct scan_ctx c = { fn, ctx };
	return rep_meta_scan(rep, ACT_CTL_RELEASE_PREFIX, after, after ? ACT_CTL_RELEASE_KEY_SIZE : 0, release_one, &c);
}

int act_ctl_breaker_json(const struct act_breaker_state *st, char *buf, size_t size)
{
	struct json_buf b;
	char t[40] = "";
	uint32_t mask = act_ctl_breaker_tripped(st);
	bool first = true;

	json_init(&b, buf, size);
	json_open(&b);
	json_kv_bool(&b, "tripped", mask != 0);
	json_key(&b, "scopes");
	json_raw(&b, "[", 1);
	for (int k = 0; k < ACT_BREAKER_SCOPES; k++)
		if (mask & (1u << k)) {
			if (!first)
				json_raw(&b, ",", 1);
			json_quoted(&b, act_breaker_scope_name(k));
			first = false;
		}
	json_raw(&b, "]", 1);
	b.need_comma = true;
	if (st->mask) {
		ss_time_format(st->since, t, sizeof(t));
		json_kv_str(&b, "last_trip", t);
		json_kv_str(&b, "reason", st->reason);
	}
	json_kv_int(&b, "resets", (long long)st->resets);
	if (st->resets) {
		ss_time_format(st->reset_at, t, sizeof(t));
		json_kv_str(&b, "last_reset", t);
		json_kv_str(&b, "reset_note", st->reset_note);
	}
	json_close(&b);
	return json_finish(&b);
}

int act_ctl_parked_json(const char *receiver, const struct rep_park *p, char *buf, size_t size)
{
	struct json_buf b;
	char t[40] = "";

	json_init(&b, buf, size);
	json_open(&b);
	json_kv_str(&b, "receiver", receiver);
	json_kv_int(&b, "seq", (long long)p->seq);
	json_key(&b, "id");
	json_fmt(&b, "\"%016" PRIx64 "\"", p->id);
	ss_time_format(p->parked_at, t, sizeof(t));
	json_kv_str(&b, "parked_at", t);
	json_kv_str(&b, "why", p->why);
	json_key(&b, "action");
	json_raw(&b, p->json, p->len);
	json_close(&b);
	return json_finish(&b);
}
