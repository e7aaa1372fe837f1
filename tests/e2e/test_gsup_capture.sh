#!/usr/bin/env bash
# End-to-end: real GSUP from a real osmo-hlr, decoded by us and by tshark.
#
# Starts osmo-hlr on 127.0.0.1 with a throw-away config and database,
# provisions subscribers through its VTY (telnet 4258), captures loopback
# TCP 4222 with dumpcap while tools/gsup_client runs UpdateLocation (with the
# InsertSubscriberData the HLR sends), SendAuthInfo (2G and 3G keys), an
# UpdateLocation for an unknown IMSI (error) and a PurgeMS; then checks
# `simsieve decode` against tshark field by field (tests/golden/compare.py
# live --fieldset gsup) and against what the client itself sent and received.
# Skips (exit 0, "skipped: ...") without osmo-hlr, tshark/dumpcap or a free
# port 4222.  GSUP_SAVE=FILE keeps the capture (tests/golden/gsup/ holds one).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${BUILD:-build}
skip() { echo "skipped: $*"; exit 0; }
fail() { echo "FAIL: $*"; exit 1; }

command -v osmo-hlr >/dev/null || skip "osmo-hlr not installed (tools/setup.sh)"
command -v tshark >/dev/null || skip "tshark not installed"
command -v dumpcap >/dev/null || skip "dumpcap not installed"
[ -x "$B/tools/gsup_client" ] || fail "$B/tools/gsup_client not built"
if (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then skip "port 4222 already in use"; fi

tmp=$(mktemp -d)
hlr_pid='' cap_pid=''
cleanup() {
	[ -n "$cap_pid" ] && kill "$cap_pid" 2>/dev/null || true
	[ -n "$hlr_pid" ] && kill "$hlr_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
# shellcheck source=tests/e2e/osmo_hlr.sh (run from the repository root: see the cd above)
. tests/e2e/osmo_hlr.sh

hlr_start "$tmp" 4258 || skip "osmo-hlr did not start"
(exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null || skip "osmo-hlr not listening on 4222"

# subscribers: 2G keys + MSISDN, 3G keys + MSISDN, one without keys
python3 - "$tmp/vty.log" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", 4258), timeout=3)
log = open(sys.argv[1], "w")
def rd():
    buf, end = b"", time.time() + 3
    while time.time() < end:
        try:
            c = s.recv(4096)
        except socket.timeout:
            break
        if not c:
            break
        buf += c
        if buf.rstrip().endswith((b">", b"#")):
            break
    log.write(buf.decode("latin-1"))
    return buf.decode("latin-1")
rd()
cmds = ["enable"]
for imsi, msisdn in (("901700000012341", "491720000001"), ("901700000012342", "491720000002"),
                     ("901700000012343", "491720000003")):
    cmds += ["subscriber imsi %s create" % imsi, "subscriber imsi %s update msisdn %s" % (imsi, msisdn)]
cmds += ["subscriber imsi 901700000012341 update aud2g comp128v1 ki 000102030405060708090a0b0c0d0e0f",
         "subscriber imsi 901700000012342 update aud3g milenage k 000102030405060708090a0b0c0d0e0f "
         "opc 101112131415161718191a1b1c1d1e1f"]
for c in cmds:
    s.sendall(c.encode() + b"\r\n")
    out = rd()
    if "%" in out and "Updated" not in out and "Created" not in out:
        sys.exit("VTY refused %r: %s" % (c, out))
PY

dumpcap -q -i lo -f 'tcp port 4222' -w "$tmp/gsup.pcapng" >"$tmp/dumpcap.log" 2>&1 &
cap_pid=$!
for _ in $(seq 50); do [ -s "$tmp/gsup.pcapng" ] && break; sleep 0.1; done
[ -s "$tmp/gsup.pcapng" ] || { cat "$tmp/dumpcap.log"; skip "dumpcap cannot capture on lo"; }
sleep 0.5
"$B/tools/gsup_client" ul:901700000012341 sai:901700000012341 ul-ps:901700000012342 sai:901700000012342 \
	ul:901700000012343 ul:901700000099999 purge:901700000012341 >"$tmp/client.jsonl" ||
	{ cat "$tmp/client.jsonl" "$tmp/hlr.log"; fail "gsup_client"; }
sleep 0.5
kill "$cap_pid"; wait "$cap_pid" 2>/dev/null || true; cap_pid=''
[ -n "${GSUP_SAVE:-}" ] && cp "$tmp/gsup.pcapng" "$GSUP_SAVE"

# 1. our decode vs tshark, field by field
python3 tests/golden/compare.py live "$tmp/gsup.pcapng" --fieldset gsup --name osmo-hlr-gsup \
	--decoder "$B/simsieve" || fail "simsieve decode disagrees with tshark on the GSUP capture"

# 2. our decode vs what the client sent and received (type, IMSI, MSISDN, in order)
"$B/simsieve" decode "$tmp/gsup.pcapng" >"$tmp/ours.jsonl" 2>/dev/null
python3 - "$tmp/client.jsonl" "$tmp/ours.jsonl" <<'PY' || fail "decoded GSUP differs from the client's log"
import json, re, sys
name = lambda s: re.sub(r"[^a-z]", "", s.lower())
client = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ours = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
ours = [m for m in ours if m.get("protocol") == "gsup"]
if len(client) != len(ours):
    sys.exit("client logged %d GSUP messages, we decoded %d" % (len(client), len(ours)))
bad = 0
for c, o in zip(client, ours):
    want = name(c["name"]).replace("request", "request")
    got = name(o.get("operation", ""))
    if want != got or c["imsi"] != o.get("imsi", "") or c.get("msisdn", "") != o.get("msisdn", ""):
        print("mismatch: client %s, decoded frame %s %s imsi %s msisdn %s" % (
            c, o["frame"], o.get("operation"), o.get("imsi"), o.get("msisdn")))
        bad += 1
print("gsup: %d messages, %d match the client's log" % (len(client), len(client) - bad))
sys.exit(1 if bad else 0)
PY
echo "ok: GSUP capture from osmo-hlr decoded like tshark and like the client's log"
