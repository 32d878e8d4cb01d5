// Package archive owns depeche's store of past dispatches: an SQLite database (pure-Go driver, WAL mode)
// holding each dispatch (text, metadata, a hash of its normalised text), its labels, the raw term counts
// of each (a forward index), the document frequency of each term, the postings of each term and each
// document's 1/‖d‖ of a stamped state. It stores and streams; package search weighs, filters and ranks,
// on both paths: the cold one (Similar streams the query's postings into a search.Stream) and the warm
// one (Load builds a search.Index), which therefore give the same results to the last bit.
//
// # Why raw counts
//
// TF-IDF weights depend on the whole archive (n and df). The archive keeps counts, not weights, so that an
// add never re-analyses what is stored: weights always follow the current statistics. The norms 1/‖d‖
// depend on every idf, so every add moves all of them; only the cold path reads them from here (the index
// file holds its own), so an add does not make them again (norms.go): inv_norms holds the norms of the
// state that meta 'norms' names (the last batch, the numbers of dispatches and terms), an add empties both
// in its transaction, and a cold search whose snapshot is of another state makes them from the postings
// table (the sums of search.Weights.InvNorm, the function search.Build uses, in the same order: the same
// bits), keeps them in memory for that state, and stores them in the background when the archive is open
// for writing.
//
// # Schema (format 3)
//
//	meta(key, value)                        format, analyzer, batch, norms (the state inv_norms is of)
//	dispatches(doc, id, title, date, …, text, hash, terms)
//	                                        doc = 0…n-1 in archive order; terms: the term list blob
//	dispatch_labels(doc, seq, label)        a dispatch's labels in their order; indexed by (label, doc)
//	terms(id, term, df)                     ids dense from 0
//	postings(term, seq, data)               a term's postings, one chunk per add (seq = the add's batch)
//	inv_norms(chunk, data)                  1/‖d‖ of 65,536 documents a row, float64 bits
//
// Format 1 kept the labels in a dispatches column as ",a,b," and float32 norms ‖d‖ in a norms table;
// format 2 had no meta 'norms' and rewrote inv_norms at every add (a pass over every term list: a third
// of the CPU of a 10k add into 100k). The first write (add, label) to an older archive migrates it to
// format 3 in that write's transaction (1→2: labels to rows, norms made again in float64; 2→3: its norms,
// fresh by format 2's rule, stamped with its state); until then it is read as it is (a read-only open
// never writes), with the same filter. A format-1 archive read as it is answers with the warm scores too
// (its norms are made again from the term lists, not read). A depeche of format 2 refuses a format-3
// archive (ErrNewerFormat) rather than trust norms an add has made stale. A migration moves no weight: an
// index file stamped with the old format is kept (an add puts its segments onto it; a label or an empty
// add writes its small file again over the same segments), not written again. testdata holds a fixture
// of each older format, made once by the code of that format and pinned by its SHA-256.
//
// # The index file
//
// Beside the archive, ARCHIVE.idx (IndexPath) and its segment files ARCHIVE.idx.seg-* hold the search
// index of the whole archive in search's format ("The index file" in search's doc): segments of raw
// counts (postings, forward rows), and a small index file of the statistics of the whole archive (df,
// idf, each document's 1/‖d‖ and band norms) that lists them, so that a process maps them and answers a
// query reading only what the query touches (SimilarIn), with the cold and warm paths' results to the
// bit. The archive stays the truth: the index file is stamped with the state it was built from (format,
// last batch, dispatches, terms, analysis: everything the weights depend on; labels are not, and are read
// from the archive with the hits), a search checks the stamp in its read transaction (ErrStaleIndex when
// an add came since), and a missing, stale or corrupt index is written again from the archive
// (WriteIndex, in segments of at most 20M postings: bounded memory).
//
// An add writes the segments of its own dispatches as it flushes its postings, from the terms it was
// given (no second read), before its commit; after the commit, UpdateIndex writes the index file again
// over the segments the old one listed and the add's, when the old one was of the state the add started
// from (both stamps are kept in AddStats), else writes the whole index from the archive, saying so
// (OnIndex). Dispatches are only ever appended (duplicates are skipped, nothing is removed), so the
// segments of an add stay valid for every later state; only the index file's statistics move. A crash
// before the commit leaves segments no index file lists (removed by the next writer of the index after
// an hour); between the commit and the index file, a stale index file, found by its stamp. Optimize
// merges the segments into one.
//
// # Transactions
//
// An add is one transaction: a killed process leaves the archive as it was before, or with the whole add.
// WAL mode lets a reader (similar) run while a writer (add) works; a busy timeout makes two writers wait
// for each other instead of failing. Every read is one read transaction, which reads the file's format
// first: a reader is never misled by a migration another process made since it opened the file. Writes go
// through one connection (SQLite serialises writers anyway); reads through a pool of readConns, so that a
// server's searches, each holding its read transaction while it searches the index file, run side by side.
//
// # Reads without the archive in memory
//
// A server holds no metadata (browse.go): a listing is the date index read backwards (LIMIT/OFFSET), with
// the filter as an exact SQL condition (Filter.Match, byte for byte); a timeline and label counts are one
// grouped scan of an index; a search's hits' metadata are two queries (their rows, their labels). Labels
// set by another process are therefore in the next read. SimilarBefore answers from an index file of the
// state before the last adds, for the moment between another process's commit and its index file.
package archive
