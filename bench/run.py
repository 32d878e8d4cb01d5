#!/usr/bin/python3
"""Runs depeche and its peers on the same data, alternating them, and prints one table (bench/peers.sh).

Every row is a ratio against a peer measured in the same run: machines here are noisy (a shared 2-core VM).
Whole-process timings use fresh processes; peak RSS comes from the kernel's rusage of each child.
"""
import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time


def run(cmd, stdin=None, env=None):
    """Runs cmd, returns (seconds, peak RSS MB, stdout)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as f:
        p = subprocess.run(cmd, stdin=f, capture_output=True, env=env)
    secs = time.perf_counter() - t0
    if p.returncode != 0:
        sys.stderr.write(p.stderr.decode(errors="replace"))
        raise SystemExit(f"failed: {' '.join(cmd)}")
    # ru_maxrss of children is the max over all children so far: run each measured child via /usr/bin/time
    return secs, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def timed(cmd, stdin=None, env=None):
    """Runs cmd under /usr/bin/time -f %M, returns (seconds, peak RSS MB, stdout)."""
    secs, out, err = run(["/usr/bin/time", "-f", "RSS_KB=%M"] + cmd, stdin, env)
    rss = 0.0
    for line in err.splitlines():
        if line.startswith("RSS_KB="):
            rss = int(line[7:]) / 1024
    return secs, rss, out


def gobench(test_bin, pattern, corpus, benchtime="1x"):
    env = dict(os.environ, DEPECHE_BENCH_CORPUS=corpus)
    secs, rss, out = timed([test_bin, "-test.run", "^$", "-test.bench", pattern, "-test.benchtime", benchtime], env=env)
    metrics = {}
    for line in out.splitlines():
        if line.startswith("Benchmark"):
            f = line.split()
            for v, unit in zip(f[2::2], f[3::2]):
                try:
                    metrics[unit] = float(v)
                    # and per sub-benchmark: BenchmarkX/docs=100000-2 -> ("docs=100000", unit)
                    if "/" in f[0]:
                        metrics[(f[0].split("/", 1)[1].rsplit("-", 1)[0], unit)] = float(v)
                except ValueError:
                    pass
    return metrics, rss


def peer_json(cmd):
    secs, rss, out = timed(cmd)
    rows = [json.loads(l) for l in out.splitlines() if l.startswith("{")]
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, default=100000)
    ap.add_argument("--repeats", type=int, default=2)
    a = ap.parse_args()
    B = os.path.join(a.shared, "bench")
    dep = os.path.join(a.out, "depeche")
    tb = os.path.join(a.out, "bench.test")
    py = "/usr/bin/python3"
    n = a.size
    corpus = os.path.join(a.out, f"corpus_{n}.tsv")
    if not os.path.exists(corpus):
        run([py, f"{B}/make_corpus.py", corpus, str(n), "--shared", a.shared])
    mn = os.path.join(a.shared, "datasets", "masakhanews-fra")
    train, test = os.path.join(a.out, "mn_train100k.tsv"), os.path.join(a.out, "mn_test10k.tsv")
    if not os.path.exists(train):
        run([py, f"{B}/make_corpus.py", train, "100000", "--seed", "1", "--sources", f"{mn}/train.tsv", f"{mn}/dev.tsv"])
        run([py, f"{B}/make_corpus.py", test, "10000", "--seed", "2", "--sources", f"{mn}/test.tsv"])
    rows = []

    def row(op, ours, peer, peer_name, unit, better, target, rss_ours=None, rss_peer=None, note=""):
        ratio = ours / peer if better == "higher" else peer / ours
        rows.append(dict(op=op, ours=ours, peer=peer, peer_name=peer_name, unit=unit, ratio=ratio, target=target,
                         rss_ours=rss_ours, rss_peer=rss_peer, note=note))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)

    # 1. analysis + TF-IDF fit, word 1-2 grams (A B A B)
    ours, peer = [], []
    for _ in range(a.repeats):
        m, rss_o = gobench(tb, "BenchmarkCorpusFit", corpus)
        ours.append(m["MB/s"])
        r = peer_json([py, f"{B}/peers_vectorize.py", corpus, "--configs", "tfidf_word12", "--json"])[0]
        peer.append(r["mb_per_s"])
        rss_p = r.get("peak_rss_mb")
    row(f"analysis + TF-IDF fit, {n} docs (word 1-2-grams, min_df 2)", statistics.median(ours), statistics.median(peer),
        "sklearn TfidfVectorizer", "MB/s", "higher", ">= 3x", rss_o, rss_p)

    # 2. train on 100k labeled docs, and macro-F1 on the disjoint 10k test
    ours_t, f1s, rss_ours = [], [], 0
    model = os.path.join(a.out, "bench.depeche")
    peer_rows = {}
    for _ in range(a.repeats):
        s, rss_ours, _ = timed([dep, "train", "--folds", "1", "--model", model, train])
        ours_t.append(s)
        _, out, _ = run([dep, "eval", "--json", "--model", model, test])
        f1s.append(json.loads(out)["macro_f1"])
        for r in peer_json([py, f"{B}/peers_classify.py", train, test, "--configs", "sk_word12_linearsvc,ft_default", "--json"]):
            peer_rows.setdefault(r["name"], []).append(r)
    sk = peer_rows["sk_word12_linearsvc"]
    ft = peer_rows["ft_default"]
    sk_t = statistics.median(r["fit_seconds"] for r in sk)
    ft_t = statistics.median(r["fit_seconds"] for r in ft)
    note = f"macro-F1 depeche {statistics.median(f1s):.3f}, sklearn {statistics.median(r['macro_f1'] for r in sk):.3f}, fastText {statistics.median(r['macro_f1'] for r in ft):.3f}"
    row("train, 100k labeled docs (vectorize + classifier)", statistics.median(ours_t), sk_t, "sklearn TfidfVectorizer+LinearSVC",
        "s", "lower", "<= 0.5x time (ratio >= 2)", rss_ours, statistics.median(r["peak_rss_mb"] for r in sk), note)
    row("train, 100k labeled docs (vs fastText)", statistics.median(ours_t), ft_t, "fastText supervised (default)",
        "s", "lower", "<= 2x time (ratio >= 0.5)", rss_ours, statistics.median(r["peak_rss_mb"] for r in ft), note)

    # 3. classify one article, whole process, built-in model vs loading a pickled sklearn pipeline
    article = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "tanger.txt")
    pipe = os.path.join(a.out, "sk_pipeline.joblib")
    data_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data")
    run([py, os.path.join(os.path.dirname(os.path.abspath(__file__)), "sk_pipeline.py"), "fit", data_dir, pipe])
    ours_c, peer_c = [], []
    for _ in range(10):
        ours_c.append(timed([dep, "classify", "--json"], stdin=article)[0])
        peer_c.append(timed([py, os.path.join(os.path.dirname(os.path.abspath(__file__)), "sk_pipeline.py"), "predict", pipe], stdin=article)[0])
    row("classify one article, whole process (median of 10)", statistics.median(ours_c) * 1000, statistics.median(peer_c) * 1000,
        "python3 + joblib.load(sklearn pipeline) + predict", "ms", "lower", "<= 30 ms and >= 10x")

    # 4. add the corpus into an archive (docs/s), then similar cold, whole process
    db = os.path.join(a.out, f"archive_{n}.db")
    if os.path.exists(db):
        os.remove(db)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    s, rss_add, out = timed([dep, "add", "--no-near-duplicates", "--archive", db, corpus])
    rows.append(dict(op=f"add {n} docs into a new archive", ours=n / s, peer=None, peer_name="-", unit="docs/s", ratio=None,
                     target=">= 5000 docs/s", rss_ours=rss_add, rss_peer=None, note=out.strip()))
    qfile = os.path.join(a.out, "query.txt")
    with open(corpus, encoding="utf-8") as f:
        f.readline()
        for i, line in enumerate(f):
            if i == 4242 % n:
                open(qfile, "w", encoding="utf-8").write(line.split("\t")[-1])
                break
    cold = []
    for _ in range(10):
        s, rss_cold, _ = timed([dep, "similar", "--json", "--archive", db], stdin=qfile)
        cold.append(s)
    rows.append(dict(op=f"similar top-10, {n} archive, whole process, cold (median of 10)", ours=statistics.median(cold) * 1000,
                     peer=None, peer_name="-", unit="ms", ratio=None, target="<= 300 ms", rss_ours=rss_cold, rss_peer=None, note=""))

    # 5. similar warm vs sklearn's inverted-index query (gensim is slower than sklearn: shared/bench/README.md),
    # medians of raw text -> top 10, at 10k (the corpus's first 10k docs, a file of its own for the peer) and n
    small = os.path.join(a.out, "corpus_10000.tsv")
    if not os.path.exists(small):
        with open(corpus, encoding="utf-8") as f, open(small + ".tmp", "w", encoding="utf-8") as g:
            for i, line in enumerate(f):
                if i > 10000:
                    break
                g.write(line)
        os.rename(small + ".tmp", small)
    for size, file in ((10000, small), (n, corpus)):
        ours_w, peer_w = [], []
        for _ in range(a.repeats):
            m, rss_w = gobench(tb, "BenchmarkCorpusSimilarWarm", file, "400x")
            ours_w.append(m[(f"docs={size}", "p50-µs/query")] / 1000)
            r = peer_json([py, f"{B}/peers_similar.py", file, "--engines", "sklearn", "--queries", "200", "--json"])[0]
            peer_w.append(r["query_ms_p50"])
            rss_pw = r["peak_rss_mb"]
        row(f"similar top-10, {size} docs, warm (in memory, median)", statistics.median(ours_w), statistics.median(peer_w),
            "sklearn q @ X.T + argpartition", "ms/query", "lower", ">= 10x", rss_w, rss_pw)

    # 6. the pairwise matrix of 5000 docs
    ours_m, peer_m = [], []
    for _ in range(a.repeats):
        m, rss_m = gobench(tb, "BenchmarkCorpusMatrix", corpus, "3x")
        ours_m.append(5000 * 4999 / 2 / m["pairs/s"])
        r = peer_json([py, f"{B}/peers_similar.py", corpus, "--engines", "matrix", "--json"])[0]
        peer_m.append(r["matrix_seconds"])
    row("matrix of 5000 docs (cosine of every pair)", statistics.median(ours_m), statistics.median(peer_m),
        "sklearn cosine_similarity(X)", "s", "lower", ">= 3x")

    print(f"# machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; python {platform.python_version()}")
    print("| operation | depeche | peer | ratio | target | peak RSS depeche / peer (MB) | note |")
    print("|---|---:|---:|---:|---|---|---|")
    for r in rows:
        peer = "-" if r["peer"] is None else f"{r['peer']:.3g} {r['unit']} ({r['peer_name']})"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}x"
        rss = f"{r['rss_ours'] or 0:.0f} / {r['rss_peer'] or 0:.0f}" if r["rss_ours"] else "-"
        print(f"| {r['op']} | {r['ours']:.3g} {r['unit']} | {peer} | {ratio} | {r['target']} | {rss} | {r['note']} |")


if __name__ == "__main__":
    main()
