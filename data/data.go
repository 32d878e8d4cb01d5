package data

import (
	"embed"
	"io/fs"
	"sort"
	"unsafe"

	"github.com/depeche/depeche/dispatch"
)

// The corpus files, read through a file system.
//
//go:embed *.tsv
var files embed.FS

// model is the built-in model file, embedded as a string so that its bytes are the executable's
// read-only data, used where they are (see Model). "make model" creates an empty file when there is
// none, so that the package builds while the model is made for the first time.
//
//go:embed model.depeche
var model string

// Model returns the built-in model file, trained on the corpus by "make model", or nil when it has not
// been made. The bytes are not a copy: they are the executable's read-only data, which models.Decode
// reads in place (a copy of its 5 MB cost a classify command more time than classifying), and any write
// to them faults. Do not modify them.
func Model() []byte {
	if model == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(model), len(model))
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
