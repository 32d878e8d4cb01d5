// Package realnews owns depeche's real-news dev set: the themes that the team gave, by row key and never
// with the text, to real French articles kept beside the project in ../shared (the MasakhaNEWS French
// train split, BBC Afrique articles; the five seed dispatches are labeled too, apart), and the measures of
// a model on them.
//
// A label row names its article by line number and by the first 12 hex digits of the SHA-256 of the
// article's text field, so that a changed or reordered file is an error, never a silent mislabel. What
// "about a theme" means is written in GUIDE.md; testdata/ holds the labels.
//
// The built-in model is measured through the library's facade (depeche.Desk.ClassifyTerms), so that the
// figures are those of classify and serve, the passage rule of long articles included.
//
// The measures, over the five themes only (a model's other labels are ignored):
//   - per theme, precision, recall and F1 of the predicted themes against the labels;
//   - the false-alarm rate: of the articles labeled with no theme, the share given at least one theme;
//   - the off-topic check: of the articles whose dataset topic is not politics (business, health, sports,
//     technology), the share given a theme they were not labeled with.
//
// MasakhaNEWS dev.tsv and test.tsv are never read here: they stay for independent evaluation.
package realnews
