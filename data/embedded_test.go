package data_test

import (
	"bytes"
	"testing"

	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/models"
)

// TestEmbeddedModel: the built-in model passes every check of Decode (its checksum, its sorted vocabulary
// and canonical hash table), which is what lets the commands decode it with DecodeEmbedded; both give
// the same model, the file's own bytes when written again, in the current format.
func TestEmbeddedModel(t *testing.T) {
	b := data.Model()
	full, err := models.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	fast, err := models.DecodeEmbedded(b)
	if err != nil {
		t.Fatal(err)
	}
	if full.Format != models.Version {
		t.Errorf("the built-in model is in format %d, not %d: run make model", full.Format, models.Version)
	}
	for name, m := range map[string]*models.Model{"Decode": full, "DecodeEmbedded": fast} {
		var out bytes.Buffer
		if err := models.Write(&out, m); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), b) {
			t.Errorf("%s: the model written again differs from the embedded file", name)
		}
	}
}
