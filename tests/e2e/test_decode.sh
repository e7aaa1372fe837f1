#!/usr/bin/env bash
# End-to-end: `simsieve decode` over every capture of the shared corpus
# (../shared/corpus/pcap next to the repository): exit 0, every stdout line
# valid JSON, the frame count equal to tshark's (or capinfos'), and no crash
# under the ASan build when there is one.  Also: usage errors, a missing
# file, a capture cut short, stdin, and replay --pcap.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
S=$B/simsieve
corpus=$(dirname "$0")/../../../shared/corpus/pcap
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# --- usage -------------------------------------------------------------------
"$S" decode --help >/dev/null || fail "decode --help"
st=0; "$S" decode >/dev/null 2>&1 || st=$?; [ $st -eq 2 ] || fail "decode without a file exited $st, want 2"
st=0; "$S" decode --bogus x >/dev/null 2>&1 || st=$?; [ $st -eq 2 ] || fail "bad option exited $st"
st=0; "$S" decode "$tmp/missing.pcap" >/dev/null 2>"$tmp/err" || st=$?
[ $st -eq 1 ] || fail "missing file exited $st, want 1"
grep -q "missing.pcap" "$tmp/err" || fail "missing file not named"
echo "not a capture" >"$tmp/junk.pcap"
st=0; "$S" decode "$tmp/junk.pcap" >/dev/null 2>&1 || st=$?; [ $st -eq 1 ] || fail "junk exited $st, want 1"

if [ ! -d "$corpus" ]; then
	echo "skipped: corpus not present"
	exit 0
fi

count_frames() {
	if command -v tshark >/dev/null 2>&1; then
		tshark -r "$1" -T fields -e frame.number 2>/dev/null | wc -l
	elif command -v capinfos >/dev/null 2>&1; then
		capinfos -T -r -c "$1" | awk -F'\t' '{print $2}'
	else
		echo ""
	fi
}

n=0
for f in "$corpus"/*.pcap "$corpus"/*.pcapng "$corpus"/*.cap; do
	[ -e "$f" ] || continue
	st=0
	"$S" decode "$f" >"$tmp/out" 2>"$tmp/err" || st=$?
	[ $st -eq 0 ] || { cat "$tmp/err"; fail "$f: exit $st"; }
	python3 -c '
import json, sys
for i, line in enumerate(open(sys.argv[1]), 1):
    try:
        o = json.loads(line)
    except ValueError as e:
        sys.exit("%s: line %d: not JSON: %s" % (sys.argv[2], i, e))
    if not isinstance(o, dict) or "frame" not in o:
        sys.exit("%s: line %d: no frame number" % (sys.argv[2], i))
' "$tmp/out" "$f" || fail "$f: bad JSON"
	want=$(count_frames "$f")
	got=$(sed -n 's/^  frames \([0-9]*\) .*/\1/p' "$tmp/err")
	if [ -n "$want" ] && [ "$want" != "$got" ]; then
		fail "$f: $got frames, tshark counts $want"
	fi
	if [ -x "${ASAN_BUILD:-$B-asan}/simsieve" ]; then
		"${ASAN_BUILD:-$B-asan}/simsieve" decode "$f" >/dev/null 2>"$tmp/asan" ||
			{ tail -30 "$tmp/asan"; fail "$f: ASan build failed"; }
	fi
	n=$((n + 1))
done
[ $n -gt 0 ] || fail "no captures in $corpus"

# stdin, and a capture cut short (exit 1, the frames before it still printed)
f=$(ls "$corpus"/*.pcap | head -1)
"$S" decode - <"$f" >"$tmp/stdin.out" 2>/dev/null || fail "decode - failed"
"$S" decode "$f" 2>/dev/null | cmp -s - "$tmp/stdin.out" || fail "stdin output differs from the file's"
big=$corpus/wswiki_isup_load_generator.pcap
if [ -e "$big" ]; then
	head -c $(($(stat -c %s "$big") - 7)) "$big" >"$tmp/cut.pcap"
	st=0; "$S" decode "$tmp/cut.pcap" >"$tmp/cut.out" 2>"$tmp/cut.err" || st=$?
	[ $st -eq 1 ] || fail "cut capture exited $st, want 1"
	grep -q "cut short" "$tmp/cut.err" || fail "cut capture not reported"
fi

# replay --pcap: the capture is an input with its own summary line
f=$corpus/pyhss_Resync.pcap
if [ -e "$f" ]; then
	"$S" replay -q --pcap "$f" --actions "$tmp/actions.jsonl" 2>"$tmp/replay.err" || { cat "$tmp/replay.err"; fail "replay --pcap"; }
	grep -q "input pcap .*pyhss_Resync.pcap" "$tmp/replay.err" || { cat "$tmp/replay.err"; fail "no pcap input line"; }
	grep -q "capture: frames 11 " "$tmp/replay.err" || { cat "$tmp/replay.err"; fail "no capture counters"; }
fi
echo "  decode: $n corpus captures ok"
