/* event.c - the event model (see event.h). */
#include "event/event.h"

#include "core/hash.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void ev_init(struct event *ev)
{
	memset(ev, 0, sizeof(*ev));
}

void ev_clear(struct event *ev)
{
	if (!ev)
		return;
	free(ev->text);
	memset(ev, 0, sizeof(*ev));
}

int ev_set_text(struct event *ev, const char *text, size_t len)
{
	free(ev->text);
	ev->text = NULL;
	ev->text_len = 0;
	if (len > EV_TEXT_MAX) {
		len = EV_TEXT_MAX;
		/* Do not cut a UTF-8 sequence: back up over continuation bytes. */
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	char *t = malloc(len + 1);
	if (!t)
		return -ENOMEM;
	memcpy(t, text, len);
	t[len] = '\0';
	ev->text = t;
	ev->text_len = (uint32_t)len;
	return 0;
}

void ev_move(struct event *dst, struct event *src)
{
	if (dst == src)
		return;
	free(dst->text);
	*dst = *src;
	src->text = NULL;
	src->text_len = 0;
}

int ev_copy(struct event *dst, const struct event *src)
{
	if (dst == src)
		return 0;
	free(dst->text);
	*dst = *src;
	dst->text = NULL;
	dst->text_len = 0;
	if (src->text)
		return ev_set_text(dst, src->text, src->text_len);
	return 0;
}

const char *ev_kind_name(enum ev_kind kind)
{
	static const char *const names[] = { "voice", "sms", "data", "activation", "location" };
	return (unsigned)kind < EV_KIND_COUNT ? names[kind] : "unknown";
}

const char *ev_direction_name(enum ev_direction dir)
{
	switch (dir) {
	case EV_DIR_MO:
		return "mo";
	case EV_DIR_MT:
		return "mt";
	default:
		return "";
	}
}

const char *ev_activation_name(enum ev_activation act)
{
	static const char *const names[] = { "", "open", "close", "swap", "reverify_ok", "reverify_failed" };
	return (unsigned)act <= EV_ACT_REVERIFY_FAILED ? names[act] : "";
}

const char *ev_subject_key(const struct event *ev)
{
	return ev->imsi[0] ? ev->imsi : ev->msisdn;
}

uint64_t ev_dedup_hash(const struct event *ev)
{
	if (ev->record_id[0])
		return ss_hash_str(ev->record_id, UINT64_C(0x5eed0001)) ^ ev->source;
	uint64_t h = ss_hash64(&ev->time, sizeof(ev->time), UINT64_C(0x5eed0002));
	h = ss_hash_str(ev->msisdn, h);
	h = ss_hash_str(ev->imsi, h);
	h = ss_hash_str(ev->other_party, h);
	unsigned char tail[4] = { ev->kind, ev->direction, ev->source, ev->activation };
	return ss_hash64(tail, sizeof(tail), h);
}
