package models

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"runtime"
	"testing"
)

// forge rewrites a valid model's payload with edit applied to its META JSON (as a map) and, when wght is
// not nil, to its weights, under a valid header and checksum: what a buggy or hostile writer makes.
func forge(t *testing.T, edit func(map[string]any), wght func([]byte)) []byte {
	t.Helper()
	var good bytes.Buffer
	if err := Write(&good, train(t)); err != nil {
		t.Fatal(err)
	}
	sec, err := readSections(good.Bytes()[headerSize:], Version)
	if err != nil {
		t.Fatal(err)
	}
	var md map[string]any
	if err := json.Unmarshal(sec["META"], &md); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(md)
	}
	js, _ := json.Marshal(md)
	var s sectionWriter
	s.add("META", js)
	for _, tag := range []string{"TERM", "TOFF", "THSH", "DFRQ", "WGHT", "DOMN"} {
		b := append([]byte(nil), sec[tag]...)
		if tag == "WGHT" && wght != nil {
			wght(b)
		}
		s.add(tag, b)
	}
	var out bytes.Buffer
	if err := writeContainer(&out, s.buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestForgedModels: values a checksum cannot vouch for are checked one by one, each with ErrCorrupt.
func TestForgedModels(t *testing.T) {
	classifier := func(md map[string]any) map[string]any { return md["classifier"].(map[string]any) }
	for _, c := range []struct {
		name string
		edit func(map[string]any)
		wght func([]byte)
	}{
		{"no documents", func(md map[string]any) { md["docs"] = 0 }, nil},
		{"negative documents", func(md map[string]any) { md["docs"] = -5 }, nil},
		{"max_df above 1", func(md map[string]any) { md["max_df"] = 7.5 }, nil},
		{"max_df zero", func(md map[string]any) { md["max_df"] = 0 }, nil},
		{"negative min_df", func(md map[string]any) { md["min_df"] = -1 }, nil},
		{"unknown algorithm", func(md map[string]any) { classifier(md)["algo"] = "svm" }, nil},
		{"threshold above 1", func(md map[string]any) { classifier(md)["thresholds"].([]any)[0] = 3.0 }, nil},
		{"unsorted labels", func(md map[string]any) {
			ls := classifier(md)["labels"].([]any)
			ls[0], ls[1] = ls[1], ls[0]
		}, nil},
		{"bad label id", func(md map[string]any) { classifier(md)["labels"].([]any)[0] = "Terror ism" }, nil},
		{"negative label count", func(md map[string]any) {
			md["info"].(map[string]any)["label_counts"].(map[string]any)["drogue"] = -3
		}, nil},
		{"NaN weight", nil, func(b []byte) { binary.LittleEndian.PutUint32(b[8:], math.Float32bits(float32(math.NaN()))) }},
		{"infinite weight", nil, func(b []byte) { binary.LittleEndian.PutUint32(b[4:], math.Float32bits(float32(math.Inf(1)))) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read(bytes.NewReader(forge(t, c.edit, c.wght)))
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("err = %v, want ErrCorrupt", err)
			}
		})
	}
	// negative document frequency
	b := forge(t, nil, nil)
	sec, _ := readSections(b[headerSize:], Version)
	df := sec["DFRQ"]
	binary.LittleEndian.PutUint32(df[:4], uint32(0xfffffff0))
	var s sectionWriter
	for _, tag := range []string{"META", "TERM", "TOFF", "THSH", "DFRQ", "WGHT", "DOMN"} {
		s.add(tag, sec[tag])
	}
	var out bytes.Buffer
	writeContainer(&out, s.buf.Bytes())
	if _, err := Read(&out); !errors.Is(err, ErrCorrupt) {
		t.Errorf("negative df: err = %v, want ErrCorrupt", err)
	}
}

// TestForgedLength: a header that announces gigabytes the file does not hold is a truncated file, and
// reading it allocates about what the file holds (the 60-byte file that asked for 4 GiB).
func TestForgedLength(t *testing.T) {
	var h [headerSize]byte
	copy(h[:], magic)
	binary.BigEndian.PutUint32(h[16:], Version)
	binary.BigEndian.PutUint64(h[20:], maxPayload)
	for _, r := range []func() *bytes.Reader{
		func() *bytes.Reader { return bytes.NewReader(h[:]) },
		func() *bytes.Reader { return bytes.NewReader(append(h[:], make([]byte, 100)...)) },
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Read(r())
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTruncated) {
			t.Errorf("err = %v, want ErrTruncated", err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
			t.Errorf("reading a %d-byte forged file allocated %d bytes", r().Len(), grew)
		}
	}
	binary.BigEndian.PutUint64(h[20:], maxPayload+1)
	if _, err := Read(bytes.NewReader(h[:])); !errors.Is(err, ErrCorrupt) {
		t.Errorf("length over the bound: err = %v, want ErrCorrupt", err)
	}
}
