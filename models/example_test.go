package models_test

import (
	"fmt"

	"github.com/depeche/depeche/models"
)

func ExampleTrain() {
	texts := []string{
		"Démantèlement d'une cellule terroriste à Tanger.",
		"Une cellule terroriste liée à Daech démantelée à Fès.",
		"Attentat déjoué : le BCIJ arrête un extrémiste à Salé.",
		"Saisie de cannabis au port de Tanger Med.",
		"Deux trafiquants de cocaïne arrêtés à Casablanca.",
		"Saisie record de chira et de psychotropes à Oujda.",
	}
	labels := [][]string{{"terrorisme"}, {"terrorisme"}, {"terrorisme"}, {"drogue"}, {"drogue"}, {"drogue"}}
	m, err := models.Train(texts, labels, models.TrainOptions{Folds: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range m.Classify("Une cellule terroriste démantelée à Nador.", 2) {
		fmt.Printf("%s %v %v\n", l.Label, l.Predicted, l.Terms)
	}
	// Output:
	// terrorisme true [cellule démantelée]
	// drogue false []
}

// A label that a long article's whole text scores over its threshold, but that neither its lead nor
// 30 % of its text carries, is a passing mention: Judge does not predict it.
func ExamplePassages_Carried() {
	mention := models.Passages{Count: 9, Lead: false, Share: 0.12}
	thread := models.Passages{Count: 9, Lead: false, Share: 0.41}
	headline := models.Passages{Count: 9, Lead: true, Share: 0.08}
	fmt.Println(mention.Carried(), thread.Carried(), headline.Carried())
	// Output: false true true
}
