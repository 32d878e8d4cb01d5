package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/depeche/depeche"

	"github.com/depeche/depeche/dispatch"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

type trainOptions struct {
	algo    string
	folds   int
	json    bool
	c       float64
	cSet    bool // --c given: C exactly, not scaled to the training set's size
	minDF   int
	maxDF   float64
	bigrams bool
	chars   bool
	stemmer string
	calib   string
	builtin bool
	seed    uint64
}

func newTrainCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &trainOptions{}
	cmd := &cobra.Command{
		Use:   "train [FILE…]",
		Short: "Train a theme model on labeled dispatches",
		Long: `train learns a theme model from labeled dispatches: the FILEs (.tsv, .csv, .jsonl with a labels column,
or directories of them), or with no FILE the labeled dispatches of the archive. A row with an empty labels
field is kept as an example of "none of these themes".

It prints the k-fold cross-validated precision, recall and F1 of each label and writes the model atomically
to --model (default HOME/model.depeche); the previous model stays intact if anything fails.

EXIT STATUS
  0  success
  1  runtime failure
  2  bad usage or bad input (no labels, an unknown --algo, a malformed file)`,
		Example: `  depeche train labeled.tsv
  depeche train --algo nb --folds 10 --json corpus/
  depeche train                  # from the archive's labeled dispatches`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			o.cSet = cmd.Flags().Changed("c")
			return runTrain(cmd.Context(), s, g, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.algo, "algo", "logreg", "classifier: logreg (logistic regression) or nb (complement naive Bayes)")
	f.IntVar(&o.folds, "folds", depeche.DefaultFolds, "k of the k-fold cross-validation (1: none)")
	f.BoolVar(&o.json, "json", false, "print the metrics as JSON")
	f.Float64Var(&o.c, "c", depeche.DefaultC, "inverse regularisation strength of logreg (default: 5 up to 1,000 dispatches, 5·√(1000/n) above; given, exactly this C)")
	f.IntVar(&o.minDF, "min-df", 0, "drop terms found in fewer documents (0: 2)")
	f.Float64Var(&o.maxDF, "max-df", depeche.DefaultMaxDF, "drop terms found in more than this share of documents (1: keep all)")
	f.BoolVar(&o.bigrams, "bigrams", false, "add pairs of adjacent words as features")
	f.BoolVar(&o.chars, "char-ngrams", false, "add the character 3- to 5-grams of each word as features (slower, often more accurate)")
	f.StringVar(&o.stemmer, "stemmer", "snowball", "stemmer: snowball or none")
	f.StringVar(&o.calib, "calibration", "platt", "how logreg scores are calibrated: platt (fitted on out-of-fold scores) or none")
	f.Uint64Var(&o.seed, "seed", depeche.DefaultSeed, "seed of the fold shuffling")
	f.BoolVar(&o.builtin, "with-builtin", false, "learn from the built-in corpus too (your labels added to depeche's own)")
	return cmd
}

func (o *trainOptions) validate() error {
	switch o.algo {
	case "logreg", "nb":
	default:
		return usagef("--algo %q: must be one of logreg|nb", o.algo)
	}
	switch o.calib {
	case "platt", "none":
	default:
		return usagef("--calibration %q: must be one of platt|none", o.calib)
	}
	switch o.stemmer {
	case "snowball", "none":
	default:
		return usagef("--stemmer %q: must be one of snowball|none", o.stemmer)
	}
	if o.folds < 1 {
		return usagef("--folds %d: must be ≥ 1 (1: no cross-validation)", o.folds)
	}
	if o.c <= 0 {
		return usagef("--c %g: must be > 0", o.c)
	}
	if o.maxDF <= 0 || o.maxDF > 1 {
		return usagef("--max-df %g: must be in (0,1]", o.maxDF)
	}
	return nil
}

// options are the library's training options for the flags: a flag left at its default passes the zero
// value, so that the defaults (and C's rule for large sets) are depeche.TrainOptions', in one place.
func (o *trainOptions) options(source string) depeche.TrainOptions {
	c := 0.0
	if o.cSet {
		c = o.c
	}
	return depeche.TrainOptions{Algo: o.algo, C: c, MinDF: o.minDF, MaxDF: o.maxDF, Bigrams: o.bigrams,
		CharNgrams: o.chars, Stemmer: o.stemmer, Calibration: o.calib, Folds: o.folds, Seed: o.seed, Source: source}
}

func runTrain(ctx context.Context, s *streams, g *globalOptions, o *trainOptions, args []string) error {
	var ds []dispatch.Dispatch
	var source string
	var err error
	out, err := g.modelOutPath()
	if err != nil {
		return err
	}
	if info, err := os.Stat(out); err == nil && info.IsDir() {
		return usagef("--model %s is a directory: name the model file to write, e.g. %s", out, filepath.Join(out, "model.depeche"))
	}
	_, statErr := os.Stat(out)
	firstModel := g.model == "" && errors.Is(statErr, fs.ErrNotExist)
	var builtin []dispatch.Dispatch
	if o.builtin {
		if builtin, err = depeche.BuiltinCorpus(); err != nil {
			return err
		}
	}
	phase := func(string) {}
	var labelProgress func(done, labels int) // a bar of the labels fitted: at a million rows, minutes each
	if s.errTTY && !g.quiet && !o.json {
		start := time.Now()
		phase = func(p string) { fmt.Fprintf(s.errOut, "depeche: %s (%.1f s)\n", p, time.Since(start).Seconds()) }
		var bar *progressbar.ProgressBar
		labelProgress = func(done, labels int) { // called one at a time, from the training goroutines
			if bar == nil {
				bar = progressbar.NewOptions(labels, progressbar.OptionSetWriter(s.errOut),
					progressbar.OptionSetDescription("labels fitted"), progressbar.OptionShowCount(),
					progressbar.OptionSetPredictTime(true), progressbar.OptionFullWidth(),
					progressbar.OptionThrottle(100e6), progressbar.OptionClearOnFinish())
			}
			bar.Set(done)
			if done == labels {
				bar.Finish()
			}
		}
	}
	var m *depeche.Model
	var ndocs int
	if len(args) > 0 && depeche.InputSize(args) >= streamFrom {
		// big inputs are read twice rather than held: a million dispatches are 1.6 GB of text
		source = strings.Join(args, " ")
		if os.Getenv("GOMEMLIMIT") == "" {
			// the live data of a million-dispatch training is about 1.3 GB; by default Go lets the heap grow
			// to twice the live data before collecting, a soft limit keeps the peak near the live size at
			// no measured cost in time (1M dispatches: 2.06 GB → 1.55 GB peak RSS, 146 s → 150 s)
			debug.SetMemoryLimit(1536 << 20)
		}
		if o.builtin {
			source += " + built-in corpus"
		}
		each := func(yield func(dispatch.Dispatch)) error {
			for _, d := range builtin {
				yield(d)
			}
			for _, p := range args {
				if err := dispatch.EachWith(p, g.readOptions(), func(d dispatch.Dispatch) error { yield(d); return nil }, nil); err != nil {
					return err
				}
			}
			return nil
		}
		phase("reading and vectorizing the dispatches (two passes)")
		topt := o.options(source)
		topt.Progress, topt.LabelProgress = phase, labelProgress
		m, err = depeche.TrainStream(each, topt)
		if err != nil {
			var ie *dispatch.InputError
			if errors.As(err, &ie) {
				return err
			}
			if errors.Is(err, depeche.ErrNoLabels) {
				return usagef("%s: no dispatch carries a label; add a labels column (comma-separated ids)", source)
			}
			return &usageError{err}
		}
		ndocs = m.Info.Docs
	} else {
		phase("reading the dispatches")
		switch {
		case len(args) == 0 && o.builtin:
			// --with-builtin alone: the built-in corpus and the archive's labeled dispatches, if any
			ds, source, err = labeledFromArchive(ctx, g)
			if err != nil && !isNoArchive(err) {
				return err
			}
			source, err = strings.TrimPrefix(source+" + built-in corpus", " + "), nil
		case len(args) == 0:
			ds, source, err = labeledFromArchive(ctx, g)
		default:
			ds, err = dispatch.LoadAllWith(args, g.readOptions())
			source = strings.Join(args, " ")
			if o.builtin {
				source += " + built-in corpus"
			}
		}
		if err != nil {
			return err
		}
		ds = append(builtin, ds...)
		warnFewExamples(s, g, ds)
		if err := checkLabeled(ds, source); err != nil {
			return err
		}
		if len(ds) < 2 {
			return usagef("%s: %d dispatch: train needs at least 2 labeled dispatches, and a few for each label", source, len(ds))
		}
		if o.folds > len(ds) {
			return usagef("--folds %d: more folds than the %d dispatches to learn from; use at most %d (5 or 10 are usual)", o.folds, len(ds), len(ds))
		}
		topt := o.options(source)
		topt.Progress, topt.LabelProgress = phase, labelProgress
		if m, err = depeche.Train(ds, topt); err != nil {
			if errors.Is(err, depeche.ErrEmptyVocabulary) {
				return usagef("%s: no word occurs in %d or more of the %d dispatches (--min-df); give more dispatches, or --min-df 1", source, max(o.minDF, 2), len(ds))
			}
			return &usageError{err}
		}
		ndocs = len(ds)
	}
	if err := depeche.SaveModel(out, m); err != nil {
		return fmt.Errorf("writing the model: %w", err)
	}
	if firstModel && !g.quiet {
		fmt.Fprintf(s.errOut, "depeche: classify now uses this model instead of the built-in one (remove %s to go back; train --with-builtin learns from the built-in corpus too)\n", out)
	}
	if m.Info.CV != nil {
		if o.json {
			if err := writeReportJSON(s.out, m.Info.CV); err != nil {
				return err
			}
		} else {
			fmt.Fprintf(s.out, "%d-fold cross-validation on %d dispatches\n", m.Info.Folds, ndocs)
			writeReportTable(s.out, m.Info.CV)
		}
	}
	reg := ""
	if m.Classifier.Algo == "logreg" {
		reg = fmt.Sprintf(", logreg C = %.3g", o.options("").ScaledC(ndocs))
	}
	fmt.Fprintf(s.errOut, "depeche: model written to %s (%d dispatches, %d labels, %d terms%s)\n",
		out, ndocs, len(m.Classifier.Labels), len(m.Vectorizer.Terms()), reg)
	return nil
}

// streamFrom is the input size from which train reads its files twice instead of holding them.
const streamFrom = 64 << 20

// warnFewExamples says which labels have too few examples to learn (a model trained on labels of 1–3
// examples each scored a macro-F1 of 0.11, silently).
func warnFewExamples(s *streams, g *globalOptions, ds []dispatch.Dispatch) {
	counts := map[string]int{}
	for _, d := range ds {
		for _, l := range d.Labels {
			counts[l]++
		}
	}
	var few []string
	for l, n := range counts {
		if n < depeche.MinPositives {
			few = append(few, fmt.Sprintf("%s (%d)", l, n))
		}
	}
	if len(few) == 0 || g.quiet {
		return
	}
	sort.Strings(few)
	fmt.Fprintf(s.errOut, "depeche: warning: %d labels have fewer than %d examples, too few to learn and to choose a threshold for: %s; label more dispatches\n",
		len(few), depeche.MinPositives, strings.Join(few, ", "))
}

// checkLabeled returns an error when no dispatch carries a label.
func checkLabeled(ds []dispatch.Dispatch, source string) error {
	for _, d := range ds {
		if len(d.Labels) > 0 {
			return nil
		}
	}
	return usagef("%s: no dispatch carries a label; add a labels column (comma-separated ids) or label archived dispatches with \"depeche label\"", source)
}

func writeReportJSON(w io.Writer, r *depeche.Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(depeche.NewReportJSON(r))
}

func writeReportTable(w io.Writer, r *depeche.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "label\tprecision\trecall\tF1\tsupport\t")
	labels := make([]string, 0, len(r.PerLabel))
	for l := range r.PerLabel {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, l := range labels {
		m := r.PerLabel[l]
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t\n", l, m.Precision, m.Recall, m.F1, m.Support)
	}
	fmt.Fprintf(tw, "micro\t\t\t%.3f\t\t\n", r.MicroF1)
	fmt.Fprintf(tw, "macro\t\t\t%.3f\t\t\n", r.MacroF1)
	fmt.Fprintf(tw, "subset accuracy\t\t\t%.3f\t\t\n", r.Accuracy)
	tw.Flush()
	if c := r.Calibration; c != nil {
		writeCalibration(w, c)
	}
}

// writeCalibration prints the expected calibration error and the reliability table: for each score bin,
// how many (dispatch, label) pairs fell in it, their mean score and how often the label was true.
func writeCalibration(w io.Writer, c *depeche.CalibrationReport) {
	fmt.Fprintf(w, "\ncalibration: expected calibration error %.3f (mean over labels; 0 is perfect)\n", c.ECE)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "score\tpairs\tmean score\ttrue share\t")
	for _, b := range c.Reliability {
		if b.Count == 0 {
			fmt.Fprintf(tw, "%.1f–%.1f\t0\t\t\t\n", b.Low, b.High)
			continue
		}
		fmt.Fprintf(tw, "%.1f–%.1f\t%d\t%.3f\t%.3f\t\n", b.Low, b.High, b.Count, b.MeanScore, b.Observed)
	}
	tw.Flush()
}
