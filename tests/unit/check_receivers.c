/*
 * check_receivers.c - the webhook, osmo-hlr and exec receivers
 * (src/act/recv_*.c): the HMAC header against vectors computed with
 * `openssl dgst -sha256 -hmac`, CTRL framing and parsing against bytes
 * osmo-hlr 1.5.0 sent, exec exit codes and timeouts, and the webhook
 * against tools/webhook_receiver started on a free 127.0.0.1 port.
 */
#include "act/deliver.h"
#include "act/recv.h"
#include "core/config.h"
#include "core/err.h"
#include "core/log.h"
#include "core/time.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- HMAC ---- */

START_TEST(test_hmac_vectors)
{
	/* printf '%s' '1793607303.{"id":"9f0c2d3e6a1b4c55","action":"block"}' |
	 *   openssl dgst -sha256 -hmac 'simsieve-test-secret' */
	static const char key[] = "simsieve-test-secret", body[] = "{\"id\":\"9f0c2d3e6a1b4c55\",\"action\":\"block\"}";
	char sig[ACT_SIG_HEX_SIZE];
	act_webhook_sign((const uint8_t *)key, strlen(key), "1793607303", body, strlen(body), sig);
	ck_assert_str_eq(sig, "sha256=8b844e017253ebead51506e736e77a387af37d9384d9e53a41e04d085c1adc64");
	ck_assert(act_webhook_verify((const uint8_t *)key, strlen(key), "1793607303", body, strlen(body), sig));
	/* one byte of body, timestamp or key changed: no match */
	ck_assert(!act_webhook_verify((const uint8_t *)key, strlen(key), "1793607304", body, strlen(body), sig));
	ck_assert(!act_webhook_verify((const uint8_t *)key, strlen(key), "1793607303", body, strlen(body) - 1, sig));
	ck_assert(!act_webhook_verify((const uint8_t *)key, strlen(key) - 1, "1793607303", body, strlen(body), sig));
	ck_assert(!act_webhook_verify((const uint8_t *)key, strlen(key), "1793607303", body, strlen(body), "sha256=8b"));
	ck_assert(!act_webhook_verify((const uint8_t *)key, strlen(key), "1793607303", body, strlen(body), NULL));

	/* a batch body; printf '%s' '1793607303.[{"id":"1"},{"id":"2"}]' | openssl dgst -sha256 -hmac k */
	static const char batch[] = "[{\"id\":\"1\"},{\"id\":\"2\"}]";
	act_webhook_sign((const uint8_t *)"k", 1, "1793607303", batch, strlen(batch), sig);
	ck_assert_str_eq(sig, "sha256=4b2e674549458fbca7558361602e85e6398378b788ee122466273b7a6c0fa68b");

	/* a key longer than SHA-256's 64-byte block is hashed first (RFC 2104) */
	char longkey[101];
	memset(longkey, 'x', 100);
	longkey[100] = '\0';
	act_webhook_sign((const uint8_t *)longkey, 100, "1", "{}", 2, sig);
	ck_assert_str_eq(sig, "sha256=50071ab7f5d50852d478c8ce627289f85971cd6aa472d10b3e997dcdec95deee");
}
END_TEST

/* ---- CTRL ---- */

START_TEST(test_ctrl_frame)
{
	char buf[256];
	static const char get[] = "\x00\x34\xee\x00GET 5 subscriber.by-imsi-901700000000001.cs-enabled";
	int n = act_ctrl_frame(buf, sizeof(buf), "GET", 5, "subscriber.by-imsi-901700000000001.cs-enabled", NULL);
	ck_assert_int_eq(n, (int)sizeof(get) - 1);
	ck_assert_mem_eq(buf, get, sizeof(get) - 1);

	static const char set[] = "\x00\x33\xee\x00SET 4 subscriber.by-msisdn-4917000001.ps-enabled 0";
	n = act_ctrl_frame(buf, sizeof(buf), "SET", 4, "subscriber.by-msisdn-4917000001.ps-enabled", "0");
	ck_assert_int_eq(n, (int)sizeof(set) - 1);
	ck_assert_mem_eq(buf, set, sizeof(set) - 1);

	ck_assert_int_eq(act_ctrl_frame(buf, 20, "GET", 5, "subscriber.by-imsi-901700000000001.cs-enabled", NULL),
			 -SS_ETOOLONG);
}
END_TEST

START_TEST(test_ctrl_parse)
{
	/* replies as osmo-hlr 1.5.0 sent them (captured from its CTRL port) */
	static const char set_reply[] = "\x00\x3d\xee\x00SET_REPLY 4 subscriber.by-imsi-901700000000001.cs-enabled OK";
	static const char get_reply[] = "\x00\x3c\xee\x00GET_REPLY 5 subscriber.by-imsi-901700000000001.cs-enabled 0";
	static const char err_set[] = "\x00\x1f\xee\x00" "ERROR 6 An error has occurred.";
	static const char err_get[] = "\x00\x1c\xee\x00" "ERROR 7 No such subscriber.";
	static const char info[] = "\x00\x34\xee\x00GET_REPLY 14 subscriber.by-id-1.info \nid\t1\nnam_cs\t0";
	struct act_ctrl_msg m;

	ck_assert_int_eq(act_ctrl_parse(set_reply, sizeof(set_reply) - 1, &m), (int)sizeof(set_reply) - 1);
	ck_assert_int_eq(m.type, ACT_CTRL_SET_REPLY);
	ck_assert_uint_eq(m.id, 4);
	ck_assert_uint_eq(m.var_len, strlen("subscriber.by-imsi-901700000000001.cs-enabled"));
	ck_assert(memcmp(m.var, "subscriber.by-imsi-901700000000001.cs-enabled", m.var_len) == 0);
	ck_assert(m.value_len == 2 && memcmp(m.value, "OK", 2) == 0);

	ck_assert_int_eq(act_ctrl_parse(get_reply, sizeof(get_reply) - 1, &m), (int)sizeof(get_reply) - 1);
	ck_assert_int_eq(m.type, ACT_CTRL_GET_REPLY);
	ck_assert_uint_eq(m.id, 5);
	ck_assert(m.value_len == 1 && m.value[0] == '0');

	ck_assert_int_eq(act_ctrl_parse(err_set, sizeof(err_set) - 1, &m), (int)sizeof(err_set) - 1);
	ck_assert_int_eq(m.type, ACT_CTRL_ERROR);
	ck_assert_uint_eq(m.id, 6);
	ck_assert(m.value_len == strlen("An error has occurred.") && memcmp(m.value, "An error", 8) == 0);
	ck_assert_int_eq(act_ctrl_parse(err_get, sizeof(err_get) - 1, &m), (int)sizeof(err_get) - 1);
	ck_assert(m.type == ACT_CTRL_ERROR && m.id == 7 && memcmp(m.value, "No such subscriber.", m.value_len) == 0);

	/* a multi-line value stays whole */
	ck_assert_int_eq(act_ctrl_parse(info, sizeof(info) - 1, &m), (int)sizeof(info) - 1);
	ck_assert(m.type == ACT_CTRL_GET_REPLY && m.id == 14);
	ck_assert(m.value_len == strlen("\nid\t1\nnam_cs\t0") && m.value[0] == '\n');

	/* incomplete header, incomplete body: need more */
	ck_assert_int_eq(act_ctrl_parse(get_reply, 2, &m), 0);
	ck_assert_int_eq(act_ctrl_parse(get_reply, sizeof(get_reply) - 2, &m), 0);

	/* two frames back to back: the first only */
	char two[256];
	memcpy(two, err_get, sizeof(err_get) - 1);
	memcpy(two + sizeof(err_get) - 1, get_reply, sizeof(get_reply) - 1);
	ck_assert_int_eq(act_ctrl_parse(two, sizeof(err_get) - 1 + sizeof(get_reply) - 1, &m), (int)sizeof(err_get) - 1);
	ck_assert_uint_eq(m.id, 7);

	/* an IPA CCM PING (protocol 0xFE) is consumed and ignored */
	ck_assert_int_eq(act_ctrl_parse("\x00\x01\xfe\x00", 4, &m), 4);
	ck_assert_int_eq(m.type, ACT_CTRL_OTHER);

	/* malformed: non-numeric or missing id */
	ck_assert_int_eq(act_ctrl_parse("\x00\x0c\xee\x00GET_REPLY x", 15, &m), -SS_EPARSE);
	ck_assert_int_eq(act_ctrl_parse("\x00\x06\xee\x00" "ERROR", 9, &m), -SS_EPARSE);
	ck_assert_int_eq(act_ctrl_parse("\x00\x11\xee\x00" "ERROR 99999999999", 20, &m), -SS_EPARSE);
}
END_TEST

START_TEST(test_json_get)
{
	static const char a[] =
		"{\"id\":\"9f0c2d3e6a1b4c55\",\"action\":\"block\",\"mode\":\"enforce\","
		"\"reasons\":[{\"code\":\"x.y\",\"detail\":\"\\\"imsi\\\":\\\"1\\\" {[\"}],\"n\":-1.5e3,\"b\":true,"
		"\"subject\":{\"msisdn\":\"8613800138000\",\"imsi\":\"460001234567890\"},\"imsi\":\"decoy\"}";
	char v[32];
	ck_assert_int_eq(act_json_get(a, strlen(a), NULL, "action", v, sizeof(v)), 5);
	ck_assert_str_eq(v, "block");
	ck_assert_int_eq(act_json_get(a, strlen(a), "subject", "imsi", v, sizeof(v)), 15);
	ck_assert_str_eq(v, "460001234567890");
	ck_assert_int_eq(act_json_get(a, strlen(a), NULL, "imsi", v, sizeof(v)), 5);
	ck_assert_str_eq(v, "decoy");
	ck_assert_int_eq(act_json_get(a, strlen(a), "subject", "imei", v, sizeof(v)), -SS_ENOTFOUND);
	ck_assert_int_eq(act_json_get(a, strlen(a), "nosuch", "imsi", v, sizeof(v)), -SS_ENOTFOUND);
	ck_assert_int_eq(act_json_get(a, strlen(a), NULL, "id", v, 8), -SS_ETOOLONG);
	ck_assert_int_eq(act_json_get(a, strlen(a), NULL, "b", v, sizeof(v)), -SS_EPARSE);
	ck_assert_int_eq(act_json_get(a, 30, NULL, "mode", v, sizeof(v)), -SS_ENOTFOUND); /* truncated */
}
END_TEST

/* ---- helpers ---- */

static int open_fails(const char *text, const char *name,
		      int (*open)(const struct ss_config *, const char *, struct act_receiver **))
{
	struct ss_config *cfg;
	char err[256];
	struct act_receiver *r = NULL;
	ck_assert_int_eq(ss_config_from_string(text, &cfg, err, sizeof(err)), 0);
	int rc = open(cfg, name, &r);
	ck_assert_ptr_null(r);
	ss_config_free(cfg);
	return rc;
}

#define ACTION(id, kind, imsi)                                                                                   \
	"{\"id\":\"" id "\",\"action\":\"" kind "\",\"mode\":\"enforce\",\"subject\":{\"msisdn\":\"\",\"imsi\":\"" imsi \
	"\"},\"score\":90,\"reasons\":[{\"code\":\"simbox.outbound_only\",\"detail\":\"t\"}]}"

static struct act_delivery delivery(const char *json, uint64_t id)
{
	struct act_delivery d = { .seq = id, .id = id, .json = json, .len = strlen(json), .queued_at = 0 };
	return d;
}

/* ---- exec ---- */

START_TEST(test_exec_split)
{
	char *argv[8], store[128];
	ck_assert_int_eq(act_exec_split("  /bin/echo a\\ b 'c d' \"e\\\"f\" ''", argv, 8, store, sizeof(store)), 5);
	ck_assert_str_eq(argv[0], "/bin/echo");
	ck_assert_str_eq(argv[1], "a b");
	ck_assert_str_eq(argv[2], "c d");
	ck_assert_str_eq(argv[3], "e\"f");
	ck_assert_str_eq(argv[4], "");
	ck_assert_ptr_null(argv[5]);
	ck_assert_int_eq(act_exec_split("a 'b", argv, 8, store, sizeof(store)), -SS_EPARSE);
	ck_assert_int_eq(act_exec_split("   ", argv, 8, store, sizeof(store)), -SS_EPARSE);
	ck_assert_int_eq(act_exec_split("a b c d e f g h i", argv, 8, store, sizeof(store)), -SS_ETOOLONG);
}
END_TEST

static enum act_result exec_once(const char *command, const char *extra, char *why, int *rc)
{
	char text[1024];
	snprintf(text, sizeof(text), "[sink.x]\ntype = exec\ncommand = %s\n%s", command, extra ? extra : "");
	struct ss_config *cfg;
	char err[256];
	struct act_receiver *r = NULL;
	ck_assert_int_eq(ss_config_from_string(text, &cfg, err, sizeof(err)), 0);
	ss_config_string(cfg, "sink.x", "type", NULL, &(const char *){ NULL });
	ck_assert_int_eq(act_receiver_exec_open(cfg, "x", &r), 0);
	ss_config_free(cfg);
	ck_assert_uint_eq(r->max_batch, 1);
	struct act_delivery d = delivery(ACTION("00000000000000aa", "block", "460001234567890"), 0xaa);
	enum act_result res = ACT_DELIVERED;
	*rc = r->ops->send(r, &d, 1, &res, why, ACT_WHY_SIZE);
	r->ops->close(r);
	return res;
}

/* Running or sleeping, not gone and not a zombie nobody reaped (a container's init may not reap). */
static bool process_alive(pid_t pid)
{
	char p[64], stat[256];
	snprintf(p, sizeof(p), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(p, "r");
	if (!f)
		return false;
	bool alive = fgets(stat, sizeof(stat), f) != NULL;
	fclose(f);
	const char *close_paren = alive ? strrchr(stat, ')') : NULL;
	return close_paren && close_paren[1] == ' ' && close_paren[2] != 'Z' && close_paren[2] != 'X';
}

START_TEST(test_exec_results)
{
	char why[ACT_WHY_SIZE], dir[] = "/tmp/check_receivers.XXXXXX", cmd[512];
	int rc;
	ck_assert_ptr_nonnull(mkdtemp(dir));

	/* exit 0, with the JSON line and the environment the command sees */
	snprintf(cmd, sizeof(cmd), "sh -c 'cat > %s/in; echo \"$SIMSIEVE_ACTION_ID $SIMSIEVE_SINK\" > %s/env'", dir,
		 dir);
	ck_assert_int_eq(exec_once(cmd, NULL, why, &rc), ACT_DELIVERED);
	ck_assert_int_eq(rc, 0);
	char path[600], buf[512];
	snprintf(path, sizeof(path), "%s/in", dir);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_str_eq(buf, ACTION("00000000000000aa", "block", "460001234567890") "\n");
	snprintf(path, sizeof(path), "%s/env", dir);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	ck_assert_str_eq(buf, "00000000000000aa x\n");

	/* exit 2: rejected; any other: retry; a signal: retry */
	ck_assert_int_eq(exec_once("sh -c 'exit 2'", NULL, why, &rc), ACT_REJECTED);
	ck_assert_str_eq(why, "sh exited with 2");
	ck_assert_int_eq(exec_once("sh -c 'exit 3'", NULL, why, &rc), ACT_RETRY);
	ck_assert_int_eq(exec_once("sh -c 'exit 1'", NULL, why, &rc), ACT_RETRY);
	ck_assert_int_eq(exec_once("sh -c 'kill -TERM $$'", NULL, why, &rc), ACT_RETRY);
	ck_assert(strstr(why, "signal 15") != NULL);
	/* a command that does not read its input is still judged by its exit code */
	ck_assert_int_eq(exec_once("true", NULL, why, &rc), ACT_DELIVERED);
	/* not found: the child exits 127 -> retry */
	ck_assert_int_eq(exec_once("/nonexistent/cmd", NULL, why, &rc), ACT_RETRY);
	/* shell = true runs /bin/sh -c */
	ck_assert_int_eq(exec_once("test \"$SIMSIEVE_SINK\" = x && exit 2", "shell = true\n", why, &rc), ACT_REJECTED);

	/* timeout: the whole process group dies, background children too */
	snprintf(cmd, sizeof(cmd), "sh -c 'sleep 30 & echo $! > %s/bg; sleep 30'", dir);
	ss_time_us t0 = ss_time_monotonic();
	ck_assert_int_eq(exec_once(cmd, "timeout = 0.3s\n", why, &rc), ACT_RETRY);
	ss_time_us took = ss_time_monotonic() - t0;
	ck_assert_msg(took < 3 * SS_US_PER_SEC, "timeout took %lld us", (long long)took);
	ck_assert(strstr(why, "timed out") != NULL);
	snprintf(path, sizeof(path), "%s/bg", dir);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	int bg = 0;
	ck_assert_int_eq(fscanf(f, "%d", &bg), 1);
	fclose(f);
	bool alive = true;
	for (int i = 0; i < 100 && alive; i++) {
		alive = process_alive(bg);
		if (alive)
			usleep(10000);
	}
	ck_assert_msg(!alive, "background child %d survived the timeout", bg);

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);

	/* configuration errors */
	ck_assert_int_eq(open_fails("[sink.x]\ntype = exec\n", "x", act_receiver_exec_open), -SS_EMISSING);
	ck_assert_int_eq(open_fails("[sink.x]\ncommand = a 'b\n", "x", act_receiver_exec_open), -SS_EPARSE);
}
END_TEST

/* ---- webhook against tools/webhook_receiver ---- */

struct server {
	pid_t pid;
	int port;
	char dir[64];
};

static void path_in(const struct server *s, const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%s", s->dir, name);
}

static void set_mode(const struct server *s, const char *mode)
{
	char p[128];
	path_in(s, "mode", p, sizeof(p));
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s\n", mode);
	fclose(f);
}

static void server_start(struct server *s, const char *secret)
{
	char exe[PATH_MAX], tool[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0'; /* <build>/tests */
	snprintf(tool, sizeof(tool), "%s/../tools/webhook_receiver", exe);
	ck_assert_msg(access(tool, X_OK) == 0, "%s not built", tool);
	snprintf(s->dir, sizeof(s->dir), "/tmp/check_webhook.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(s->dir));
	char port_file[128], out[128], mode[128], stats[128];
	path_in(s, "port", port_file, sizeof(port_file));
	path_in(s, "actions", out, sizeof(out));
	path_in(s, "mode", mode, sizeof(mode));
	path_in(s, "stats", stats, sizeof(stats));
	set_mode(s, "ok");
	s->pid = fork();
	ck_assert_int_ge(s->pid, 0);
	if (s->pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDOUT_FILENO);
		execl(tool, "webhook_receiver", "-P", port_file, "-o", out, "-c", mode, "-S", stats, "-k", secret,
		      (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500; i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			ck_assert_int_eq(fscanf(f, "%d", &s->port), 1);
			fclose(f);
			return;
		}
		usleep(10000);
	}
	ck_abort_msg("webhook_receiver did not start");
}

/* Stop it; returns its statistics line in @stats. */
static void server_stop(struct server *s, char *stats, size_t size)
{
	char p[128], cmd[160];
	int status;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, &status, 0);
	path_in(s, "stats", p, sizeof(p));
	FILE *f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(stats, (int)size, f));
	fclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s->dir);
	ck_assert_int_eq(system(cmd), 0);
}

static int count_lines(const struct server *s)
{
	char p[128];
	path_in(s, "actions", p, sizeof(p));
	FILE *f = fopen(p, "r");
	if (!f)
		return 0;
	int n = 0, c;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static struct act_receiver *webhook(const struct server *s, const char *secret, int batch, const char *extra)
{
	char text[512];
	snprintf(text, sizeof(text),
		 "[sink.w]\ntype = webhook\nurl = http://127.0.0.1:%d/simsieve\nsecret = %s\nbatch = %d\n"
		 "timeout = 0.5s\nconnect_timeout = 0.5s\nheader = X-Tenant: test\n%s",
		 s->port, secret, batch, extra ? extra : "");
	struct ss_config *cfg;
	char err[256];
	struct act_receiver *r = NULL;
	ck_assert_int_eq(ss_config_from_string(text, &cfg, err, sizeof(err)), 0);
	ss_config_string(cfg, "sink.w", "type", NULL, &(const char *){ NULL });
	ck_assert_int_eq(act_receiver_webhook_open(cfg, "w", &r), 0);
	ck_assert_int_eq(ss_config_check_unused(cfg), 0);
	ss_config_free(cfg);
	ck_assert_uint_eq(r->max_batch, (size_t)batch);
	return r;
}

START_TEST(test_webhook_statuses)
{
	struct server s;
	server_start(&s, "t0p-secret");
	struct act_receiver *r = webhook(&s, "t0p-secret", 3, NULL);
	const char *j[3] = { ACTION("0000000000000001", "block", "460001234567891"),
			     ACTION("0000000000000002", "limit", "460001234567892"),
			     ACTION("0000000000000003", "release", "460001234567893") };
	struct act_delivery d[3] = { delivery(j[0], 1), delivery(j[1], 2), delivery(j[2], 3) };
	enum act_result res[3];
	char why[ACT_WHY_SIZE];

	/* 200: all three delivered, in one request (an array) */
	ck_assert_int_eq(r->ops->send(r, d, 3, res, why, sizeof(why)), 0);
	ck_assert(res[0] == ACT_DELIVERED && res[1] == ACT_DELIVERED && res[2] == ACT_DELIVERED);
	ck_assert_int_eq(count_lines(&s), 3);

	/* 400 and 409: rejected for good */
	set_mode(&s, "400");
	ck_assert_int_eq(r->ops->send(r, d, 2, res, why, sizeof(why)), 0);
	ck_assert(res[0] == ACT_REJECTED && res[1] == ACT_REJECTED);
	ck_assert_msg(strncmp(why, "HTTP 400", 8) == 0, "why: %s", why);
	set_mode(&s, "409");
	ck_assert_int_eq(r->ops->send(r, d, 1, res, why, sizeof(why)), 0);
	ck_assert_int_eq(res[0], ACT_REJECTED);

	/* 429 and 500: retry */
	set_mode(&s, "429");
	ck_assert_int_eq(r->ops->send(r, d, 2, res, why, sizeof(why)), 0);
	ck_assert(res[0] == ACT_RETRY && res[1] == ACT_RETRY);
	set_mode(&s, "500");
	ck_assert_int_eq(r->ops->send(r, d, 3, res, why, sizeof(why)), 0);
	ck_assert(res[0] == ACT_RETRY && res[2] == ACT_RETRY);
	ck_assert_msg(strncmp(why, "HTTP 500", 8) == 0, "why: %s", why);

	/* stall: no answer within the 0.5 s timeout -> retry, unreachable */
	set_mode(&s, "stall");
	ss_time_us t0 = ss_time_monotonic();
	ck_assert_int_lt(r->ops->send(r, d, 1, res, why, sizeof(why)), 0);
	ss_time_us took = ss_time_monotonic() - t0;
	ck_assert_int_eq(res[0], ACT_RETRY);
	ck_assert_msg(took >= 400000 && took < 3 * SS_US_PER_SEC, "stall took %lld us", (long long)took);

	/* connection closed without an answer -> retry */
	set_mode(&s, "close");
	ck_assert_int_lt(r->ops->send(r, d, 1, res, why, sizeof(why)), 0);
	ck_assert_int_eq(res[0], ACT_RETRY);

	/* healthy again: the same receiver recovers; a re-sent id is a duplicate there */
	set_mode(&s, "ok");
	ck_assert_int_eq(r->ops->send(r, d + 2, 1, res, why, sizeof(why)), 0);
	ck_assert_int_eq(res[0], ACT_DELIVERED);
	r->ops->close(r);

	/* a receiver with the wrong secret: 401 -> rejected (a 4xx) */
	r = webhook(&s, "wrong", 1, NULL);
	ck_assert_int_eq(r->ops->send(r, d, 1, res, why, sizeof(why)), 0);
	ck_assert_int_eq(res[0], ACT_REJECTED);
	ck_assert_msg(strncmp(why, "HTTP 401", 8) == 0, "why: %s", why);
	r->ops->close(r);

	/* batch = 1: the body is one object, recorded as one line */
	r = webhook(&s, "t0p-secret", 1, NULL);
	ck_assert_int_eq(r->ops->send(r, d + 1, 1, res, why, sizeof(why)), 0);
	ck_assert_int_eq(res[0], ACT_DELIVERED);
	r->ops->close(r);
	ck_assert_int_eq(count_lines(&s), 5);

	char stats[256];
	server_stop(&s, stats, sizeof(stats));
	ck_assert_msg(strncmp(stats, "received 5 unique 3 duplicates 2 bad_signatures 1 ", 50) == 0, "stats: %s",
		      stats);
}
END_TEST

START_TEST(test_webhook_unreachable)
{
	/* a port nobody listens on: bind one, close it, use it */
	struct server s = { .port = 1 };
	char text[256];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	s.port = ntohs(a.sin_port);
	close(fd);
	struct act_receiver *r = webhook(&s, "k", 10, NULL);
	const char *j = ACTION("0000000000000009", "block", "460001234567899");
	struct act_delivery d[2] = { delivery(j, 9), delivery(j, 9) };
	enum act_result res[2] = { ACT_DELIVERED, ACT_DELIVERED };
	char why[ACT_WHY_SIZE];
	ck_assert_int_lt(r->ops->send(r, d, 2, res, why, sizeof(why)), 0);
	ck_assert(res[0] == ACT_RETRY && res[1] == ACT_RETRY);
	r->ops->close(r);

	/* configuration errors */
	snprintf(text, sizeof(text), "[sink.w]\ntype = webhook\nsecret = k\n");
	ck_assert_int_eq(open_fails(text, "w", act_receiver_webhook_open), -SS_EMISSING);
	snprintf(text, sizeof(text), "[sink.w]\nurl = http://127.0.0.1:1/\n");
	ck_assert_int_eq(open_fails(text, "w", act_receiver_webhook_open), -SS_ECONFIG);
	snprintf(text, sizeof(text), "[sink.w]\nurl = http://127.0.0.1:1/\nsecret = k\nsecret_file = /x\n");
	ck_assert_int_eq(open_fails(text, "w", act_receiver_webhook_open), -SS_ECONFIG);
	snprintf(text, sizeof(text), "[sink.w]\nurl = http://127.0.0.1:1/\nsecret_file = /nonexistent/secret\n");
	ck_assert_int_eq(open_fails(text, "w", act_receiver_webhook_open), -ENOENT);
	snprintf(text, sizeof(text), "[sink.w]\nurl = http://127.0.0.1:1/\nsecret = k\nheader = NoColon\n");
	ck_assert_int_eq(open_fails(text, "w", act_receiver_webhook_open), -SS_ECONFIG);
	snprintf(text, sizeof(text), "[sink.w]\nurl = http://127.0.0.1:1/\nsecret = k\nbatch = 0\n");
	ck_assert_int_eq(open_fails(text, "w", act_receiver_webhook_open), -SS_ECONFIG);
}
END_TEST

START_TEST(test_webhook_secret_file)
{
	struct server s;
	server_start(&s, "from-a-file");
	char p[128], text[512];
	path_in(&s, "secret", p, sizeof(p));
	FILE *f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs("from-a-file\n", f); /* the trailing newline is not part of the secret */
	fclose(f);
	snprintf(text, sizeof(text), "[sink.w]\ntype = webhook\nurl = http://127.0.0.1:%d/\nsecret_file = %s\n", s.port,
		 p);
	struct ss_config *cfg;
	char err[256];
	struct act_receiver *r = NULL;
	ck_assert_int_eq(ss_config_from_string(text, &cfg, err, sizeof(err)), 0);
	ck_assert_int_eq(act_receiver_webhook_open(cfg, "w", &r), 0);
	ss_config_free(cfg);
	ck_assert_uint_eq(r->max_batch, 100);
	struct act_delivery d = delivery(ACTION("000000000000000a", "block", "460001234567890"), 10);
	enum act_result res;
	char why[ACT_WHY_SIZE];
	ck_assert_int_eq(r->ops->send(r, &d, 1, &res, why, sizeof(why)), 0);
	ck_assert_int_eq(res, ACT_DELIVERED);
	r->ops->close(r);
	char stats[256];
	server_stop(&s, stats, sizeof(stats));
	ck_assert_msg(strncmp(stats, "received 1 unique 1 duplicates 0 bad_signatures 0 ", 50) == 0, "stats: %s",
		      stats);
}
END_TEST

/* ---- hlr without an HLR: what is decided before any I/O ---- */

START_TEST(test_hlr_no_server)
{
	struct server s = { .port = 1 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	s.port = ntohs(a.sin_port);
	close(fd);
	char text[256];
	snprintf(text, sizeof(text), "[sink.h]\ntype = hlr\nhost = 127.0.0.1\nport = %d\ntimeout = 0.5s\nbatch = 8\n",
		 s.port);
	struct ss_config *cfg;
	char err[256];
	struct act_receiver *r = NULL;
	ck_assert_int_eq(ss_config_from_string(text, &cfg, err, sizeof(err)), 0);
	ss_config_string(cfg, "sink.h", "type", NULL, &(const char *){ NULL });
	ck_assert_int_eq(act_receiver_hlr_open(cfg, "h", &r), 0);
	ck_assert_int_eq(ss_config_check_unused(cfg), 0);
	ss_config_free(cfg);
	ck_assert_uint_eq(r->max_batch, 8);

	/* monitor, shadow, no subject, bad IMSI, unknown kind: no connection needed */
	const char *j[5] = {
		ACTION("0000000000000001", "monitor", "460001234567890"),
		"{\"id\":\"0000000000000002\",\"action\":\"block\",\"mode\":\"shadow\",\"subject\":{\"imsi\":\"460001234567890\"}}",
		"{\"id\":\"0000000000000003\",\"action\":\"block\",\"mode\":\"enforce\",\"subject\":{\"imei\":\"86723404123456\"}}",
		ACTION("0000000000000004", "block", "46000x"),
		ACTION("0000000000000005", "suspend", "460001234567890"),
	};
	struct act_delivery d[6];
	for (int i = 0; i < 5; i++)
		d[i] = delivery(j[i], (uint64_t)i + 1);
	enum act_result res[6];
	char why[ACT_WHY_SIZE];
	ck_assert_int_eq(r->ops->send(r, d, 5, res, why, sizeof(why)), 0);
	ck_assert_int_eq(res[0], ACT_DELIVERED);
	ck_assert_int_eq(res[1], ACT_DELIVERED);
	ck_assert_int_eq(res[2], ACT_REJECTED);
	ck_assert_int_eq(res[3], ACT_REJECTED);
	ck_assert_int_eq(res[4], ACT_REJECTED);
	ck_assert_str_eq(why, "subject has neither IMSI nor MSISDN");

	/* a real write with the HLR down: unreachable, everything retried */
	d[5] = delivery(ACTION("0000000000000006", "block", "460001234567890"), 6);
	ck_assert_int_lt(r->ops->send(r, d + 4, 2, res, why, sizeof(why)), 0);
	ck_assert(res[0] == ACT_RETRY && res[1] == ACT_RETRY);
	r->ops->close(r);
}
END_TEST

static Suite *receivers_suite(void)
{
	Suite *s = suite_create("receivers");
	TCase *tc = tcase_create("units");
	tcase_add_test(tc, test_hmac_vectors);
	tcase_add_test(tc, test_ctrl_frame);
	tcase_add_test(tc, test_ctrl_parse);
	tcase_add_test(tc, test_json_get);
	tcase_add_test(tc, test_exec_split);
	suite_add_tcase(s, tc);
	TCase *io = tcase_create("io");
	tcase_set_timeout(io, 30);
	tcase_add_test(io, test_exec_results);
	tcase_add_test(io, test_webhook_statuses);
	tcase_add_test(io, test_webhook_unreachable);
	tcase_add_test(io, test_webhook_secret_file);
	tcase_add_test(io, test_hlr_no_server);
	suite_add_tcase(s, io);
	return s;
}

int main(void)
{
	ss_log_set_level(SS_LOG_SILENT);
	SRunner *sr = srunner_create(receivers_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
