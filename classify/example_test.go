package classify_test

import (
	"fmt"

	"github.com/depeche/depeche/classify"
	"github.com/depeche/depeche/vec"
)

func ExampleFit() {
	// four documents over three features: 0 = "cellule", 1 = "cannabis", 2 = "Tanger"
	x := vec.NewMatrix(3)
	x.AppendRow(vec.Vector{Ind: []int32{0, 2}, Val: []float32{0.8, 0.6}})
	x.AppendRow(vec.Vector{Ind: []int32{0}, Val: []float32{1}})
	x.AppendRow(vec.Vector{Ind: []int32{1, 2}, Val: []float32{0.8, 0.6}})
	x.AppendRow(vec.Vector{Ind: []int32{1}, Val: []float32{1}})
	y := [][]string{{"terrorisme"}, {"terrorisme"}, {"drogue"}, {"drogue"}}
	m, err := classify.Fit(x, y, classify.Options{ThresholdFolds: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	doc := vec.Vector{Ind: []int32{0}, Val: []float32{1}}
	fmt.Println(m.Labels, m.Predict(doc))
	for l, s := range m.Scores(doc) {
		fmt.Printf("%s %.3f\n", m.Labels[l], s)
	}
	fmt.Println(m.Explain(doc, 1, 3)[0].Feature)
	// Output:
	// [drogue terrorisme] [terrorisme]
	// drogue 0.103
	// terrorisme 0.899
	// 0
}

func ExampleEvaluate() {
	truth := [][]string{{"terrorisme", "migration"}, {"drogue"}, {}}
	pred := [][]string{{"terrorisme"}, {"drogue"}, {"migration"}}
	r := classify.Evaluate(truth, pred, []string{"drogue", "migration", "terrorisme"})
	fmt.Printf("micro %.3f macro %.3f migration F1 %.3f\n", r.MicroF1, r.MacroF1, r.PerLabel["migration"].F1)
	// Output:
	// micro 0.667 macro 0.667 migration F1 0.000
}
