#!/usr/bin/env bash
# pgo.sh - `make pgo`: a profile-guided build of simsieve in build-pgo/.
#
# The sources are compiled twice.  The first build counts branches and calls
# (PGO=gen); it replays a training workload; the second build (PGO=use)
# compiles again with those counts, so GCC lays the hot paths out together
# and inlines and unrolls where the work is.  The training workload is
# generated here with tools/, from seeds the benchmarks do not use (the
# bench scenario is seed 3, the decode trace seed 5), so `make bench`
# measures the build on data it was not trained on:
#   - a 4,000-subscriber, 5-day scenario with every fraud family, replayed
#     on one thread and with the reader thread;
#   - a 100,000-message MAP trace, decoded to JSON Lines and replayed.
# The result: build-pgo/simsieve and build-pgo/tools/*; install it with
# `make install BUILD=build-pgo PGO=use`.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${PGO_BUILD:-build-pgo}
MAKE=${MAKE:-make}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Counts of an earlier training would be added to this one's.
if [ -d "$B" ]; then find "$B" -name '*.gcda' -delete; fi
echo "  PGO     instrumented build in $B"
"$MAKE" --no-print-directory BUILD="$B" PGO=gen "$B/simsieve" "$B/tools/scenario_gen" "$B/tools/gen_map_trace"

echo "  PGO     training run"
"$B/tools/scenario_gen" --out "$work/sc" --subscribers 4000 --days 5 --seed 17 >/dev/null
"$B/simsieve" replay --reader-thread off --cdr "$work/sc/cdr.csv" --activations "$work/sc/activations.csv" \
	--actions /dev/null 2>/dev/null
"$B/simsieve" replay --reader-thread on --cdr "$work/sc/cdr.csv" --activations "$work/sc/activations.csv" \
	--actions /dev/null 2>/dev/null
"$B/tools/gen_map_trace" --out "$work/map" --messages 100000 --seed 9 >/dev/null
"$B/simsieve" decode "$work/map.pcap" >/dev/null
"$B/simsieve" replay --pcap "$work/map.pcap" --actions /dev/null 2>/dev/null
n=$(find "$B" -name '*.gcda' | wc -l)
[ "$n" -gt 0 ] || { echo "pgo: the training run wrote no profile (gcda) files" >&2; exit 1; }

echo "  PGO     optimised build in $B ($n profiles)"
"$MAKE" --no-print-directory BUILD="$B" PGO=use all
