#!/usr/bin/env bash
# End-to-end: the webhook receiver (src/act/recv_webhook.c) against
# tools/webhook_receiver on a free 127.0.0.1 port, driven by
# tools/bench_deliver send.
#
#   1. 1,000 actions in batches of 50: all delivered, recorded byte for byte
#      and in order, every signature verified by the endpoint
#   2. the same 1,000 again: delivered, counted as duplicates on "id"
#   3. endpoint answers 500 / 429 / stalls past the timeout / closes the
#      connection: every action "retry"; 400 / 409: "rejected"
#   4. a receiver with the wrong secret: 401, "rejected", counted as a bad
#      signature
#   5. endpoint gone: "retry"
# and the endpoint's statistics line at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
fail() { echo "FAIL: $*"; exit 1; }
[ -x "$B/tools/webhook_receiver" ] && [ -x "$B/tools/bench_deliver" ] || fail "tools not built in $B"

tmp=$(mktemp -d)
srv=''
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

secret='e2e-webhook-secret'
echo ok >"$tmp/mode"
"$B/tools/webhook_receiver" -P "$tmp/port" -o "$tmp/received.jsonl" -k "$secret" -c "$tmp/mode" \
	-S "$tmp/stats" >"$tmp/receiver.out" 2>&1 &
srv=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.05; done
[ -s "$tmp/port" ] || fail "webhook_receiver did not start"
port=$(cat "$tmp/port")

cat >"$tmp/sinks.conf" <<CONF
[sink.hook]
type = webhook
url = http://127.0.0.1:$port/simsieve/actions
secret = $secret
batch = 50
timeout = 1s
connect_timeout = 1s
header = X-Operator: e2e

[sink.wrong]
type = webhook
url = http://127.0.0.1:$port/simsieve/actions
secret = not-the-secret
batch = 1
CONF

python3 - "$tmp/actions.jsonl" <<'PY'
import json, sys
kinds = ["block", "limit", "reverify", "monitor", "release"]
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        f.write(json.dumps({"id": "%016x" % (0x7700000000000000 + i), "action": kinds[i % 5], "mode": "enforce",
            "event_time": "2026-11-02T08:15:03Z", "emitted_at": "2026-11-22T06:01:44Z",
            "subject": {"msisdn": "86138%08d" % i, "imsi": "46000%010d" % i}, "score": 80 + i % 20,
            "reasons": [{"code": "simbox.outbound_only", "detail": "212 MO calls, 0 MT \u4e2d\u6587 \"q\""}]},
            separators=(",", ":"), ensure_ascii=False) + "\n")
PY
head -5 "$tmp/actions.jsonl" >"$tmp/five.jsonl"

send() { # sink, file -> result lines on stdout
	"$B/tools/bench_deliver" send "$tmp/sinks.conf" "$1" "$2"
}
count() { # result word, results file
	grep -c " $1\( \|$\)" "$2" || true
}

# 1. healthy: everything delivered, recorded exactly
send hook "$tmp/actions.jsonl" >"$tmp/r1.txt"
[ "$(count delivered "$tmp/r1.txt")" -eq 1000 ] || fail "healthy endpoint: $(sort "$tmp/r1.txt" | awk '{print $2}' | uniq -c | tr '\n' ' ')"
cmp -s "$tmp/actions.jsonl" "$tmp/received.jsonl" || fail "the endpoint recorded different bytes than were sent"

# 2. the same actions again: duplicates at the endpoint
send hook "$tmp/actions.jsonl" >"$tmp/r2.txt"
[ "$(count delivered "$tmp/r2.txt")" -eq 1000 ] || fail "re-delivery"

# 3. failure modes
for mode in 500 429 stall close 400 409; do
	echo $mode >"$tmp/mode"
	send hook "$tmp/five.jsonl" >"$tmp/r_$mode.txt"
	case $mode in 400 | 409) want=rejected ;; *) want=retry ;; esac
	got=$(count $want "$tmp/r_$mode.txt")
	[ "$got" -eq 5 ] || fail "endpoint mode $mode: expected 5 x $want, got: $(cat "$tmp/r_$mode.txt")"
	echo "  mode $mode: 5 x $want ($(head -1 "$tmp/r_$mode.txt" | cut -d' ' -f3-))"
done
echo ok >"$tmp/mode"

# 4. wrong secret
send wrong "$tmp/five.jsonl" >"$tmp/r_wrong.txt"
[ "$(count rejected "$tmp/r_wrong.txt")" -eq 5 ] || fail "wrong secret: $(cat "$tmp/r_wrong.txt")"
grep -q "HTTP 401" "$tmp/r_wrong.txt" || fail "wrong secret should be answered 401"

# statistics, then 5. endpoint gone
kill "$srv"
wait "$srv" 2>/dev/null || true
srv=''
stats=$(cat "$tmp/stats")
echo "  endpoint: $stats"
case "$stats" in
"received 2000 unique 1000 duplicates 1000 bad_signatures 5 "*) ;;
*) fail "endpoint statistics: $stats" ;;
esac
send hook "$tmp/five.jsonl" >"$tmp/r_down.txt"
[ "$(count retry "$tmp/r_down.txt")" -eq 5 ] || fail "endpoint gone: $(cat "$tmp/r_down.txt")"
echo "ok: webhook receiver: 2,000 signed actions delivered (1,000 duplicates seen), 5xx/429/stall/close retry, 4xx rejected, wrong secret 401, endpoint gone retry"
