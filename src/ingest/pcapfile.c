/*
 * pcapfile.c - classic pcap files read in place (see pcapfile.h).
 *
 * The format (pcap-savefile(5); draft-ietf-opsawg-pcap 4, 5):
 *   file header, 24 bytes: magic (4), version major (2), minor (2),
 *     thiszone (4), sigfigs (4), snaplen (4), linktype (4) - written in the
 *     byte order of the writing host, which the magic reveals;
 *   then records: ts seconds (4), ts micro- or nanoseconds (4), captured
 *     length (4), original length (4), then the captured bytes.
 * The seconds and the fraction are signed 32-bit fields in libpcap's
 * struct pcap_timeval; they are read the same way here so timestamps stay
 * what libpcap gave.
 *
 * Two ways to the bytes; records are taken from [pos, end) of @data in both:
 *
 *  - a regular file is mapped (mmap(2), read-only, MADV_SEQUENTIAL): no
 *    kernel copy into a buffer at all - on a page-cached signalling capture
 *    that copy was ~8% of the whole decode.  The mapping covers the file's
 *    size from fstat(); at its end the size is asked again, so a file still
 *    being written is followed as read(2) follows it (mremap(2) grows the
 *    mapping).  Pages behind the reader are given back (MADV_DONTNEED) so a
 *    long capture does not stay resident.
 *    A file cut shorter while mapped would raise SIGBUS on the pages past
 *    its new end.  map_sigbus() catches that for these mappings only (other
 *    addresses go on to the handler that was there before): it maps a zero
 *    page over the faulting one and notes the offset, and pcapfile_next(),
 *    which touches every page of a record before handing it out, then sees
 *    the file as ending there - the record is reported cut short in
 *    libpcap's words, as read(2) would have had it.  An I/O error on a
 *    mapped page raises the same signal; it is told apart by the file size
 *    (still past the page) and reported as read(2)'s EIO.
 *
 *  - anything else (pipes, terminals, memory streams, a file that cannot be
 *    mapped) is read into one large buffer that is refilled (the unread
 *    tail moved to the front) when the next record is not wholly in it.  It
 *    holds at least a header and the largest record accepted (16 + 262144
 *    bytes), so any accepted record can be handed out as one contiguous
 *    range.
 */
#include "ingest/pcapfile.h"

#include "core/err.h"
#include "core/prefetch.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAPFILE_BUF (1024 * 1024)
#define PCAPFILE_HDR 24
#define PCAPFILE_REC 16
/* libpcap's MAXIMUM_SNAPLEN: max_snaplen_for_dlt() for every link type taken here. */
#define PCAPFILE_MAX_SNAPLEN 262144u
_Static_assert(PCAPFILE_BUF >= PCAPFILE_REC + PCAPFILE_MAX_SNAPLEN, "fill() must hold the largest record");

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du

struct pcapfile {
	FILE *f;
	int fd;		/* >= 0: read(2) this instead of fread(f) */
	bool swapped;	/* written in the other byte order */
	bool nsec;	/* nanosecond timestamps */
	bool read_error;
	int read_errno;
	int linktype;	/* DLT_ value */
	uint32_t snaplen;
	uint8_t *buf;		/* read path: PCAPFILE_BUF bytes; NULL when mapped */
	const uint8_t *data;	/* buf, or the capture's first byte in the mapping */
	size_t pos, end;	/* the unread bytes: [data + pos, data + end) */
	struct map_slot *map;	/* mapped: its slot (map_sigbus() reads it); NULL otherwise */
	uint8_t *map_base;	/* the mapping: map_len bytes from file offset map_off */
	size_t map_len;
	off_t map_off;		/* page-aligned, <= the capture's start */
	size_t map_delta;	/* data - map_base */
	size_t released;	/* bytes of the mapping already given back (MADV_DONTNEED) */
	size_t ahead;		/* prefetched up to here (relative to data) */
	int map_fd;		/* the mapped file's descriptor (fileno(f)) */
	uintptr_t fault_seen;	/* the slot's fault when end was last set from it */
	bool map_done;		/* the file shrank or failed: end is final */
	bool shrunk;		/* ... below pos, to shrunk_to bytes */
	uintmax_t shrunk_to;
	char err[PCAP_ERRBUF_SIZE];
};

static uint32_t get32(const struct pcapfile *pf, const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return pf->swapped ? __builtin_bswap32(v) : v;
}

static uint16_t get16(const struct pcapfile *pf, const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return pf->swapped ? __builtin_bswap16(v) : v;
}

/*
 * read_some() - append up to @want bytes at buf + end; the count read, 0
 * at the end of the input or on an error (read_error set).
 */
static size_t read_some(struct pcapfile *pf, size_t want)
{
	if (pf->fd < 0) {
		size_t n = fread(pf->buf + pf->end, 1, want, pf->f);
		if (n == 0 && ferror(pf->f)) {
			pf->read_error = true;
			pf->read_errno = errno;
		}
		return n;
	}
	for (;;) {
		ssize_t n = read(pf->fd, pf->buf + pf->end, want);
		if (n >= 0)
			return (size_t)n;
		if (errno != EINTR) {
			pf->read_error = true;
			pf->read_errno = errno;
			return 0;
		}
	}
}

/*
 * fill() - make @need bytes available at buf + pos if the input has them.
 * Returns how many are available (fewer than @need only at the end of the
 * input or on a read error).
 */
static size_t fill(struct pcapfile *pf, size_t need)
{
	size_t have = pf->end - pf->pos;
	if (have >= need)
		return have;
	if (pf->pos + need > PCAPFILE_BUF) {
		memmove(pf->buf, pf->buf + pf->pos, have);
		pf->pos = 0;
		pf->end = have;
	}
	while (have < need) {
		/*
		 * fread() waits for all it asks, so it is asked for the whole
		 * free space only when that is cheap (a file); read(2) returns
		 * what has arrived, so asking for everything costs nothing.
		 */
		size_t want = PCAPFILE_BUF - pf->end;
		size_t n = read_some(pf, want);
		if (n == 0)
			break;
		pf->end += n;
		have += n;
	}
	return have;
}

/* ---- the mapped path ---- */

/*
 * One slot per mapped reader, read by map_sigbus(): [lo, hi) is the
 * mapping (hi == lo while it is being moved), fault the lowest address that
 * raised SIGBUS in it (UINTPTR_MAX: none).  Lock-free atomics only, so the
 * handler may read and write them.  More readers at once than slots: the
 * others read(2).
 */
#define PCAPFILE_MAP_SLOTS 16
/* Pages behind the reader are given back in steps of this many bytes. */
#ifndef PCAPFILE_RELEASE
#define PCAPFILE_RELEASE (16u * 1024 * 1024)
#endif
#ifndef PCAPFILE_AHEAD
#define PCAPFILE_AHEAD 2048
#endif

struct map_slot {
	atomic_bool used;
	_Atomic uintptr_t lo, hi, fault;
};

static struct map_slot map_slots[PCAPFILE_MAP_SLOTS];
static struct sigaction map_prev;	/* the SIGBUS action before ours */
static atomic_int map_handler;		/* 0 not installed, 1 installing, 2 installed */
static uintptr_t map_page;

/* map_sigbus() - the SIGBUS handler while mappings exist (see the top of this file). */
static void map_sigbus(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr;
	if (si->si_code > 0) { /* raised by a fault, not sent */
		for (int i = 0; i < PCAPFILE_MAP_SLOTS; i++) {
			struct map_slot *ms = &map_slots[i];
			if (a < atomic_load(&ms->lo) || a >= atomic_load(&ms->hi))
				continue;
			uintptr_t pg = a & ~(map_page - 1);
			/* A page of zeros where the file's page was: the access completes. */
			if (mmap((void *)pg, map_page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
			    MAP_FAILED)
				break;
			uintptr_t f = atomic_load(&ms->fault);
			while (pg < f && !atomic_compare_exchange_weak(&ms->fault, &f, pg))
				;
			return;
		}
	}
	/* Not ours: what was there before. */
	if ((map_prev.sa_flags & SA_SIGINFO) && map_prev.sa_sigaction) {
		map_prev.sa_sigaction(sig, si, uc);
	} else if (map_prev.sa_handler != SIG_DFL && map_prev.sa_handler != SIG_IGN) {
		map_prev.sa_handler(sig);
	} else {
		/* The default action: restored, then the fault recurs (or a sent signal is raised again). */
		signal(SIGBUS, SIG_DFL);
		atomic_store(&map_handler, 0);
		if (si->si_code <= 0)
			raise(SIGBUS);
	}
}

/* map_install() - map_sigbus() in place; false when it cannot be (the file is then read). */
static bool map_install(void)
{
	int expect = 0;
	if (atomic_compare_exchange_strong(&map_handler, &expect, 1)) {
		struct sigaction sa = { .sa_sigaction = map_sigbus, .sa_flags = SA_SIGINFO | SA_RESTART };
		sigemptyset(&sa.sa_mask);
		map_page = (uintptr_t)sysconf(_SC_PAGESIZE);
		if (sigaction(SIGBUS, &sa, &map_prev) < 0) {
			atomic_store(&map_handler, 0);
			return false;
		}
		atomic_store(&map_handler, 2);
		return true;
	}
	return expect == 2;
}

static void map_publish(struct pcapfile *pf)
{
	atomic_store(&pf->map->hi, (uintptr_t)pf->map_base);
	atomic_store(&pf->map->lo, (uintptr_t)pf->map_base);
	atomic_store(&pf->map->hi, (uintptr_t)pf->map_base + pf->map_len);
}

/*
 * map_open() - map the regular file @fd from the capture's start @start
 * (its header already read and taken): true, with data/pos/end set and the
 * read buffer freed; false to keep reading (not a regular file, too large
 * for the address space, no slot, mmap() refused - all cases read(2) handles).
 */
static bool map_open(struct pcapfile *pf, int fd, off_t start)
{
	struct stat st;
	if (fd < 0 || start < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < start + PCAPFILE_HDR || (uintmax_t)st.st_size > SIZE_MAX / 2 || !map_install())
		return false;
	struct map_slot *ms = NULL;
	for (int i = 0; i < PCAPFILE_MAP_SLOTS && !ms; i++) {
		bool f = false;
		if (atomic_compare_exchange_strong(&map_slots[i].used, &f, true))
			ms = &map_slots[i];
	}
	if (!ms)
		return false;
	off_t moff = start & ~(off_t)(map_page - 1);
	size_t len = (size_t)(st.st_size - moff);
	void *m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, moff);
	if (m == MAP_FAILED) {
		atomic_store(&ms->used, false);
		return false;
	}
	(void)madvise(m, len, MADV_SEQUENTIAL);
	atomic_store(&ms->fault, UINTPTR_MAX);
	pf->fault_seen = UINTPTR_MAX;
	pf->map = ms;
	pf->map_base = m;
	pf->map_len = len;
	pf->map_off = moff;
	pf->map_delta = (size_t)(start - moff);
	pf->data = pf->map_base + pf->map_delta;
	map_publish(pf);
	pf->map_fd = fd;
	pf->pos = PCAPFILE_HDR;
	pf->end = len - pf->map_delta;
	free(pf->buf);
	pf->buf = NULL;
	return true;
}

/*
 * map_refresh() - the mapping has fewer than @need bytes at pos: follow the
 * file's size.  A file that grew is mapped further; after a SIGBUS the end
 * becomes the faulting page (or the new size, if lower) and stays there.
 */
static void map_refresh(struct pcapfile *pf, size_t need)
{
	struct stat st;
	uintptr_t fault = atomic_load(&pf->map->fault);
	if (pf->map_done && fault == pf->fault_seen)
		return;
	if (fstat(pf->map_fd, &st) < 0) {
		pf->read_error = true;
		pf->read_errno = errno;
		pf->map_done = true;
		return;
	}
	size_t size = st.st_size > pf->map_off ? (size_t)(st.st_size - pf->map_off) : 0;
	if (fault != pf->fault_seen) {
		size_t at = fault - (uintptr_t)pf->map_base;
		if (size > at) {
			/* The file still reaches past the page: it could not be read (EIO, as read(2) says). */
			pf->read_error = true;
			pf->read_errno = EIO;
		}
		size_t lim = size < at ? size : at;
		pf->end = lim > pf->map_delta ? lim - pf->map_delta : 0;
		if (pf->end < pf->pos) {
			/*
			 * Cut below records already handed out (their last bytes, in
			 * the page the file now ends in, read as zeros): not a clean
			 * end, say what happened.
			 */
			pf->end = pf->pos;
			pf->shrunk = true;
			pf->shrunk_to = (uintmax_t)st.st_size;
		}
		pf->fault_seen = fault;
		pf->map_done = true;
		return;
	}
	if (size <= pf->map_len || pf->end - pf->pos >= need)
		return;
	if (size > SIZE_MAX / 2)
		return;
	atomic_store(&pf->map->hi, atomic_load(&pf->map->lo)); /* nothing of it is read while it moves */
	void *m = mremap(pf->map_base, pf->map_len, size, MREMAP_MAYMOVE);
	if (m != MAP_FAILED) {
		pf->map_base = m;
		pf->map_len = size;
		pf->data = pf->map_base + pf->map_delta;
		pf->end = size - pf->map_delta;
		(void)madvise(m, size, MADV_SEQUENTIAL);
	}
	map_publish(pf);
}

/*
 * map_touch() - read one byte in every page of [p, p + n) so that a page
 * the file no longer has faults here, before the record is handed out;
 * false if any did (now or earlier).
 */
static bool map_touch(const struct pcapfile *pf, const uint8_t *p, size_t n)
{
	const volatile uint8_t *v = p;
	for (size_t i = 0; i < n; i += map_page)
		(void)v[i];
	(void)v[n - 1];
	return atomic_load_explicit(&pf->map->fault, memory_order_relaxed) == pf->fault_seen;
}

/* map_avail() - fill() for the mapped path: the bytes at pos, the file's size asked again if short of @need. */
static size_t map_avail(struct pcapfile *pf, size_t need)
{
	if (pf->end - pf->pos < need)
		map_refresh(pf, need);
	return pf->end - pf->pos;
}

/* map_release() - give back whole pages behind pos in PCAPFILE_RELEASE steps. */
static void map_release(struct pcapfile *pf)
{
	size_t behind = (pf->map_delta + pf->pos) & ~(size_t)(map_page - 1);
	if (behind - pf->released < PCAPFILE_RELEASE)
		return;
	(void)madvise(pf->map_base + pf->released, behind - pf->released, MADV_DONTNEED);
	pf->released = behind;
}

static void map_close(struct pcapfile *pf)
{
	atomic_store(&pf->map->hi, 0);
	atomic_store(&pf->map->lo, 0);
	munmap(pf->map_base, pf->map_len);
	atomic_store(&pf->map->used, false);
	pf->map = NULL;
}

/* link_dlt() - the DLT_ value of a LINKTYPE_ this reader takes, or -1 (left to libpcap). */
static int link_dlt(uint32_t linktype)
{
	switch (linktype) {
	case 0: /* LINKTYPE_NULL */
		return DLT_NULL;
	case 1: /* LINKTYPE_ETHERNET */
		return DLT_EN10MB;
	case 101: /* LINKTYPE_RAW: DLT_RAW is 12 or 14 depending on the platform */
		return DLT_RAW;
	case 108: /* LINKTYPE_LOOP */
		return DLT_LOOP;
	case 113: /* LINKTYPE_LINUX_SLL */
		return DLT_LINUX_SLL;
	case 276: /* LINKTYPE_LINUX_SLL2 */
		return DLT_LINUX_SLL2;
	case 228: /* LINKTYPE_IPV4 */
		return DLT_IPV4;
	case 229: /* LINKTYPE_IPV6 */
		return DLT_IPV6;
	case 139: /* LINKTYPE_MTP2_WITH_PHDR */
		return DLT_MTP2_WITH_PHDR;
	case 140: /* LINKTYPE_MTP2 */
		return DLT_MTP2;
	case 141: /* LINKTYPE_MTP3 */
		return DLT_MTP3;
	default:
		return -1;
	}
}

/*
 * take_header() - true when buf holds a file header this reader takes:
 * a pcap magic in either order, version 2.4 (2.3 and older may have caplen
 * and len exchanged: libpcap's heuristics decide those), a known link type.
 * The upper 6 bits of the link type field carry FCS information, masked as
 * libpcap masks them.
 */
static bool take_header(struct pcapfile *pf)
{
	if (pf->end < PCAPFILE_HDR)
		return false;
	uint32_t magic;
	memcpy(&magic, pf->data, 4);
	if (magic == MAGIC_USEC || magic == MAGIC_NSEC) {
		pf->swapped = false;
	} else if (magic == __builtin_bswap32(MAGIC_USEC) || magic == __builtin_bswap32(MAGIC_NSEC)) {
		pf->swapped = true;
		magic = __builtin_bswap32(magic);
	} else {
		return false;
	}
	pf->nsec = magic == MAGIC_NSEC;
	if (get16(pf, pf->data + 4) != 2 || get16(pf, pf->data + 6) != 4)
		return false;
	int dlt = link_dlt(get32(pf, pf->data + 20) & 0x03FFFFFFu);
	if (dlt < 0)
		return false;
	pf->linktype = dlt;
	/* pcap_adjust_snapshot(): 0 or above the maximum means the maximum. */
	uint32_t snap = get32(pf, pf->data + 16);
	pf->snaplen = snap == 0 || snap > PCAPFILE_MAX_SNAPLEN ? PCAPFILE_MAX_SNAPLEN : snap;
	pf->pos = PCAPFILE_HDR;
	return true;
}

int pcapfile_open(FILE *f, int fd, struct pcapfile **out)
{
	struct pcapfile *pf = calloc(1, sizeof(*pf));
	*out = NULL;
	if (!pf)
		return -ENOMEM;
	pf->buf = malloc(PCAPFILE_BUF);
	if (!pf->buf) {
		free(pf);
		return -ENOMEM;
	}
	pf->f = f;
	pf->fd = fd;
	pf->data = pf->buf;
	*out = pf;
	/* Where the capture starts in the file, should it be mapped (standard input may not be at 0). */
	off_t start = fd < 0 && fileno(f) >= 0 ? ftello(f) : -1;
	/*
	 * Only the file header is asked for: a pipe must not be waited on for
	 * more, and what was read goes to libpcap if the file is not taken.
	 */
	while (pf->end < PCAPFILE_HDR) {
		size_t n = read_some(pf, PCAPFILE_HDR - pf->end);
		if (n == 0)
			break;
		pf->end += n;
	}
	if (!take_header(pf))
		return 0;
	if (start >= 0)
		(void)map_open(pf, fileno(f), start);
	return 1;
}

/* ---- fallback: the bytes read so far, then the rest of the stream ---- */

struct replay {
	FILE *f;
	int fd;
	uint8_t *buf;
	size_t pos, end;
};

static ssize_t replay_read(void *cookie, char *out, size_t size)
{
	struct replay *rp = cookie;
	if (rp->pos < rp->end) {
		size_t n = rp->end - rp->pos < size ? rp->end - rp->pos : size;
		memcpy(out, rp->buf + rp->pos, n);
		rp->pos += n;
		return (ssize_t)n;
	}
	if (rp->fd >= 0) {
		for (;;) {
			ssize_t n = read(rp->fd, out, size);
			if (n >= 0 || errno != EINTR)
				return n;
		}
	}
	size_t n = fread(out, 1, size, rp->f);
	return n == 0 && ferror(rp->f) ? -1 : (ssize_t)n;
}

static int replay_close(void *cookie)
{
	struct replay *rp = cookie;
	int rc = rp->f != stdin ? fclose(rp->f) : 0;
	free(rp->buf);
	free(rp);
	return rc;
}

FILE *pcapfile_fallback(struct pcapfile *pf, char *iobuf, size_t iobuf_size)
{
	struct replay *rp = malloc(sizeof(*rp));
	FILE *cf = NULL;
	if (rp) {
		*rp = (struct replay){ pf->f, pf->fd, pf->buf, pf->pos, pf->end };
		cookie_io_functions_t io = { .read = replay_read, .close = replay_close };
		cf = fopencookie(rp, "rb", io);
	}
	if (!cf) {
		free(rp);
		pcapfile_close(pf);
		return NULL;
	}
	if (iobuf)
		(void)setvbuf(cf, iobuf, _IOFBF, iobuf_size);
	free(pf); /* its FILE and buffer now belong to the replay */
	return cf;
}

/* ---- records ---- */

int pcapfile_linktype(const struct pcapfile *pf)
{
	return pf->linktype;
}

bool pcapfile_mapped(const struct pcapfile *pf)
{
	return pf->map != NULL;
}

int pcapfile_snaplen(const struct pcapfile *pf)
{
	return (int)pf->snaplen;
}

const char *pcapfile_error(const struct pcapfile *pf)
{
	return pf->err;
}

/* cut_short() - the input ended (or failed) inside a record: libpcap's message. */
static int cut_short(struct pcapfile *pf, const char *what, size_t wanted, size_t got)
{
	if (pf->shrunk)
		snprintf(pf->err, sizeof(pf->err), "file cut to %ju bytes while being read", pf->shrunk_to);
	else if (pf->read_error)
		snprintf(pf->err, sizeof(pf->err), "error reading dump file: %s", strerror(pf->read_errno));
	else
		snprintf(pf->err, sizeof(pf->err), "truncated dump file; tried to read %zu %s, only got %zu",
			 wanted, what, got);
	return -SS_EPARSE;
}

int pcapfile_next(struct pcapfile *pf, struct pcapfile_record *rec)
{
	if (pf->map)
		map_release(pf);
again:;
	size_t have = pf->map ? map_avail(pf, PCAPFILE_REC) : fill(pf, PCAPFILE_REC);
	if (have < PCAPFILE_REC) {
		if (have == 0 && !pf->read_error && !pf->shrunk)
			return 0; /* the end, between records */
		return cut_short(pf, "header bytes", PCAPFILE_REC, have);
	}
	const uint8_t *h = pf->data + pf->pos;
	if (pf->map && !map_touch(pf, h, PCAPFILE_REC)) {
		map_refresh(pf, 0); /* the file shrank under the mapping: its end is known now */
		goto again;
	}
	int32_t sec = (int32_t)get32(pf, h), frac = (int32_t)get32(pf, h + 4);
	uint32_t caplen = get32(pf, h + 8), len = get32(pf, h + 12);

	/* Larger than any link type allows: a damaged or hostile file, stop. */
	if (caplen > PCAPFILE_MAX_SNAPLEN) {
		if (caplen > pf->snaplen)
			snprintf(pf->err, sizeof(pf->err),
				 "invalid packet capture length %u, bigger than snaplen of %d", caplen,
				 (int)pf->snaplen);
		else
			snprintf(pf->err, sizeof(pf->err),
				 "invalid packet capture length %u, bigger than maximum of %u", caplen,
				 PCAPFILE_MAX_SNAPLEN);
		return -SS_EPARSE;
	}
	/* Above the file's snapshot length: libpcap keeps snaplen bytes and skips the rest. */
	uint32_t keep = caplen > pf->snaplen ? pf->snaplen : caplen;
	size_t need = PCAPFILE_REC + (size_t)caplen;
	have = pf->map ? map_avail(pf, need) : fill(pf, need);
	if (have < PCAPFILE_REC)
		goto again; /* mapped: the file shrank under the header just read */
	have -= PCAPFILE_REC;
	if (have < keep)
		return cut_short(pf, "captured bytes", keep, have);
	if (have < caplen)
		return cut_short(pf, "captured bytes", caplen, have);

	h = pf->data + pf->pos; /* fill() may have moved the buffer, mremap() the mapping */
	if (pf->map && !map_touch(pf, h, PCAPFILE_REC + (size_t)keep)) {
		map_refresh(pf, 0);
		goto again;
	}
	if (pf->map) {
		/*
		 * The mapping is the page cache itself, not a buffer a copy has
		 * just warmed: ask for the bytes PCAPFILE_AHEAD ahead (about
		 * eight signalling records), each cache line once, so the walk
		 * down the frame does not wait on memory.  Measured: without it
		 * the mapped reader was slower than read(2); 1-8 KiB all helped.
		 */
		size_t to = pf->pos + need + PCAPFILE_AHEAD;
		if (to > pf->end)
			to = pf->end;
		for (; pf->ahead < to; pf->ahead += 64)
			ss_prefetch(pf->data + pf->ahead);
	}
	rec->data = h + PCAPFILE_REC;
	rec->caplen = keep;
	rec->len = len;
	rec->ts = (ss_time_us)sec * SS_US_PER_SEC + (pf->nsec ? frac / 1000 : frac);
	pf->pos += need;
	return 1;
}

void pcapfile_close(struct pcapfile *pf)
{
	if (!pf)
		return;
	if (pf->map)
		map_close(pf);
	if (pf->f && pf->f != stdin)
		fclose(pf->f);
	free(pf->buf);
	free(pf);
}
