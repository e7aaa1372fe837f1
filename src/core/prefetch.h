/*
 * prefetch.h - ask the CPU to start loading a cache line we will touch soon.
 *
 * Why not plain __builtin_prefetch: GCC 12 at -O1 and above deletes it in
 * tree DCE when nothing else in the block has a side effect (seen in the
 * merge and the SIM-box index: the binary had no prefetch instruction at
 * all).  A volatile asm cannot be deleted.  Other targets fall back to the
 * builtin.
 */
#ifndef SS_CORE_PREFETCH_H
#define SS_CORE_PREFETCH_H

static inline void ss_prefetch(const void *p)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("prefetcht0 %0" : : "m"(*(const char *)p));
#else
	__builtin_prefetch(p);
#endif
}

#endif
