// Package search owns depeche's one similarity engine: the TF-IDF weighting of documents and queries
// (Weights), which documents a search may return (Filter), the canonical order every score is summed in,
// the top k, and the two ways of feeding them: an inverted index held in memory (Index, the warm path of
// a server or of many queries) and postings streamed from a store term by term (Stream, the cold path of
// one command over the archive). Both return the same documents with the same scores, to the last bit.
//
// # Scoring
//
// A document d and a query q are weighted by Weights (1 + ln tf, smoothed idf rounded to float32, L2
// norm), with the statistics (n, df) of the collection, and scored by their cosine:
//
//	score(q, d) = Σ_t q_t · w_{t,d}
//
// in float32, each product rounded to float32 before it is added (an explicit conversion, so that no
// fused multiply-add, which the Go specification allows on arm64, ppc64 or s390x, changes a bit), the
// terms taken in the canonical order: descending float32 query weight, then ascending term id. Search is
// exact: it returns the same top k as a scan of every document (a test checks it), ties broken by
// ascending document number, and every hit's score has the bits of that canonical sum, so that a document
// gets the same score to the last bit whichever way it was found, warm or cold.
//
// # Pruning
//
// A whole article as a query shares a few dozen common words with most of the archive, and their postings
// are most of the work of an inverted-index product (what scikit-learn's q @ X.T does). Search reads
// exactly only the postings of the query's rarer terms (those in at most n/16 documents); what the common
// terms could add to a document is bounded band by band by Cauchy–Schwarz, with each document's norm in
// each document-frequency band kept at Build. The k-th best exact score of a few likely documents (seeds)
// then rules out every document whose partial score plus bound is below it; the few left are scored
// exactly from a forward index (each document's terms and counts). When too many are left, one more band
// is read. On make_corpus.py's 100k set a query reads 13–22 % of the postings a full product reads when
// the bounds suffice (others read one band more) and scores exactly a few tens of documents: 12–14×
// faster than scikit-learn's product at 100k documents, 29× at 1M (bench/RESULTS.md). The bounds are
// not exact sums (they carry a margin of 1e-5), so their products may be fused.
//
// # The cold path
//
// A Stream is given the query's terms with their statistics, asks for their postings in the canonical
// order and adds each product to its document's score as it comes, which is the full scan the index is
// tested against; it keeps the top k the same way and names the shared terms the same way. The store
// keeps, for each document, 1/‖d‖ as Weights.InvNorm computes it, so that a posting's weight is the
// index's to the bit.
//
// # Memory
//
// Per posting 12 bytes: the document (int32) and weight (float32) in the postings, and the term and count
// (uint32) in the forward index; per document 32 bytes (band norms 16, row offset 8, norm 8), and 8 more
// for each search running at once (its two accumulators, pooled). A Stream holds 4 bytes a document.
//
// # The index file
//
// Index.WriteFile writes an index as its arrays lie in memory, and OpenFile maps the file read-only and
// searches it with the same code (the slices of the Index point into the mapping), so that a process
// answers its first query after reading only the pages that query touches. The file:
//
//	header (512 bytes): "DPCHIDX1", version, n, terms V, postings P, parts, a stamp of ≤ 128 bytes
//	                    (the caller's: what state of its store the index is of), then for each section
//	                    its offset, length and CRC-32C, and the header's own CRC-32C in its last 4 bytes
//	sections, each 8-byte aligned, little-endian:
//	  terms' bytes; uint32[V+1] their offsets; float32[V] idf; uint8[V] band; int64[V+1] postings
//	  offsets; int32[P] documents; float32[P] weights; float32[n·4] band norms (n ≥ 4096);
//	  int32[V·(parts+1)] cuts (parts > 1); uint32[P] forward rows; int64[n+1] their offsets;
//	  float64[n] 1/‖d‖
//
// The weights are those of Build, to the bit, so a mapped index gives the in-memory one's hits and
// scores. OpenFile checks the header and the small sections (CRC and structure: every offset and cut in
// bounds, so that no search reads outside the mapping); Verify checks the rest (CRC, documents ascending
// and below n, row terms ascending and below V), which reads the whole file. The file is written to a
// temporary name, synced and renamed: it is always an old file or a new one, whole. The vocabulary is
// copied to the heap at open (a hit's shared terms outlive the mapping); the mapping is released when the
// Index is no longer reachable, so that a server can swap files under running searches.
//
// # Concurrency
//
// An Index is immutable once built and safe for concurrent Search calls; each call takes its accumulators
// from a pool (or allocates them). From 8,192 documents one call splits the documents into GOMAXPROCS
// ranges (at most 8) searched at once, and finds the seeds' score while the other ranges read their rarer
// terms. A Stream is one query's, used by one goroutine.
package search
