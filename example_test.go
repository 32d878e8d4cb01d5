package depeche_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/depeche/depeche"
)

// Classify an article with the built-in model, then list the most similar dispatches of the built-in
// corpus.
func Example() {
	desk, err := depeche.OpenBuiltin()
	if err != nil {
		log.Fatal(err)
	}
	text := "Un réseau de trafic de résine de cannabis démantelé au port de Tanger Med : quatre tonnes saisies."
	for _, l := range desk.Classify(text).Labels {
		if l.Predicted {
			fmt.Println("theme:", l.Label)
		}
	}
	similar, err := desk.Similar(context.Background(), text, 3, depeche.Filter{Label: "drogue"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(similar), "similar dispatches labelled drogue")
	// Output:
	// theme: drogue
	// theme: criminalite-organisee
	// 3 similar dispatches labelled drogue
}

// Train a model on labeled dispatches: the zero options are depeche train's defaults.
func ExampleTrain() {
	var ds []depeche.Dispatch
	for i, t := range []struct{ text, label string }{
		{"Une cellule terroriste liée à Daech démantelée à Fès.", "terrorisme"},
		{"Attentat déjoué : un extrémiste arrêté par le BCIJ.", "terrorisme"},
		{"Saisie de trois tonnes de cannabis au port de Tanger Med.", "drogue"},
		{"Deux trafiquants de cocaïne arrêtés à Casablanca.", "drogue"},
	} {
		ds = append(ds, depeche.Dispatch{ID: fmt.Sprint(i), Text: t.text, Labels: []string{t.label}})
	}
	m, err := depeche.Train(ds, depeche.TrainOptions{Folds: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Classifier.Labels, m.Info.Docs)
	// Output: [drogue terrorisme] 4
}

// Import dispatches into a new archive, label one, and find it again.
func ExampleDesk_Add() {
	dir, _ := os.MkdirTemp("", "depeche")
	defer os.RemoveAll(dir)
	desk, err := depeche.CreateArchive(filepath.Join(dir, "archive.db"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer desk.Close()
	ctx := context.Background()
	st, err := desk.Add(ctx, []depeche.Dispatch{
		{ID: "a1", Date: "2024-03-02", Text: "Naufrage d'une embarcation de migrants au large de Lampedusa."},
		{ID: "a2", Date: "2024-05-11", Text: "Le Sénat vote la loi sur l'asile et l'immigration."},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := desk.Label(ctx, "a1", []string{"migration"}); err != nil {
		log.Fatal(err)
	}
	res, _ := desk.Similar(ctx, "Des migrants secourus près de Lampedusa", 5, depeche.Filter{Label: "migration"})
	fmt.Println(st.Added, "added;", res[0].ID, res[0].Labels)
	// Output: 2 added; a1 [migration]
}

// Import a TSV file into an archive, as "depeche add" does: one transaction, bad rows reported with their
// line, near-duplicates found.
func ExampleDesk_Import() {
	dir, _ := os.MkdirTemp("", "depeche")
	defer os.RemoveAll(dir)
	tsv := "id\ttext\n" +
		"m1\tDes garde-côtes ont secouru quarante migrants au large de Lampedusa.\n" +
		"m2\t\n" +
		"m3\tDes garde-côtes ont secouru quarante migrants au large de Lampedusa samedi.\n"
	os.WriteFile(filepath.Join(dir, "in.tsv"), []byte(tsv), 0o644)
	desk, err := depeche.OpenArchive(depeche.Config{Archive: filepath.Join(dir, "a.db"), Create: true}, nil, "")
	if err != nil {
		log.Fatal(err)
	}
	defer desk.Close()
	rep, err := desk.Import(context.Background(), []string{filepath.Join(dir, "in.tsv")}, depeche.ImportOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Added, "added,", len(rep.Rejected), "rejected,", len(rep.Near), "near-duplicate pair")
	// Output: 2 added, 1 rejected, 1 near-duplicate pair
}

// A one-shot search of an archive, as "depeche similar" does: read-only, with the index file read beside
// the archive's opening.
func ExampleOpenArchive() {
	dir, _ := os.MkdirTemp("", "depeche")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "archive.db")
	w, err := depeche.CreateArchive(path, nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	w.Add(ctx, []depeche.Dispatch{
		{ID: "d1", Text: "Saisie de trois tonnes de cannabis au port de Tanger Med."},
		{ID: "d2", Text: "Le parlement adopte le budget de la défense."},
	})
	w.Close()
	desk, err := depeche.OpenArchive(depeche.Config{Archive: path, ReadOnly: true, PrefetchIndex: true}, nil, "")
	if err != nil {
		log.Fatal(err)
	}
	defer desk.Close()
	res, err := desk.Similar(ctx, "Une tonne de cannabis saisie à Tanger", 1, depeche.Filter{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res[0].ID)
	// Output: d1
}

// The cosine of every pair of a few dispatches, in an order that puts similar ones side by side.
func ExampleCompare() {
	c, err := depeche.Compare([]depeche.Dispatch{
		{ID: "a", Text: "Saisie de cannabis au port de Tanger Med."},
		{ID: "b", Text: "Le Parlement vote le budget."},
		{ID: "c", Text: "Nouvelle saisie de cannabis à Tanger."},
	})
	if err != nil {
		log.Fatal(err)
	}
	cos := c.Cosines()
	var order []string
	for _, i := range depeche.ClusterOrder(cos) {
		order = append(order, c.IDs[i])
	}
	fmt.Printf("%v\na~c %.2f, a~b %.2f\n", order, cos[0][2], cos[0][1])
	// Output:
	// [a c b]
	// a~c 0.54, a~b 0.00
}
