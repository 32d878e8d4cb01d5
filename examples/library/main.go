// Command library is the README's example of the depeche library: classify a text with the built-in
// model, then list the most similar dispatches of the built-in corpus.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/depeche/depeche"
)

func main() {
	desk, err := depeche.OpenBuiltin() // or depeche.Open(depeche.Config{Model: "m.depeche", Archive: "a.db"})
	if err != nil {
		log.Fatal(err)
	}
	text := "Un réseau de trafic de résine de cannabis démantelé au port de Tanger Med."
	for _, l := range desk.Classify(text).Labels {
		fmt.Printf("%-22s %.2f %v %v\n", l.Label, l.Score, l.Predicted, l.Terms)
	}
	similar, err := desk.Similar(context.Background(), text, 5, depeche.Filter{Since: "2020"})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range similar {
		fmt.Printf("%.3f %s %s %v\n", r.Score, r.ID, r.Title, r.Terms)
	}
}
