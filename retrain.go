package depeche

import (
	"context"
	"errors"
	"fmt"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/models"
	"github.com/depeche/depeche/vectorize"
)

// Retrain trains a model on the archive's labeled dispatches, as "depeche train" with no FILE does (the
// zero TrainOptions are its defaults; the archive is read twice, never held), writes it to out
// atomically (the old file stays whole until the new one is complete) and makes it the desk's model:
// Classify calls that began before finish on the old one. A desk over the built-in corpus has nothing
// to learn from that the built-in model does not know: ErrReadOnly. Too few labeled dispatches is an
// *InvalidError.
func (d *Desk) Retrain(ctx context.Context, out string, opt TrainOptions) (*models.Model, error) {
	if err := d.Writable("retrain"); err != nil {
		return nil, err
	}
	// the labeled dispatches, counted first: a clear refusal before any training
	n := 0
	err := d.archive.Each(ctx, archive.Filter{}, func(x Dispatch) error {
		if len(x.Labels) > 0 {
			n++
		}
		return nil
	})
	if err != nil {
		return nil, archive.Explain(err)
	}
	if n < 2 {
		return nil, invalidf("archive", "%s: %d labeled dispatch: train needs at least 2 labeled dispatches, and a few for each label (label some first)", d.archive.Path(), n)
	}
	if opt.Source == "" {
		opt.Source = d.archive.Path()
	}
	each := func(yield func(Dispatch)) error {
		return d.archive.Each(ctx, archive.Filter{}, func(x Dispatch) error {
			if len(x.Labels) > 0 {
				yield(x)
			}
			return ctx.Err()
		})
	}
	m, err := TrainStream(each, opt)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, err
		}
		if errors.Is(err, vectorize.ErrEmptyVocabulary) || errors.Is(err, models.ErrNoLabels) {
			return nil, invalidf("archive", "%s: %v", d.archive.Path(), err)
		}
		return nil, fmt.Errorf("training: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := models.Save(out, m); err != nil {
		return nil, fmt.Errorf("writing the model: %w", err)
	}
	d.SetModel(m, out)
	return m, nil
}
