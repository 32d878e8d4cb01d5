package models

import (
	"fmt"
	"math"
	"slices"

	"github.com/depeche/depeche/classify"
	"github.com/depeche/depeche/dispatch"
)

// checkMeta validates the numbers of a decoded META section before anything is built from them: a file
// that passes the checksum may still have been forged or written by a buggy writer, and a NaN weight or a
// negative count would give scores without meaning rather than an error.
func checkMeta(md *meta) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, a...))
	}
	switch {
	case md.Docs <= 0:
		return bad("it was trained on %d documents", md.Docs)
	case md.MinDF < 0 || md.MinDF > md.Docs:
		return bad("min_df %d for %d documents", md.MinDF, md.Docs)
	case !(md.MaxDF > 0 && md.MaxDF <= 1):
		return bad("max_df %g is not in (0,1]", md.MaxDF)
	case !(md.NearestP5 >= 0 && md.NearestP5 <= 1):
		return bad("nearest_p5 %g is not in [0,1]", md.NearestP5)
	}
	c := md.Classifier
	switch classify.Algo(c.Algo) {
	case classify.LogReg, classify.NB:
	default:
		return bad("unknown algorithm %q", c.Algo)
	}
	if len(c.Labels) == 0 {
		return bad("no label")
	}
	for i, l := range c.Labels {
		if !dispatch.ValidLabel(l) || i > 0 && c.Labels[i-1] >= l {
			return bad("label %q is not a label id, or the labels are not sorted and distinct", l)
		}
	}
	if c.Features < 0 {
		return bad("%d features", c.Features)
	}
	for name, xs := range map[string][]float32{"bias": c.Bias, "platt_a": c.PlattA, "platt_b": c.PlattB} {
		if i := slices.IndexFunc(xs, notFinite32); i >= 0 {
			return bad("%s of label %d is %g", name, i, xs[i])
		}
	}
	for i, t := range c.Thresholds {
		if !(t >= 0 && t <= 1) {
			return bad("threshold of label %d is %g", i, t)
		}
	}
	if md.Info.Docs < 0 {
		return bad("info: %d documents", md.Info.Docs)
	}
	for l, n := range md.Info.LabelCounts {
		if n < 0 {
			return bad("info: label %q counted %d times", l, n)
		}
	}
	return nil
}

// checkDF validates the document frequencies against the number of documents.
func checkDF(df []int32, docs int) error {
	for i, d := range df {
		if d < 0 || int(d) > docs {
			return fmt.Errorf("%w: document frequency %d of term %d for %d documents", ErrCorrupt, d, i, docs)
		}
	}
	return nil
}

// checkWeights refuses a NaN or infinite weight.
func checkWeights(c *classify.Model) error {
	for l, w := range c.Weights {
		if i := slices.IndexFunc(w, notFinite32); i >= 0 {
			return fmt.Errorf("%w: weight %d of label %s is %g", ErrCorrupt, i, c.Labels[l], w[i])
		}
	}
	return nil
}

// notFinite32 reports a NaN or an infinity: the exponent bits all ones.
func notFinite32(x float32) bool { return math.Float32bits(x)&0x7f800000 == 0x7f800000 }
