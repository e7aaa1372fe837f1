/*
 * activation.c - SIM activation / lifecycle records (CSV) -> EV_ACTIVATION
 * events, per ../shared/spec/activation.md.
 *
 * The identity document (id_doc) is personal data: simsieve never stores or
 * prints it.  It is normalised (surrounding spaces dropped, ASCII letters
 * upper-cased so "...123x" and "...123X" agree), hashed with keyed BLAKE2b
 * (libsodium crypto_generichash) to EV_ID_HASH_SIZE bytes, and the copy and
 * the CSV buffer bytes are wiped.  Messages about it say "id_doc: <redacted>".
 * Without a configured key a random per-process key is used (and a warning
 * logged once): hashes then differ between runs, so document counts kept in
 * the reputation store cannot be joined across runs.
 */
#include "ingest/columns.h"

#include "core/err.h"
#include "core/log.h"
#include "core/time.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define ID_DOC_MAX 128 /* bytes: a raw document number or an operator's hex hash */

enum act_col {
	A_TIME,
	A_EVENT,
	A_MSISDN,
	A_IMSI,
	A_ICCID,
	A_ID_DOC,
	A_ID_TYPE,
	A_CHANNEL,
	A_OUTLET,
	A_SIM_TYPE,
	A_COUNT
};

static const struct ingest_column act_cols[A_COUNT] = {
	[A_TIME] = { "time", true },	     [A_EVENT] = { "event", true },
	[A_MSISDN] = { "msisdn", true },     [A_IMSI] = { "imsi", false },
	[A_ICCID] = { "iccid", false },	     [A_ID_DOC] = { "id_doc", false },
	[A_ID_TYPE] = { "id_type", false },  [A_CHANNEL] = { "channel", false },
	[A_OUTLET] = { "outlet", false },    [A_SIM_TYPE] = { "sim_type", false },
};

static const char *const act_events[] = { "open", "close", "swap", "reverify_ok",
					  "reverify_failed" };
static const uint8_t act_values[] = { EV_ACT_OPEN, EV_ACT_CLOSE, EV_ACT_SWAP,
				      EV_ACT_REVERIFY_OK, EV_ACT_REVERIFY_FAILED };
static const char *const id_types[] = { "personal", "enterprise" };
static const char *const sim_types[] = { "consumer", "iot" };

#define NWORDS(a) (sizeof(a) / sizeof((a)[0]))

struct act_src {
	struct ingest_csv_src csv; /* first: struct ingest_source * converts */
	uint8_t key[crypto_generichash_KEYBYTES_MAX];
	size_t key_len;
};

/* The per-process fallback key, made once. */
static pthread_once_t random_key_once = PTHREAD_ONCE_INIT;
static uint8_t random_key[crypto_generichash_KEYBYTES];
static int sodium_status;

static void make_random_key(void)
{
	sodium_status = sodium_init();
	if (sodium_status < 0)
		return;
	randombytes_buf(random_key, sizeof(random_key));
	ss_warn("activation input: no id_doc key configured; using a random per-process key, "
		"so id_doc hashes will not match across runs");
}

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;

static void init_sodium(void)
{
	if (sodium_init() < 0)
		sodium_status = -1;
}

/*
 * hash_id_doc() - normalise @f into a stack copy, hash it into
 * ev->id_doc_hash, and wipe the copy and the field's bytes in the CSV buffer.
 * Returns 0, -1 (too long) or -2 (control character).
 */
static int hash_id_doc(const struct act_src *a, struct csv_field f, struct event *ev)
{
	unsigned char norm[ID_DOC_MAX];
	int rc = 0;

	if (f.len > ID_DOC_MAX) {
		rc = -1;
		goto out;
	}
	for (size_t i = 0; i < f.len; i++) {
		unsigned char c = (unsigned char)f.ptr[i];
		if (c < 0x20 || c == 0x7f) {
			rc = -2;
			goto out;
		}
		norm[i] = (c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
	}
	crypto_generichash(ev->id_doc_hash, EV_ID_HASH_SIZE, norm, f.len, a->key, a->key_len);
	ev->id_doc_present = true;
out:
	sodium_memzero(norm, sizeof(norm));
	sodium_memzero(f.ptr, f.len);
	return rc;
}

static int parse_row(struct act_src *a, const struct csv_record *rec, struct event *ev)
{
	struct ingest_csv_src *s = &a->csv;
	const uint64_t line = rec->line;
	struct csv_field f;
	int k, rc;

	ev_init(ev);
	ev->kind = EV_ACTIVATION;
	ev->source = EV_SRC_ACTIVATION;
	ev->input = s->input_index;
	ev->line = line;

	/* First, so the raw document is wiped whatever else is wrong with the row. */
	f = ingest_field(s, rec, A_ID_DOC);
	if (f.len && (rc = hash_id_doc(a, f, ev)) < 0) {
		ingest_report_bad(&s->base, line, "id_doc: <redacted> (%s)",
				  rc == -1 ? "longer than 128 bytes" : "contains a control character");
		return -SS_EPARSE;
	}

	f = ingest_field(s, rec, A_TIME);
	if (ingest_parse_time(s, f, &ev->time) < 0)
		return ingest_reject(s, line, "time",
				     "expected ISO 8601 with Z or offset, or epoch seconds", f);

	f = ingest_field(s, rec, A_EVENT);
	k = ingest_keyword(f, act_events, NWORDS(act_events));
	if (k < 0)
		return ingest_reject(s, line, "event",
				     "expected open, close, swap, reverify_ok or reverify_failed", f);
	ev->activation = act_values[k];

	f = ingest_field(s, rec, A_MSISDN);
	if (ingest_copy_digits(f, 1, 15, true, ev->msisdn, sizeof(ev->msisdn)) < 0)
		return ingest_reject(s, line, "msisdn", "expected 1-15 digits", f);

	f = ingest_field(s, rec, A_IMSI);
	if (f.len && ingest_copy_digits(f, 15, 15, false, ev->imsi, sizeof(ev->imsi)) < 0)
		return ingest_reject(s, line, "imsi", "expected 15 digits", f);

	f = ingest_field(s, rec, A_ICCID);
	if (f.len && ingest_copy_digits(f, 19, 20, false, ev->iccid, sizeof(ev->iccid)) < 0)
		return ingest_reject(s, line, "iccid", "expected 19-20 digits", f);

	f = ingest_field(s, rec, A_ID_TYPE);
	if (f.len) {
		k = ingest_keyword(f, id_types, NWORDS(id_types));
		if (k < 0)
			return ingest_reject(s, line, "id_type", "expected personal or enterprise", f);
		ev->id_type = k == 0 ? EV_IDTYPE_PERSONAL : EV_IDTYPE_ENTERPRISE;
	}

	f = ingest_field(s, rec, A_CHANNEL);
	if (f.len && (rc = ingest_copy_code(f, ev->channel, sizeof(ev->channel))) < 0)
		return ingest_reject(s, line, "channel",
				     rc == -1 ? "longer than 32 bytes" : "contains a control character",
				     f);
	f = ingest_field(s, rec, A_OUTLET);
	if (f.len && (rc = ingest_copy_code(f, ev->outlet, sizeof(ev->outlet))) < 0)
		return ingest_reject(s, line, "outlet",
				     rc == -1 ? "longer than 32 bytes" : "contains a control character",
				     f);

	f = ingest_field(s, rec, A_SIM_TYPE);
	if (f.len) {
		k = ingest_keyword(f, sim_types, NWORDS(sim_types));
		if (k < 0)
			return ingest_reject(s, line, "sim_type", "expected consumer or iot", f);
		ev->sim_type = k == 0 ? EV_SIM_CONSUMER : EV_SIM_IOT;
	}
	return 0;
}

static int act_next(struct ingest_source *src, struct event *ev)
{
	struct act_src *a = (struct act_src *)src;
	struct csv_record rec;

	for (;;) {
		int rc = ingest_csv_src_record(&a->csv, &rec);
		if (rc <= 0)
			return rc;
		rc = parse_row(a, &rec, ev);
		if (rc == 0) {
			src->counters.accepted++;
			return 1;
		}
		ev_clear(ev); /* no half-filled event (or hash of a rejected row) left behind */
		if (rc != -SS_EPARSE)
			return rc;
	}
}

static void act_close(struct ingest_source *src)
{
	struct act_src *a = (struct act_src *)src;
	if (!a)
		return;
	sodium_memzero(a->key, sizeof(a->key));
	ingest_csv_src_free(&a->csv);
}

static const struct ingest_source_ops act_ops = { .next = act_next, .close = act_close };

int ingest_activation_open_stream(FILE *f, const char *name, bool close_file,
				  const struct ingest_options *opt, struct ingest_source **out)
{
	struct ingest_csv_src *s;
	struct act_src *a;
	const char *shown = (!name || strcmp(name, "-") == 0) ? "<stdin>" : name;
	int rc;

	*out = NULL;
	pthread_once(&sodium_once, init_sodium);
	if (sodium_status < 0) {
		ingest_open_error(opt, shown, 0, "libsodium failed to initialise");
		if (close_file)
			fclose(f);
		return -SS_ECONFIG;
	}
	if (opt && opt->id_doc_key &&
	    (opt->id_doc_key_len < crypto_generichash_KEYBYTES_MIN ||
	     opt->id_doc_key_len > crypto_generichash_KEYBYTES_MAX)) {
		ingest_open_error(opt, shown, 0, "id_doc key must be %u to %u bytes, got %zu",
				  (unsigned)crypto_generichash_KEYBYTES_MIN,
				  (unsigned)crypto_generichash_KEYBYTES_MAX, opt->id_doc_key_len);
		if (close_file)
			fclose(f);
		return -SS_ECONFIG;
	}
	/* wipe = true: the read buffer holds raw document numbers. */
	rc = ingest_csv_src_open(f, close_file, name, "activations", opt, act_cols, A_COUNT,
				 &act_ops, sizeof(*a), true, &s);
	if (rc < 0)
		return rc;
	a = (struct act_src *)s;
	if (opt && opt->id_doc_key) {
		memcpy(a->key, opt->id_doc_key, opt->id_doc_key_len);
		a->key_len = opt->id_doc_key_len;
	} else if (s->col[A_ID_DOC] >= 0) {
		pthread_once(&random_key_once, make_random_key);
		if (sodium_status < 0) {
			act_close(&s->base);
			return -SS_ECONFIG;
		}
		memcpy(a->key, random_key, sizeof(random_key));
		a->key_len = sizeof(random_key);
	}
	*out = &s->base;
	return 0;
}

int ingest_activation_open(const char *path, const struct ingest_options *opt,
			   struct ingest_source **out)
{
	FILE *f;

	*out = NULL;
	if (strcmp(path, "-") == 0)
		return ingest_activation_open_stream(stdin, "-", false, opt, out);
	f = fopen(path, "rb");
	if (!f) {
		int rc = -errno;
		ingest_open_error(opt, path, 0, "cannot open: %s", strerror(errno));
		return rc;
	}
	return ingest_activation_open_stream(f, path, true, opt, out);
}
