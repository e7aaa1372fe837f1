#!/usr/bin/env bash
# End-to-end: the live daemon (`simsieve run`) and live replay (`replay --iface`),
# on local files and the loopback interface only.
#
# 1. Feeds: a generated scenario is appended to the followed CDR file in
#    chunks (one row split across two writes), the file is rotated by rename
#    in the middle, then SIGTERM: the actions must equal those of
#    `simsieve replay` on the same rows (same ids, same order).  SIGUSR1 logs
#    stats, SIGHUP with a good config reloads and reopens the actions file,
#    with a broken one is rejected (file:line logged) and the daemon runs on;
#    a bad row is reported with file:line and counted; usage errors exit 2.
# 2. Capture on lo: SIP INVITEs (UDP 5060) sent with tools/pcap_send are
#    decoded by `replay --iface lo --count K` and by `run` into call events
#    and the expected action.  Skipped, and said so, when capture on lo is
#    not permitted (not root, no CAP_NET_RAW).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
S=$B/simsieve
tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/log" ] && tail -20 "$tmp/log"; exit 1; }

# wait_for FILE REGEX [SECONDS]: until a line of FILE matches.
wait_for() {
	local i
	for i in $(seq 1 $((${3:-20} * 10))); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# stats_until PID REGEX: ask for a stats line (SIGUSR1) until one matches.
stats_until() {
	local i
	for i in $(seq 1 100); do
		kill -USR1 "$1"
		sleep 0.2
		grep -qE "$2" "$tmp/log" 2>/dev/null && return 0
	done
	return 1
}

# --- usage ------------------------------------------------------------------
"$S" run --help >/dev/null || fail "run --help"
st=0; "$S" run >/dev/null 2>&1 || st=$?; [ $st -eq 2 ] || fail "run without --config exited $st, want 2"
st=0; "$S" run --config x --bogus >/dev/null 2>&1 || st=$?; [ $st -eq 2 ] || fail "bad option exited $st"
printf '[run]\ncdr_feed = %s/x.csv\nbogus = 1\n' "$tmp" >"$tmp/bad.conf"
st=0; "$S" run --config "$tmp/bad.conf" 2>"$tmp/err" || st=$?
[ $st -eq 2 ] && grep -q "bad.conf:3: unknown setting 'run.bogus'" "$tmp/err" || fail "unknown key: exit $st"
printf '[run]\n' >"$tmp/empty.conf"
st=0; "$S" run --config "$tmp/empty.conf" 2>/dev/null || st=$?; [ $st -eq 2 ] || fail "no inputs exited $st"
printf '[run]\ninterface = lo\nfilter = udp port nonsense\n' >"$tmp/filter.conf"
st=0; "$S" run --config "$tmp/filter.conf" --check 2>/dev/null || st=$?; [ $st -eq 2 ] || fail "bad filter exited $st"
st=0; "$S" replay --filter udp --cdr x 2>/dev/null || st=$?; [ $st -eq 2 ] || fail "replay --filter without --iface exited $st"
echo "ok: run usage and configuration errors"

# --- 1. feeds ----------------------------------------------------------------
"$B/tools/scenario_gen" --out "$tmp/sc" --subscribers 400 --days 2 --seed 7 >/dev/null
cdr=$tmp/sc/cdr.csv
rows=$(($(wc -l <"$cdr") - 1))
"$S" replay -q --cdr "$cdr" --actions "$tmp/replay.jsonl" 2>/dev/null

mkdir -p "$tmp/feed"
conf=$tmp/run.conf
write_conf() { # extra policy line
	cat >"$conf" <<EOF
[run]
db = $tmp/db
actions = $tmp/actions.jsonl
cdr_feed = $tmp/feed/cdr.csv
poll_ms = 50
stats_interval = 0
pid_file = $tmp/run.pid
[policy]
cooldown = ${1:-24h}
EOF
}
write_conf
"$S" run --config "$conf" 2>"$tmp/log" &
daemon=$!
pids+=("$daemon")
wait_for "$tmp/log" "waiting for it" || fail "daemon did not wait for the missing feed"
[ "$(cat "$tmp/run.pid")" = "$daemon" ] || fail "pid file"

split1=$((rows / 3)); split2=$((2 * rows / 3))
head -n $((split1 + 1)) "$cdr" | head -c -9 >>"$tmp/feed/cdr.csv"   # a row cut in two
sleep 0.2
head -n $((split1 + 1)) "$cdr" | tail -c 9 >>"$tmp/feed/cdr.csv"
sleep 0.2
sed -n "$((split1 + 2)),$((split2 + 1))p" "$cdr" >>"$tmp/feed/cdr.csv"
sleep 0.3
stats_until "$daemon" "stats \(SIGUSR1\).*feed $tmp/feed/cdr.csv: $split2 accepted" || fail "SIGUSR1 stats ($split2 rows)"
# Rotation: rename, and a new file with its own header.
mv "$tmp/feed/cdr.csv" "$tmp/feed/cdr.csv.1"
{ head -1 "$cdr"; sed -n "$((split2 + 2)),\$p" "$cdr"; } >"$tmp/feed/cdr.new"
mv "$tmp/feed/cdr.new" "$tmp/feed/cdr.csv"
wait_for "$tmp/log" "reopened" || fail "rotation not followed"

# A broken configuration on SIGHUP: rejected with file:line, the daemon runs on.
cp "$conf" "$tmp/good.conf"
printf '[policy]\nblock_score = lots\n' >>"$conf"
kill -HUP "$daemon"
wait_for "$tmp/log" "reload rejected" || fail "broken config on SIGHUP not rejected"
grep -q "run.conf:1[0-9]: policy.block_score = 'lots'" "$tmp/log" || fail "rejected reload does not name file:line"
kill -0 "$daemon" || fail "daemon died on a broken config"
# A good one: reloaded, actions file reopened (rotated by rename first).
cp "$tmp/good.conf" "$conf"
stats_until "$daemon" "feed $tmp/feed/cdr.csv: $rows accepted" || fail "not all rows read ($rows)"
kill -HUP "$daemon"
wait_for "$tmp/log" "reloaded .*run.conf" || fail "good config not reloaded"

kill -TERM "$daemon"
st=0; wait "$daemon" || st=$?
[ $st -eq 0 ] || fail "daemon exited $st after SIGTERM"
[ ! -e "$tmp/run.pid" ] || fail "pid file left behind"
grep -q "stats (final).* 0 rejected, .* 1 rotations" "$tmp/log" || fail "final stats"

grep -o '"id":"[0-9a-f]*"' "$tmp/replay.jsonl" >"$tmp/replay.ids"
grep -o '"id":"[0-9a-f]*"' "$tmp/actions.jsonl" >"$tmp/run.ids"
[ -s "$tmp/replay.ids" ] || fail "replay produced no actions"
cmp -s "$tmp/replay.ids" "$tmp/run.ids" || {
	diff "$tmp/replay.ids" "$tmp/run.ids" | head; fail "run actions differ from replay's"; }
echo "ok: run on a followed, rotated CDR feed = replay ($(wc -l <"$tmp/run.ids") actions, $rows rows)"

# Log rotation of the actions file, and a bad row, in a second short run.
printf 'record_id,start_time,record_type,direction,served_msisdn\nr1,not-a-time,voice,mo,8613800138000\n' \
	>"$tmp/feed2.csv"
cat >"$tmp/run2.conf" <<EOF
[run]
db = $tmp/db2
actions = $tmp/a2.jsonl
cdr_feed = $tmp/feed2.csv
poll_ms = 50
stats_interval = 0
EOF
"$S" run --config "$tmp/run2.conf" 2>"$tmp/log" &
daemon=$!
pids+=("$daemon")
wait_for "$tmp/log" "feed2.csv:2: " || fail "bad row not reported with file:line"
mv "$tmp/a2.jsonl" "$tmp/a2.jsonl.1"
kill -HUP "$daemon"
wait_for "$tmp/log" "reloaded" || fail "reload"
[ -e "$tmp/a2.jsonl" ] || fail "actions file not reopened after SIGHUP"
stats_until "$daemon" "feed2.csv: 0 accepted, 1 rejected" || fail "bad row not counted"
kill -TERM "$daemon"; wait "$daemon" || fail "second daemon exit status"
echo "ok: bad rows reported and counted, actions file reopened on SIGHUP"

# --- 2. live capture on lo -----------------------------------------------------
python3 - "$tmp/sip.pcap" 40 <<'EOF'
import struct, sys
out, n = sys.argv[1], int(sys.argv[2])
def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
f = open(out, 'wb')
f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
for i in range(n):
    callee = '86139%08d' % (1000 + i * 7)
    pl = ('INVITE sip:+%s@ims.example.net SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK%06d\r\n'
          'From: <sip:+8613800138000@ims.example.net>;tag=%d\r\nTo: <sip:+%s@ims.example.net>\r\n'
          'Call-ID: call%06d@10.0.0.1\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n'
          % (callee, i, i, callee, i)).encode()
    udp = struct.pack('!HHHH', 5060, 5060, 8 + len(pl), 0) + pl
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), i, 0, 64, 17, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    eth = bytes(5) + b'\x02' + bytes(5) + b'\x01' + b'\x08\x00' + ip + udp
    f.write(struct.pack('<IIII', 1793500000 + i * 20, 0, len(eth), len(eth)) + eth)
EOF
"$S" replay -q --pcap "$tmp/sip.pcap" --actions "$tmp/sip_file.jsonl" 2>/dev/null
grep -q '"action":"monitor".*"msisdn":"8613800138000"' "$tmp/sip_file.jsonl" || fail "SIP file gives no monitor action"

if ! "$S" replay -q --iface lo --filter 'udp port 5060' --duration 1 --actions /dev/null 2>"$tmp/cap.err"; then
	echo "SKIPPED: live capture on lo is not permitted here ($(tail -1 "$tmp/cap.err")); run as root or with CAP_NET_RAW"
	exit 0
fi
n=40
# A source port of our own: concurrent runs of this test must not see each other's frames.
sport=$((20000 + ($$ % 20000)))
f="udp dst port 5060 and udp src port $sport"
"$S" replay --iface lo --filter "$f" --count $n --duration 30 --actions "$tmp/live.jsonl" 2>"$tmp/live.err" &
rp=$!
pids+=("$rp")
sleep 1
"$B/tools/pcap_send" --src-port $sport --interval-ms 20 "$tmp/sip.pcap" >"$tmp/send.txt"
wait "$rp" || { cat "$tmp/live.err"; fail "replay --iface exit status"; }
grep -q "input capture lo: $n accepted, 0 rejected" "$tmp/live.err" || { cat "$tmp/live.err"; fail "replay --iface: want $n events"; }
grep -q '"action":"monitor".*"msisdn":"8613800138000"' "$tmp/live.jsonl" || fail "replay --iface: no monitor action"
echo "ok: replay --iface lo: $(cat "$tmp/send.txt"), $n call events, action as from the file"

cat >"$tmp/run3.conf" <<EOF
[run]
db = $tmp/db3
actions = $tmp/a3.jsonl
interface = lo
filter = $f
poll_ms = 50
stats_interval = 0
EOF
"$S" run --config "$tmp/run3.conf" 2>"$tmp/log" &
daemon=$!
pids+=("$daemon")
wait_for "$tmp/log" "capture lo: started" || fail "run: capture on lo did not start"
"$B/tools/pcap_send" --src-port $sport --interval-ms 20 "$tmp/sip.pcap" >/dev/null
stats_until "$daemon" "capture lo: $n frames, $n messages, $n events, 0 rejected" || fail "run: capture counters"
kill -TERM "$daemon"; wait "$daemon" || fail "run (capture) exit status"
grep -q '"action":"monitor".*"msisdn":"8613800138000"' "$tmp/a3.jsonl" || fail "run: no monitor action from the capture"
echo "ok: run with interface lo: $n frames sent, $n seen, $n events, action written"
