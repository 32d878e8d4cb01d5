package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/depeche/depeche"

	"github.com/depeche/depeche/dispatch"
	"github.com/spf13/cobra"
)

// globalOptions are the flags every command has.
type globalOptions struct {
	home    string
	model   string
	archive string
	errOut  io.Writer // for the one-line notes of a command that waits
	quiet   bool      // -q: no progress, no notes, no summary on success
	textCol string    // --text-column
}

// readOptions are the settings of every file reader of the command.
func (g *globalOptions) readOptions() dispatch.Options {
	return dispatch.Options{TextColumn: g.textCol}
}

// onWait tells the user that a write waits for another process's write to the archive.
func (g *globalOptions) onWait() {
	fmt.Fprintln(g.errOut, "depeche: the archive is being written by another process (an add or a label); waiting for it to finish (Ctrl-C gives up, nothing is written then)")
}

func newRootCmd(s *streams) *cobra.Command {
	g := &globalOptions{errOut: s.errOut}
	root := &cobra.Command{
		Use:   "depeche",
		Short: "Classify French news dispatches by theme and find similar past dispatches",
		Long: `depeche reads French news dispatches, tells which themes they are about (terrorisme, migration, drogue,
parlement, criminalite-organisee and off-theme labels), lists the most similar past dispatches of an archive,
and retrains when you label more.

With no set-up it uses its built-in model and its built-in corpus as the archive.

EXIT STATUS
  0  success
  1  runtime failure
  2  bad usage or bad input (the message says what and where)`,
		Example: `  echo "Un réseau de trafic de cannabis démantelé à Tanger" | depeche classify
  depeche classify --json articles.tsv
  depeche similar -k 5 < article.txt`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&g.home, "home", "", "data directory (default $DEPECHE_HOME, else the user data dir, e.g. ~/.local/share/depeche)")
	pf.StringVar(&g.model, "model", "", "model file (default HOME/model.depeche if it exists, else the built-in model)")
	pf.StringVar(&g.textCol, "text-column", "", "the column (.tsv, .csv) or field (.jsonl) of input files that holds the text, when it is not \"text\"")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print only results and errors: no progress, notes or summaries")
	pf.StringVar(&g.archive, "archive", "", "archive database (default HOME/archive.db if it exists, else the built-in corpus)")
	root.AddCommand(
		newClassifyCmd(s, g),
		newTrainCmd(s, g),
		newEvalCmd(s, g),
		newSimilarCmd(s, g),
		newAddCmd(s, g),
		newLabelCmd(s, g),
		newInfoCmd(s, g),
		newOptimizeCmd(s, g),
		newMatrixCmd(s, g),
		newServeCmd(s, g),
		newListCmd(s, g),
		newShowCmd(s, g),
		newExportCmd(s, g),
	)
	registerCompletions(root, g)
	root.Version = version()
	root.SetVersionTemplate("depeche {{.Version}}\n")
	return root
}

// version is the module's version from the build information: a release tag, else the VCS revision and
// time of a build from a checkout ("(devel)" when neither is known).
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := bi.Main.Version
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		return fmt.Sprintf("(devel) %.12s%s %s, %s", rev, dirty, at, bi.GoVersion)
	}
	if v == "" {
		v = "(devel)"
	}
	return v + ", " + bi.GoVersion
}

// homeDir returns the data directory: --home, $DEPECHE_HOME, else $XDG_DATA_HOME/depeche or
// ~/.local/share/depeche.
// The rule is the library's (depeche.Config.HomeDir); the command line refuses a data directory that
// exists as something else than a directory, naming where it came from.
func (g *globalOptions) homeDir() (string, error) {
	h, err := depeche.Config{Home: g.home}.HomeDir()
	if err != nil {
		return "", usagef("%v", err)
	}
	if info, err := os.Stat(h); err == nil && !info.IsDir() {
		what := "the data directory"
		switch {
		case g.home != "":
			what = "--home"
		case os.Getenv("DEPECHE_HOME") != "":
			what = "DEPECHE_HOME"
		}
		return "", usagef("%s %s is a file, not a directory: name the directory that holds (or will hold) model.depeche and archive.db", what, h)
	}
	return h, nil
}

// modelOutPath is where train writes: --model, else HOME/model.depeche.
func (g *globalOptions) modelOutPath() (string, error) {
	if g.model != "" {
		return g.model, nil
	}
	h, err := g.homeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(h, "model.depeche"), nil
}

// loadModel returns the model to use and a name for messages: --model, else HOME/model.depeche if it
// exists, else the built-in model.
func (g *globalOptions) loadModel() (*depeche.Model, string, error) {
	if g.model != "" {
		m, err := depeche.LoadModel(g.model)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, "", usagef("model file %s not found: train one with \"depeche train FILE --model %s\", or omit --model to use the built-in model", g.model, g.model)
		}
		return m, g.model, err
	}
	if h, err := g.homeDir(); err == nil {
		p := filepath.Join(h, "model.depeche")
		if _, err := os.Stat(p); err == nil {
			m, err := depeche.LoadModel(p)
			return m, p, err
		}
	}
	m, err := depeche.BuiltinModel()
	return m, "built-in", err
}
