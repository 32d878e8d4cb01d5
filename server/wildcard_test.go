package server_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/server"
)

// TestSimilarLabelIsExact is the regression test of the label wildcard bug (issue 10): the label of a
// similar request, a listing or a timeline matches a label id exactly, as the command line does, never as
// an SQL LIKE pattern (% and _ once matched every label, or "terror%" matched terrorisme).
func TestSimilarLabelIsExact(t *testing.T) {
	d, _ := archiveDesk(t)
	if _, err := d.Add(context.Background(), []depeche.Dispatch{
		{ID: "w1", Date: "2021-01-01", Text: "Une cellule terroriste démantelée près de Tanger, étiquetée a_b.", Labels: []string{"a_b"}},
		{ID: "w2", Date: "2021-01-02", Text: "Une autre cellule terroriste démantelée à Fès, étiquetée axb.", Labels: []string{"axb"}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := d.LoadIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts, _ := start(t, d, server.Options{})
	for _, c := range []struct {
		label string
		want  []string // the ids allowed in the answer; nil: no result, or the label refused (400)
	}{
		{"terrorisme", []string{"t1", "t2", "t3"}},
		{"a_b", []string{"w1"}},
		{"axb", []string{"w2"}},
		{"terror%", nil},
		{"%", nil},
		{"_", nil},
		{"a%", nil},
		{"_xb", nil},
	} {
		body := fmt.Sprintf(`{"text": "cellule terroriste démantelée", "k": 10, "label": %q}`, c.label)
		r := do(t, "POST", ts.URL+"/v1/similar", body)
		if c.want == nil && r.status == 400 {
			continue // refused as a label id: as exact as no result
		}
		if r.status != 200 {
			t.Fatalf("label %q: %s", c.label, r.raw)
		}
		res, _ := r.body["results"].([]any)
		if c.want != nil && len(res) == 0 {
			t.Errorf("label %q: no result, want some of %v", c.label, c.want)
		}
		for _, x := range res {
			id, _ := x.(map[string]any)["id"].(string)
			ok := false
			for _, w := range c.want {
				ok = ok || id == w
			}
			if !ok {
				t.Errorf("label %q: %s in the results (want only %v)", c.label, id, c.want)
			}
		}
		r = do(t, "GET", ts.URL+"/v1/dispatches?label="+urlQuery(c.label), "")
		if r.status == 400 && c.want == nil {
			continue
		}
		items, _ := r.body["items"].([]any)
		if r.status != 200 || len(items) != len(c.want) {
			t.Errorf("list label %q: %d dispatches, want %d (%s)", c.label, len(items), len(c.want), r.raw)
		}
	}
}

func urlQuery(s string) string {
	out := ""
	for _, b := range []byte(s) {
		out += fmt.Sprintf("%%%02X", b)
	}
	return out
}
