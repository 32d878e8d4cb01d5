package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func mb(kb int64) float64 { return float64(kb) / 1024 }

func pct(ds []time.Duration, p int) time.Duration {
	i := (len(ds)*p + 99) / 100
	return ds[min(max(i-1, 0), len(ds)-1)]
}

// words picks two or three words of a text: what an analyst types in the search box.
func words(text string, rng *rand.Rand) string {
	f := strings.Fields(text)
	var out []string
	for range 20 {
		if len(out) == 2+rng.IntN(2) {
			break
		}
		w := strings.Trim(f[rng.IntN(len(f))], ".,;:!?«»\"'()")
		if len([]rune(w)) >= 6 {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return f[0]
	}
	return strings.Join(out, " ")
}

// statusKB returns the given fields (in KB) of a process's /proc/PID/status, 0 for those it lacks.
func statusKB(pid int, keys ...string) []int64 {
	out := make([]int64, len(keys))
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return out
	}
	for _, l := range strings.Split(string(b), "\n") {
		for i, k := range keys {
			if v, ok := strings.CutPrefix(l, k+":"); ok {
				out[i], _ = strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			}
		}
	}
	return out
}

// rssParts returns a process's resident anonymous and file-backed memory in KB.
func rssParts(pid int) (anon, file int64) {
	v := statusKB(pid, "RssAnon", "RssFile")
	return v[0], v[1]
}

// rss returns the resident set of a process in KB.
func rss(pid int) int64 { return statusKB(pid, "VmRSS")[0] }

var servingRe = regexp.MustCompile(`on (http://[0-9.:]+)/`)

func waitServing(logPath string, exited <-chan error, within time.Duration) (string, error) {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(logPath)
		if m := servingRe.FindSubmatch(b); m != nil {
			return string(m[1]), nil
		}
		select {
		case err := <-exited:
			return "", fmt.Errorf("serve exited (%v): %s", err, b)
		case <-time.After(200 * time.Millisecond):
		}
	}
	return "", errors.New("serve did not start in time")
}

func readyCount(base string) int {
	r, err := http.Get(base + "/v1/ready")
	if err != nil {
		return -1
	}
	defer r.Body.Close()
	var v struct{ Dispatches int }
	json.NewDecoder(r.Body).Decode(&v)
	return v.Dispatches
}

// weighedBytes returns what /v1/info says the index's weighed postings take (-1 when it says nothing).
func weighedBytes(base string) int64 {
	r, err := http.Get(base + "/v1/info")
	if err != nil {
		return -1
	}
	defer r.Body.Close()
	var v struct {
		Archive struct {
			Index *struct {
				WeighedBytes int64 `json:"weighed_bytes"`
			}
		}
	}
	if json.NewDecoder(r.Body).Decode(&v) != nil || v.Archive.Index == nil {
		return -1
	}
	return v.Archive.Index.WeighedBytes
}

func labelTotal(base, label string) int {
	r, err := http.Get(base + "/v1/dispatches?limit=1&label=" + label)
	if err != nil {
		return -1
	}
	defer r.Body.Close()
	var v struct{ Total int }
	json.NewDecoder(r.Body).Decode(&v)
	return v.Total
}

func countReloads(logPath string) string {
	f, err := os.Open(logPath)
	if err != nil {
		return "?"
	}
	defer f.Close()
	n := 0
	var took []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var v struct {
			Msg        string
			What       string
			Dispatches int
			Ms         int
		}
		if json.Unmarshal(sc.Bytes(), &v) == nil && v.Msg == "reloaded" {
			n++
			took = append(took, fmt.Sprintf("%s %d in %.1f s", v.What, v.Dispatches, float64(v.Ms)/1000))
		}
	}
	return fmt.Sprintf("%d (%s)", n, strings.Join(took, ", "))
}

// queryTexts reads n query texts from a .tsv (its last column), every 97th row.
