package main

// The SVG heatmap, written by hand so that it stays small: the cells' colours are quantised to
// svgLevels CSS classes, the cell group is scaled so that a cell is one unit, and the commonest colour is
// one background rectangle under the others.
//
// Tooltips. Up to the size where a <title> per cell fits in svgTitleBudget bytes (about 100 rows with
// ids of 8 characters), every cell is a <rect> with a <title> child, "ID1 ~ ID2: 0.41". Beyond, a <title>
// per cell cannot stay under 1 MB (42,025 of them at 205 rows are 3 MB), so the cells are drawn as one
// path per colour (a horizontal run of cells of the same colour is one segment), each row has an
// invisible <rect> whose <title> names its dispatch (what a viewer without scripts shows), and a small
// inline script shows the pair and its score under the pointer from the upper triangle of the matrix,
// packed in two base64 characters per pair (the score to 0.001).

import (
	"bufio"
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
)

const (
	svgLevels = 32
	// svgTitleBudget is the size allowed to the cells when each has its own <title>.
	svgTitleBudget = 800_000
	svgFont        = "'Liberation Sans',Arial,Helvetica,sans-serif"
)

// svgCellTitles tells whether every cell of h gets its own <title> (else the script shows the scores).
func svgCellTitles(h *heatmap) bool {
	n := h.n()
	sum := 0
	for _, id := range h.ids {
		sum += len(xmlText(id))
	}
	// <rect x="12" y="34" width="1" height="1" class="q12"><title>A ~ B: 0.41</title></rect>\n
	return n*n*(54+ndigits(n)*2+9+15)+2*n*sum <= svgTitleBudget
}

func ndigits(n int) int { return len(strconv.Itoa(n)) }

var xmlReplacer = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func xmlText(s string) string { return xmlReplacer.Replace(s) }

func num(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }

func hexColour(c color.RGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

type svgPainter struct{ w *bufio.Writer }

func (p *svgPainter) rect(x, y, w, h float64, c color.RGBA) {
	fmt.Fprintf(p.w, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n", num(x), num(y), num(w), num(h), hexColour(c))
}

func (p *svgPainter) text(x, y, size float64, anchor int, rotated bool, c color.RGBA, s string) {
	b := p.w
	b.WriteString("<text")
	if rotated {
		fmt.Fprintf(b, ` transform="translate(%s %s) rotate(-90)"`, num(x), num(y))
	} else {
		fmt.Fprintf(b, ` x="%s" y="%s"`, num(x), num(y))
	}
	fmt.Fprintf(b, ` font-size="%s"`, num(size))
	switch anchor {
	case 0:
		b.WriteString(` text-anchor="middle"`)
	case 1:
		b.WriteString(` text-anchor="end"`)
	}
	if c != ink {
		fmt.Fprintf(b, ` fill="%s"`, hexColour(c))
	}
	b.WriteString(">")
	b.WriteString(xmlText(s))
	b.WriteString("</text>\n")
}

func writeHeatmapSVG(w *bufio.Writer, h *heatmap, l *layout) error {
	n := l.n
	lv := newLevels(l.top, svgLevels)
	level := make([][]uint8, n)
	hist := make([]int, svgLevels)
	for i := range level {
		level[i] = make([]uint8, n)
		for j := range level[i] {
			level[i][j] = uint8(lv.level(h.at(i, j)))
			hist[level[i][j]]++
		}
	}
	mode := 0
	for k, c := range hist {
		if c > hist[mode] {
			mode = k
		}
	}
	titled := svgCellTitles(h)

	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s">
<title>%s</title>
<style>
`, num(l.W), num(l.H), num(l.W), num(l.H), svgFont, xmlText(l.title))
	for k, c := range lv.colour {
		fmt.Fprintf(w, ".q%d{fill:%s;stroke:%s}\n", k, hexColour(c), hexColour(c))
	}
	w.WriteString("#m path{fill:none;stroke-width:1}#m rect,#b rect{stroke:none}.rt{fill:#000;fill-opacity:0}\n</style>\n")
	fmt.Fprintf(w, `<rect width="%s" height="%s" fill="#fff"/>`+"\n", num(l.W), num(l.H))

	// the cells, one unit each
	fmt.Fprintf(w, `<g id="m" transform="translate(%s %s) scale(%s)" shape-rendering="crispEdges">`+"\n",
		num(l.L), num(l.T), strconv.FormatFloat(l.cell, 'g', 6, 64))
	fmt.Fprintf(w, `<rect width="%d" height="%d" class="q%d"/>`+"\n", n, n, mode)
	if titled {
		for i := range n {
			for j := range n {
				fmt.Fprintf(w, `<rect x="%d" y="%d" width="1" height="1" class="q%d"><title>%s ~ %s: %.2f</title></rect>`+"\n",
					j, i, level[i][j], xmlText(h.ids[i]), xmlText(h.ids[j]), h.at(i, j))
			}
		}
	} else {
		writeRunPaths(w, level, mode)
		for i := range n {
			fmt.Fprintf(w, `<rect y="%d" width="%d" height="1" class="rt"><title>%s (row %d, %s)</title></rect>`+"\n",
				i, n, xmlText(h.ids[i]), i+1, xmlText(labelName(h.labels[i])))
		}
	}
	w.WriteString("</g>\n")
	if l.values {
		w.WriteString(`<g pointer-events="none">` + "\n")
		p := &svgPainter{w}
		for i := range n {
			for j := range n {
				v := h.at(i, j)
				p.text(l.L+l.cell*(float64(j)+0.5), l.T+l.cell*(float64(i)+0.5)+0.35*l.valueSize, l.valueSize, 0, false,
					valueInk(lv.colour[level[i][j]]), fmt.Sprintf("%.2f", v))
			}
		}
		w.WriteString("</g>\n")
	}

	// the colour bar: one rectangle per class
	w.WriteString(`<g id="b" shape-rendering="crispEdges">` + "\n")
	step := l.barH / svgLevels
	for k := range svgLevels {
		fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" class="q%d"/>`+"\n",
			num(l.barX), num(l.barY+l.barH-float64(k+1)*step), num(l.barW), num(step+0.01), k)
	}
	w.WriteString("</g>\n")
	if l.bands {
		w.WriteString(`<g shape-rendering="crispEdges">` + "\n")
		for i := 0; i < n; {
			j := i
			for j < n && l.rowColour[j] == l.rowColour[i] {
				j++
			}
			a, b := float64(i)*l.cell, float64(j-i)*l.cell
			name := xmlText(labelName(h.labels[i]))
			if l.rowColour[i] == otherLabelColour {
				name = "other labels"
			}
			rows := fmt.Sprintf("%d–%d", i+1, j)
			if j == i+1 {
				rows = strconv.Itoa(i + 1)
			}
			fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`+"\n",
				num(l.L+a), num(l.bandTop), num(b), num(bandWidth), hexColour(l.rowColour[i]), rows, name)
			fmt.Fprintf(w, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`+"\n",
				num(l.bandL), num(l.T+a), num(bandWidth), num(b), hexColour(l.rowColour[i]), rows, name)
			i = j
		}
		w.WriteString("</g>\n")
	}
	drawFrame(&svgPainter{w}, h, l, 0.5)
	if !titled {
		if err := writeTooltipScript(w, h, l); err != nil {
			return err
		}
	}
	_, err := w.WriteString("</svg>\n")
	return err
}

func labelName(l string) string {
	if l == noLabel {
		return "no label"
	}
	return l
}

// writeRunPaths draws the cells that are not of the background class: for each class one path whose
// segments are runs of cells of that class in a row, stroked one unit wide along the row's middle, with
// relative moves so that most segments take a few characters.
func writeRunPaths(w *bufio.Writer, level [][]uint8, mode int) {
	n := len(level)
	d := make([]strings.Builder, svgLevels)
	penX, penY := make([]int, svgLevels), make([]int, svgLevels)
	started := make([]bool, svgLevels)
	for i, row := range level {
		for j := 0; j < n; {
			k := int(row[j])
			e := j + 1
			for e < n && int(row[e]) == k {
				e++
			}
			if k != mode {
				b := &d[k]
				if !started[k] {
					fmt.Fprintf(b, "M%d %d.5h%d", j, i, e-j)
					started[k] = true
				} else {
					fmt.Fprintf(b, "m%d %dh%d", j-penX[k], i-penY[k], e-j)
				}
				penX[k], penY[k] = e, i
			}
			j = e
		}
	}
	for k := range d {
		if started[k] {
			fmt.Fprintf(w, `<path class="q%d" d="%s"/>`+"\n", k, d[k].String())
		}
	}
}

const base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// packScores is the upper triangle of h (i < j, row by row), two characters per pair: round(1000·score).
func packScores(h *heatmap) string {
	n := h.n()
	var b strings.Builder
	b.Grow(n * (n - 1))
	for i := range n {
		for j := i + 1; j < n; j++ {
			v := min(4095, max(0, int(math.Round(1000*float64(h.at(i, j))))))
			b.WriteByte(base64URL[v>>6])
			b.WriteByte(base64URL[v&63])
		}
	}
	return b.String()
}

// tooltipJS shows "ID1 ~ ID2: 0.41" beside the pointer over the cell group #m; it removes the rows'
// <title>s, which only serve viewers without scripts. %d is n, then the ids as JSON, then the scores.
const tooltipJS = `(function(){
var n=%d,ids=%s,d="%s",A="` + base64URL + `",L={},i;
for(i=0;i<64;i++)L[A.charAt(i)]=i;
var m=document.getElementById("m"),svg=m.ownerSVGElement,tip=document.getElementById("tip"),
box=tip.getElementsByTagName("rect")[0],tx=tip.getElementsByTagName("text")[0];
var rt=m.querySelectorAll(".rt title");for(i=0;i<rt.length;i++)rt[i].parentNode.removeChild(rt[i]);
function score(a,b){if(a==b)return 1;if(a>b){var t=a;a=b;b=t}
var k=2*(a*n-a*(a+1)/2+b-a-1);return(L[d.charAt(k)]*64+L[d.charAt(k+1)])/1000}
function hide(){tip.setAttribute("visibility","hidden")}
m.addEventListener("mousemove",function(e){
var p=svg.createSVGPoint();p.x=e.clientX;p.y=e.clientY;
var q=p.matrixTransform(m.getScreenCTM().inverse()),c=Math.floor(q.x),r=Math.floor(q.y);
if(r<0||c<0||r>=n||c>=n){hide();return}
tx.textContent=ids[r]+" ~ "+ids[c]+": "+score(r,c).toFixed(2);
tx.setAttribute("y",0);
var s=p.matrixTransform(svg.getScreenCTM().inverse()),bb=tx.getBBox(),w=bb.width+10,h=bb.height+6,
vb=svg.viewBox.baseVal,x=s.x+14,y=s.y+18;
if(x+w>vb.x+vb.width)x=s.x-14-w;if(y+h>vb.y+vb.height)y=s.y-8-h;
tip.setAttribute("transform","translate("+x+" "+y+")");
box.setAttribute("width",w);box.setAttribute("height",h);tx.setAttribute("x",5);tx.setAttribute("y",3-bb.y);
tip.setAttribute("visibility","visible")});
m.addEventListener("mouseleave",hide);
})();`

func writeTooltipScript(w *bufio.Writer, h *heatmap, l *layout) error {
	ids, err := json.Marshal(h.ids) // escapes <, > and &: safe in XML and in CDATA
	if err != nil {
		return err
	}
	w.WriteString(`<g id="tip" visibility="hidden" pointer-events="none"><rect rx="3" fill="#fff" fill-opacity=".95" stroke="#555" stroke-width=".6"/><text font-size="11"></text></g>` + "\n")
	w.WriteString("<script><![CDATA[\n")
	fmt.Fprintf(w, tooltipJS, l.n, ids, packScores(h))
	_, err = w.WriteString("\n]]></script>\n")
	return err
}
