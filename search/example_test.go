package search_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/depeche/depeche/search"
)

func ExampleIndex_Search() {
	// three documents over a four-term vocabulary, as term ids and counts
	vocab := []string{"cannabis", "migrants", "saisie", "tanger"}
	docs := []search.DocTerms{
		{Terms: []int32{0, 2, 3}, Counts: []int32{2, 1, 1}}, // cannabis ×2, saisie, tanger
		{Terms: []int32{1, 3}, Counts: []int32{1, 1}},       // migrants, tanger
		{Terms: []int32{0, 2}, Counts: []int32{1, 1}},       // cannabis, saisie
	}
	x := search.Build(vocab, len(docs), func(i int) search.DocTerms { return docs[i] })
	q := x.Query(strings.Fields("saisie de cannabis à tanger"))
	for _, h := range x.Search(q, 2, nil) {
		fmt.Printf("doc %d %.3f %v\n", h.Doc, h.Score, h.Shared)
	}
	// Output:
	// doc 0 0.967 [cannabis saisie tanger]
	// doc 2 0.816 [cannabis saisie]
}

// The cold path: the same documents as ExampleIndex_Search, stored as postings (documents and counts) and
// 1/‖d‖, streamed into a Stream term by term in the order it asks: the same hits, to the last bit.
func ExampleStream() {
	vocab := []string{"cannabis", "migrants", "saisie", "tanger"}
	docs := []search.DocTerms{
		{Terms: []int32{0, 2, 3}, Counts: []int32{2, 1, 1}},
		{Terms: []int32{1, 3}, Counts: []int32{1, 1}},
		{Terms: []int32{0, 2}, Counts: []int32{1, 1}},
	}
	// what a store keeps: each term's postings and df, each document's 1/‖d‖
	postings := map[int32][2][]int32{0: {{0, 2}, {2, 1}}, 1: {{1}, {1}}, 2: {{0, 2}, {1, 1}}, 3: {{0, 1}, {1, 1}}}
	w := search.Weights{N: len(docs)}
	idf := w.IDFs([]int32{2, 1, 2, 2})
	inv := make([]float64, len(docs))
	for d, dt := range docs {
		inv[d] = w.InvNorm(dt, idf)
	}
	st, _ := search.NewStream(len(docs), strings.Fields("saisie de cannabis à tanger"), func(t string) (search.TermStats, bool, error) {
		for id, v := range vocab {
			if v == t {
				return search.TermStats{ID: int32(id), DF: len(postings[int32(id)][0])}, true, nil
			}
		}
		return search.TermStats{}, false, nil
	})
	for i, id := range st.Order() {
		st.Add(i, postings[id][0], postings[id][1], inv)
	}
	for _, h := range st.Top(2, nil) {
		fmt.Printf("doc %d %.3f %v\n", h.Doc, h.Score, st.Shared(docs[h.Doc], inv[h.Doc]))
	}
	// Output:
	// doc 0 0.967 [cannabis saisie tanger]
	// doc 2 0.816 [cannabis saisie]
}

// A Filter keeps a label exactly and dates at their bound's precision.
func ExampleFilter() {
	f := search.Filter{Label: "a_b", Since: "2019-03", Until: "2019"}
	fmt.Println(f.Match("2019-12-31", []string{"a_b"}), f.Match("2019-02", []string{"a_b"}), f.Match("2019-06", []string{"axb"}), f.Match("", []string{"a_b"}))
	// Output: true false false false
}

// The index file: ExampleIndex_Search's documents written as two segments (as two adds would) and an
// index file over them, mapped again, give the same hits, without reading more of the files than the
// query touches; the stamp says what state it was built from.
func ExampleOpenFile() {
	vocab := []string{"cannabis", "migrants", "saisie", "tanger"}
	docs := []search.DocTerms{
		{Terms: []int32{0, 2, 3}, Counts: []int32{2, 1, 1}},
		{Terms: []int32{1, 3}, Counts: []int32{1, 1}},
		{Terms: []int32{0, 2}, Counts: []int32{1, 1}},
	}
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "archive.db.idx")
	w := search.NewWriter(path, 4) // a segment from 4 postings on
	for _, d := range docs {
		if err := w.Add(d); err != nil {
			panic(err)
		}
	}
	segs, err := w.Segments()
	if err != nil {
		panic(err)
	}
	if err := search.WriteIndexFile(path, []byte("batch 1"), vocab, segs); err != nil {
		panic(err)
	}
	fmt.Println(len(segs), "segments")
	xf, err := search.OpenFile(path)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s, %d documents\n", xf.Stamp, xf.Index.Len())
	q := xf.Index.Query(strings.Fields("saisie de cannabis à tanger"))
	for _, h := range xf.Index.Search(q, 2, nil) {
		fmt.Printf("doc %d %.3f %v\n", h.Doc, h.Score, h.Shared)
	}
	// Output:
	// 2 segments
	// batch 1, 3 documents
	// doc 0 0.967 [cannabis saisie tanger]
	// doc 2 0.816 [cannabis saisie]
}
