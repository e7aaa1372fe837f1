#!/usr/bin/env bash
# Docs that must not drift from the code:
#  - every reason code in src/detect/reasons.def is explained in docs/reason-codes.md;
#  - every detector registered in src/detect/detectors.def is named there too.
set -u
cd "$(dirname "$0")/.."
fail=0
while IFS= read -r code; do
	grep -qF "\`$code\`" docs/reason-codes.md || { echo "docs: reason code $code is not in docs/reason-codes.md"; fail=1; }
done < <(sed -n 's/^REASON([0-9]*, "\([^"]*\)".*/\1/p' src/detect/reasons.def)
while IFS= read -r det; do
	grep -qiF "$det" docs/reason-codes.md || { echo "docs: detector $det is not in docs/reason-codes.md"; fail=1; }
done < <(sed -n 's/^DETECTOR(\([a-z_]*\)).*/\1/p' src/detect/detectors.def)
[ $fail -eq 0 ] && echo "  DOCS    ok"
exit $fail
