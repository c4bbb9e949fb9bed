#!/usr/bin/env bash
# Compares two builds of benchmarks.jar on one machine: runs PairedRatio (as `run.sh paired` does)
# from the old jar and the new one alternately, so a drift of the VM hits both alike.
#   benchmarks/paired-ab.sh OLD.jar NEW.jar [runs]     (java: $JAVA, else JDK 25 at the usual path)
set -euo pipefail
if (( $# < 2 )); then echo "usage: $0 old.jar new.jar [runs]" >&2; exit 2; fi
old=$1 new=$2 runs=${3:-5}
java=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
for ((r = 1; r <= runs; r++)); do
  for jar in "$old" "$new"; do
    for registers in 0 8; do
      out="$("$java" --sun-misc-unsafe-memory-access=allow -cp "$jar" io.capipc.benchmarks.PairedRatio 300 10000 "$registers")"
      m() { echo "$out" | grep "^$1" | sed 's/.*median \([0-9.]*\).*/\1/'; }
      printf 'run %d %s %d regs: capipc %s ns floor %s ns capipc/protocol %s protocol/floor %s\n' "$r" "$(basename "$jar" .jar)" "$registers" \
        "$(m 'capipc ns')" "$(m 'floor ns')" "$(m 'capipc / rendezvous')" "$(m 'rendezvous / floor')"
    done
  done
done
