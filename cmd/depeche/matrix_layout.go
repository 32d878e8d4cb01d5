package main

import (
	"fmt"
	"image/color"
	"math"
	"sync"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/vg"
)

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
