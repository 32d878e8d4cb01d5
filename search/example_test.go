package search_test

import (
	"fmt"
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
