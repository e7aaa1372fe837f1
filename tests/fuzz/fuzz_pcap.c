/*
 * fuzz_pcap.c - libFuzzer target for the capture reader (src/ingest/pcap.c):
 * file parsing (classic pcap by src/ingest/pcapfile.c, pcapng and the rest
 * by libpcap after pcapfile.c hands the stream over), every link layer, IPv4/IPv6 and their fragment
 * reassembly, GTP-U, SCTP, TCP and UDP, and dec_dispatch() on what comes out.
 *
 * Input: byte 0 chooses the shape of the rest.
 *   bit 7 set:   the rest is a whole capture file image (pcap or pcapng).
 *   bit 7 clear: the rest is the records of a pcap file (16-byte record
 *                headers + data) and a little-endian pcap header is put in
 *                front with the link type link_types[byte0 % N].
 *   bit 6:       also run the replay event source over the same image.
 * The image is read through fmemopen() + ingest_pcap_reader_open_stream(),
 * as a file is.
 * Built as a libFuzzer binary by `make fuzz` and as a corpus replayer for
 * `make check` (tests/fuzz/corpus/pcap/).
 */
#include "ingest/pcap.h"

#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int link_types[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_NULL,
	DLT_LOOP, DLT_MTP2_WITH_PHDR, DLT_MTP2, DLT_MTP3, 101, 147 /* unsupported */,
};

static FILE *devnull(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

static void on_message(void *arg, const struct dec_message *m)
{
	char buf[8192];
	(void)arg;
	(void)dec_message_json(m, buf, sizeof(buf));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	data++;
	size--;
	size_t img_len = size + ((mode & 0x80) ? 0 : 24);
	uint8_t *img = malloc(img_len ? img_len : 1);
	if (!img)
		return 0;
	if (mode & 0x80) {
		memcpy(img, data, size);
	} else {
		uint32_t lt = (uint32_t)link_types[(mode & 0x3f) % (sizeof(link_types) / sizeof(link_types[0]))];
		const uint8_t hdr[24] = {
			0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
			0xff, 0xff, 0, 0, (uint8_t)lt, (uint8_t)(lt >> 8), 0, 0,
		};
		memcpy(img, hdr, sizeof(hdr));
		memcpy(img + 24, data, size);
	}

	FILE *f = fmemopen(img, img_len ? img_len : 1, "rb");
	if (f) {
		struct ingest_pcap_handlers h = { .emit = on_message };
		struct ingest_pcap *r;
		char err[256];
		if (ingest_pcap_reader_open_stream(f, NULL, &h, &r, err, sizeof(err)) == 0) {
			int rc;
			unsigned steps = 0;
			while ((rc = ingest_pcap_reader_step(r)) > 0 && ++steps < 100000)
				;
			struct ingest_pcap_counters c;
			ingest_pcap_reader_counters(r, &c);
			if (c.payloads < c.sctp_reassembled || c.ip_reassembled > c.ip_fragments)
				abort();
			ingest_pcap_reader_close(r);
		}
	}
	if (mode & 0x40) {
		f = fmemopen(img, img_len ? img_len : 1, "rb");
		struct ingest_options opt = { .errors = devnull(), .max_error_lines = 3 };
		struct ingest_source *src;
		if (f && ingest_pcap_open_stream(f, "fuzz", &opt, &src) == 0) {
			struct event ev;
			while (ingest_next(src, &ev) == 1)
				ev_clear(&ev);
			ingest_close(src);
		}
	}
	free(img);
	return 0;
}
