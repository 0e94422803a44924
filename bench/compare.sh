#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/compare.sh [RUNS]: memtracer next to what users would pick instead,
# on the same workloads, in one go (also: make bench).
#
# Workloads (built -O2 -fomit-frame-pointer): churn (malloc/free-heavy, one
# thread, nested calls), threads (the same over 4 threads), cxxmap (C++
# std::map/std::string churn), compute (arithmetic, a few thousand
# allocations), sqlite3 (a real program: a 2,000-row SQL script).
# Tools: untraced; memtracer call-site only (--depth 1) and with full
# stacks; heaptrack (recording only: its analysis is a separate step);
# valgrind dhat and massif; ltrace -e
# malloc+free (when installed); bench/floor, the int3 engine's floor
# (breakpoint on malloc and free, count, resume).  Runs are interleaved,
# RUNS rounds (default 3), and the median wall time is kept.
#
# Prints a table and writes it as JSON to bench/out/compare.json:
#   slowdown     wall time / untraced
#   fixed s      the tool's own start and finish: its wall time on /bin/true
#                less /bin/true's
#   us/event     (wall - untraced - fixed) / allocator events (allocations
#                and frees, as memtracer counts them): the cost per event
#   maxrss       the largest resident set among the tool and its target
#   stops/event  memtracer's ptrace stops per event (MEMTRACER_DEBUG)
#   x floor      memtracer's cost per stop / the floor tracer's
set -eu
cd "$(dirname "$0")/.."
runs=${1:-3}
out=$(pwd)/bench/out
mkdir -p "$out"
[ -x src/memtracer ] || { echo "build first: make" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is needed (apt-get install jq)" >&2; exit 2; }

flags="-O2 -g -fomit-frame-pointer"
cc $flags bench/rusage.c -o "$out/rusage"
cc $flags bench/workloads/churn.c -o "$out/churn"
cc $flags -pthread bench/workloads/threads.c -o "$out/threads"
c++ $flags bench/workloads/cxxmap.cc -o "$out/cxxmap"
cc $flags bench/workloads/compute.c -o "$out/compute"
cc -O2 -Isrc -I. -Isrc/arch/x86_64 bench/floor.c src/libmt.a -o "$out/floor" \
	$(pkg-config --libs libdw libelf libunwind-ptrace libunwind-generic capstone jansson \
	  libprotobuf-c zlib) -liberty
cat >"$out/bench.sql" <<'SQL'
CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, grp INTEGER);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO t SELECT i, 'name-' || i || '-' || hex(randomblob(8)), i % 37 FROM n;
CREATE INDEX t_grp ON t(grp);
SELECT grp, count(*), max(name) FROM t GROUP BY grp ORDER BY 2 DESC LIMIT 5;
SQL

# startup: /bin/true, for each tool's fixed cost (start, symbols, report),
# which the per-event figures leave out.
workloads="startup churn threads cxxmap compute"
command -v sqlite3 >/dev/null && workloads="$workloads sqlite3"
workload_cmd() {
	case $1 in
	startup) echo /bin/true ;;
	churn) echo "$out/churn 20000" ;;
	threads) echo "$out/threads 5000" ;;
	cxxmap) echo "$out/cxxmap 20" ;;
	compute) echo "$out/compute 2000 300" ;;
	sqlite3) echo "$(command -v sqlite3) :memory: .read\\ $out/bench.sql" ;;
	esac
}
tools="untraced memtracer-site memtracer floor"
command -v heaptrack >/dev/null && tools="$tools heaptrack"
command -v valgrind >/dev/null && tools="$tools dhat massif"
command -v ltrace >/dev/null && tools="$tools ltrace"
tool_prefix() {
	case $1 in
	untraced) echo "" ;;
	memtracer-site) echo "src/memtracer run -q -o $out/mt.json --depth 1 --" ;;
	memtracer) echo "src/memtracer run -q -o $out/mt.json --" ;;
	floor) echo "$out/floor" ;;
	heaptrack) echo "env -C $out heaptrack" ;;	# writes heaptrack.*.zst there
	dhat) echo "valgrind --tool=dhat --dhat-out-file=/dev/null" ;;
	massif) echo "valgrind --tool=massif --massif-out-file=/dev/null" ;;
	ltrace) echo "ltrace -f -e malloc+free -o /dev/null" ;;
	esac
}

# run TOOL WORKLOAD: one timed run, appended to the raw results.
run() {
	cmd=$(workload_cmd "$2")
	# shellcheck disable=SC2046,SC2086
	eval "$out/rusage $(tool_prefix "$1") $cmd" >/dev/null 2>"$out/run.err" || true
	line=$(grep '^rusage ' "$out/run.err" | tail -n 1)
	[ -n "$line" ] || { echo "$1 on $2 failed: $(tail -n 3 "$out/run.err")" >&2; return 0; }
	echo "$1 $2 $line" >>"$out/raw.txt"
}

: >"$out/raw.txt"
rm -f "$out"/heaptrack.*
for r in $(seq "$runs"); do
	for w in $workloads; do
		for t in $tools; do
			run "$t" "$w"
		done
	done
	echo "round $r of $runs done" >&2
done

# What memtracer sees: events, and its stops, once per workload.
: >"$out/events.txt"
for w in $workloads; do
	cmd=$(workload_cmd "$w")
	eval "MEMTRACER_DEBUG=1 src/memtracer run -q -o $out/mt.json -- $cmd" >/dev/null 2>"$out/debug.err" || true
	events=$(jq '.totals.allocs + .totals.frees + .totals.failed_allocs' "$out/mt.json")
	stops=$(sed -n 's/.*stops \([0-9]*\),.*/\1/p' "$out/debug.err" | tail -n 1)
	hits=$(eval "$out/floor $cmd" 2>&1 >/dev/null | sed -n 's/^floor: \([0-9]*\) hits.*/\1/p' | tail -n 1)
	echo "$w ${events:-0} ${stops:-0} ${hits:-0}" >>"$out/events.txt"
done

# The table, from the medians.
jq -n --rawfile raw "$out/raw.txt" --rawfile ev "$out/events.txt" '
	def median: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;
	($raw | split("\n") | map(select(length > 0) | split(" "))
	 | map({tool: .[0], workload: .[1], wall: (.[3] | tonumber), rss: (.[4] | tonumber)})) as $runs
	| ($ev | split("\n") | map(select(length > 0) | split(" "))
	   | map({key: .[0], value: {events: (.[1] | tonumber), stops: (.[2] | tonumber),
				     hits: (.[3] | tonumber)}}) | from_entries) as $e
	| ($runs | map(select(.workload == "startup")) | group_by(.tool)
	   | map({key: .[0].tool, value: (map(.wall) | median)}) | from_entries) as $start
	| [$runs | group_by(.workload)[] | select(.[0].workload != "startup") | . as $w
	   | ($w | map(select(.tool == "untraced")) | map(.wall) | median) as $base
	   | ($w | map(select(.tool == "floor")) | map(.wall) | median) as $floor
	   | $w | group_by(.tool)[]
	   | {workload: .[0].workload, tool: .[0].tool,
	      wall: (map(.wall) | median), maxrss_kib: (map(.rss) | median),
	      runs: length}
	   | . + {slowdown: (.wall / $base),
		  fixed: (($start[.tool] // 0) - ($start["untraced"] // 0)),
		  us_per_event: (if $e[.workload].events > 0
				 then (.wall - $base - (($start[.tool] // 0) - ($start["untraced"] // 0)))
				      * 1e6 / $e[.workload].events else null end)}
	   | if (.tool | startswith("memtracer")) then
		. + {stops_per_event: ($e[.workload].stops / ($e[.workload].events | if . == 0 then 1 else . end)),
		     x_floor: (if $e[.workload].stops > 0 and $e[.workload].hits > 0 and $floor > $base
			       then ((.wall - $base - .fixed) / $e[.workload].stops)
				    / (($floor - $base - (($start["floor"] // 0) - ($start["untraced"] // 0)))
				       / $e[.workload].hits)
			       else null end)}
	     else . end]' >"$out/compare.json"

jq -r '
	def f(n): if . == null then "-" else (. * pow(10; n) | round / pow(10; n) | tostring) end;
	def r(w): " " * (w - length) + .;
	"workload  tool              wall s  slowdown  fixed s  us/event  maxrss MiB  stops/event  x floor",
	(.[] | [.workload, .tool, (.wall | f(3)), (.slowdown | f(1)), (.fixed | f(2)),
		(.us_per_event | f(2)), (.maxrss_kib / 1024 | f(1)), (.stops_per_event | f(2)),
		(.x_floor | f(2))]
	 | "\(.[0] + "          " | .[0:9]) \(.[1] + "                  " | .[0:16]) \(.[2] | r(7))  \(.[3] | r(8))  \(.[4] | r(7))  \(.[5] | r(8))  \(.[6] | r(10))  \(.[7] | r(11))  \(.[8] | r(7))")
' "$out/compare.json"
echo "(JSON: $out/compare.json; $runs run(s) each, medians)"
