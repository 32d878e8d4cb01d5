// Package vectorize owns depeche's French analysis and its vector space: the analyzer that turns a dispatch
// into terms, the TF-IDF vectorizer over a learned vocabulary, cosine similarity, the pairwise similarity
// matrix and its clustering order. It knows nothing of labels, files, the archive or the command line.
//
// # The analyzer
//
// An Analyzer runs one chain, each stage in its own file:
//
//	clean.go        Clean: the article inside a scraped page, as byte ranges of the text; its line rules
//	cleanline.go    (trailing blocks, "Source : X", UI lines, "Lire aussi", dates, the dateline) and
//	cleaninline.go  its inline rules for text flattened to one line
//	tokenize.go     words: letters, digits and combining marks joined by one inner apostrophe or hyphen;
//	                their normal form (NFC, lower case, œ → oe, æ → ae, one apostrophe ', one hyphen -)
//	elision.go      parts at apostrophes and hyphens; elided articles dropped (l’État → état)
//	compound.go     lexicalised compounds kept whole (porte-parole), inner apostrophes joined again
//	                (presqu'île), inversion clitics dropped (a-t-il), "narco" split off (from fr-2)
//	stopwords.go    stop words, numbers and one-letter words dropped; aliases (marocaines → maroc)
//	stem.go         the Snowball stem, protected words excepted (parlement, Tanger); the stem probe
//	fold.go         accents folded (sécurité → securite), unless Options.KeepAccents
//	ngrams.go       word bigrams and character n-grams, with Options.Bigrams and Options.CharNgrams
//	fingerprint.go  AnalyzerVersion and the fingerprint of the whole analysis
//
// The word lists (stop words, articles, clitics, compounds, aliases, protected words) are in words.go with
// their sources. Lowercasing comes before elision and the stop list so that "L'" and "Les" match the lists;
// folding comes after stemming so that Snowball sees the accents its rules are written with.
//
// # Invariants of the analysis
//
// Every term is non-empty, valid UTF-8 and lower case, with no space or typographic apostrophe. Tokens come
// in text order, numbered from 0, and their [Start, End) are byte offsets into the text given: Clean never
// rewrites the text, it only chooses ranges of it. The same text gives the same terms in every run and on
// every goroutine.
//
// Fingerprint names the analysis: the options, the rules' version and every word list. A change that
// changes the terms of some text must change the fingerprint, or come as a new AnalyzerVersion that keeps
// the old rules reachable through Options.Version (fr-1 and fr-2 both are), so that a model trained
// before it is refused with a message to retrain instead of being scored on terms it never saw.
// StemProbe covers what the fingerprint cannot: how the Snowball library itself stems.
//
// # Weighting
//
// A Vectorizer learns a vocabulary (Fit: terms in at least MinDF and at most MaxDF·n documents, sorted)
// and weighs a term t of document d, tf(t,d) its count in d, n the number of training documents and df(t)
// the number of them that hold t, as
//
//	w(t,d) = tf'(t,d) · idf(t),  tf' = 1 + ln tf (Sublinear, the default) or tf,  idf(t) = ln((1+n)/(1+df(t))) + 1
//
// then scales each document to unit L2 norm: scikit-learn's TfidfVectorizer with smooth_idf=True and
// norm='l2'. ReferenceFitTransform computes the same through james-bowman/nlp (whose idf has no +1) and is
// what the fast path is tested against. Terms that Fit did not keep are ignored; a text with no known
// term is the zero vector, and the cosine of a zero vector is 0, never NaN.
//
// # Vocabulary and features by id
//
// The fitted vocabulary is a Vocabulary: the sorted terms packed in one byte array with their offsets,
// and a canonical open-addressing table of their ids (TermHash, linear probing, at most 3/4 full), which
// a model file stores as it is, so that reading a model builds no map. TransformTokens computes the
// vector of TransformTerms(TermsOf(text, tokens)) to the bit from ids: a token's term looked up as it
// is, a character n-gram hashed from a reused byte buffer of the folded word, with no string for either;
// it allocates nothing once its Scratch has grown.
//
// # Orientation
//
// The *vec.Matrix of Transform and FitTransform holds one document per row, in input order, and one
// feature per column: scikit-learn's orientation, the transpose of nlp's. A feature id is the index of
// its term in Terms.
//
// # Similarity
//
// Cosine is a·b/(‖a‖‖b‖), clamped to [0,1]. CosineMatrix of L2-normalised rows is symmetric, with
// values in [0,1] and a diagonal of 1 (0 for a zero row). ClusterOrder is the leaf order of an
// average-linkage clustering on 1 − similarity, deterministic (ties go to the lower index).
//
// # Concurrency and determinism
//
// An Analyzer is safe for concurrent use; it caches the term of each distinct word (at most about two
// million words). A fitted Vectorizer is safe for concurrent Transform calls. Fit and Transform share the
// documents out between Workers goroutines and give the same vocabulary and the same vectors, bit for
// bit, whatever Workers is. Nothing here modifies its arguments.
package vectorize
