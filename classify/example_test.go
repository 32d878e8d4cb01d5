package classify_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/depeche/depeche/classify"
	"github.com/depeche/depeche/vec"
)

// terms names the features of the examples: in depeche, vectorize maps words to these indices.
var terms = []string{"cellule", "djihadist", "cannabis", "saisi", "migrant", "embarc", "maroc", "polic"}

// doc makes an L2-normalised TF-IDF-like row from terms, each with weight 1.
func doc(words ...string) vec.Vector {
	var v vec.Vector
	for _, w := range words {
		v.Ind = append(v.Ind, int32(slices.Index(terms, w)))
	}
	slices.Sort(v.Ind)
	for range v.Ind {
		v.Val = append(v.Val, 1)
	}
	v.Normalize()
	return v
}

// corpus is a small labeled corpus over terms: three themes, some dispatches with two, some with none.
// Each of its 11 dispatches is there three times (say, three agencies' wordings of one report).
func corpus() (*vec.Matrix, [][]string) {
	x := vec.NewMatrix(len(terms))
	var y [][]string
	add := func(labels []string, words ...string) {
		x.AppendRow(doc(words...))
		y = append(y, labels)
	}
	for range 3 {
		add([]string{"terrorisme"}, "cellule", "djihadist", "maroc")
		add([]string{"terrorisme"}, "cellule", "polic")
		add([]string{"terrorisme"}, "djihadist", "polic", "maroc")
		add([]string{"drogue"}, "cannabis", "saisi", "maroc")
		add([]string{"drogue"}, "cannabis", "polic")
		add([]string{"drogue"}, "saisi", "cannabis")
		add([]string{"migration"}, "migrant", "embarc", "maroc")
		add([]string{"migration"}, "migrant", "polic")
		add([]string{"migration"}, "embarc", "migrant")
		add([]string{"drogue", "migration"}, "cannabis", "embarc", "migrant")
		add(nil, "maroc", "polic")
	}
	return x, y
}

func ExampleFit() {
	x, y := corpus()
	m, err := classify.Fit(x, y, classify.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range [][]string{{"cellule", "djihadist"}, {"cannabis", "migrant", "embarc"}, {"maroc"}} {
		s := m.Scores(doc(d...))
		fmt.Printf("%-24s drogue %.3f  migration %.3f  terrorisme %.3f  → %v\n", strings.Join(d, " "), s[0], s[1], s[2], m.Predict(doc(d...)))
	}
	// Output:
	// cellule djihadist        drogue 0.048  migration 0.048  terrorisme 0.997  → [terrorisme]
	// cannabis migrant embarc  drogue 0.869  migration 0.949  terrorisme 0.005  → [drogue migration]
	// maroc                    drogue 0.059  migration 0.070  terrorisme 0.132  → []
}

func ExampleModel_Explain() {
	x, y := corpus()
	m, err := classify.Fit(x, y, classify.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	d := doc("cellule", "djihadist", "maroc", "polic")
	l := slices.Index(m.Labels, "terrorisme")
	for _, c := range m.Explain(d, l, 3) {
		fmt.Printf("%s %.3f\n", terms[c.Feature], c.Value)
	}
	// Output:
	// djihadist 2.247
	// cellule 1.880
	// polic 0.090
}

func ExampleEvaluate() {
	truth := [][]string{{"terrorisme", "migration"}, {"drogue"}, {}, {"migration"}}
	pred := [][]string{{"terrorisme"}, {"drogue"}, {"migration"}, {"migration"}}
	r := classify.Evaluate(truth, pred, []string{"drogue", "migration", "terrorisme"})
	fmt.Printf("micro-F1 %.3f  macro-F1 %.3f  subset accuracy %.3f\n", r.MicroF1, r.MacroF1, r.Accuracy)
	for _, l := range []string{"drogue", "migration", "terrorisme"} {
		p := r.PerLabel[l]
		fmt.Printf("%-10s P %.3f R %.3f F1 %.3f support %d\n", l, p.Precision, p.Recall, p.F1, p.Support)
	}
	// Output:
	// micro-F1 0.750  macro-F1 0.833  subset accuracy 0.500
	// drogue     P 1.000 R 1.000 F1 1.000 support 1
	// migration  P 0.500 R 0.500 F1 0.500 support 2
	// terrorisme P 1.000 R 1.000 F1 1.000 support 1
}

func ExampleCrossValidate() {
	x, y := corpus()
	// Copies of one report in training and test folds flatter the model; Groups keeps them together.
	groups := make([]int, x.Rows())
	for i := range groups {
		groups[i] = i % 11
	}
	for _, g := range [][]int{nil, groups} {
		r, err := classify.CrossValidate(x, y, classify.Options{Seed: 1, Groups: g}, 3)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("groups %-5v %d dispatches: micro-F1 %.3f  macro-F1 %.3f\n", g != nil, r.Docs, r.MicroF1, r.MacroF1)
	}
	// Output:
	// groups false 33 dispatches: micro-F1 0.952  macro-F1 0.952
	// groups true  33 dispatches: micro-F1 0.909  macro-F1 0.905
}

func ExampleScaledC() {
	// depeche train's default: C = 5 up to 1,000 rows, then shrinking as 1/√n
	for _, n := range []int{500, 1000, 100000, 1000000} {
		fmt.Printf("%7d rows: C = %.3f\n", n, classify.ScaledC(5, 1000, n))
	}
	// Output:
	//     500 rows: C = 5.000
	//    1000 rows: C = 5.000
	//  100000 rows: C = 0.500
	// 1000000 rows: C = 0.158
}

// A long training can say how far it is: Options.Progress hears of each label as it is complete.
func ExampleOptions_progress() {
	x, y := corpus()
	opt := classify.Options{Seed: 1}
	opt.Progress = func(done, labels int) { fmt.Printf("%d/%d labels\n", done, labels) }
	if _, _, err := classify.FitCV(x, y, opt, 3); err != nil {
		fmt.Println(err)
	}
	// Output:
	// 1/3 labels
	// 2/3 labels
	// 3/3 labels
}
