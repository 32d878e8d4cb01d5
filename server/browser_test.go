package server_test

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"
	"github.com/chromedp/chromedp/kb"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/server"
)

var shots = flag.String("shots", "", "directory for the browser test's screenshots (default: the test's artifact directory, kept with -artifacts -outputdir DIR)")

// chromium returns the Chromium (or Chrome) to drive, or "".
func chromium() string {
	if p := os.Getenv("DEPECHE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowser drives a real Chromium through the page, on a laptop's screen and on a phone's (390×844):
// paste a real seed dispatch, see its themes, the highlighted evidence words and similar dispatches, open
// one, label it, reload and see the label kept. It starts a server on loopback over a temporary archive
// holding the built-in corpus. Screenshots go to -shots DIR (or the test's artifact directory).
func TestBrowser(t *testing.T) {
	chrome := chromium()
	if chrome == "" {
		t.Skip("no Chromium found (Debian: apt-get install chromium); the browser test needs one")
	}
	seed, err := os.ReadFile("../../shared/seeds/000_1a171aa489ad705a.txt")
	if err != nil {
		t.Skip("../shared/seeds is absent: the browser test pastes one of its real dispatches")
	}
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	dir := *shots
	if dir == "" {
		dir = t.ArtifactDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}

	corpus, err := data.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	desk, err := depeche.CreateArchive(filepath.Join(t.TempDir(), "archive.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer desk.Close()
	ctx := context.Background()
	if _, err := desk.Add(ctx, corpus); err != nil {
		t.Fatal(err)
	}
	w := &depeche.Watcher{Desk: desk, Every: 200 * time.Millisecond}
	if err := w.Load(ctx); err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go w.Run(wctx)
	ts := httptest.NewServer(server.New(desk, server.Options{Loopback: true, Watcher: w}))
	defer ts.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))
	alloc, cancel := chromedp.NewExecAllocator(ctx, opts...)
	defer cancel()

	for _, screen := range []struct {
		name   string
		phone  bool
		label  string
		width  int64
		height int64
	}{
		{"desktop", false, "verifie-bureau", 1280, 900},
		{"phone", true, "verifie-telephone", 390, 844},
	} {
		t.Run(screen.name, func(t *testing.T) {
			browser, cancel := chromedp.NewContext(alloc)
			defer cancel()
			if err := chromedp.Do(browser); err != nil { // starts the browser, with no timeout (see chromedp.Run)
				t.Fatal(err)
			}
			bctx, cancel2 := context.WithTimeout(browser, 2*time.Minute)
			defer cancel2()
			do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(bctx, steps...); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
			shot := func(name string) chromedp.Action[chromedp.Void] {
				return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					png, err := chromedp.FullScreenshot(100)(ctx, tg)
					if err != nil {
						return err
					}
					p := filepath.Join(dir, screen.name+"-"+name+".png")
					t.Logf("screenshot %s", p)
					return os.WriteFile(p, png, 0o644)
				})
			}
			setup := chromedp.EmulateViewport(screen.width, screen.height)
			if screen.phone {
				setup = chromedp.Emulate(device.Info{Name: "phone 390", UserAgent: "Mozilla/5.0 (Linux; Android 14) Mobile", Width: 390, Height: 844, Scale: 2, Mobile: true, Touch: true})
			}
			do("open the page", setup,
				chromedp.Navigate(ts.URL+"/#/analyse"),
				chromedp.WaitVisible(chromedp.ID("text")),
				poll(`document.querySelectorAll('#a-label option').length > 1`),
				shot("1-empty"))
			// keyboard only: from the top, Tab reaches the skip link, the four sections, then the text box,
			// with a visible focus ring
			tabs := make([]chromedp.Action[chromedp.Void], 6)
			for i := range tabs {
				tabs[i] = chromedp.KeyEvent(kb.Tab)
			}
			do("tab to the text box", tabs...)
			if got := eval[string](t, bctx, `document.activeElement.id + ' ' + getComputedStyle(document.activeElement).outlineStyle`); got != "text solid" {
				t.Errorf("after 6 Tabs the focus is on %q, want the text box with a solid outline", got)
			}
			// every control has a label a screen reader reads
			if unlabelled := eval[[]string](t, bctx, `[...document.querySelectorAll('input, select, textarea')].filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.id || e.name)`); len(unlabelled) > 0 {
				t.Errorf("controls without a label: %v", unlabelled)
			}
			do("paste and analyse",
				chromedp.SetValue(chromedp.ID("text"), string(seed)),
				chromedp.Click(chromedp.CSS("#analyse-form button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS("#themes li.theme")),
				chromedp.WaitVisible(chromedp.CSS("#similar li.result a.title")))
			predicted := eval[[]string](t, bctx, `[...document.querySelectorAll('#themes li.predicted .name')].map(e => e.textContent.trim())`)
			marks := eval[int](t, bctx, `document.querySelectorAll('#evidence mark.ev').length`)
			similar := eval[int](t, bctx, `document.querySelectorAll('#similar li.result').length`)
			bars := eval[int](t, bctx, `document.querySelectorAll('#themes li.theme .bar').length`)
			modelLabels := eval[int](t, bctx, `fetch('/v1/labels').then(r => r.json()).then(j => j.model.length)`)
			if len(predicted) == 0 || marks == 0 || similar != 10 || bars != modelLabels {
				t.Errorf("analysed: predicted %v, %d highlighted words, %d similar (want 10), %d bars for %d labels", predicted, marks, similar, bars, modelLabels)
			}
			if !eval[bool](t, bctx, noSideScroll) {
				t.Errorf("the page scrolls sideways at %d px", screen.width)
			}
			t.Logf("predicted %v, %d highlighted evidence words, %d similar dispatches", predicted, marks, similar)
			do("screenshot", shot("2-analysed"))

			// open the first similar dispatch, label it, reload
			title := eval[string](t, bctx, `document.querySelector('#similar li.result a.title').textContent`)
			do("open a similar dispatch",
				chromedp.Click(chromedp.CSS("#similar li.result a.title")),
				chromedp.WaitVisible(chromedp.ID("view-depeche")),
				chromedp.WaitVisible(chromedp.CSS("#d-similar li.result")))
			id := eval[string](t, bctx, `decodeURIComponent(location.hash.slice('#/depeche/'.length))`)
			dmarks := eval[int](t, bctx, `document.querySelectorAll('#d-text mark.ev').length`)
			dsimilar := eval[int](t, bctx, `document.querySelectorAll('#d-similar li.result').length`)
			do("label it",
				chromedp.SendKeys(chromedp.ID("d-other"), screen.label),
				chromedp.Click(chromedp.CSS("#label-form button[type=submit]")),
				chromedp.WaitVisible(chromedp.CSS("#d-saved .ok")),
				shot("3-labelled"))
			do("reload",
				chromedp.Reload(),
				chromedp.WaitVisible(chromedp.CSS("#d-labels input")),
				poll(fmt.Sprintf(`document.querySelector('#d-labels input[value=%q]')?.checked === true`, screen.label)),
				shot("4-reloaded"))
			if dsimilar == 0 || dmarks == 0 || id == "" {
				t.Errorf("dispatch %q (%s): %d similar, %d highlighted", id, title, dsimilar, dmarks)
			}
			if !eval[bool](t, bctx, noSideScroll) {
				t.Errorf("the dispatch page scrolls sideways at %d px", screen.width)
			}
			d, err := desk.Get(ctx, id)
			if err != nil || !strings.Contains(strings.Join(d.Labels, ","), screen.label) {
				t.Errorf("the archive has %v for %s (%v), want %s among them", d.Labels, id, err, screen.label)
			}

			// the archive list filtered, the map of that selection (by keyboard), the timeline
			do("archive",
				chromedp.Navigate(ts.URL+"/#/archive"),
				chromedp.WaitVisible(chromedp.CSS("#archive-list li.result")),
				chromedp.SetValue(chromedp.ID("r-label"), "drogue"),
				chromedp.Click(chromedp.CSS("#archive-form button[type=submit]")),
				// every dispatch listed carries the theme chosen (the first listing, before the filter, does not)
				poll(`[...document.querySelectorAll('#archive-list li.result')].every(li => [...li.querySelectorAll('.chip')].some(c => c.textContent === 'drogue'))`),
				shot("5-archive"))
			items := eval[int](t, bctx, `document.querySelectorAll('#archive-list li.result').length`)
			do("map",
				chromedp.Click(chromedp.ID("archive-map")),
				chromedp.WaitVisible(chromedp.ID("map-out")),
				chromedp.Focus(chromedp.ID("heatmap")),
				chromedp.KeyEvent(kb.ArrowRight),
				poll(`document.querySelector('#pair').textContent.includes('similarité')`),
				shot("6-map"))
			mapped := eval[int](t, bctx, `document.querySelectorAll('#map-items li').length`)
			do("timeline",
				chromedp.Navigate(ts.URL+"/#/chronologie"),
				chromedp.WaitVisible(chromedp.ID("c-label")),
				poll(`document.querySelectorAll('#c-label option').length > 1`),
				chromedp.SetValue(chromedp.ID("c-label"), "drogue"),
				chromedp.Click(chromedp.CSS("#chrono-form button[type=submit]")),
				poll(`document.querySelector('#chrono-summary').textContent.includes('drogue')`),
				shot("7-timeline"))
			months := eval[int](t, bctx, `document.querySelectorAll('#chart rect.vol').length`)
			if items != 25 || mapped != 50 || months < 12 {
				t.Errorf("archive page of %d (want 25), map of %d (want 50), timeline of %d months", items, mapped, months)
			}
		})
	}
}

const noSideScroll = `document.documentElement.scrollWidth <= window.innerWidth`

func poll(expr string) chromedp.Action[chromedp.Void] {
	p := chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second))
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := p(ctx, t)
		if err != nil {
			err = fmt.Errorf("waiting for %s: %w", expr, err)
		}
		return chromedp.Void{}, err
	}
}

// eval evaluates a JavaScript expression in the page (waiting for a promise it returns).
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}
