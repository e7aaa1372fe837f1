/*
 * gsup_client.c - a minimal GSUP client (Osmocom GSUP over IPA, TCP) that
 * drives a real osmo-hlr so tests can capture genuine GSUP traffic.
 *
 *   gsup_client [--host 127.0.0.1] [--port 4222] [--name SIMSIEVE-VLR] OP:IMSI ...
 *     OP = ul (UpdateLocation, CS), ul-ps (UpdateLocation, PS), sai (SendAuthInfo),
 *          purge (PurgeMS)
 *
 * For each operation it sends the request, answers an InsertSubscriberData
 * request the HLR sends inside an UpdateLocation (as a VLR must), and waits
 * for the result or error.  Every GSUP message sent or received is printed
 * as one JSON line: {"dir":"tx"|"rx","msg_type":N,"name":"...","imsi":"...",
 * "msisdn":"..."} - the ground truth of the capture.  Exit status 0 when
 * every operation got a result or an error, 1 on a timeout or I/O error.
 *
 * Framing: IPA (2-octet length, protocol octet; 0xFE = CCM, 0xEE = Osmocom
 * extension whose first octet 0x05 is GSUP), CCM identity exchange with
 * IPAC_IDTAG_SERNR (what osmo-hlr routes by).  Messages and IEs:
 * Osmocom "GSUP" protocol specification (osmo-hlr/docs, libosmocore
 * gsup.h).  Written by hand rather than with libosmo-gsup-client so this
 * tool needs no link flags beyond the ones every tool in tools/ gets.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define IPA_PROTO_CCM 0xfe
#define IPA_PROTO_OSMO 0xee
#define IPA_OSMO_GSUP 0x05
#define CCM_PING 0x00
#define CCM_PONG 0x01
#define CCM_ID_GET 0x04
#define CCM_ID_RESP 0x05
#define CCM_ID_ACK 0x06

enum {
	GSUP_UL_REQ = 0x04, GSUP_UL_ERR = 0x05, GSUP_UL_RES = 0x06,
	GSUP_SAI_REQ = 0x08, GSUP_SAI_ERR = 0x09, GSUP_SAI_RES = 0x0a,
	GSUP_PURGE_REQ = 0x0c, GSUP_PURGE_ERR = 0x0d, GSUP_PURGE_RES = 0x0e,
	GSUP_ISD_REQ = 0x10, GSUP_ISD_ERR = 0x11, GSUP_ISD_RES = 0x12,
};
enum { IE_IMSI = 0x01, IE_CAUSE = 0x02, IE_MSISDN = 0x08, IE_CN_DOMAIN = 0x28 };

static const char *msg_name(unsigned t)
{
	switch (t) {
	case GSUP_UL_REQ: return "UpdateLocation-Request";
	case GSUP_UL_ERR: return "UpdateLocation-Error";
	case GSUP_UL_RES: return "UpdateLocation-Result";
	case GSUP_SAI_REQ: return "SendAuthInfo-Request";
	case GSUP_SAI_ERR: return "SendAuthInfo-Error";
	case GSUP_SAI_RES: return "SendAuthInfo-Result";
	case GSUP_PURGE_REQ: return "PurgeMS-Request";
	case GSUP_PURGE_ERR: return "PurgeMS-Error";
	case GSUP_PURGE_RES: return "PurgeMS-Result";
	case GSUP_ISD_REQ: return "InsertSubscriberData-Request";
	case GSUP_ISD_ERR: return "InsertSubscriberData-Error";
	case GSUP_ISD_RES: return "InsertSubscriberData-Result";
	default: return "other";
	}
}

static int fd = -1;
static const char *unit_name = "SIMSIEVE-VLR";

static int write_all(const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int ipa_send(uint8_t proto, const uint8_t *ext, const uint8_t *data, size_t n)
{
	uint8_t buf[1024];
	size_t len = n + (ext ? 1 : 0);
	if (len + 3 > sizeof(buf))
		return -1;
	buf[0] = (uint8_t)(len >> 8);
	buf[1] = (uint8_t)len;
	buf[2] = proto;
	size_t o = 3;
	if (ext)
		buf[o++] = *ext;
	memcpy(buf + o, data, n);
	return write_all(buf, o + n);
}

/* Read one IPA frame within @timeout_ms; returns payload length (after the protocol octet) or -1. */
static int ipa_recv(uint8_t *proto, uint8_t *buf, size_t size, int timeout_ms)
{
	uint8_t hdr[3];
	size_t got = 0, want = 3;
	uint8_t *dst = hdr;
	for (int phase = 0; phase < 2; phase++) {
		while (got < want) {
			struct pollfd p = { fd, POLLIN, 0 };
			if (poll(&p, 1, timeout_ms) <= 0)
				return -1;
			ssize_t r = read(fd, dst + got, want - got);
			if (r <= 0)
				return -1;
			got += (size_t)r;
		}
		if (phase == 0) {
			*proto = hdr[2];
			want = (size_t)(hdr[0] << 8 | hdr[1]);
			if (want > size)
				return -1;
			got = 0;
			dst = buf;
		}
	}
	return (int)want;
}

static size_t tbcd(const char *d, uint8_t *out)
{
	size_t n = strlen(d), o = 0;
	for (size_t i = 0; i < n; i += 2)
		out[o++] = (uint8_t)((d[i] - '0') | (i + 1 < n ? d[i + 1] - '0' : 0x0f) << 4);
	return o;
}

static void untbcd(const uint8_t *p, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 2; k++) {
			unsigned v = k ? p[i] >> 4 : p[i] & 0x0f;
			if (v == 0x0f)
				break;
			out[o++] = v < 10 ? (char)('0' + v) : '?';
		}
	out[o] = '\0';
}

static void print_msg(const char *dir, const uint8_t *m, size_t n)
{
	char imsi[20] = "", msisdn[40] = "";
	int cause = -1;
	for (size_t i = 1; i + 2 <= n;) {
		unsigned tag = m[i], len = m[i + 1];
		if (i + 2 + len > n)
			break;
		const uint8_t *v = m + i + 2;
		if (tag == IE_IMSI && len <= 8)
			untbcd(v, len, imsi);
		else if (tag == IE_MSISDN && len >= 2 && len <= 16)
			untbcd(v + 1, len - 1, msisdn); /* first octet: type of number / plan */
		else if (tag == IE_CAUSE && len == 1)
			cause = v[0];
		i += 2 + len;
	}
	printf("{\"dir\":\"%s\",\"msg_type\":%u,\"name\":\"%s\",\"imsi\":\"%s\"", dir, m[0], msg_name(m[0]), imsi);
	if (msisdn[0])
		printf(",\"msisdn\":\"%s\"", msisdn);
	if (cause >= 0)
		printf(",\"cause\":%d", cause);
	printf("}\n");
	fflush(stdout);
}

static int gsup_send(unsigned type, const char *imsi, int cn_domain)
{
	uint8_t m[64];
	size_t n = 0;
	uint8_t ext = IPA_OSMO_GSUP;
	m[n++] = (uint8_t)type;
	m[n++] = IE_IMSI;
	size_t l = tbcd(imsi, m + n + 1);
	m[n++] = (uint8_t)l;
	n += l;
	if (cn_domain) {
		m[n++] = IE_CN_DOMAIN;
		m[n++] = 1;
		m[n++] = (uint8_t)cn_domain;
	}
	print_msg("tx", m, n);
	return ipa_send(IPA_PROTO_OSMO, &ext, m, n);
}

static int ccm_id_resp(void)
{
	uint8_t m[128];
	size_t n = 0;
	m[n++] = CCM_ID_RESP;
	/* SERNR names us to the HLR; libosmo-abis insists on a UNIT id "site/bts/trx" */
	const uint8_t tags[3] = { 0x00 /* SERNR */, 0x01 /* UNITNAME */, 0x08 /* UNIT */ };
	const char *vals[3] = { unit_name, unit_name, "0/0/0" };
	for (int i = 0; i < 3; i++) {
		size_t l = strlen(vals[i]) + 1;
		if (n + 3 + l > sizeof(m))
			return -1;
		m[n++] = (uint8_t)((l + 1) >> 8);
		m[n++] = (uint8_t)(l + 1);
		m[n++] = tags[i];
		memcpy(m + n, vals[i], l);
		n += l;
	}
	return ipa_send(IPA_PROTO_CCM, NULL, m, n);
}

/* Receive GSUP until one of the final types arrives; handles CCM and ISD on the way. */
static int wait_final(const unsigned *final, int nfinal, const char *imsi)
{
	uint8_t buf[2048], proto;
	for (;;) {
		int n = ipa_recv(&proto, buf, sizeof(buf), 5000);
		if (n < 0) {
			fprintf(stderr, "gsup_client: timeout or connection lost waiting for an answer\n");
			return -1;
		}
		if (proto == IPA_PROTO_CCM && n >= 1) {
			uint8_t t = buf[0];
			if (t == CCM_PING) {
				uint8_t pong = CCM_PONG;
				ipa_send(IPA_PROTO_CCM, NULL, &pong, 1);
			} else if (t == CCM_ID_GET) {
				ccm_id_resp();
			}
			continue;
		}
		if (proto != IPA_PROTO_OSMO || n < 2 || buf[0] != IPA_OSMO_GSUP)
			continue;
		print_msg("rx", buf + 1, (size_t)n - 1);
		unsigned t = buf[1];
		if (t == GSUP_ISD_REQ && gsup_send(GSUP_ISD_RES, imsi, 0) < 0)
			return -1;
		for (int i = 0; i < nfinal; i++)
			if (t == final[i])
				return 0;
	}
}

static void usage(FILE *f)
{
	fputs("usage: gsup_client [--host 127.0.0.1] [--port 4222] [--name SIMSIEVE-VLR] OP:IMSI ...\n"
	      "  OP: ul (UpdateLocation, CS domain), ul-ps (PS domain), sai (SendAuthInfo), purge (PurgeMS)\n"
	      "Prints every GSUP message sent and received as a JSON line.\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *host = "127.0.0.1";
	int port = 4222, i = 1;

	for (; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--host") && i + 1 < argc) {
			host = argv[++i];
		} else if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			port = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			unit_name = argv[++i];
		} else {
			break;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}

	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "gsup_client: bad --host %s\n", host);
		return 2;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("gsup_client: connect");
		return 1;
	}

	/* identity exchange: the HLR asks, we answer with our name, it acknowledges */
	uint8_t buf[512], proto;
	for (int k = 0; k < 4; k++) {
		int n = ipa_recv(&proto, buf, sizeof(buf), 2000);
		if (n < 1)
			break;
		if (proto == IPA_PROTO_CCM && buf[0] == CCM_ID_GET)
			ccm_id_resp();
		if (proto == IPA_PROTO_CCM && buf[0] == CCM_ID_ACK) {
			uint8_t ack = CCM_ID_ACK;
			ipa_send(IPA_PROTO_CCM, NULL, &ack, 1);
			break;
		}
	}

	int rc = 0;
	for (; i < argc; i++) {
		char op[16];
		const char *colon = strchr(argv[i], ':');
		if (!colon || colon - argv[i] >= (long)sizeof(op)) {
			usage(stderr);
			return 2;
		}
		memcpy(op, argv[i], (size_t)(colon - argv[i]));
		op[colon - argv[i]] = '\0';
		const char *imsi = colon + 1;
		if (strlen(imsi) < 6 || strlen(imsi) > 15 || strspn(imsi, "0123456789") != strlen(imsi)) {
			fprintf(stderr, "gsup_client: bad IMSI %s\n", imsi);
			return 2;
		}
		if (!strcmp(op, "ul") || !strcmp(op, "ul-ps")) {
			static const unsigned fin[] = { GSUP_UL_RES, GSUP_UL_ERR };
			if (gsup_send(GSUP_UL_REQ, imsi, !strcmp(op, "ul") ? 2 : 1) < 0 || wait_final(fin, 2, imsi) < 0)
				rc = 1;
		} else if (!strcmp(op, "sai")) {
			static const unsigned fin[] = { GSUP_SAI_RES, GSUP_SAI_ERR };
			if (gsup_send(GSUP_SAI_REQ, imsi, 0) < 0 || wait_final(fin, 2, imsi) < 0)
				rc = 1;
		} else if (!strcmp(op, "purge")) {
			static const unsigned fin[] = { GSUP_PURGE_RES, GSUP_PURGE_ERR };
			if (gsup_send(GSUP_PURGE_REQ, imsi, 2) < 0 || wait_final(fin, 2, imsi) < 0)
				rc = 1;
		} else {
			usage(stderr);
			return 2;
		}
		if (rc)
			break;
	}
	close(fd);
	return rc;
}
