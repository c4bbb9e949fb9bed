#!/usr/bin/env bash
# Runs capipc's JMH benchmarks (docs/benchmarks.md) with the GC profiler; results go to
# benchmarks/results-<mode>.json.
#
#   benchmarks/run.sh quick [jmh args...]   about 6 minutes on 2 cores: 1 fork, short iterations,
#                                           without the Frameworks class (Pekko, gRPC, Vert.x)
#   benchmarks/run.sh full  [jmh args...]   careful run: 3 forks, longer iterations, everything
#                                           (about 45 min)
#   benchmarks/run.sh typed [runs]          the server library's measurement: TypedPairedRatio
#                                           (generated stub and dispatcher against the same call by
#                                           hand, alternated in one JVM), <runs> JVMs (default 3); one
#                                           line per run in benchmarks/results-typed.txt
#   benchmarks/run.sh channels [jmh args...] 64-byte messages over a channel against Agrona's
#                                           OneToOneRingBuffer and JCTools' SpscArrayQueue, one way
#                                           and round trip (Channels; 1 fork, 3 x 1 s, about 2 min)
#   benchmarks/run.sh crossover [jmh args...] SPEC 12.3's crossover, 8 B to 64 MiB, every transport
#                                           against MemorySegment.copy (Crossover; short: 1 fork,
#                                           2 x 0.3 s warm-up, 3 x 0.3 s, about 5 min), then
#                                           benchmarks/crossover.py: docs/crossover.svg and
#                                           benchmarks/thresholds.properties (SizeStrategy.load)
#   benchmarks/run.sh paired [runs]         the spin target's measurement: PairedRatio (not JMH) for
#                                           0 and 8 registers, alternated, <runs> JVMs each (default
#                                           5, about 2 min); one line per run in
#                                           benchmarks/results-paired.txt, since this VM drifts
#                                           between runs more than within one
#
# Extra arguments go to JMH after the mode's own, e.g. a benchmark regex: run.sh quick 'Floors|Peers'.
# quick always excludes Frameworks (-e Frameworks), even when named: run.sh full Frameworks for those.
# The jar is built if missing; rebuild it after changing the code:
#   mvn -B -ntp -q -DskipTests -pl benchmarks -am package
set -euo pipefail

mode="${1:-}"
case "$mode" in
  # The frameworks (Frameworks.java: Pekko, gRPC, Vert.x) are measured in the full run only.
  quick) opts=(-f 1 -wi 3 -w 1s -i 3 -r 1s -p clients=1,10,1000,100000 -e Frameworks) ;;
  full)  opts=(-f 3 -wi 5 -w 2s -i 5 -r 2s) ;;
  channels)  opts=(-f 1 -wi 3 -w 1s -i 3 -r 1s) ;;
  crossover) opts=(-f 1 -wi 2 -w 300ms -i 3 -r 300ms) ;;
  paired|typed) ;;
  *) echo "usage: $0 quick|full|channels|crossover [jmh args...] | paired [runs] | typed [runs]" >&2; exit 2 ;;
esac
shift

root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/benchmarks/target/benchmarks.jar"

# The major version of a `java` binary, or 0 if it does not run.
major() {
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1 | grep . || echo 0
}

find_java() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && "$(major "$JAVA_HOME/bin/java")" -ge 25 ]]; then
    echo "$JAVA_HOME/bin/java"; return
  fi
  local preferred=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
  if [[ -x "$preferred" && "$(major "$preferred")" -ge 25 ]]; then
    echo "$preferred"; return
  fi
  local j
  for j in /usr/lib/jvm/*/bin/java; do
    if [[ -x "$j" && "$(major "$j")" -ge 25 ]]; then
      echo "$j"; return
    fi
  done
  echo "no JDK 25+ found: set JAVA_HOME to one" >&2
  exit 1
}

if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -ntp -q -DskipTests -pl benchmarks -am package)
fi
java="$(find_java)"
echo "java: $java ($("$java" -version 2>&1 | head -n 1))"

# Round trips of two threads need both cores: anything else running skews every figure (a third
# busy thread turns a spinning handoff into one 4-8 ms scheduler quantum). Warn, do not refuse.
load="$(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo 0)"
if awk -v l="$load" 'BEGIN { exit !(l > 0.5) }'; then
  echo "WARNING: 1-minute load average is $load; the results will be skewed. Busiest processes:" >&2
  ps -eo pid,pcpu,comm --sort=-pcpu | head -n 4 >&2
fi

cd "$root"
if [[ "$mode" == typed ]]; then
  runs="${1:-3}"
  if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
    echo "typed: runs must be a positive integer, was '$runs'" >&2; exit 2
  fi
  out=benchmarks/results-typed.txt
  : > "$out"
  for ((r = 1; r <= runs; r++)); do
    line="$("$java" --sun-misc-unsafe-memory-access=allow -cp "$jar" io.capipc.benchmarks.TypedPairedRatio 300 10000 \
      | tr '\n' ';')"
    echo "run $r: $line" | tee -a "$out"
  done
  exit 0
fi
if [[ "$mode" == paired ]]; then
  runs="${1:-5}"
  if (( $# > 1 )); then
    echo "paired takes one argument, the number of runs; got: $*" >&2; exit 2
  fi
  if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then
    echo "paired: runs must be a positive integer, was '$runs'" >&2; exit 2
  fi
  out=benchmarks/results-paired.txt
  : > "$out"
  # The median PairedRatio printed on its line starting with $1.
  median() { echo "$result" | grep "^$1" | sed 's/.*median \([0-9.]*\).*/\1/'; }
  for ((r = 1; r <= runs; r++)); do
    for registers in 0 8; do
      result="$("$java" --sun-misc-unsafe-memory-access=allow -cp "$jar" \
        io.capipc.benchmarks.PairedRatio 300 10000 "$registers")"
      printf 'run %d, %d registers: capipc %s ns, floor %s ns, capipc/floor %s, protocol/floor %s, capipc/protocol %s, hot line/protocol %s\n' \
        "$r" "$registers" "$(median 'capipc ns')" "$(median 'floor ns')" "$(median 'ratio:')" \
        "$(median 'rendezvous / floor')" "$(median 'capipc / rendezvous')" "$(median 'hot line / rendezvous')" | tee -a "$out"
    done
  done
  exit 0
fi
case "$mode" in
  channels) set -- Channels "$@" ;;
  crossover) set -- Crossover "$@" ;;
esac
if [[ "$mode" == crossover ]]; then
  "$java" --sun-misc-unsafe-memory-access=allow -jar "$jar" -prof gc \
    -jvmArgsPrepend --sun-misc-unsafe-memory-access=allow -rf json -rff benchmarks/results-crossover.json "${opts[@]}" "$@"
  exec python3 benchmarks/crossover.py benchmarks/results-crossover.json docs/crossover.svg benchmarks/thresholds.properties
fi
exec "$java" --sun-misc-unsafe-memory-access=allow -jar "$jar" -prof gc \
  -jvmArgsPrepend --sun-misc-unsafe-memory-access=allow -rf json -rff "benchmarks/results-$mode.json" "${opts[@]}" "$@"
