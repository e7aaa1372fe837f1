#!/usr/bin/env bash
# End-to-end: the osmo-hlr receiver (src/act/recv_hlr.c) against a real
# osmo-hlr on 127.0.0.1 with a throw-away config and database.
#
# 1. Provisions N subscribers over the HLR's VTY (telnet 4258), IMSI and
#    MSISDN each.
# 2. Delivers two waves of actions through tools/bench_deliver send (block,
#    limit, reverify, release, monitor; some by MSISDN only, some in shadow
#    mode; unknown IMSIs and MSISDNs, an action without a subject) over CTRL
#    (4259) and checks every per-action result (delivered / rejected).
# 3. Reads every subscriber back over the VTY (`show subscriber imsi`: "CS
#    disabled" / "PS disabled") and compares with the state the actions
#    imply.
# 4. GSUP (4222), as a VLR would see it: a blocked subscriber's CS
#    UpdateLocation is refused (cause 11), a limited one's PS UpdateLocation
#    is refused (cause 7) while CS is accepted; with a VLR attached, a CTRL
#    block sends it nothing, while the VTY `network-access-mode none` sends
#    it a DeleteSubscriberData request (the gap docs/provisioning.md
#    describes).
# 5. With the HLR stopped, an action is "retry".
#
# Skips ("SKIPPED: ...") when osmo-hlr is not installed, or when its fixed
# ports (4222, 4258, 4259) are taken by another process.
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
N=${HLR_SINK_N:-300}
skip() { echo "SKIPPED: $*"; exit 0; }
fail() { echo "FAIL: $*"; exit 1; }

command -v osmo-hlr >/dev/null || skip "osmo-hlr not installed (tools/setup.sh)"
[ -x "$B/tools/bench_deliver" ] || fail "$B/tools/bench_deliver not built"
for p in 4222 4258 4259; do
	if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then skip "port $p already in use (another osmo-hlr?)"; fi
done

tmp=$(mktemp -d)
hlr_pid='' vlr_pid=''
cleanup() {
	[ -n "$vlr_pid" ] && kill "$vlr_pid" 2>/dev/null || true
	[ -n "$hlr_pid" ] && kill "$hlr_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
# shellcheck source=tests/e2e/osmo_hlr.sh (run from the repository root: see the cd above)
. tests/e2e/osmo_hlr.sh

hlr_start "$tmp" 4259 || fail "osmo-hlr did not start"
(exec 3<>/dev/tcp/127.0.0.1/4258) 2>/dev/null || fail "osmo-hlr VTY not listening on 4258"
# Another osmo-hlr that took the fixed ports since the check above makes ours
# exit ("Address already in use"): never test against someone else's HLR.
sleep 0.3
kill -0 "$hlr_pid" 2>/dev/null || { hlr_pid=''; skip "osmo-hlr could not bind its ports (another one started meanwhile)"; }

# A tiny VTY client: commands from argv or stdin, output of each to stdout.
cat >"$tmp/vty.py" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", 4258), timeout=5)
def rd():
    buf, end = b"", time.time() + 5
    while time.time() < end:
        c = s.recv(65536)
        if not c:
            break
        buf += c
        if buf.rstrip().endswith((b">", b"#")):
            break
    return buf.decode("latin-1")
rd()
for c in ["enable"] + [l.rstrip("\n") for l in sys.stdin if l.strip()]:
    s.sendall(c.encode() + b"\r\n")
    out = rd()
    print("@@ " + c)
    print(out)
PY

# --- 1. subscribers -----------------------------------------------------------
python3 - "$N" >"$tmp/provision.txt" <<'PY'
import sys
n = int(sys.argv[1])
for i in range(n):
    imsi, msisdn = "9017000003%05d" % i, "4917230%05d" % i
    print("subscriber imsi %s create" % imsi)
    print("subscriber imsi %s update msisdn %s" % (imsi, msisdn))
PY
python3 "$tmp/vty.py" <"$tmp/provision.txt" >"$tmp/provision.log"
created=$(grep -c '^% Created subscriber' "$tmp/provision.log" || true)
[ "$created" -eq "$N" ] || { tail -20 "$tmp/provision.log"; fail "VTY created $created of $N subscribers"; }

# --- 2. actions -----------------------------------------------------------------
python3 - "$N" "$tmp" <<'PY'
import json, sys
n, tmp = int(sys.argv[1]), sys.argv[2]
state = {i: [1, 1] for i in range(n)}          # cs, ps as provisioned
target = {"block": (0, 0), "limit": (1, 0), "reverify": (1, 0), "release": (1, 1)}
actions, expect = [], []
seq = [0]
def act(kind, imsi="", msisdn="", mode="enforce", result="delivered", idx=None):
    seq[0] += 1
    aid = "%016x" % (0x6800000000000000 + seq[0])
    actions.append(json.dumps({"id": aid, "action": kind, "mode": mode,
        "event_time": "2026-11-02T08:15:03Z", "emitted_at": "2026-11-22T06:01:44Z",
        "subject": {"msisdn": msisdn, "imsi": imsi}, "score": 90,
        "reasons": [{"code": "simbox.outbound_only", "detail": "e2e \"imsi\":\"0\""}]},
        separators=(",", ":")))
    expect.append((aid, result))
    if idx is not None and result == "delivered" and mode == "enforce" and kind in target:
        state[idx] = list(target[kind])
kinds = ["block", "limit", "reverify", "release", "monitor"]
for i in range(n):                                # wave 1
    imsi, msisdn = "9017000003%05d" % i, "4917230%05d" % i
    mode = "shadow" if i % 11 == 0 else "enforce"
    if i % 7 == 0:
        act(kinds[i % 5], "", msisdn, mode, idx=i)
    else:
        act(kinds[i % 5], imsi, msisdn, mode, idx=i)
    if i % 50 == 0:                               # unknown subscribers, mixed into the batches
        act("block", "90170000099%04d" % i, result="rejected")
        act("limit", "", "49179999%04d" % i, result="rejected")
act("block", result="rejected")                   # no subject at all
for i in range(n):                                # wave 2
    imsi = "9017000003%05d" % i
    if i % 3 == 0:
        act("release", imsi, idx=i)
    elif i % 13 == 0:
        act("block", imsi, idx=i)
open(tmp + "/actions.jsonl", "w").write("\n".join(actions) + "\n")
open(tmp + "/expect.txt", "w").write("".join("%s %s\n" % e for e in expect))
open(tmp + "/state.txt", "w").write("".join("9017000003%05d %d %d\n" % (i, s[0], s[1]) for i, s in sorted(state.items())))
PY
cat >"$tmp/sinks.conf" <<'CONF'
[sink.hlr]
type = hlr
host = 127.0.0.1
port = 4259
timeout = 5s
batch = 32
CONF
"$B/tools/bench_deliver" send "$tmp/sinks.conf" hlr "$tmp/actions.jsonl" >"$tmp/results.txt" ||
	fail "bench_deliver send failed"
n_actions=$(wc -l <"$tmp/actions.jsonl")
python3 - "$tmp/expect.txt" "$tmp/results.txt" <<'PY' || fail "per-action results differ from the expected ones"
import sys
exp = [l.split() for l in open(sys.argv[1])]
got = [l.split(None, 2) for l in open(sys.argv[2])]
if len(exp) != len(got):
    sys.exit("expected %d results, got %d" % (len(exp), len(got)))
bad = [(e, g) for e, g in zip(exp, got) if e[0] != g[0] or e[1] != g[1]]
for e, g in bad[:10]:
    print("action %s: expected %s, got %s" % (e[0], e[1], " ".join(g[1:])))
print("hlr sink: %d actions, %d rejected as expected, %d mismatches" % (len(exp), sum(1 for e in exp if e[1] == "rejected"), len(bad)))
sys.exit(1 if bad else 0)
PY

# --- 3. read every subscriber back over the VTY -------------------------------
awk '{print "show subscriber imsi " $1}' "$tmp/state.txt" | python3 "$tmp/vty.py" >"$tmp/show.log"
python3 - "$tmp/state.txt" "$tmp/show.log" <<'PY' || fail "HLR state differs from the actions"
import sys
want = {l.split()[0]: (int(l.split()[1]), int(l.split()[2])) for l in open(sys.argv[1])}
got, cur = {}, None
for line in open(sys.argv[2]):
    if line.startswith("@@ show subscriber imsi "):
        cur = line.split()[-1]
        got[cur] = [1, 1]
    elif cur and "CS disabled" in line:
        got[cur][0] = 0
    elif cur and "PS disabled" in line:
        got[cur][1] = 0
bad = [(k, want[k], got.get(k)) for k in want if tuple(got.get(k, (None, None))) != want[k]]
for k, w, g in bad[:10]:
    print("IMSI %s: want cs/ps %s, HLR has %s" % (k, w, g))
counts = {}
for v in want.values():
    counts[v] = counts.get(v, 0) + 1
print("hlr read-back: %d subscribers, %d blocked, %d PS-only-off, %d enabled, %d differ" % (
    len(want), counts.get((0, 0), 0), counts.get((1, 0), 0), counts.get((1, 1), 0), len(bad)))
sys.exit(1 if bad else 0)
PY

# --- 4. what a VLR sees --------------------------------------------------------
# Subscribers 1 (wave 1: limit by IMSI, wave 2: no change) and 13 (wave 2: block).
lim=901700000300001 blk=901700000300013
grep -q "^$lim 1 0$" "$tmp/state.txt" && grep -q "^$blk 0 0$" "$tmp/state.txt" ||
	fail "test set-up: expected $lim limited and $blk blocked"
"$B/tools/gsup_client" ul:$blk ul-ps:$lim ul:$lim >"$tmp/gsup.jsonl" 2>&1 || true
python3 - "$tmp/gsup.jsonl" "$blk" "$lim" <<'PY' || fail "the HLR does not enforce what the receiver wrote"
import json, sys
msgs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
rx = [m for m in msgs if m["dir"] == "rx" and m["name"].startswith("UpdateLocation")]
ok = (len(rx) == 3 and rx[0]["name"] == "UpdateLocation-Error" and rx[0].get("cause") == 11
      and rx[1]["name"] == "UpdateLocation-Error" and rx[1].get("cause") == 7
      and rx[2]["name"] == "UpdateLocation-Result")
print("gsup: blocked CS attach, limited PS attach, limited CS attach answered: " + ", ".join(
    "%s%s" % (m["name"].split("-")[1], "(cause %d)" % m["cause"] if "cause" in m else "") for m in rx))
if not ok:
    print(open(sys.argv[1]).read())
sys.exit(0 if ok else 1)
PY

# A VLR stays connected (CCM identity, CS UpdateLocation of two enabled
# subscribers, answers InsertSubscriberData) and logs what the HLR sends it.
va=901700000300003 vb=901700000300006 # released in wave 2: cs 1 ps 1
cat >"$tmp/vlr.py" <<'PY'
import json, socket, struct, sys, time
imsis, log, ready, secs = sys.argv[1:3], open(sys.argv[3], "w"), sys.argv[4], float(sys.argv[5])
s = socket.create_connection(("127.0.0.1", 4222), timeout=0.2)
def send(proto, payload):
    s.sendall(struct.pack(">HB", len(payload), proto) + payload)
def tbcd(d):
    d += "F" if len(d) % 2 else ""
    return bytes(int(d[i + 1], 16) << 4 | int(d[i]) for i in range(0, len(d), 2))
def gsup(t, imsi, extra=b""):
    b = tbcd(imsi)
    send(0xEE, bytes([0x05, t, 0x01, len(b)]) + b + extra)
def imsi_of(m):
    i = 1
    while i + 2 <= len(m):
        tag, l = m[i], m[i + 1]
        if tag == 0x01:
            return "".join("%x%x" % (c & 15, c >> 4) for c in m[i + 2:i + 2 + l]).split("f")[0]
        i += 2 + l
    return ""
buf, attached, end = b"", set(), time.time() + secs
def attach():                               # after the identity exchange
    for imsi in imsis:
        gsup(0x04, imsi, bytes([0x28, 1, 2]))   # UpdateLocation, CN domain CS
while time.time() < end:
    try:
        c = s.recv(65536)
        if not c:
            break
        buf += c
    except socket.timeout:
        pass
    while len(buf) >= 3:
        n, proto = struct.unpack(">HB", buf[:3])
        if len(buf) < 3 + n:
            break
        p, buf = buf[3:3 + n], buf[3 + n:]
        if proto == 0xFE:
            if p[0] == 0x04:    # identity get -> SERNR, UNITNAME, UNIT
                r = b"\x05"
                for tag, v in ((0, b"E2E-VLR\0"), (1, b"E2E-VLR\0"), (8, b"0/0/0\0")):
                    r += struct.pack(">HB", len(v) + 1, tag) + v
                send(0xFE, r)
                attach()        # osmo-hlr sends no identity ack: we are known by name now
            elif p[0] == 0x06:  # identity ack (other IPA servers): ack it
                send(0xFE, b"\x06")
            elif p[0] == 0x00:  # ping -> pong
                send(0xFE, b"\x01")
            continue
        if proto != 0xEE or p[0] != 0x05:
            continue
        m = p[1:]
        log.write(json.dumps({"msg_type": m[0], "imsi": imsi_of(m)}) + "\n"); log.flush()
        if m[0] == 0x10:        # InsertSubscriberData -> result
            gsup(0x12, imsi_of(m))
        elif m[0] == 0x14:      # DeleteSubscriberData -> result
            gsup(0x16, imsi_of(m))
        elif m[0] == 0x06:
            attached.add(imsi_of(m))
            if len(attached) == len(imsis):
                open(ready, "w").write("attached\n")
PY
python3 "$tmp/vlr.py" $va $vb "$tmp/vlr.jsonl" "$tmp/vlr.ready" 6 &
vlr_pid=$!
for _ in $(seq 50); do [ -s "$tmp/vlr.ready" ] && break; sleep 0.1; done
[ -s "$tmp/vlr.ready" ] || { cat "$tmp/vlr.jsonl" "$tmp/hlr.log"; fail "the test VLR did not attach its subscribers"; }
mark=$(wc -l <"$tmp/vlr.jsonl")
printf '{"id":"00000000000000a1","action":"block","mode":"enforce","subject":{"imsi":"%s"}}\n' $va |
	"$B/tools/bench_deliver" send "$tmp/sinks.conf" hlr >"$tmp/ctrl_block.txt"
grep -q ' delivered$' "$tmp/ctrl_block.txt" || fail "CTRL block of an attached subscriber: $(cat "$tmp/ctrl_block.txt")"
sleep 1
after_ctrl=$(tail -n +$((mark + 1)) "$tmp/vlr.jsonl" | wc -l)
echo "subscriber imsi $vb update network-access-mode none" | python3 "$tmp/vty.py" >"$tmp/nam.log"
for _ in $(seq 30); do grep -q '"msg_type": 20' "$tmp/vlr.jsonl" && break; sleep 0.1; done
kill "$vlr_pid" 2>/dev/null || true
wait "$vlr_pid" 2>/dev/null || true
vlr_pid=''
dsd_b=$(grep -c "\"msg_type\": 20, \"imsi\": \"$vb\"" "$tmp/vlr.jsonl" || true)
echo "vlr: after a CTRL block the HLR sent the attached VLR $after_ctrl messages;" \
	"after VTY network-access-mode none: $dsd_b DeleteSubscriberData request(s)"
[ "$after_ctrl" -eq 0 ] || fail "expected no GSUP message to the VLR after a CTRL write (the documented gap closed?)"
[ "$dsd_b" -ge 1 ] || fail "expected a DeleteSubscriberData after VTY network-access-mode none"

# --- 4b. a generated scenario: the daemon, the outbox and the HLR receiver ------
# The bundled sample's SIMs are provisioned in the HLR; `simsieve run` follows
# its CDR and activation feeds and delivers through the outbox to the HLR
# receiver (and a JSON Lines receiver that records the actions); then every
# provisioned subscriber is read back and compared with its last enforced
# action.  Device (IMEI-only) and outside-number actions have no HLR
# subscriber: they are rejected and parked, never retried for ever.
zcat tools/sample/cdr.csv.gz >"$tmp/sc_cdr.csv"
awk -F, 'NR > 1 && $1 == "sim" && $2 != "" && $3 != "" { print $2, $3 }' tools/sample/truth.csv | sort -u >"$tmp/sc_sims.txt"
awk '{ print "subscriber imsi " $1 " create"; print "subscriber imsi " $1 " update msisdn " $2 }' "$tmp/sc_sims.txt" |
	python3 "$tmp/vty.py" >"$tmp/sc_provision.log"
sc_n=$(wc -l <"$tmp/sc_sims.txt")
sc_created=$(grep -c '^% Created subscriber' "$tmp/sc_provision.log" || true)
[ "$sc_created" -eq "$sc_n" ] || fail "VTY created $sc_created of the sample's $sc_n SIMs"
cat >"$tmp/run.conf" <<CONF
[run]
db = $tmp/sc_db
actions = $tmp/sc_actions.jsonl
cdr_feed = $tmp/sc_cdr.csv
activation_feed = tools/sample/activations.csv
poll_ms = 50
stats_interval = 0
[sink.hlr]
type = hlr
host = 127.0.0.1
port = 4259
timeout = 5s
batch = 64
CONF
rows=$(($(wc -l <"$tmp/sc_cdr.csv") - 1))
"$B/simsieve" run --config "$tmp/run.conf" 2>"$tmp/run.log" &
run_pid=$!
sleep 0.5
for _ in $(seq 1 300); do
	kill -USR1 "$run_pid" 2>/dev/null || break
	sleep 0.2
	grep -qE "feed $tmp/sc_cdr.csv: $rows accepted" "$tmp/run.log" && break
done
grep -qE "feed $tmp/sc_cdr.csv: $rows accepted" "$tmp/run.log" || { tail -5 "$tmp/run.log"; fail "daemon did not read the sample ($rows rows)"; }
for _ in $(seq 1 300); do
	"$B/simsieve" rep --db "$tmp/sc_db" outbox >"$tmp/sc_outbox.txt" 2>/dev/null || true
	grep -q "receiver hlr .* waiting 0" "$tmp/sc_outbox.txt" && break
	sleep 0.2
done
kill -TERM "$run_pid"; st=0; wait "$run_pid" || st=$?
[ $st -eq 0 ] || { tail -5 "$tmp/run.log"; fail "daemon exited $st"; }
"$B/simsieve" rep --db "$tmp/sc_db" outbox >"$tmp/sc_outbox.txt"
grep -q "receiver hlr .* waiting 0" "$tmp/sc_outbox.txt" || { cat "$tmp/sc_outbox.txt"; fail "HLR receiver did not drain the outbox"; }
awk '{ print "show subscriber imsi " $1 }' "$tmp/sc_sims.txt" | python3 "$tmp/vty.py" >"$tmp/sc_show.log"
python3 - "$tmp/sc_sims.txt" "$tmp/sc_actions.jsonl" "$tmp/sc_show.log" <<'PY' || fail "HLR state differs from the daemon's actions"
import json, sys
sims = dict(l.split() for l in open(sys.argv[1]))
by_msisdn = {m: i for i, m in sims.items()}
target = {"block": (0, 0), "limit": (1, 0), "reverify": (1, 0), "release": (1, 1)}
want = {i: (1, 1) for i in sims}
acted = 0
for line in open(sys.argv[2]):
    a = json.loads(line)
    if a.get("mode") != "enforce" or a["action"] not in target:
        continue
    subj = a.get("subject", {})
    imsi = subj.get("imsi") or by_msisdn.get(subj.get("msisdn", ""))
    if imsi in want:
        want[imsi] = target[a["action"]]
        acted += 1
got, cur = {}, None
for line in open(sys.argv[3]):
    if line.startswith("@@ show subscriber imsi "):
        cur = line.split()[-1]
        got[cur] = [1, 1]
    elif cur and "CS disabled" in line:
        got[cur][0] = 0
    elif cur and "PS disabled" in line:
        got[cur][1] = 0
bad = [(k, want[k], got.get(k)) for k in want if tuple(got.get(k, (None, None))) != want[k]]
for k, w, g in bad[:10]:
    print("IMSI %s: want cs/ps %s, HLR has %s" % (k, w, g))
blocked = sum(1 for v in want.values() if v == (0, 0))
print("scenario through the daemon: %d SIMs provisioned, %d enforced actions on them, %d blocked, %d PS-off, %d differ" % (
    len(want), acted, blocked, sum(1 for v in want.values() if v == (1, 0)), len(bad)))
sys.exit(1 if bad or blocked == 0 else 0)
PY
grep -o "receiver hlr .*" "$tmp/sc_outbox.txt" | head -1

# --- 5. HLR down: retry ---------------------------------------------------------
kill "$hlr_pid"
wait "$hlr_pid" 2>/dev/null || true
hlr_pid=''
printf '{"id":"00000000000000a2","action":"block","mode":"enforce","subject":{"imsi":"%s"}}\n' $va |
	"$B/tools/bench_deliver" send "$tmp/sinks.conf" hlr >"$tmp/down.txt"
grep -q ' retry ' "$tmp/down.txt" || fail "HLR down should give retry: $(cat "$tmp/down.txt")"
echo "ok: hlr receiver: $n_actions actions over CTRL, $N subscribers read back over the VTY match; HLR down -> retry"
