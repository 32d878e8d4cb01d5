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
