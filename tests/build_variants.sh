#!/usr/bin/env bash
# build_variants.sh - the builds `make check` does not otherwise exercise
# (run by run_all.sh full):
#
#   pgo   tools/pgo.sh builds $BUILD-pgo; a generated scenario replayed with
#         it gives the same actions as with $BUILD (profile data may move
#         code, never change what is decided).
#   tsan  check_merge (the reader thread's tests) and a replay with the
#         reader thread, built with ThreadSanitizer: no data race.  Skipped,
#         and said so, when this kernel's address-space layout cannot host
#         the TSan runtime.
#
# Usage: build_variants.sh pgo|tsan   (BUILD as for the other tests)
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
what=${1:?pgo or tsan}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

canon() { # actions file -> comparable lines (emission time and per-run ID-document key removed)
	sed 's/"emitted_at":"[^"]*",//; s/ID document [0-9a-f]*…/ID document …/g; s/"entity":"[0-9a-f]\{32\}"/"entity":""/g' "$1" | sort
}

"$B/tools/scenario_gen" --out "$tmp/sc" --subscribers 2000 --days 3 --seed 23 >/dev/null
case $what in
pgo)
	PGO_BUILD="$B-pgo" bash tools/pgo.sh >"$tmp/pgo.log" 2>&1 || { tail -20 "$tmp/pgo.log"; echo "FAIL: make pgo"; exit 1; }
	"$B/simsieve" replay --cdr "$tmp/sc/cdr.csv" --activations "$tmp/sc/activations.csv" \
		--actions "$tmp/a.jsonl" 2>/dev/null
	"$B-pgo/simsieve" replay --cdr "$tmp/sc/cdr.csv" --activations "$tmp/sc/activations.csv" \
		--actions "$tmp/b.jsonl" 2>/dev/null
	[ -s "$tmp/a.jsonl" ] || { echo "FAIL: the scenario produced no action"; exit 1; }
	if ! cmp -s <(canon "$tmp/a.jsonl") <(canon "$tmp/b.jsonl"); then
		echo "FAIL: the PGO build decides differently"
		diff <(canon "$tmp/a.jsonl") <(canon "$tmp/b.jsonl") | head -5
		exit 1
	fi
	echo "ok: PGO build ($B-pgo): $(wc -l <"$tmp/b.jsonl") actions, the same as $B's"
	;;
tsan)
	T="$B-tsan"
	make --no-print-directory -j"$(nproc)" BUILD="$T" CFLAGS="-fsanitize=thread -g" LDFLAGS="-fsanitize=thread" \
		"$T/simsieve" "$T/tests/check_merge" >"$tmp/build.log" 2>&1 || { tail -20 "$tmp/build.log"; echo "FAIL: TSan build"; exit 1; }
	if ! "$T/tests/check_merge" >"$tmp/probe.log" 2>&1 && grep -q "unexpected memory mapping\|ThreadSanitizer: .*failed" "$tmp/probe.log"; then
		echo "skipped: the ThreadSanitizer runtime cannot start on this kernel ($(grep -m1 ThreadSanitizer "$tmp/probe.log"))"
		exit 0
	fi
	export TSAN_OPTIONS="halt_on_error=1 exitcode=66"
	CK_FORK=no "$T/tests/check_merge" >"$tmp/check.log" 2>&1 || { tail -30 "$tmp/check.log"; echo "FAIL: check_merge under TSan"; exit 1; }
	"$T/simsieve" replay --reader-thread on --cdr "$tmp/sc/cdr.csv" --activations "$tmp/sc/activations.csv" \
		--actions "$tmp/t.jsonl" 2>"$tmp/replay.log" || { grep -A20 ThreadSanitizer "$tmp/replay.log" | head -30; echo "FAIL: replay under TSan"; exit 1; }
	"$B/simsieve" replay --reader-thread off --cdr "$tmp/sc/cdr.csv" --activations "$tmp/sc/activations.csv" \
		--actions "$tmp/a.jsonl" 2>/dev/null
	cmp -s <(canon "$tmp/a.jsonl") <(canon "$tmp/t.jsonl") || { echo "FAIL: actions differ under TSan"; exit 1; }
	echo "ok: reader thread under ThreadSanitizer: check_merge and a replay ($(wc -l <"$tmp/t.jsonl") actions) race-free"
	;;
*)
	echo "usage: build_variants.sh pgo|tsan" >&2
	exit 2
	;;
esac
