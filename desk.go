package depeche

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/models"
	"github.com/depeche/depeche/vectorize"
)

// ArchiveAnalyzer returns the analysis of archive terms and similarity queries: unigrams, Snowball,
// accents folded, numbers kept (a date or a seized tonnage tells one event from another). It is fixed,
// not the model's, so that an archive stays searchable whatever model is trained.
func ArchiveAnalyzer() *vectorize.Analyzer { return vectorize.MustAnalyzer(vectorize.ArchiveOptions) }

// DefaultTerms is the number of evidence words per label Classify gives.
const DefaultTerms = 5

// Classify scores text on every label of the model (see ClassifyResult), with DefaultTerms evidence
// words per label.
func (d *Desk) Classify(text string) ClassifyResult { return d.ClassifyTerms(text, DefaultTerms) }

// ClassifyTerms is Classify with terms evidence words per label.
func (d *Desk) ClassifyTerms(text string, terms int) ClassifyResult {
	v := d.Model().Judge(text, terms)
	return ClassifyResult{Labels: v.Labels, Confidence: &v.Confidence}
}

// Similar returns the k archived dispatches most similar to text that pass f, by descending score, the
// query itself left out (see the package doc).
func (d *Desk) Similar(ctx context.Context, text string, k int, f Filter) ([]SimilarResult, error) {
	if k <= 0 {
		return []SimilarResult{}, nil
	}
	toks := d.analyzer.Analyze(text)
	terms := d.analyzer.TermsOf(nil, text, toks)
	var res []archive.Result
	if d.mem != nil {
		res = d.mem.Similar(terms, k+1, f)
	} else if d.archive != nil {
		var err error
		if res, err = d.similarFile(ctx, terms, k+1, f); err != nil {
			return nil, archive.Explain(err)
		}
	} else {
		s, err := d.builtinSearcher()
		if err != nil {
			return nil, err
		}
		res = s.Similar(terms, k+1, f)
	}
	return results(res, text, toks, k), nil
}

// Searchable reports whether text has a word Similar can search with (a text of stop words, digits of
// one character or punctuation has none, and no similar dispatch).
func (d *Desk) Searchable(text string) bool { return len(d.analyzer.AppendTerms(nil, text)) > 0 }

// Labels returns how many dispatches of the archive (or of the built-in corpus) carry each label.
func (d *Desk) Labels(ctx context.Context) (map[string]int, error) {
	if d.archive != nil {
		counts, err := d.archive.LabelCounts(ctx)
		return counts, archive.Explain(err)
	}
	ds, err := data.Corpus()
	counts := map[string]int{}
	for _, x := range ds {
		for _, l := range x.Labels {
			counts[l]++
		}
	}
	return counts, err
}

// Add imports dispatches into the desk's archive file in one transaction (see archive.Archive.Add):
// exact duplicates are skipped, a dispatch whose id is archived with another text is rejected.
func (d *Desk) Add(ctx context.Context, ds []Dispatch) (archive.AddStats, error) {
	if d.archive == nil {
		return archive.AddStats{}, errors.New("depeche: Add needs an archive file: the built-in corpus is read-only (Config.Archive, or CreateArchive)")
	}
	i := 0
	next := func() (archive.Item, bool, error) {
		if i == len(ds) {
			return archive.Item{}, false, nil
		}
		x := ds[i]
		i++
		return archive.Item{Dispatch: x, Terms: d.analyzer.AppendTerms(nil, x.Text)}, true, nil
	}
	st, err := d.archive.Add(ctx, next, nil)
	if err == nil {
		_, err = d.afterAdd(ctx, st, false)
	}
	d.gen.Add(1)
	return st, err
}

// Label sets the labels of the archived dispatch id (replacing its labels).
func (d *Desk) Label(ctx context.Context, id string, labels []string) error {
	if d.archive == nil {
		return errors.New("depeche: Label needs an archive file: the built-in corpus is read-only")
	}
	err := d.archive.SetLabels(ctx, id, labels)
	d.gen.Add(1) // the next read of the archive sees the labels; what was computed from the old ones is stale
	if errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("%w: dispatch %q", ErrNotFound, id)
	}
	return err
}

// results turns archive results into SimilarResults, leaving out the query itself (a dispatch with the
// query's own normalised text) and keeping k; shared terms are shown as the query writes them.
func results(res []archive.Result, text string, toks []vectorize.Token, k int) []SimilarResult {
	self := archive.Hash(text)
	surf := models.Surfaces(text, toks)
	out := []SimilarResult{}
	for _, r := range res {
		if bytes.Equal(r.Hash, self) || len(out) == k {
			continue
		}
		sr := SimilarResult{ID: r.ID, Score: r.Score, Title: r.Title, Date: r.Date, Source: r.Source, Labels: r.Labels, Event: r.Event, Terms: []string{}}
		if sr.Labels == nil {
			sr.Labels = []string{}
		}
		for _, t := range r.Shared {
			sr.Terms = append(sr.Terms, models.SurfaceOf(t, surf))
		}
		out = append(out, sr)
	}
	return out
}
