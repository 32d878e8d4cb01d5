package archive

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// TestHotReadsPrepared: the hits' metadata and labels of any number of documents, in any order, are the
// archive's (as Load reads them), whether the list is padded to a prepared statement (up to
// maxPreparedList) or parsed (beyond); and a reader finds each hot read prepared.
func TestHotReadsPrepared(t *testing.T) {
	ctx := context.Background()
	a, _ := open(t)
	ds := engineDispatches(51, 400)
	if _, err := a.Add(ctx, items(ds), nil); err != nil {
		t.Fatal(err)
	}
	if err := a.SetLabels(ctx, ds[7].ID, []string{"z", "a_b"}); err != nil {
		t.Fatal(err)
	}
	s, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 3, 5, 64, 129, 256, 257, 400} {
		docs := make([]int, n)
		for i := range docs {
			docs[i] = (i*7 + 3) % len(ds) // not in order, all distinct (7 is prime to 400)
		}
		for pass := range 2 { // the second reads the rows from the cache, the labels again
			r, err := a.read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ms, err := r.metasOf(ctx, docs)
			r.Rollback()
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range docs {
				w := s.Metas[d]
				m := ms[i]
				if m.Doc != w.Doc || m.ID != w.ID || m.Date != w.Date || m.Title != w.Title || !slices.Equal(m.Labels, w.Labels) || !slices.Equal(m.Hash, w.Hash) {
					t.Fatalf("n=%d pass %d: doc %d is %+v, want %+v", n, pass, d, m, w)
				}
			}
		}
		args := docArgs(make([]any, n))
		r := &reader{format: FormatVersion, a: a}
		prepared := r.stmt(r.metasQuery(len(args))) != nil && r.stmt(labelsQuery(len(args))) != nil
		if prepared != (n <= maxPreparedList) {
			t.Errorf("n=%d: lists of %d prepared: %v", n, len(args), prepared)
		}
	}
	stmts := a.stmts.Load()
	if stmts == nil {
		t.Fatalf("nothing prepared after %d reads", a.reads.Load())
	}
	for _, q := range hotReads(FormatVersion) {
		if (*stmts)[q] == nil {
			t.Errorf("not prepared: %s", q)
		}
	}
	d, err := a.Get(ctx, ds[7].ID)
	if err != nil || d.Text != ds[7].Text || fmt.Sprint(d.Labels) != "[a_b z]" {
		t.Fatalf("Get: %+v %v", d, err)
	}
}

// TestPreparedAtThirdRead: an archive opened anew prepares its hot reads before its prepareAt-th read
// transaction, not at open (a one-shot command's two reads parse their SQL), and the reads before and
// after give the same rows; a closed archive prepares nothing.
func TestPreparedAtThirdRead(t *testing.T) {
	ctx := context.Background()
	a, p := open(t)
	ds := engineDispatches(52, 40)
	if _, err := a.Add(ctx, items(ds), nil); err != nil {
		t.Fatal(err)
	}
	a.Close()
	b, err := Open(p, "test-analyzer", false)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var first string
	for i := 1; i <= prepareAt+1; i++ {
		if got := b.stmts.Load() != nil; got != (i > prepareAt) {
			t.Fatalf("before read %d: prepared %v", i, got)
		}
		d, err := b.Get(ctx, ds[3].ID)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			first = fmt.Sprintf("%+v", d)
		} else if got := fmt.Sprintf("%+v", d); got != first {
			t.Fatalf("read %d: %s, want %s", i, got, first)
		}
	}
	c, err := Open(p, "test-analyzer", false)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	c.reads.Store(prepareAt - 1)
	c.beganRead()
	if c.stmts.Load() != nil {
		t.Fatal("a closed archive prepared its statements")
	}
}
