package main

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/vgimg"
)

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
