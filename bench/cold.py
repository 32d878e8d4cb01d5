#!/usr/bin/env python3
"""Whole-process `depeche similar` timings, binaries alternating run by run (issue 13's cold rows).

usage: cold.py RUNS ARCHIVE QUERY_FILE BINARY [BINARY ...]
prints, for each binary, the median wall time and CPU time (user + sys) of RUNS runs of
`BINARY similar --json --archive ARCHIVE < QUERY_FILE`, the peak RSS of all the runs, and checks that
every binary prints the same JSON.
"""
import os
import resource
import subprocess
import sys
import time

runs, archive, query, bins = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
res = {b: [] for b in bins}
outs = {}
for _ in range(runs):
    for b in bins:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with open(query, "rb") as q:
            p = subprocess.run([b, "similar", "--json", "--archive", archive], stdin=q, capture_output=True)
        wall = (time.perf_counter() - t0) * 1000
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            sys.exit(f"{b}: exit {p.returncode}: {p.stderr.decode()[:300]}")
        outs.setdefault(b, p.stdout)
        cpu = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000
        res[b].append((wall, cpu))
for b in bins:
    w = sorted(x[0] for x in res[b])
    c = sorted(x[1] for x in res[b])
    print(f"{os.path.basename(b)}: wall median {w[runs // 2]:.1f} ms (min {w[0]:.1f}), CPU median {c[runs // 2]:.1f} ms")
print(f"peak RSS of the runs: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
if len(set(outs.values())) > 1:
    sys.exit("the binaries' JSON differ")
