#!/usr/bin/env bash
# End-to-end: the command line (cli.md) - exit codes, config errors, stable
# action ids across replays, shadow mode, the white list, and `rep get` from
# another process while a replay writes the store.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
S=$B/simsieve
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect_status() { # want, command...
	local want=$1 got=0
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" || got=$?
	[ "$got" -eq "$want" ] || { cat "$tmp/err"; fail "'$*' exited $got, want $want"; }
}

# --- exit codes -------------------------------------------------------------
expect_status 2 "$S"
expect_status 2 "$S" no-such-verb
expect_status 0 "$S" --help
expect_status 0 "$S" replay --help
expect_status 0 "$S" rep --help
expect_status 2 "$S" replay
expect_status 2 "$S" replay --cdr x.csv --no-such-option
expect_status 2 "$S" replay --cdr x.csv --delimiter X
expect_status 1 "$S" replay --cdr "$tmp/missing.csv"
grep -q "missing.csv" "$tmp/err" || fail "missing input not named"

"$B/tools/scenario_gen" --out "$tmp/sc" --subscribers 2000 --days 3 --seed 5 >/dev/null
cdr=$tmp/sc/cdr.csv
act=$tmp/sc/activations.csv

printf '[simbox]\nno_such_threshold = 3\n' >"$tmp/bad.conf"
expect_status 2 "$S" replay --config "$tmp/bad.conf" --cdr "$cdr"
grep -q "bad.conf:2: unknown setting 'simbox.no_such_threshold'" "$tmp/err" || { cat "$tmp/err"; fail "unknown key not reported with file:line"; }
printf '[policy]\nblock_score = lots\n' >"$tmp/bad2.conf"
expect_status 2 "$S" replay --config "$tmp/bad2.conf" --cdr "$cdr"
grep -q "bad2.conf:2: policy.block_score = 'lots': not a number" "$tmp/err" || { cat "$tmp/err"; fail "bad value not reported"; }

# --- stable ids: the same data replayed twice gives the same decisions ------
"$S" replay -q --cdr "$cdr" --activations "$act" --actions "$tmp/a1.jsonl"
"$S" replay -q --cdr "$cdr" --activations "$act" --actions "$tmp/a2.jsonl"
n1=$(wc -l <"$tmp/a1.jsonl")
[ "$n1" -gt 0 ] || fail "scenario produced no actions"
ids() { grep -o '"id":"[0-9a-f]*"' "$1" | sort; }
diff <(ids "$tmp/a1.jsonl") <(ids "$tmp/a2.jsonl") >/dev/null || fail "action ids differ between identical replays"
[ "$(ids "$tmp/a1.jsonl" | uniq -d | wc -l)" -eq 0 ] || fail "duplicate action ids within one replay"
# Input order does not matter: the same rows shuffled within the reorder window.
{ head -1 "$cdr"; tail -n +2 "$cdr" | awk 'NR%2==0{held=$0; next} {print; if (held!="") {print held; held=""}} END{if(held!="")print held}'; } >"$tmp/swapped.csv"
"$S" replay -q --cdr "$tmp/swapped.csv" --activations "$act" --actions "$tmp/a3.jsonl"
diff <(ids "$tmp/a1.jsonl") <(ids "$tmp/a3.jsonl") >/dev/null || fail "locally reordered input changed the decisions"

# --- the JSON Lines contract (action.md) --------------------------------------
python3 - "$tmp/a1.jsonl" <<'PY'
import json, sys
kinds = {"block", "reverify", "limit", "monitor", "release"}
families = {"simbox", "bulk_open", "silent", "roaming", "scam_sms", "wangiri", "list", "manual"}
for n, line in enumerate(open(sys.argv[1]), 1):
    a = json.loads(line)
    for key in ("id", "action", "mode", "event_time", "emitted_at", "subject", "score", "reasons"):
        assert key in a, f"line {n}: missing {key}"
    assert a["action"] in kinds and a["mode"] in ("enforce", "shadow"), line
    assert len(a["id"]) == 16 and int(a["id"], 16) >= 0
    assert a["event_time"].endswith("Z") and a["emitted_at"].endswith("Z")
    assert set(a["subject"]) <= {"msisdn", "imsi", "imei"} and a["subject"], line
    assert 0 <= a["score"] <= 100
    assert a["reasons"], line
    for r in a["reasons"]:
        assert r["code"].split(".")[0] in families and r["detail"], r
PY

# --- shadow mode ----------------------------------------------------------------
"$S" replay -q --shadow --cdr "$cdr" --activations "$act" --actions "$tmp/shadow.jsonl"
[ "$(wc -l <"$tmp/shadow.jsonl")" -eq "$n1" ] || fail "shadow mode changed the number of decisions"
! grep -q '"mode":"enforce"' "$tmp/shadow.jsonl" || fail "enforce action in shadow mode"

# --- white list: a white-listed gateway SIM is never blocked -------------------
victim=$(grep -m1 '"action":"block".*"msisdn":"' "$tmp/a1.jsonl" | sed 's/.*"msisdn":"\([0-9]*\)".*/\1/')
[ -n "$victim" ] || fail "no blocked SIM with an MSISDN to white-list"
"$S" rep --db "$tmp/db" set "$victim" --list white --source test-vip >/dev/null
"$S" replay -q --db "$tmp/db" --cdr "$cdr" --activations "$act" --actions "$tmp/white.jsonl"
! grep "\"msisdn\":\"$victim\"" "$tmp/white.jsonl" | grep -qE '"action":"(block|reverify|limit)"' ||
	fail "white-listed $victim got a strong action"
grep "\"msisdn\":\"$victim\"" "$tmp/white.jsonl" | grep -q 'list.white' || fail "white-list cap not explained"
"$S" rep --db "$tmp/db" get "$victim" | grep -q '"list":"white"' || fail "white list lost by the replay"

# --- the store is readable from another process while a replay writes ------
"$B/tools/scenario_gen" --out "$tmp/big" --subscribers 6000 --days 6 --seed 9 >/dev/null
"$S" replay -q --db "$tmp/db2" --cdr "$tmp/big/cdr.csv" --activations "$tmp/big/activations.csv" \
	--actions "$tmp/big.jsonl" &
pids+=($!)
reads=0
for _ in $(seq 1 40); do
	st=0
	"$S" rep --db "$tmp/db2" stats >/dev/null 2>"$tmp/err" || st=$?
	if [ $st -eq 0 ]; then reads=$((reads + 1)); elif ! grep -qi 'no such file\|not found\|does not exist\|no reputation store' "$tmp/err"; then
		cat "$tmp/err"; fail "rep stats failed while a replay writes (exit $st)"; fi
	sleep 0.05
done
wait "${pids[0]}" || fail "replay failed"
pids=()
[ $reads -gt 0 ] || fail "no successful concurrent read"
blocked=$(grep -m1 '"action":"block".*"imsi":"' "$tmp/big.jsonl" | sed 's/.*"imsi":"\([0-9]*\)".*/\1/')
"$S" rep --db "$tmp/db2" get "imsi:$blocked" | grep -q '"last_action":"block"' || fail "blocked IMSI not in the store"
echo "ok: cli ($reads concurrent reads during the replay)"
