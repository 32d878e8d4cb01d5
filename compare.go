package depeche

import (
	"context"
	"errors"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/vec"
	"github.com/depeche/depeche/vectorize"
)

// Comparison is a set of dispatches vectorized for the cosine of every pair (depeche matrix, the desk's
// heatmap): the ids and labels of its rows, in order.
type Comparison struct {
	IDs    []string
	Labels [][]string
	m      *vec.Matrix
}

// Len returns the number of dispatches compared.
func (c *Comparison) Len() int { return len(c.IDs) }

// Cosines returns the cosine of every pair of rows (Len × Len: the caller bounds Len first).
func (c *Comparison) Cosines() [][]float32 { return vectorize.CosineMatrix(c.m) }

// ClusterOrder returns an order of the rows of a cosine matrix in which similar rows sit side by side
// (average-linkage clustering).
func ClusterOrder(cos [][]float32) []int { return vectorize.ClusterOrder(cos) }

// Compare vectorizes dispatches held outside an archive (files, the built-in corpus) for their pairwise
// cosine: TF-IDF fitted on the set itself with ArchiveAnalyzer's terms, a term of one dispatch kept
// (MinDF 1), so that a small set still has a vocabulary.
func Compare(ds []Dispatch) (*Comparison, error) {
	c := &Comparison{IDs: make([]string, len(ds)), Labels: make([][]string, len(ds))}
	texts := make([]string, len(ds))
	for i, x := range ds {
		texts[i], c.IDs[i], c.Labels[i] = x.Text, x.ID, x.Labels
	}
	v := vectorize.NewVectorizer(ArchiveAnalyzer())
	v.MinDF = 1
	m, err := v.FitTransform(texts)
	if errors.Is(err, vectorize.ErrEmptyVocabulary) {
		m, err = vec.NewMatrix(0), nil
		for range texts {
			m.AppendRow(vec.Vector{})
		}
	}
	if err != nil {
		return nil, err
	}
	c.m = m
	return c, nil
}

// Compare vectorizes the desk's dispatches that pass f (at most limit of them, 0: all, in archive order)
// for their pairwise cosine: an archive file with its own statistics (the weights Similar uses), the
// built-in corpus as Compare does.
func (d *Desk) Compare(ctx context.Context, f Filter, limit int) (*Comparison, error) {
	if d.archive == nil {
		var ds []Dispatch
		err := d.Each(ctx, f, func(x Dispatch) error {
			if limit > 0 && len(ds) == limit {
				return errFull
			}
			ds = append(ds, x)
			return nil
		})
		if err != nil && err != errFull {
			return nil, err
		}
		return Compare(ds)
	}
	m, metas, err := d.archive.Vectors(ctx, f, limit)
	if err != nil {
		return nil, archive.Explain(err)
	}
	c := &Comparison{m: m}
	for _, md := range metas {
		c.IDs = append(c.IDs, md.ID)
		c.Labels = append(c.Labels, md.Labels)
	}
	return c, nil
}

// errFull ends an Each early.
var errFull = errors.New("full")
