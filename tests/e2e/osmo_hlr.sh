# osmo_hlr.sh - sourced by the end-to-end tests that run a real osmo-hlr on
# 127.0.0.1 (test_gsup_capture.sh, test_hlr_sink.sh).
#
# hlr_start DIR PORT: write a throw-away config into DIR (VTY 4258, CTRL 4259
# and GSUP 4222, all bound to 127.0.0.1, log to DIR/hlr.log), start osmo-hlr
# with a fresh database DIR/hlr.db, set hlr_pid, and wait up to 5 s until
# PORT accepts connections.  Returns 1 (hlr.log printed) if osmo-hlr exited
# or PORT never opened; the caller decides whether that skips or fails.
hlr_start() {
	local dir=$1 port=$2
	cat >"$dir/hlr.cfg" <<'CFG'
log stderr
 logging filter all 1
 logging color 0
 logging level main notice
 logging level db notice
line vty
 bind 127.0.0.1
ctrl
 bind 127.0.0.1
hlr
 gsup
  bind ip 127.0.0.1
CFG
	osmo-hlr -c "$dir/hlr.cfg" -l "$dir/hlr.db" -s >"$dir/hlr.log" 2>&1 &
	hlr_pid=$!
	for _ in $(seq 50); do
		(exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && return 0
		kill -0 "$hlr_pid" 2>/dev/null || { cat "$dir/hlr.log"; return 1; }
		sleep 0.1
	done
	return 1
}
