package dispatch

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ReadText reads one article from r, as a .txt file named name: the whole input, trimmed, is the text;
// the id is name without its directory and extension ("stdin" gives "stdin"); name is the file in
// messages. It is what "depeche classify" reads from stdin. Empty input, or only white space, is an
// *InputError wrapping ErrNoText that says to pipe an article.
func ReadText(r io.Reader, name string) (Dispatch, error) {
	rd := NewReader(r, name, FormatTXT)
	if rd.Next() {
		return rd.Dispatch(), nil
	}
	err := rd.Err()
	if errors.Is(err, ErrNoText) {
		err = &InputError{File: name, Err: errorf(ErrNoText, "no text to read: pipe an article, e.g. depeche classify < article.txt, or name files")}
	}
	return Dispatch{}, err
}

// Load returns every dispatch of the file or directory at path (see Each), or nil and the first error.
func Load(path string) ([]Dispatch, error) {
	var out []Dispatch
	if err := Each(path, func(d Dispatch) error { out = append(out, d); return nil }); err != nil {
		return nil, err
	}
	return out, nil
}

// LoadAll returns the dispatches of every path in turn (see Each), or nil and the first error.
func LoadAll(paths []string) ([]Dispatch, error) {
	var out []Dispatch
	for _, p := range paths {
		err := Each(p, func(d Dispatch) error { out = append(out, d); return nil })
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Each calls fn with each dispatch of the file or directory at path, in order, reading one record at a
// time (only a .txt file is read whole), so that the size of the input does not matter. The format is
// chosen by the extension (FormatOf). A directory stands for every supported file under it, at any depth,
// in the order of their paths; files and folders whose name starts with "." are left out, as are files of
// other types. A directory with no supported file is an error (ErrNoFiles), as is a path of another type
// given by name (ErrFormat) and a path that does not exist (an *InputError wrapping fs.ErrNotExist).
//
// The first bad row stops the reading with an *InputError. An error returned by fn stops it too and is
// returned as it is.
func Each(path string, fn func(Dispatch) error) error { return EachLenient(path, fn, nil) }

// EachLenient is Each that, when onBad is not nil, passes bad rows to onBad and goes on (see
// Reader.OnBadRow for what a bad row is). Problems of a whole file still stop it.
func EachLenient(path string, fn func(Dispatch) error, onBad func(*InputError)) error {
	return EachWith(path, Options{}, fn, onBad)
}

// Options are settings of every Reader that EachWith and LoadAllWith open.
type Options struct {
	TextColumn string // see Reader.TextColumn
}

// LoadAllWith is LoadAll with reader options.
func LoadAllWith(paths []string, opt Options) ([]Dispatch, error) {
	var out []Dispatch
	for _, p := range paths {
		if err := EachWith(p, opt, func(d Dispatch) error { out = append(out, d); return nil }, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EachWith is EachLenient with reader options. When onBad is not nil, a whole file of a directory that
// cannot be read (binary data, no text column, a .csv quoting error) is passed to onBad too, as one
// *InputError naming the file, and the other files are read.
func EachWith(path string, opt Options, fn func(Dispatch) error, onBad func(*InputError)) error {
	st, err := os.Stat(path)
	if err != nil {
		return &InputError{File: path, Err: fileError(err)}
	}
	files := []string{path}
	if st.IsDir() {
		if files, err = Files(path); err != nil {
			return err
		}
	}
	for _, f := range files {
		err := eachFile(f, opt, fn, onBad)
		var ie *InputError
		if err != nil && st.IsDir() && onBad != nil && errors.As(err, &ie) && ie.File == f {
			// one bad file of a directory (binary, no text column…) is reported like a bad row, and the
			// other files are read: a folder of a thousand exports should not fail on one
			onBad(ie)
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func eachFile(path string, opt Options, fn func(Dispatch) error, onBad func(*InputError)) error {
	format := FormatOf(path)
	if format == FormatUnknown {
		return &InputError{File: path, Err: errorf(ErrFormat, "unsupported file type %q: use one of %s", filepath.Ext(path), Extensions)}
	}
	f, err := os.Open(path)
	if err != nil {
		return &InputError{File: path, Err: fileError(err)}
	}
	defer f.Close()
	r := NewReader(f, path, format)
	r.OnBadRow = onBad
	r.TextColumn = opt.TextColumn
	for r.Next() {
		if err := fn(r.Dispatch()); err != nil {
			return err
		}
	}
	return r.Err()
}

// Files returns the supported files under dir (see Each), sorted by path. It is an *InputError wrapping
// ErrNoFiles when there is none.
func Files(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return &InputError{File: p, Err: fileError(err)}
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || FormatOf(p) == FormatUnknown {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 { // a link to a file counts; a link to a folder is not followed
			if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
				return nil
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, &InputError{File: dir, Err: errorf(ErrNoFiles, "no %s file in this directory", strings.ReplaceAll(Extensions, ", .jsonl", " or .jsonl"))}
	}
	sort.Strings(out)
	return out, nil
}

// fileError keeps the reason of an fs error (its path is already in the InputError), with the fs
// sentinel still found by errors.Is.
func fileError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errorf(fs.ErrNotExist, "no such file or directory")
	case errors.Is(err, fs.ErrPermission):
		return errorf(fs.ErrPermission, "permission denied")
	}
	return err
}
