# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shared harness of the traced tests, sourced by every *.test.
# Exit codes: 0 pass, 77 skip, 99 hard error; anything else fails.
set -eu
export LC_ALL=C
unset DEBUGINFOD_URLS MEMTRACER_DEBUG || :

me=$(basename "$0" .test)
: "${MEMTRACER:?run through make check}"
: "${TARGETDIR:?run through make check}"
T=$TARGETDIR/targets
work=$TARGETDIR/$me.dir
rm -rf "$work"
mkdir -p "$work"
cd "$work"
live_pid=
mt_bg_pid=
watchdog_pid=
# Nothing left running, whatever happened; the scratch directory is kept
# for a failed test.
cleanup() {
	rc=$?
	set +e
	stop_watchdog
	for pid in $mt_bg_pid $live_pid; do
		kill -9 "$pid" 2>/dev/null
	done
	if [ $rc -eq 0 ]; then
		cd /
		rm -rf "$work"
	fi
	exit $rc
}
trap cleanup EXIT

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
framework_error() { echo "ERROR: $*" >&2; exit 99; }

require_jq() { [ -n "${JQ:-}" ] && command -v "$JQ" >/dev/null || skip "jq not installed"; }
require_valgrind() { [ -n "${VALGRIND:-}" ] && command -v "$VALGRIND" >/dev/null || skip "valgrind not installed"; }
require_go() { [ -n "${GO:-}" ] && command -v "$GO" >/dev/null || skip "go (golang-go) not installed"; }
require_gdb() { [ -n "${GDB:-}" ] && command -v "$GDB" >/dev/null || skip "gdb not installed"; }

# Runs memtracer with a time limit: a hang is a failure, never a stuck suite.
mt() { timeout 300 "$MEMTRACER" "$@"; }

# mt_bg ARGS...: memtracer in the background, its pid in mt_bg_pid, signals
# reaching it directly (no timeout wrapper in between); a watchdog kills it
# after 120 s so that a hang fails the test instead of stalling the suite.
stop_watchdog() {
	[ -n "$watchdog_pid" ] || return 0
	pkill -P "$watchdog_pid" 2>/dev/null || :
	kill "$watchdog_pid" 2>/dev/null || :
	watchdog_pid=
}

mt_bg() {
	"$MEMTRACER" "$@" &
	mt_bg_pid=$!
	( sleep 120 && kill -9 "$mt_bg_pid" ) >/dev/null 2>&1 &
	watchdog_pid=$!
}

# mt_bg_stop SIGNAL: sends SIGNAL to the background memtracer and returns
# its exit status.
mt_bg_stop() {
	kill -"$1" "$mt_bg_pid"
	rc=0
	wait "$mt_bg_pid" || rc=$?
	stop_watchdog
	mt_bg_pid=
	return $rc
}

# mt_json OUT PROGRAM ARGS...: trace PROGRAM, profile to OUT; stdout kept.
mt_json() {
	local out=$1
	shift
	mt run -q -o "$out" -- "$@"
}

# jq_get FILE FILTER: one value.
jq_get() { "$JQ" -r "$2" "$1"; }

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', expected '$3'"
	echo "ok: $1 = $3"
}

# line_of FILE TAG: the line holding the marker /* L:TAG */.
line_of() {
	local n
	n=$(grep -n "/\* L:$2 \*/" "$1" | cut -d: -f1)
	[ -n "$n" ] || framework_error "no marker L:$2 in $1"
	echo "$n"
}

# site_sum JSON FILE_BASENAME LINE FIELD [ALLOCATOR]: FIELD summed over the
# sites whose shown frame is at FILE_BASENAME:LINE.
site_sum() {
	"$JQ" -r --arg f "$2" --argjson l "$3" --arg k "${5:-}" --arg field "$4" '
		[.sites[] | select(($k == "" or .allocator == $k) and (.frames | length) > 0)
		 | select(.frames[.site] as $fr | ($fr.file // "" | split("/") | last) == $f and $fr.line == $l)
		 | .[$field]] | add // 0' "$1"
}

# expected KEY: a value the target printed as "expect KEY=VALUE" on stdout.
expected() {
	sed -n "s/^expect $1=//p" "${2:-stdout}" | head -n 1
}

# dhat_totals PROGRAM ARGS...: "BLOCKS BYTES" as valgrind's DHAT counts them.
dhat_totals() {
	"$VALGRIND" --tool=dhat --dhat-out-file=/dev/null "$@" >/dev/null 2>dhat.err ||
		framework_error "valgrind failed on $*"
	sed -n 's/.*Total: *\([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\2 \1/p' dhat.err | tr -d ,
}

# memcheck_counts PROGRAM ARGS...: "ALLOCS FREES BYTES" (heap summary), with
# valgrind's exit-time freeing of libc and libstdc++ internals turned off so
# that frees are the program's own.
memcheck_counts() {
	"$VALGRIND" --run-libc-freeres=no --run-cxx-freeres=no "$@" >/dev/null 2>mc.err ||
		framework_error "valgrind failed on $*"
	sed -n 's/.*total heap usage: \([0-9,]*\) allocs, \([0-9,]*\) frees, \([0-9,]*\) bytes.*/\1 \2 \3/p' mc.err | tr -d ,
}

# start_live [ARGS]: starts the live service in the background; sets
# live_pid once it has printed its ready line (no sleeps).
start_live() {
	"$T/live" "$@" >live.out 2>&1 &
	live_pid=$!
	i=0
	until grep -q '^ready' live.out 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 500 ] || framework_error "live service never got ready"
		sleep 0.01
	done
}

# stop_live: ends the service and checks it found its data intact.
stop_live() {
	kill -USR1 "$live_pid"
	rc=0
	wait "$live_pid" || rc=$?
	live_pid=
	expect_eq "service exit status" "$rc" 0
	grep -q '^ok rounds=' live.out || fail "service reports: $(tail -1 live.out)"
	echo "ok: service intact: $(tail -1 live.out)"
}

# until_true SECONDS COMMAND...: polls COMMAND every 10 ms, for at most SECONDS.
until_true() {
	n=$(($1 * 100))
	shift
	until "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.01
	done
}

# tracer_of PID: the TracerPid of a process (0 when not traced).
tracer_of() { sed -n 's/^TracerPid:[[:space:]]*//p' "/proc/$1/status"; }

# wait_traced PID: until a tracer holds PID.
wait_traced() {
	i=0
	until [ "$(tracer_of "$1")" != 0 ]; do
		i=$((i + 1))
		[ $i -lt 500 ] || fail "memtracer never attached to $1"
		sleep 0.01
	done
}
