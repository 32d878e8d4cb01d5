#!/usr/bin/env python3
"""Prints the statistics of the built-in corpus (data/*.tsv) that data/README.md reports: counts per label
and per label pair, label-set sizes, lengths, sources, years, event groups. Standard library only.

    python3 data/datasheet.py
"""
import collections
import glob
import os
import statistics

here = os.path.dirname(os.path.abspath(__file__))
rows = []
for path in sorted(glob.glob(os.path.join(here, "*.tsv"))):
    with open(path, encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(head, line.rstrip("\n").split("\t")))
            r["file"] = os.path.basename(path)
            rows.append(r)

labels = collections.Counter()
pairs = collections.Counter()
sizes = collections.Counter()
sources = collections.Counter()
years = collections.Counter()
events = collections.defaultdict(list)
words = []
per_file = collections.Counter()
for r in rows:
    ls = sorted(l for l in r["labels"].split(",") if l)
    labels.update(ls)
    sizes[len(ls)] += 1
    for i in range(len(ls)):
        for j in range(i + 1, len(ls)):
            pairs[(ls[i], ls[j])] += 1
    sources[r["source"]] += 1
    years[r["date"][:4]] += 1
    if r.get("event"):
        events[r["event"]].append(r["id"])
    words.append(len(r["text"].split()))
    per_file[r["file"]] += 1

themes = {"terrorisme", "migration", "drogue", "parlement", "criminalite-organisee"}
off = sum(1 for r in rows if not (set(r["labels"].split(",")) & themes))
print(f"dispatches: {len(rows)}; files: {dict(per_file)}")
print(f"off-theme (no security or parliament label): {off}")
print("labels:", ", ".join(f"{l} {n}" for l, n in labels.most_common()))
print("label-set sizes:", dict(sorted(sizes.items())))
print("pairs:", ", ".join(f"{a}+{b} {n}" for (a, b), n in pairs.most_common()))
print(f"words per text: min {min(words)}, median {statistics.median(words):.0f}, mean {statistics.mean(words):.0f}, max {max(words)}")
print(f"sources: {len(sources)}; most common:", ", ".join(f"{s} {n}" for s, n in sources.most_common(8)))
print("years:", ", ".join(f"{y} {n}" for y, n in sorted(years.items())))
print(f"event groups: {len(events)} ({sum(len(v) for v in events.values())} reports)")
