package vectorize_test

import (
	"fmt"

	"github.com/depeche/depeche/vectorize"
)

func ExampleAnalyzer_Analyze() {
	a, _ := vectorize.NewAnalyzer(vectorize.Options{})
	text := "L’État a démantelé jusqu’ici 3 cellules terroristes à Tanger."
	for _, tok := range a.Analyze(text) {
		fmt.Printf("%s\t%s\n", tok.Term, text[tok.Start:tok.End])
	}
	// Output:
	// etat	État
	// demantel	démantelé
	// cellul	cellules
	// terror	terroristes
	// tanger	Tanger
}

func ExampleVectorizer_FitTransform() {
	a, _ := vectorize.NewAnalyzer(vectorize.Options{})
	v := vectorize.NewVectorizer(a)
	v.MinDF = 1
	m, _ := v.FitTransform([]string{
		"Saisie de cannabis à Tanger.",
		"Saisie de cocaïne à Casablanca.",
	})
	for r := 0; r < m.Rows(); r++ {
		row := m.Row(r)
		for k, id := range row.Ind {
			fmt.Printf("doc %d %-10s %.3f\n", r, v.Terms()[id], row.Val[k])
		}
	}
	// Output:
	// doc 0 cannab     0.632
	// doc 0 saisie     0.449
	// doc 0 tanger     0.632
	// doc 1 casablanca 0.632
	// doc 1 cocain     0.632
	// doc 1 saisie     0.449
}

func ExampleClean() {
	page := "Rabat, 12 mars 2019 (MAP) - Le texte de la dépêche.\nLoading\nYou may also like\nUn autre titre"
	spans, meta := vectorize.Clean(page)
	for _, s := range spans {
		fmt.Printf("%q\n", page[s.Start:s.End])
	}
	fmt.Println(meta.Source, "|", meta.Dateline)
	// Output:
	// "Le texte de la dépêche."
	// MAP | Rabat, 12 mars 2019 (MAP) -
}
