package dispatch_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/depeche/depeche/dispatch"
)

// Load reads a directory: every .txt, .tsv, .csv and .jsonl file under it, in path order. Hidden files
// and other types (notes.md) are left out; a row without an id gets "<file>:<line>".
func Example() {
	ds, err := dispatch.Load("testdata/corpus")
	if err != nil {
		fmt.Println(err)
		return
	}
	orDash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, d := range ds {
		fmt.Printf("%-37s %-10s %s\n", d.ID, orDash(d.Date), orDash(strings.Join(d.Labels, ",")))
	}
	// Output:
	// article                               -          -
	// afp-17                                2020-01-15 migration
	// testdata/corpus/autres/breves.jsonl:3 -          -
	// map-001                               2019-12-02 terrorisme,criminalite-organisee
	// map-002                               2019-12    parlement
}

func ExampleNewReader() {
	tsv := "id\tlabels\ttext\n" +
		"d1\tterrorisme,migration\t\"Réunion sécuritaire\" maroco-française.\n" +
		"d2\tSanté\tLes hôpitaux de Casablanca.\n"
	r := dispatch.NewReader(strings.NewReader(tsv), "exemple.tsv", dispatch.FormatTSV)
	for r.Next() {
		d := r.Dispatch()
		fmt.Println(d.ID, d.Labels, d.Text)
	}
	if err := r.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// d1 [terrorisme migration] "Réunion sécuritaire" maroco-française.
	// exemple.tsv:3: column "labels": "santé" is not a label id (a label id has only lower-case letters a-z, digits and - _ / .): write sante
}

// With OnBadRow, a bad row is reported and the reading goes on.
func ExampleReader_lenient() {
	tsv := "text\tdate\nun\t2019-12-02\ndeux\t2019-13-02\ntrois\ttrop\tde champs\nquatre\t\n"
	r := dispatch.NewReader(strings.NewReader(tsv), "articles.tsv", dispatch.FormatTSV)
	r.OnBadRow = func(e *dispatch.InputError) { fmt.Println("skipped:", e) }
	for r.Next() {
		fmt.Println(r.Dispatch().Text)
	}
	fmt.Println("error:", r.Err())
	// Output:
	// un
	// skipped: articles.tsv:3: column "date": "2019-13-02" is not YYYY-MM-DD or YYYY-MM
	// skipped: articles.tsv:4: 3 fields but the header has 2 (a .tsv is split on every tab, with no quoting: replace the tabs inside a field by spaces)
	// quatre
	// error: <nil>
}

func ExampleInputError() {
	tsv := "text\tdate\n" + strings.Repeat("Une dépêche.\t2019-12-02\n", 12) + "Une autre.\t2019-13-02\n"
	_, err := readAll("articles.tsv", tsv)
	fmt.Println(err)

	var ie *dispatch.InputError
	if errors.As(err, &ie) {
		fmt.Println(ie.File, ie.Line, ie.Field, errors.Is(err, dispatch.ErrBadDate))
	}
	// Output:
	// articles.tsv:14: column "date": "2019-13-02" is not YYYY-MM-DD or YYYY-MM
	// articles.tsv 14 date true
}

func readAll(name, input string) ([]dispatch.Dispatch, error) {
	r := dispatch.NewReader(strings.NewReader(input), name, dispatch.FormatOf(name))
	var ds []dispatch.Dispatch
	for r.Next() {
		ds = append(ds, r.Dispatch())
	}
	return ds, r.Err()
}

func ExampleReadText() {
	d, err := dispatch.ReadText(strings.NewReader("\n  Le Parlement adopte la loi sur l’immigration.\n"), "stdin")
	fmt.Printf("%s %q %v\n", d.ID, d.Text, err)

	_, err = dispatch.ReadText(strings.NewReader(""), "stdin")
	fmt.Println(err)
	// Output:
	// stdin "Le Parlement adopte la loi sur l’immigration." <nil>
	// stdin: no text to read: pipe an article, e.g. depeche classify < article.txt, or name files
}

// Each streams the dispatches of a file or directory one at a time, whatever its size.
func ExampleEach() {
	labels := map[string]int{}
	err := dispatch.Each("testdata/corpus", func(d dispatch.Dispatch) error {
		for _, l := range d.Labels {
			labels[l]++
		}
		return nil
	})
	fmt.Println(labels, err)
	// Output:
	// map[criminalite-organisee:1 migration:1 parlement:1 terrorisme:1] <nil>
}

func ExampleWriteTSV() {
	ds := []dispatch.Dispatch{
		{ID: "d1", Date: "2019-12", Labels: []string{"terrorisme", "migration"}, Text: "Deux paragraphes.\n\nSéparés\tpar une tabulation."},
	}
	if err := dispatch.WriteTSV(os.Stdout, ds); err != nil {
		fmt.Println(err)
	}
	if err := dispatch.WriteJSONL(os.Stdout, ds); err != nil {
		fmt.Println(err)
	}
	// Output:
	// id	date	source	title	url	labels	event	text
	// d1	2019-12				terrorisme,migration		Deux paragraphes.  Séparés par une tabulation.
	// {"id":"d1","date":"2019-12","labels":["terrorisme","migration"],"text":"Deux paragraphes.\n\nSéparés\tpar une tabulation."}
}

func ExampleValidDate() {
	for _, s := range []string{"2019-12-02", "2019-12", "2020-02-29", "2019-02-29", "2019-13-02", "02/12/2019"} {
		fmt.Println(s, dispatch.ValidDate(s))
	}
	// Output:
	// 2019-12-02 true
	// 2019-12 true
	// 2020-02-29 true
	// 2019-02-29 false
	// 2019-13-02 false
	// 02/12/2019 false
}

func ExampleValidLabel() {
	for _, l := range []string{"criminalite-organisee", "science/technology", "Terrorisme", "santé", "a b"} {
		fmt.Println(l, dispatch.ValidLabel(l))
	}
	// Output:
	// criminalite-organisee true
	// science/technology true
	// Terrorisme false
	// santé false
	// a b false
}
