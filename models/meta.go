package models

import "github.com/depeche/depeche/vectorize"

// analyzerMeta is how a model file records the analysis, under names of its own. Format-1 files written
// before these tags used vectorize.Options' Go field names ("KeepAccents"…); the Legacy fields read
// them (encoding/json matches "Stemmer" and "Bigrams" to their lower-case tags by itself).
type analyzerMeta struct {
	Version     string `json:"version,omitempty"`
	Stemmer     string `json:"stemmer"`
	KeepAccents bool   `json:"keep_accents,omitempty"`
	Bigrams     bool   `json:"bigrams,omitempty"`
	KeepNoise   bool   `json:"keep_noise,omitempty"`
	KeepNumbers bool   `json:"keep_numbers,omitempty"`
	CharNgrams  bool   `json:"char_ngrams,omitempty"`

	LegacyKeepAccents bool `json:"KeepAccents,omitempty"`
	LegacyKeepNoise   bool `json:"KeepNoise,omitempty"`
	LegacyKeepNumbers bool `json:"KeepNumbers,omitempty"`
	LegacyCharNgrams  bool `json:"CharNgrams,omitempty"`
}

func analyzerMetaOf(o vectorize.Options) analyzerMeta {
	return analyzerMeta{Version: o.Version, Stemmer: o.Stemmer, KeepAccents: o.KeepAccents, Bigrams: o.Bigrams,
		KeepNoise: o.KeepNoise, KeepNumbers: o.KeepNumbers, CharNgrams: o.CharNgrams}
}

func (m analyzerMeta) options() vectorize.Options {
	return vectorize.Options{Version: m.Version, Stemmer: m.Stemmer,
		KeepAccents: m.KeepAccents || m.LegacyKeepAccents, Bigrams: m.Bigrams,
		KeepNoise: m.KeepNoise || m.LegacyKeepNoise, KeepNumbers: m.KeepNumbers || m.LegacyKeepNumbers,
		CharNgrams: m.CharNgrams || m.LegacyCharNgrams}
}
