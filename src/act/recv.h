/*
 * recv.h - pieces of the webhook, osmo-hlr and exec receivers that tests,
 * tools/webhook_receiver and tools/bench_deliver use directly.  The
 * receivers themselves are reached through act/deliver.h.
 *
 * Nothing here allocates unless it says so; strings are borrowed.
 */
#ifndef SS_ACT_RECV_H
#define SS_ACT_RECV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- webhook signature (docs/provisioning.md, "Webhook receiver") ----
 *
 *   X-Simsieve-Timestamp: <unix seconds, decimal>
 *   X-Simsieve-Signature: sha256=<64 lower-case hex digits>
 *
 * where the digest is HMAC-SHA256 keyed with the shared secret's bytes over
 *   <timestamp as sent> "." <the request body's exact bytes>
 */
#define ACT_SIG_HEADER "X-Simsieve-Signature"
#define ACT_TS_HEADER "X-Simsieve-Timestamp"
#define ACT_SIG_HEX_SIZE (7 + 64 + 1) /* "sha256=" + hex + NUL */

/* act_webhook_sign() - "sha256=<hex>" for @ts (a decimal string) and @body into @out. */
void act_webhook_sign(const uint8_t *key, size_t key_len, const char *ts, const char *body, size_t body_len,
		      char out[ACT_SIG_HEX_SIZE]);

/* act_webhook_verify() - constant-time check of a received signature header value. */
bool act_webhook_verify(const uint8_t *key, size_t key_len, const char *ts, const char *body, size_t body_len,
			const char *header_value);

/* ---- osmo-hlr CTRL over IPA (libosmocore control_if.c; osmo-hlr ctrl.c) ----
 *
 * One CTRL message is one IPA frame: 16-bit big-endian length of what
 * follows the 3-byte header, protocol 0xEE (Osmocom extension), then the
 * extension byte 0x00 (CTRL), then ASCII text:
 *   "SET <id> <var> <value>"   "GET <id> <var>"
 *   "SET_REPLY <id> <var> <value>"   "GET_REPLY <id> <var> <value>"
 *   "ERROR <id> <message>"   "TRAP <id> <var> <value>"
 */
enum act_ctrl_type { ACT_CTRL_OTHER = 0, ACT_CTRL_SET_REPLY, ACT_CTRL_GET_REPLY, ACT_CTRL_ERROR, ACT_CTRL_TRAP };

struct act_ctrl_msg {
	enum act_ctrl_type type;
	uint32_t id;
	const char *var; /* not NUL-terminated: var_len; empty for ERROR */
	size_t var_len;
	const char *value; /* the rest of the text (ERROR: the message) */
	size_t value_len;
};

/*
 * act_ctrl_frame() - append "<verb> <id> <var>[ <value>]" as one IPA CTRL
 * frame to @buf (@size bytes).  Returns the frame's length, or -SS_ETOOLONG.
 */
int act_ctrl_frame(char *buf, size_t size, const char *verb, uint32_t id, const char *var, const char *value);

/*
 * act_ctrl_parse() - the first IPA frame in @buf[0..len).  Returns the bytes
 * it takes (header included), 0 when more bytes are needed, or -SS_EPARSE.
 * A frame that is not CTRL (another IPA protocol, e.g. a CCM PING) is
 * consumed with type ACT_CTRL_OTHER.  @m points into @buf.
 */
int act_ctrl_parse(const char *buf, size_t len, struct act_ctrl_msg *m);

/* ---- action JSON ---- */

/*
 * act_json_get() - the string value of top-level @key in the JSON object
 * @json (or of @key inside the top-level object @outer when @outer is not
 * NULL, e.g. "subject"/"imsi"), unescaped only for plain strings: returns
 * the length copied to @out (NUL-terminated), -SS_ENOTFOUND, or
 * -SS_ETOOLONG / -SS_EPARSE.
 */
int act_json_get(const char *json, size_t len, const char *outer, const char *key, char *out, size_t size);

/* ---- exec receiver ---- */

/*
 * act_exec_split() - split @cmd into at most @max - 1 words in @argv
 * (NULL-terminated), using @store (@size bytes) for the words.  Words are
 * separated by blanks; '...' and "..." quote (no escapes inside '',
 * backslash escapes inside "" and outside quotes).  Returns the word count
 * or -SS_EPARSE (unbalanced quote, empty) / -SS_ETOOLONG.
 */
int act_exec_split(const char *cmd, char **argv, size_t max, char *store, size_t size);

#endif
