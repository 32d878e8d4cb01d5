package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestMetaNames: the model file names its fields itself (snake_case tags), and a changed stemmer is
// refused with a message that says so.
func TestMetaNames(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, train(t)); err != nil {
		t.Fatal(err)
	}
	sec, err := readSections(buf.Bytes()[headerSize:], Version)
	if err != nil {
		t.Fatal(err)
	}
	var md map[string]map[string]any
	json.Unmarshal(sec["META"], &md)
	if _, ok := md["analyzer"]["stemmer"]; !ok {
		t.Errorf("analyzer META %v: want snake_case names", md["analyzer"])
	}
	for k := range md["analyzer"] {
		if strings.ToLower(k) != k {
			t.Errorf("analyzer META key %q follows a Go field name", k)
		}
	}
	forged := forge(t, func(m map[string]any) { m["stem_probe"] = "0123456789abcdef" }, nil)
	_, err = Read(bytes.NewReader(forged))
	var fe *FingerprintError
	if !errors.As(err, &fe) || !fe.Stems || !strings.Contains(err.Error(), "stems words otherwise") {
		t.Errorf("a model of another stemmer: %v", err)
	}
}
