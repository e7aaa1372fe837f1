/*
 * detect.h - the detector interface and registry.
 *
 * A detector is one file in src/detect/ ending with a `const struct
 * det_detector det_<name>` descriptor, registered by one line in
 * detectors.def.  It sees events (filtered by its event mask) in time order
 * and reports findings through the environment's emit callback.  Detectors
 * never include act/ or rep/: the engine turns findings into reputation
 * updates and actions.
 *
 * Threading: a detector instance is used by one thread.
 * Ownership: a finding passed to emit() is borrowed for the duration of the
 * call; the engine copies what it keeps.
 */
#ifndef SS_DETECT_DETECT_H
#define SS_DETECT_DETECT_H

#include "core/config.h"
#include "event/event.h"

#include <stddef.h>
#include <stdint.h>

/*
 * What a finding is about.  A SIM is identified by IMSI and/or MSISDN (the
 * IMEI, when given, is the device it was last seen in, as context); a device
 * by its IMEI; a number (e.g. a foreign caller) by MSISDN alone.
 */
enum det_subject_kind {
	DET_SUBJECT_SIM = 0,
	DET_SUBJECT_DEVICE = 1,
	DET_SUBJECT_NUMBER = 2,
	/*
	 * Entities that are not subscribers: their findings update reputation
	 * (so later SIMs from a bad outlet start with higher risk) but never
	 * become actions - action.md subjects are SIMs, devices and numbers.
	 * The identity is in .entity (outlet / channel code, or the ID
	 * document's keyed hash as 32 hex digits - never the raw number).
	 */
	DET_SUBJECT_OUTLET = 3,
	DET_SUBJECT_CHANNEL = 4,
	DET_SUBJECT_IDDOC = 5,
	DET_SUBJECT_URL = 6, /* a link found in scam SMS (normalised host + path, cut to 63) */
};

#define DET_ENTITY_SIZE 64 /* outlet/channel code, 32 hex digits of an ID hash, or a URL */

/* Who a finding is about: any of msisdn / imsi / imei (empty = unknown), or an entity. */
struct det_subject {
	enum det_subject_kind kind;
	char msisdn[EV_MSISDN_SIZE];
	char imsi[EV_IMSI_SIZE];
	char imei[EV_IMEI_SIZE];
	char entity[DET_ENTITY_SIZE];
};

#define DET_CODE_SIZE 48
#define DET_DETAIL_SIZE 200
#define DET_MAX_REASONS 8

struct det_reason {
	char code[DET_CODE_SIZE];     /* "<family>.<rule>", e.g. "simbox.outbound_only" */
	char detail[DET_DETAIL_SIZE]; /* human-readable evidence, no raw ID documents */
};

/*
 * How strong the evidence is, which the policy maps to an action kind
 * together with the score.  Behaviour alone (a SIM that merely looks busy) is
 * never STRUCTURAL; a gateway proven by SIM rotation is.
 */
enum det_strength {
	DET_WEAK = 0,	    /* worth watching: monitor at most */
	DET_BEHAVIOURAL,    /* strong behaviour, no structural proof: limit / reverify */
	DET_STRUCTURAL,	    /* proven (e.g. SIM-bank rotation in one gateway): may block */
};

struct det_finding {
	const char *family;	  /* reason-code family: "simbox", "bulk_open", ... (static) */
	struct det_subject subject;
	int score;		  /* 0..100 */
	enum det_strength strength;
	ss_time_us event_time;	  /* time of the event that completed the evidence */
	char evidence_record[EV_RECORD_ID_SIZE]; /* that event's record_id, if any */
	uint64_t group;		  /* gateway / campaign id the subject belongs to, 0 = none */
	/*
	 * DET_LIST_GRAY: also put the subject on the gray list (source = the
	 * family) unless it is already on a list - e.g. a call-back number or
	 * link found in a scam SMS, so later calls to it are flagged.
	 */
	uint8_t mark_list;
	int n_reasons;
	struct det_reason reasons[DET_MAX_REASONS];
};

typedef void (*det_emit_fn)(void *ctx, const struct det_finding *finding);

/*
 * Reputation lookups for detectors.  Detectors never include rep/ (the
 * layering keeps them testable without LMDB); the engine answers these from
 * the store.  Key types use the store's type bytes (rep.h).
 */
enum det_key_type {
	DET_KEY_MSISDN = 'm',
	DET_KEY_IMSI = 'i',
	DET_KEY_IMEI = 'e',
	DET_KEY_IDDOC = 'd',
	DET_KEY_CHANNEL = 'c',
	DET_KEY_OUTLET = 'o',
	DET_KEY_URL = 'u',
};

enum det_list { DET_LIST_NONE = 0, DET_LIST_WHITE = 1, DET_LIST_GRAY = 2, DET_LIST_BLACK = 3 };

struct det_lookup_result {
	int list;	      /* enum det_list */
	char source[32];      /* the list's source, e.g. "gov-96110" */
	double score;	      /* decayed to the lookup's @now */
	uint64_t reasons;     /* reason bits (reasons.def) */
	int last_action;      /* 0 none, 1 monitor ... 4 block, 5 release (rep.h order) */
};

/*
 * DET_LOOKUP_LISTED_ONLY: the caller only cares about list membership, so
 * the engine may answer "not found" from an in-memory filter of listed
 * subjects without touching the store - cheap enough for every event.
 */
#define DET_LOOKUP_LISTED_ONLY 1u

/* 0 and *@out when found; -SS_ENOTFOUND when not; other negative codes on errors. */
typedef int (*det_lookup_fn)(void *ctx, enum det_key_type type, const char *id, unsigned flags,
			     ss_time_us now, struct det_lookup_result *out);

struct det_profile; /* detect/profile.h */

struct det_env {
	const struct ss_config *config; /* read thresholds in init(); may be NULL */
	det_emit_fn emit;
	void *emit_ctx;
	/*
	 * Shared SIM profiles (age since opening, SIM type, bulk origin...):
	 * the engine updates them after all detectors have seen an event, so
	 * during on_event() they describe the SIM *before* this event.  May be
	 * NULL (unit tests); detectors then treat every SIM as of unknown age.
	 */
	struct det_profile *profile;
	det_lookup_fn lookup; /* may be NULL: nothing is listed */
	void *lookup_ctx;
};

#define DET_PREFETCH_FAR 16
#define DET_PREFETCH_NEAR 8

/* Counters every detector reports for the summary and benchmarks. */
struct det_stats {
	uint64_t events;      /* events seen */
	uint64_t findings;    /* findings emitted */
	uint64_t subjects;    /* subjects currently tracked */
	uint64_t evictions;   /* idle subjects dropped */
	uint64_t state_bytes; /* memory held by the detector's state */
};

struct det_detector {
	const char *name;    /* also the reason-code family */
	const char *summary; /* one line for --help and docs */
	uint32_t event_mask; /* EV_MASK(...) of the kinds it wants */
	/* init: read config, allocate state.  0 or negative code. */
	int (*init)(void **state, const struct det_env *env);
	/* on_event: one event, in (reordered) time order. */
	void (*on_event)(void *state, const struct event *ev);
	/*
	 * prefetch (optional): a hint that @ev will reach on_event soon, so the
	 * detector can start loading the state it will touch.  Stage 0 comes
	 * about DET_PREFETCH_FAR events ahead (load the index slot), stage 1
	 * about DET_PREFETCH_NEAR ahead (follow it to the record).  Must not
	 * change state or results.
	 */
	void (*prefetch)(const void *state, const struct event *ev, int stage);
	/* tick: the input clock advanced to @now; expire windows, evict idle subjects. */
	void (*tick)(void *state, ss_time_us now);
	/*
	 * reload (optional): SIGHUP.  Re-read the detector's external data
	 * (files named in @cfg, e.g. signature sets) keeping its state; on
	 * error log file:line and keep the old data.  Must not stall events:
	 * a slow rebuild runs in the background and is swapped in when ready.
	 * 0 or negative code (the old data stays).
	 */
	int (*reload)(void *state, const struct ss_config *cfg);
	/* reset_subject: forget everything about one subscriber (appeal, reverify_ok). */
	void (*reset_subject)(void *state, const struct det_subject *subject);
	void (*stats)(const void *state, struct det_stats *out);
	void (*fini)(void *state); /* accepts NULL */
};

/* The registry, expanded from detectors.def. */
#define DETECTOR(name) extern const struct det_detector det_##name;
#include "detect/detectors.def"
#undef DETECTOR

extern const struct det_detector *const det_registry[];
extern const size_t det_registry_count;

/* det_reason_add() - append a reason (silently ignored past DET_MAX_REASONS). */
void det_reason_add(struct det_finding *f, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));



/*
 * det_reason_bit() - the persisted bit of a reason code (reasons.def), or -1
 * for a code that has none.
 */
int det_reason_bit(const char *code);

/* det_reason_code() - the code for a bit, or NULL. */
const char *det_reason_code(int bit);

#endif
