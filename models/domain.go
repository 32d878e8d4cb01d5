package models

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/depeche/depeche/vec"
)

// Domain is what a model keeps of its training documents to tell when an article lies outside what it
// learned: one centroid per label (the mean of the label's TF-IDF rows, its centroidTerms largest
// weights kept, L2-normalised), and the 5th percentile of the training documents' cosine to their
// nearest centroid.
//
// An article whose nearest centroid is further than almost every training document's is unlike
// anything the model was taught: its scores are extrapolations, however confident they look.
type Domain struct {
	Centroids []vec.Vector // in the order of the classifier's labels
	NearestP5 float64      // 5th percentile of the training rows' nearest-centroid cosine
}

// centroidTerms is the number of weights kept per centroid: the head of a centroid carries nearly all
// its mass (sublinear TF-IDF rows of a few hundred terms), and 1,000 float32 pairs a label keep the
// model file small.
const centroidTerms = 1000

// Confidence says how far the model can be trusted on one article.
type Confidence struct {
	// Level is "high", "low" (the article is unlike most training dispatches, or few of its words are
	// known) or "out-of-domain" (almost none of its words are known: the scores are the model's priors).
	Level string `json:"level"`
	// KnownTerms is the number of distinct terms of the article in the model's vocabulary; Coverage their
	// share of the article's distinct terms.
	KnownTerms int     `json:"known_terms"`
	Coverage   float64 `json:"coverage"`
	// Nearest is the cosine to the nearest label centroid (0 for a model without a domain); Typical the
	// 5th percentile of the training dispatches' own.
	Nearest float64 `json:"nearest"`
	Typical float64 `json:"typical,omitempty"`
	// Reason explains a level other than high, in one line.
	Reason string `json:"reason,omitempty"`
}

// The confidence rule's limits.
const (
	minKnownTerms = 5   // fewer known terms: out-of-domain
	minCoverage   = 0.3 // a smaller share of known terms: out-of-domain (another language, a table of figures)
	lowCoverage   = 0.6 // a smaller share: low
)

func confidenceOf(known, distinct int, nearest float64, d *Domain) Confidence {
	c := Confidence{KnownTerms: known, Nearest: nearest, Level: "high"}
	if distinct > 0 {
		c.Coverage = float64(known) / float64(distinct)
	}
	if d != nil {
		c.Typical = d.NearestP5
	}
	switch {
	case known < minKnownTerms:
		c.Level, c.Reason = "out-of-domain", fmt.Sprintf("only %d words of the article are known to the model", known)
	case c.Coverage < minCoverage:
		c.Level, c.Reason = "out-of-domain", fmt.Sprintf("only %.0f %% of the article's words are known to the model (another language?)", 100*c.Coverage)
	case c.Coverage < lowCoverage:
		c.Level, c.Reason = "low", fmt.Sprintf("only %.0f %% of the article's words are known to the model", 100*c.Coverage)
	case d != nil && nearest < d.NearestP5:
		c.Level, c.Reason = "low", fmt.Sprintf("the article is further from every theme the model learned (cosine %.2f) than 95 %% of its training dispatches (%.2f)", nearest, d.NearestP5)
	}
	return c
}

// nearest returns the cosine of the unit vector x to its nearest centroid.
func (d *Domain) nearest(x vec.Vector) float64 {
	best := 0.0
	for _, c := range d.Centroids {
		best = max(best, vec.Dot(x, c))
	}
	return best
}

// nearestDense is nearest with x also scattered into dense (dense[f] = x's value of f, 0 elsewhere):
// each centroid reads its own features there instead of merging two sparse lists. The sum is nearest's
// to the bit: the same products in the same order (ascending feature), and the features x lacks add
// +0, which changes no sum of non-negative products.
func (d *Domain) nearestDense(dense []float32) float64 {
	best := 0.0
	for _, c := range d.Centroids {
		var s float64
		for j, f := range c.Ind {
			if int(f) < len(dense) {
				s += float64(dense[f]) * float64(c.Val[j])
			}
		}
		best = max(best, s)
	}
	return best
}

// nearestRows returns nearest of every non-empty row of x, in row order. Comparing each row with every
// centroid by merging the two sparse lists costs rows × labels × (row + 1,000 centroid terms): at 100k
// rows and 180 labels, a fifth of a training's time. It goes through the centroids inverted instead
// (feature → the labels whose centroid has it), so a row costs only the centroid entries of its own
// features. Each row's sum for a centroid adds the same products in the same order (ascending feature)
// as vec.Dot, so the result is nearest's to the bit.
func (d *Domain) nearestRows(x *vec.Matrix) []float64 {
	ptr := make([]int32, x.Cols+2)
	for _, c := range d.Centroids {
		for _, f := range c.Ind {
			if int(f) < x.Cols {
				ptr[f+2]++
			}
		}
	}
	for f := 2; f < len(ptr); f++ {
		ptr[f] += ptr[f-1]
	}
	lab := make([]int32, ptr[len(ptr)-1])
	val := make([]float32, len(lab))
	for l, c := range d.Centroids { // labels ascending within each feature
		for j, f := range c.Ind {
			if int(f) < x.Cols {
				k := ptr[f+1]
				lab[k], val[k] = int32(l), c.Val[j]
				ptr[f+1]++
			}
		}
	}
	acc := make([]float64, len(d.Centroids))
	near := make([]float64, 0, x.Rows())
	for r := range x.Rows() {
		row := x.Row(r)
		if row.Len() == 0 {
			continue
		}
		clear(acc)
		for j, f := range row.Ind {
			v := float64(row.Val[j])
			for k := ptr[f]; k < ptr[f+1]; k++ {
				acc[lab[k]] += v * float64(val[k])
			}
		}
		best := 0.0
		for _, s := range acc {
			best = max(best, s)
		}
		near = append(near, best)
	}
	return near
}

// newDomain computes the domain of the training rows x (unit TF-IDF rows) with their labels; labels is
// the classifier's label order. Rows with no label form no centroid.
func newDomain(x *vec.Matrix, y [][]string, labels []string) *Domain {
	idx := make(map[string]int, len(labels))
	for i, l := range labels {
		idx[l] = i
	}
	sums := make([]map[int32]float64, len(labels))
	for i := range sums {
		sums[i] = map[int32]float64{}
	}
	for r := range x.Rows() {
		row := x.Row(r)
		for _, l := range y[r] {
			li, ok := idx[l]
			if !ok {
				continue
			}
			for j, f := range row.Ind {
				sums[li][f] += float64(row.Val[j])
			}
		}
	}
	d := &Domain{Centroids: make([]vec.Vector, len(labels))}
	type fw struct {
		f int32
		w float64
	}
	for li, m := range sums {
		ws := make([]fw, 0, len(m))
		for f, w := range m {
			ws = append(ws, fw{f, w})
		}
		slices.SortFunc(ws, func(a, b fw) int {
			if c := cmp.Compare(b.w, a.w); c != 0 {
				return c
			}
			return cmp.Compare(a.f, b.f)
		})
		ws = ws[:min(len(ws), centroidTerms)]
		slices.SortFunc(ws, func(a, b fw) int { return cmp.Compare(a.f, b.f) })
		v := vec.Vector{Ind: make([]int32, len(ws)), Val: make([]float32, len(ws))}
		for j, e := range ws {
			v.Ind[j], v.Val[j] = e.f, float32(e.w)
		}
		v.Normalize()
		d.Centroids[li] = v
	}
	near := d.nearestRows(x)
	if len(near) > 0 {
		slices.Sort(near)
		d.NearestP5 = near[len(near)*5/100]
	}
	return d
}

// encodeDomain writes the centroids: per centroid its length, then its indices (int32) and values
// (float32), little-endian. NearestP5 travels in META.
func encodeDomain(d *Domain) []byte {
	var b []byte
	b = binary.LittleEndian.AppendUint32(b, uint32(len(d.Centroids)))
	for _, c := range d.Centroids {
		b = binary.LittleEndian.AppendUint32(b, uint32(c.Len()))
		for _, f := range c.Ind {
			b = binary.LittleEndian.AppendUint32(b, uint32(f))
		}
		for _, v := range c.Val {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
		}
	}
	return b
}

// decodeDomain reads what encodeDomain wrote, for labels labels and features features, checking every
// length against the bytes there are and every value.
func decodeDomain(b []byte, labels, features int, p5 float64) (*Domain, error) {
	bad := fmt.Errorf("%w: domain section", ErrCorrupt)
	if len(b) < 4 || !(p5 >= 0 && p5 <= 1) {
		return nil, bad
	}
	n := int(binary.LittleEndian.Uint32(b))
	b = b[4:]
	if n != labels {
		return nil, bad
	}
	d := &Domain{Centroids: make([]vec.Vector, n), NearestP5: p5}
	for i := range n {
		if len(b) < 4 {
			return nil, bad
		}
		k := int(binary.LittleEndian.Uint32(b))
		b = b[4:]
		if k > centroidTerms || len(b) < 8*k {
			return nil, bad
		}
		ind, _ := view[int32](b[: 4*k : 4*k]) // in place when aligned
		val, _ := view[float32](b[4*k : 8*k : 8*k])
		v := vec.Vector{Ind: ind, Val: val}
		for j := range k {
			f, w := ind[j], val[j]
			if f < 0 || int(f) >= features || (j > 0 && f <= ind[j-1]) || !(w >= 0 && w <= 1) {
				return nil, bad
			}
		}
		b = b[8*k:]
		d.Centroids[i] = v
	}
	if len(b) != 0 {
		return nil, bad
	}
	return d, nil
}
