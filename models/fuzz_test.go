package models

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead: a model file of any content gives a model or an error, never a panic nor an allocation the
// file cannot back; a model that reads writes bytes that read back to a model writing the same bytes
// again (Write∘Read is a fixed point after one step: the first write may normalise the JSON).
func FuzzRead(f *testing.F) {
	for _, name := range []string{"model_v1.depeche", "model_v2.depeche"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
			f.Add(b[:len(b)/2])
			flipped := append([]byte(nil), b...)
			flipped[70] ^= 1
			f.Add(flipped)
		}
	}
	f.Add([]byte(magic))
	f.Add([]byte("labels\ttext\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Read(bytes.NewReader(b))
		if d, derr := Decode(b); (derr == nil) != (err == nil) {
			t.Fatalf("Read: %v, Decode: %v", err, derr)
		} else if derr == nil {
			d.Judge("Saisie de cannabis à Tanger.", 3)
		}
		if e, eerr := DecodeEmbedded(b); eerr == nil {
			e.Judge("Saisie de cannabis à Tanger.", 3)
		}
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Write(&out, m); err != nil {
			t.Fatal(err)
		}
		m2, err := Read(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("a model written from a model that read does not read: %v", err)
		}
		var again bytes.Buffer
		if err := Write(&again, m2); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), again.Bytes()) {
			t.Fatal("write, read, write: the bytes differ")
		}
		m.Judge("Saisie de cannabis à Tanger.", 3)
	})
}

// FuzzPayload: any payload under a valid header and checksum (what a buggy writer could produce) gives a
// model or an error, never a panic.
func FuzzPayload(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "model_v2.depeche")); err == nil {
		f.Add(b[headerSize:]) // the container writes the current format
	}
	f.Add([]byte("META\x00\x00\x00\x00\x00\x00\x00\x02{}"))
	f.Fuzz(func(t *testing.T, payload []byte) {
		var buf bytes.Buffer
		if err := writeContainer(&buf, payload); err != nil {
			t.Fatal(err)
		}
		if m, err := Read(&buf); err == nil {
			m.Classify("Saisie de cannabis à Tanger.", 3)
		}
	})
}
