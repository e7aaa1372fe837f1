/*
 * tcap.c - ITU-T Q.773 Transaction Capabilities, BER encoded (X.690).
 *
 * Reads the message type (Unidirectional, Begin, Continue, End, Abort;
 * Q.773 4.2.1, Table 8), the originating/destination transaction ids (1-4
 * octets, Table 10), the dialogue portion (Q.773 4.2.2; dialogue PDUs of
 * Q.773 Annex A: AARQ/AARE/ABRT) for its application-context-name OID, and
 * the component portion (Q.773 4.2.3): invoke, returnResultLast,
 * returnResultNotLast, returnError, reject with invoke id, local operation
 * code and local error code.  One dec_message is emitted per component (the
 * message is copied for each); a TCAP message without components is
 * emitted once.  MAP components (3GPP TS 29.002 17.2; a MAP application
 * context, or MAP subsystem numbers when the dialogue portion is absent)
 * go to dec_map_component(); the MAP-OpenInfo of the dialogue (29.002
 * 7.3.1 / 17.1) supplies the IMSI when the destination or origination
 * reference is one (numbering plan E.212).
 *
 * Lengths: short and long definite forms up to 4 length octets; the
 * indefinite form is rejected with an anomaly (docs/decoders-ss7.md).
 */
#include "decode/ss7.h"

#include <stdio.h>

/* Q.773 Table 8 / 9 tags. */
#define TC_UNI 0x61
#define TC_BEGIN 0x62
#define TC_END 0x64
#define TC_CONTINUE 0x65
#define TC_ABORT 0x67
#define TC_OTID 0x48
#define TC_DTID 0x49
#define TC_PABORT 0x4a
#define TC_DIALOGUE 0x6b
#define TC_COMPONENTS 0x6c

/*
 * MAP operation names, 3GPP TS 29.002 17.5 (Wireshark's gsm_old.localValue
 * spelling).  Fixed-width rows ("" = no operation): a name is copied as one
 * constant-size block, no strlen() per message.  A name of MAP_OP_WIDTH or
 * more characters would lose its NUL, so the width leaves room to spare.
 */
#define MAP_OP_WIDTH 40
_Static_assert(MAP_OP_WIDTH <= DEC_NAME_SIZE, "a row fits dec_message.operation");
static const char map_ops[][MAP_OP_WIDTH] = {
	[2] = "updateLocation",
	[3] = "cancelLocation",
	[4] = "provideRoamingNumber",
	[5] = "noteSubscriberDataModified",
	[6] = "resumeCallHandling",
	[7] = "insertSubscriberData",
	[8] = "deleteSubscriberData",
	[9] = "sendParameters",
	[10] = "registerSS",
	[11] = "eraseSS",
	[12] = "activateSS",
	[13] = "deactivateSS",
	[14] = "interrogateSS",
	[15] = "authenticationFailureReport",
	[16] = "notifySS",
	[17] = "registerPassword",
	[18] = "getPassword",
	[19] = "processUnstructuredSS-Data",
	[20] = "releaseResources",
	[21] = "mt-ForwardSM-VGCS",
	[22] = "sendRoutingInfo",
	[23] = "updateGprsLocation",
	[24] = "sendRoutingInfoForGprs",
	[25] = "failureReport",
	[26] = "noteMsPresentForGprs",
	[28] = "performHandover",
	[29] = "sendEndSignal",
	[30] = "performSubsequentHandover",
	[31] = "provideSIWFSNumber",
	[32] = "sIWFSSignallingModify",
	[33] = "processAccessSignalling",
	[34] = "forwardAccessSignalling",
	[35] = "noteInternalHandover",
	[36] = "cancelVcsgLocation",
	[37] = "reset",
	[38] = "forwardCheckSS-Indication",
	[39] = "prepareGroupCall",
	[40] = "sendGroupCallEndSignal",
	[41] = "processGroupCallSignalling",
	[42] = "forwardGroupCallSignalling",
	[43] = "checkIMEI",
	[44] = "mt-forwardSM",
	[45] = "sendRoutingInfoForSM",
	[46] = "mo-forwardSM",
	[47] = "reportSM-DeliveryStatus",
	[48] = "noteSubscriberPresent",
	[49] = "alertServiceCentreWithoutResult",
	[50] = "activateTraceMode",
	[51] = "deactivateTraceMode",
	[52] = "traceSubscriberActivity",
	[53] = "updateVcsgLocation",
	[54] = "beginSubscriberActivity",
	[55] = "sendIdentification",
	[56] = "sendAuthenticationInfo",
	[57] = "restoreData",
	[58] = "sendIMSI",
	[59] = "processUnstructuredSS-Request",
	[60] = "unstructuredSS-Request",
	[61] = "unstructuredSS-Notify",
	[62] = "anyTimeSubscriptionInterrogation",
	[63] = "informServiceCentre",
	[64] = "alertServiceCentre",
	[65] = "anyTimeModification",
	[66] = "readyForSM",
	[67] = "purgeMS",
	[68] = "prepareHandover",
	[69] = "prepareSubsequentHandover",
	[70] = "provideSubscriberInfo",
	[71] = "anyTimeInterrogation",
	[72] = "ss-InvocationNotification",
	[73] = "setReportingState",
	[74] = "statusReport",
	[75] = "remoteUserFree",
	[76] = "registerCC-Entry",
	[77] = "eraseCC-Entry",
	[78] = "secureTransportClass1",
	[79] = "secureTransportClass2",
	[80] = "secureTransportClass3",
	[81] = "secureTransportClass4",
	[83] = "provideSubscriberLocation",
	[84] = "sendGroupCallInfo",
	[85] = "sendRoutingInfoForLCS",
	[86] = "subscriberLocationReport",
	[87] = "ist-Alert",
	[88] = "ist-Command",
	[89] = "noteMM-Event",
};

/*
 * The operation's name as Wireshark shows it: opcodes 44 and 46 are the
 * version 1/2 forwardSM when the application context says so (29.002
 * 17.6.1: mt/mo split came with version 3).
 */
static void map_op_name(struct dec_message *m)
{
	int op = m->opcode;
	if ((op == 44 || op == 46) && m->map_version >= 1 && m->map_version < 3)
		ss7_set(m->operation, sizeof(m->operation), "forwardSM");
	else if (op >= 0 && (size_t)op < sizeof(map_ops) / sizeof(map_ops[0]) && map_ops[op][0])
		memcpy(m->operation, map_ops[op], MAP_OP_WIDTH);
	else if (op >= 0)
		snprintf(m->operation, sizeof(m->operation), "unknown MAP (%d)", op);
}

/* An OBJECT IDENTIFIER (X.690 8.19) as dotted text; -1 when malformed or too long. */
static int oid_text(struct dec_view v, char *out, size_t size, uint32_t *arcs, int max_arcs, int *n_arcs)
{
	size_t n = 0;
	int k = 0;
	uint32_t x = 0;
	bool first = true;

	if (v.len == 0)
		return -1;
	out[0] = '\0';
	for (size_t i = 0; i < v.len; i++) {
		if (x > (UINT32_MAX >> 7))
			return -1;
		x = (x << 7) | (v.p[i] & 0x7f);
		if (v.p[i] & 0x80) {
			if (i + 1 == v.len)
				return -1; /* last octet must end an arc */
			continue;
		}
		uint32_t a[2] = { x, 0 };
		int na = 1;
		if (first) { /* 8.19.4: the first subidentifier holds the first two arcs */
			a[0] = x < 80 ? x / 40 : 2;
			a[1] = x - a[0] * 40;
			na = 2;
			first = false;
		}
		for (int j = 0; j < na; j++) {
			/* Digits by hand: this runs for every arc of every dialogue's ACN. */
			char dig[11];
			size_t nd = 0;
			uint32_t val = a[j];
			do {
				dig[nd++] = (char)('0' + val % 10);
				val /= 10;
			} while (val);
			if (n + (n ? 1 : 0) + nd >= size)
				return -1;
			if (n)
				out[n++] = '.';
			while (nd)
				out[n++] = dig[--nd];
			out[n] = '\0';
			if (k < max_arcs)
				arcs[k] = a[j];
			k++;
		}
		x = 0;
	}
	*n_arcs = k;
	return 0;
}

/* Append 0..127 in decimal. */
static size_t small_dec(char *out, unsigned v)
{
	size_t n = 0;
	if (v >= 100)
		out[n++] = (char)('0' + v / 100);
	if (v >= 10)
		out[n++] = (char)('0' + v / 10 % 10);
	out[n++] = (char)('0' + v % 10);
	return n;
}

/*
 * A MAP application context 0.4.0.0.1.0.<ac>.<version> (29.002 17.3.2) is
 * the OID of nearly every dialogue: its seven octets 04 00 00 01 00 ac v
 * are turned into text without the general walk.  Same result as
 * oid_text(); false when @v is not such an OID.
 */
static bool oid_map_text(struct dec_view v, char *out, size_t size, uint32_t *arcs, int *n_arcs)
{
	static const uint8_t prefix[5] = { 0x04, 0x00, 0x00, 0x01, 0x00 };
	if (v.len != 7 || memcmp(v.p, prefix, 5) != 0 || (v.p[5] | v.p[6]) & 0x80 || size < 20)
		return false;
	memcpy(out, "0.4.0.0.1.0.", 12);
	size_t n = 12;
	n += small_dec(out + n, v.p[5]);
	out[n++] = '.';
	n += small_dec(out + n, v.p[6]);
	out[n] = '\0';
	static const uint32_t head[6] = { 0, 4, 0, 0, 1, 0 };
	memcpy(arcs, head, sizeof(head));
	arcs[6] = v.p[5];
	arcs[7] = v.p[6];
	*n_arcs = 8;
	return true;
}

struct tc_dialogue {
	struct dec_view acn; /* OID contents */
	struct dec_view dest_ref, orig_ref; /* MAP-OpenInfo AddressStrings */
};

/* MAP-OpenInfo in the AARQ user-information (29.002 17.1: map-open [0]). */
static void tc_map_open(struct dec_view ui, struct tc_dialogue *d)
{
	struct dec_cursor c = ber_cursor(ui);
	struct ber_tlv t;
	/* user-information [30] SEQUENCE OF EXTERNAL { OID, single-ASN1-type [0] MAP-DialoguePDU } */
	while (ber_next(&c, &t) == BER_OK) {
		if (t.id != 0x28)
			continue;
		struct dec_cursor e = ber_cursor(t.val);
		struct ber_tlv x;
		while (ber_next(&e, &x) == BER_OK) {
			if (x.id != 0xa0)
				continue;
			struct dec_cursor p = ber_cursor(x.val);
			struct ber_tlv pdu;
			if (ber_next(&p, &pdu) != BER_OK || pdu.id != 0xa0) /* map-open */
				return;
			struct dec_cursor o = ber_cursor(pdu.val);
			struct ber_tlv r;
			while (ber_next(&o, &r) == BER_OK) {
				if (r.id == 0x80)
					d->dest_ref = r.val;
				else if (r.id == 0x81)
					d->orig_ref = r.val;
			}
			return;
		}
	}
}

/* Q.773 4.2.2: dialogue portion [APPLICATION 11] EXTERNAL { OID, [0] DialoguePDU }. */
static void tc_dialogue(struct dec_message *m, struct dec_view v, struct tc_dialogue *d)
{
	struct dec_cursor c = ber_cursor(v);
	struct ber_tlv ext, t;
	int rc = ber_next(&c, &ext);
	if (rc != BER_OK || ext.id != 0x28) {
		dec_anomaly(m, "tcap: dialogue portion without EXTERNAL (%s)", rc ? ber_strerror(rc) : "other tag");
		return;
	}
	struct dec_cursor e = ber_cursor(ext.val);
	while ((rc = ber_next(&e, &t)) == BER_OK) {
		if (t.id != 0xa0) /* direct-reference OID (dialogue-as-id), indirect-reference ... */
			continue;
		struct dec_cursor p = ber_cursor(t.val);
		struct ber_tlv pdu, f;
		if ((rc = ber_next(&p, &pdu)) != BER_OK)
			break;
		/* AARQ 0x60 / AARE 0x61 carry application-context-name [1]; ABRT 0x64 / AUDT none. */
		struct dec_cursor q = ber_cursor(pdu.val);
		while ((rc = ber_next(&q, &f)) == BER_OK) {
			if (f.id == 0xa1) {
				struct dec_cursor o = ber_cursor(f.val);
				struct ber_tlv oid;
				if (ber_next(&o, &oid) == BER_OK && oid.id == 0x06)
					d->acn = oid.val;
				else
					dec_anomaly(m, "tcap: application-context-name is not an OID");
			} else if (f.id == 0xbe) {
				tc_map_open(f.val, d);
			}
		}
		if (rc < 0)
			dec_anomaly(m, "tcap: dialogue PDU: %s", ber_strerror(rc));
		return;
	}
	if (rc < 0)
		dec_anomaly(m, "tcap: dialogue portion: %s", ber_strerror(rc));
}

/* 3GPP TS 23.003 8.2 / 29.002: MAP subsystem numbers. */
static bool map_ssn(const struct dec_sccp_addr *a)
{
	if (!a->has_ssn)
		return false;
	switch (a->ssn) {
	case 5: case 6: case 7: case 8: case 9: case 10: case 147: case 149:
		return true;
	default:
		return false;
	}
}

/* A transaction id, 1-4 octets (Q.773 Table 10). */
static bool tc_tid(struct dec_message *m, struct ber_tlv *t, uint32_t *out, const char *what)
{
	if (t->val.len < 1 || t->val.len > 4) {
		dec_anomaly(m, "tcap: %s of %zu octets, expected 1-4", what, t->val.len);
		return false;
	}
	uint32_t x = 0;
	for (size_t i = 0; i < t->val.len; i++)
		x = x << 8 | t->val.p[i];
	*out = x;
	return true;
}

/*
 * set_operation_component() - the operation named by the component type
 * (c->component, set from the same literals).  The names are fixed rows
 * copied as one block: no strlen(), and no reading back of c->component
 * just written (a store-forwarding stall).
 */
static const char tc_comp_names[][16] = { "invoke", "returnResult", "returnError", "reject" };

static void set_operation_component(struct dec_message *c, int comp)
{
	_Static_assert(sizeof(tc_comp_names[0]) <= sizeof(c->operation), "a name fits operation");
	_Static_assert(sizeof(tc_comp_names[0]) == sizeof(c->component), "names fit component as it cuts them");
	memcpy(c->operation, tc_comp_names[comp], sizeof(tc_comp_names[0]));
}

/*
 * One component (Q.773 4.2.3, Table 13-18): fill @c's component fields,
 * hand a MAP one to map.c, emit it.
 */
static int tc_component(struct dec_context *ctx, struct dec_message *c, struct ber_tlv *comp, bool is_map,
			const struct tc_dialogue *d, dec_emit_fn emit, void *arg)
{
	struct dec_cursor k = ber_cursor(comp->val);
	struct ber_tlv t;
	struct dec_view param = { 0 };
	int rc;

	int cn; /* tc_comp_names[cn] */
	switch (comp->id) {
	case 0xa1: cn = 0; break;
	case 0xa2: cn = 1; break;
	case 0xa3: cn = 2; break;
	case 0xa4: cn = 3; break;
	case 0xa7: /* returnResultNotLast: named as its Last sibling (decode.h's four names) */
		cn = 1;
		break;
	default:
		dec_anomaly(c, "tcap: component tag 0x%02x is not a component type", comp->id);
		return dec_emit(ctx, c, emit, arg);
	}
	memcpy(c->component, tc_comp_names[cn], sizeof(c->component));
	/* invokeID INTEGER (reject: or NULL). */
	rc = ber_next(&k, &t);
	if (rc == BER_OK && t.id == 0x02) {
		long id = ber_uint(t.val);
		if (id < 0 && t.val.len == 1) /* -128..-1: two's complement octet */
			id = t.val.p[0];
		c->invoke_id = (int)(id < 0 ? -1 : id);
	} else if (!(rc == BER_OK && comp->id == 0xa4 && t.id == 0x05)) {
		dec_anomaly(c, "tcap: %s without invoke id", c->component);
		goto out;
	}
	switch (comp->id) {
	case 0xa1: /* invoke: [linkedID [0]], opcode, [parameter] */
		rc = ber_next(&k, &t);
		if (rc == BER_OK && t.id == 0x80)
			rc = ber_next(&k, &t);
		if (rc != BER_OK || (t.id != 0x02 && t.id != 0x06)) {
			dec_anomaly(c, "tcap: invoke without operation code");
			goto out;
		}
		if (t.id == 0x02 && (c->opcode = (int)ber_uint(t.val)) < 0)
			dec_anomaly(c, "tcap: local operation code of %zu octets is not 0..2^31", t.val.len);
		rc = ber_next(&k, &t);
		if (rc == BER_OK)
			param = t.all;
		else if (rc < 0)
			dec_anomaly(c, "tcap: invoke parameter: %s", ber_strerror(rc));
		rc = BER_OK;
		break;
	case 0xa2:
	case 0xa7: /* returnResult: [SEQUENCE { opcode, parameter }] */
		rc = ber_next(&k, &t);
		if (rc == BER_END)
			break;
		if (rc != BER_OK || t.id != 0x30) {
			dec_anomaly(c, "tcap: %s result is not a SEQUENCE", c->component);
			goto out;
		} else {
			struct dec_cursor r = ber_cursor(t.val);
			struct ber_tlv op;
			if (ber_next(&r, &op) == BER_OK && (op.id == 0x02 || op.id == 0x06)) {
				if (op.id == 0x02 && (c->opcode = (int)ber_uint(op.val)) < 0)
					dec_anomaly(c, "tcap: local operation code of %zu octets is not 0..2^31",
						    op.val.len);
				int prc = ber_next(&r, &t);
				if (prc == BER_OK)
					param = t.all;
				else if (prc < 0)
					dec_anomaly(c, "tcap: result parameter: %s", ber_strerror(prc));
			} else {
				dec_anomaly(c, "tcap: %s result without operation code", c->component);
			}
		}
		break;
	case 0xa3: /* returnError: errorCode, [parameter] */
		rc = ber_next(&k, &t);
		if (rc != BER_OK || (t.id != 0x02 && t.id != 0x06)) {
			dec_anomaly(c, "tcap: returnError without error code");
			goto out;
		}
		if (t.id == 0x02)
			c->error_code = (int)ber_uint(t.val);
		break;
	default: /* reject: problem [0]-[3] */
		break;
	}
	if (rc < 0)
		dec_anomaly(c, "tcap: component: %s", ber_strerror(rc));
out:
	if (is_map) {
		dec_stack_push(c, "gsm_map");
		ss7_set(c->protocol, sizeof(c->protocol), "gsm_map");
		if (c->opcode >= 0)
			map_op_name(c);
		else
			set_operation_component(c, cn);
		if (param.len)
			dec_map_component(ctx, c, param);
		/* MAP-OpenInfo (29.002 17.1): the IMSI when a reference is one (NPI E.212). */
		const struct dec_view refs[2] = { d->dest_ref, d->orig_ref };
		for (int i = 0; i < 2 && !c->imsi[0]; i++)
			if (refs[i].len >= 2 && (refs[i].p[0] & 0x0f) == 6 &&
			    dec_tbcd(refs[i].p + 1, refs[i].len - 1, c->imsi, sizeof(c->imsi)) < 0)
				c->imsi[0] = '\0';
	} else {
		set_operation_component(c, cn);
	}
	return dec_emit(ctx, c, emit, arg);
}

int dec_tcap(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg)
{
	struct dec_cursor c = ber_cursor(v);
	struct ber_tlv msg, t;
	struct tc_dialogue d = { { 0 }, { 0 }, { 0 } };
	struct dec_view comps = { 0 };
	bool has_comps = false;
	int rc;

	dec_stack_push(m, "tcap");
	ss7_set(m->protocol, sizeof(m->protocol), "tcap");
	rc = ber_next(&c, &msg);
	if (rc != BER_OK) {
		dec_anomaly(m, "tcap: message: %s", ber_strerror(rc));
		return dec_emit(ctx, m, emit, arg);
	}
	/*
	 * The operation is the type, cut as tcap_type cuts it.  Both are set
	 * from the literal: copying the field just written would stall on
	 * store forwarding.
	 */
#define TC_TYPE(name)                                                      \
	do {                                                               \
		ss7_set(m->tcap_type, sizeof(m->tcap_type), name);         \
		ss7_set(m->operation, sizeof(m->tcap_type), name);         \
	} while (0)
	switch (msg.id) {
	case TC_UNI: TC_TYPE("unidirectional"); break;
	case TC_BEGIN: TC_TYPE("begin"); break;
	case TC_END: TC_TYPE("end"); break;
	case TC_CONTINUE: TC_TYPE("continue"); break;
	case TC_ABORT: TC_TYPE("abort"); break;
	default:
		dec_anomaly(m, "tcap: message tag 0x%02x is not a TCAP message type", msg.id);
		return dec_emit(ctx, m, emit, arg);
	}
#undef TC_TYPE
	if (c.left)
		dec_anomaly(m, "tcap: %zu octets after the message", c.left);

	struct dec_cursor b = ber_cursor(msg.val);
	while ((rc = ber_next(&b, &t)) == BER_OK) {
		switch (t.id) {
		case TC_OTID:
			m->has_otid = tc_tid(m, &t, &m->otid, "otid");
			break;
		case TC_DTID:
			m->has_dtid = tc_tid(m, &t, &m->dtid, "dtid");
			break;
		case TC_DIALOGUE:
			tc_dialogue(m, t.val, &d);
			break;
		case TC_COMPONENTS:
			comps = t.val;
			has_comps = true;
			break;
		case TC_PABORT:
			break;
		default:
			dec_anomaly(m, "tcap: unexpected element 0x%02x in %s", t.id, m->tcap_type);
			break;
		}
	}
	if (rc < 0)
		dec_anomaly(m, "tcap: %s: %s", m->tcap_type, ber_strerror(rc));
	if ((msg.id == TC_BEGIN || msg.id == TC_CONTINUE) && !m->has_otid)
		dec_anomaly(m, "tcap: %s without otid", m->tcap_type);
	if ((msg.id == TC_END || msg.id == TC_CONTINUE || msg.id == TC_ABORT) && !m->has_dtid)
		dec_anomaly(m, "tcap: %s without dtid", m->tcap_type);

	/* Application context: MAP's are 0.4.0.0.1.0.<ac>.<version> with ac < 50 (29.002 17.3). */
	bool is_map = false, acn_known = false;
	if (d.acn.len) {
		uint32_t arcs[8];
		int n = 0;
		if (!oid_map_text(d.acn, m->acn, sizeof(m->acn), arcs, &n) &&
		    oid_text(d.acn, m->acn, sizeof(m->acn), arcs, 8, &n) < 0) {
			m->acn[0] = '\0';
			dec_anomaly(m, "tcap: application-context-name OID malformed or too long");
		} else {
			acn_known = true;
			static const uint32_t map_prefix[6] = { 0, 4, 0, 0, 1, 0 };
			is_map = n == 8 && memcmp(arcs, map_prefix, sizeof(map_prefix)) == 0 && arcs[6] < 50;
			if (is_map)
				m->map_version = (int)arcs[7];
		}
	}
	if (!acn_known)
		is_map = map_ssn(&m->called) || map_ssn(&m->calling);

	if (!has_comps || comps.len == 0) /* dialogue only, or abort: TCAP's message */
		return dec_emit(ctx, m, emit, arg);
	int emitted = 0;
	struct dec_cursor k = ber_cursor(comps);
	while ((rc = ber_next(&k, &t)) == BER_OK) {
		/*
		 * One message per component.  The last one (nearly always the only
		 * one) is decoded in @m itself: copying the ~3 KB message for
		 * every component was a sixth of the decoding time.  @m is not
		 * needed after it, since an empty cursor cannot fail.
		 */
		if (k.left == 0) {
			emitted += tc_component(ctx, m, &t, is_map, &d, emit, arg);
			break;
		}
		struct dec_message cm;
		dec_message_copy(&cm, m);
		emitted += tc_component(ctx, &cm, &t, is_map, &d, emit, arg);
	}
	if (rc < 0) {
		dec_anomaly(m, "tcap: component portion: %s", ber_strerror(rc));
		emitted += dec_emit(ctx, m, emit, arg);
	}
	return emitted;
}
