/*
 * event.h - the one event model.
 *
 * Every input - CDR rows, activation rows, and (later) decoded signalling -
 * becomes a struct event before any detector sees it.  Detectors never look
 * at the input format, so a call attempt from a CDR and one from MAP/ISUP are
 * the same thing to them.
 *
 * Ownership: identities and short fields are copied into fixed-size arrays
 * (NUL-terminated, empty string = absent).  The SMS text is the one
 * variable-length field: @text points to memory owned by the event, released
 * by ev_clear().  ev_copy() deep-copies.  An event therefore outlives the CSV
 * line or packet it came from, which the time-ordered merge needs.
 */
#ifndef SS_EVENT_EVENT_H
#define SS_EVENT_EVENT_H

#include "core/time.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ev_kind {
	EV_CALL = 0,	   /* voice call attempt / CDR record_type=voice */
	EV_SMS = 1,	   /* SMS, record_type=sms */
	EV_DATA = 2,	   /* data session, record_type=data */
	EV_ACTIVATION = 3, /* SIM lifecycle record (activation.md) */
	EV_LOCATION = 4,   /* location registration (signalling) */
	EV_KIND_COUNT
};

/* Bit masks for detectors' "which events I want". */
#define EV_MASK(kind) (1u << (kind))
#define EV_MASK_ALL ((1u << EV_KIND_COUNT) - 1)

enum ev_direction {
	EV_DIR_NONE = 0,
	EV_DIR_MO = 1, /* originated by the served subscriber */
	EV_DIR_MT = 2, /* terminated at the served subscriber */
};

enum ev_activation {
	EV_ACT_NONE = 0,
	EV_ACT_OPEN,
	EV_ACT_CLOSE,
	EV_ACT_SWAP,
	EV_ACT_REVERIFY_OK,
	EV_ACT_REVERIFY_FAILED,
};

enum ev_source {
	EV_SRC_CDR = 0,
	EV_SRC_ACTIVATION = 1,
	EV_SRC_PCAP = 2,
};

enum ev_id_type { EV_IDTYPE_UNKNOWN = 0, EV_IDTYPE_PERSONAL, EV_IDTYPE_ENTERPRISE };
enum ev_sim_type { EV_SIM_UNKNOWN = 0, EV_SIM_CONSUMER, EV_SIM_IOT };

/* Field sizes include the terminating NUL. */
#define EV_MSISDN_SIZE 16     /* E.164: at most 15 digits */
#define EV_IMSI_SIZE 16	      /* 15 digits */
#define EV_IMEI_SIZE 17	      /* IMEI 14/15 digits or IMEISV 16 */
#define EV_PARTY_SIZE 33      /* numbers, short codes, alphanumeric senders */
#define EV_PLMN_SIZE 7	      /* MCC+MNC, 5-6 digits */
#define EV_RECORD_ID_SIZE 48  /* operator record id (longer ids are rejected) */
#define EV_ICCID_SIZE 21      /* 19-20 digits */
#define EV_CODE_SIZE 33	      /* channel and outlet codes */
#define EV_ID_HASH_SIZE 16    /* keyed hash of the ID document, binary */
#define EV_TEXT_MAX 4096      /* longest SMS text kept, bytes of UTF-8 */

/* Serving cell: MCC-MNC-LAC-CI (GSM/UMTS) or MCC-MNC-TAC-ECI (LTE). */
struct ev_cell {
	uint16_t mcc;
	uint16_t mnc;
	uint32_t lac; /* LAC or TAC */
	uint32_t ci;  /* CI or ECI */
	bool present;
};

struct event {
	ss_time_us time;	/* start_time / activation time, UTC */
	uint8_t kind;		/* enum ev_kind */
	uint8_t direction;	/* enum ev_direction */
	uint8_t source;		/* enum ev_source */
	uint8_t activation;	/* enum ev_activation (EV_ACTIVATION only) */
	uint8_t id_type;	/* enum ev_id_type */
	uint8_t sim_type;	/* enum ev_sim_type */
	bool answered;		/* voice: answered (explicit or duration > 0) */
	bool id_doc_present;	/* id_doc_hash is valid */
	uint32_t duration;	/* seconds of conversation; 0 when not answered */
	uint32_t input;		/* index of the input the record came from */
	uint64_t line;		/* line (CSV) or frame (pcap) number in that input */

	char msisdn[EV_MSISDN_SIZE];
	char imsi[EV_IMSI_SIZE];
	char imei[EV_IMEI_SIZE];
	char other_party[EV_PARTY_SIZE];
	char visited_plmn[EV_PLMN_SIZE];
	char record_id[EV_RECORD_ID_SIZE];
	struct ev_cell cell;

	/* Activation records. */
	char iccid[EV_ICCID_SIZE];
	char channel[EV_CODE_SIZE];
	char outlet[EV_CODE_SIZE];
	uint8_t id_doc_hash[EV_ID_HASH_SIZE];

	/* SMS text, UTF-8, owned by the event (NULL when absent). */
	char *text;
	uint32_t text_len;
};

/* ev_init() - zero an event (no text). */
void ev_init(struct event *ev);

/* ev_clear() - release the text and zero the event.  Accepts NULL. */
void ev_clear(struct event *ev);

/*
 * ev_set_text() - copy @len bytes of @text into the event (truncated at a
 * UTF-8 boundary to EV_TEXT_MAX).  Returns 0 or -ENOMEM.
 */
int ev_set_text(struct event *ev, const char *text, size_t len);

/* ev_move() - move @src into @dst (dst's old text is released); @src is left empty. */
void ev_move(struct event *dst, struct event *src);

/* ev_copy() - deep copy.  Returns 0 or -ENOMEM (dst then holds no text). */
int ev_copy(struct event *dst, const struct event *src);

/* ev_kind_name() etc. - the CSV / JSON spelling of enum values. */
const char *ev_kind_name(enum ev_kind kind);
const char *ev_direction_name(enum ev_direction dir);
const char *ev_activation_name(enum ev_activation act);

/* ev_subject_key() - the served subscriber's identity for state: IMSI if known, else MSISDN. */
const char *ev_subject_key(const struct event *ev);

/*
 * ev_dedup_hash() - 64-bit hash identifying the record for duplicate
 * detection (cdr.md: same record_id, or same start_time + served + other
 * party + type + direction).
 */
uint64_t ev_dedup_hash(const struct event *ev);

#endif
