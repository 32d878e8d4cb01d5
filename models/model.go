package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/depeche/depeche/classify"
	"github.com/depeche/depeche/vec"
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

// TrainOptions configure Train. The zero value is the default.
type TrainOptions struct {
	Analyzer   vectorize.Options
	MinDF      int     // zero = 2 (1 when fewer than 20 documents)
	MaxDF      float64 // zero = 1.0
	Classifier classify.Options
	// Folds is the k of the cross-validation whose metrics the model keeps; zero = 5, 1 = none.
	Folds  int
	Source string // what the model was trained on, for "depeche info"
	// Progress, when not nil, is told each phase as it begins ("vectorizing", "fitting…").
	Progress func(phase string)
}

func (o TrainOptions) phase(p string) {
	if o.Progress != nil {
		o.Progress(p)
	}
}

// ErrNoLabels is returned by Train when no document carries a label.
var ErrNoLabels = errors.New("models: no labeled document to learn from")

// Train fits the vectorizer and the classifier on texts and their labels, and cross-validates.
func Train(texts []string, labels [][]string, opt TrainOptions) (*Model, error) {
	if len(texts) != len(labels) {
		panic("models: Train: texts and labels differ in length")
	}
	v, err := newVectorizer(opt, len(texts))
	if err != nil {
		return nil, err
	}
	if err := checkLabels(labels); err != nil {
		return nil, err
	}
	opt.phase("vectorizing")
	x, err := v.FitTransform(texts)
	if err != nil {
		return nil, err
	}
	m, err := fitClassifier(v, x, labels, opt)
	if m != nil {
		m.Info.DataHash = DataHash(texts, labels)
	}
	return m, err
}

// TrainStream is Train over a source of labeled documents read twice (vocabulary, then vectors) and never
// held in memory: what training on a million dispatches needs. each runs through the documents in the
// same order every time, giving each one's text, labels and event (or ""); the reports of one event share
// a cross-validation group. n is their number when known, else 0 (min_df then defaults to 2).
func TrainStream(each func(yield func(text string, labels []string, event string)) error, n int, opt TrainOptions) (*Model, error) {
	v, err := newVectorizer(opt, n)
	if err != nil {
		return nil, err
	}
	var labels [][]string
	var events []string
	first := true
	hasher := newDataHasher()
	texts := func(yield func(string)) error {
		return each(func(text string, ls []string, event string) {
			if first {
				hasher.add(text, ls)
				// copies: a loader's strings may share their line's memory, which would keep every
				// text alive through its labels
				cl := make([]string, len(ls))
				for i, l := range ls {
					cl[i] = strings.Clone(l)
				}
				labels = append(labels, cl)
				events = append(events, strings.Clone(event))
			}
			yield(text)
		})
	}
	count, err := v.FitStream(texts)
	if err != nil {
		return nil, err
	}
	first = false
	if err := checkLabels(labels); err != nil {
		return nil, err
	}
	x, err := v.TransformStream(texts, count)
	if err != nil {
		return nil, err
	}
	if x.Rows() != len(labels) {
		return nil, fmt.Errorf("models: the documents changed between the two passes (%d, then %d)", len(labels), x.Rows())
	}
	opt.Classifier.Groups = EventGroups(events)
	m, err := fitClassifier(v, x, labels, opt)
	if m != nil {
		m.Info.DataHash = hasher.sum()
	}
	return m, err
}

// EventGroups gives the reports of one event the same cross-validation group, so that no fold is judged on
// another agency's report of an event it trained on; a document without an event is a group of its own.
func EventGroups(events []string) []int {
	groups := make([]int, len(events))
	ids := map[string]int{}
	for i, e := range events {
		if e == "" {
			groups[i] = len(ids) + i + 1
			continue
		}
		g, ok := ids[e]
		if !ok {
			g = -(len(ids) + 1)
			ids[e] = g
		}
		groups[i] = g
	}
	return groups
}

func newVectorizer(opt TrainOptions, n int) (*vectorize.Vectorizer, error) {
	a, err := vectorize.NewAnalyzer(opt.Analyzer)
	if err != nil {
		return nil, err
	}
	v := vectorize.NewVectorizer(a)
	v.MinDF = opt.MinDF
	if v.MinDF == 0 {
		v.MinDF = 2
		if n > 0 && n < 20 {
			v.MinDF = 1
		}
	}
	if opt.MaxDF > 0 {
		v.MaxDF = opt.MaxDF
	}
	return v, nil
}

func checkLabels(labels [][]string) error {
	for _, ls := range labels {
		if len(ls) > 0 {
			return nil
		}
	}
	return ErrNoLabels
}

func fitClassifier(v *vectorize.Vectorizer, x *vec.Matrix, labels [][]string, opt TrainOptions) (*Model, error) {
	counts := map[string]int{}
	for _, ls := range labels {
		for _, l := range ls {
			counts[l]++
		}
	}
	info := Info{Docs: x.Rows(), LabelCounts: counts, Source: opt.Source}
	folds := opt.Folds
	if folds == 0 {
		folds = 5
	}
	opt.phase(fmt.Sprintf("fitting %d labels on %d dispatches: %d-fold cross-validation, thresholds, final fit", len(counts), x.Rows(), folds))
	c, rep, err := classify.FitCV(x, labels, opt.Classifier, folds)
	if err != nil {
		return nil, err
	}
	if rep != nil {
		info.CV, info.Folds = rep, folds
	}
	return &Model{Vectorizer: v, Classifier: c, Info: info, Domain: newDomain(x, labels, c.Labels)}, nil
}

// LabelScore is the verdict of a model on one label for one text.
type LabelScore struct {
	Label     string   `json:"label"`
	Score     float64  `json:"score"`
	Predicted bool     `json:"predicted"`
	Terms     []string `json:"terms"`
}

// Classify scores text on every label the model knows, sorted by descending score (then label), with up to
// nterms words of the text that pushed each label's score most, as they are written in the text.
func (m *Model) Classify(text string, nterms int) []LabelScore {
	ls, _ := m.ClassifyKnown(text, nterms)
	return ls
}

// ClassifyKnown is Classify that also returns how many distinct terms of the text the model knows (0: the
// scores are the model's priors).
func (m *Model) ClassifyKnown(text string, nterms int) ([]LabelScore, int) {
	v := m.Judge(text, nterms)
	return v.Labels, v.Confidence.KnownTerms
}

// Verdict is a model's answer on one text: its labels (as Classify) and how far to trust them.
type Verdict struct {
	Labels     []LabelScore
	Confidence Confidence
}

// Judge is Classify with the confidence of the answer (see Confidence).
func (m *Model) Judge(text string, nterms int) Verdict {
	toks := m.Vectorizer.Analyzer.Analyze(text)
	feats := m.Vectorizer.Analyzer.TermsOf(nil, text, toks)
	x := m.Vectorizer.TransformTerms(feats)
	distinct := map[string]struct{}{}
	for _, f := range feats {
		if !strings.HasPrefix(f, vectorize.CharGramPrefix) {
			distinct[f] = struct{}{}
		}
	}
	known := 0
	for f := range distinct {
		if _, ok := m.Vectorizer.Lookup(f); ok {
			known++
		}
	}
	nearest := 0.0
	if m.Domain != nil {
		nearest = m.Domain.nearest(x)
	}
	return Verdict{Labels: m.score(text, toks, x, nterms), Confidence: confidenceOf(known, len(distinct), nearest, m.Domain)}
}

// Vectorize returns the TF-IDF vector of text in the model's feature space.
func (m *Model) Vectorize(text string) vec.Vector { return m.Vectorizer.TransformOne(text) }

func (m *Model) score(text string, toks []vectorize.Token, x vec.Vector, nterms int) []LabelScore {
	scores := m.Classifier.Scores(x)
	pred := map[string]bool{}
	for _, l := range m.Classifier.Predict(x) {
		pred[l] = true
	}
	surf := Surfaces(text, toks)
	out := make([]LabelScore, len(scores))
	for i, s := range scores {
		if math.IsNaN(s) {
			s = 0
		}
		ls := LabelScore{Label: m.Classifier.Labels[i], Score: s, Predicted: pred[m.Classifier.Labels[i]], Terms: []string{}}
		if nterms > 0 {
			// character n-grams explain nothing to a reader: words only, so ask for more and skip them (a
			// model with n-grams has several a word, and they often outweigh it: ask for every feature)
			want := 4 * nterms
			if m.Vectorizer.Analyzer.Options().CharNgrams {
				want = x.Len()
			}
			for _, c := range m.Classifier.Explain(x, i, want) {
				term := m.Vectorizer.Terms()[c.Feature]
				if strings.HasPrefix(term, vectorize.CharGramPrefix) {
					continue
				}
				if ls.Terms = append(ls.Terms, SurfaceOf(term, surf)); len(ls.Terms) == nterms {
					break
				}
			}
		}
		out[i] = ls
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Label < out[j].Label
	})
	return out
}

// Surfaces maps each term of a text to the first word that produced it, lower-cased: explanations show
// words as the article writes them, not stems.
func Surfaces(text string, toks []vectorize.Token) map[string]string {
	s := make(map[string]string, len(toks))
	for _, t := range toks {
		if _, ok := s[t.Term]; !ok {
			s[t.Term] = strings.ToLower(text[t.Start:t.End])
		}
	}
	return s
}

// SurfaceOf returns the word of the text behind a term (both words for a bigram), or the term itself.
func SurfaceOf(term string, surf map[string]string) string {
	if w, ok := surf[term]; ok {
		return w
	}
	if a, b, ok := strings.Cut(term, " "); ok { // a bigram feature
		return SurfaceOf(a, surf) + " " + SurfaceOf(b, surf)
	}
	return term
}

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
	s.add("TERM", encodeStrings(v.Terms()))
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
	sec, err := readSections(payload)
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
	terms, err := decodeStrings(sec["TERM"])
	if err != nil {
		return nil, err
	}
	df, err := decodeInt32s(sec["DFRQ"])
	if err != nil {
		return nil, err
	}
	if err := checkDF(df, md.Docs); err != nil {
		return nil, err
	}
	v, err := vectorize.NewFitted(a, terms, df, md.Docs, md.Sublinear)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	v.MinDF, v.MaxDF = md.MinDF, md.MaxDF
	c, err := classifierOf(md.Classifier, sec["WGHT"], len(terms))
	if err != nil {
		return nil, err
	}
	if err := checkWeights(c); err != nil {
		return nil, err
	}
	out := &Model{Vectorizer: v, Classifier: c, Info: md.Info, Format: version}
	if b, ok := sec["DOMN"]; ok {
		if out.Domain, err = decodeDomain(b, len(c.Labels), len(terms), md.NearestP5); err != nil {
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

// Decode reads a model from bytes in memory (the built-in model).
func Decode(b []byte) (*Model, error) { return Read(bytes.NewReader(b)) }
