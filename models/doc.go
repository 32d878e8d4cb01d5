// Package models owns depeche's model file: a trained theme model (a fitted vectorize.Vectorizer, a
// classify.Model, the metadata "depeche info" shows and the training domain) written to and read from
// bytes, with its header, format version, checksum and codec, and the atomic replacement of a file on
// disk. It works on io.Reader and io.Writer (a path only for Save, Load and WriteFileAtomic) and knows
// nothing of flags or of the home directory.
//
// # The file
//
// A fixed header (magic "depeche model", the format version, the payload length, the payload's SHA-256),
// then the payload: tagged, length-prefixed sections in a fixed order. META is JSON under names of its
// own (never Go field names: the analyzer's options, its fingerprint and stem probe, the vectorizer's
// settings, the classifier's labels, biases and thresholds, Info); TERM, TOFF and THSH are the vocabulary
// in feature order with its hash table (vectorize.Vocabulary), DFRQ the document frequency of each
// term, WGHT the weights, DOMN the domain's centroids. The layout table at the top of file.go is the
// specification. The layout, not the Go structs, is versioned: this package writes Version (2) and
// reads every version from MinVersion (1) to Version.
//
// Format 2 exists so that a model is read without being rebuilt: every array is aligned in the file, and
// on a little-endian machine the decoded model's vocabulary, document frequencies, weights and centroids
// are the file's bytes themselves (view.go), the built-in model's being the executable's read-only data.
// A format-1 file is decoded into new slices, its vocabulary packed in memory.
//
// # Reading
//
// Read checks, in this order and each with its own error: the magic (ErrNotModel), the version range
// (*VersionError for a newer file), the length (ErrTruncated for a file cut short), the checksum
// (ErrChecksum), the sections and their values (ErrCorrupt), then the analysis: a model whose analyzer fingerprint or stem probe is not this
// build's is refused with a *FingerprintError that says to retrain, since its scores would otherwise be
// computed on terms it never saw. Load wraps every error about the content in a *FileError naming the
// file. A forged header never makes Read allocate more than the bytes there are. Decode reads bytes
// already in memory, in place (they must not change afterwards); DecodeEmbedded, for the built-in model
// only, leaves out the checksum, the proof of the vocabulary's order and table and the weights' scan for
// non-finite values, which its tests make, and keeps every check that reading safely needs.
//
// # Long articles: the passage rule
//
// The labeling guide's "about a theme" (realnews/GUIDE.md) is the headline or the lead, or about a third
// of the article; the corpus's dispatches are short (p90 242 analyzed tokens), and on a real feature of
// 600 a paragraph that names jihadists lifts the whole text's score over the threshold. Judge therefore
// cuts a text into passages (sentences grouped to PassageTokens tokens, passages.go) and, for an article
// of LongPassages passages or more, keeps a label the whole article predicts only when
//
//	lead(l) ∨ Σ_{p : s_l(p) ≥ t_l} |p| / |article| ≥ CarriedShare
//
// where s_l(p) is the model's score of passage p vectorized alone, t_l the label's threshold, |p| its
// tokens, and lead(l) is s_l(first passage) ≥ t_l. A dropped label keeps its score and its evidence (the
// whole article's) and says why in LabelScore.Passages. Exclusive models, short texts, and texts with
// nothing predicted are judged as before.
//
// # Invariants
//
//   - Write is deterministic: the same model gives the same bytes (no time stamp, sorted maps, fixed
//     float encoding), so training twice on the same data gives the same checksum.
//   - Save and WriteFileAtomic write through a temporary file in the same directory, synced and renamed:
//     a reader sees the old file or the new one, and a failed write leaves the old file intact.
//   - A file of every released format keeps loading: testdata/model_v1.depeche and model_v2.depeche are
//     committed, pinned by their SHA-256 and never rewritten.
//   - Judge gives the same verdict through feature ids (judgefast.go, a model without bigrams) as through
//     the features' strings (judgeTerms), passage rule included: TestJudgeIDsIsJudgeTerms.
//   - A label with Passages set is predicted exactly when Passages.Carried(); Passages is set only on a
//     long article's labels whose whole-article score reaches their threshold (TestPassageRule).
package models
