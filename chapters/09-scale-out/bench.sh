#!/usr/bin/env bash
# The shared feed under load, on one instance and on two: the same subscribers, the same messages, the same Redis.
#
#   chapters/09-scale-out/bench.sh [subscribers] [seconds]      (defaults: 5000 30)
#
# For each row it starts a fresh redis-server (no persistence) and the packaged app once (A) or twice (A and B),
# each its own JVM; a publisher posts 10 messages a second to POST /messages (to A and B in turn); chapter 07's load
# generator opens the subscribers on GET /feed (split evenly over the instances), ramps, holds them for the given
# seconds and measures delivered events/s and lateness (receive time minus the message's "at", stamped by the
# instance that appended it, so Redis's hop is included). Writes docs/performance/scale-out.md.
# Needs: a JDK 17+ (java, jcmd), redis-server (Debian: apt-get install redis-server), curl. Not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUBSCRIBERS=${1:-5000}
HOLD=${2:-30}
RATE=10 # messages a second, to every subscriber
CHAPTER=chapters/09-scale-out
GENERATOR=chapters/07-under-load
OUT=docs/performance
WORK=$CHAPTER/target/bench
REDIS_PORT=9489
PORTS=(9289 9389) # not 8089/8189 (dev mode) nor 9089 (the chapter's nginx)
NAMES=(A B)
HEAP="-Xms1g -Xmx1g -Xmn512m" # as chapter 07's bench.sh gives its server

fail() { echo "bench.sh: $*" >&2; exit 1; }
command -v redis-server >/dev/null || fail "needs redis-server (Debian: apt-get install redis-server)"
command -v jcmd >/dev/null || fail "needs jcmd, from a full JDK (it measures the instances' live heap)"
command -v java >/dev/null || fail "needs java 17+"
command -v curl >/dev/null || fail "needs curl"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# The generator holds every subscriber's connection, and one instance as many.
if [ "$(ulimit -n)" -lt $((SUBSCRIBERS + 1000)) ]; then
  fail "open files limit $(ulimit -n) is too low for $SUBSCRIBERS subscribers (raise the hard limit: ulimit -Hn)"
fi
for port in "$REDIS_PORT" "${PORTS[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then fail "port $port is in use"; fi
done
mkdir -p "$OUT" "$WORK"

# Every process this script starts, stopped on any exit: the end, a failure, Ctrl+C.
started_pids=()
stop() { # pid... (and their children: the subscriber watcher's curl or sleep)
  for pid in "$@"; do pkill -P "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
stop_all() {
  if [ ${#started_pids[@]} -gt 0 ]; then stop "${started_pids[@]}"; fi
  started_pids=()
}
trap stop_all EXIT
trap 'exit 130' INT TERM

echo "building the app, the publisher and chapter 07's load generator..."
./mvnw -B -ntp -q package dependency:build-classpath -pl "$GENERATOR,$CHAPTER" -am -DskipTests \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
GENERATOR_CP="$GENERATOR/target/test-classes:$(cat "$GENERATOR/target/test-classpath.txt")"

await() { # what, command...
  local what=$1; shift
  for _ in $(seq 1 300); do
    "$@" && return 0
    sleep 0.2
  done
  fail "timed out waiting for $what (see $WORK/*.log)"
}
redis_answers() { # PING over bash's /dev/tcp, so that redis-cli is not needed
  local reply
  reply=$( (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT" && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 \
    && echo "$line") 2>/dev/null) || return 1
  [[ "$reply" == +PONG* ]]
}

start_redis() {
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
    --maxclients 1000 >"$WORK/redis.log" 2>&1 &
  started_pids+=($!)
  await "redis-server on port $REDIS_PORT to answer" redis_answers
}

start_instance() { # index
  local port=${PORTS[$1]} name=${NAMES[$1]}
  # shellcheck disable=SC2086
  java $HEAP -Dquarkus.http.port="$port" -Dquarkus.http.accept-backlog=4096 -Dfeed.instance-name="$name" \
    -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" -jar "$CHAPTER/target/quarkus-app/quarkus-run.jar" \
    >"$WORK/instance-$name.log" 2>&1 &
  local pid=$!
  started_pids+=("$pid")
  instance_pids+=("$pid")
  await "instance $name on port $port to start" curl -sf -o /dev/null "http://127.0.0.1:$port/subscribers"
}

load() { # streams seconds label pid-args... ; the generator in the background, so that stop_all can end it
  local streams=$1 seconds=$2 label=$3; shift 3
  java -Xmx1g -cp "$GENERATOR_CP" org.acme.sse.underload.load.LoadGenerator "${feeds[@]}" "$@" \
    --streams "$streams" --seconds "$seconds" --expected-rate "$RATE" --time-field at --runtime java \
    --label "$label" --ramp 1000 >"$WORK/generator.out" 2>>"$WORK/generator.err" &
  local pid=$!
  started_pids+=("$pid")
  wait "$pid" || fail "the load generator failed (see $WORK/generator.err)"
}

local_subscribers() { # port: what GET /subscribers says this instance feeds now
  curl -sf --max-time 5 "http://127.0.0.1:$1/subscribers" | sed -n 's/.*"local":\([0-9]*\).*/\1/p'
}
no_subscribers() {
  for port in "${ports[@]}"; do [ "$(local_subscribers "$port" || true)" = 0 ] || return 1; done
}
# A line a second, each instance's subscribers: the most seen shows that the split happened on the servers.
watch_subscribers() {
  while true; do
    for port in "${ports[@]}"; do printf '%s ' "$(local_subscribers "$port" || true)"; done >>"$WORK/subscribers.txt"
    echo >>"$WORK/subscribers.txt"
    sleep 1
  done
}
most_subscribers() { # "2500 + 2500": the highest count of each column
  awk '{ for (i = 1; i <= NF; i++) if ($i + 0 > most[i]) most[i] = $i + 0; if (NF > n) n = NF }
       END { for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? " + " : ""), most[i] }' "$WORK/subscribers.txt"
}

run() { # number of instances
  local n=$1 label
  ports=("${PORTS[@]:0:n}")
  feeds=(); instance_pids=()
  for port in "${ports[@]}"; do feeds+=("http://127.0.0.1:$port/feed"); done
  label="$n instance$([ "$n" -gt 1 ] && echo s) ($(IFS=+; echo "${NAMES[*]:0:n}"))"
  echo "$label, $SUBSCRIBERS subscribers..." >&2
  start_redis
  for i in $(seq 0 $((n - 1))); do start_instance "$i"; done
  java -cp "$CHAPTER/target/test-classes" org.acme.sse.scaleout.bench.FeedPublisher --rate "$RATE" \
    "${feeds[@]%/feed}" >"$WORK/publisher.out" 2>"$WORK/publisher.err" &
  local publisher=$!
  started_pids+=("$publisher")
  # Warm-up: the JIT compiles the feed's path before the measurement, as it would have in production.
  load 200 5 warm-up
  # From a known quiet state: the warm-up's subscribers gone, so that they count neither as memory nor as split.
  await "the warm-up's subscribers to leave" no_subscribers
  : >"$WORK/subscribers.txt"
  watch_subscribers &
  local watcher=$!
  started_pids+=("$watcher")
  local pid_args=()
  for pid in "${instance_pids[@]}"; do pid_args+=(--pid "$pid"); done
  load "$SUBSCRIBERS" "$HOLD" "$label" "${pid_args[@]}"
  stop "$watcher" "$publisher"
  local row published
  row=$(grep '^| [^-l]' "$WORK/generator.out")
  published=$(sed -n 's/.*(\([0-9.]*\)\/s acknowledged).*/\1/p' "$WORK/publisher.out")
  # | label | requested / open / failed | events/s (expected) | lateness | gaps | MB/s | RSS | RSS/stream | heap/stream |
  echo "$row" | awk -F' [|] ' -v per="$(most_subscribers)" -v pub="$published" \
    '{ sub(/ [|]$/, "", $9); print $1 " | " $2 " | " per " | " $3 " | " pub " | " $4 " | " $7 " | " $8 " | " $9 " |" }' \
    >>"$WORK/table.md"
  echo "- $label: $(cat "$WORK/publisher.out")" >>"$WORK/publisher.md"
  stop_all
}

: >"$WORK/table.md"
: >"$WORK/publisher.md"
: >"$WORK/generator.err"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u +%Y-%m-%dT%H:%MZ)
run 1
run 2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
  echo "# Chapter 09 benchmark: one instance against two, $started"
  echo
  echo "\`$CHAPTER/bench.sh $SUBSCRIBERS $HOLD\`: $HOLD s of measurement per row, after a 5 s warm-up and the ramp"
  echo "(1,000 subscribers a second). $RATE messages a second posted to the instances in turn, each delivered to every"
  echo "subscriber. Each instance: \`java $HEAP -jar quarkus-run.jar\`; a fresh redis-server per row, no persistence."
  echo "$(nproc) cores, $(java -version 2>&1 | head -1), $(redis-server --version | cut -d' ' -f1-3), $(uname -sr)."
  echo "Load average (1, 5, 15 min) before: $load_before; after: $load_after."
  echo
  echo "| instances | subscribers requested / open / failed | subscribers per instance (most seen) | events/s delivered (expected) | messages/s published | lateness p50 / p99 / max | servers' RSS | RSS per subscriber | live heap per subscriber |"
  echo "|---|---|---|---|---|---|---|---|---|"
  cat "$WORK/table.md"
  echo
  echo "Lateness: the time the generator reads a message − its \`at\`. Memory: summed over the instances, (with the"
  echo "subscribers open − before) / subscribers open; live heap from \`jcmd <pid> GC.class_histogram\`. The publisher:"
  echo
  cat "$WORK/publisher.md"
} >"$OUT/scale-out.md"
cat "$OUT/scale-out.md"
