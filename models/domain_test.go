package models

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/depeche/depeche/vec"
)

func TestDomainRoundTrip(t *testing.T) {
	m := train(t)
	if m.Domain == nil || len(m.Domain.Centroids) != len(m.Classifier.Labels) {
		t.Fatalf("domain %+v for labels %v", m.Domain, m.Classifier.Labels)
	}
	if !(m.Domain.NearestP5 > 0 && m.Domain.NearestP5 <= 1) {
		t.Errorf("NearestP5 = %g", m.Domain.NearestP5)
	}
	var buf bytes.Buffer
	if err := Write(&buf, m); err != nil {
		t.Fatal(err)
	}
	r, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.Domain, m.Domain) {
		t.Error("the domain does not survive a round trip")
	}
}

func TestConfidence(t *testing.T) {
	m := train(t)
	for _, c := range []struct {
		name, text, level string
	}{
		{"a dispatch like the training ones", "Démantèlement d'une cellule terroriste liée à Daech à Tanger : le BCIJ arrête des suspects.", "high"},
		{"another language", "The quick brown fox jumps over the lazy dog while the committee debates the budget.", "out-of-domain"},
		{"no known word", "Recette : tarte aux pommes caramélisées, beurre salé et cannelle.", "out-of-domain"},
	} {
		v := m.Judge(c.text, 3)
		if v.Confidence.Level != c.level {
			t.Errorf("%s: confidence %+v, want %s", c.name, v.Confidence, c.level)
		}
		if c.level != "high" && v.Confidence.Reason == "" {
			t.Errorf("%s: no reason given for %s", c.name, v.Confidence.Level)
		}
		if len(v.Labels) != len(m.Classifier.Labels) {
			t.Errorf("%s: %d labels", c.name, len(v.Labels))
		}
	}
}

func TestConfidenceRule(t *testing.T) {
	d := &Domain{NearestP5: 0.2}
	for _, c := range []struct {
		known, distinct int
		nearest         float64
		d               *Domain
		level           string
	}{
		{4, 4, 0.9, d, "out-of-domain"},    // too few known words
		{20, 100, 0.9, d, "out-of-domain"}, // 20 % known: another language
		{50, 100, 0.9, d, "low"},           // half known
		{90, 100, 0.1, d, "low"},           // far from every centroid
		{90, 100, 0.3, d, "high"},
		{90, 100, 0, nil, "high"}, // a model without a domain judges by words only
	} {
		got := confidenceOf(c.known, c.distinct, c.nearest, c.d)
		if got.Level != c.level {
			t.Errorf("%+v: level %s (%s), want %s", c, got.Level, got.Reason, c.level)
		}
	}
}

func TestDomainCorrupt(t *testing.T) {
	m := train(t)
	good := encodeDomain(m.Domain)
	L, F := len(m.Classifier.Labels), len(m.Vectorizer.Terms())
	if _, err := decodeDomain(good, L, F, m.Domain.NearestP5); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"empty":     nil,
		"truncated": good[:len(good)-3],
		"trailing":  append(append([]byte{}, good...), 0),
		"huge count": func() []byte {
			b := append([]byte{}, good...)
			b[4], b[5], b[6], b[7] = 0xff, 0xff, 0xff, 0x7f
			return b
		}(),
	} {
		if _, err := decodeDomain(b, L, F, m.Domain.NearestP5); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
	if _, err := decodeDomain(good, L+1, F, 0.2); err == nil || !strings.Contains(err.Error(), "domain") {
		t.Errorf("wrong label count: %v", err)
	}
	if _, err := decodeDomain(good, L, F, 1.5); !errors.Is(err, ErrCorrupt) {
		t.Errorf("p5 out of range: %v", err)
	}
}

// nearestRows, which goes through the centroids inverted, gives every row nearest's cosine to the bit.
func TestNearestRows(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const features, labels = 3000, 12
	randVec := func(nnz int) vec.Vector {
		seen := map[int32]bool{}
		var v vec.Vector
		for len(seen) < nnz {
			seen[int32(r.IntN(features))] = true
		}
		for f := range seen {
			v.Ind = append(v.Ind, f)
		}
		slices.Sort(v.Ind)
		for range v.Ind {
			v.Val = append(v.Val, r.Float32())
		}
		v.Normalize()
		return v
	}
	d := &Domain{}
	for range labels {
		d.Centroids = append(d.Centroids, randVec(400))
	}
	x := vec.NewMatrix(features)
	for i := range 500 {
		x.AppendRow(randVec(i % 90)) // some rows empty
	}
	got := d.nearestRows(x)
	var want []float64
	for i := range x.Rows() {
		if x.Row(i).Len() > 0 {
			want = append(want, d.nearest(x.Row(i)))
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d values, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: %v, nearest gives %v", i, got[i], want[i])
		}
	}
}
