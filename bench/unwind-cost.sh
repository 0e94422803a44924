#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/unwind-cost.sh [ROUNDS]: what a full stack costs per allocation
# with each unwinder, next to the cost of the ptrace stop itself.
#
# Workload: examples/demo ROUNDS (default 3000: ~43,000 allocations over
# 5-frame stacks, built -O2 -fomit-frame-pointer).  The stop cost comes from
# bench/floor (int3 on malloc and free, count and resume, nothing else);
# the unwind cost is memtracer's own clock around the unwinder call, so it
# is not drowned in the noise of the stops.  Run from a built tree.
set -eu
cd "$(dirname "$0")/.."
rounds=${1:-3000}
out=bench/out
mkdir -p "$out"
[ -x src/memtracer ] && [ -x examples/demo ] || { echo "build first: make" >&2; exit 2; }

cc -O2 -Isrc -I. -Isrc/arch/x86_64 bench/floor.c src/libmt.a -o "$out/floor" \
	$(pkg-config --libs libdw libelf libunwind-ptrace libunwind-generic capstone jansson libprotobuf-c zlib) -liberty

floor_line=$("$out/floor" examples/demo "$rounds" 2>&1 >/dev/null | tail -n 1)
hits=$(echo "$floor_line" | sed -n 's/floor: \([0-9]*\) hits, \([0-9.]*\) s/\1/p')
secs=$(echo "$floor_line" | sed -n 's/floor: \([0-9]*\) hits, \([0-9.]*\) s/\2/p')
stop_us=$(echo "$secs $hits" | awk '{ printf "%.1f", $1 * 1e6 / $2 }')

printf '%-10s %10s %8s %12s %14s\n' unwinder stacks frames "us/stack" "stop (floor)"
for uw in retaddr libdw libunwind; do
	case $uw in
	retaddr) opt="--depth 1" ;;
	*) opt="--unwinder $uw" ;;
	esac
	line=$(MEMTRACER_DEBUG=1 src/memtracer run -q -o "$out/unwind-$uw.json" $opt -- \
		examples/demo "$rounds" 2>&1 >/dev/null | grep 'unwinder ')
	set -- $(echo "$line" | sed -n 's/.*unwinder \([a-z]*\): \([0-9]*\) stacks, \([0-9.]*\) frames each, \([0-9.]*\) us each/\2 \3 \4/p')
	printf '%-10s %10s %8s %12s %11s us\n' "$uw" "$1" "$2" "$3" "$stop_us"
done
