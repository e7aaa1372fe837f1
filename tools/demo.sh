#!/usr/bin/env bash
# demo.sh - replay the bundled sample scenario and show what simsieve decided.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
out=${DEMO_OUT:-out/demo}
mkdir -p "$out"
rm -rf "$out/actions.jsonl" "$out/db"

echo "== shared black/gray lists into a fresh reputation store ($out/db) =="
"$B/simsieve" rep import --db "$out/db" tools/sample/lists.csv
echo
echo "== simsieve replay of tools/sample (400 subscribers, 2 days: SIM boxes, bulk-opened"
echo "   and silent SIMs, high-risk roamers, ring-and-drop numbers, listed numbers, scam SMS) =="
echo "   (the first run compiles the scam-SMS signatures once, ~20-60 s; later runs load them"
echo "    from the cache in milliseconds)"
zcat tools/sample/cdr.csv.gz |
	"$B/simsieve" replay --db "$out/db" --keep-db --cdr - --activations tools/sample/activations.csv \
		--actions "$out/actions.jsonl"
echo
echo "== first actions ($out/actions.jsonl, $(wc -l <"$out/actions.jsonl") in all) =="
head -n 3 "$out/actions.jsonl"
echo "..."
for fam in simbox bulk_open silent roaming wangiri list scam_sms; do
	grep -m 1 "\"action\":\"block\".*\"family\":\"$fam\"" "$out/actions.jsonl" || true
done
echo
echo "== scored against the scenario's ground truth =="
"$B/tools/evaluate" --truth tools/sample/truth.csv --actions "$out/actions.jsonl"
