#!/usr/bin/env python3
"""Turns a JMH JSON result file (benchmarks/run.sh) into the Markdown tables of docs/benchmarks.md.

usage: python3 benchmarks/report.py results.json [more.json ...]
With several files, a benchmark in a later file replaces the same benchmark (and params) of an
earlier one: for rerunning part of a run. Standard library only.
"""
import json
import sys

FLOOR_SPIN = "Floors.spinPingPong"
FLOOR_PARK = "Floors.parkUnparkRoundTrip"
# The protocol floor (RendezvousPingPong), per register count, without and with a lock: a Call is
# compared with the ones that carry as many registers, when there are.
RENDEZVOUS = "Floors.rendezvousRoundTrip"
PEERS = ["Peers.synchronousQueueRoundTrip", "Peers.exchangerRoundTrip", "Peers.jctoolsSpscRoundTrip",
         "Peers.agronaOneToOneRoundTrip", "Peers.virtualSynchronousQueueRoundTrip"]
# Request/response frameworks (Frameworks.java), measured by the full run only: their columns appear
# when the results hold them.
FRAMEWORKS = ["Frameworks.pekkoAskRoundTrip", "Frameworks.grpcInProcessDirectRoundTrip",
              "Frameworks.grpcInProcessDefaultRoundTrip", "Frameworks.vertxEventBusRoundTrip"]


def none_or_float(x):
    return None if x is None else float(x)


def load(path):
    rows = {}
    for r in json.load(open(path)):
        name = r["benchmark"].replace("io.capipc.benchmarks.", "")
        params = ", ".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
        pm = r["primaryMetric"]
        alloc = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {})
        rows[(name, params)] = {
            # JMH writes the error of a single measurement as the string "NaN": float() reads both.
            "score": float(pm["score"]), "error": float(pm["scoreError"]), "unit": pm["scoreUnit"],
            "alloc": none_or_float(alloc.get("score")), "alloc_error": none_or_float(alloc.get("scoreError")),
        }
    return rows


def fmt_time(ns, err):
    if err != err:  # NaN: a single measurement
        err = 0.0
    if ns >= 10_000:
        return f"{ns / 1000:,.1f} ± {err / 1000:,.1f} us"
    return f"{ns:,.1f} ± {err:,.1f} ns"


def fmt_ratio(x):
    """Three significant digits (the frameworks' ratios are around 0.01-0.03), no exponent."""
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"


def main(paths):
    rows = {}
    for path in paths:
        rows.update(load(path))
    print("| Benchmark | Params | Time per op | Alloc (B/op) |")
    print("|---|---|---:|---:|")
    for (name, params), r in rows.items():
        alloc = "n/a" if r["alloc"] is None else f"{r['alloc']:.3f}"
        print(f"| {name} | {params} | {fmt_time(r['score'], r['error'])} | {alloc} |")

    base = {n: r["score"] for (n, p), r in rows.items() if p == ""}
    refs = [FLOOR_SPIN, FLOOR_PARK] + PEERS + FRAMEWORKS
    refs = [x for x in refs if x in base]
    print()
    print("Ratio of each capipc figure to the floors, peers and frameworks (time / their time; < 1 is faster):")
    print()
    print("| capipc | Params | " + " | ".join(x.split(".")[1] for x in refs)
          + " | rendezvous, same registers | rendezvous locked, same registers |")
    print("|---|---|" + "---:|" * (len(refs) + 2))
    for (name, params), r in rows.items():
        if name.startswith(("Calls.", "Messages.", "Oversubscribed.callReplyWait", "Scale.")):
            cells = [fmt_ratio(r['score'] / base[x]) for x in refs]
            registers = dict(p.split("=") for p in params.split(", ") if p).get("registers")
            for locked in ("false", "true"):
                protocol = rows.get((RENDEZVOUS, f"locked={locked}, registers={registers}"))
                if protocol is None and locked == "false":  # results from before the locked param
                    protocol = rows.get((RENDEZVOUS, f"registers={registers}"))
                cells.append(fmt_ratio(r['score'] / protocol["score"]) if protocol else "")
            print(f"| {name} | {params} | " + " | ".join(cells) + " |")

    print()
    print("Read/Write bandwidth (2 x bytes moved per op) against the same two MemorySegment.copy calls:")
    print()
    print("| Bytes | callReadWrite | memorySegmentCopy | capipc / copy bandwidth |")
    print("|---:|---:|---:|---:|")
    for (name, params), r in rows.items():
        if name == "Buffers.callReadWrite":
            # callReadWrite also has spinMicros; memorySegmentCopy only bytes.
            values = dict(p.split("=") for p in params.split(", "))
            nbytes = int(values["bytes"])
            copy = rows.get(("Buffers.memorySegmentCopy", f"bytes={nbytes}"))
            gbs = 2 * nbytes / r["score"]
            if copy:
                cgbs = 2 * nbytes / copy["score"]
                spin = f" (spin {values['spinMicros']} us)" if "spinMicros" in values else ""
                print(f"| {nbytes:,}{spin} | {gbs:.2f} GB/s | {cgbs:.2f} GB/s | {gbs / cgbs:.0%} |")


def forks(paths, names):
    """The per-fork iteration scores of the named benchmarks: this VM's handoffs are bimodal."""
    for path in paths:
        for r in json.load(open(path)):
            name = r["benchmark"].replace("io.capipc.benchmarks.", "")
            if name in names:
                params = ", ".join(f"{k}={v}" for k, v in sorted((r.get("params") or {}).items()))
                raw = r["primaryMetric"]["rawData"]
                print(f"| {name} | {params} | " + " / ".join(", ".join(f"{x:.0f}" for x in f) for f in raw) + " |")


if __name__ == "__main__":
    files = sys.argv[1:] or ["benchmarks/results-quick.json"]
    main(files)
    print()
    print("Per-fork iterations (ns/op; forks separated by /):")
    print()
    print("| Benchmark | Params | Iterations |")
    print("|---|---|---|")
    forks(files, {FLOOR_SPIN, RENDEZVOUS, "Calls.callReplyWait", "Peers.jctoolsSpscRoundTrip", "Peers.agronaOneToOneRoundTrip",
                  "Peers.exchangerRoundTrip", "Messages.sendToRecv"})
