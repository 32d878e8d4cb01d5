package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depeche/depeche"
)

// cli runs depeche with args and stdin in a fresh home and returns the exit code, stdout and stderr.
func cli(t *testing.T, home, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	s := &streams{in: strings.NewReader(stdin), out: &out, errOut: &errOut}
	code := run(context.Background(), append([]string{"--home", home}, args...), s)
	return code, out.String(), errOut.String()
}

const trainTSV = "id\tlabels\ttext\n" +
	"t1\tterrorisme\tDémantèlement d'une cellule terroriste à Tanger par le BCIJ.\n" +
	"t2\tterrorisme\tUne cellule terroriste liée à Daech démantelée à Fès.\n" +
	"t3\tterrorisme\tAttentat déjoué : un extrémiste arrêté à Salé par le BCIJ.\n" +
	"d1\tdrogue\tSaisie de trois tonnes de cannabis au port de Tanger Med.\n" +
	"d2\tdrogue\tDeux trafiquants de cocaïne arrêtés à Casablanca.\n" +
	"d3\tdrogue\tSaisie record de chira et de psychotropes à Oujda.\n" +
	"m1\tmigration,drogue\tUn réseau de passeurs de migrants et de drogue démantelé à Nador.\n" +
	"m2\tmigration\tDes migrants secourus au large des Canaries par la Marine royale.\n" +
	"m3\tmigration\tTentative de franchissement de la clôture de Melilla par des migrants.\n" +
	"s1\t\tLe Raja remporte le derby de Casablanca.\n"

// setup writes the training file and trains a model in a temporary home.
func setup(t *testing.T) (home, model, data string) {
	t.Helper()
	home = t.TempDir()
	data = filepath.Join(home, "train.tsv")
	if err := os.WriteFile(data, []byte(trainTSV), 0o644); err != nil {
		t.Fatal(err)
	}
	model = filepath.Join(home, "m.depeche")
	code, out, errOut := cli(t, home, "", "train", "--folds", "2", "--model", model, data)
	if code != 0 {
		t.Fatalf("train: exit %d\n%s%s", code, out, errOut)
	}
	return home, model, data
}

func TestBadInput(t *testing.T) {
	home, model, _ := setup(t)
	write := func(name, content string) string {
		p := filepath.Join(home, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	notext := write("notext.tsv", "id\tbody\nx\ty\n")
	fields := write("fields.tsv", "id\ttext\nx\ty\tz\n")
	binary := write("bin.txt", "abc\x00\x01\x02")
	badutf := write("bad.txt", "caf\xe9 au lait")
	corrupt := write("corrupt.depeche", "depeche model\n\x00\x00garbage")
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string // in the one stderr line
	}{
		{"empty stdin", "", []string{"classify", "--model", model}, 2, "pipe an article"},
		{"binary stdin", "ab\x00cd", []string{"classify", "--model", model}, 2, "binary"},
		{"invalid utf8 stdin", "caf\xe9", []string{"classify", "--model", model}, 2, "UTF-8"},
		{"binary file", "", []string{"classify", "--model", model, binary}, 2, "bin.txt"},
		{"invalid utf8 file", "", []string{"classify", "--model", model, badutf}, 2, "bad.txt:1"},
		{"no text column", "", []string{"classify", "--model", model, notext}, 2, "text"},
		{"field count", "", []string{"classify", "--model", model, fields}, 2, "fields.tsv:2"},
		{"unknown algo", "", []string{"train", "--algo", "svm", fields}, 2, "logreg|nb"},
		{"missing model", "x", []string{"classify", "--model", filepath.Join(home, "nope.depeche")}, 2, "not found"},
		{"corrupt model", "Un texte.", []string{"classify", "--model", corrupt}, 2, "corrupt.depeche"},
		{"missing file", "", []string{"classify", "--model", model, filepath.Join(home, "absent.tsv")}, 2, "absent.tsv"},
		{"unknown flag", "", []string{"classify", "--bogus"}, 2, "unknown flag"},
		{"unknown command", "", []string{"frobnicate"}, 2, "unknown command"},
		{"bad format", "", []string{"matrix", "--format", "pdf"}, 2, "csv|json|png|svg"},
		{"png without out", "", []string{"matrix", "--format", "png"}, 2, "--out"},
		{"bad since", "x", []string{"similar", "--since", "2019-13"}, 2, "--since"},
		{"eval without labels", "", []string{"eval", "--model", model, notext}, 2, "text"},
		{"train without labels", "", []string{"train", "--model", filepath.Join(home, "x.depeche"), write("nolabels.tsv", "text\nbonjour\n")}, 2, "label"},
		{"label without archive", "", []string{"label", "x", "terrorisme"}, 2, "no archive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := cli(t, home, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, errOut)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "depeche: ") {
				t.Errorf("stderr is not one line: %q", errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr %q does not mention %q", errOut, tc.want)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace on stderr: %q", errOut)
			}
		})
	}
	// the corrupt model attempt left the good model intact
	if _, err := os.Stat(model); err != nil {
		t.Fatal(err)
	}
}

func TestClassifyJSON(t *testing.T) {
	home, model, data := setup(t)
	code, out, errOut := cli(t, home, "", "classify", "--json", "--model", model, data)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines for 10 rows", len(lines))
	}
	for i, l := range lines {
		var r struct {
			ID     string `json:"id"`
			Labels []struct {
				Label     string   `json:"label"`
				Score     float64  `json:"score"`
				Predicted bool     `json:"predicted"`
				Terms     []string `json:"terms"`
			} `json:"labels"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if r.ID == "" || len(r.Labels) != 3 {
			t.Fatalf("line %d: %s", i, l)
		}
		for j := 1; j < len(r.Labels); j++ {
			if r.Labels[j].Score > r.Labels[j-1].Score {
				t.Fatalf("line %d: labels not sorted by score", i)
			}
		}
		if r.Labels[0].Terms == nil {
			t.Fatalf("line %d: terms is null", i)
		}
	}
	// the human table on stdin input
	code, out, _ = cli(t, home, "Saisie de cannabis et de cocaïne à Tanger.", "classify", "--model", model)
	if code != 0 || !strings.Contains(out, "drogue\t") {
		t.Fatalf("plain output: %d %q", code, out)
	}
}

func TestTrainEvalJSON(t *testing.T) {
	home, model, data := setup(t)
	for _, args := range [][]string{
		{"train", "--json", "--folds", "2", "--model", filepath.Join(home, "m2.depeche"), data},
		{"eval", "--json", "--model", model, data},
	} {
		code, out, errOut := cli(t, home, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d %s", args, code, errOut)
		}
		var r struct {
			Micro    *float64                  `json:"micro_f1"`
			Macro    *float64                  `json:"macro_f1"`
			PerLabel map[string]map[string]any `json:"per_label"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil || r.Micro == nil || r.Macro == nil {
			t.Fatalf("%v: %q %v", args, out, err)
		}
		for _, l := range []string{"terrorisme", "drogue", "migration"} {
			for _, f := range []string{"precision", "recall", "f1", "support"} {
				if _, ok := r.PerLabel[l][f]; !ok {
					t.Fatalf("%v: per_label.%s.%s missing", args, l, f)
				}
			}
		}
	}
}

func TestArchiveLoop(t *testing.T) {
	home, model, data := setup(t)
	code, out, errOut := cli(t, home, "", "add", data)
	if code != 0 || !strings.Contains(out, "added 10") {
		t.Fatalf("add: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, home, "", "add", data)
	if code != 0 || !strings.Contains(out, "duplicates skipped 10") {
		t.Fatalf("second add: %d %q", code, out)
	}
	code, out, errOut = cli(t, home, "Une cellule terroriste démantelée à Tanger.", "similar", "--json", "-k", "2")
	if code != 0 {
		t.Fatalf("similar: %d %s", code, errOut)
	}
	var sim struct {
		Results []struct {
			ID    string   `json:"id"`
			Score float64  `json:"score"`
			Terms []string `json:"terms"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &sim); err != nil || len(sim.Results) != 2 || sim.Results[0].ID != "t1" {
		t.Fatalf("similar: %q %v", out, err)
	}
	if code, _, errOut = cli(t, home, "", "label", "s1", "sport"); code != 0 {
		t.Fatalf("label: %s", errOut)
	}
	code, out, errOut = cli(t, home, "", "train", "--folds", "2", "--model", filepath.Join(home, "fromarchive.depeche"))
	if code != 0 || !strings.Contains(errOut, "10 dispatches") {
		t.Fatalf("train from the archive: %d %q %q", code, out, errOut)
	}
	code, out, _ = cli(t, home, "", "info", "--json", "--model", model)
	if code != 0 || !strings.Contains(out, `"dispatches": 10`) {
		t.Fatalf("info: %q", out)
	}
	code, out, _ = cli(t, home, "", "matrix")
	rows := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(rows) != 11 || strings.Count(rows[0], ",") != 10 {
		t.Fatalf("matrix: %d rows\n%s", len(rows), out)
	}
}

// TestClassifyTablePassingMention: on a terminal, a label whose score passes but that the passages of a
// long article do not carry is said to be a passing mention; a carried one is not.
func TestClassifyTablePassingMention(t *testing.T) {
	res := depeche.ClassifyResult{ID: "a", Labels: []depeche.LabelScore{
		{Label: "migration", Score: 0.9, Predicted: true, Terms: []string{"migrants"}, Passages: &depeche.Passages{Count: 8, Lead: true, Share: 0.1}},
		{Label: "terrorisme", Score: 0.7, Terms: []string{"jihadistes"}, Passages: &depeche.Passages{Count: 8, Share: 0.12}},
		{Label: "sport", Score: 0.1, Terms: []string{}},
	}}
	var b strings.Builder
	writeClassifyTable(&b, res)
	out := b.String()
	if !strings.Contains(out, "terrorisme: a passing mention: not in the lead, 12 % of the text carries it (8 passages; 30 % is needed)") {
		t.Errorf("no passing mention for terrorisme:\n%s", out)
	}
	if strings.Contains(out, "migration: a passing") || strings.Contains(out, "sport: a passing") {
		t.Errorf("a passing mention for a carried or unscored label:\n%s", out)
	}
}
