#!/usr/bin/env bash
# setup.sh - install the Debian packages simsieve needs to build and test.
#
# Idempotent: installs only what is missing, and does nothing (not even
# `apt-get update`) when everything is there.  Runs apt-get through sudo
# when not root.
set -euo pipefail

PACKAGES=(
	build-essential pkg-config make
	liblmdb-dev lmdb-utils   # reputation store
	libsodium-dev            # keyed hash of ID documents (BLAKE2b); HMAC-SHA256 of webhook bodies
	libcurl4-openssl-dev     # webhook receiver: HTTP(S) with keep-alive and TLS (docs/provisioning.md)
	check                    # unit tests
	libpcap-dev libosmocore-dev  # signalling ingest and decoders
	libvectorscan-dev        # scam-SMS signatures: one multi-pattern automaton (docs/signatures.md)
	clang libclang-rt-14-dev # libFuzzer + sanitizers (make fuzz)
	python3                  # small test helpers
	valgrind                 # leak and memory-error check of a replay
	tshark osmo-hlr          # golden tests against tshark; real GSUP from osmo-hlr (tests/e2e)
)

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all ${#PACKAGES[@]} packages present"
	exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	SUDO=(sudo)
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
