/*
 * gsmtap.c - GSMTAP (Osmocom, UDP port 4729) carrying the GSM air interface:
 * LAPDm (3GPP TS 44.006) with segment reassembly, then the layer-3 messages
 * of TS 24.008 (MM, CC), TS 44.018 (RR) and TS 24.011 (SMS CP/RP), the
 * latter handing the TPDU to dec_sms_tpdu().
 *
 * GSMTAP types handled:
 *   1 (Um)   BCCH/CCCH/AGCH/PCH: L2 pseudo length (TS 44.018 10.5.2.19) + RR;
 *            SDCCH/TCH (FACCH) and their SACCH (sub-type | 0x80, after a
 *            2-octet L1 header): LAPDm frames.  Packet channels (RLC/MAC),
 *            RACH: header only.
 *   2 (Abis) a layer-3 message without LAPDm, as QCSuper and some phones'
 *            diagnostic tools write it.
 * Other types (UMTS/LTE RRC, LTE NAS, ...) are recorded with the header only.
 *
 * Header (libosmocore gsmtap.h, version 2): version, hdr_len in 32-bit words,
 * type, timeslot, ARFCN (0x8000 PCS, 0x4000 uplink), signal dBm, SNR, frame
 * number (4), sub-type (channel), antenna, sub-slot, reserved.
 *
 * Operation names are Wireshark's (e.g. "Location Updating Request"); the
 * stack is tshark's frame.protocols spelling ("gsmtap:lapdm:gsm_a.dtap:
 * gsm_a.rp:gsm_sms").  LAPDm reassembly state lives in the context's lapdm
 * slot: DEC_LAPDM_CHANNELS channels allocated once, the least recently used
 * channel reused when full.
 */
#include "decode/context.h"

#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GSMTAP_PORT 4729
#define GSMTAP_TYPE_UM 1
#define GSMTAP_TYPE_ABIS 2

/* GSMTAP channel types (libosmocore gsmtap.h) */
enum {
	CH_BCCH = 1, CH_CCCH = 2, CH_RACH = 3, CH_AGCH = 4, CH_PCH = 5, CH_SDCCH = 6, CH_SDCCH4 = 7,
	CH_SDCCH8 = 8, CH_TCH_F = 9, CH_TCH_H = 10, CH_ACCH = 0x80,
};

#define DEC_LAPDM_CHANNELS 64
#define LAPDM_MAX_MSG 251		 /* TS 44.006 5.8.5: longest layer-3 message */
#define LAPDM_EXPIRE (30 * SS_US_PER_SEC) /* a segmented message older than this is dropped */

struct lapdm_chan {
	bool used;
	uint32_t key; /* arfcn | uplink | timeslot | sub-slot | channel | SAPI */
	ss_time_us last;
	uint8_t ns;   /* N(S) of the last segment kept */
	uint16_t len;
	uint8_t buf[LAPDM_MAX_MSG];
};

struct lapdm_state {
	struct lapdm_chan ch[DEC_LAPDM_CHANNELS];
};

static void lapdm_free(void *state)
{
	free(state);
}

static struct lapdm_chan *lapdm_chan(struct dec_context *ctx, uint32_t key, ss_time_us now, bool create)
{
	struct lapdm_state *s = ctx->lapdm.state;
	if (!s) {
		if (!create)
			return NULL;
		s = calloc(1, sizeof(*s));
		if (!s)
			return NULL;
		ctx->lapdm.state = s;
		ctx->lapdm.free = lapdm_free;
	}
	struct lapdm_chan *lru = &s->ch[0];
	for (size_t i = 0; i < DEC_LAPDM_CHANNELS; i++) {
		struct lapdm_chan *c = &s->ch[i];
		if (c->used && c->key == key) {
			if (now - c->last > LAPDM_EXPIRE)
				c->len = 0;
			return c;
		}
		if (!c->used || (lru->used && c->last < lru->last))
			lru = c;
	}
	if (!create)
		return NULL;
	memset(lru, 0, sizeof(*lru));
	lru->used = true;
	lru->key = key;
	return lru;
}

/* ---- layer 3 ---- */

struct name { uint8_t type; const char *name; };

static const char *lookup(const struct name *t, size_t n, uint8_t type)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].type == type)
			return t[i].name;
	return NULL;
}
#define LOOKUP(t, type) lookup(t, sizeof(t) / sizeof(t[0]), type)

/* TS 24.008 10.4, Table 10.2 */
static const struct name mm_names[] = {
	{ 0x01, "IMSI Detach Indication" }, { 0x02, "Location Updating Accept" },
	{ 0x04, "Location Updating Reject" }, { 0x08, "Location Updating Request" },
	{ 0x11, "Authentication Reject" }, { 0x12, "Authentication Request" },
	{ 0x14, "Authentication Response" }, { 0x1c, "Authentication Failure" },
	{ 0x18, "Identity Request" }, { 0x19, "Identity Response" },
	{ 0x1a, "TMSI Reallocation Command" }, { 0x1b, "TMSI Reallocation Complete" },
	{ 0x21, "CM Service Accept" }, { 0x22, "CM Service Reject" }, { 0x23, "CM Service Abort" },
	{ 0x24, "CM Service Request" }, { 0x25, "CM Service Prompt" },
	{ 0x28, "CM Re-establishment Request" }, { 0x29, "Abort" }, { 0x30, "MM Null" },
	{ 0x31, "MM Status" }, { 0x32, "MM Information" },
};

/* TS 24.008 10.4, Table 10.3 */
static const struct name cc_names[] = {
	{ 0x01, "Alerting" }, { 0x08, "Call Confirmed" }, { 0x02, "Call Proceeding" },
	{ 0x07, "Connect" }, { 0x0f, "Connect Acknowledge" }, { 0x0e, "Emergency Setup" },
	{ 0x03, "Progress" }, { 0x04, "CC-Establishment" }, { 0x06, "CC-Establishment Confirmed" },
	{ 0x0b, "Recall" }, { 0x09, "Start CC" }, { 0x05, "Setup" }, { 0x17, "Modify" },
	{ 0x1f, "Modify Complete" }, { 0x13, "Modify Reject" }, { 0x10, "User Information" },
	{ 0x18, "Hold" }, { 0x19, "Hold Acknowledge" }, { 0x1a, "Hold Reject" }, { 0x1c, "Retrieve" },
	{ 0x1d, "Retrieve Acknowledge" }, { 0x1e, "Retrieve Reject" }, { 0x25, "Disconnect" },
	{ 0x2d, "Release" }, { 0x2a, "Release Complete" }, { 0x39, "Congestion Control" },
	{ 0x3e, "Notify" }, { 0x3d, "Status" }, { 0x34, "Status Enquiry" }, { 0x35, "Start DTMF" },
	{ 0x31, "Stop DTMF" }, { 0x32, "Stop DTMF Acknowledge" }, { 0x36, "Start DTMF Acknowledge" },
	{ 0x37, "Start DTMF Reject" }, { 0x3a, "Facility" },
};

/* TS 44.018 10.4, Table 10.4.1 */
static const struct name rr_names[] = {
	{ 0x3f, "Immediate Assignment" }, { 0x39, "Immediate Assignment Extended" },
	{ 0x3a, "Immediate Assignment Reject" }, { 0x35, "Ciphering Mode Command" },
	{ 0x32, "Ciphering Mode Complete" }, { 0x2e, "Assignment Command" },
	{ 0x29, "Assignment Complete" }, { 0x2f, "Assignment Failure" }, { 0x2b, "Handover Command" },
	{ 0x2c, "Handover Complete" }, { 0x28, "Handover Failure" }, { 0x0d, "Channel Release" },
	{ 0x21, "Paging Request Type 1" }, { 0x22, "Paging Request Type 2" },
	{ 0x24, "Paging Request Type 3" }, { 0x27, "Paging Response" }, { 0x15, "Measurement Report" },
	{ 0x16, "Classmark Change" }, { 0x13, "Classmark Enquiry" }, { 0x34, "GPRS Suspension Request" },
	{ 0x10, "Channel Mode Modify" }, { 0x17, "Channel Mode Modify Acknowledge" },
	{ 0x12, "RR Status" }, { 0x19, "System Information Type 1" }, { 0x1a, "System Information Type 2" },
	{ 0x02, "System Information Type 2bis" }, { 0x03, "System Information Type 2ter" },
	{ 0x07, "System Information Type 2quater" }, { 0x1b, "System Information Type 3" },
	{ 0x1c, "System Information Type 4" }, { 0x1d, "System Information Type 5" },
	{ 0x05, "System Information Type 5bis" }, { 0x06, "System Information Type 5ter" },
	{ 0x1e, "System Information Type 6" }, { 0x1f, "System Information Type 7" },
	{ 0x18, "System Information Type 8" }, { 0x00, "System Information Type 13" },
};

/* TS 24.011 7.2, Table 8.1 */
static const struct name cp_names[] = { { 0x01, "CP-DATA" }, { 0x04, "CP-ACK" }, { 0x10, "CP-ERROR" } };

static void set_op(struct dec_message *m, const char *name, const char *what, uint8_t type)
{
	if (name)
		snprintf(m->operation, sizeof(m->operation), "%s", name);
	else
		snprintf(m->operation, sizeof(m->operation), "%s 0x%02x", what, type);
}

/* An LV element at the cursor: TS 24.007 11.2.1.1.  Returns -1 (anomaly) when cut. */
static int take_lv(struct dec_message *m, struct dec_cursor *c, struct dec_view *v, const char *what)
{
	uint8_t len;
	if (dec_cur_u8(c, &len) < 0 || dec_cur_take(c, len, v) < 0) {
		dec_anomaly(m, "%s cut (LV, %zu octets left)", what, c->left);
		return -1;
	}
	return 0;
}

/* Mobile identity, TS 24.008 10.5.1.4 (value part, after its length). */
static int mobile_identity(struct dec_message *m, struct dec_view v)
{
	char d[20];
	if (v.len < 1) {
		dec_anomaly(m, "empty mobile identity (TS 24.008 10.5.1.4)");
		return -1;
	}
	uint8_t type = v.p[0] & 7;
	if (type == 4 || type == 0 || type == 5)
		return 0; /* TMSI/P-TMSI, no identity, TMGI: nothing we keep */
	if (type > 3) {
		dec_anomaly(m, "mobile identity type %u reserved (TS 24.008 10.5.1.4)", type);
		return -1;
	}
	size_t n = 0;
	d[n++] = (char)('0' + (v.p[0] >> 4));
	if ((v.p[0] >> 4) > 9 || v.len > 9) {
		dec_anomaly(m, "bad mobile identity (%zu octets, TS 24.008 10.5.1.4)", v.len);
		return -1;
	}
	int r = dec_tbcd(v.p + 1, v.len - 1, d + n, sizeof(d) - n);
	if (r < 0) {
		dec_anomaly(m, "bad mobile identity digits (TS 24.008 10.5.1.4)");
		return -1;
	}
	n += (size_t)r;
	bool odd = (v.p[0] & 8) != 0;
	if (!odd && v.len > 1 && (v.p[v.len - 1] >> 4) != 0x0f) {
		dec_anomaly(m, "mobile identity: even digit count without filler (TS 24.008 10.5.1.4)");
		return -1;
	}
	if (type == 1) {
		if (n < 6 || n > 15) {
			dec_anomaly(m, "IMSI of %zu digits (TS 23.003 2.2)", n);
			return -1;
		}
		memcpy(m->imsi, d, n);
		m->imsi[n] = '\0';
	} else {
		if (n >= sizeof(m->imei)) {
			dec_anomaly(m, "IMEI of %zu digits (TS 23.003 6.2)", n);
			return -1;
		}
		memcpy(m->imei, d, n);
		m->imei[n] = '\0';
	}
	return 0;
}

/* LAI, TS 24.008 10.5.1.3: MCC and MNC (F filler for a 2-digit MNC) -> visited_plmn. */
static void lai(struct dec_message *m, const uint8_t *p)
{
	uint8_t d[6] = { (uint8_t)(p[0] & 15), (uint8_t)(p[0] >> 4), (uint8_t)(p[1] & 15),
			 (uint8_t)(p[2] & 15), (uint8_t)(p[2] >> 4), (uint8_t)(p[1] >> 4) };
	size_t n = d[5] == 0x0f ? 5 : 6;
	for (size_t i = 0; i < n; i++) {
		if (d[i] > 9) {
			dec_anomaly(m, "LAI has a non-digit MCC/MNC (TS 24.008 10.5.1.3)");
			m->visited_plmn[0] = '\0';
			return;
		}
		m->visited_plmn[i] = (char)('0' + d[i]);
	}
	m->visited_plmn[n] = '\0';
}

/* Called/calling party BCD number, TS 24.008 10.5.4.7 / 10.5.4.9 (value part). */
static void bcd_number(struct dec_message *m, struct dec_view v, struct dec_number *n, const char *what)
{
	if (v.len < 1) {
		dec_anomaly(m, "%s empty (TS 24.008 10.5.4.7)", what);
		return;
	}
	size_t i = 1;
	if (!(v.p[0] & 0x80)) /* octet 3a present (calling: presentation/screening) */
		i = 2;
	if (i > v.len) {
		dec_anomaly(m, "%s cut in octet 3a", what);
		return;
	}
	n->ton = (v.p[0] >> 4) & 7;
	n->npi = v.p[0] & 15;
	if (dec_tbcd(v.p + i, v.len - i, n->digits, sizeof(n->digits)) < 0) {
		dec_anomaly(m, "%s has bad BCD digits (TS 24.008 10.5.4.7)", what);
		n->digits[0] = '\0';
		return;
	}
	n->present = true;
}

/* CC Setup (TS 24.008 9.3.23): walk the optional IEs for the numbers. */
static void cc_setup(struct dec_message *m, struct dec_cursor *c)
{
	while (c->left) {
		uint8_t iei = c->p[0];
		struct dec_view v;
		if (iei & 0x80) { /* type 1 / type 2: one octet */
			c->p++;
			c->left--;
			continue;
		}
		c->p++;
		c->left--;
		if (iei == 0x34) { /* Signal: TV, 2 octets */
			uint8_t x;
			if (dec_cur_u8(c, &x) < 0)
				dec_anomaly(m, "Setup: Signal IE cut");
			continue;
		}
		if (take_lv(m, c, &v, "Setup IE") < 0)
			return;
		if (iei == 0x5e)
			bcd_number(m, v, &m->called_number, "called party BCD number");
		else if (iei == 0x5c)
			bcd_number(m, v, &m->calling_number, "calling party BCD number");
	}
}

/* RP address, TS 24.011 8.2.5.1/8.2.5.2 (value: TON/NPI octet + BCD digits). */
static void rp_address(struct dec_message *m, struct dec_view v, struct dec_number *n)
{
	if (v.len == 0)
		return;
	n->ton = (v.p[0] >> 4) & 7;
	n->npi = v.p[0] & 15;
	if (v.len > 11 || dec_tbcd(v.p + 1, v.len - 1, n->digits, sizeof(n->digits)) < 0) {
		dec_anomaly(m, "bad RP address (%zu octets, TS 24.011 8.2.5.1)", v.len);
		n->digits[0] = '\0';
		return;
	}
	n->present = true;
}

/* CP-DATA user data: the RP message, TS 24.011 7.3.1 / 8.2. */
static void rp_message(struct dec_context *ctx, struct dec_message *m, struct dec_view rp)
{
	struct dec_cursor c = { rp.p, rp.len };
	uint8_t mti, mr;
	struct dec_view oa, da, ud;

	dec_stack_push(m, "gsm_a.rp");
	if (dec_cur_u8(&c, &mti) < 0 || dec_cur_u8(&c, &mr) < 0) {
		dec_anomaly(m, "RP message cut before RP-Message Reference (TS 24.011 8.2.2)");
		return;
	}
	mti &= 7;
	if (mti > 1)
		return; /* RP-ACK, RP-ERROR, RP-SMMA: nothing we keep */
	if (take_lv(m, &c, &oa, "RP-Originator Address") < 0 || take_lv(m, &c, &da, "RP-Destination Address") < 0 ||
	    take_lv(m, &c, &ud, "RP-User Data") < 0)
		return;
	/* MS -> network: RP-DA is the service centre; network -> MS: RP-OA is. */
	rp_address(m, mti == 0 ? da : oa, &m->smsc);
	dec_stack_push(m, "gsm_sms");
	dec_sms_tpdu(ctx, m, ud, mti == 0);
}

/*
 * dec_gsm48_l3() - one layer-3 message (TS 24.007 11.2.3): MM, CC, RR and
 * SMS CP/RP; @uplink from the carrier (GSMTAP header, RANAP procedure).
 * Declared in context.h: RANAP and BSSAP hand their NAS / DTAP here too.
 */
int dec_gsm48_l3(struct dec_context *ctx, struct dec_message *m, struct dec_view l3, bool uplink)
{
	struct dec_cursor c = { l3.p, l3.len };
	uint8_t pd, type;
	struct dec_view v;

	if (dec_cur_u8(&c, &pd) < 0 || dec_cur_u8(&c, &type) < 0) {
		dec_anomaly(m, "layer-3 message of %zu octets (TS 24.007 11.2.3)", l3.len);
		return -1;
	}
	pd &= 0x0f;
	switch (pd) {
	case 5: /* MM, TS 24.008 9.2; bits 8-7 of the type are N(SD) */
		type &= 0x3f;
		set_op(m, LOOKUP(mm_names, type), "MM", type);
		if (type == 0x08) { /* Location Updating Request, 9.2.15 */
			struct dec_view l;
			uint8_t x;
			if (dec_cur_u8(&c, &x) < 0 || dec_cur_take(&c, 5, &l) < 0 || dec_cur_u8(&c, &x) < 0) {
				dec_anomaly(m, "Location Updating Request cut before the mobile identity");
				return -1;
			}
			lai(m, l.p);
			if (take_lv(m, &c, &v, "mobile identity") == 0)
				mobile_identity(m, v);
		} else if (type == 0x24) { /* CM Service Request, 9.2.9 */
			uint8_t x;
			if (dec_cur_u8(&c, &x) < 0 || take_lv(m, &c, &v, "MS classmark 2") < 0)
				return -1;
			if (take_lv(m, &c, &v, "mobile identity") == 0)
				mobile_identity(m, v);
		} else if (type == 0x19) { /* Identity Response, 9.2.11 */
			if (take_lv(m, &c, &v, "mobile identity") == 0)
				mobile_identity(m, v);
		}
		break;
	case 6: /* RR, TS 44.018 9.1 */
		set_op(m, LOOKUP(rr_names, type), "RR", type);
		if (type == 0x27) { /* Paging Response, 9.1.25 */
			uint8_t x;
			if (dec_cur_u8(&c, &x) < 0 || take_lv(m, &c, &v, "MS classmark 2") < 0)
				return -1;
			if (take_lv(m, &c, &v, "mobile identity") == 0)
				mobile_identity(m, v);
		}
		break;
	case 3: /* CC, TS 24.008 9.3 */
		type &= 0x3f;
		set_op(m, LOOKUP(cc_names, type), "CC", type);
		if (type == 0x05)
			cc_setup(m, &c);
		(void)uplink; /* an uplink Setup is MO (called number), a downlink one MT (calling) */
		break;
	case 9: /* SMS CP, TS 24.011 7.2 */
		set_op(m, LOOKUP(cp_names, type), "CP", type);
		if (type == 0x01) {
			if (take_lv(m, &c, &v, "CP-User data") < 0)
				return -1;
			rp_message(ctx, m, v);
		}
		break;
	default:
		snprintf(m->operation, sizeof(m->operation), "PD %u type 0x%02x", pd, type);
		break;
	}
	return 0;
}

/* ---- LAPDm, TS 44.006 ---- */

/*
 * One LAPDm frame (format B, 5.1/5.2): address, control, length indicator,
 * information.  Returns the layer-3 message to decode in @l3 (0) or 1 when
 * there is none yet (a segment kept, a frame without information).
 */
static int lapdm(struct dec_context *ctx, struct dec_message *m, struct dec_view f, uint32_t chan_key,
		 struct dec_view *l3)
{
	if (f.len < 3) {
		dec_anomaly(m, "LAPDm frame of %zu octets (TS 44.006 5.1)", f.len);
		return -1;
	}
	uint8_t addr = f.p[0], ctl = f.p[1], li = f.p[2];
	if (!(addr & 1) || !(li & 1)) {
		dec_anomaly(m, "LAPDm address/length field not single-octet (EA/EL = 0, TS 44.006 3.2/3.8)");
		return -1;
	}
	uint8_t sapi = (addr >> 2) & 7;
	size_t len = li >> 2;
	bool more = (li & 2) != 0;
	if (len > f.len - 3) {
		dec_anomaly(m, "LAPDm length %zu exceeds the %zu octets of the frame (TS 44.006 3.8.1)", len, f.len - 3);
		return -1;
	}
	l3->p = f.p + 3;
	l3->len = len;

	bool iframe = (ctl & 1) == 0;
	uint8_t u = ctl & 0xef; /* U-frame type without P/F */
	if (!iframe) {
		if ((ctl & 3) == 1 || len == 0)
			return 1;	/* S frames, or no information */
		if (u == 0x63)
			return 1; /* UA echoing the SABM's message (5.4.1.4): decoded once, from the SABM */
		if (u != 0x03 && u != 0x2f)
			return 1; /* only UI and SABM carry layer 3 */
		if (more) {
			dec_anomaly(m, "LAPDm M bit set on a U frame (TS 44.006 5.8.5)");
			return -1;
		}
		return 0;
	}
	/* I frame: reassemble segments per channel and SAPI (TS 44.006 5.8.5). */
	uint8_t ns = (ctl >> 1) & 7;
	uint32_t key = chan_key | ((uint32_t)sapi << 27);
	struct lapdm_chan *c = lapdm_chan(ctx, key, m->time, more);
	if (!c) {
		if (more)
			dec_anomaly(m, "no memory for LAPDm reassembly");
		return more ? -1 : 0;
	}
	if (c->len && ns == c->ns)
		return 1; /* retransmitted segment */
	if (!more && c->len == 0)
		return 0; /* unsegmented */
	if (c->len + len > LAPDM_MAX_MSG) {
		dec_anomaly(m, "LAPDm segments exceed %d octets (TS 44.006 5.8.5)", LAPDM_MAX_MSG);
		c->len = 0;
		return -1;
	}
	memcpy(c->buf + c->len, l3->p, len);
	c->len = (uint16_t)(c->len + len);
	c->ns = ns;
	c->last = m->time;
	if (more)
		return 1;
	l3->p = c->buf; /* valid until this channel's next frame: we decode it now */
	l3->len = c->len;
	c->len = 0;
	return 0;
}

int dec_gsmtap(struct dec_context *ctx, const struct dec_payload *pl, struct dec_message *m, dec_emit_fn emit,
	       void *arg)
{
	const uint8_t *p = pl->data.p;
	size_t len = pl->data.len;

	dec_stack_push(m, "gsmtap");
	snprintf(m->protocol, sizeof(m->protocol), "gsmtap");
	if (len < 16 || p[0] != 2 || (size_t)p[1] * 4 < 16 || (size_t)p[1] * 4 > len) {
		if (len < 2)
			dec_anomaly(m, "GSMTAP header of %zu octets", len);
		else
			dec_anomaly(m, "GSMTAP version %u header %u words in %zu octets (want version 2, >= 4 words)",
				    p[0], p[1], len);
		return dec_emit(ctx, m, emit, arg);
	}
	uint8_t type = p[2], ts = p[3], sub = p[12], subslot = p[14];
	uint16_t arfcn = (uint16_t)(p[4] << 8 | p[5]);
	bool uplink = (arfcn & 0x4000) != 0;
	struct dec_view body = { p + (size_t)p[1] * 4, len - (size_t)p[1] * 4 };
	uint32_t chan_key = (uint32_t)(arfcn & 0xffff) | (uint32_t)(ts & 7) << 16 | (uint32_t)(subslot & 7) << 19 |
			    (uint32_t)((sub & 0x0f) | (sub & 0x80 ? 0x10 : 0)) << 22;

	if (type == GSMTAP_TYPE_ABIS) {
		dec_stack_push(m, "gsm_a.dtap");
		dec_gsm48_l3(ctx, m, body, uplink);
	} else if (type == GSMTAP_TYPE_UM) {
		uint8_t ch = sub & 0x7f;
		bool acch = (sub & CH_ACCH) != 0;
		if (!acch && (ch == CH_BCCH || ch == CH_CCCH || ch == CH_AGCH || ch == CH_PCH)) {
			/* L2 pseudo length (TS 44.018 10.5.2.19), then an RR message */
			dec_stack_push(m, "gsm_a.ccch");
			if (body.len < 1 || (body.p[0] >> 2) > body.len - 1) {
				dec_anomaly(m, "L2 pseudo length exceeds the %zu-octet block (TS 44.018 10.5.2.19)",
					    body.len);
			} else {
				struct dec_view l3 = { body.p + 1, (size_t)(body.p[0] >> 2) };
				dec_gsm48_l3(ctx, m, l3, uplink);
			}
		} else if (ch >= CH_SDCCH && ch <= CH_TCH_H) {
			struct dec_view f = body, l3;
			if (acch) { /* SACCH: L1 header (power, timing advance), TS 44.004 7.1 */
				if (f.len < 2) {
					dec_anomaly(m, "SACCH block without its L1 header");
					return dec_emit(ctx, m, emit, arg);
				}
				f.p += 2;
				f.len -= 2;
			}
			dec_stack_push(m, "lapdm");
			if (lapdm(ctx, m, f, chan_key, &l3) == 0) {
				dec_stack_push(m, "gsm_a.dtap");
				dec_gsm48_l3(ctx, m, l3, uplink);
			}
		}
	}
	return dec_emit(ctx, m, emit, arg);
}
