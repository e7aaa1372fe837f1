/*
 * decode.h - signalling decoders: shared types, the decoded-message record
 * and the decoder registry.
 *
 * Ownership (STYLE.md): decoders read borrowed views into the current
 * packet and never allocate per message.  What a decoder keeps is copied
 * into the fixed-size fields of struct dec_message, which the caller owns
 * (usually on its stack or in a reused buffer).  A malformed PDU is not an
 * error of the program: the decoder records an anomaly on the message and
 * returns a negative code; the caller counts it and carries on.
 *
 * Layering inside decode/: a lower layer's decoder calls the next one up
 * (m3ua -> sccp -> tcap -> map -> sms_tpdu), each filling its part of the
 * same struct dec_message.  Transport-level framing (Ethernet, IP, SCTP,
 * TCP, UDP) is ingest/pcap.c's job; it hands payloads to dec_dispatch().
 */
#ifndef SS_DECODE_DECODE_H
#define SS_DECODE_DECODE_H

#include "core/time.h"
#include "event/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A borrowed byte range: never freed, valid while the packet is. */
struct dec_view {
	const uint8_t *p;
	size_t len;
};

/* Bounds-checked cursor over a view: every read checks what is left. */
struct dec_cursor {
	const uint8_t *p;
	size_t left;
};

#define DEC_DIGITS_SIZE 33   /* address digits incl. NUL (E.164 15, GT up to 32) */
#define DEC_TEXT_SIZE 1600   /* decoded SMS text, UTF-8 (concatenated: up to ~1.5 KiB) */
#define DEC_ANOMALY_SIZE 96
#define DEC_MAX_ANOMALIES 4
#define DEC_STACK_SIZE 96
#define DEC_NAME_SIZE 48

/* An SCCP address (ITU-T Q.713 3.4). */
struct dec_sccp_addr {
	bool present;
	bool has_pc, has_ssn, has_gt;
	uint16_t pc;
	uint8_t ssn;
	uint8_t gti;	/* global title indicator */
	uint8_t tt;	/* translation type */
	uint8_t np;	/* numbering plan */
	uint8_t es;	/* encoding scheme */
	uint8_t nai;	/* nature of address indicator */
	char digits[DEC_DIGITS_SIZE];
};

/* An address with type of number / numbering plan (MAP AddressString, TP-OA/DA, ISUP). */
struct dec_number {
	bool present;
	uint8_t ton; /* type of number / nature of address */
	uint8_t npi;
	bool alphanumeric; /* TP-OA alphanumeric sender (TS 23.040 9.1.2.5) */
	char digits[DEC_DIGITS_SIZE]; /* digits, or the sender name as UTF-8 */
};

/* One decoded signalling message: what `simsieve decode` prints and what becomes an event. */
struct dec_message {
	uint64_t frame;	    /* 1-based frame number in the capture */
	ss_time_us time;    /* capture time */
	char stack[DEC_STACK_SIZE]; /* "eth:ip:sctp:m3ua:sccp:tcap:gsm_map" as tshark spells it */
	uint8_t stack_len;	    /* strlen(stack): kept by dec_stack_push() */
	char protocol[16];	    /* top protocol: "gsm_map", "gsup", "diameter", "sip", "isup", "gsmtap" ... */
	char operation[DEC_NAME_SIZE]; /* "mo-forwardSM", "updateLocation", "ULR", "INVITE" ... */

	/* M3UA / MTP3 */
	bool has_pc;
	uint32_t opc, dpc;
	uint8_t si; /* service indicator: 3 SCCP, 5 ISUP */

	/* SCCP */
	char sccp_type[8]; /* "UDT", "XUDT", "LUDT" */
	struct dec_sccp_addr called, calling;

	/* TCAP (ITU-T Q.773) */
	char tcap_type[12]; /* "begin", "continue", "end", "abort" */
	bool has_otid, has_dtid;
	uint32_t otid, dtid;
	char acn[48];	    /* application context OID, dotted */
	int map_version;    /* from the ACN, 0 = unknown */
	char component[16]; /* "invoke", "returnResult", "returnError", "reject" */
	int invoke_id;	    /* -1 = none */
	int opcode;	    /* MAP local operation code, -1 = none */
	int error_code;	    /* returnError code, -1 = none */

	/* Identities and addresses (MAP, GSUP, Diameter, 04.08 ...) */
	char imsi[EV_IMSI_SIZE];
	char imei[EV_IMEI_SIZE];
	struct dec_number msisdn;
	struct dec_number msc, vlr, sgsn, hlr, smsc, service_centre;
	char visited_plmn[EV_PLMN_SIZE];

	/* Calls (ISUP IAM, 04.08 CC Setup, SIP INVITE) */
	struct dec_number calling_number, called_number;

	/* SMS (TS 23.040 TPDU, SIP MESSAGE body) */
	bool has_sms;
	char tpdu_type[16]; /* "SMS-SUBMIT", "SMS-DELIVER" */
	struct dec_number sms_originator, sms_destination;
	uint8_t dcs;
	uint8_t sms_encoding; /* 0 GSM 7-bit, 1 8-bit data, 2 UCS2 */
	bool has_concat;
	uint16_t concat_ref;
	uint8_t concat_total, concat_seq;
	bool text_complete; /* false while a concatenated SMS waits for its parts */
	char text[DEC_TEXT_SIZE];
	uint32_t text_len;

	/* Diameter */
	uint32_t diameter_cmd;
	uint32_t diameter_app;
	bool diameter_request;

	/* SIP */
	char sip_from[64], sip_to[64], sip_pai[64], call_id[64];

	int n_anomalies;
	char anomalies[DEC_MAX_ANOMALIES][DEC_ANOMALY_SIZE];
};

/* ---- dispatch: from transport payloads to messages ---- */

enum dec_transport {
	DEC_T_SCTP = 1, /* @ppid set: 3 = M3UA, 46/47 = Diameter */
	DEC_T_TCP,	/* reassembled in-order stream bytes of one direction */
	DEC_T_UDP,
	DEC_T_MTP3,	/* an MTP3 MSU (link types MTP3, MTP2 after its header) */
};

struct dec_payload {
	enum dec_transport transport;
	uint32_t ppid;	  /* SCTP payload protocol id */
	uint16_t src_port, dst_port;
	uint32_t stream;  /* TCP: an id for the connection direction (for stream framing state) */
	struct dec_view data;
	uint64_t frame;
	ss_time_us time;
	const char *stack; /* lower layers, tshark spelling: "eth:ethertype:ip:sctp" */
	size_t stack_len;  /* strlen(stack) when the producer knows it, else 0 */
};

/* Called once per decoded message; @m is borrowed for the call. */
typedef void (*dec_emit_fn)(void *arg, const struct dec_message *m);

/*
 * struct dec_context - state that outlives one packet: SCCP segment
 * reassembly, concatenated-SMS parts, LAPDm segments, IPA/Diameter stream
 * framing remainders.  Every table in it is bounded (entries expire, oldest
 * dropped first when full) and reported in its counters.
 */
struct dec_context;

struct dec_counters {
	uint64_t payloads;   /* payloads offered */
	uint64_t messages;   /* messages emitted */
	uint64_t anomalies;  /* messages with at least one anomaly */
	uint64_t unknown;    /* payloads no decoder claimed */
};

int dec_context_open(struct dec_context **out);
void dec_context_close(struct dec_context *ctx); /* accepts NULL */
const struct dec_counters *dec_context_counters(const struct dec_context *ctx);

/*
 * dec_dispatch() - decode one transport payload: picks the decoder by
 * transport and port/PPID (decoders.def) and emits zero or more messages.
 * Returns the number of messages emitted (>= 0); never fails on bad input
 * (a malformed payload yields a message with an anomaly).
 */
int dec_dispatch(struct dec_context *ctx, const struct dec_payload *pl, dec_emit_fn emit, void *arg);

/* dec_message_init() - clear @m for a new message of @frame at @time. */
void dec_message_init(struct dec_message *m, uint64_t frame, ss_time_us time);

/*
 * dec_message_copy() - copy @src to @dst without the unused tail of the
 * text buffer (valid up to text_len only).
 */
void dec_message_copy(struct dec_message *dst, const struct dec_message *src);

/*
 * dec_stack_push() - append ":name" (or "name") to m->stack.  Inline: once
 * per layer of every message, and the length of a literal @name is then
 * known at compile time.
 */
static inline void dec_stack_push(struct dec_message *m, const char *name)
{
	size_t len = m->stack_len;
	size_t n = __builtin_constant_p(strlen(name)) ? strlen(name) : strnlen(name, sizeof(m->stack));
	size_t need = (len ? 1 : 0) + n;
	if (len + need >= sizeof(m->stack))
		return; /* deeper than any real stack: keep what fits */
	if (len)
		m->stack[len++] = ':';
	memcpy(m->stack + len, name, n + 1);
	m->stack_len = (uint8_t)(len + n);
}

/* dec_anomaly() - record why a PDU was malformed (kept: the first DEC_MAX_ANOMALIES). */
void dec_anomaly(struct dec_message *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * dec_message_json() - one message as a single-line JSON object in @buf.
 * Returns the length or -SS_ETOOLONG.
 */
int dec_message_json(const struct dec_message *m, char *buf, size_t size);

/*
 * dec_message_event() - the event a message means for the detectors
 * (location registration, SMS, call attempt).  Returns 1 and fills @ev when
 * the message is one of those, 0 when it carries nothing for them.
 */
int dec_message_event(const struct dec_message *m, struct event *ev);

/* BCD / TBCD digits (3GPP TS 29.002 17.7.8, TS 24.008 10.5.1.4): low nibble first, F = filler. */
int dec_tbcd(const uint8_t *p, size_t len, char *out, size_t size);

#endif
