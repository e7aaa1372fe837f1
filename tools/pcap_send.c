/*
 * pcap_send.c - send the UDP payloads of a capture file to a host (tests of
 * live capture: `simsieve replay --iface lo`, `simsieve run`).
 *
 *   pcap_send [--to ADDR] [--port N] [--src-port N] [--interval-ms MS] [--count N] FILE
 *
 * Reads FILE (pcap or pcapng) with libpcap, walks each frame's link layer
 * (Ethernet with VLAN tags, Linux SLL, raw IP, BSD loopback) and IPv4 or
 * IPv6 header to its UDP datagram, and sends the datagram's payload with
 * sendto() to ADDR (default 127.0.0.1) on port N (default: the frame's own
 * destination port), one every MS milliseconds (default 10), from source
 * port --src-port (default: any; a fixed one lets a capture filter tell
 * concurrent test runs apart).  Frames that
 * are not unfragmented UDP are skipped.  SCTP and TCP cannot be re-sent
 * this way: a kernel would have to run the association.
 * stdout: "sent S datagrams (F frames read, K skipped)".  Exit 0, or 1
 * when nothing could be sent, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * udp_payload() - find the UDP payload in a frame of link type @dlt.
 * Returns the payload length and sets *@pl and *@dport, or -1.
 */
static long udp_payload(int dlt, const uint8_t *p, size_t len, const uint8_t **pl, uint16_t *dport)
{
	size_t off;
	unsigned ethertype = 0;

	switch (dlt) {
	case DLT_EN10MB:
		if (len < 14)
			return -1;
		ethertype = be16(p + 12);
		off = 14;
		while ((ethertype == 0x8100 || ethertype == 0x88a8) && len >= off + 4) {
			ethertype = be16(p + off + 2);
			off += 4;
		}
		break;
	case DLT_LINUX_SLL:
		if (len < 16)
			return -1;
		ethertype = be16(p + 14);
		off = 16;
		break;
	case DLT_NULL:
		if (len < 4)
			return -1;
		off = 4;
		ethertype = (p[off] >> 4) == 6 ? 0x86dd : 0x0800;
		break;
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		off = 0;
		if (len < 1)
			return -1;
		ethertype = (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
		break;
	default:
		return -1;
	}
	const uint8_t *ip = p + off;
	size_t iplen = len - off, l4;
	if (ethertype == 0x0800) {
		if (iplen < 20 || (ip[0] >> 4) != 4)
			return -1;
		size_t ihl = (size_t)(ip[0] & 15) * 4;
		if (ip[9] != 17 || ihl < 20 || iplen < ihl || (be16(ip + 6) & 0x3fff) != 0)
			return -1; /* not UDP, or a fragment */
		l4 = ihl;
	} else if (ethertype == 0x86dd) {
		if (iplen < 40 || ip[6] != 17)
			return -1; /* extension headers are not walked here */
		l4 = 40;
	} else {
		return -1;
	}
	if (iplen < l4 + 8)
		return -1;
	const uint8_t *udp = ip + l4;
	size_t ulen = be16(udp + 4);
	if (ulen < 8 || ulen > iplen - l4)
		return -1;
	*dport = be16(udp + 2);
	*pl = udp + 8;
	return (long)(ulen - 8);
}

static void usage(FILE *out)
{
	fprintf(out, "usage: pcap_send [--to ADDR] [--port N] [--src-port N] [--interval-ms MS] [--count N] FILE\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "port", required_argument, NULL, 'p' },
		{ "src-port", required_argument, NULL, 's' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *to = "127.0.0.1";
	long port = 0, src_port = 0, interval_ms = 10, count = 0;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't':
			to = optarg;
			break;
		case 'p':
			port = strtol(optarg, NULL, 10);
			break;
		case 's':
			src_port = strtol(optarg, NULL, 10);
			break;
		case 'i':
			interval_ms = strtol(optarg, NULL, 10);
			break;
		case 'c':
			count = strtol(optarg, NULL, 10);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 1 != argc || port < 0 || port > 65535 || src_port < 0 || src_port > 65535 || interval_ms < 0 || count < 0) {
		usage(stderr);
		return 2;
	}

	struct sockaddr_storage ss;
	socklen_t sslen;
	memset(&ss, 0, sizeof(ss));
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	if (inet_pton(AF_INET, to, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		sslen = sizeof(*s4);
	} else if (inet_pton(AF_INET6, to, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		sslen = sizeof(*s6);
	} else {
		fprintf(stderr, "pcap_send: --to: not an IPv4 or IPv6 address: %s\n", to);
		return 2;
	}
	int sock = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (sock < 0) {
		fprintf(stderr, "pcap_send: socket: %s\n", strerror(errno));
		return 1;
	}
	if (src_port) {
		struct sockaddr_storage local;
		memset(&local, 0, sizeof(local));
		local.ss_family = ss.ss_family;
		if (ss.ss_family == AF_INET)
			((struct sockaddr_in *)&local)->sin_port = htons((uint16_t)src_port);
		else
			((struct sockaddr_in6 *)&local)->sin6_port = htons((uint16_t)src_port);
		if (bind(sock, (struct sockaddr *)&local, sslen) < 0) {
			fprintf(stderr, "pcap_send: bind to port %ld: %s\n", src_port, strerror(errno));
			close(sock);
			return 1;
		}
	}
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *pc = pcap_open_offline(argv[optind], ebuf);
	if (!pc) {
		fprintf(stderr, "pcap_send: %s: %s\n", argv[optind], ebuf);
		close(sock);
		return 1;
	}
	int dlt = pcap_datalink(pc);
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long frames = 0, sent = 0, skipped = 0, failed = 0;
	struct timespec gap = { interval_ms / 1000, (interval_ms % 1000) * 1000000L };
	while (pcap_next_ex(pc, &h, &data) == 1) {
		frames++;
		const uint8_t *pl;
		uint16_t dport;
		long n = udp_payload(dlt, data, h->caplen, &pl, &dport);
		if (n < 0) {
			skipped++;
			continue;
		}
		uint16_t p = (uint16_t)(port ? port : dport);
		if (ss.ss_family == AF_INET)
			s4->sin_port = htons(p);
		else
			s6->sin6_port = htons(p);
		if (sent && interval_ms)
			nanosleep(&gap, NULL);
		if (sendto(sock, pl, (size_t)n, 0, (struct sockaddr *)&ss, sslen) < 0) {
			failed++;
			if (failed == 1)
				fprintf(stderr, "pcap_send: sendto: %s\n", strerror(errno));
			continue;
		}
		sent++;
		if (count && (long)sent >= count)
			break;
	}
	pcap_close(pc);
	close(sock);
	printf("sent %lu datagrams (%lu frames read, %lu skipped, %lu failed)\n", sent, frames, skipped, failed);
	return sent ? 0 : 1;
}
