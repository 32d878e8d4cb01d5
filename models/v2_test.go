package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// modelV2SHA256 pins the format-2 fixture, written by the format-2 code of 2026-12 from the test corpus
// (train): like model_v1.depeche it is never regenerated.
const modelV2SHA256 = "0e622d913645c7cd673f1461881b343b12e41d27b8eea926363a474600571f3e"

func TestModelV2Loads(t *testing.T) {
	p := filepath.Join("testdata", "model_v2.depeche")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != modelV2SHA256 {
		t.Fatalf("%s changed (SHA-256 %x): old-format fixtures are never rewritten; restore it with git checkout", p, sum)
	}
	for name, decode := range map[string]func([]byte) (*Model, error){
		"Read":           func(b []byte) (*Model, error) { return Read(bytes.NewReader(b)) },
		"Decode":         Decode,
		"DecodeEmbedded": DecodeEmbedded,
	} {
		m, err := decode(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m.Format != 2 {
			t.Errorf("%s: format %d read from a format-2 file", name, m.Format)
		}
		got := m.Classify("Saisie de cannabis à Tanger et arrestation de trafiquants.", 2)
		if got[0].Label != "drogue" || !got[0].Predicted {
			t.Errorf("%s: v2 model: %+v, want drogue predicted first", name, got)
		}
	}
}

// TestModelV1AsV2: a format-1 model written again is a format-2 file of the same model.
func TestModelV1AsV2(t *testing.T) {
	v1, err := Load(filepath.Join("testdata", "model_v1.depeche"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, v1); err != nil {
		t.Fatal(err)
	}
	v2, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if v2.Format != 2 || binary.BigEndian.Uint32(buf.Bytes()[16:]) != 2 {
		t.Fatalf("written in format %d", v2.Format)
	}
	for _, text := range []string{"Une cellule terroriste démantelée à Tanger par le BCIJ.", "Saisie de cannabis au port.", ""} {
		a, b := v1.Judge(text, 3), v2.Judge(text, 3)
		for i := range a.Labels {
			if a.Labels[i].Label != b.Labels[i].Label || a.Labels[i].Score != b.Labels[i].Score || len(a.Labels[i].Terms) != len(b.Labels[i].Terms) {
				t.Fatalf("%q: %+v, then %+v", text, a.Labels[i], b.Labels[i])
			}
		}
		if a.Confidence != b.Confidence {
			t.Fatalf("%q: confidence %+v, then %+v", text, a.Confidence, b.Confidence)
		}
	}
	if len(v1.Vectorizer.Terms()) != v2.Vectorizer.Len() {
		t.Fatal("vocabulary lengths differ")
	}
}

// TestForgedV2: format 2's own sections and padding, edited under a valid checksum, are refused with
// ErrCorrupt (and DecodeEmbedded, which trusts the order and the table, still refuses what would make
// reading unsafe).
func TestForgedV2(t *testing.T) {
	good := forge(t, nil, nil)
	sec, err := readSections(good[headerSize:], Version)
	if err != nil {
		t.Fatal(err)
	}
	rebuild := func(edit func(map[string][]byte)) []byte {
		cp := map[string][]byte{}
		for k, v := range sec {
			cp[k] = append([]byte(nil), v...)
		}
		edit(cp)
		var s sectionWriter
		for _, tag := range []string{"META", "TERM", "TOFF", "THSH", "DFRQ", "WGHT", "DOMN"} {
			if b, ok := cp[tag]; ok {
				s.add(tag, b)
			}
		}
		var out bytes.Buffer
		writeContainer(&out, s.buf.Bytes())
		return out.Bytes()
	}
	u32 := func(b []byte, i int, x uint32) { binary.LittleEndian.PutUint32(b[4*i:], x) }
	for _, c := range []struct {
		name    string
		edit    func(map[string][]byte)
		unsafe_ bool // DecodeEmbedded must refuse it too
	}{
		{"no offsets", func(s map[string][]byte) { delete(s, "TOFF") }, true},
		{"no table", func(s map[string][]byte) { delete(s, "THSH") }, true},
		{"offset past the terms", func(s map[string][]byte) { u32(s["TOFF"], 1, 1<<20) }, true},
		{"offsets of another length", func(s map[string][]byte) { s["TOFF"] = s["TOFF"][:len(s["TOFF"])-4] }, true},
		{"half a table", func(s map[string][]byte) { s["THSH"] = s["THSH"][:len(s["THSH"])/2] }, true},
		{"id out of range", func(s map[string][]byte) { u32(s["THSH"], 0, 1<<30) }, true},
		{"full table", func(s map[string][]byte) {
			for i := 0; i < len(s["THSH"])/4; i++ {
				u32(s["THSH"], i, 1)
			}
		}, true},
		{"terms out of order", func(s map[string][]byte) {
			t := s["TERM"]
			t[0], t[len(t)-1] = t[len(t)-1], t[0]
		}, false},
		{"table not canonical", func(s map[string][]byte) {
			b := s["THSH"]
			for i := 0; i+1 < len(b)/4; i++ { // move the first entry one slot on
				if e := binary.LittleEndian.Uint32(b[4*i:]); e != 0 && binary.LittleEndian.Uint32(b[4*i+4:]) == 0 {
					u32(b, i+1, e)
					u32(b, i, 0)
					break
				}
			}
		}, false},
	} {
		b := rebuild(c.edit)
		if _, err := Decode(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Decode: %v, want ErrCorrupt", c.name, err)
		}
		if _, err := DecodeEmbedded(b); c.unsafe_ && !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: DecodeEmbedded: %v, want ErrCorrupt", c.name, err)
		}
	}
	// padding and reserved bytes must be zero
	for _, at := range []int{headerSize, headerSize + 9} {
		b := append([]byte(nil), good...)
		b[at] = 1
		var out bytes.Buffer
		writeContainer(&out, b[headerSize:])
		if _, err := Decode(out.Bytes()); !errors.Is(err, ErrCorrupt) {
			t.Errorf("a non-zero byte at %d: %v, want ErrCorrupt", at, err)
		}
	}
}
