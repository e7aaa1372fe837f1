#!/usr/bin/env bash
# Golden tests: `simsieve decode` against tshark, field by field (docs/golden-tests.md).
#
#   1. every capture of the public corpus (../shared/corpus/pcap, truth/*.tsv
#      made by tshark 4.0) - skipped when the corpus is not present
#   2. traces from tools/gen_map_trace (two seeds, Ethernet and raw IPv4),
#      decoded by tshark now, and checked against the generator's own
#      ground truth (PREFIX.expect.jsonl)
#   3. the GSUP capture from a real osmo-hlr kept in tests/golden/gsup/
#
# Fails on any disagreement not listed in tests/golden/known_differences.tsv.
# CORPUS=DIR overrides the corpus location.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
CMP="python3 tests/golden/compare.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

corpus=${CORPUS:-../shared/corpus/pcap}
if [ -d "$corpus/truth" ]; then
	$CMP corpus "$corpus" --decoder "$B/simsieve" || status=1
else
	echo "skipped: corpus not present ($corpus)"
fi

if command -v tshark >/dev/null; then
	for spec in "1 eth" "42 raw"; do
		set -- $spec
		"$B/tools/gen_map_trace" --out "$tmp/gen$1" --seed "$1" --link "$2" >/dev/null
		$CMP live "$tmp/gen$1.pcap" --fieldset map --name "gen_map_trace seed $1 $2" \
			--expect "$tmp/gen$1.expect.jsonl" --decoder "$B/simsieve" || status=1
	done
	for f in tests/golden/gsup/*.pcap*; do
		[ -e "$f" ] || continue
		$CMP live "$f" --fieldset gsup --decoder "$B/simsieve" || status=1
	done
else
	echo "skipped: tshark not installed (generated and GSUP traces not compared)"
fi
[ "$status" = 0 ] && echo "ok: golden comparison with tshark" || echo "FAIL: golden comparison with tshark"
exit $status
