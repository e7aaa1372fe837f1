#!/usr/bin/env bash
# End-to-end: the provisioning system is down while the daemon decides
# (issue: "with the receiver down for 10 minutes of replay, nothing is lost
# and the backlog drains when it returns").  The daemon follows a CDR feed
# covering 2 days of scenario time and delivers to a signed webhook whose
# endpoint does not exist yet (connection refused: retry with backoff);
# the decisions pile up in the durable outbox; then the endpoint comes up
# on that port and the backlog drains.  Asserts: the endpoint received
# exactly the actions of a plain replay of the same rows (same ids), each
# once, every signature valid, and the outbox is empty at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
S=$B/simsieve
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d)
daemon='' srv=''
cleanup() {
	[ -n "$daemon" ] && kill -9 "$daemon" 2>/dev/null || true
	[ -n "$srv" ] && kill "$srv" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
wait_for() { # file regex seconds
	for _ in $(seq 1 $((${3:-30} * 10))); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

"$B/tools/scenario_gen" --out "$tmp/sc" --subscribers 400 --days 2 --seed 7 >/dev/null
cdr=$tmp/sc/cdr.csv
rows=$(($(wc -l <"$cdr") - 1))
"$S" replay -q --cdr "$cdr" --actions "$tmp/replay.jsonl" 2>/dev/null
grep -o '"id":"[0-9a-f]*"' "$tmp/replay.jsonl" | sort >"$tmp/replay.ids"
want=$(wc -l <"$tmp/replay.ids")
[ "$want" -gt 50 ] || fail "scenario too small ($want actions)"

# A free port: let the endpoint pick one, then stop it - the port is now dead.
secret=outage-secret
"$B/tools/webhook_receiver" -P "$tmp/port" -o "$tmp/first.jsonl" -k "$secret" >/dev/null 2>&1 &
srv=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/port")
kill "$srv"; wait "$srv" 2>/dev/null || true; srv=''

cat >"$tmp/run.conf" <<CONF
[run]
db = $tmp/db
cdr_feed = $tmp/cdr.csv
poll_ms = 50
stats_interval = 0
[sink.hook]
type = webhook
url = http://127.0.0.1:$port/actions
secret = $secret
batch = 50
timeout = 1s
connect_timeout = 1s
retry_min = 1s
retry_max = 2s
CONF
cp "$cdr" "$tmp/cdr.csv"
"$S" run --config "$tmp/run.conf" 2>"$tmp/log" &
daemon=$!
sleep 0.5 # signal handlers are installed at start-up; SIGUSR1 before that would kill it
kill -0 "$daemon" || { cat "$tmp/log"; fail "daemon did not start"; }
# The whole feed is read and decided while the endpoint is down.
for _ in $(seq 1 150); do
	kill -USR1 "$daemon"; sleep 0.2
	grep -qE "feed $tmp/cdr.csv: $rows accepted" "$tmp/log" && break
done
grep -qE "feed $tmp/cdr.csv: $rows accepted" "$tmp/log" || fail "daemon did not read the feed ($rows rows)"
sleep 1
"$S" rep --db "$tmp/db" outbox >"$tmp/outbox1.txt" 2>&1 || true
held=$(sed -n "s/.*waiting \([0-9]*\).*/\1/p" "$tmp/outbox1.txt" | head -1)
grep -q "retry" "$tmp/log" || fail "no failed delivery logged while the endpoint was down"
[ ! -s "$tmp/first.jsonl" ] || fail "something was delivered to a dead endpoint"

# The endpoint comes back on the same port: the backlog drains.
"$B/tools/webhook_receiver" -p "$port" -o "$tmp/received.jsonl" -k "$secret" -S "$tmp/stats" >"$tmp/srv.out" 2>&1 &
srv=$!
got=0
for _ in $(seq 1 300); do
	got=$(grep -c '"id"' "$tmp/received.jsonl" 2>/dev/null || true)
	[ "${got:-0}" -ge "$want" ] && break
	sleep 0.1
done
kill -TERM "$daemon"; st=0; wait "$daemon" || st=$?; daemon=''
[ $st -eq 0 ] || fail "daemon exited $st"
kill "$srv"; wait "$srv" 2>/dev/null || true; srv=''

grep -o '"id":"[0-9a-f]*"' "$tmp/received.jsonl" | sort >"$tmp/got.ids"
dups=$(($(wc -l <"$tmp/got.ids") - $(sort -u "$tmp/got.ids" | wc -l)))
sort -u "$tmp/got.ids" >"$tmp/got.uniq"
cmp -s "$tmp/replay.ids" "$tmp/got.uniq" || {
	echo "replay $want ids, endpoint $(wc -l <"$tmp/got.uniq") distinct"
	diff "$tmp/replay.ids" "$tmp/got.uniq" | head -5
	fail "the endpoint did not receive exactly the replay's actions"
}
[ "$dups" -eq 0 ] || fail "$dups actions delivered twice"
grep -q "bad_signatures 0 " "$tmp/stats" || { cat "$tmp/stats"; fail "signatures did not verify"; }
[ "${held:-0}" -gt 0 ] || { cat "$tmp/outbox1.txt"; fail "nothing was held in the outbox during the outage"; }
"$S" rep --db "$tmp/db" outbox >"$tmp/outbox2.txt"
grep -q "receiver hook .* waiting 0" "$tmp/outbox2.txt" || { cat "$tmp/outbox2.txt"; fail "outbox not drained"; }
echo "ok: endpoint down while $rows rows (2 days) were decided, $held actions held in the outbox, all $want delivered once (signed) when it returned"
