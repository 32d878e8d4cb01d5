package main

// The PNG and SVG heatmaps of `depeche matrix`. Both are drawn from one layout (layoutHeatmap) through a
// small painter interface, so that the two formats show the same picture: the title, a colour bar, the ids
// as tick labels up to idTicksMax rows or label bands beyond, and the cells. The PNG paints its cells
// straight into the pixels (one solid block per cell, no smoothing, no seams); the SVG is written by hand
// (matrix_svg.go), because a vector library's one-element-per-cell output with a tooltip per cell is
// several megabytes at a few hundred rows.

import (
	"bufio"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const (
	// idTicksMax is the largest number of rows whose ids are written beside the rows and above the
	// columns; beyond it ids would overlap, and coloured label bands show the themes instead.
	idTicksMax = 80
	// cellValuesMax is the largest number of rows whose cells also print their score.
	cellValuesMax = 20
	// maxLegendColours is the number of distinct label colours; rarer labels share the colour "other".
	maxLegendColours = 18
	noLabel          = "~" // first() of a dispatch without labels
)

// heatmap is what a picture of the matrix needs, in display order: row i and column i are the dispatch
// order[i], whose id is ids[i] and first label labels[i].
type heatmap struct {
	ids     []string
	labels  []string
	sim     [][]float32 // in input order
	order   []int
	orderBy string // "cluster", "input" or "label": the order actually used
}

func (h *heatmap) n() int              { return len(h.order) }
func (h *heatmap) at(i, j int) float32 { return h.sim[h.order[i]][h.order[j]] }

// top is the value drawn in the top colour: the largest off-diagonal similarity (at least 0.2), so that
// the blocks of similar dispatches show although the diagonal is 1 and most pairs are near 0.
func (h *heatmap) top() float32 {
	top := float32(0.2)
	for i := range h.sim {
		for j, v := range h.sim[i] {
			if i != j && v > top {
				top = v
			}
		}
	}
	return top
}

// drawHeatmap writes h as a PNG or SVG picture to path, with the format's extension added when path has
// another, and returns the path written.
func drawHeatmap(path, format string, h *heatmap) (string, error) {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
	}
	if !strings.EqualFold(filepath.Ext(path), "."+format) {
		path += "." + format
	}
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<16)
	l := layoutHeatmap(h)
	switch format {
	case "svg":
		err = writeHeatmapSVG(bw, h, l)
	default:
		err = png.Encode(bw, renderHeatmapPNG(h, l))
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	return path, err
}

// ---- colours

// similarityStops is ColorBrewer's sequential YlGnBu, pale for 0 and dark blue for the top value: a
// sequential scale reads as "more similar is darker", which a diverging one (whose white middle means
// nothing here) does not. The stops sit at their CIE L* lightness (99.1 down to 13.4) rather than evenly,
// so that lightness falls evenly along the scale: evenly spaced, YlGnBu's three palest stops would take a
// quarter of the scale, where most pairs of dispatches are, and wash it out.
var similarityStops = []struct {
	at float64
	c  color.RGBA
}{
	{0, color.RGBA{255, 255, 217, 255}}, {0.045, color.RGBA{237, 248, 177, 255}}, {0.121, color.RGBA{199, 233, 180, 255}},
	{0.257, color.RGBA{127, 205, 187, 255}}, {0.358, color.RGBA{65, 182, 196, 255}}, {0.499, color.RGBA{29, 145, 192, 255}},
	{0.692, color.RGBA{34, 94, 168, 255}}, {0.845, color.RGBA{37, 52, 148, 255}}, {1, color.RGBA{8, 29, 88, 255}},
}

// scaleColour is the colour of t in [0, 1] on the similarity scale.
func scaleColour(t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	k := 0
	for k < len(similarityStops)-2 && t > similarityStops[k+1].at {
		k++
	}
	a, b := similarityStops[k], similarityStops[k+1]
	f := (t - a.at) / (b.at - a.at)
	mix := func(p, q uint8) uint8 { return uint8(math.Round(float64(p) + f*(float64(q)-float64(p)))) }
	return color.RGBA{mix(a.c.R, b.c.R), mix(a.c.G, b.c.G), mix(a.c.B, b.c.B), 255}
}

// levels quantises the similarity scale to k colours: level(v) is the nearest of the k, colour[level] its
// colour. The PNG uses 256 levels, the SVG a few dozen (one CSS class each).
type levels struct {
	top    float64
	colour []color.RGBA
}

func newLevels(top float32, k int) levels {
	l := levels{top: float64(top), colour: make([]color.RGBA, k)}
	for i := range l.colour {
		l.colour[i] = scaleColour(float64(i) / float64(k-1))
	}
	return l
}

func (l levels) level(v float32) int {
	t := math.Max(0, math.Min(1, float64(v)/l.top))
	return int(math.Round(t * float64(len(l.colour)-1)))
}

// labelPalette holds distinct colours for the label bands: Tableau's ten without its grey, then their
// light companions.
var labelPalette = []color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255}, {148, 103, 189, 255},
	{140, 86, 75, 255}, {227, 119, 194, 255}, {188, 189, 34, 255}, {23, 190, 207, 255},
	{174, 199, 232, 255}, {255, 187, 120, 255}, {152, 223, 138, 255}, {255, 152, 150, 255}, {197, 176, 213, 255},
	{196, 156, 148, 255}, {247, 182, 210, 255}, {219, 219, 141, 255}, {158, 218, 229, 255},
}

var (
	otherLabelColour = color.RGBA{150, 150, 150, 255}
	noLabelColour    = color.RGBA{215, 215, 215, 255}
)

type legendEntry struct {
	name   string // as shown
	colour color.RGBA
	count  int
}

// labelColours gives each distinct first label a colour: the maxLegendColours most frequent labels their
// own (in alphabetical order, so a label keeps its colour when others come and go less often), the rest
// "other"; dispatches without a label are light grey. It returns the colour of each row and the legend,
// alphabetical, then "other", then "(no label)", which is the order of --order label.
func labelColours(labels []string) ([]color.RGBA, []legendEntry) {
	count := map[string]int{}
	for _, l := range labels {
		count[l]++
	}
	var named []string
	for l := range count {
		if l != noLabel {
			named = append(named, l)
		}
	}
	slices.SortFunc(named, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		return strings.Compare(a, b)
	})
	var others []string
	if len(named) > maxLegendColours {
		named, others = named[:maxLegendColours], named[maxLegendColours:]
	}
	slices.Sort(named)
	colourOf := map[string]color.RGBA{noLabel: noLabelColour}
	var legend []legendEntry
	for i, l := range named {
		colourOf[l] = labelPalette[i%len(labelPalette)]
		legend = append(legend, legendEntry{l, colourOf[l], count[l]})
	}
	if len(others) > 0 {
		total := 0
		for _, l := range others {
			colourOf[l] = otherLabelColour
			total += count[l]
		}
		legend = append(legend, legendEntry{fmt.Sprintf("%d other labels", len(others)), otherLabelColour, total})
	}
	if count[noLabel] > 0 {
		legend = append(legend, legendEntry{"(no label)", noLabelColour, count[noLabel]})
	}
	rows := make([]color.RGBA, len(labels))
	for i, l := range labels {
		rows[i] = colourOf[l]
	}
	return rows, legend
}
