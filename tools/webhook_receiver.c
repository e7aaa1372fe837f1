/*
 * webhook_receiver - a small HTTP/1.1 server on 127.0.0.1 that plays the
 * operator's provisioning endpoint in tests and benchmarks of the webhook
 * receiver (src/act/recv_webhook.c, docs/provisioning.md).
 *
 *   webhook_receiver [-p PORT] [-P PORTFILE] [-o ACTIONS] [-k SECRET]
 *                    [-m MODE] [-c CONTROLFILE] [-S STATSFILE] [-q]
 *
 *   -p PORT      listen port (0, the default: any free port)
 *   -P FILE      write the port chosen to FILE once listening (tests wait for it)
 *   -o FILE      append each accepted action (one JSON object a line)
 *   -k SECRET    verify X-Simsieve-Signature over "<timestamp>.<body>";
 *                a bad or missing signature is answered 401 and counted
 *   -m MODE      how to answer: ok (200), 500, 400, 409, 429, stall (never
 *                answer; the client times out), close (close the
 *                connection without answering)
 *   -c FILE      read MODE from FILE before each request (a test switches
 *                behaviour by rewriting it); absent or empty = -m's mode
 *   -S FILE      write the statistics line there on exit as well
 *
 * Bodies: Content-Length only (no chunked), one action object or a JSON
 * array of them.  Actions are de-duplicated on their "id": `unique` counts
 * first sightings, `duplicates` the rest.  Only answered-2xx requests
 * count as received.  On SIGTERM/SIGINT it prints
 *   received N unique N duplicates N bad_signatures N requests N rejected N
 * (rejected: requests answered with a non-2xx) to stdout and exits 0.
 */
#include "act/recv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONN 128
#define CONN_BUF (4 * 1024 * 1024)

struct conn {
	int fd;
	char *buf;
	size_t len;
	bool stalled;
};

static volatile sig_atomic_t stop;
static struct conn conns[MAX_CONN];
static const char *mode_default = "ok", *control_file, *secret;
static FILE *out;
static unsigned long long n_received, n_unique, n_dup, n_badsig, n_requests, n_rejected;

/* ---- id set: open addressing on 64-bit ids ---- */
static uint64_t *ids;
static size_t ids_cap, ids_n;

static bool id_insert(uint64_t id)
{
	if (id == 0)
		id = 1; /* 0 marks an empty slot */
	if ((ids_n + 1) * 2 > ids_cap) {
		size_t cap = ids_cap ? ids_cap * 2 : 1 << 16;
		uint64_t *t = calloc(cap, sizeof(*t));
		if (!t) {
			perror("webhook_receiver: calloc");
			exit(1);
		}
		for (size_t i = 0; i < ids_cap; i++)
			if (ids[i]) {
				size_t j = (ids[i] * 0x9e3779b97f4a7c15ull) & (cap - 1);
				while (t[j])
					j = (j + 1) & (cap - 1);
				t[j] = ids[i];
			}
		free(ids);
		ids = t;
		ids_cap = cap;
	}
	size_t j = (id * 0x9e3779b97f4a7c15ull) & (ids_cap - 1);
	while (ids[j]) {
		if (ids[j] == id)
			return false;
		j = (j + 1) & (ids_cap - 1);
	}
	ids[j] = id;
	ids_n++;
	return true;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void mode_now(char *buf, size_t size)
{
	snprintf(buf, size, "%s", mode_default);
	if (!control_file)
		return;
	FILE *f = fopen(control_file, "r");
	if (!f)
		return;
	char line[32];
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, " \t\r\n")] = '\0';
		if (line[0])
			snprintf(buf, size, "%s", line);
	}
	fclose(f);
}

static void reply(struct conn *c, int status, const char *text)
{
	char resp[256];
	int n = snprintf(resp, sizeof(resp), "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
			 status, text, strlen(text), text);
	if (send(c->fd, resp, (size_t)n, MSG_NOSIGNAL) < 0)
		return; /* the peer went away: nothing to do */
}

/* Record the actions of an accepted body. */
static void record(const char *body, size_t len)
{
	const char *p = body, *end = body + len;
	while (p < end && *p != '{' && *p != '[')
		p++;
	if (p < end && *p == '[')
		p++;
	while (p < end) {
		while (p < end && *p != '{')
			p++;
		if (p >= end)
			break;
		const char *s = p;
		int depth = 0;
		bool in_str = false;
		for (; p < end; p++) {
			if (in_str) {
				if (*p == '\\' && p + 1 < end) /* a trailing backslash: not past the body */
					p++;
				else if (*p == '"')
					in_str = false;
			} else if (*p == '"') {
				in_str = true;
			} else if (*p == '{') {
				depth++;
			} else if (*p == '}' && --depth == 0) {
				p++;
				break;
			}
		}
		char id[40];
		n_received++;
		if (act_json_get(s, (size_t)(p - s), NULL, "id", id, sizeof(id)) > 0 &&
		    !id_insert(strtoull(id, NULL, 16)))
			n_dup++;
		else
			n_unique++;
		if (out) {
			fwrite(s, 1, (size_t)(p - s), out);
			fputc('\n', out);
		}
	}
	if (out)
		fflush(out);
}

static const char *header(const char *head, size_t head_len, const char *name, char *val, size_t size)
{
	size_t nl = strlen(name);
	const char *p = head, *end = head + head_len;
	while (p < end) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		if (!e)
			e = end;
		if ((size_t)(e - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (v < e && *v == ' ')
				v++;
			size_t vl = (size_t)(e - v);
			while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			if (vl >= size)
				vl = size - 1;
			memcpy(val, v, vl);
			val[vl] = '\0';
			return val;
		}
		p = e + 1;
	}
	return NULL;
}

/* Handle complete requests in c->buf.  Returns false when the connection is to be closed. */
static bool serve(struct conn *c)
{
	for (;;) {
		if (c->stalled)
			return true; /* swallow input, never answer */
		char *hend = memmem(c->buf, c->len, "\r\n\r\n", 4);
		if (!hend)
			return c->len < CONN_BUF;
		size_t head_len = (size_t)(hend - c->buf) + 4;
		char val[160];
		size_t body_len = 0;
		if (header(c->buf, head_len, "Content-Length", val, sizeof(val)))
			body_len = strtoul(val, NULL, 10);
		if (body_len > CONN_BUF - head_len) /* not head_len + body_len: a huge Content-Length wraps */
			return false;
		if (c->len < head_len + body_len)
			return true;
		const char *body = c->buf + head_len;
		bool close_after = header(c->buf, head_len, "Connection", val, sizeof(val)) && strcasecmp(val, "close") == 0;
		char mode[32];
		n_requests++;
		mode_now(mode, sizeof(mode));
		int status = 200;
		const char *text = "ok";
		if (secret) {
			char ts[64], sig[160];
			if (!header(c->buf, head_len, ACT_TS_HEADER, ts, sizeof(ts)) ||
			    !header(c->buf, head_len, ACT_SIG_HEADER, sig, sizeof(sig)) ||
			    !act_webhook_verify((const uint8_t *)secret, strlen(secret), ts, body, body_len, sig)) {
				n_badsig++;
				status = 401, text = "bad signature";
			}
		}
		if (status == 200) {
			if (strcmp(mode, "stall") == 0) {
				c->stalled = true;
				n_rejected++;
				return true;
			}
			if (strcmp(mode, "close") == 0) {
				n_rejected++;
				return false;
			}
			if (strcmp(mode, "500") == 0)
				status = 500, text = "internal error";
			else if (strcmp(mode, "400") == 0)
				status = 400, text = "bad request";
			else if (strcmp(mode, "409") == 0)
				status = 409, text = "conflict";
			else if (strcmp(mode, "429") == 0)
				status = 429, text = "too many requests";
		}
		if (status == 200)
			record(body, body_len);
		else
			n_rejected++;
		reply(c, status, text);
		memmove(c->buf, c->buf + head_len + body_len, c->len - head_len - body_len);
		c->len -= head_len + body_len;
		if (close_after)
			return false;
	}
}

static void drop(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->len = 0;
	c->stalled = false;
}

int main(int argc, char **argv)
{
	int port = 0, opt;
	const char *port_file = NULL, *out_path = NULL, *stats_file = NULL;

	while ((opt = getopt(argc, argv, "p:P:o:k:m:c:S:q")) != -1) {
		switch (opt) {
		case 'p': port = atoi(optarg); break;
		case 'P': port_file = optarg; break;
		case 'o': out_path = optarg; break;
		case 'k': secret = optarg; break;
		case 'm': mode_default = optarg; break;
		case 'c': control_file = optarg; break;
		case 'S': stats_file = optarg; break;
		case 'q': break;
		default:
			fprintf(stderr, "usage: webhook_receiver [-p PORT] [-P PORTFILE] [-o ACTIONS] [-k SECRET] "
					"[-m ok|500|400|409|429|stall|close] [-c CONTROLFILE] [-S STATSFILE]\n");
			return 2;
		}
	}
	if (out_path && !(out = fopen(out_path, "a"))) {
		perror(out_path);
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(lfd, 64) < 0) {
		perror("webhook_receiver: bind/listen");
		return 1;
	}
	socklen_t al = sizeof(a);
	getsockname(lfd, (struct sockaddr *)&a, &al);
	if (port_file) {
		char tmp[4096];
		snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
		FILE *f = fopen(tmp, "w");
		if (!f || fprintf(f, "%d\n", ntohs(a.sin_port)) < 0 || fclose(f) != 0 || rename(tmp, port_file) < 0) {
			perror(port_file);
			return 1;
		}
	}
	for (int i = 0; i < MAX_CONN; i++)
		conns[i].fd = -1;

	while (!stop) {
		struct pollfd pfd[MAX_CONN + 1];
		int map[MAX_CONN + 1], np = 0;
		pfd[np].fd = lfd, pfd[np].events = POLLIN, map[np++] = -1;
		for (int i = 0; i < MAX_CONN; i++)
			if (conns[i].fd >= 0)
				pfd[np].fd = conns[i].fd, pfd[np].events = POLLIN, map[np++] = i;
		int pr = poll(pfd, (nfds_t)np, 200);
		if (pr < 0 && errno != EINTR) {
			perror("poll");
			break;
		}
		for (int k = 0; k < np && pr > 0; k++) {
			if (!pfd[k].revents)
				continue;
			if (map[k] < 0) {
				int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
				if (fd < 0)
					continue;
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				int i = 0;
				while (i < MAX_CONN && conns[i].fd >= 0)
					i++;
				if (i == MAX_CONN) {
					close(fd);
					continue;
				}
				if (!conns[i].buf && !(conns[i].buf = malloc(CONN_BUF))) {
					close(fd);
					continue;
				}
				conns[i].fd = fd;
				conns[i].len = 0;
				conns[i].stalled = false;
				continue;
			}
			struct conn *c = &conns[map[k]];
			if (c->len == CONN_BUF) {
				drop(c);
				continue;
			}
			ssize_t got = recv(c->fd, c->buf + c->len, CONN_BUF - c->len, 0);
			if (got <= 0) {
				drop(c);
				continue;
			}
			c->len += (size_t)got;
			if (c->stalled)
				c->len = 0;
			else if (!serve(c))
				drop(c);
		}
	}
	char line[256];
	snprintf(line, sizeof(line), "received %llu unique %llu duplicates %llu bad_signatures %llu requests %llu rejected %llu\n",
		 n_received, n_unique, n_dup, n_badsig, n_requests, n_rejected);
	fputs(line, stdout);
	fflush(stdout);
	if (stats_file) {
		FILE *f = fopen(stats_file, "w");
		if (f) {
			fputs(line, f);
			fclose(f);
		}
	}
	if (out)
		fclose(out);
	for (int i = 0; i < MAX_CONN; i++) {
		if (conns[i].fd >= 0)
			close(conns[i].fd);
		free(conns[i].buf);
	}
	free(ids);
	close(lfd);
	return 0;
}
