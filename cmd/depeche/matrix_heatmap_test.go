package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/depeche/depeche/data"
)

// xnode is an element of a parsed SVG.
type xnode struct {
	name   string
	attr   map[string]string
	text   strings.Builder
	kids   []*xnode
	parent *xnode
}

// parseXML parses b strictly (encoding/xml fails on any malformed markup) into a tree.
func parseXML(t *testing.T, b []byte) *xnode {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	root := &xnode{name: "#document"}
	cur := root
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &xnode{name: tok.Name.Local, attr: map[string]string{}, parent: cur}
			for _, a := range tok.Attr {
				n.attr[a.Name.Local] = a.Value
			}
			cur.kids = append(cur.kids, n)
			cur = n
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			cur.text.Write(tok)
		}
	}
	if cur != root {
		t.Fatalf("the SVG ends inside <%s>", cur.name)
	}
	return root
}

func (n *xnode) walk(f func(*xnode)) {
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}

func (n *xnode) find(f func(*xnode) bool) []*xnode {
	var out []*xnode
	n.walk(func(k *xnode) {
		if f(k) {
			out = append(out, k)
		}
	})
	return out
}

func (n *xnode) child(name string) *xnode {
	for _, k := range n.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}

func attrFloat(t *testing.T, n *xnode, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(n.attr[name], 64)
	if err != nil {
		t.Fatalf("<%s %s=%q>: %v", n.name, name, n.attr[name], err)
	}
	return v
}

// matrixJSON is `depeche matrix --format json`: the ids in display order and the ordered matrix.
type matrixJSON struct {
	IDs    []string    `json:"ids"`
	Matrix [][]float64 `json:"matrix"`
}

func corpusMatrix(t *testing.T, n int, order string) matrixJSON {
	t.Helper()
	code, out, errOut := cli(t, t.TempDir(), "", "matrix", "--limit", strconv.Itoa(n), "--order", order, "--format", "json")
	if code != 0 {
		t.Fatalf("matrix --format json: exit %d: %s", code, errOut)
	}
	var m matrixJSON
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.IDs) != n {
		t.Fatalf("%d ids, want %d", len(m.IDs), n)
	}
	return m
}

// corpusLabels counts the first labels of the first n dispatches of the built-in corpus.
func corpusLabels(t *testing.T, n int) map[string]int {
	t.Helper()
	ds, err := data.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) < n {
		t.Fatalf("the built-in corpus has %d dispatches, the test needs %d", len(ds), n)
	}
	count := map[string]int{}
	for _, d := range ds[:n] {
		count[labelName(first(d.Labels))]++
	}
	return count
}

func unpackScore(d string, n, i, j int) float64 {
	if i == j {
		return 1
	}
	if i > j {
		i, j = j, i
	}
	k := 2 * (i*n - i*(i+1)/2 + j - i - 1)
	return float64(strings.IndexByte(base64URL, d[k])*64+strings.IndexByte(base64URL, d[k+1])) / 1000
}

// TestMatrixHeatmapFiles draws the built-in corpus's first n dispatches as PNG and SVG at the sizes that
// change the picture: ids on the axes (6, 40), label bands (200, 800), and the 205 rows whose SVG was
// 3.8 MB with gonum's output.
func TestMatrixHeatmapFiles(t *testing.T) {
	tests := []struct {
		n      int
		format string
		// the PNG's matrix side in pixels; the SVG's size limit
		side    int
		maxSize int64
	}{
		{6, "png", 6 * 96, 0},
		{6, "svg", 0, 1 << 20},
		{40, "png", 40 * 36, 0},
		{40, "svg", 0, 1 << 20},
		{200, "png", 1600, 0},
		{200, "svg", 0, 1 << 20},
		{205, "svg", 0, 1 << 20},
		{800, "png", 1600, 0},
		{800, "svg", 0, 3 << 20},
	}
	jsons := map[int]matrixJSON{}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d.%s", tc.n, tc.format), func(t *testing.T) {
			home := t.TempDir()
			out := filepath.Join(home, "heat."+tc.format)
			code, _, errOut := cli(t, home, "", "matrix", "--limit", strconv.Itoa(tc.n), "--format", tc.format, "--out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if tc.format == "png" {
				img, err := png.Decode(bytes.NewReader(b))
				if err != nil {
					t.Fatalf("the PNG does not decode: %v", err)
				}
				w, h := img.Bounds().Dx(), img.Bounds().Dy()
				// the matrix and a margin for the title, the labels and the colour bar
				if w < tc.side+150 || h < tc.side+100 || w > tc.side+1000 || h > tc.side+700 {
					t.Errorf("PNG of %d×%d pixels, want a matrix of %d pixels and margins", w, h, tc.side)
				}
				return
			}
			if int64(len(b)) > tc.maxSize {
				t.Errorf("the SVG of %d rows has %d bytes, want at most %d", tc.n, len(b), tc.maxSize)
			}
			t.Logf("SVG of %d rows: %d bytes", tc.n, len(b))
			m, ok := jsons[tc.n]
			if !ok {
				m = corpusMatrix(t, tc.n, "cluster")
				jsons[tc.n] = m
			}
			checkSVG(t, parseXML(t, b), m, corpusLabels(t, tc.n))
		})
	}
}

// checkSVG checks the cells' tooltips (a <title> per cell, or the script's data), the ids or the label
// legend, and the axis titles of an SVG of the matrix m.
func checkSVG(t *testing.T, doc *xnode, m matrixJSON, labels map[string]int) {
	t.Helper()
	n := len(m.IDs)
	texts := map[string]int{}
	doc.walk(func(k *xnode) {
		if k.name == "text" {
			texts[k.text.String()]++
		}
	})
	if got := texts["dispatches in clustered order"]; got != 2 {
		t.Errorf("%d axis titles \"dispatches in clustered order\", want 2", got)
	}
	if texts["cosine"] != 1 {
		t.Errorf("no colour bar title")
	}
	cells := doc.find(func(k *xnode) bool { return k.attr["id"] == "m" })
	if len(cells) != 1 {
		t.Fatalf("%d cell groups, want 1", len(cells))
	}
	titled := cells[0].find(func(k *xnode) bool { return k.name == "rect" && k.child("title") != nil && k.attr["width"] == "1" })
	scripts := doc.find(func(k *xnode) bool { return k.name == "script" })
	if n <= idTicksMax {
		// a <title> per cell, each the pair and its score
		if len(titled) != n*n || len(scripts) != 0 {
			t.Fatalf("%d cells with a <title> and %d scripts, want %d and none", len(titled), len(scripts), n*n)
		}
		for _, c := range titled {
			i, j := int(attrFloat(t, c, "y")), int(attrFloat(t, c, "x"))
			title := c.child("title").text.String()
			want := fmt.Sprintf("%s ~ %s: ", m.IDs[i], m.IDs[j])
			got, err := strconv.ParseFloat(strings.TrimPrefix(title, want), 64)
			if !strings.HasPrefix(title, want) || err != nil || math.Abs(got-m.Matrix[i][j]) > 0.0051 {
				t.Fatalf("cell (%d, %d) has the title %q, want %s%.2f", i, j, title, want, m.Matrix[i][j])
			}
		}
		// each id once beside its row and once above its column
		for _, id := range m.IDs {
			if texts[id] != 2 {
				t.Errorf("the id %s is written %d times, want 2", id, texts[id])
			}
		}
		return
	}
	// beyond the ids: a script holds every pair's score; each row's dispatch is named in a <title>
	if len(scripts) != 1 {
		t.Fatalf("%d scripts, want 1", len(scripts))
	}
	d := regexp.MustCompile(`d="([A-Za-z0-9_-]*)"`).FindStringSubmatch(scripts[0].text.String())
	if d == nil || len(d[1]) != n*(n-1) {
		t.Fatalf("the script's scores: %d characters, want %d", len(d), n*(n-1))
	}
	for i := range n {
		for j := range n {
			if got := unpackScore(d[1], n, i, j); math.Abs(got-m.Matrix[i][j]) > 0.00051 {
				t.Fatalf("the script's score of (%d, %d) is %.3f, want %.4f", i, j, got, m.Matrix[i][j])
			}
		}
	}
	rows := cells[0].find(func(k *xnode) bool { return k.attr["class"] == "rt" && k.child("title") != nil })
	if len(rows) != n {
		t.Errorf("%d row titles, want %d", len(rows), n)
	}
	for i, r := range rows {
		if got := r.child("title").text.String(); !strings.HasPrefix(got, m.IDs[i]+" (row "+strconv.Itoa(i+1)+",") {
			t.Fatalf("row %d has the title %q, want it to name %s", i+1, got, m.IDs[i])
		}
	}
	if len(doc.find(func(k *xnode) bool { return k.attr["id"] == "tip" })) != 1 {
		t.Errorf("no tooltip group")
	}
	// no ids on the axes, the label legend instead
	for _, id := range m.IDs[:5] {
		if texts[id] != 0 {
			t.Errorf("the id %s is written on an axis beyond %d rows", id, idTicksMax)
		}
	}
	if texts["first label"] != 1 {
		t.Errorf("no label legend")
	}
	for l, c := range labels {
		if k := fmt.Sprintf("%s (%d)", l, c); texts[k] != 1 {
			t.Errorf("the legend has no entry %q", k)
		}
	}
}

// TestMatrixHeatmapAxes checks the axis titles name the order used, and that both axes read from the
// top-left corner in the same order: the i-th id beside the i-th row and above the i-th column.
func TestMatrixHeatmapAxes(t *testing.T) {
	tests := []struct{ order, title string }{
		{"cluster", "dispatches in clustered order"},
		{"input", "dispatches in input order"},
		{"label", "dispatches ordered by label"},
	}
	for _, tc := range tests {
		t.Run(tc.order, func(t *testing.T) {
			home := t.TempDir()
			out := filepath.Join(home, "heat.svg")
			code, _, errOut := cli(t, home, "", "matrix", "--limit", "40", "--order", tc.order, "--format", "svg", "--out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			doc := parseXML(t, b)
			m := corpusMatrix(t, 40, tc.order)
			rowY, colX := map[string]float64{}, map[string]float64{}
			titles := 0
			translate := regexp.MustCompile(`^translate\(([-0-9.]+) ([-0-9.]+)\) rotate\(-90\)$`)
			doc.walk(func(k *xnode) {
				if k.name != "text" {
					return
				}
				s := k.text.String()
				if s == tc.title {
					titles++
				}
				if tr := translate.FindStringSubmatch(k.attr["transform"]); tr != nil {
					colX[s], _ = strconv.ParseFloat(tr[1], 64)
				} else if k.attr["text-anchor"] == "end" {
					rowY[s] = attrFloat(t, k, "y")
				}
			})
			if titles != 2 {
				t.Errorf("%d axis titles %q, want 2", titles, tc.title)
			}
			// the same step between consecutive ids on both axes, rows downwards and columns rightwards
			step := rowY[m.IDs[1]] - rowY[m.IDs[0]]
			if step <= 0 {
				t.Fatalf("the second row's id is not below the first")
			}
			for i, id := range m.IDs {
				y, okY := rowY[id]
				x, okX := colX[id]
				if !okY || !okX {
					t.Fatalf("the id %s is missing on an axis", id)
				}
				if math.Abs(y-rowY[m.IDs[0]]-float64(i)*step) > 0.02 || math.Abs(x-colX[m.IDs[0]]-float64(i)*step) > 0.02 {
					t.Fatalf("the id %s (position %d) is at row offset %.2f and column offset %.2f, want both %.2f",
						id, i, y-rowY[m.IDs[0]], x-colX[m.IDs[0]], float64(i)*step)
				}
			}
		})
	}
}

// testHeatmap is an n×n heatmap whose dispatches have the ids id(i) and the first labels label(i); pairs
// with the same label are more similar.
func testHeatmap(n int, id, label func(i int) string) *heatmap {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	h := &heatmap{sim: make([][]float32, n), order: make([]int, n), orderBy: "cluster"}
	for i := range n {
		h.sim[i] = make([]float32, n)
		h.order[i] = n - 1 - i // a permutation, so that display order and input order differ
	}
	for i := range n {
		h.sim[i][i] = 1
		for j := range i {
			v := float32(0.1 * r.Float64())
			if label(i) == label(j) {
				v += float32(0.4 * r.Float64())
			}
			h.sim[i][j], h.sim[j][i] = v, v
		}
	}
	for _, k := range h.order {
		h.ids, h.labels = append(h.ids, id(k)), append(h.labels, label(k))
	}
	return h
}

func plainID(i int) string { return fmt.Sprintf("TER-%04d", i+1) }

// themeLabel cuts n dispatches into k themes of consecutive input indices.
func themeLabel(n, k int) func(int) string {
	return func(i int) string { return fmt.Sprintf("theme-%02d", i*k/n) }
}

// TestMatrixHeatmapPNGCells checks that each cell of the PNG is a solid block of its colour (no grid
// lines, no seams, no smoothing), at its place from the top-left corner, and that the bands show each
// row's label colour.
func TestMatrixHeatmapPNGCells(t *testing.T) {
	for _, n := range []int{6, 40, 81, 200, 800} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			h := testHeatmap(n, plainID, themeLabel(n, 5))
			l := layoutHeatmap(h)
			img := renderHeatmapPNG(h, l).(*image.RGBA)
			lv := newLevels(l.top, 256)
			s := l.pngScale
			x0, y0 := int(math.Round(l.L*s)), int(math.Round(l.T*s))
			side := l.pngMatrix
			if side%n != 0 {
				t.Fatalf("the matrix is %d pixels for %d rows: cells of unequal sizes", side, n)
			}
			k := side / n
			for i := range n {
				for j := range n {
					want := lv.colour[lv.level(h.at(i, j))]
					for py := range k {
						for px := range k {
							if l.values && py > 0 && py < k-1 && px > 0 && px < k-1 {
								continue // the score is written inside
							}
							if got := img.RGBAAt(x0+j*k+px, y0+i*k+py); got != want {
								t.Fatalf("pixel (%d, %d) of cell (%d, %d) is %v, want %v", px, py, i, j, got, want)
							}
						}
					}
				}
			}
			if l.bands {
				bandY := int(math.Round((l.bandTop + bandWidth/2) * s))
				bandX := int(math.Round((l.bandL + bandWidth/2) * s))
				for i, c := range l.rowColour {
					mid := i*k + k/2
					if got := img.RGBAAt(x0+mid, bandY); got != c {
						t.Fatalf("the top band above column %d is %v, want %v", i, got, c)
					}
					if got := img.RGBAAt(bandX, y0+mid); got != c {
						t.Fatalf("the left band beside row %d is %v, want %v", i, got, c)
					}
				}
			} else if n > idTicksMax {
				t.Errorf("no label bands at %d rows", n)
			}
		})
	}
}

// boxPainter records where the texts and rectangles of a picture fall.
type boxPainter struct {
	boxes []textBox
	rects []image.Rectangle
}

type textBox struct {
	x0, y0, x1, y1 float64
	s              string
}

func (p *boxPainter) rect(x, y, w, h float64, c color.RGBA) {
	p.rects = append(p.rects, image.Rect(int(math.Floor(x)), int(math.Floor(y)), int(math.Ceil(x+w)), int(math.Ceil(y+h))))
}

func (p *boxPainter) text(x, y, size float64, anchor int, rotated bool, c color.RGBA, s string) {
	f := textFace(size)
	w := float64(f.Width(s)) * 1.1 // as a viewer's substitute font may be wider
	a := [3]float64{0, -w / 2, -w}[anchor+1]
	b := textBox{s: s}
	if !rotated {
		b.x0, b.x1, b.y0, b.y1 = x+a, x+a+w, y-0.8*size, y+0.25*size
	} else {
		b.x0, b.x1, b.y0, b.y1 = x-0.8*size, x+0.25*size, y-a-w, y-a
	}
	p.boxes = append(p.boxes, b)
}

// TestMatrixHeatmapLayout checks that no text or rectangle leaves the picture (nothing is cropped, with
// a font up to 10% wider than the one measured) and that no two texts overlap, with long ids too.
func TestMatrixHeatmapLayout(t *testing.T) {
	long := func(i int) string { return fmt.Sprintf("archive/2024/depeches-du-jour.tsv:%d", 1000+i) }
	tests := []struct {
		name string
		n    int
		id   func(int) string
	}{
		{"1", 1, plainID}, {"6", 6, plainID}, {"6 long ids", 6, long}, {"20", 20, plainID}, {"21", 21, plainID},
		{"40 long ids", 40, long}, {"80", 80, plainID}, {"81", 81, plainID}, {"200", 200, plainID},
		{"800", 800, plainID}, {"2100", 2100, plainID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := testHeatmap(tc.n, tc.id, themeLabel(tc.n, 24))
			l := layoutHeatmap(h)
			p := &boxPainter{}
			drawFrame(p, h, l, 0.5)
			if tc.n <= idTicksMax && len(p.boxes) < 2*tc.n {
				t.Fatalf("%d texts for %d ids", len(p.boxes), tc.n)
			}
			for _, b := range p.boxes {
				if b.x0 < 0 || b.y0 < 0 || b.x1 > l.W || b.y1 > l.H {
					t.Errorf("%q at [%.1f, %.1f]×[%.1f, %.1f] leaves the picture of %.0f×%.0f", b.s, b.x0, b.x1, b.y0, b.y1, l.W, l.H)
				}
			}
			for _, r := range p.rects {
				if r.Min.X < 0 || r.Min.Y < 0 || float64(r.Max.X) > l.W || float64(r.Max.Y) > l.H {
					t.Errorf("a rectangle %v leaves the picture of %.0f×%.0f", r, l.W, l.H)
				}
			}
			for i, a := range p.boxes {
				for _, b := range p.boxes[i+1:] {
					if a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 {
						t.Errorf("%q and %q overlap", a.s, b.s)
					}
				}
			}
			// the cells' scores fit in their cells
			if l.values {
				f := textFace(l.valueSize)
				if w := float64(f.Width("0.00")) * 1.1; w > 0.9*l.cell {
					t.Errorf("a score of %.1f units in a cell of %.1f", w, l.cell)
				}
			}
		})
	}
}

// TestMatrixHeatmapSVGEdgeCases: ids that need escaping, one dispatch, no labels, more labels than
// colours, and the largest matrix whose cells each get a <title>, which must stay under 1 MB.
func TestMatrixHeatmapSVGEdgeCases(t *testing.T) {
	odd := func(i int) string { return fmt.Sprintf(`a&b<%d>"é"]]>`, i) }
	none := func(int) string { return noLabel }
	largestTitled := 0
	for n := 60; n < 200; n++ {
		if !svgCellTitles(testHeatmap(n, plainID, none)) {
			break
		}
		largestTitled = n
	}
	if largestTitled < idTicksMax {
		t.Fatalf("the cells get <title>s up to %d rows only, fewer than the %d rows with ids", largestTitled, idTicksMax)
	}
	tests := []struct {
		name   string
		n      int
		id     func(int) string
		label  func(int) string
		legend []string // texts the legend must have
		bands  bool
	}{
		{"escaped ids", 12, odd, themeLabel(12, 3), nil, false},
		{"escaped ids, script", 90, odd, themeLabel(90, 3), []string{"theme-00 (30)"}, true},
		{"one dispatch", 1, plainID, none, nil, false},
		{"unlabeled", 100, plainID, none, nil, false},
		{"many labels", 300, plainID, themeLabel(300, 30), []string{"theme-00 (10)", "12 other labels (120)"}, true},
		{"largest titled", largestTitled, plainID, themeLabel(largestTitled, 3), nil, largestTitled > idTicksMax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := testHeatmap(tc.n, tc.id, tc.label)
			var buf bytes.Buffer
			w := bufio.NewWriter(&buf)
			if err := writeHeatmapSVG(w, h, layoutHeatmap(h)); err != nil {
				t.Fatal(err)
			}
			w.Flush()
			if buf.Len() >= 1<<20 {
				t.Errorf("%d rows: %d bytes, want under 1 MB", tc.n, buf.Len())
			}
			doc := parseXML(t, buf.Bytes())
			texts := map[string]bool{}
			doc.walk(func(k *xnode) {
				if k.name == "text" {
					texts[k.text.String()] = true
				}
			})
			if tc.n <= idTicksMax {
				for _, id := range h.ids {
					if !texts[shortID(id)] {
						t.Fatalf("no text %q", shortID(id))
					}
				}
			}
			if svgCellTitles(h) {
				titles := doc.find(func(k *xnode) bool { return k.name == "title" && k.parent.attr["width"] == "1" })
				if len(titles) != tc.n*tc.n {
					t.Fatalf("%d cell titles, want %d", len(titles), tc.n*tc.n)
				}
				if want := h.ids[0] + " ~ " + h.ids[0] + ": 1.00"; titles[0].text.String() != want {
					t.Errorf("the first cell's title is %q, want %q", titles[0].text.String(), want)
				}
			}
			if texts["first label"] != tc.bands {
				t.Errorf("legend shown: %v, want %v", texts["first label"], tc.bands)
			}
			for _, s := range tc.legend {
				if !texts[s] {
					t.Errorf("no legend entry %q", s)
				}
			}
		})
	}
}
