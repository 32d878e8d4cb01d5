package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/depeche/depeche/vectorize"
)

// meta is the JSON section of the payload: everything but the large arrays. Its fields are named by
// their tags, not by Go's field names, so that renaming a Go field never changes the format.
type meta struct {
	Format      int          `json:"format"`
	Analyzer    analyzerMeta `json:"analyzer"`
	Fingerprint string       `json:"fingerprint"`
	// StemProbe is the analyzer's StemProbe when the model was trained; empty in files written before it
	// was recorded (they are not checked).
	StemProbe  string         `json:"stem_probe,omitempty"`
	Sublinear  bool           `json:"sublinear"`
	MinDF      int            `json:"min_df"`
	MaxDF      float64        `json:"max_df"`
	Docs       int            `json:"docs"`
	Classifier classifierMeta `json:"classifier"`
	Info       Info           `json:"info"`
	NearestP5  float64        `json:"nearest_p5,omitempty"` // with the DOMN section
}

// Write encodes m to w in the current format. The same model gives the same bytes.
func Write(w io.Writer, m *Model) error {
	v, c := m.Vectorizer, m.Classifier
	md := meta{
		Format:      Version,
		Analyzer:    analyzerMetaOf(v.Analyzer.Options()),
		Fingerprint: v.Analyzer.Fingerprint(),
		StemProbe:   v.Analyzer.StemProbe(),
		Sublinear:   v.Sublinear,
		MinDF:       v.MinDF,
		MaxDF:       v.MaxDF,
		Docs:        v.Docs(),
		Classifier:  metaOf(c),
		Info:        m.Info,
	}
	if m.Domain != nil {
		md.NearestP5 = m.Domain.NearestP5
	}
	js, err := json.Marshal(md)
	if err != nil {
		return err
	}
	var s sectionWriter
	s.add("META", js)
	data, off, slots := v.Vocabulary().Arrays()
	s.add("TERM", data)
	s.add("TOFF", encodeUint32s(off))
	s.add("THSH", encodeUint32s(slots))
	s.add("DFRQ", encodeInt32s(v.DF()))
	s.add("WGHT", encodeWeights(c))
	if m.Domain != nil {
		s.add("DOMN", encodeDomain(m.Domain))
	}
	return writeContainer(w, s.buf.Bytes())
}

// Read decodes a model from r, checking the header, the checksum and the analyzer fingerprint.
func Read(r io.Reader) (*Model, error) {
	payload, version, err := readContainer(r)
	if err != nil {
		return nil, err
	}
	return decode(payload, version, false)
}

// Decode reads a model from a file's bytes in memory. The model reads its vocabulary, weights and
// domain from b in place (format 2, on a little-endian machine): b must not change while the model is
// in use.
func Decode(b []byte) (*Model, error) {
	payload, version, err := sliceContainer(b, true)
	if err != nil {
		return nil, err
	}
	return decode(payload, version, false)
}

// DecodeEmbedded is Decode for the model embedded in this executable (data.Model), which its tests
// decode with Decode: it leaves out the checks that only a damaged or forged file can fail and that
// take time in proportion to the file, the payload's SHA-256, the proof that the vocabulary is sorted
// and its hash table canonical and the scan of every weight for a NaN or an infinity (together most of
// what remained of a classify command's decoding: the scans fault in every page of the file), and keeps
// every check that reading the model safely needs (lengths, offsets, ids, the META values).
func DecodeEmbedded(b []byte) (*Model, error) {
	payload, version, err := sliceContainer(b, false)
	if err != nil {
		return nil, err
	}
	return decode(payload, version, true)
}

// decode builds the model of a checked payload, which it may keep parts of; trusted: see DecodeEmbedded.
func decode(payload []byte, version uint32, trusted bool) (*Model, error) {
	sec, err := readSections(payload, version)
	if err != nil {
		return nil, err
	}
	var md meta
	if err := json.Unmarshal(sec["META"], &md); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if err := checkMeta(&md); err != nil {
		return nil, err
	}
	opts := md.Analyzer.options()
	if opts.Version == "" {
		opts.Version = "fr-1" // files written before the analyzer had versions
	}
	a, err := vectorize.NewAnalyzer(opts)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if a.Fingerprint() != md.Fingerprint {
		return nil, &FingerprintError{Model: md.Fingerprint, Here: a.Fingerprint()}
	}
	if md.StemProbe != "" && md.StemProbe != a.StemProbe() {
		return nil, &FingerprintError{Model: md.Fingerprint + " (stems " + md.StemProbe + ")", Here: a.Fingerprint() + " (stems " + a.StemProbe() + ")", Stems: true}
	}
	df, err := view[int32](sec["DFRQ"])
	if err != nil {
		return nil, err
	}
	if err := checkDF(df, md.Docs); err != nil {
		return nil, err
	}
	var v *vectorize.Vectorizer
	if version == 1 {
		terms, err := decodeStrings(sec["TERM"])
		if err != nil {
			return nil, err
		}
		v, err = vectorize.NewFitted(a, terms, df, md.Docs, md.Sublinear)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
	} else {
		voc, err := vocabularyOf(sec, trusted)
		if err != nil {
			return nil, err
		}
		if v, err = vectorize.NewFittedVocabulary(a, voc, df, md.Docs, md.Sublinear); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
		}
	}
	v.MinDF, v.MaxDF = md.MinDF, md.MaxDF
	features := v.Len()
	c, err := classifierOf(md.Classifier, sec["WGHT"], features)
	if err != nil {
		return nil, err
	}
	if !trusted { // a non-finite weight scores 0, it reads nothing out of bounds
		if err := checkWeights(c); err != nil {
			return nil, err
		}
	}
	out := &Model{Vectorizer: v, Classifier: c, Info: md.Info, Format: version}
	if b, ok := sec["DOMN"]; ok {
		if out.Domain, err = decodeDomain(b, len(c.Labels), features, md.NearestP5); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FingerprintError reports a model trained with another analysis than this depeche does.
type FingerprintError struct {
	Model, Here string
	Stems       bool // the rules agree but the stemmer library stems the probe words otherwise
}

func (e *FingerprintError) Error() string {
	if e.Stems {
		return fmt.Sprintf("the model was trained with analyzer %s but this depeche's stemmer stems words otherwise, %s (a changed dependency); retrain it with \"depeche train\"", e.Model, e.Here)
	}
	return fmt.Sprintf("the model was trained with analyzer %s but this depeche analyses text as %s; retrain it with \"depeche train\"", e.Model, e.Here)
}

// Save writes m to path atomically.
func Save(path string, m *Model) error {
	var buf bytes.Buffer
	if err := Write(&buf, m); err != nil {
		return err
	}
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(buf.Bytes())
		return err
	})
}

// Load reads the model file at path. Errors about the file's content are *FileError values.
func Load(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, err := Read(f)
	if err != nil {
		return nil, &FileError{Path: path, Err: err}
	}
	return m, nil
}

// vocabularyOf returns the packed vocabulary of a format-2 payload's sections, read in place.
func vocabularyOf(sec map[string][]byte, trusted bool) (*vectorize.Vocabulary, error) {
	off, err := view[uint32](sec["TOFF"])
	if err != nil {
		return nil, err
	}
	slots, err := view[uint32](sec["THSH"])
	if err != nil {
		return nil, err
	}
	of := vectorize.VocabularyOf
	if trusted {
		of = vectorize.VocabularyIn
	}
	voc, err := of(sec["TERM"], off, slots)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return voc, nil
}
