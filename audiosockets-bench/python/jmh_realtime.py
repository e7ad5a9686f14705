#!/usr/bin/env python3
"""Prints a JMH JSON result (-rf json) of LogMelBenchmark as a Markdown table with real-time multiples.

real-time multiple = audio seconds per op / seconds per op; the audio per op is in each
benchmark's name ("500ms" = 0.5 s, "20ms" = 0.02 s), as its javadoc says.

    python3 audiosockets-bench/python/jmh_realtime.py /tmp/logmel.json [/tmp/logmel-gc.json]

With a second file from a `-prof gc` run, its gc.alloc.rate.norm (bytes/op) is added as a column.
"""
import json
import re
import statistics
import sys


def audio_seconds(name):
    m = re.search(r"(\d+)ms", name)
    if not m:
        sys.exit(f"{name}: no NNNms in the name, cannot tell the audio per op")
    return int(m.group(1)) / 1000.0


def to_us(value, unit):
    return value * {"us/op": 1.0, "ns/op": 1e-3, "ms/op": 1e3, "s/op": 1e6}[unit]


def main():
    runs = json.load(open(sys.argv[1]))
    alloc = {}
    if len(sys.argv) > 2:
        for r in json.load(open(sys.argv[2])):
            sec = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            if sec:
                alloc[r["benchmark"]] = sec["score"]
    print("| benchmark | audio/op | score (us/op) | error (99.9%) | real-time multiple | iterations: min / median / max (us/op) |"
          + (" alloc/op |" if alloc else ""))
    print("| --- | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if alloc else ""))
    for r in runs:
        name = r["benchmark"].rsplit(".", 1)[-1]
        pm = r["primaryMetric"]
        score = to_us(pm["score"], pm["scoreUnit"])
        err = to_us(pm["scoreError"], pm["scoreUnit"]) if pm["scoreError"] == pm["scoreError"] else float("nan")
        audio = audio_seconds(name)
        rt = audio * 1e6 / score
        its = sorted(to_us(v, pm["scoreUnit"]) for fork in pm["rawData"] for v in fork)
        row = (f"| `{name}` | {audio * 1000:g} ms | {score:.1f} | ± {err:.1f} | **{rt:,.0f}x** | "
               f"{its[0]:.1f} / {statistics.median(its):.1f} / {its[-1]:.1f} |")
        if alloc:
            a = alloc.get(r["benchmark"])
            row += f" {a:,.0f} B |" if a is not None else " |"
        print(row)


if __name__ == "__main__":
    main()
