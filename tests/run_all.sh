#!/usr/bin/env bash
# run_all.sh - run every test suite and print one tally line at the end.
#
#   run_all.sh fast   layering, unit tests, fuzz corpora, end-to-end tests
#   run_all.sh full   the same, then unit tests + corpora under ASan/UBSan
#                     ($ASAN_BUILD), the PGO and ThreadSanitizer builds
#                     (tests/build_variants.sh), then libFuzzer for
#                     $FUZZ_SECONDS per target
#
# Each Check suite contributes its number of checks; every other step counts
# as one test.  Exit status is non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."
mode=${1:-fast}
BUILD=${BUILD:-build}
passed=0
failed=0
failures=()

note_result() { # name status
	if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

run_unit_suites() { # build dir, label
	local dir=$1 label=$2 t out rc checks fails errors
	for t in "$dir"/tests/check_*; do
		[ -x "$t" ] || continue
		echo "  TEST    $label $(basename "$t")"
		out=$(CK_FORK=yes "$t" 2>&1); rc=$?
		echo "$out" | grep -E '^[0-9]+%: Checks' | sed 's/^/          /'
		checks=$(echo "$out" | sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' | awk '{c+=$1; f+=$2+$3} END {print c+0, f+0}')
		set -- $checks
		if [ "$rc" -ne 0 ] || [ "${2:-0}" -ne 0 ]; then
			echo "$out" | grep -vE '^[0-9]+%: Checks' | tail -30
			failed=$((failed + ${2:-1}))
			passed=$((passed + ${1:-0} - ${2:-0}))
			failures+=("$label $(basename "$t")")
		else
			passed=$((passed + ${1:-0}))
		fi
	done
}

run_fuzz_replays() { # build dir, label
	local dir=$1 label=$2 r n rc
	for r in "$dir"/tests/replay_fuzz_*; do
		[ -x "$r" ] || continue
		n=${r##*/replay_fuzz_}
		echo "  REPLAY  $label fuzz corpus $n: $("$r" "tests/fuzz/corpus/$n" 2>&1 | tail -1)"
		"$r" "tests/fuzz/corpus/$n" >/dev/null 2>&1; rc=$?
		note_result "$label fuzz corpus $n" $rc
	done
}

echo "  LAYER   include layering"
bash tests/check_layering.sh; note_result layering $?
echo "  DOCS    reason codes documented"
bash tests/check_docs.sh; note_result docs $?

run_unit_suites "$BUILD" ""
run_fuzz_replays "$BUILD" ""

for t in tests/e2e/test_*.sh; do
	[ -e "$t" ] || continue
	echo "  E2E     $t"
	BUILD=$BUILD bash "$t"; note_result "$t" $?
done

if [ "$mode" = full ]; then
	ASAN_BUILD=${ASAN_BUILD:-$BUILD-asan}
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	run_unit_suites "$ASAN_BUILD" "asan"
	run_fuzz_replays "$ASAN_BUILD" "asan"
	for v in pgo tsan; do
		echo "  BUILD   $v (tests/build_variants.sh)"
		BUILD=$BUILD bash tests/build_variants.sh $v; note_result "build variant $v" $?
	done
	if command -v clang >/dev/null 2>&1; then
		make --no-print-directory fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-20}"; note_result "libFuzzer run" $?
	else
		echo "  FUZZ    skipped: clang is not installed (tools/setup.sh installs it)"
	fi
fi

echo
if [ $failed -ne 0 ]; then
	echo "failed: ${failures[*]}"
fi
echo "check: $passed passed, $failed failed"
[ $failed -eq 0 ]
