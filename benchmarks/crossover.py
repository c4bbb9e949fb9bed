#!/usr/bin/env python3
"""Turns the crossover benchmark's JMH JSON (benchmarks/run.sh crossover) into docs/crossover.svg,
benchmarks/thresholds.properties (read by io.capipc.servers.channel.SizeStrategy.load) and a Markdown
table on standard output.

usage: python3 benchmarks/crossover.py [results.json] [svg] [thresholds]
Defaults: benchmarks/results-crossover.json docs/crossover.svg benchmarks/thresholds.properties.
Standard library only.

Bandwidth is bytes / round-trip time for every method (copy moves the bytes there and back, as the
others do), so the ratio of two bandwidths is the inverse ratio of their times.
"""
import json
import math
import os
import sys
import time

METHODS = ["registers", "readWrite", "movedRegion", "channel", "copy"]
LABELS = {"registers": "registers (Call)", "readWrite": "Call with Read/Write", "movedRegion": "moved region",
          "channel": "channel", "copy": "MemorySegment.copy"}
COLOURS = {"registers": "#1b9e77", "readWrite": "#d95f02", "movedRegion": "#7570b3", "channel": "#e7298a",
           "copy": "#444444"}


def load(path):
    """{method: {bytes: ns per round trip}}"""
    out = {m: {} for m in METHODS}
    for r in json.load(open(path)):
        method = r["benchmark"].rsplit(".", 1)[1]
        if method not in out:
            continue
        pm = r["primaryMetric"]
        scale = {"ns/op": 1.0, "us/op": 1e3, "ms/op": 1e6}[pm["scoreUnit"]]
        out[method][int(r["params"]["bytes"])] = float(pm["score"]) * scale
    return out


def size(b):
    for unit, n in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= n:
            return f"{b // n} {unit}"
    return f"{b} B"


def gbps(b, ns):
    return b / ns  # bytes per ns = GB/s


def thresholds(data):
    capipc = [m for m in METHODS if m != "copy"]
    sizes = sorted(set().union(*[set(data[m]) for m in capipc]))

    def best(b, among):
        have = [(data[m][b], m) for m in among if b in data[m]]
        return min(have)[1] if have else None

    # Registers compete with the other one-shot transports; a channel needs a setup Call first, so it is
    # proposed for sustained traffic only (SizeStrategy.propose), against its own threshold.
    one_shot = ["registers", "readWrite", "movedRegion"]
    registers_max = max([b for b in sizes if best(b, one_shot) == "registers"], default=0)
    rw_max = max([b for b in sizes if b in data["readWrite"] and b in data["movedRegion"]
                  and data["readWrite"][b] < data["movedRegion"][b]], default=0)
    ch_max = max([b for b in sizes if b in data["channel"] and all(
        data["channel"][b] < data[m][b] for m in ("readWrite", "movedRegion") if b in data[m])], default=0)
    return min(registers_max, 512), rw_max, ch_max


def svg(data, path):
    w, h, left, right, top, bottom = 760, 460, 70, 190, 30, 50
    pts = [(b, gbps(b, ns)) for m in METHODS for b, ns in data[m].items()]
    xs = [math.log10(b) for b, _ in pts]
    ys = [math.log10(g) for _, g in pts]
    x0, x1 = min(xs), max(xs)
    y0, y1 = math.floor(min(ys)), math.ceil(max(ys))

    def X(b):
        return left + (math.log10(b) - x0) / (x1 - x0) * (w - left - right)

    def Y(g):
        return top + (y1 - math.log10(g)) / (y1 - y0) * (h - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
           f'<rect width="{w}" height="{h}" fill="white"/>',
           f'<text x="{left}" y="18" font-size="13">Round trip of N bytes: bandwidth (bytes / round-trip time), log-log</text>']
    for e in range(y0, y1 + 1):
        y = Y(10 ** e)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{10 ** e:g} GB/s</text>')
    sizes = sorted({b for b, _ in pts})
    for b in sizes:
        x = X(b)
        out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{h - bottom}" stroke="#eee"/>')
        out.append(f'<text x="{x:.1f}" y="{h - bottom + 16}" text-anchor="middle" font-size="9">{size(b)}</text>')
    out.append(f'<text x="{(left + w - right) / 2}" y="{h - 12}" text-anchor="middle">message size</text>')
    for i, m in enumerate(METHODS):
        series = sorted(data[m].items())
        if not series:
            continue
        c = COLOURS[m]
        path_d = " ".join(f"{'M' if j == 0 else 'L'}{X(b):.1f},{Y(gbps(b, ns)):.1f}" for j, (b, ns) in enumerate(series))
        dash = ' stroke-dasharray="5,3"' if m == "copy" else ""
        out.append(f'<path d="{path_d}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
        for b, ns in series:
            out.append(f'<circle cx="{X(b):.1f}" cy="{Y(gbps(b, ns)):.1f}" r="2.5" fill="{c}"/>')
        ly = top + 20 + 18 * i
        out.append(f'<line x1="{w - right + 12}" y1="{ly - 4}" x2="{w - right + 32}" y2="{ly - 4}" stroke="{c}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{w - right + 38}" y="{ly}">{LABELS[m]}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def table(data):
    sizes = sorted(set().union(*[set(v) for v in data.values()]))
    lines = ["| size | " + " | ".join(LABELS[m] for m in METHODS) + " | best capipc / copy bandwidth |",
             "|---" * (len(METHODS) + 2) + "|"]
    for b in sizes:
        cells = []
        for m in METHODS:
            ns = data[m].get(b)
            cells.append("" if ns is None else f"{ns / 1000:.2f} us, {gbps(b, ns):.2f} GB/s")
        capipc = [data[m][b] for m in METHODS if m != "copy" and b in data[m]]
        ratio = f"{data['copy'][b] / min(capipc):.2f}" if capipc and b in data["copy"] else ""
        lines.append(f"| {size(b)} | " + " | ".join(cells) + f" | {ratio} |")
    return "\n".join(lines)


def main():
    args = sys.argv[1:]
    src = args[0] if len(args) > 0 else "benchmarks/results-crossover.json"
    out_svg = args[1] if len(args) > 1 else "docs/crossover.svg"
    out_props = args[2] if len(args) > 2 else "benchmarks/thresholds.properties"
    data = load(src)
    svg(data, out_svg)
    reg, rw, ch = thresholds(data)
    stamp = time.strftime("%Y-%m-%d", time.gmtime(os.path.getmtime(src)))
    with open(out_props, "w") as f:
        f.write("# capipc size strategy thresholds, written by benchmarks/crossover.py from the crossover run\n")
        f.write(f"registersMax={reg}\nreadWriteMax={rw}\nchannelMax={ch}\n")
        f.write(f"source={os.path.basename(src)} of {stamp}\n")
    print(table(data))
    print()
    print(f"registersMax={reg} readWriteMax={rw} channelMax={ch} -> {out_props}; chart -> {out_svg}")


if __name__ == "__main__":
    main()
