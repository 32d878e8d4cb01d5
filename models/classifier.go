package models

import (
	"fmt"

	"github.com/depeche/depeche/classify"
)

// classifierMeta is the classifier's part of the META section; the weights go to WGHT.
type classifierMeta struct {
	Labels     []string  `json:"labels"`
	Algo       string    `json:"algo"`
	Exclusive  bool      `json:"exclusive"`
	Bias       []float32 `json:"bias"`
	Thresholds []float32 `json:"thresholds"`
	PlattA     []float32 `json:"platt_a,omitempty"`
	PlattB     []float32 `json:"platt_b,omitempty"`
	Features   int       `json:"features"`
}

func metaOf(c *classify.Model) classifierMeta {
	return classifierMeta{Labels: c.Labels, Algo: string(c.Algo), Exclusive: c.Exclusive, Bias: c.Bias,
		Thresholds: c.Thresholds, PlattA: c.PlattA, PlattB: c.PlattB, Features: c.Features()}
}

// encodeWeights writes the weight rows label after label, float32 little-endian.
func encodeWeights(c *classify.Model) []byte {
	b := make([]byte, 0, 4*len(c.Labels)*c.Features())
	for _, w := range c.Weights {
		b = encodeFloat32s(b, w)
	}
	return b
}

func classifierOf(md classifierMeta, wb []byte, features int) (*classify.Model, error) {
	L := len(md.Labels)
	if L == 0 || md.Features != features || len(md.Bias) != L || len(md.Thresholds) != L {
		return nil, fmt.Errorf("%w: classifier shape does not match its vocabulary", ErrCorrupt)
	}
	if (md.PlattA == nil) != (md.PlattB == nil) || md.PlattA != nil && (len(md.PlattA) != L || len(md.PlattB) != L) {
		return nil, fmt.Errorf("%w: calibration shape", ErrCorrupt)
	}
	all, err := view[float32](wb)
	if err != nil || len(all) != L*features {
		return nil, fmt.Errorf("%w: %d weights for %d labels × %d features", ErrCorrupt, len(all), L, features)
	}
	c := &classify.Model{Labels: md.Labels, Algo: classify.Algo(md.Algo), Exclusive: md.Exclusive, Bias: md.Bias,
		Thresholds: md.Thresholds, PlattA: md.PlattA, PlattB: md.PlattB, Weights: make([][]float32, L)}
	for l := range c.Weights {
		c.Weights[l] = all[l*features : (l+1)*features : (l+1)*features]
	}
	return c, nil
}
