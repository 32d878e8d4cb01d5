package models

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"github.com/depeche/depeche/classify"
	"github.com/depeche/depeche/vectorize"
)

// Model is a trained theme classifier with the vectorizer state it needs: what a model file holds.
type Model struct {
	Vectorizer *vectorize.Vectorizer
	Classifier *classify.Model
	Info       Info
	// Domain tells articles unlike the training dispatches; nil in models written before it existed.
	Domain *Domain
	// Format is the format version of the file the model was read from (0 for a model trained here).
	Format uint32
}

// Info describes how a model was trained. It holds no time stamp, so that the same training data and
// options give the same bytes.
type Info struct {
	Docs        int              `json:"docs"`
	LabelCounts map[string]int   `json:"label_counts"`
	CV          *classify.Report `json:"cv,omitempty"`
	Folds       int              `json:"folds,omitempty"`
	Source      string           `json:"source,omitempty"`
	// DataHash is DataHash of the training texts and labels, in order: what "is this model trained on this
	// corpus?" checks, where a count of documents would call a changed corpus of the same size current.
	DataHash string `json:"data_hash,omitempty"`
}

// DataHash returns a digest (16 hex digits of SHA-256) of texts and their label sets, in order.
func DataHash(texts []string, labels [][]string) string {
	h := newDataHasher()
	for i, t := range texts {
		h.add(t, labels[i])
	}
	return h.sum()
}

type dataHasher struct{ h hash.Hash }

func newDataHasher() *dataHasher { return &dataHasher{sha256.New()} }

func (d *dataHasher) add(text string, labels []string) {
	fmt.Fprintf(d.h, "%d:%s|%s\n", len(text), text, strings.Join(labels, ","))
}

func (d *dataHasher) sum() string { return hex.EncodeToString(d.h.Sum(nil))[:16] }
