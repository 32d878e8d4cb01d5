#!/usr/bin/env python3
"""`depeche serve` start-up and resident memory over 1,000 similar queries (issue 13's serve rows).

usage: serve_rss.py BINARY ARCHIVE CORPUS_TSV [PORT]
starts BINARY serve on loopback over ARCHIVE, times exec → first 200 of POST /v1/similar, then sends
1,000 POST /v1/similar (k = 10) from 2 client threads, the texts of every 997th row of CORPUS_TSV, and
prints the latencies' median and 99th percentile and VmRSS / RssAnon / RssFile (MB) at the first answer
and after the 1,000 (from /proc/PID/status).
"""
import json
import subprocess
import sys
import threading
import time
import urllib.request

binary, archive, corpus = sys.argv[1:4]
port = sys.argv[4] if len(sys.argv) > 4 else "8799"
rows = []
with open(corpus, encoding="utf-8") as f:
    for i, line in enumerate(f):
        if i > 0 and i % 997 == 0:
            rows.append(line.split("\t", 1)[1].strip())
        if len(rows) == 1000:
            break


def rss(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "RssAnon", "RssFile")):
                k, v = line.split(":")
                out[k] = int(v.split()[0]) // 1024
    return out


def query(text):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/similar", data=json.dumps({"text": text, "k": 10}).encode(),
                                 headers={"Content-Type": "application/json"})
    return urllib.request.urlopen(req, timeout=120).read()


t0 = time.time()
p = subprocess.Popen([binary, "serve", "--archive", archive, "--addr", "127.0.0.1:" + port],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    while True:
        try:
            query(rows[0])
            break
        except OSError:
            if time.time() - t0 > 300:
                sys.exit("serve did not answer in 300 s")
            time.sleep(0.05)
    start, first = time.time() - t0, rss(p.pid)
    lat = []

    def worker(part):
        for t in part:
            s = time.time()
            query(t)
            lat.append((time.time() - s) * 1000)

    threads = [threading.Thread(target=worker, args=(rows[i::2],)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat.sort()
    print(f"{binary}: start-up {start:.2f} s; RSS at first answer {first}; after 1,000 queries {rss(p.pid)}; "
          f"p50 {lat[len(lat) // 2]:.1f} ms, p99 {lat[int(len(lat) * 0.99)]:.1f} ms")
finally:
    p.terminate()
    p.wait()
