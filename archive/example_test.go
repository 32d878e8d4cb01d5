package archive_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/dispatch"
)

func Example() {
	dir, _ := os.MkdirTemp("", "depeche-example")
	defer os.RemoveAll(dir)
	a, err := archive.Open(filepath.Join(dir, "archive.db"), "example-analyzer", true)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	ds := []dispatch.Dispatch{
		{ID: "a1", Date: "2019-03-14", Text: "saisie de cannabis à tanger"},
		{ID: "a2", Date: "2020-05-02", Text: "des migrants secourus au large de tarfaya"},
		{ID: "a3", Date: "2021-01-20", Text: "saisie record de cannabis au port de tanger med"},
	}
	i := 0
	next := func() (archive.Item, bool, error) {
		if i == len(ds) {
			return archive.Item{}, false, nil
		}
		i++
		// the terms come from the caller's analyzer; plain words here
		return archive.Item{Dispatch: ds[i-1], Terms: strings.Fields(ds[i-1].Text)}, true, nil
	}
	st, err := a.Add(context.Background(), next, nil)
	fmt.Println(st.Added, st.Duplicates, err)
	res, _ := a.Similar(context.Background(), strings.Fields("cannabis saisi à tanger"), 2, archive.Filter{Since: "2020"})
	for _, r := range res {
		fmt.Printf("%s %.3f %v\n", r.ID, r.Score, r.Shared)
	}
	// Output:
	// 3 0 <nil>
	// a3 0.313 [cannabis tanger]
}
