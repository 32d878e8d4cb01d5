// Package depeche is the library facade of depeche: what a Go program needs to classify French news
// dispatches by theme, find the most similar archived dispatches, train a model and keep an archive,
// without knowing how the packages under it divide the work.
//
// A Desk holds a model (a file, or the built-in model) and an archive (an SQLite file, or the built-in
// corpus held in memory). Its operations apply the policies the command line applies, in one place:
//
//   - Classify scores a text on every label the model knows, with the words of the text that weighed
//     most (as the text writes them) and a confidence that says when the text lies outside what the
//     model learned. On a long article (4 passages of 60 analyzed tokens or more) a label is predicted
//     only when its lead or about a third of its text carries it, passage by passage (the labeling
//     guide's rule; package models, "Long articles"); Evaluate predicts the same way.
//   - Similar ranks the archived dispatches by the cosine of TF-IDF vectors, weighted with the archive's
//     current statistics (tf = 1 + ln count, idf = ln((1+n)/(1+df)) + 1, L2 norm), exactly: the top k of
//     a full scan. A dispatch whose normalised text is the query's own is left out, so that the similar
//     dispatches of an archived one are the others. Shared words come back as the query writes them.
//   - Train learns a model; the zero TrainOptions are exactly the defaults of "depeche train".
//   - Add and Import (files, streamed, analysed on every core, with near-duplicates) add dispatches in
//     one transaction (exact duplicates skipped, bad rows rejected with their place); Label sets labels;
//     the archive's index file follows every add.
//   - Evaluate scores a model on labeled dispatches; Compare gives the cosine of every pair of a set.
//
// The command line (cmd/depeche) and the HTTP server (server) call this package and hold no policy of
// their own: they import no package under it but dispatch (TestLayers holds the rule).
//
// The JSON shapes of the command line and the HTTP API (ClassifyResult, SimilarResult, SimilarOutput)
// are defined here, once.
package depeche
