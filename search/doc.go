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
// for each search running at once (its two accumulators, pooled). A Stream holds 4 bytes a document. On
// disk, a segment holds 12 bytes a posting (document, count, row entry) and 8 a document; an Index over
// the files holds, besides the mappings, 4 bytes a posting it has weighed (and 4 more when the term's
// postings span several segments).
//
// # The index file
//
// An index on disk is a small index file over segment files. A segment holds a contiguous range of
// documents as raw counts, which no later add changes: each term's postings (documents ascending, exact
// counts) and each document's forward row (term<<8 | min(count, 255)). The weights cannot be kept there:
// every idf moves with n at each add, so every w_{t,d} and every norm does. What depends on the whole
// collection is in the index file, made again at each add from the segments' rows (a pass over them, no
// postings rewritten): the vocabulary, df, idf, bands, each document's 1/‖d‖ and band norms, all of
// them those of Build to the bit (the same functions, in the same order). An add so writes the segments
// of its own documents (WriteSegment, or a Writer that cuts its documents into segments of a bounded
// number of postings) and then the index file (WriteIndexFile), about 25 bytes a document and 10 a term;
// MergeSegments makes one segment of several (optimize).
//
//	index file (512-byte header): "DPCHIDX2", version 2, n, V, postings P, segments S, a stamp of ≤ 128
//	           bytes (the caller's: what state of its store the index is of), then for each section its
//	           offset, length and CRC-32C, and the header's own CRC-32C in its last 4 bytes; sections,
//	           8-byte aligned, little-endian: terms' bytes; uint32[V+1] their offsets; int32[V] df;
//	           float32[V] idf; uint8[V] band; S records of 128 bytes (first document, documents,
//	           postings, the segment header's CRC-32C, its file name); float64[n] 1/‖d‖; float32[n·4]
//	           band norms (n ≥ 4096)
//	segment (256-byte header): "DPCHSEG1", version 1, first document, n, terms T, postings P, sections
//	           as above: uint32[T] term ids ascending; int64[T+1] their postings' offsets; int32[P]
//	           documents; uint32[P] counts; uint32[P] forward rows; int64[n+1] their offsets
//
// OpenFile reads the index file (whole, into huge pages: see Memory below), maps its segments and checks
// the headers (a segment's against the CRC the index file recorded, so that a segment replaced or of
// another index is found), the small sections (CRC and structure: every offset in bounds, the segments
// contiguous from document 0, each term's postings across segments summing to its df). A term's
// postings are weighed (w = Weights.Weight of the count, idf_t and 1/‖d‖) the first time a search reads
// them, checked as they are (documents ascending within their segment, counts above 0, df of them, each
// document with a norm: damage panics with an error wrapping ErrCorrupt, never an answer), and kept. A
// search weighs all the terms it will read at once, block of documents by block, so that the norms it
// reads at random stay in cache. A cold process so weighs only the terms its query reads exactly; the
// common terms that the bounds rule out are never read. Verify checks the rest (CRCs of the large sections, every posting and
// row entry in order and in range), which reads everything. Every file is written to a temporary name,
// synced and renamed: a segment is listed by no index file until it is whole, and the index file is
// always an old one or a new one, whole. The vocabulary is copied to the heap at open (a hit's shared
// terms outlive the mappings); the mappings are released when the Index is no longer reachable, so that
// a server can swap files under running searches.
//
// # Pages
//
// On the virtual machines depeche is measured on, a process's first touch of a 4 KB page costs tens of
// microseconds, and a cold query at a million documents touched some 11,000 of them (the accumulators,
// the weighed postings, the norms, the mapped postings): most of its time. So what a query reads all
// over is in transparent huge pages outside the Go heap (hugeAlloc: the accumulators, the candidates,
// the arena of weighed postings, the index file, the segments' small sections), and the postings a
// search weighs are read by positioned reads (pread, a copy from the page cache that maps no page of
// the file), not through the segment's mapping; the mapping serves the forward rows of the few
// documents scored exactly. An Index's huge pages are given back when it is no longer reachable.
//
// # Concurrency
//
// An Index is immutable once built and safe for concurrent Search calls; each call takes its accumulators
// from a pool (or allocates them). From 8,192 documents one call splits the documents into GOMAXPROCS
// ranges (at most 8) searched at once, and finds the seeds' score while the other ranges read their rarer
// terms; a call that begins while r searches run takes ranges/r of them (at least one): splitting makes
// a search faster alone and dearer in total, so a busy server, whose searches already fill the cores,
// runs each on one. No split changes a result. A Stream is one query's, used by one goroutine.
//
// A server replacing an index file by a newer one (after an add) calls WarmFrom on the new one first (it
// weighs the terms the old one had weighed, within the cache limit, on one goroutine, while searches go
// on over the old one), then Release on the old one (its weighed postings, outside the Go heap, are
// unmapped once its running searches end).
package search
