#!/usr/bin/env bash
# storm.sh runs one row of the reminder-storm table in docs/benchmarks.md: a fresh Temporal
# cluster database on PostgreSQL, one `duban temporal` node on it, and `duban bench` against
# that node; it prints the bench's JSON and the node's and PostgreSQL's CPU, over the run and
# from the first due time on (the reminders), read from /proc.
#
#   bench/storm.sh NAME SHARDS [ITEMS [SPREAD [MARGIN]]]
#
#   NAME    database to create (and NAME_visibility); an existing one is dropped first
#   SHARDS  history shards of the new cluster
#   ITEMS   items launched (default 10000); SPREAD the window their reminders fall due in
#           (default 1m; 0 = the same second); MARGIN from the import to the reminders
#           (default 5m: long enough for 10,000 items to launch and sign on 2 cores)
#
# Environment: DUBAN (the binary, default: duban on PATH), PGHOST/PGPORT/PGUSER (default
# 127.0.0.1, 5432, postgres: a user that may create databases), SYNC_COMMIT=off to run
# Temporal's two databases with synchronous_commit=off, DYNAMIC_CONFIG (a Temporal
# dynamic-config file for the node), PORT (the node's frontend port, default 17233; it uses
# the 7 ports after it and 300 below it too), OUT (directory for the logs, default
# ./storm-NAME), PPROF=1 to take a 20 s CPU profile and a goroutine dump of the node and the
# bench from 15 s after the first due time (OUT/node.cpu, bench.cpu, *.goroutines; the
# pprof ports are PORT+20 and PORT+21). OUT/vmstat.log has the machine's CPU each second,
# time-stamped; OUT/due.time has the first due time, to find the reminders in it.
# PostgreSQL must run on this machine for its CPU to be counted.
set -euo pipefail

name=${1:?usage: storm.sh NAME SHARDS [ITEMS [SPREAD [MARGIN]]]}
shards=${2:?usage: storm.sh NAME SHARDS [ITEMS [SPREAD [MARGIN]]]}
items=${3:-10000}
spread=${4:-1m}
margin=${5:-5m}
duban=${DUBAN:-duban}
pghost=${PGHOST:-127.0.0.1} pgport=${PGPORT:-5432} pguser=${PGUSER:-postgres}
out=${OUT:-./storm-$name}
mkdir -p "$out"

psql_() { psql -h "$pghost" -p "$pgport" -U "$pguser" -qAt "$@"; }
for db in "$name" "${name}_visibility"; do
	psql_ -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\""
	if [ "${SYNC_COMMIT:-on}" = off ]; then
		psql_ -c "ALTER DATABASE \"$db\" SET synchronous_commit = off"
	fi
done

node_args=(temporal --db "postgres://$pguser@$pghost:$pgport/$name?sslmode=disable" --history-shards "$shards" --port "${PORT:-17233}")
if [ -n "${DYNAMIC_CONFIG:-}" ]; then
	node_args+=(--dynamic-config "$DYNAMIC_CONFIG")
fi
node_pprof=127.0.0.1:$((${PORT:-17233} + 20)) bench_pprof=127.0.0.1:$((${PORT:-17233} + 21))
bench_args=()
if [ -n "${PPROF:-}" ]; then
	node_args+=(--pprof "$node_pprof")
	bench_args+=(--pprof "$bench_pprof")
fi
"$duban" "${node_args[@]}" >"$out/node.log" 2>&1 &
node=$!
vmstat -n -t 1 >"$out/vmstat.log" &
vmstat=$!
trap 'kill $node $vmstat 2>/dev/null || true' EXIT
for _ in $(seq 120); do
	if grep -q "Ctrl-C to stop" "$out/node.log"; then break; fi
	if ! kill -0 $node 2>/dev/null; then cat "$out/node.log" >&2; exit 1; fi
	sleep 1
done

# CPU seconds (user + system) of one process, and of every PostgreSQL process.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
	local t=0 p
	for p in $(pgrep -x postgres || pgrep -f postgres); do t=$((t + $(ticks "$p"))); done
	echo $t
}
hz=$(getconf CLK_TCK)
n0=$(ticks $node) g0=$(pg_ticks)

# At the first due time: the CPU so far, and Temporal's row counts (what each reminder writes).
rows() {
	psql_ -d "$name" -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables ORDER BY 1" >"$out/$1.rows"
}
(
	while ! grep -q "due from" "$out/bench.err" 2>/dev/null; do sleep 1; done
	due=$(grep -o "due from [0-9:]*" "$out/bench.err" | awk '{print $3}')
	while [ "$(date +%s)" -lt "$(date -d "$due" +%s)" ]; do sleep 0.2; done
	rows due
	echo "$(ticks $node) $(pg_ticks)" >"$out/due.ticks"
	# Not appended to vmstat.log: vmstat writes at its own offset and would overwrite it.
	echo "$due" >"$out/due.time"
	if [ -n "${PPROF:-}" ]; then
		sleep 15
		for p in "node $node_pprof" "bench $bench_pprof"; do
			set -- $p
			curl -s -o "$out/$1.cpu" "http://$2/debug/pprof/profile?seconds=20" &
			curl -s -o "$out/$1.goroutines" "http://$2/debug/pprof/goroutine?debug=1" &
		done
		wait
	fi
) &
watcher=$!

"$duban" bench "${bench_args[@]}" --items "$items" --api-items 0 --spread "$spread" --reminder-margin "$margin" \
	--temporal "127.0.0.1:${PORT:-17233}" --json >"$out/bench.json" 2>"$out/bench.err"
n1=$(ticks $node) g1=$(pg_ticks)
rows end
wait $watcher || true
read -r nd gd <"$out/due.ticks"
rss=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$node/status")

cat "$out/bench.json"
echo "node_cpu_s=$(((n1 - n0) / hz)) pg_cpu_s=$(((g1 - g0) / hz))" \
	"reminders_node_cpu_s=$(((n1 - nd) / hz)) reminders_pg_cpu_s=$(((g1 - gd) / hz)) node_peak_rss_mb=$rss"
echo "rows written per table from the first due time to the end:"
join -t '|' "$out/due.rows" "$out/end.rows" |
	awk -F'|' '$5 - $2 + $6 - $3 + $7 - $4 > 0 {printf "  %-22s insert %7d  update %7d  delete %7d\n", $1, $5 - $2, $6 - $3, $7 - $4}'
