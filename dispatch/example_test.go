package dispatch_test

import (
	"fmt"
	"strings"

	"github.com/depeche/depeche/dispatch"
)

func ExampleNewReader() {
	tsv := "id\tlabels\ttext\nd1\tterrorisme,migration\tRéunion sécuritaire maroco-française.\n"
	r := dispatch.NewReader(strings.NewReader(tsv), "exemple.tsv", dispatch.FormatTSV)
	for r.Next() {
		d := r.Dispatch()
		fmt.Println(d.ID, d.Labels, d.Text)
	}
	if err := r.Err(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// d1 [terrorisme migration] Réunion sécuritaire maroco-française.
}

func ExampleInputError() {
	r := dispatch.NewReader(strings.NewReader("text\tdate\nbonjour\t2019-13-02\n"), "articles.tsv", dispatch.FormatTSV)
	for r.Next() {
	}
	fmt.Println(r.Err())
	// Output:
	// articles.tsv:2: column "date": "2019-13-02" is not YYYY-MM-DD or YYYY-MM
}
