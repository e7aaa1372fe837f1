/*
 * context.h - inside decode/: the decoding context and every decoder's entry
 * point.  Not for other stages (they use decode.h).
 *
 * Each protocol file owns one state slot in struct dec_context: it allocates
 * the state on first use (bounded in size) and sets the slot's free function,
 * which dec_context_close() calls.
 */
#ifndef SS_DECODE_CONTEXT_H
#define SS_DECODE_CONTEXT_H

#include "decode/decode.h"

struct dec_slot {
	void *state;
	void (*free)(void *state);
};

struct dec_context {
	struct dec_counters counters;
	struct dec_slot sccp_reasm;  /* sccp.c: XUDT/LUDT segment reassembly, connection SSNs */
	struct dec_slot sms_concat;  /* sms_tpdu.c: concatenated-SMS parts */
	struct dec_slot lapdm;	     /* gsmtap.c: LAPDm segment reassembly */
	struct dec_slot tcp_framing; /* ipa.c / diameter.c / sip.c: partial frames per TCP stream */
};

/*
 * Entry points.  @m arrives initialised with frame, time and the lower
 * stack; a decoder fills its layer and either passes @m up or emits it.
 * Each returns the number of messages it emitted (>= 0).  Malformed input
 * is reported with dec_anomaly() and the (partial) message emitted, so the
 * capture's reader sees every frame.
 */
int dec_m3ua(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
	     dec_emit_fn emit, void *arg);
int dec_mtp3(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
	     dec_emit_fn emit, void *arg);
int dec_gsmtap(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
	       dec_emit_fn emit, void *arg);
int dec_ipa(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
	    dec_emit_fn emit, void *arg);
int dec_diameter(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
		 dec_emit_fn emit, void *arg);
int dec_sip(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m,
	    dec_emit_fn emit, void *arg);

/*
 * Layer-to-layer calls inside the SS7 stack (sigtran.c / sccp.c / tcap.c /
 * map.c / isup.c) and into the SMS TPDU decoder (sms_tpdu.c), each on the
 * user data of the layer below.
 */
int dec_sccp(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg);
int dec_isup(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg);
int dec_tcap(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg);
/* dec_map_component() - one TCAP component's MAP operation argument/result. */
int dec_map_component(struct dec_context *ctx, struct dec_message *m, struct dec_view param);

/*
 * dec_sms_tpdu() - a TS 23.040 TPDU; @from_ms: true for SMS-SUBMIT direction
 * (MS -> SC), false for SMS-DELIVER (SC -> MS).  Fills the SMS fields of @m;
 * for a concatenated part, sets text_complete once all parts were seen (the
 * text then holds the whole message).  Returns 0 or a negative code
 * (anomaly recorded).
 */
int dec_sms_tpdu(struct dec_context *ctx, struct dec_message *m, struct dec_view v, bool from_ms);

/*
 * dec_gsm48_l3() - a GSM/UMTS NAS layer-3 message (TS 24.007 11.2.3: MM and
 * CC of TS 24.008, RR of TS 44.018, SMS CP/RP of TS 24.011) in gsmtap.c,
 * also called by RANAP (NAS-PDU) and BSSAP (DTAP, Complete Layer 3).  Sets
 * m->operation and the identities it finds; the caller pushes
 * "gsm_a.dtap".  Returns 0, or -1 when the message is cut (anomaly recorded).
 */
int dec_gsm48_l3(struct dec_context *ctx, struct dec_message *m, struct dec_view l3, bool uplink);

/* dec_ranap() - a RANAP PDU (TS 25.413, aligned PER) carried by SCCP; emits @m. */
int dec_ranap(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg);
/* dec_bssap() - a BSSAP message (TS 48.006 9.2: BSSMAP or DTAP) carried by SCCP; emits @m. */
int dec_bssap(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg);

/* dec_emit() - count and hand a finished message to the caller. */
int dec_emit(struct dec_context *ctx, const struct dec_message *m, dec_emit_fn emit, void *arg);

/* Cursor helpers: each returns 0, or -1 when the input is too short (nothing consumed). */
static inline int dec_cur_u8(struct dec_cursor *c, uint8_t *out)
{
	if (c->left < 1)
		return -1;
	*out = c->p[0];
	c->p++;
	c->left--;
	return 0;
}

static inline int dec_cur_take(struct dec_cursor *c, size_t n, struct dec_view *out)
{
	if (c->left < n)
		return -1;
	out->p = c->p;
	out->len = n;
	c->p += n;
	c->left -= n;
	return 0;
}

#endif
