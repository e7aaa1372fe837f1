#!/usr/bin/env bash
# End-to-end: the circuit breaker on mass action (docs/provisioning.md,
# "Safety brakes").  A policy that makes simbox block at a low score, run on
# a generated scenario, would block far more SIMs in an hour than the
# configured brake allows: the breaker trips, the alert is logged, the rest
# goes out in shadow mode, the trip is counted and persists in the store
# (a later run is braked from its start), `rep breaker status` reports it,
# and `rep breaker reset` re-enables enforce mode.  Then a running daemon
# delivers a `rep release` written by another process and its engine picks it up.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
S=$B/simsieve
tmp=$(mktemp -d)
daemon=
cleanup() { [ -n "$daemon" ] && kill -9 "$daemon" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
wait_for() { # file, pattern
	for _ in $(seq 1 100); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

"$B/tools/scenario_gen" --out "$tmp/a" --subscribers 3000 --days 4 --seed 21 >/dev/null
"$B/tools/scenario_gen" --out "$tmp/b" --subscribers 3000 --days 4 --seed 22 >/dev/null
cat >"$tmp/mass.conf" <<EOF2
[policy.simbox]
block_score = 30
reverify_score = 25
limit_score = 20
monitor_score = 10
[breaker.simbox]
per_hour = 10
EOF2
strong='"action":"(block|reverify|limit)"'

# Unbraked, the rule blocks many SIMs.
"$S" replay -q --config "$tmp/mass.conf" --cdr "$tmp/a/cdr.csv" --activations "$tmp/a/activations.csv" \
	--actions "$tmp/free.jsonl" --shadow 2>/dev/null
would=$(grep -E "$strong" "$tmp/free.jsonl" | grep -c '"family":"simbox"' || true)
[ "$would" -gt 20 ] || fail "scenario too small: the rule would act on only $would"

# 1. Braked: trips, alert, the rest in shadow mode.
"$S" replay --config "$tmp/mass.conf" --db "$tmp/db" --cdr "$tmp/a/cdr.csv" \
	--activations "$tmp/a/activations.csv" --actions "$tmp/a.jsonl" 2>"$tmp/a.log"
grep -q "ALERT: circuit breaker tripped: simbox: more than 10 distinct subjects acted on within a hour" \
	"$tmp/a.log" || fail "no alert line"
grep -q "breaker: 1 trips, [1-9][0-9]* actions shadowed" "$tmp/a.log" || fail "trip not counted in the summary"
# Distinct subjects: acting twice on one SIM (reverify, then block) counts once.
enforced=$(grep -E "$strong" "$tmp/a.jsonl" | grep '"family":"simbox"' | grep '"mode":"enforce"' |
	grep -o '"subject":{[^}]*}' | sort -u | wc -l)
shadowed=$(grep -E "$strong" "$tmp/a.jsonl" | grep '"family":"simbox"' | grep -c '"mode":"shadow"' || true)
[ "$enforced" -lt "$would" ] || fail "not braked: $enforced of $would enforced"
# From the trip on (input time), nothing of simbox is enforced.
trip=$(sed -n 's/.*within a hour (at \([^)]*\)).*/\1/p' "$tmp/a.log" | head -1)
[ -n "$trip" ] || fail "no trip time in the alert"
late=$(grep -E "$strong" "$tmp/a.jsonl" | grep '"family":"simbox"' | grep '"mode":"enforce"' |
	awk -v t="$trip" -F'"event_time":"' '{ split($2, a, "\""); if (a[1] >= t) n++ } END { print n + 0 }')
[ "$late" -eq 0 ] || fail "$late simbox actions enforced after the trip at $trip"
[ "$shadowed" -gt 0 ] || fail "nothing went to shadow mode"
# Other families are not braked by the simbox trip.
other=$(grep -E "$strong" "$tmp/a.jsonl" | grep -v '"family":"simbox"' | grep -c '"mode":"enforce"' || true)
[ "$other" -gt 0 ] || fail "other families braked too"
"$S" rep --db "$tmp/db" breaker status >"$tmp/st"
grep -q '"tripped":true,"scopes":\["simbox"\]' "$tmp/st" || { cat "$tmp/st"; fail "status does not say tripped"; }

# 2. The trip persists: a later run is braked from its first action.
cp -r "$tmp/db" "$tmp/db2"
"$S" replay -q --config "$tmp/mass.conf" --db "$tmp/db2" --cdr "$tmp/b/cdr.csv" \
	--activations "$tmp/b/activations.csv" --actions "$tmp/b.jsonl" 2>/dev/null
n=$(grep -E "$strong" "$tmp/b.jsonl" | grep '"family":"simbox"' | grep -c '"mode":"enforce"' || true)
[ "$n" -eq 0 ] || fail "$n simbox actions enforced while the breaker was tripped"

# 3. reset re-enables enforce mode.
"$S" rep --db "$tmp/db" breaker reset --note "test: rule fixed" | grep -q "breaker reset" || fail "reset"
"$S" rep --db "$tmp/db" breaker status | grep -q '"tripped":false' || fail "still tripped after reset"
"$S" replay -q --config "$tmp/mass.conf" --db "$tmp/db" --cdr "$tmp/b/cdr.csv" \
	--activations "$tmp/b/activations.csv" --actions "$tmp/c.jsonl" 2>/dev/null
n=$(grep -E "$strong" "$tmp/c.jsonl" | grep '"family":"simbox"' | grep -c '"mode":"enforce"' || true)
[ "$n" -gt 0 ] || fail "still braked after the reset"
echo "ok: breaker: the rule would act on $would simbox SIMs; braked at $enforced, $shadowed shadowed, alert," \
	"persisted across runs, reset re-enables ($n enforced after)"

# 4. A running daemon picks up a reset and a release from `rep` within a second.
"$S" rep --db "$tmp/db3" set 8613800000001 --score 10 >/dev/null
cat >"$tmp/run.conf" <<EOF2
[run]
db = $tmp/db3
actions = $tmp/run.jsonl
cdr_feed = $tmp/feed.csv
poll_ms = 50
stats_interval = 0
EOF2
cat "$tmp/mass.conf" >>"$tmp/run.conf"
"$S" run --config "$tmp/run.conf" 2>"$tmp/run.log" &
daemon=$!
wait_for "$tmp/run.log" "running:" || fail "daemon did not start"
"$S" rep --db "$tmp/db3" release 8613800000001 --reason "appeal 7" >/dev/null || fail "release"
wait_for "$tmp/run.jsonl" '"action":"release"' || fail "release not delivered by the running daemon"
wait_for "$tmp/run.log" "release of msisdn:8613800000001 picked up" || fail "daemon did not pick the release up"
"$S" rep --db "$tmp/db3" breaker reset --note "test" >/dev/null
kill -USR1 "$daemon"
sleep 1.5
kill -TERM "$daemon"
wait "$daemon" || fail "daemon exit status"
daemon=
grep -q '"reasons":\[{"code":"manual.release","detail":"released by an operator (lifts none): appeal 7"}\]' \
	"$tmp/run.jsonl" || fail "release action content"
echo "ok: rep release reaches a running daemon: delivered by its dispatcher, picked up by its engine"
