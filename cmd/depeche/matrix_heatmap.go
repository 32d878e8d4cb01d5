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
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
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

// ---- text

var (
	heatFontsOnce sync.Once
	heatFonts     *font.Cache
)

// textFace is Liberation Sans (metric-compatible with Arial and Helvetica, which the SVG names) at size.
func textFace(size float64) font.Face {
	heatFontsOnce.Do(func() { heatFonts = font.NewCache(liberation.Collection()) })
	return heatFonts.Lookup(font.Font{Typeface: "Liberation", Variant: "Sans"}, vg.Length(size))
}

// textWidth is the width of s at size, with a margin for a viewer that substitutes a wider font (DejaVu
// Sans, the usual stand-in for Arial on Linux, is about 10% wider).
func textWidth(s string, size float64) float64 {
	f := textFace(size)
	return float64(f.Width(s)) * 1.15
}

// shortID shortens long ids in the middle, where FILE:LINE ids are alike: the tail tells them apart.
func shortID(id string) string {
	r := []rune(id)
	if len(r) <= 24 {
		return id
	}
	return string(r[:9]) + "…" + string(r[len(r)-14:])
}

func orderTitle(orderBy string) string {
	switch orderBy {
	case "input":
		return "dispatches in input order"
	case "label":
		return "dispatches ordered by label"
	default:
		return "dispatches in clustered order"
	}
}

// ---- layout

const (
	titleSize = 16.0
	subSize   = 10.5
	axisSize  = 11.5
	smallSize = 9.5
	bandWidth = 9.0
	bandGap   = 2.0
	pad       = 14.0
)

// layout places everything in picture units (SVG user units; the PNG draws scale pixels per unit).
type layout struct {
	n              int
	W, H           float64
	L, T, M, cell  float64 // the matrix: left, top, side, side of a cell
	tickSize       float64 // size of the id labels
	valueSize      float64 // size of the scores printed in the cells
	ids, bands     bool
	values         bool
	title, sub     string
	titleY, subY   float64 // baselines
	axis           string
	axisX, axisY   float64 // baseline of the column title; x of the (rotated) row title's baseline
	top            float32
	barX, barY     float64
	barW, barH     float64
	barTicks       []float64
	legendY        float64
	rowColour      []color.RGBA
	legend         []legendEntry
	posTicks       []int // 1-based positions with a tick, when the ids are not shown
	bandTop, bandL float64
	pngScale       float64 // PNG pixels per unit
	pngMatrix      int     // PNG pixels of the matrix side
}

func layoutHeatmap(h *heatmap) *layout {
	n := h.n()
	l := &layout{n: n, top: h.top(), axis: orderTitle(h.orderBy)}
	l.title = fmt.Sprintf("Cosine similarity of %d dispatches (TF-IDF)", n)
	if l.top > 0.2 {
		l.sub = fmt.Sprintf("colour: cosine from 0 to %.2f, the largest off-diagonal value; the diagonal (1) in the top colour", l.top)
	} else {
		l.sub = "colour: cosine from 0 to 0.2 (no pair of dispatches reaches it); the diagonal (1) in the top colour"
	}
	l.ids = n <= idTicksMax
	l.values = n <= cellValuesMax
	if l.ids {
		l.cell = math.Max(10, math.Min(48, math.Floor(720/float64(n))))
		l.M = l.cell * float64(n)
		l.tickSize = math.Min(11, 0.8*l.cell)
		l.valueSize = math.Min(11, 0.3*l.cell)
		l.pngScale = 2
		l.pngMatrix = int(l.M * l.pngScale)
	} else {
		l.M = 800
		l.cell = l.M / float64(n)
		// whole pixels per cell, about 1600 pixels in all; one pixel per cell up to 2000 rows, and beyond
		// each pixel shows the nearest cell (the diagonal stays whole)
		k := max(1, int(math.Round(1600/float64(n))))
		l.pngMatrix = min(n*k, 2000)
		l.pngScale = float64(l.pngMatrix) / l.M
		l.rowColour, l.legend = labelColours(h.labels)
		l.bands = len(l.legend) > 1 || (len(l.legend) == 1 && l.legend[0].name != "(no label)")
		step := niceStep(float64(n), 8, []float64{1, 2, 2.5, 5})
		l.posTicks = []int{1}
		for p := int(step); p <= n; p += int(step) {
			l.posTicks = append(l.posTicks, p)
		}
	}
	maxID := 0.0
	if l.ids {
		for _, id := range h.ids {
			maxID = math.Max(maxID, textWidth(shortID(id), l.tickSize))
		}
	}
	// from the top: title, subtitle, the columns' axis title, then the ids or the position ticks and bands
	y := pad
	l.titleY = y + titleSize*0.8
	y += titleSize * 1.3
	l.subY = y + subSize*0.8
	y += subSize*1.3 + 10
	l.axisY = y + axisSize*0.8
	y += axisSize*1.3 + 2
	var region, leftRegion float64
	if l.ids {
		region, leftRegion = maxID+6, maxID+6
	} else {
		region = smallSize*1.2 + 4 + bandGap
		leftRegion = textWidth(fmt.Sprint(n), smallSize) + 6 + bandGap
		if l.bands {
			region += bandWidth
			leftRegion += bandWidth
		}
	}
	l.T = math.Ceil(y + region)
	l.axisX = pad + axisSize*0.8
	l.L = math.Ceil(pad + axisSize*1.3 + 2 + leftRegion)
	l.bandTop, l.bandL = l.T-bandGap, l.L-bandGap
	if l.bands {
		l.bandTop -= bandWidth
		l.bandL -= bandWidth
	}
	// to the right: the colour bar, its ticks, and under it the label legend
	l.barX, l.barY, l.barW = l.L+l.M+24, l.T, 14
	l.barH = math.Min(math.Max(l.M, 160), 320)
	// ticks at round values about 50 units apart, and the top value, labelled
	top := float64(l.top)
	step := niceStep(top, max(2, int(l.barH/50)), []float64{1, 2, 2.5, 5})
	for k := 0; float64(k)*step < top; k++ {
		v := float64(k) * step
		if (top-v)/top*l.barH < 1.6*smallSize {
			break // too close to the top value's label
		}
		l.barTicks = append(l.barTicks, v)
	}
	l.barTicks = append(l.barTicks, top)
	right := l.barX + l.barW + 5 + textWidth(fmt.Sprintf("%.2f", l.top), smallSize)
	right = math.Max(right, l.barX+textWidth("cosine", smallSize+0.5))
	bottom := math.Max(l.T+l.M, l.barY+l.barH)
	if l.bands {
		l.legendY = l.barY + l.barH + 34
		right = math.Max(right, l.barX+textWidth("first label", smallSize+0.5))
		for _, e := range l.legend {
			right = math.Max(right, l.barX+14+textWidth(legendText(e), smallSize))
		}
		bottom = math.Max(bottom, l.legendY+6+14*float64(len(l.legend)))
	}
	right = math.Max(right, pad+textWidth(l.title, titleSize))
	right = math.Max(right, pad+textWidth(l.sub, subSize))
	l.W = math.Ceil(right + pad)
	l.H = math.Ceil(bottom + pad)
	return l
}

func legendText(e legendEntry) string { return fmt.Sprintf("%s (%d)", e.name, e.count) }

// niceStep is the smallest step of the form m·10^k (m in mantissas) that cuts span in at most count steps.
func niceStep(span float64, count int, mantissas []float64) float64 {
	if span <= 0 {
		return 1
	}
	raw := span / float64(count)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range mantissas {
		if m*p >= raw-1e-12 {
			return m * p
		}
	}
	return 10 * p
}

// ---- drawing

// painter draws in picture units. Text is placed by its baseline: anchor -1 starts at x, 0 is centred on
// it, 1 ends at it; rotated text reads upwards, its baseline vertical through x, "start" at y.
type painter interface {
	rect(x, y, w, h float64, c color.RGBA)
	text(x, y, size float64, anchor int, rotated bool, c color.RGBA, s string)
}

var (
	ink     = color.RGBA{30, 30, 30, 255}
	softInk = color.RGBA{90, 90, 90, 255}
	frame   = color.RGBA{120, 120, 120, 255}
)

// drawFrame draws everything but the cells, the colour bar's colours and the bands' colours.
func drawFrame(p painter, h *heatmap, l *layout, hair float64) {
	p.text(pad, l.titleY, titleSize, -1, false, ink, l.title)
	p.text(pad, l.subY, subSize, -1, false, softInk, l.sub)
	p.text(l.L+l.M/2, l.axisY, axisSize, 0, false, ink, l.axis)
	p.text(l.axisX, l.T+l.M/2, axisSize, 0, true, ink, l.axis)
	// a hairline around the matrix, outside it, so that its pale cells do not melt into the page
	p.rect(l.L-hair, l.T-hair, l.M+2*hair, hair, frame)
	p.rect(l.L-hair, l.T+l.M, l.M+2*hair, hair, frame)
	p.rect(l.L-hair, l.T, hair, l.M, frame)
	p.rect(l.L+l.M, l.T, hair, l.M, frame)
	if l.ids {
		// the i-th id beside the i-th row and above the i-th column: both read from the top-left corner
		for i, id := range h.ids {
			c := l.cell * (float64(i) + 0.5)
			s := shortID(id)
			p.text(l.L-5, l.T+c+0.35*l.tickSize, l.tickSize, 1, false, ink, s)
			p.text(l.L+c+0.35*l.tickSize, l.T-5, l.tickSize, -1, true, ink, s)
		}
	} else {
		for _, k := range l.posTicks {
			c := l.cell * (float64(k) - 0.5)
			p.rect(l.L+c-hair/2, l.bandTop-4, hair, 4, softInk)
			p.text(l.L+c, l.bandTop-6, smallSize, 0, false, softInk, fmt.Sprint(k))
			p.rect(l.bandL-4, l.T+c-hair/2, 4, hair, softInk)
			p.text(l.bandL-6, l.T+c+0.35*smallSize, smallSize, 1, false, softInk, fmt.Sprint(k))
		}
	}
	// the colour bar's outline, ticks and title
	p.text(l.barX, l.barY-9, smallSize+0.5, -1, false, ink, "cosine")
	p.rect(l.barX-hair, l.barY-hair, l.barW+2*hair, hair, frame)
	p.rect(l.barX-hair, l.barY+l.barH, l.barW+2*hair, hair, frame)
	p.rect(l.barX-hair, l.barY, hair, l.barH, frame)
	p.rect(l.barX+l.barW, l.barY, hair, l.barH, frame)
	for _, v := range l.barTicks {
		y := l.barY + l.barH*(1-v/float64(l.top))
		p.rect(l.barX+l.barW, y-hair/2, 3, hair, softInk)
		p.text(l.barX+l.barW+5, y+0.35*smallSize, smallSize, -1, false, ink, trimFloat(v))
	}
	if l.bands {
		p.text(l.barX, l.legendY-4, smallSize+0.5, -1, false, ink, "first label")
		for k, e := range l.legend {
			y := l.legendY + 14*float64(k)
			p.rect(l.barX, y+2, 10, 10, e.colour)
			p.text(l.barX+14, y+2+5+0.35*smallSize, smallSize, -1, false, ink, legendText(e))
		}
	}
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// valueInk is black or white, whichever reads better on c.
func valueInk(c color.RGBA) color.RGBA {
	if 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B) > 140 {
		return color.RGBA{0, 0, 0, 255}
	}
	return color.RGBA{255, 255, 255, 255}
}

// ---- PNG

type pngPainter struct {
	img *image.RGBA
	cv  *vgimg.Canvas
	s   float64 // pixels per unit
	hpx float64
}

func (p *pngPainter) px(v float64) int { return int(math.Round(v * p.s)) }

// rect fills whole pixels: edges are rounded, so rectangles that touch share an edge and nothing shows
// between them.
func (p *pngPainter) rect(x, y, w, h float64, c color.RGBA) {
	x0, y0, x1, y1 := p.px(x), p.px(y), p.px(x+w), p.px(y+h)
	if x1 == x0 && w > 0 {
		x1++
	}
	if y1 == y0 && h > 0 {
		y1++
	}
	fillPixels(p.img, image.Rect(x0, y0, x1, y1), c)
}

func fillPixels(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for k := 0; k < len(row); k += 4 {
			row[k], row[k+1], row[k+2], row[k+3] = c.R, c.G, c.B, c.A
		}
	}
}

func (p *pngPainter) text(x, y, size float64, anchor int, rotated bool, c color.RGBA, s string) {
	face := textFace(size * p.s)
	w := float64((&face).Width(s))
	off := 0.0
	switch anchor {
	case 0:
		off = -w / 2
	case 1:
		off = -w
	}
	p.cv.SetColor(c)
	pt := vg.Point{X: vg.Length(x * p.s), Y: vg.Length(p.hpx - y*p.s)} // vg's y goes up
	if !rotated {
		pt.X += vg.Length(off)
		p.cv.FillString(face, pt, s)
		return
	}
	p.cv.Push()
	p.cv.Translate(pt)
	p.cv.Rotate(math.Pi / 2)
	p.cv.FillString(face, vg.Point{X: vg.Length(off)}, s)
	p.cv.Pop()
}

func renderHeatmapPNG(h *heatmap, l *layout) image.Image {
	s := l.pngScale
	wpx, hpx := int(math.Ceil(l.W*s)), int(math.Ceil(l.H*s))
	// one point per pixel: the painter scales units itself
	cv := vgimg.NewWith(vgimg.UseWH(vg.Length(wpx), vg.Length(hpx)), vgimg.UseDPI(72))
	img := cv.Image().(*image.RGBA)
	p := &pngPainter{img: img, cv: cv, s: s, hpx: float64(img.Rect.Dy())}
	n := l.n
	lv := newLevels(l.top, 256)
	// the cells: pixel (x, y) of the matrix shows the cell (y·n/side, x·n/side)
	x0, y0, side := p.px(l.L), p.px(l.T), l.pngMatrix
	for py := range side {
		i := py * n / side
		row := img.Pix[img.PixOffset(x0, y0+py):]
		for px := range side {
			c := lv.colour[lv.level(h.at(i, px*n/side))]
			k := 4 * px
			row[k], row[k+1], row[k+2], row[k+3] = c.R, c.G, c.B, 255
		}
	}
	if l.values {
		for i := range n {
			for j := range n {
				v := h.at(i, j)
				p.text(l.L+l.cell*(float64(j)+0.5), l.T+l.cell*(float64(i)+0.5)+0.35*l.valueSize, l.valueSize, 0, false,
					valueInk(lv.colour[lv.level(v)]), fmt.Sprintf("%.2f", v))
			}
		}
	}
	// the colour bar, one pixel row per colour step
	bar0, bar1 := p.px(l.barY), p.px(l.barY+l.barH)
	for y := bar0; y < bar1; y++ {
		t := 1 - (float64(y-bar0)+0.5)/float64(bar1-bar0)
		fillPixels(img, image.Rect(p.px(l.barX), y, p.px(l.barX+l.barW), y+1), scaleColour(t))
	}
	if l.bands {
		for i, c := range l.rowColour {
			a, b := float64(i)*l.cell, float64(i+1)*l.cell
			p.rect(l.L+a, l.bandTop, b-a, bandWidth, c)
			p.rect(l.bandL, l.T+a, bandWidth, b-a, c)
		}
	}
	drawFrame(p, h, l, 1/s)
	return img
}
