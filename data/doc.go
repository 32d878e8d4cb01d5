// Package data owns depeche's built-in material: the labeled corpus of French dispatches that the project
// wrote (the *.tsv files here, embedded with go:embed) and the built-in model trained on it
// (model.depeche, made by "make model"). Both are read-only bytes; nothing is trained at init.
//
// The corpus is the archive of a fresh install and the training set of the built-in model; README.md in
// this folder is its datasheet.
//
// # Invariants
//
// Corpus reads the files in name order and their rows in file order, so the same build gives the same
// dispatches, ids included ("data/<file>:<line>" for a row without one); they are read with package
// dispatch, so every row obeys its rules (a text, valid dates and label ids). The built-in model was
// trained on exactly this corpus with this build's analyzer: "make model" after a change of either, and
// go test ./data says when it is stale. Model is nil until the model has been made; its bytes are the
// executable's read-only data, never to be modified.
package data
