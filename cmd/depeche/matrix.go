package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/dispatch"
	"github.com/spf13/cobra"
)

type matrixOptions struct {
	format string
	out    string
	limit  int
	order  string
	filter depeche.Filter
}

// matrixAskAbove is the size above which matrix wants --limit or --out before printing to a terminal or
// a pipe: a few hundred dispatches is what a person reads.
const matrixAskAbove = 500

func newMatrixCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &matrixOptions{}
	cmd := &cobra.Command{
		Use:   "matrix [FILE…]",
		Short: "Write the pairwise similarity matrix of dispatches",
		Long: `matrix computes the cosine similarity of every pair of dispatches (TF-IDF vectors) of the FILEs, or of the
archive (--archive, else HOME/archive.db, else the built-in corpus; --label, --since, --until filter it).

--format csv (default) writes ids as the header row and first column; json writes {"ids": [...], "matrix":
[[...]]}; png and svg draw a heatmap and need --out. Rows are ordered so that similar dispatches sit together
(average-linkage clustering; --order input keeps the input order, --order label groups by first label).
Above 500 dispatches, matrix asks for --limit N (the first N) or --out FILE.

The heatmap reads from its top-left corner, rows downwards and columns rightwards in the same order; its
colour bar runs from 0 to the largest off-diagonal similarity. Up to 80 dispatches the ids label the rows
and the columns; beyond, a coloured band along the top and the left shows each dispatch's first label. In
the SVG, pointing at a cell shows its pair of ids and their score.

EXIT STATUS
  0  success
  1  runtime failure
  2  bad usage (an unknown --format, png/svg without --out, too many dispatches without --limit or --out)`,
		Example: `  depeche matrix --limit 50 > sim.csv
  depeche matrix --format png --out sim.png --label terrorisme
  depeche matrix --format json a.txt b.txt c.txt`,
		Args: func(cmd *cobra.Command, args []string) error {
			switch o.format {
			case "csv", "json", "png", "svg":
			default:
				return usagef("--format %q: must be one of csv|json|png|svg", o.format)
			}
			switch o.order {
			case "cluster", "input", "label":
			default:
				return usagef("--order %q: must be one of cluster|input|label", o.order)
			}
			if (o.format == "png" || o.format == "svg") && o.out == "" {
				return usagef("--format %s needs --out FILE", o.format)
			}
			if o.limit < 0 {
				return usagef("--limit %d: must be ≥ 0", o.limit)
			}
			return validateFilter(&o.filter)
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runMatrix(cmd, s, g, o, args) },
	}
	f := cmd.Flags()
	f.StringVar(&o.format, "format", "csv", "csv, json, png or svg")
	f.StringVar(&o.out, "out", "", "output file (csv and json go to stdout without it)")
	f.IntVar(&o.limit, "limit", 0, "only the first N dispatches (0: all)")
	f.StringVar(&o.order, "order", "cluster", "row order: cluster, input or label")
	addFilterFlags(cmd, &o.filter)
	return cmd
}

func runMatrix(cmd *cobra.Command, s *streams, g *globalOptions, o *matrixOptions, args []string) error {
	var c *depeche.Comparison
	if len(args) > 0 {
		ds, err := dispatch.LoadAllWith(args, g.readOptions())
		if err != nil {
			return err
		}
		if o.limit > 0 && len(ds) > o.limit {
			ds = ds[:o.limit]
		}
		if len(ds) == 0 {
			return usagef("no dispatch to compare")
		}
		if c, err = depeche.Compare(ds); err != nil {
			return err
		}
	} else {
		desk, err := g.openArchiveDesk(true)
		if err != nil {
			return err
		}
		if desk == nil {
			if desk, err = depeche.OpenBuiltinCorpus(); err != nil {
				return err
			}
		}
		defer desk.Close()
		if c, err = desk.Compare(cmd.Context(), o.filter, o.limit); err != nil {
			return err
		}
	}
	ids := c.IDs
	firstLabels := make([]string, len(ids))
	for i, ls := range c.Labels {
		firstLabels[i] = first(ls)
	}
	n := c.Len()
	if n == 0 {
		return usagef("no dispatch passes the filters")
	}
	if n > matrixAskAbove && o.out == "" && o.limit == 0 {
		return usagef("the matrix of %d dispatches would have %d cells: give --limit N for the first N, or --out FILE to write it all", n, n*n)
	}
	sim := c.Cosines()
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	orderBy := o.order // the order actually used, which the heatmap's axis titles name
	switch o.order {
	case "cluster":
		if n <= 5000 {
			order = depeche.ClusterOrder(sim)
		} else {
			orderBy = "input"
			fmt.Fprintf(s.errOut, "depeche: warning: %d dispatches: clustering is limited to 5000, keeping the input order\n", n)
		}
	case "label":
		sortStableBy(order, func(i int) string { return firstLabels[i] })
	}
	ordered := make([]string, n)
	orderedLabels := make([]string, n)
	for i, k := range order {
		ordered[i], orderedLabels[i] = ids[k], firstLabels[k]
	}
	w := s.out
	var f *os.File
	if o.out != "" && (o.format == "csv" || o.format == "json") {
		var err error
		if f, err = os.Create(o.out); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	switch o.format {
	case "csv":
		bw := bufio.NewWriter(w)
		writeMatrixCSV(bw, ordered, sim, order)
		if err := bw.Flush(); err != nil {
			return err
		}
	case "json":
		rows := make([][]float32, n)
		for i, a := range order {
			rows[i] = make([]float32, n)
			for j, b := range order {
				rows[i][j] = roundTo(sim[a][b], 4)
			}
		}
		enc := json.NewEncoder(w)
		if err := enc.Encode(struct {
			IDs    []string    `json:"ids"`
			Matrix [][]float32 `json:"matrix"`
		}{ordered, rows}); err != nil {
			return err
		}
	default:
		h := &heatmap{ids: ordered, labels: orderedLabels, sim: sim, order: order, orderBy: orderBy}
		path, err := drawHeatmap(o.out, o.format, h)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.errOut, "depeche: wrote the %d×%d matrix to %s\n", n, n, path)
	}
	if f != nil {
		return f.Close()
	}
	return nil
}

func first(ls []string) string {
	if len(ls) == 0 {
		return "~" // unlabeled last
	}
	return ls[0]
}

func sortStableBy(order []int, key func(int) string) {
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(key(a), key(b)) })
}

func roundTo(x float32, digits int) float32 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(float64(x), 'f', digits, 32), 32)
	return float32(v)
}

func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\n\r") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

func writeMatrixCSV(w io.Writer, ids []string, sim [][]float32, order []int) {
	fmt.Fprint(w, "id")
	for _, id := range ids {
		fmt.Fprint(w, ",", csvField(id))
	}
	fmt.Fprintln(w)
	buf := make([]byte, 0, 16)
	for i, a := range order {
		io.WriteString(w, csvField(ids[i]))
		for _, b := range order {
			buf = append(buf[:0], ',')
			buf = strconv.AppendFloat(buf, float64(sim[a][b]), 'f', 4, 32)
			w.Write(buf)
		}
		io.WriteString(w, "\n")
	}
}
