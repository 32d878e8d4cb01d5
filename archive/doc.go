// Package archive owns depeche's store of past dispatches: an SQLite database (pure-Go driver, WAL mode)
// holding each dispatch (text, metadata, labels, a hash of its normalised text), the raw term counts of
// each (a forward index), the document frequency of each term, the postings of each term and each
// document's vector norm.
//
// # Why raw counts
//
// TF-IDF weights depend on the whole archive (n and df). The archive keeps counts, not weights, so that an
// add never re-analyses what is stored: weights always follow the current statistics. The norms, which
// depend on every idf, are recomputed from the forward index inside each add's transaction.
//
// # Transactions
//
// An add is one transaction: a killed process leaves the archive as it was before, or with the whole add.
// WAL mode lets a reader (similar) run while a writer (add) works; a busy timeout makes two writers wait
// for each other instead of failing.
//
// The weighting itself (1 + ln tf, smoothed idf, L2) is package search's; the archive only stores what it
// needs.
package archive
