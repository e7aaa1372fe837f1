#!/usr/bin/env bash
# demo.sh - replay the bundled sample scenario and show what simsieve decided.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
out=${DEMO_OUT:-out/demo}
mkdir -p "$out"
rm -f "$out/actions.jsonl"

echo "== simsieve replay of tools/sample (400 subscribers, 2 days, 2 SIM boxes) =="
zcat tools/sample/cdr.csv.gz |
	"$B/simsieve" replay --cdr - --activations tools/sample/activations.csv \
		--actions "$out/actions.jsonl"
echo
echo "== first actions ($out/actions.jsonl, $(wc -l <"$out/actions.jsonl") in all) =="
head -n 3 "$out/actions.jsonl"
echo "..."
grep -m 2 '"subject":{"imei"' "$out/actions.jsonl" || true
echo
echo "== scored against the scenario's ground truth =="
"$B/tools/evaluate" --truth tools/sample/truth.csv --actions "$out/actions.jsonl"
