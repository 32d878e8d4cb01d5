package realnews_test

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/models"
	"github.com/depeche/depeche/realnews"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const shared = "../../shared"

func load(t *testing.T) []realnews.Article {
	t.Helper()
	arts, err := realnews.Load(shared)
	if errors.Is(err, realnews.ErrNoShared) {
		t.Skipf("%v: the real-news dev set reads its texts from ../shared beside the project root (CI has it)", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return arts
}

// TestLabels: every row of the dev set's label files names an article that is there, with the hash it
// was labeled with, and the set is as large as the issue asks (all 127 politics articles and more).
func TestLabels(t *testing.T) {
	arts := load(t)
	topics := map[string]int{}
	themes := map[string]int{}
	for _, a := range arts {
		topics[a.Topic]++
		for _, th := range a.Themes {
			themes[th]++
		}
	}
	if len(arts) < 300 || topics["politics"] != 127 {
		t.Errorf("%d articles, %d politics: want ≥ 300 with all 127 politics articles", len(arts), topics["politics"])
	}
	seeds, err := realnews.LoadSeeds(shared)
	if err != nil || len(seeds) != 5 {
		t.Fatalf("%d seeds: %v", len(seeds), err)
	}
	t.Logf("%d articles by topic %v, by theme %v", len(arts), topics, themes)
}

// TestBuiltinModel scores the built-in model on the real-news dev set, pins the figures in a golden file
// and holds the goals of issue 9.
func TestBuiltinModel(t *testing.T) {
	arts := load(t)
	m, err := models.Decode(data.Model())
	if err != nil {
		t.Fatal(err)
	}
	r := realnews.Score(arts, predicted(t, m))
	got := r.String()
	t.Logf("built-in model on the real-news dev set:\n%s", got)
	for _, th := range realnews.Themes {
		pt := r.PerTheme[th]
		t.Logf("%s: false positives %v; missed %v", th, pt.FalsePositives, pt.FalseMisses)
	}
	t.Logf("non-politics articles flagged: %v", r.Flagged)
	golden := filepath.Join("testdata", "builtin.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./realnews -update writes it)", err)
	}
	if got != string(want) {
		t.Errorf("the built-in model's figures moved (go test ./realnews -update after a deliberate change):\n got:\n%s\nwant:\n%s", got, want)
	}
	// Issue 9's goals. The ones the built-in model meets are held (a change that breaks one fails here);
	// the ones it does not meet yet are reported, and the golden above pins where it stands.
	goals := []struct {
		what string
		got  float64
		ok   bool
		held bool
	}{
		{"terrorisme F1 ≥ 0.85", r.PerTheme["terrorisme"].F1, r.PerTheme["terrorisme"].F1 >= 0.85, true},
		{"migration F1 ≥ 0.75", r.PerTheme["migration"].F1, r.PerTheme["migration"].F1 >= 0.75, true},
		{"parlement precision ≥ 0.70", r.PerTheme["parlement"].Precision, r.PerTheme["parlement"].Precision >= 0.70, true},
		{"no-theme articles given a theme ≤ 3 %", r.FalseAlarmRate(), r.FalseAlarmRate() <= 0.03, true},
		{"non-politics articles given a theme ≤ 2 %", r.OffTopicRate(), r.OffTopicRate() <= 0.02, true},
	}
	for _, g := range goals {
		switch {
		case !g.ok && g.held:
			t.Errorf("goal missed: %s (%.3f)", g.what, g.got)
		case !g.ok:
			t.Logf("goal not met yet: %s (%.3f)", g.what, g.got)
		case !g.held:
			t.Errorf("goal %s now met (%.3f): hold it in this test", g.what, g.got)
		}
	}
}

// predicted returns the labels m predicts for a text, through the library's facade: what classify and
// serve predict, the passage rule of long articles included.
func predicted(t *testing.T, m *models.Model) func(string) []string {
	desk, err := depeche.NewDesk(m, []depeche.Dispatch{})
	if err != nil {
		t.Fatal(err)
	}
	return func(text string) []string {
		var out []string
		for _, l := range desk.ClassifyTerms(text, 0).Labels {
			if l.Predicted {
				out = append(out, l.Label)
			}
		}
		return out
	}
}

func TestScore(t *testing.T) {
	arts := []realnews.Article{
		{Key: "a", Topic: "politics", Themes: []string{"terrorisme"}, Text: "t"},
		{Key: "b", Topic: "politics", Text: "p"},
		{Key: "c", Topic: "health", Themes: []string{"drogue"}, Text: "d"},
		{Key: "d", Topic: "sports", Text: "s"},
		{Key: "e", Topic: "seed", Themes: []string{"migration"}, Text: "m"},
	}
	pred := map[string][]string{
		"t": {"terrorisme", "sport"}, // a non-theme label is ignored
		"p": {"parlement"},           // a false alarm
		"d": {"drogue"},              // an off-topic article truly about drugs: not flagged
		"s": nil,
		"m": {"migration", "terrorisme"},
	}
	r := realnews.Score(arts, func(s string) []string { return pred[s] })
	ter := r.PerTheme["terrorisme"]
	if ter.TP != 1 || ter.FP != 1 || ter.FN != 0 || ter.Precision != 0.5 || ter.Recall != 1 {
		t.Errorf("terrorisme %+v", ter)
	}
	if r.NoTheme != 2 || r.NoThemeFlagged != 1 || r.OffTopic != 2 || r.OffTopicFlagged != 0 {
		t.Errorf("no-theme %d/%d, off-topic %d/%d", r.NoThemeFlagged, r.NoTheme, r.OffTopicFlagged, r.OffTopic)
	}
	if p := r.PerTheme["parlement"]; p.FP != 1 || p.F1 != 0 || p.FalsePositives[0] != "b" {
		t.Errorf("parlement %+v", p)
	}
	if !strings.Contains(r.String(), "no-theme articles given a theme 1 of 2 (50.0 %)") {
		t.Errorf("String:\n%s", r)
	}
}

// TestModelFile scores the model file named by $DEPECHE_REALNEWS_MODEL on the dev set (for choosing a
// corpus or an option: go test ./realnews -run TestModelFile -v).
func TestModelFile(t *testing.T) {
	path := os.Getenv("DEPECHE_REALNEWS_MODEL")
	if path == "" {
		t.Skip("set DEPECHE_REALNEWS_MODEL to a model file to score it")
	}
	arts := load(t)
	m, err := models.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r := realnews.Score(arts, predicted(t, m))
	t.Logf("%s on the real-news dev set:\n%s", path, r)
	for _, th := range realnews.Themes {
		t.Logf("%s: false positives %v; missed %v", th, r.PerTheme[th].FalsePositives, r.PerTheme[th].FalseMisses)
	}
	t.Logf("non-politics flagged: %v", r.Flagged)
}
