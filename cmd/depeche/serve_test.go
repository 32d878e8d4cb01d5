package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/depeche/depeche/archive"
)

func TestServeTokenRule(t *testing.T) {
	t.Setenv("DEPECHE_TOKEN", "")
	home := t.TempDir()
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"every interface, no token", []string{"serve", "--addr", "0.0.0.0:0"}, "give a token"},
		{"empty host, no token", []string{"serve", "--addr", ":0"}, "--token or DEPECHE_TOKEN"},
		{"a LAN address, no token", []string{"serve", "--addr", "192.0.2.1:8080"}, "listens beyond this machine"},
		{"short token", []string{"serve", "--addr", "0.0.0.0:0", "--token", "short"}, "at least 16"},
		{"short token on loopback", []string{"serve", "--token", "short"}, "at least 16"},
		{"bad log format", []string{"serve", "--log-format", "xml"}, "text|json"},
		{"bad poll", []string{"serve", "--poll", "1ms"}, "--poll"},
	} {
		code, out, errOut := cli(t, home, "", c.args...)
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if code != 2 || out != "" || len(lines) != 1 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 and one line with %q", c.name, code, errOut, c.want)
		}
	}
	// the token may come from the environment (the refusal is then for its length, not its absence)
	t.Setenv("DEPECHE_TOKEN", "tiny")
	if code, _, errOut := cli(t, home, "", "serve", "--addr", "0.0.0.0:0"); code != 2 || !strings.Contains(errOut, "is 4 characters") {
		t.Errorf("DEPECHE_TOKEN not read: exit %d %q", code, errOut)
	}
}

// syncBuffer is a bytes.Buffer that the server's goroutines and the test may use at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestServeSIGTERM starts "depeche serve" on loopback over an archive, sends a request whose body is
// still coming, sends SIGTERM to the process, and checks that the request in flight finishes (200), that
// new connections are refused, that serve exits 0 saying so, and that the archive is closed whole.
func TestServeSIGTERM(t *testing.T) {
	home, _, data := setup(t)
	db := filepath.Join(home, "archive.db")
	if code, _, errOut := cli(t, home, "", "add", "-q", "--archive", db, data); code != 0 {
		t.Fatalf("add: %s", errOut)
	}
	errOut := &syncBuffer{}
	s := &streams{in: strings.NewReader(""), out: io.Discard, errOut: errOut}
	exit := make(chan int, 1)
	go func() {
		exit <- run(context.Background(), []string{"--home", home, "serve", "--addr", "127.0.0.1:0", "--archive", db, "--log-format", "json"}, s)
	}()
	addr := ""
	re := regexp.MustCompile(`on http://(127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(20 * time.Second); addr == ""; {
		if m := re.FindStringSubmatch(errOut.String()); m != nil {
			addr = m[1]
			break
		}
		select {
		case code := <-exit:
			t.Fatalf("serve exited %d: %s", code, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	url := "http://" + addr
	if r, err := http.Get(url + "/v1/ready"); err != nil || r.StatusCode != 200 {
		t.Fatalf("ready: %v %v", r, err)
	}

	// a request in flight: its body arrives in two parts, the second after SIGTERM
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", url+"/v1/similar", pr)
	inflight := make(chan int, 1)
	go func() {
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("the request in flight failed: %v", err)
			inflight <- 0
			return
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		inflight <- r.StatusCode
	}()
	pw.Write([]byte(`{"text": "Une cellule terroriste `))
	time.Sleep(200 * time.Millisecond) // the server has the request
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// new connections are refused once the listener is closed
	refused := false
	for range 100 {
		c := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		if _, err := c.Get(url + "/v1/health"); err != nil {
			refused = true
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !refused {
		t.Error("new connections still accepted after SIGTERM")
	}
	select {
	case code := <-exit:
		t.Fatalf("serve exited (%d) before the request in flight finished", code)
	case <-time.After(100 * time.Millisecond):
	}
	pw.Write([]byte(`démantelée à Tanger", "k": 3}`))
	pw.Close()
	if code := <-inflight; code != 200 {
		t.Errorf("the request in flight: %d, want 200", code)
	}
	select {
	case code := <-exit:
		if code != 0 {
			t.Errorf("serve exit %d, want 0: %s", code, errOut.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(errOut.String(), "depeche: stopped") || !strings.Contains(errOut.String(), `"path":"/v1/similar","status":200`) {
		t.Errorf("stderr: %s", errOut.String())
	}
	if got := archive.IntegrityCheck(db); got != "ok" {
		t.Errorf("the archive after SIGTERM: %s", got)
	}
	if code, out, errOut := cli(t, home, "", "list", "--archive", db); code != 0 || strings.Count(out, "\n") != 10 {
		t.Errorf("list after serve: exit %d, %q %q", code, out, errOut)
	}
}
