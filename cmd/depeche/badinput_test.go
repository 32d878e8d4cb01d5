package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestBadInputTable: every bad input a user or a script can give depeche gets one line on stderr that
// says what is wrong, the contract's exit code (2 for bad usage or bad input, 1 for a runtime failure),
// and no panic; what is stored stays as it was. The cases are the issue-11 attack's categories: empty,
// binary, invalid UTF-8, UTF-16 and huge input; malformed TSV, CSV and JSONL; corrupt, forged and newer
// models; corrupt and foreign archives; bad flags, dates, labels and numbers; and the commands' own
// refusals.
func TestBadInputTable(t *testing.T) {
	home, model, data := setup(t)
	dir := t.TempDir()
	write := func(name string, content []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ws := func(name, content string) string { return write(name, []byte(content)) }

	// an archive to damage and to protect
	archive := filepath.Join(dir, "good.db")
	if code, out, errOut := cli(t, home, "", "add", "--archive", archive, data); code != 0 {
		t.Fatalf("add: %d %s %s", code, out, errOut)
	}
	good, _ := os.ReadFile(archive)
	goodModel, _ := os.ReadFile(model)

	utf16le := func(s string) []byte {
		var b bytes.Buffer
		b.Write([]byte{0xff, 0xfe})
		for _, r := range utf16.Encode([]rune(s)) {
			binary.Write(&b, binary.LittleEndian, r)
		}
		return b.Bytes()
	}
	newer := append([]byte(nil), goodModel...)
	newer[19] = 9
	flipped := append([]byte(nil), goodModel...)
	flipped[len(flipped)/2] ^= 0x40
	forgedLen := append([]byte("depeche model\n\x00\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"), make([]byte, 32)...)

	f := map[string]string{
		"empty.txt":        ws("empty.txt", ""),
		"blank.txt":        ws("blank.txt", "  \n\t\n"),
		"binary.txt":       write("binary.txt", []byte("PK\x03\x04\x00\x00binary")),
		"latin1.txt":       write("latin1.txt", []byte("D\xe9p\xeache de l'AFP")),
		"utf16.txt":        write("utf16.txt", utf16le("Dépêche en UTF-16")),
		"utf16.tsv":        write("utf16.tsv", utf16le("id\ttext\na\tb\n")),
		"huge.txt":         write("huge.txt", bytes.Repeat([]byte("mot "), 20<<20/4+1)),
		"header-only.tsv":  ws("header-only.tsv", "id\ttext\tlabels\n"),
		"no-text.tsv":      ws("no-text.tsv", "id\tbody\nx\ty\n"),
		"fields.tsv":       ws("fields.tsv", "id\ttext\nx\ty\tz\n"),
		"dup-col.tsv":      ws("dup-col.tsv", "text\tText\na\tb\n"),
		"bad-date.tsv":     ws("bad-date.tsv", "date\ttext\n2019-02-30\tUn texte.\n"),
		"bad-label.tsv":    ws("bad-label.tsv", "labels\ttext\nterror ism\tUn texte.\n"),
		"empty-text.tsv":   ws("empty-text.tsv", "id\ttext\nx\t   \n"),
		"comma.tsv":        ws("comma.tsv", "id,text\na,b\n"),
		"nul.tsv":          write("nul.tsv", []byte("id\ttext\nx\tab\x00cd\n")),
		"quote.csv":        ws("quote.csv", "id,text\nx,\"unterminated\n"),
		"fields.csv":       ws("fields.csv", "id,text\nx,y,z\n"),
		"tab.csv":          ws("tab.csv", "id\ttext\nx\ty\n"),
		"array.jsonl":      ws("array.jsonl", "[{\"text\":\"a\"}]\n"),
		"syntax.jsonl":     ws("syntax.jsonl", "{\"text\": \"a\",}\n"),
		"notext.jsonl":     ws("notext.jsonl", "{\"id\":\"a\"}\n"),
		"numlabels.jsonl":  ws("numlabels.jsonl", "{\"text\":\"a\",\"labels\":[1]}\n"),
		"textnum.jsonl":    ws("textnum.jsonl", "{\"text\":12}\n"),
		"unknown.pdf":      ws("unknown.pdf", "%PDF-1.4"),
		"nolabels.tsv":     ws("nolabels.tsv", "text\nbonjour\nau revoir\n"),
		"onerow.tsv":       ws("onerow.tsv", "labels\ttext\nterrorisme\tUne cellule démantelée à Tanger.\n"),
		"empty-dir":        func() string { p := filepath.Join(dir, "empty-dir"); os.Mkdir(p, 0o755); return p }(),
		"model-empty":      ws("model-empty.depeche", ""),
		"model-text":       ws("model-text.depeche", "labels\ttext\nthis is not a model at all, not even close\n"),
		"model-trunc":      write("model-trunc.depeche", goodModel[:len(goodModel)/2]),
		"model-flipped":    write("model-flipped.depeche", flipped),
		"model-newer":      write("model-newer.depeche", newer),
		"model-forged-len": write("model-forged.depeche", forgedLen),
		"model-dir":        func() string { p := filepath.Join(dir, "model-dir"); os.Mkdir(p, 0o755); return p }(),
		"archive-trunc":    write("trunc.db", good[:len(good)/3]),
		"archive-random":   write("random.db", bytes.Repeat([]byte{0x5a, 0x13, 0xe7, 0x01}, 4096)),
		"archive-text":     ws("text.db", "id\ttext\nx\ty\n"),
		"archive-dir":      func() string { p := filepath.Join(dir, "dir.db"); os.Mkdir(p, 0o755); return p }(),
		"home-file":        ws("home-file", "x"),
	}
	m := []string{"--model", model}
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string // in the one stderr line
	}{
		// input: empty, binary, encodings, huge
		{"empty stdin", "", append([]string{"classify"}, m...), 2, "pipe an article"},
		{"blank stdin", " \n\t", append([]string{"classify"}, m...), 2, "pipe an article"},
		{"binary stdin", "ab\x00cd", append([]string{"classify"}, m...), 2, "binary"},
		{"latin-1 stdin", "D\xe9p\xeache", append([]string{"classify"}, m...), 2, "UTF-8"},
		{"empty file", "", append([]string{"classify", f["empty.txt"]}, m...), 2, "empty.txt"},
		{"blank file", "", append([]string{"classify", f["blank.txt"]}, m...), 2, "blank.txt"},
		{"binary file", "", append([]string{"classify", f["binary.txt"]}, m...), 2, "binary"},
		{"latin-1 file", "", append([]string{"classify", f["latin1.txt"]}, m...), 2, "latin1.txt:1"},
		{"utf-16 file", "", append([]string{"classify", f["utf16.txt"]}, m...), 2, "UTF-16"},
		{"utf-16 table", "", []string{"add", "--archive", filepath.Join(dir, "x1.db"), f["utf16.tsv"]}, 2, "UTF-16"},
		{"huge file", "", append([]string{"classify", f["huge.txt"]}, m...), 2, "huge.txt"},
		{"similar empty stdin", "", []string{"similar"}, 2, "pipe an article"},
		{"similar binary stdin", "\x00\x01", []string{"similar"}, 2, "binary"},
		// tables
		{"header only classify", "", append([]string{"classify", f["header-only.tsv"]}, m...), 2, "no dispatch"},
		{"header only add", "", []string{"add", "--archive", filepath.Join(dir, "x2.db"), f["header-only.tsv"]}, 2, "no dispatch"},
		{"header only train", "", []string{"train", "--model", filepath.Join(dir, "x.depeche"), f["header-only.tsv"]}, 2, "label"},
		{"header only eval", "", append([]string{"eval", f["header-only.tsv"]}, m...), 2, "label"},
		{"header only matrix", "", []string{"matrix", f["header-only.tsv"]}, 2, "no dispatch"},
		{"no text column", "", append([]string{"classify", f["no-text.tsv"]}, m...), 2, `"text"`},
		{"no text column named", "", append([]string{"classify", "--text-column", "corps", f["no-text.tsv"]}, m...), 2, `"corps"`},
		{"field count tsv", "", append([]string{"classify", f["fields.tsv"]}, m...), 2, "fields.tsv:2"},
		{"duplicate column", "", append([]string{"classify", f["dup-col.tsv"]}, m...), 2, "twice"},
		{"bad date", "", append([]string{"classify", f["bad-date.tsv"]}, m...), 2, "bad-date.tsv:2"},
		{"bad label", "", []string{"train", "--model", filepath.Join(dir, "x.depeche"), f["bad-label.tsv"]}, 2, "bad-label.tsv:2"},
		{"empty text", "", append([]string{"classify", f["empty-text.tsv"]}, m...), 2, "empty-text.tsv:2"},
		{"comma-separated .tsv", "", append([]string{"classify", f["comma.tsv"]}, m...), 2, ".csv"},
		{"NUL in a field", "", append([]string{"classify", f["nul.tsv"]}, m...), 2, "nul.tsv:2"},
		{"unterminated csv quote", "", append([]string{"classify", f["quote.csv"]}, m...), 2, "quote.csv"},
		{"field count csv", "", append([]string{"classify", f["fields.csv"]}, m...), 2, "fields.csv:2"},
		{"tab-separated .csv", "", append([]string{"classify", f["tab.csv"]}, m...), 2, ".tsv"},
		{"jsonl array", "", append([]string{"classify", f["array.jsonl"]}, m...), 2, "array"},
		{"jsonl syntax", "", append([]string{"classify", f["syntax.jsonl"]}, m...), 2, "syntax.jsonl:1"},
		{"jsonl without text", "", append([]string{"classify", f["notext.jsonl"]}, m...), 2, `"text"`},
		{"jsonl labels of numbers", "", []string{"train", "--model", filepath.Join(dir, "x.depeche"), f["numlabels.jsonl"]}, 2, "labels"},
		{"jsonl text a number", "", append([]string{"classify", f["textnum.jsonl"]}, m...), 2, "text"},
		{"unsupported file type", "", append([]string{"classify", f["unknown.pdf"]}, m...), 2, ".pdf"},
		{"missing file", "", append([]string{"classify", filepath.Join(dir, "absent.tsv")}, m...), 2, "absent.tsv"},
		{"missing file add", "", []string{"add", "--archive", filepath.Join(dir, "x3.db"), filepath.Join(dir, "absent.tsv")}, 2, "absent.tsv"},
		{"empty directory", "", append([]string{"classify", f["empty-dir"]}, m...), 2, "empty-dir"},
		{"stdin mixed with files", "x", append([]string{"classify", "-", data}, m...), 2, `"-"`},
		// training data
		{"no label at all", "", []string{"train", "--model", filepath.Join(dir, "x.depeche"), f["nolabels.tsv"]}, 2, "label"},
		{"one row", "", []string{"train", "--model", filepath.Join(dir, "x.depeche"), f["onerow.tsv"]}, 2, "at least 2"},
		{"more folds than rows", "", []string{"train", "--folds", "1000", "--model", filepath.Join(dir, "x.depeche"), data}, 2, "--folds 1000"},
		{"folds zero", "", []string{"train", "--folds", "0", data}, 2, "--folds"},
		{"unknown algo", "", []string{"train", "--algo", "svm", data}, 2, "logreg|nb"},
		{"unknown stemmer", "", []string{"train", "--stemmer", "porter", data}, 2, "snowball|none"},
		{"unknown calibration", "", []string{"train", "--calibration", "isotonic", data}, 2, "platt|none"},
		{"negative c", "", []string{"train", "--c", "-1", data}, 2, "--c"},
		{"max-df above 1", "", []string{"train", "--max-df", "2", data}, 2, "--max-df"},
		{"model is a directory", "", []string{"train", "--model", f["model-dir"], data}, 2, "is a directory"},
		{"train without archive", "", []string{"train"}, 2, "no FILE"},
		{"eval without labels", "", append([]string{"eval", f["nolabels.tsv"]}, m...), 2, "label"},
		// models
		{"missing model", "x", []string{"classify", "--model", filepath.Join(dir, "nope.depeche")}, 2, "not found"},
		{"empty model", "Un texte.", []string{"classify", "--model", f["model-empty"]}, 2, "model-empty.depeche"},
		{"text as model", "Un texte.", []string{"classify", "--model", f["model-text"]}, 2, "not a depeche model"},
		{"truncated model", "Un texte.", []string{"classify", "--model", f["model-trunc"]}, 2, "truncated"},
		{"flipped model", "Un texte.", []string{"classify", "--model", f["model-flipped"]}, 2, "checksum"},
		{"newer model", "Un texte.", []string{"classify", "--model", f["model-newer"]}, 2, "newer"},
		{"forged length", "Un texte.", []string{"classify", "--model", f["model-forged-len"]}, 2, "model-forged.depeche"},
		{"model is a directory (read)", "Un texte.", []string{"classify", "--model", f["model-dir"]}, 2, "model-dir"},
		{"eval with a bad model", "", []string{"eval", "--model", f["model-trunc"], data}, 2, "truncated"},
		{"info with a bad model", "", []string{"info", "--model", f["model-flipped"]}, 2, "checksum"},
		// archives
		{"truncated archive", "Un texte.", []string{"similar", "--archive", f["archive-trunc"]}, 2, "damaged"},
		{"truncated archive info", "", []string{"info", "--archive", f["archive-trunc"]}, 2, "damaged"},
		{"random archive", "Un texte.", []string{"similar", "--archive", f["archive-random"]}, 2, "not a depeche archive"},
		{"text as archive", "", []string{"info", "--archive", f["archive-text"]}, 2, "not a depeche archive"},
		{"directory as archive", "Un texte.", []string{"similar", "--archive", f["archive-dir"]}, 2, "directory"},
		{"add to a directory", "", []string{"add", "--archive", f["archive-dir"], data}, 2, "directory"},
		{"label a damaged archive", "", []string{"label", "--archive", f["archive-trunc"], "x", "terrorisme"}, 2, "damaged"},
		{"missing archive", "Un texte.", []string{"similar", "--archive", filepath.Join(dir, "absent.db")}, 2, "not found"},
		{"label without archive", "", []string{"label", "x", "terrorisme"}, 2, "no archive"},
		{"label unknown id", "", []string{"label", "--archive", archive, "no-such-id", "terrorisme"}, 2, "no-such-id"},
		{"label bad label", "", []string{"label", "--archive", archive, "t1", "terror ism"}, 2, "terror ism"},
		{"label nothing", "", []string{"label", "--archive", archive, "t1"}, 2, "LABEL"},
		{"show unknown id", "", []string{"show", "--archive", archive, "no-such-id"}, 2, "no-such-id"},
		{"show nothing", "", []string{"show"}, 2, "one ID"},
		// flags, dates, numbers
		{"unknown flag", "", []string{"classify", "--bogus"}, 2, "unknown flag"},
		{"unknown command", "", []string{"frobnicate"}, 2, "unknown command"},
		{"flag without value", "", []string{"similar", "-k"}, 2, "needs an argument"},
		{"k not a number", "", []string{"similar", "-k", "ten"}, 2, "invalid argument"},
		{"k zero", "x", []string{"similar", "-k", "0"}, 2, "-k 0"},
		{"too many arguments", "", []string{"similar", "a", "b"}, 2, "one FILE"},
		{"top negative", "x", append([]string{"classify", "--top", "-1"}, m...), 2, "--top"},
		{"bad since", "x", []string{"similar", "--since", "2019-13"}, 2, "--since"},
		{"bad until", "x", []string{"similar", "--until", "yesterday"}, 2, "--until"},
		{"until before since", "x", []string{"similar", "--since", "2020", "--until", "2019-06"}, 2, "before --since"},
		{"label nobody has", "Attentat déjoué à Tanger.", []string{"similar", "--label", "nolabel"}, 2, "no dispatch carries"},
		{"malformed --label", "x", []string{"similar", "--label", "a b"}, 2, "--label"},
		{"list bad date", "", []string{"list", "--since", "2019-00"}, 2, "--since"},
		{"list argument", "", []string{"list", "x"}, 2, "no argument"},
		{"export bad format", "", []string{"export", "--format", "xml"}, 2, "tsv|jsonl"},
		{"matrix bad format", "", []string{"matrix", "--format", "pdf"}, 2, "csv|json|png|svg"},
		{"matrix png without out", "", []string{"matrix", "--format", "png"}, 2, "--out"},
		{"matrix bad order", "", []string{"matrix", "--order", "random"}, 2, "--order"},
		{"home is a file", "", []string{"--home", f["home-file"], "train", data}, 2, "is a file"},
		{"serve bad addr", "", []string{"serve", "--addr", "bogus"}, 2, "HOST:PORT"},
		{"serve bad port", "", []string{"serve", "--addr", ":99999"}, 2, "0 to 65535"},
		{"add without file", "", []string{"add"}, 2, "FILE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := cli(t, home, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, errOut)
			}
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "depeche: ") || strings.HasSuffix(errOut, "\n") == false {
				t.Errorf("stderr does not end in one depeche line: %q", errOut)
			}
			for _, l := range lines[:len(lines)-1] { // notes before the error may only be warnings
				if !strings.HasPrefix(l, "depeche: warning:") && !strings.HasPrefix(l, "depeche: created the archive") {
					t.Errorf("stderr has more than the error line: %q", errOut)
				}
			}
			if !strings.Contains(last, tc.want) {
				t.Errorf("stderr %q does not mention %q", last, tc.want)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") || strings.Contains(errOut, "*errors.") {
				t.Errorf("a stack trace or a Go type on stderr: %q", errOut)
			}
		})
	}
	// nothing stored was lost or half-written
	if b, _ := os.ReadFile(model); !bytes.Equal(b, goodModel) {
		t.Error("the model file changed")
	}
	if b, _ := os.ReadFile(archive); !bytes.Equal(b, good) {
		t.Error("the archive file changed")
	}
}
