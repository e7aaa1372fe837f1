#!/usr/bin/env bash
# Keep the pipeline layering honest: a stage includes only earlier stages.
# Order: core < ingest, decode < event ... (event is included by ingest/decode
# because they produce events) < text < sig < detect < rep < act < engine < verbs < main.
set -u
cd "$(dirname "$0")/.."
fail=0
allowed() { # stage -> allowed include prefixes
	case "$1" in
	core) echo "core" ;;
	event) echo "core event" ;;
	decode) echo "core event decode" ;;
	ingest) echo "core event decode ingest" ;;
	text) echo "core text" ;;
	sig) echo "core text sig" ;;
	detect) echo "core event text sig detect" ;;
	rep) echo "core event detect rep" ;;
	act) echo "core event detect rep act" ;;
	engine) echo "core event ingest decode text sig detect rep act engine" ;;
	verbs) echo "core event ingest decode text sig detect rep act engine verbs" ;;
	*) echo "" ;;
	esac
}
for f in src/*/*.c src/*/*.h; do
	[ -e "$f" ] || continue
	stage=$(basename "$(dirname "$f")")
	ok=$(allowed "$stage")
	while IFS= read -r inc; do
		dep=${inc%%/*}
		case " $ok " in
		*" $dep "*) ;;
		*) echo "layering: $f includes \"$inc\" ($stage may include: $ok)"; fail=1 ;;
		esac
	done < <(sed -n 's/^#include "\([a-z_]*\/[^"]*\)".*/\1/p' "$f")
done
[ $fail -eq 0 ] && echo "  LAYER   ok"
exit $fail
