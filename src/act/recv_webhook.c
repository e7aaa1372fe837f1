/*
 * recv_webhook.c - the webhook receiver: actions POSTed as JSON over
 * HTTP(S), signed with HMAC-SHA256 (docs/provisioning.md, "Webhook
 * receiver"; RFC 9110 status classes; RFC 2104 HMAC).
 *
 * Transport is libcurl: one easy handle per receiver, kept for the
 * receiver's life, so the TCP (and TLS) connection is reused across
 * requests (HTTP/1.1 keep-alive) - libcurl gives us TLS with the system's
 * CA store or a configured CA file, proxies, timeouts on connect and on the
 * whole transfer, and redirect and chunked handling we would otherwise
 * write and get wrong.
 *
 * One send() is one request: batch = 1 sends one action object as the
 * body, batch > 1 a JSON array of 1..batch action objects (even for one).
 * Response: 2xx -> all delivered; 408 and 429 -> retry; other 4xx -> all
 * rejected (parked by the dispatcher); anything else (3xx, 5xx, timeout,
 * connection failure) -> retry.
 */
#include "act/deliver.h"
#include "act/recv.h"

#include "core/err.h"
#include "core/log.h"

#include <curl/curl.h>
#include <sodium.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WEBHOOK_MAX_HEADERS 16
#define WEBHOOK_SECRET_MAX 1024

struct webhook {
	struct act_receiver base;
	CURL *curl;
	char *url;
	uint8_t secret[WEBHOOK_SECRET_MAX];
	size_t secret_len;
	struct curl_slist *fixed_headers; /* configured + Content-Type + "Expect:" */
	char *body;
	size_t body_cap;
	char reply[160]; /* start of the response body, for the reason text */
	size_t reply_len;
	char curl_err[CURL_ERROR_SIZE];
};

/* ---- signature ---- */

void act_webhook_sign(const uint8_t *key, size_t key_len, const char *ts, const char *body, size_t body_len,
		      char out[ACT_SIG_HEX_SIZE])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_init(&st, key, key_len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts, strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, body_len);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, ACT_SIG_HEX_SIZE - 7, mac, sizeof(mac));
}

bool act_webhook_verify(const uint8_t *key, size_t key_len, const char *ts, const char *body, size_t body_len,
			const char *header_value)
{
	char want[ACT_SIG_HEX_SIZE];

	if (!header_value || strlen(header_value) != ACT_SIG_HEX_SIZE - 1)
		return false;
	act_webhook_sign(key, key_len, ts, body, body_len, want);
	return sodium_memcmp(want, header_value, ACT_SIG_HEX_SIZE - 1) == 0;
}

/* ---- transport ---- */

static size_t on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct webhook *w = arg;
	size_t n = size * nmemb, room = sizeof(w->reply) - 1 - w->reply_len;
	memcpy(w->reply + w->reply_len, p, n < room ? n : room);
	w->reply_len += n < room ? n : room;
	return n;
}

static int body_reserve(struct webhook *w, size_t need)
{
	if (need <= w->body_cap)
		return 0;
	size_t cap = w->body_cap ? w->body_cap : 4096;
	while (cap < need)
		cap *= 2;
	char *p = realloc(w->body, cap);
	if (!p)
		return -ENOMEM;
	w->body = p;
	w->body_cap = cap;
	return 0;
}

static void fill(enum act_result *result, size_t n, enum act_result v)
{
	for (size_t i = 0; i < n; i++)
		result[i] = v;
}

/* The response text, made printable, for the reason line. */
static const char *reply_text(struct webhook *w)
{
	w->reply[w->reply_len] = '\0';
	for (size_t i = 0; i < w->reply_len; i++)
		if ((unsigned char)w->reply[i] < 0x20)
			w->reply[i] = ' ';
	return w->reply;
}

static int webhook_send(struct act_receiver *r, const struct act_delivery *d, size_t n, enum act_result *result,
			char *why, size_t why_size)
{
	struct webhook *w = (struct webhook *)r;
	size_t len = 0, need = 2;
	int rc = 0;

	fill(result, n, ACT_RETRY);
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		need += d[i].len + 1;
	if (body_reserve(w, need + 1) < 0) {
		snprintf(why, why_size, "out of memory for a %zu-byte body", need);
		return -ENOMEM;
	}
	if (r->max_batch > 1)
		w->body[len++] = '[';
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			w->body[len++] = ',';
		memcpy(w->body + len, d[i].json, d[i].len);
		len += d[i].len;
	}
	if (r->max_batch > 1)
		w->body[len++] = ']';
	w->body[len] = '\0';

	char ts[24], sig[ACT_SIG_HEX_SIZE], ts_hdr[64], sig_hdr[128];
	snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
	act_webhook_sign(w->secret, w->secret_len, ts, w->body, len, sig);
	snprintf(ts_hdr, sizeof(ts_hdr), ACT_TS_HEADER ": %s", ts);
	snprintf(sig_hdr, sizeof(sig_hdr), ACT_SIG_HEADER ": %s", sig);

	/* Two per-request headers in front of the fixed list, on the stack. */
	struct curl_slist h_sig = { sig_hdr, w->fixed_headers };
	struct curl_slist h_ts = { ts_hdr, &h_sig };

	curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, &h_ts);
	curl_easy_setopt(w->curl, CURLOPT_POSTFIELDS, w->body);
	curl_easy_setopt(w->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	w->reply_len = 0;
	w->curl_err[0] = '\0';
	CURLcode cc = curl_easy_perform(w->curl);
	curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, NULL);
	if (cc != CURLE_OK) {
		snprintf(why, why_size, "%s", w->curl_err[0] ? w->curl_err : curl_easy_strerror(cc));
		return cc == CURLE_OPERATION_TIMEDOUT ? -ETIMEDOUT
		       : cc == CURLE_COULDNT_CONNECT ? -ECONNREFUSED
						     : -EIO;
	}
	long status = 0;
	curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status >= 200 && status <= 299) {
		fill(result, n, ACT_DELIVERED);
		return rc;
	}
	if (status >= 400 && status <= 499 && status != 408 && status != 429) {
		fill(result, n, ACT_REJECTED);
		snprintf(why, why_size, "HTTP %ld: %s", status, reply_text(w));
		return rc;
	}
	snprintf(why, why_size, "HTTP %ld: %s", status, reply_text(w));
	return rc;
}

static void webhook_close(struct act_receiver *r)
{
	struct webhook *w = (struct webhook *)r;
	if (!w)
		return;
	if (w->curl)
		curl_easy_cleanup(w->curl);
	curl_slist_free_all(w->fixed_headers);
	sodium_memzero(w->secret, sizeof(w->secret));
	free(w->url);
	free(w->body);
	free(w);
}

static const struct act_receiver_ops webhook_ops = {
	.type = "webhook",
	.send = webhook_send,
	.close = webhook_close,
};

static int read_secret_file(const char *path, uint8_t *out, size_t size, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	size_t n = fread(out, 1, size, f);
	bool more = fgetc(f) != EOF;
	fclose(f);
	if (more)
		return -SS_ETOOLONG;
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		n--; /* a trailing newline is not part of the secret */
	*len = n;
	return 0;
}

static int curl_global(void)
{
	static bool done;
	if (!done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return -SS_ECONFIG;
		done = true;
	}
	return 0;
}

int act_receiver_webhook_open(const struct ss_config *cfg, const char *name, struct act_receiver **out)
{
	char sec[96];
	const char *url = NULL, *secret = NULL, *secret_file = NULL, *ca_file = NULL;
	const char *headers[WEBHOOK_MAX_HEADERS];
	size_t n_headers = 0;
	int64_t timeout_us, connect_us, batch;
	bool tls_verify;
	int rc;

	*out = NULL;
	snprintf(sec, sizeof(sec), "sink.%s", name);
	if ((rc = ss_config_string(cfg, sec, "url", NULL, &url)) < 0 ||
	    (rc = ss_config_string(cfg, sec, "secret", NULL, &secret)) < 0 ||
	    (rc = ss_config_string(cfg, sec, "secret_file", NULL, &secret_file)) < 0 ||
	    (rc = ss_config_string(cfg, sec, "ca_file", NULL, &ca_file)) < 0 ||
	    (rc = ss_config_duration(cfg, sec, "timeout", 10 * INT64_C(1000000), &timeout_us)) < 0 ||
	    (rc = ss_config_duration(cfg, sec, "connect_timeout", 3 * INT64_C(1000000), &connect_us)) < 0 ||
	    (rc = ss_config_int(cfg, sec, "batch", 100, 1, 10000, &batch)) < 0 ||
	    (rc = ss_config_bool(cfg, sec, "tls_verify", true, &tls_verify)) < 0 ||
	    (rc = ss_config_strings(cfg, sec, "header", headers, WEBHOOK_MAX_HEADERS, &n_headers)) < 0)
		return rc;
	if (!url || !*url) {
		ss_error("%s: [%s] url: required for a webhook receiver", ss_config_path(cfg), sec);
		return -SS_EMISSING;
	}
	if ((secret != NULL) == (secret_file != NULL)) {
		ss_error("%s: [%s]: give exactly one of secret and secret_file", ss_config_path(cfg), sec);
		return -SS_ECONFIG;
	}
	if (timeout_us < 1000 || connect_us < 1000) {
		ss_error("%s: [%s]: timeout and connect_timeout must be at least 1 ms", ss_config_path(cfg), sec);
		return -SS_ECONFIG;
	}
	if ((rc = curl_global()) < 0) {
		ss_error("[%s]: libcurl initialisation failed", sec);
		return rc;
	}

	struct webhook *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->base.ops = &webhook_ops;
	snprintf(w->base.name, sizeof(w->base.name), "%s", name);
	w->base.max_batch = (size_t)batch;
	if (secret) {
		w->secret_len = strlen(secret);
		if (w->secret_len > sizeof(w->secret)) {
			rc = -SS_ETOOLONG;
			goto fail;
		}
		memcpy(w->secret, secret, w->secret_len);
	} else if ((rc = read_secret_file(secret_file, w->secret, sizeof(w->secret), &w->secret_len)) < 0) {
		ss_error("[%s] secret_file %s: %s", sec, secret_file, ss_strerror(rc));
		goto fail;
	}
	if (w->secret_len == 0) {
		ss_error("[%s]: the shared secret is empty", sec);
		rc = -SS_ECONFIG;
		goto fail;
	}
	for (size_t i = 0; i < n_headers; i++) {
		if (!strchr(headers[i], ':')) {
			ss_error("[%s] header '%s': expected 'Name: value'", sec, headers[i]);
			rc = -SS_ECONFIG;
			goto fail;
		}
		w->fixed_headers = curl_slist_append(w->fixed_headers, headers[i]);
	}
	w->fixed_headers = curl_slist_append(w->fixed_headers, "Content-Type: application/json");
	/* No "Expect: 100-continue" round trip for bodies over 1 KiB. */
	w->fixed_headers = curl_slist_append(w->fixed_headers, "Expect:");
	w->url = strdup(url);
	w->curl = curl_easy_init();
	if (!w->fixed_headers || !w->url || !w->curl) {
		rc = -ENOMEM;
		goto fail;
	}
	CURL *c = w->curl;
	curl_easy_setopt(c, CURLOPT_URL, w->url);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout_us / 1000));
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(connect_us / 1000));
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, tls_verify ? 1L : 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, tls_verify ? 2L : 0L);
	if (ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca_file);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "simsieve");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, w);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, w->curl_err);
	if (!tls_verify)
		ss_warn("[%s]: tls_verify is off: the webhook's certificate is not checked", sec);
	*out = &w->base;
	return 0;
fail:
	webhook_close(&w->base);
	return rc;
}
