/*
 * ranap.c - 3GPP TS 25.413 RANAP (Iu-CS/Iu-PS over SCCP, SSN 142), a
 * minimal ASN.1 aligned-PER walker (ITU-T X.691) for what carries
 * identities:
 *
 *   RANAP-PDU ::= CHOICE { initiatingMessage, successfulOutcome,
 *                          unsuccessfulOutcome, outcome, ... }
 *     first octet: extension bit + 2-bit index (0x00/0x20/0x40/0x60)
 *   procedureCode  INTEGER (0..255)            one octet
 *   criticality    ENUMERATED (3 values)       2 bits, padded to the octet
 *   value          open type                   length determinant + octets
 *     message SEQUENCE: extension + optional bit (one padded octet), then
 *     ProtocolIE-Container: count (0..65535, two octets), each IE:
 *       id (two octets), criticality (one padded octet), open type
 *
 * IE 16 NAS-PDU (an unconstrained OCTET STRING: its own length determinant)
 * goes to dec_gsm48_l3(); IE 23 PermanentNAS-UE-ID (CHOICE { iMSI
 * TBCD-STRING (SIZE (3..8)), ... }) gives the IMSI of CommonID and Paging.
 * The operation is the message name as Wireshark shows it
 * ("InitialUE-Message", "Iu-ReleaseCommand" ...), replaced by the 04.08
 * message name when a NAS-PDU is decoded.
 *
 * Length determinants (X.691 10.9): short form (< 128) and long form
 * (10xxxxxx + one octet, < 16384); the fragmented form (11xxxxxx) is
 * reported as an anomaly and decoding stops.  Every length is checked
 * against what is left.  Reads borrowed views; allocates nothing.
 */
#include "decode/ss7.h"

#include <stdio.h>

#define RANAP_IE_NAS_PDU 16
#define RANAP_IE_PERMANENT_NAS_UE_ID 23
#define RANAP_PROC_INITIAL_UE 19

/* Message names by procedure code (TS 25.413 9.3.6) and PDU choice, as Wireshark shows them. */
struct ranap_proc {
	const char *proc;		  /* procedure, when no message name below */
	const char *init, *succ, *unsucc; /* initiating / successful / unsuccessful message */
};

static const struct ranap_proc procs[] = {
	[0] = { "RAB-Assignment", "RAB-AssignmentRequest", NULL, NULL },
	[1] = { "Iu-Release", "Iu-ReleaseCommand", "Iu-ReleaseComplete", NULL },
	[2] = { "RelocationPreparation", "RelocationRequired", "RelocationCommand", "RelocationPreparationFailure" },
	[3] = { "RelocationResourceAllocation", "RelocationRequest", "RelocationRequestAcknowledge",
		"RelocationFailure" },
	[4] = { "RelocationCancel", "RelocationCancel", "RelocationCancelAcknowledge", NULL },
	[5] = { "SRNS-ContextTransfer", "SRNS-ContextRequest", "SRNS-ContextResponse", NULL },
	[6] = { "SecurityModeControl", "SecurityModeCommand", "SecurityModeComplete", "SecurityModeReject" },
	[7] = { "DataVolumeReport", "DataVolumeReportRequest", "DataVolumeReport", NULL },
	[9] = { "Reset", "Reset", "ResetAcknowledge", NULL },
	[10] = { "RAB-ReleaseRequest", "RAB-ReleaseRequest", NULL, NULL },
	[11] = { "Iu-ReleaseRequest", "Iu-ReleaseRequest", NULL, NULL },
	[12] = { "RelocationDetect", "RelocationDetect", NULL, NULL },
	[13] = { "RelocationComplete", "RelocationComplete", NULL, NULL },
	[14] = { "Paging", "Paging", NULL, NULL },
	[15] = { "CommonID", "CommonID", NULL, NULL },
	[16] = { "CN-InvokeTrace", "CN-InvokeTrace", NULL, NULL },
	[17] = { "LocationReportingControl", "LocationReportingControl", NULL, NULL },
	[18] = { "LocationReport", "LocationReport", NULL, NULL },
	[19] = { "InitialUE-Message", "InitialUE-Message", NULL, NULL },
	[20] = { "DirectTransfer", "DirectTransfer", NULL, NULL },
	[21] = { "OverloadControl", "Overload", NULL, NULL },
	[22] = { "ErrorIndication", "ErrorIndication", NULL, NULL },
	[23] = { "SRNS-DataForward", "SRNS-DataForwardCommand", NULL, NULL },
	[24] = { "ForwardSRNS-Context", "ForwardSRNS-Context", NULL, NULL },
	[25] = { "privateMessage", "PrivateMessage", NULL, NULL },
	[26] = { "CN-DeactivateTrace", "CN-DeactivateTrace", NULL, NULL },
	[27] = { "ResetResource", "ResetResource", "ResetResourceAcknowledge", NULL },
	[28] = { "RANAP-Relocation", "RANAP-RelocationInformation", NULL, NULL },
	[29] = { "RAB-ModifyRequest", "RAB-ModifyRequest", NULL, NULL },
	[30] = { "LocationRelatedData", "LocationRelatedDataRequest", "LocationRelatedDataResponse",
		 "LocationRelatedDataFailure" },
	[31] = { "InformationTransfer", "InformationTransferIndication", "InformationTransferConfirmation",
		 "InformationTransferFailure" },
	[32] = { "UESpecificInformation", "UESpecificInformationIndication", NULL, NULL },
	[33] = { "UplinkInformationExchange", "UplinkInformationExchangeRequest",
		 "UplinkInformationExchangeResponse", "UplinkInformationExchangeFailure" },
	[34] = { "DirectInformationTransfer", "DirectInformationTransfer", NULL, NULL },
};

static void ranap_name(struct dec_message *m, unsigned choice, unsigned code)
{
	const struct ranap_proc *p = code < sizeof(procs) / sizeof(procs[0]) ? &procs[code] : NULL;
	const char *name = NULL;
	if (p && p->proc) {
		if (code == 0 && choice == 3)
			name = "RAB-AssignmentResponse"; /* RAB-Assignment answers with an outcome */
		else
			name = choice == 0 ? p->init : choice == 1 ? p->succ : choice == 2 ? p->unsucc : NULL;
		if (!name)
			name = p->proc;
	}
	if (name)
		ss7_set(m->operation, sizeof(m->operation), name);
	else
		snprintf(m->operation, sizeof(m->operation), "RANAP procedure %u", code);
}

/*
 * An aligned-PER length determinant (X.691 10.9.3.6-10.9.3.8) at @c.
 * Returns 0 with the length, -1 when cut, -2 for the fragmented form.
 */
static int per_length(struct dec_cursor *c, size_t *len)
{
	uint8_t b, b2;
	if (dec_cur_u8(c, &b) < 0)
		return -1;
	if (!(b & 0x80)) {
		*len = b;
		return 0;
	}
	if ((b & 0xc0) == 0xc0)
		return -2;
	if (dec_cur_u8(c, &b2) < 0)
		return -1;
	*len = (size_t)(b & 0x3f) << 8 | b2;
	return 0;
}

/* An open type or OCTET STRING: length determinant + contents.  Returns 0, or -1 (anomaly). */
static int per_octets(struct dec_message *m, struct dec_cursor *c, struct dec_view *out, const char *what)
{
	size_t len = 0;
	int rc = per_length(c, &len);
	if (rc == -2) {
		dec_anomaly(m, "ranap: %s uses a fragmented PER length (X.691 10.9.3.8.4): not supported", what);
		return -1;
	}
	if (rc < 0 || dec_cur_take(c, len, out) < 0) {
		dec_anomaly(m, "ranap: %s cut (%zu octets left)", what, c->left);
		return -1;
	}
	return 0;
}

/* PermanentNAS-UE-ID (TS 25.413 9.2.3.1): CHOICE { iMSI IMSI, ... }, IMSI ::= TBCD-STRING (SIZE (3..8)). */
static void permanent_id(struct dec_message *m, struct dec_view v)
{
	if (v.len < 1)
		goto bad;
	if (v.p[0] & 0x80)
		return; /* an extension alternative: not an IMSI */
	size_t len = 3 + ((v.p[0] >> 4) & 7);
	if (len > 8 || len > v.len - 1)
		goto bad;
	char d[20];
	int n = dec_tbcd(v.p + 1, len, d, sizeof(d));
	if (n < 6 || n > 15)
		goto bad;
	for (int k = 0; k < n; k++)
		if (d[k] < '0' || d[k] > '9')
			goto bad;
	memcpy(m->imsi, d, (size_t)n + 1);
	return;
bad:
	dec_anomaly(m, "ranap: bad PermanentNAS-UE-ID (%zu octets, TS 25.413 9.2.3.1)", v.len);
}

int dec_ranap(struct dec_context *ctx, struct dec_message *m, struct dec_view v, dec_emit_fn emit, void *arg)
{
	struct dec_cursor c = { v.p, v.len };
	uint8_t choice_oct, code, crit;
	struct dec_view value, ie_val, nas;

	dec_stack_push(m, "ranap");
	ss7_set(m->protocol, sizeof(m->protocol), "ranap");
	if (dec_cur_u8(&c, &choice_oct) < 0 || dec_cur_u8(&c, &code) < 0 || dec_cur_u8(&c, &crit) < 0) {
		dec_anomaly(m, "ranap: PDU of %zu octets cut in its header", v.len);
		return dec_emit(ctx, m, emit, arg);
	}
	if (choice_oct & 0x80) {
		dec_anomaly(m, "ranap: RANAP-PDU extension choice 0x%02x", choice_oct);
		return dec_emit(ctx, m, emit, arg);
	}
	unsigned choice = (choice_oct >> 5) & 3;
	ranap_name(m, choice, code);
	if (per_octets(m, &c, &value, "message value") < 0)
		return dec_emit(ctx, m, emit, arg);
	if (c.left)
		dec_anomaly(m, "ranap: %zu octets after the PDU", c.left);

	/* The message SEQUENCE: one octet of extension/optional bits, then the IE count. */
	struct dec_cursor mc = { value.p, value.len };
	uint8_t pre, n_hi, n_lo;
	if (dec_cur_u8(&mc, &pre) < 0 || dec_cur_u8(&mc, &n_hi) < 0 || dec_cur_u8(&mc, &n_lo) < 0) {
		dec_anomaly(m, "ranap: %s cut before its ProtocolIE-Container", m->operation);
		return dec_emit(ctx, m, emit, arg);
	}
	unsigned n = (unsigned)n_hi << 8 | n_lo;
	bool have_nas = false;
	for (unsigned i = 0; i < n; i++) {
		struct dec_view id;
		if (dec_cur_take(&mc, 2, &id) < 0 || dec_cur_u8(&mc, &crit) < 0) {
			dec_anomaly(m, "ranap: IE %u of %u cut in its id/criticality", i + 1, n);
			break;
		}
		if (per_octets(m, &mc, &ie_val, "IE value") < 0)
			break;
		unsigned ie = (unsigned)id.p[0] << 8 | id.p[1];
		if (ie == RANAP_IE_NAS_PDU && !have_nas) {
			struct dec_cursor ic = { ie_val.p, ie_val.len };
			if (per_octets(m, &ic, &nas, "NAS-PDU") == 0) {
				have_nas = true;
			}
		} else if (ie == RANAP_IE_PERMANENT_NAS_UE_ID) {
			permanent_id(m, ie_val);
		}
	}
	if (have_nas) {
		dec_stack_push(m, "gsm_a.dtap");
		dec_gsm48_l3(ctx, m, nas, choice == 0 && code == RANAP_PROC_INITIAL_UE);
	}
	return dec_emit(ctx, m, emit, arg);
}
