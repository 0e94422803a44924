#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# memory-gate.sh BASELINE.json -- PROGRAM [ARGS...]
#
# A CI step that fails when PROGRAM's memory use grew against a saved
# baseline: it traces PROGRAM (its own exit status must be 0), compares with
# BASELINE and fails (exit 3) when allocations or bytes grew by more than
# the limits below, printing what grew.  With UPDATE_BASELINE=1 it writes
# the new profile over BASELINE instead, for when a change is accepted.
set -eu

MAX_ALLOCS=${MAX_ALLOCS:-+5%}
MAX_BYTES=${MAX_BYTES:-+10%}
MAX_PEAK=${MAX_PEAK:-+10%}

[ $# -ge 3 ] && [ "$2" = -- ] || {
	echo "usage: memory-gate.sh BASELINE.json -- PROGRAM [ARGS...]" >&2
	exit 2
}
baseline=$1
shift 2
new=$(mktemp --suffix=.json)
trap 'rm -f "$new"' EXIT

memtracer run -q -o "$new" -- "$@"
if [ "${UPDATE_BASELINE:-}" = 1 ] || [ ! -f "$baseline" ]; then
	cp "$new" "$baseline"
	echo "memory-gate: baseline written to $baseline"
	exit 0
fi
memtracer diff --top 10 \
	--fail-if "allocs > $MAX_ALLOCS" \
	--fail-if "alloc_bytes > $MAX_BYTES" \
	--fail-if "peak_live_bytes > $MAX_PEAK" \
	"$baseline" "$new"
