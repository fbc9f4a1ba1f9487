#!/usr/bin/env python3
"""Markdown table of SmimeBenchmark results (JMH -rf json files): Pont vs raw Bouncy Castle.

    bench/scripts/jmh-ratios.py result-10240.json result-1048576.json

Error bars are JMH's 99.9% confidence half-widths; the ratio's is propagated from both
(relative errors added in quadrature), which is rough when they are large.
"""
import json
import math
import sys

rows = {}
for path in sys.argv[1:]:
    for r in json.load(open(path)):
        name = r["benchmark"].rsplit(".", 1)[1]
        size = int(r["params"]["size"])
        op, side = (name[:-4], "pont") if name.endswith("Pont") else (name[:-5], "bc")
        m = r["primaryMetric"]
        rows.setdefault((op, size), {})[side] = (m["score"], m["scoreError"])

print("| Operation | Size | Pont ops/s | raw BC ops/s | Pont / BC |")
print("|---|---:|---:|---:|---:|")
order = ["sign", "encrypt", "verify", "decrypt"]
for (op, size) in sorted(rows, key=lambda k: (order.index(k[0]) if k[0] in order else 9, k[1])):
    p, b = rows[(op, size)].get("pont"), rows[(op, size)].get("bc")
    if not p or not b:
        continue
    ratio = p[0] / b[0]
    err = ratio * math.sqrt((p[1] / p[0]) ** 2 + (b[1] / b[0]) ** 2)
    label = "10 KB" if size < 100_000 else "1 MB"
    print(f"| {op} | {label} | {p[0]:,.1f} ± {p[1]:,.1f} | {b[0]:,.1f} ± {b[1]:,.1f} | {ratio:.2f} ± {err:.2f} |")
