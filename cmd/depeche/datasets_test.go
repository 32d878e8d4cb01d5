package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSharedDatasets trains on the train split and evaluates on the test split of the real French data
// sets, with the defaults: the macro-F1 must stay at least the peers' (shared/bench/README.md) and must not
// change unnoticed (testdata/datasets_f1.golden; go test -update after a deliberate change).
func TestSharedDatasets(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "datasets")
	if _, err := os.Stat(shared); err != nil {
		t.Skipf("../shared not found (%v): the datasets live beside the project root in CI", err)
	}
	floors := []struct {
		set   string
		flags []string
		floor float64 // a peer's macro-F1 on the same split: depeche must not fall below it
		peer  string
	}{
		{"masakhanews-fra", nil, 0.8428, "sklearn char_wb 2-5-grams + LinearSVC (the best peer)"},
		{"sib200-fra", nil, 0.6365, "sklearn char_wb 2-5-grams + LinearSVC (the best peer)"},
		{"masakhanews-fra", []string{"--char-ngrams"}, 0.8428, "sklearn char_wb 2-5-grams + LinearSVC (the best peer)"},
		{"sib200-fra", []string{"--char-ngrams"}, 0.6365, "sklearn char_wb 2-5-grams + LinearSVC (the best peer)"},
	}
	home := t.TempDir()
	var got strings.Builder
	for _, f := range floors {
		model := filepath.Join(home, f.set+".depeche")
		args := append([]string{"train", "--folds", "1", "--model", model}, f.flags...)
		if code, _, errOut := cli(t, home, "", append(args, filepath.Join(shared, f.set, "train.tsv"))...); code != 0 {
			t.Fatalf("%s: train: %s", f.set, errOut)
		}
		code, out, errOut := cli(t, home, "", "eval", "--json", "--model", model, filepath.Join(shared, f.set, "test.tsv"))
		if code != 0 {
			t.Fatalf("%s: eval: %s", f.set, errOut)
		}
		var r struct {
			Macro float64 `json:"macro_f1"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		if r.Macro < f.floor {
			t.Errorf("%s: macro-F1 %.4f below %.3f (%s)", f.set, r.Macro, f.floor, f.peer)
		}
		fmt.Fprintf(&got, "%s %v macro_f1 %.4f\n", f.set, f.flags, r.Macro)
	}
	p := filepath.Join("testdata", "datasets_f1.golden")
	if *update {
		os.WriteFile(p, []byte(got.String()), 0o644)
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got.String() != string(want) {
		t.Errorf("macro-F1 changed:\n%s\nwant\n%s", got.String(), want)
	}
}
