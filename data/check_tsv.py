#!/usr/bin/env python3
"""Checks corpus files as data/WRITING.md asks (format, labels, lengths, ids, dates) and prints their
counts. Standard library only; `go test ./data` is the authoritative check.

    python3 data/check_tsv.py data/dispatches_x.tsv [more.tsv …]
"""
import collections
import re
import sys

HEADER = ["id", "date", "source", "title", "labels", "event", "text"]
LABELS = {
    "terrorisme", "migration", "drogue", "parlement", "criminalite-organisee",
    "politique", "conflit", "justice", "diplomatie", "economie", "sante", "sport", "culture",
    "technologie", "environnement",
}
THEMES = ["terrorisme", "migration", "drogue", "parlement", "criminalite-organisee"]
DATE = re.compile(r"^(201[2-9]|202[0-6])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def main(paths):
    bad = 0
    for path in paths:
        ids, texts = set(), set()
        labels = collections.Counter()
        lengths = collections.Counter()
        events = collections.Counter()
        rows = 0
        with open(path, encoding="utf-8") as f:
            head = f.readline().rstrip("\n").split("\t")
            if head != HEADER:
                print(f"{path}:1: header must be {HEADER}, is {head}")
                bad += 1
                continue
            for n, line in enumerate(f, start=2):
                line = line.rstrip("\n")
                if not line.strip():
                    print(f"{path}:{n}: empty line")
                    bad += 1
                    continue
                fields = line.split("\t")
                if len(fields) != 7:
                    print(f"{path}:{n}: {len(fields)} fields, want 7 (a tab inside a field?)")
                    bad += 1
                    continue
                rows += 1
                r = dict(zip(HEADER, fields))
                if not re.match(r"^[A-Z]+-[0-9]{4}$", r["id"]) or r["id"] in ids:
                    print(f"{path}:{n}: id {r['id']!r} malformed or repeated")
                    bad += 1
                ids.add(r["id"])
                if not DATE.match(r["date"]):
                    print(f"{path}:{n}: date {r['date']!r} not YYYY-MM-DD in 2012–2026")
                    bad += 1
                if not r["source"].strip() or not r["title"].strip():
                    print(f"{path}:{n}: empty source or title")
                    bad += 1
                ls = [l.strip() for l in r["labels"].split(",") if l.strip()]
                if not ls or any(l not in LABELS for l in ls) or len(set(ls)) != len(ls):
                    print(f"{path}:{n}: labels {r['labels']!r}: unknown, repeated or none")
                    bad += 1
                for l in ls:
                    labels[l] += 1
                if r["event"]:
                    events[r["event"]] += 1
                w = len(r["text"].split())
                if w < 40 or w > 800:
                    print(f"{path}:{n}: {w} words, want 40 to 800")
                    bad += 1
                lengths["<80" if w < 80 else "80-179" if w < 180 else "180-399" if w < 400 else "400+"] += 1
                key = " ".join(r["text"].lower().split())
                if key in texts:
                    print(f"{path}:{n}: same text as an earlier row")
                    bad += 1
                texts.add(key)
                if r["text"].startswith(r["title"]):
                    print(f"{path}:{n}: the text starts with the title")
                    bad += 1
        for e, c in events.items():
            if c < 2:
                print(f"{path}: event {e} has one report only")
                bad += 1
        print(f"{path}: {rows} rows; labels {dict(labels.most_common())}; lengths {dict(lengths)}; "
              f"{len(events)} events")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
