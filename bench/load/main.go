// Command load measures "depeche serve" under load on loopback: CLIENTS concurrent clients classify,
// search similar dispatches and search the archive's words for DURATION against an archive, while another
// process ("depeche add", then "depeche label") adds dispatches and labels some. It reports errors,
// p50/p99 per endpoint, throughput, when the server saw the writes, and the server's RSS at start-up,
// at its peak and at the end.
//
//	go build -o /tmp/depeche ./cmd/depeche
//	go run ./bench/load -depeche /tmp/depeche -archive base.db -add extra.tsv [-clients 16] [-duration 60s]
//
// The archive is copied first (the copy is served and written; the original is left as it is). The corpus
// comes from ../shared/bench/make_corpus.py (bench/load/README.md says how). The server listens on
// 127.0.0.1 only: this program refuses any other address.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	var (
		bin      = flag.String("depeche", "bin/depeche", "the depeche binary to serve with")
		src      = flag.String("archive", "", "the archive to serve (copied first)")
		add      = flag.String("add", "", "a .tsv of dispatches another process adds during the run, in -batches parts")
		batches  = flag.Int("batches", 2, "how many \"depeche add\" commands add the -add file")
		labels   = flag.Int("labels", 100, "how many \"depeche label\" commands the other process runs")
		clients  = flag.Int("clients", 16, "concurrent clients")
		duration = flag.Duration("duration", 60*time.Second, "how long the clients run")
		writeAt  = flag.Duration("write-after", 5*time.Second, "when the other process starts writing")
		queries  = flag.Int("queries", 500, "how many query texts")
		qfrom    = flag.String("queries-from", "", "the .tsv the query texts come from, every 97th row (default: base_*.tsv beside -add, the archive's source)")
		work     = flag.String("work", "", "work directory (default: a new temporary one, removed after)")
		maxHeavy = flag.Int("max-heavy", 0, "serve --max-heavy (0: serve's default)")
		addr     = flag.String("addr", "127.0.0.1:0", "the address serve listens on: 127.0.0.1 only")
		cpuprof  = flag.String("cpuprofile", "", "write serve's CPU profile to FILE (DEPECHE_CPUPROFILE)")
		traceTo  = flag.String("trace", "", "write serve's execution trace to FILE (DEPECHE_TRACE)")
		noWrite  = flag.Bool("no-write", false, "no other process writes: the server alone, for comparison")
		samples  = flag.String("samples", "", "write every request's start (s), endpoint and duration (ms) to FILE, a TSV")
	)
	flag.Parse()
	if err := run(*bin, *src, *add, *batches, *labels, *clients, *duration, *writeAt, *queries, *qfrom, *work, *maxHeavy, *addr, *cpuprof, *traceTo, *noWrite, *samples); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

func run(bin, src, add string, batches, nlabels, clients int, duration, writeAt time.Duration, nq int, qfrom, work string, maxHeavy int, addr, cpuprof, traceTo string, noWriteFlag bool, samplesTo string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host != "127.0.0.1" {
		return fmt.Errorf("-addr %q: this benchmark listens on 127.0.0.1 only", addr)
	}
	if noWriteFlag {
		batches, nlabels = 0, 0
	}
	if src == "" || add == "" {
		return errors.New("give -archive (to serve) and -add (to add during the run)")
	}
	if work == "" {
		if work, err = os.MkdirTemp("", "depeche-load-"); err != nil {
			return err
		}
		defer os.RemoveAll(work)
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	db := filepath.Join(work, filepath.Base(src))
	if err := copyFile(src, db); err != nil {
		return err
	}
	home := filepath.Join(work, "home")
	os.MkdirAll(home, 0o755)

	if qfrom == "" {
		qfrom = add
		if srcs, _ := filepath.Glob(filepath.Join(filepath.Dir(add), "base_*.tsv")); len(srcs) > 0 {
			qfrom = srcs[0]
		}
	}
	qtexts, err := queryTexts(qfrom, nq)
	if err != nil {
		return err
	}
	parts, addedIDs, err := split(add, batches, work)
	if err != nil {
		return err
	}

	// the server
	logPath := filepath.Join(work, "serve.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	args := []string{"--home", home, "serve", "--addr", addr, "--archive", db, "--log-format", "json"}
	if maxHeavy > 0 {
		args = append(args, "--max-heavy", strconv.Itoa(maxHeavy))
	}
	srv := exec.Command(bin, args...)
	srv.Stderr = logf
	srv.Env = os.Environ()
	if cpuprof != "" {
		srv.Env = append(srv.Env, "DEPECHE_CPUPROFILE="+cpuprof)
	}
	if traceTo != "" {
		srv.Env = append(srv.Env, "DEPECHE_TRACE="+traceTo)
	}
	start := time.Now()
	if err := srv.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	defer func() { // SIGTERM: serve drains and closes the archive
		srv.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(60 * time.Second):
			srv.Process.Kill()
		}
	}()
	base, err := waitServing(logPath, exited, 10*time.Minute)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		return fmt.Errorf("serve listens on %s, not on 127.0.0.1", base)
	}
	fmt.Fprintf(os.Stderr, "load: serve ready in %.1f s on %s\n", time.Since(start).Seconds(), base)
	rssStart := rss(srv.Process.Pid)
	anonStart, fileStart := rssParts(srv.Process.Pid)
	weighedStart := weighedBytes(base)
	n0 := readyCount(base)

	// the RSS sampler
	var peak atomic.Int64
	peak.Store(rssStart)
	stopRSS := make(chan struct{})
	go func() {
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stopRSS:
				return
			case <-t.C:
				if r := rss(srv.Process.Pid); r > peak.Load() {
					peak.Store(r)
				}
			}
		}
	}()

	// the other process: adds, then labels; then when the server sees it all
	type writeResult struct {
		addDone, labelDone time.Duration
		seenAdds, seenLabs time.Duration
		err                error
	}
	writes := make(chan writeResult, 1)
	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	runStart := time.Now()
	go func() {
		var wr writeResult
		defer func() { writes <- wr }()
		time.Sleep(writeAt)
		for _, p := range parts {
			out, err := exec.Command(bin, "--home", home, "add", "-q", "--no-near-duplicates", "--archive", db, p).CombinedOutput()
			if err != nil {
				wr.err = fmt.Errorf("add %s: %v: %s", p, err, out)
				return
			}
		}
		wr.addDone = time.Since(runStart)
		for i := range nlabels {
			id := addedIDs[i*len(addedIDs)/nlabels]
			if out, err := exec.Command(bin, "--home", home, "label", "-q", "--archive", db, id, "bench-label").CombinedOutput(); err != nil {
				wr.err = fmt.Errorf("label %s: %v: %s", id, err, out)
				return
			}
		}
		wr.labelDone = time.Since(runStart)
		want := n0 + len(addedIDs)
		for time.Since(runStart) < duration+2*time.Minute {
			if wr.seenAdds == 0 && readyCount(base) == want {
				wr.seenAdds = time.Since(runStart)
			}
			if wr.seenLabs == 0 && labelTotal(base, "bench-label") == nlabels {
				wr.seenLabs = time.Since(runStart)
			}
			if wr.seenAdds > 0 && wr.seenLabs > 0 {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}()

	// the clients
	type sample struct {
		op      int
		at, dur time.Duration // at: when it started, from runStart
	}
	const (
		opClassify = iota
		opSimilar
		opSearch
		nops
	)
	names := [nops]string{"POST /v1/classify", "POST /v1/similar (k=10)", "GET /v1/dispatches?q= (search)"}
	var mu sync.Mutex
	var all []sample
	var errs atomic.Int64
	var errMsgs sync.Map
	tr := &http.Transport{MaxIdleConnsPerHost: clients * 2, DisableCompression: true}
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			var mine []sample
			for ctx.Err() == nil {
				i := rng.IntN(len(qtexts))
				op := rng.IntN(10)
				var req *http.Request
				switch {
				case op < 4:
					op = opClassify
					b, _ := json.Marshal(map[string]string{"text": qtexts[i]})
					req, _ = http.NewRequest("POST", base+"/v1/classify", bytes.NewReader(b))
				case op < 8:
					op = opSimilar
					b, _ := json.Marshal(map[string]any{"text": qtexts[i], "k": 10})
					req, _ = http.NewRequest("POST", base+"/v1/similar", bytes.NewReader(b))
				default:
					op = opSearch
					req, _ = http.NewRequest("GET", base+"/v1/dispatches?limit=20&q="+url.QueryEscape(words(qtexts[i], rng)), nil)
				}
				t0 := time.Now()
				r, err := hc.Do(req)
				if err == nil {
					io.Copy(io.Discard, r.Body)
					r.Body.Close()
					if r.StatusCode != 200 {
						err = fmt.Errorf("%s: status %d", names[op], r.StatusCode)
					}
				}
				if err != nil {
					if ctx.Err() != nil {
						break
					}
					errs.Add(1)
					errMsgs.Store(err.Error(), true)
					continue
				}
				mine = append(mine, sample{op, t0.Sub(runStart), time.Since(t0)})
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(runStart)
	wr := <-writes
	time.Sleep(2 * time.Second)
	rssEnd := rss(srv.Process.Pid)
	anonEnd, fileEnd := rssParts(srv.Process.Pid)
	weighedEnd := weighedBytes(base)
	close(stopRSS)
	if wr.err != nil {
		return wr.err
	}

	if samplesTo != "" {
		var b strings.Builder
		b.WriteString("start_s\tendpoint\tms\n")
		for _, s := range all {
			fmt.Fprintf(&b, "%.4f\t%s\t%.3f\n", s.at.Seconds(), names[s.op], float64(s.dur)/1e6)
		}
		if err := os.WriteFile(samplesTo, []byte(b.String()), 0o644); err != nil {
			return err
		}
	}

	// the report
	fmt.Printf("| endpoint | requests | req/s | p50 | p99 | max |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
	total := 0
	for op := range nops {
		var ds []time.Duration
		for _, s := range all {
			if s.op == op {
				ds = append(ds, s.dur)
			}
		}
		slices.Sort(ds)
		total += len(ds)
		if len(ds) == 0 {
			continue
		}
		fmt.Printf("| `%s` | %d | %.0f | %s | %s | %s |\n", names[op], len(ds), float64(len(ds))/elapsed.Seconds(), ms(pct(ds, 50)), ms(pct(ds, 99)), ms(ds[len(ds)-1]))
	}
	fmt.Printf("| all | %d | %.0f | | | |\n\n", total, float64(total)/elapsed.Seconds())
	if wr.labelDone > 0 {
		// The other process takes CPU from the server while it runs: the tail of the whole run is
		// mostly those windows', so they are shown apart.
		windows := []struct {
			name     string
			from, to time.Duration
		}{{"add", writeAt, wr.addDone}, {"labels", wr.addDone, wr.labelDone}}
		fmt.Printf("p50 / p99 (requests) while the other process added (%.1f–%.1f s), labelled (to %.1f s), and the rest of the run:\n",
			writeAt.Seconds(), wr.addDone.Seconds(), wr.labelDone.Seconds())
		for op := range nops {
			part := make([][]time.Duration, len(windows)+1)
			for _, s := range all {
				if s.op != op {
					continue
				}
				w := len(windows)
				for i, win := range windows {
					if s.at >= win.from && s.at < win.to {
						w = i
					}
				}
				part[w] = append(part[w], s.dur)
			}
			fmt.Printf("  %s:", names[op])
			for i, ds := range part {
				slices.Sort(ds)
				name := "rest"
				if i < len(windows) {
					name = windows[i].name
				}
				if len(ds) > 0 {
					fmt.Printf(" %s %s / %s (%d);", name, ms(pct(ds, 50)), ms(pct(ds, 99)), len(ds))
				}
			}
			fmt.Println()
		}
		fmt.Println()
	}
	fmt.Printf("errors: %d", errs.Load())
	errMsgs.Range(func(k, _ any) bool { fmt.Printf("; %s", k); return true })
	fmt.Println()
	fmt.Printf("archive: %d dispatches at start; %d added by %d \"depeche add\" (done at %.1f s), %d labelled by \"depeche label\" (done at %.1f s)\n",
		n0, len(addedIDs), len(parts), wr.addDone.Seconds(), nlabels, wr.labelDone.Seconds())
	seen := func(d time.Duration) string {
		if d == 0 {
			return "not seen"
		}
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	fmt.Printf("seen by the server: all the adds at %s, all the labels at %s (the clients ran %.1f s)\n", seen(wr.seenAdds), seen(wr.seenLabs), elapsed.Seconds())
	fmt.Printf("RSS: %.0f MB after start-up, %.0f MB peak, %.0f MB at the end (%+.0f %%)\n", mb(rssStart), mb(peak.Load()), mb(rssEnd), 100*(float64(rssEnd)/float64(rssStart)-1))
	fmt.Printf("  of which anonymous %.0f → %.0f MB, file-backed %.0f → %.0f MB; the index's weighed postings %.0f → %.0f MB\n",
		mb(anonStart), mb(anonEnd), mb(fileStart), mb(fileEnd), float64(weighedStart)/(1<<20), float64(weighedEnd)/(1<<20))
	reloads := countReloads(logPath)
	fmt.Printf("reloads: %s\n", reloads)
	return nil
}
