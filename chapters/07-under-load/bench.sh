#!/usr/bin/env bash
# The whole comparison in one run: the same load against the Node reference and against this chapter's app,
# each server started fresh for each load, in its own process; the load generator in a third.
#
#   chapters/07-under-load/bench.sh [streams] [seconds]      (defaults: 10000 30)
#   chapters/07-under-load/bench.sh [streams] [seconds] feed  (only the SSE feed at 10 events/s to streams/2
#                                                             subscribers, Node and Quarkus in turn, three turns each)
#
# Per-connection streams (1 event/s each; Quarkus through REST and through a route) at streams/4, streams/2 and
# streams; the shared feed (10 events/s) at streams/4 and streams/2 subscribers, over SSE (Node and Quarkus) and WebSocket (Quarkus); then the feed at
# 40 events/s to streams/2 subscribers, more than either server can deliver here, to compare capacities. Writes
# docs/performance/latest.md (the table, the machine, its load) and docs/performance/chart.png.
# Needs: a JDK 17+ (java, jcmd), node 18+. Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/../.."
STREAMS=${1:-10000}
HOLD=${2:-30}
ROWS=${3:-all}
[[ "$ROWS" == all || "$ROWS" == feed ]] || { echo "bench.sh: the third argument is all (default) or feed"; exit 1; }
CHAPTER=chapters/07-under-load
OUT=docs/performance
WORK=$CHAPTER/target/bench
NODE_PORT=9087
QUARKUS_PORT=9187
mkdir -p "$OUT" "$WORK"

command -v node >/dev/null || { echo "bench.sh needs node (Debian: apt-get install nodejs)"; exit 1; }
command -v jcmd >/dev/null || { echo "bench.sh needs jcmd, from a full JDK"; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt $((STREAMS + 1000)) ]; then
  echo "open files limit $(ulimit -n) is too low for $STREAMS streams"; exit 1
fi

echo "building the app and the load generator..."
./mvnw -B -ntp -q package dependency:build-classpath -pl "$CHAPTER" -am -DskipTests \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
CP="$CHAPTER/target/test-classes:$(cat "$CHAPTER/target/test-classpath.txt")"

server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  server_pid=""
}
trap stop_server EXIT

await_port() { # port, path
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$1$2" && return 0
    sleep 0.2
  done
  echo "server on port $1 did not start"; exit 1
}

start_node() {
  ulimit -n 65536 2>/dev/null || true
  FEED_INTERVAL_MS=$FEED_INTERVAL_MS node --expose-gc "$CHAPTER/bench/node-server.mjs" "$NODE_PORT" >"$WORK/node.log" 2>&1 &
  server_pid=$!
  await_port "$NODE_PORT" /memory
  warm_up "$NODE_PORT"
}

# A short warm-up for each server, so that its JIT (HotSpot's or V8's) has compiled the event path before the
# measurement, as it would have in production.
warm_up() {
  load "http://127.0.0.1:$1$WARM_PATH?intervalMs=10&count=1000000" 200 5 100 0 java warm-up >/dev/null
}

start_quarkus() {
  java -Xms1g -Xmx1g -Xmn512m -Dfeed.interval-ms="$FEED_INTERVAL_MS" -Dquarkus.http.port="$QUARKUS_PORT" -Dquarkus.http.accept-backlog=4096 -jar "$CHAPTER/target/quarkus-app/quarkus-run.jar" \
    >"$WORK/quarkus.log" 2>&1 &
  server_pid=$!
  await_port "$QUARKUS_PORT" /streams
  warm_up "$QUARKUS_PORT"
}

load() { # url streams seconds expected-rate pid runtime label
  java -Xmx1g -cp "$CP" org.acme.sse.underload.load.LoadGenerator "$1" --streams "$2" --seconds "$3" \
    --expected-rate "$4" --pid "$5" --runtime "$6" --label "$7" --ramp 1000 2>>"$WORK/generator.err"
}

run() { # server(node|quarkus) path streams expected-rate label [capacity: a table row only, not on the chart]
  FEED_INTERVAL_MS=100
  WARM_PATH=/sse; [[ "$2" == /sse-direct* ]] && WARM_PATH=/sse-direct # warm up the path that is measured
  [[ "$2" == /broadcast* ]] && WARM_PATH=/broadcast # (a WebSocket row warms up on /sse: the warm-up speaks HTTP)
  [[ "$2" == /broadcast* || "$2" == /ws* ]] && FEED_INTERVAL_MS=$((1000 / $4)) # the feed publishes at the rate expected
  if [ "$1" = node ]; then start_node; port=$NODE_PORT; runtime=node; else start_quarkus; port=$QUARKUS_PORT; runtime=java; fi
  scheme=http; [[ "$2" == /ws* ]] && scheme=ws
  echo "$5, $3 streams..." >&2
  output=$(load "$scheme://127.0.0.1:$port$2" "$3" "$HOLD" "$4" "$server_pid" "$runtime" "$5")
  echo "$output" | grep '^| [^-l]' >>"$WORK/table.md"
  [ "${6:-}" = capacity ] || echo "$output" | grep '^TSV' | cut -f2- >>"$WORK/results.tsv"
  stop_server
}

: >"$WORK/table.md"
: >"$WORK/results.tsv"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%MZ)
if [ "$ROWS" = feed ]; then
  # One comparison, repeated: on 2 cores shared with the generator, one row's p99 moves from run to run.
  for turn in 1 2 3; do
    run node /broadcast $((STREAMS / 2)) 10 "Node, shared feed (SSE), turn $turn"
    run quarkus /broadcast $((STREAMS / 2)) 10 "Quarkus GET /broadcast (SSE), turn $turn"
  done
else
  for n in $((STREAMS / 4)) $((STREAMS / 2)) "$STREAMS"; do
    run node "/sse?intervalMs=1000&count=1000000" "$n" 1 "Node, setInterval per stream"
    run quarkus "/sse?intervalMs=1000&count=1000000" "$n" 1 "Quarkus GET /sse"
    run quarkus "/sse-direct?intervalMs=1000&count=1000000" "$n" 1 "Quarkus GET /sse-direct"
  done
  for n in $((STREAMS / 4)) $((STREAMS / 2)); do
    run node /broadcast "$n" 10 "Node, shared feed (SSE)"
    run quarkus /broadcast "$n" 10 "Quarkus GET /broadcast (SSE)"
    run quarkus /ws "$n" 10 "Quarkus /ws (WebSocket)"
  done
  run node /broadcast $((STREAMS / 2)) 40 "Node, shared feed (SSE), 40 ev/s" capacity
  run quarkus /broadcast $((STREAMS / 2)) 40 "Quarkus GET /broadcast (SSE), 40 ev/s" capacity
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

REPORT=$OUT/latest.md
if [ "$ROWS" = all ]; then
  java -Djava.awt.headless=true -cp "$CP" org.acme.sse.underload.load.BenchChart "$WORK/results.tsv" "$OUT/chart.png"
else
  REPORT=$OUT/latest-feed.md # the full run's table and chart stay as they are
fi
{
  echo "# Chapter 07 benchmark ($ROWS rows), $started"
  echo
  echo "\`$CHAPTER/bench.sh $STREAMS $HOLD $ROWS\`: $HOLD s of measurement per row, after the ramp. $(nproc) cores,"
  echo "$(java -version 2>&1 | head -1), node $(node --version), $(uname -sr)."
  echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after."
  echo
  echo "| load | streams requested / open / failed | events/s (expected) | lateness p50 / p99 / max | gaps | MB/s | server RSS | RSS per stream | live heap per stream |"
  echo "|---|---|---|---|---|---|---|---|---|"
  cat "$WORK/table.md"
  if [ "$ROWS" = all ]; then
    echo
    echo "![p99 lateness and live heap per stream](chart.png)"
  fi
} >"$REPORT"
cat "$REPORT"
