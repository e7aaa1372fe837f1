/*
 * action.c - action ids and the JSON Lines encoding of ../shared/spec/action.md.
 */
#include "act/act.h"

#include "core/err.h"
#include "core/hash.h"
#include "core/json.h"

#include <stdio.h>
#include <string.h>

const char *act_kind_name(enum rep_action_kind kind)
{
	switch (kind) {
	case REP_ACTION_MONITOR:
		return "monitor";
	case REP_ACTION_LIMIT:
		return "limit";
	case REP_ACTION_REVERIFY:
		return "reverify";
	case REP_ACTION_BLOCK:
		return "block";
	case REP_ACTION_RELEASE:
		return "release";
	default:
		return "none";
	}
}

uint64_t act_action_id(const struct act_action *a)
{
	/*
	 * Only inputs that are the same when the same decision is taken again
	 * (same data, restarted process): never emitted_at, never counters.
	 */
	uint64_t h = ss_hash_str(a->subject.msisdn, UINT64_C(0x51a5e0001));
	h = ss_hash_str(a->subject.imsi, h);
	h = ss_hash_str(a->subject.imei, h);
	h = ss_hash_str(a->family ? a->family : "", h);
	h = ss_hash_str(act_kind_name(a->kind), h);
	return ss_hash64(&a->event_time, sizeof(a->event_time), h);
}

static const char *strength_name(enum det_strength s)
{
	switch (s) {
	case DET_STRUCTURAL:
		return "structural";
	case DET_BEHAVIOURAL:
		return "behavioural";
	default:
		return "weak";
	}
}

int act_action_json(const struct act_action *a, char *buf, size_t size)
{
	struct json_buf b;
	char t[40];

	if (size == 0)
		return -SS_ETOOLONG;
	json_init(&b, buf, size);
	json_open(&b);
	json_key(&b, "id");
	char id[20];
	snprintf(id, sizeof(id), "%016llx", (unsigned long long)a->id);
	json_quoted(&b, id);
	json_kv_str(&b, "action", act_kind_name(a->kind));
	json_kv_str(&b, "mode", a->shadow ? "shadow" : "enforce");
	ss_time_format(a->event_time, t, sizeof(t));
	json_kv_str(&b, "event_time", t);
	ss_time_format(a->emitted_at - a->emitted_at % SS_US_PER_SEC, t, sizeof(t));
	json_kv_str(&b, "emitted_at", t);
	json_key(&b, "subject");
	json_open(&b);
	json_kv_str(&b, "msisdn", a->subject.msisdn);
	json_kv_str(&b, "imsi", a->subject.imsi);
	json_kv_str(&b, "imei", a->subject.imei);
	json_close(&b);
	json_kv_int(&b, "score", a->score);
	json_key(&b, "reasons");
	json_raw(&b, "[", 1);
	for (int i = 0; i < a->n_reasons; i++) {
		if (i)
			json_raw(&b, ",", 1);
		json_open(&b);
		json_key(&b, "code");
		json_quoted(&b, a->reasons[i].code);
		json_key(&b, "detail");
		json_quoted(&b, a->reasons[i].detail);
		json_close(&b);
	}
	json_raw(&b, "]", 1);
	json_key(&b, "family");
	json_quoted(&b, a->family ? a->family : "");
	json_kv_str(&b, "strength", strength_name(a->strength));
	if (a->group) {
		json_key(&b, "group");
		char g[24];
		snprintf(g, sizeof(g), "%llu", (unsigned long long)a->group);
		json_quoted(&b, g);
	}
	json_kv_str(&b, "evidence_record", a->evidence_record);
	json_close(&b);
	return json_finish(&b);
}
