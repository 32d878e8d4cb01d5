package data

import (
	"embed"
	"io/fs"
	"sort"

	"github.com/depeche/depeche/dispatch"
)

// The whole folder is embedded (not "*.tsv model.depeche") so that the package still builds while the
// model is being made for the first time by "make model".
//
//go:embed *
var files embed.FS

// Model returns the built-in model file, trained on the corpus by "make model", or nil when it has not
// been made.
func Model() []byte {
	b, err := files.ReadFile("model.depeche")
	if err != nil {
		return nil
	}
	return b
}

// Files returns the names of the corpus files, sorted.
func Files() []string {
	names, _ := fs.Glob(files, "*.tsv")
	sort.Strings(names)
	return names
}

// Corpus returns every dispatch of the built-in corpus, file by file in name order, rows in file order.
func Corpus() ([]dispatch.Dispatch, error) {
	var out []dispatch.Dispatch
	for _, name := range Files() {
		f, err := files.Open(name)
		if err != nil {
			return nil, err
		}
		r := dispatch.NewReader(f, "data/"+name, dispatch.FormatTSV)
		for r.Next() {
			out = append(out, r.Dispatch())
		}
		f.Close()
		if err := r.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
