// Package classify owns depeche's multi-label theme model over feature vectors: one binary classifier per
// label (one-vs-rest), a score in [0,1] per label, per-label decision thresholds chosen by cross-validation,
// the features of a document that weigh most for a label, k-fold cross-validation, and precision, recall
// and F1 per label with micro and macro averages.
//
// It sees feature indices and string label ids, never words; it knows nothing of files, formats, SQLite or
// the command line.
//
// # Orientation
//
// Training data is a *vec.Matrix with one document per row and one feature per column (in depeche, an
// L2-normalised TF-IDF row), and y[i], the label set of row i (empty: none of the themes). A Model's
// Labels are sorted, and every per-label slice (Weights, Bias, Thresholds, PlattA, PlattB, the result of
// Scores) follows that order. Weights[l] has one float32 per feature.
//
// # Algorithms
//
// logreg (the default) is L2-regularised logistic regression, one binary problem per label:
//
//	min_{w,b}  ½‖w‖² + ½b² + C Σ_i log(1 + exp(−y_i (w·x_i + b))),   y_i = +1 if row i has the label, else −1,
//
// where the bias b is the weight of a constant feature 1, regularised as liblinear's -B 1. It is solved by
// the dual coordinate descent of Yu, Huang & Lin (2011, "Dual coordinate descent methods for logistic
// regression and maximum entropy models"), liblinear's solver -s 7, which needs a few passes over the
// sparse rows and no line search. It stops when the duality gap falls below 0.1 % of the objective, a
// bound on the distance to the optimum (TestLogRegObjective checks it against gradient descent). The
// score is σ(w·x + b), σ(t) = 1/(1 + e^−t).
//
// nb is multinomial naive Bayes per label, positive rows against negative ones, with additive smoothing α:
//
//	w_f = ln θ⁺_f − ln θ⁻_f,  θᶜ_f = (N^c_f + α) / (N^c + α·V),  b = ln((n⁺ + 1) / (n⁻ + 1)),
//
// where N^c_f sums feature f's values over the rows of class c, N^c = Σ_f N^c_f, V is the number of
// features and n^c the number of rows of class c. With two classes, complement naive Bayes learns the
// same weights. w·x + b is naive Bayes' log-odds, notoriously over-confident, so the score is
// σ(A·(w·x + b) + B) with A and B fitted by Platt scaling (Platt 1999; Newton's method with
// backtracking, as Lin, Lin & Weng 2007) on the out-of-fold decision values of the internal
// cross-validation, against Platt's smoothed targets (n⁺+1)/(n⁺+2) and 1/(n⁻+2). Explain's contribution
// of a feature, w_f·x_f, is then its share of the log-likelihood ratio.
//
// # Scores and predictions
//
// Scores are in [0,1] and never NaN (a NaN, which only a non-finite input can cause, scores 0); a
// document with no known feature (the zero vector) gets the score of the bias alone. Predict returns the
// labels whose score reaches their threshold, possibly none. A model trained on single-label data (every
// row has exactly one label, as in MasakhaNEWS) is Exclusive: Predict returns exactly the label with the
// highest score.
//
// # Thresholds
//
// Fit first runs an internal cross-validation of Options.ThresholdFolds folds (5; 3 above 20,000 rows).
// Per label, over the out-of-fold scores, the threshold is the cut that maximises the label's F1: the
// candidates are the midpoints between consecutive distinct scores within [MinThreshold, MaxThreshold]
// = [0.1, 0.9], and those bounds; among equal F1s the highest threshold wins. A label with fewer than
// MinPositives (5) positive rows, or whose best F1 is 0, keeps DefaultThreshold (0.5), as does every label
// when ThresholdFolds is 1. Then every label is fitted on all rows. One-vs-rest logistic regression is
// under-confident on small corpora: on the built-in corpus (825 dispatches, 10 labels, 5-fold
// cross-validation with event groups) these thresholds give a macro-F1 of 0.918, against 0.708 at 0.5.
//
// # Cross-validation
//
// CrossValidate deals the rows into k folds and predicts each fold with the model that Fit would build
// from the other folds, its own internal threshold cross-validation included: no threshold, calibration
// or weight ever sees the fold it is judged on. Folds are stratified (each label's positives spread
// evenly) and keep each group of Options.Groups whole, so that reports of one event or near-duplicate
// dispatches never sit on both sides. FitCV is Fit and CrossValidate sharing one pool of workers.
//
// # Defaults
//
// C = 10 and α = 0.1, measured with vectorize's default analysis (unigrams) on 2026-11-24. Macro-F1 on
// the test split (MasakhaNEWS fra, SIB-200 fra in ../shared/datasets) or by 5-fold cross-validation with
// event groups (the built-in corpus):
//
//	logreg C                    1     2     4     8    10    16    32
//	MasakhaNEWS train → test  .827  .836  .846  .841  .841  .834  .820
//	MasakhaNEWS dev → test    .683  .687  .691  .728  .731  .729  .740
//	SIB-200 train → test      .509  .628  .680  .693  .694  .689  .692
//	built-in corpus, CV       .887  .898  .907  .914  .918  .919  .917
//
//	nb α                     .003   .01   .03    .1    .3     1
//	MasakhaNEWS train → test  .803  .803  .811  .820  .821  .809
//	MasakhaNEWS dev → test    .758  .767  .768  .752  .686  .720
//	SIB-200 train → test      .648  .654  .670  .672  .711  .700
//	built-in corpus, CV       .846  .855  .860  .863  .846  .796
//
// Large training sets. The objective's loss term grows with the number of rows n and its penalty does
// not, so a C fitted on hundreds of rows regularises a hundred thousand too little. Options.CRows makes C
// the strength for CRows rows and shrinks it as √(CRows/n) above (ScaledC); depeche train sets CRows =
// 1000 unless --c is given. On 100k synthetic dispatches made of MasakhaNEWS train sentences, scored on 10k
// made of its dev sentences: macro-F1 .853 at C = 5, .862 at 2, .864 at 1, .869 at 0.5 (the rule's C at
// 100k), .871 at 0.25.
//
// For comparison, the best word-level scikit-learn peer (LinearSVC on word 1–2-grams, ../shared/bench)
// scores .834, .677 and .578 on the three test splits; LogisticRegression with its default C = 1, .811,
// .670 and .397.
//
// # Sharing work between the problems of a label
//
// With k outer folds (CrossValidate, FitCV) and j inner ones, a label is fitted (k + 1)·(j + 1) times: 24
// times with depeche train's 5 folds and the 3 inner folds above 20,000 rows. Options.Strategy says
// where each of those fits starts. StrategyNested (the default up to SharedRows = 20,000 rows, the exact
// path that the built-in model and the pinned figures of small data sets rest on): every inner fold
// starts cold, each final fit from the mean of its inner folds' solutions. StrategyShared (the default
// above): the label is first fitted cold on all rows, and every other fit starts from that dual solution
// restricted to its own rows, and stops by the same duality-gap test, so each is still within 0.1 % of
// its own optimum; the fit on all rows is the model's own final fit when there is one (Fit, FitCV). On
// single-label data the thresholds play no part in prediction (see Exclusive), so the strategies differ
// only within the solver's tolerance. Measured with the train → test splits (the shared data sets'
// sizes take the nested path by default; TestStrategyOnSharedDatasets forces both): macro-F1 nested /
// shared .8477 / .8496 on MasakhaNEWS, .7051 / .7008 on SIB-200, .2245 / .2237 by 5-fold cross-validation
// on the Assemblée nationale's 172 rubriques, i.e. one or two test documents of a few hundred (with the
// shared path's coordinate order of each label, before the blocks below: .8458, .6996, .2232); see
// bench/RESULTS.md for the speed.
//
// StrategyPooled (FitCV's default above SharedRows; Fit and CrossValidate alone use StrategyShared) drops
// the inner folds: a label is fitted k + 1 times (6 instead of 24), each start shared as above, and each
// fit's calibration and threshold are chosen on the cross-validation's own out-of-fold decision values —
// the model's on every row's, a fold's on those of the rows it trained on, each scored by another fold's
// fit. A fold's threshold never sees the labels of the rows it is judged on, though the fits that scored
// its calibration rows trained on them; it chooses from (k − 1)/k of the rows where a nested inner fold
// has 1/j of (k − 1)/k. TestStrategyPooled holds its cross-validated macro-F1 within 0.005 of the nested
// path's on multi-label data (.6626 against .6675; over seeds 1–6, 0.0027 below it on average, −0.0063 to
// +0.0029, as 0.0028 below with each label's own coordinate order), TestStrategyOnSharedDatasets within
// 0.01 on the shared data sets (.2237 as shared on the 172 rubriques).
//
// With a shared start (StrategyShared, StrategyPooled), the problems of 16 labels on the same rows are
// solved together, in one sweep of the rows per pass: every label visits the rows in the same order (drawn
// from Seed and the fold, not from the label), each stops by its own duality-gap test, and each label's
// arithmetic is the one it would do alone, bit for bit (TestLogRegBlockExact). The weights of a block are
// stored feature-major, so that a row's entry meets the 16 labels' weights of its feature in one 64-byte
// cache line and one vector operation (AVX2 on amd64): on make_corpus's 100k rows and 180 labels, see
// bench/RESULTS.md for what it saves.
//
// Jobs are run label by label, or block by block (the inner folds of a label, then its final fits; with a
// shared start its fit on all rows one label, or block, ahead), and the last job of a label in a
// procedure chooses its threshold and calibration and releases its out-of-fold values, so that training
// memory grows with the rows and the workers, not with rows × labels: per running label, (k + 1)
// out-of-fold vectors of 8 bytes a row, its dual solutions (16 bytes a row each) and its outer folds'
// decision values (8 bytes a row). As soon as every job of a label has run, in every procedure, the
// label is completed (its pooled thresholds, then its share of the cross-validation report: its
// predictions merged into each row's, its reliability table) and its decision values are released; the
// report keeps 12 bytes a row, and 8 more per 64 labels.
//
// # Determinism
//
// The same rows, labels and Options give the same model and report, bit for bit, whatever Workers is and
// however the goroutines are scheduled: folds come from generators seeded by Options.Seed, the coordinate
// order of each label from a generator seeded by Seed and the label id on the nested path, by Seed and
// the fold with a shared start (either way, a binary problem's solution does not change when other labels
// are added, though the folds, stratified over all labels, do), and every binary problem writes only its
// own results. The warm
// starts of "Sharing work" change the speed, and the result only within the stopping tolerance,
// deterministically: a fit's start is a fixed function of other fits' results, never of their timing.
//
// # Invariants and memory
//
// Fit, FitCV, CrossValidate and Evaluate never modify their arguments. A Model is read-only once built
// and safe for concurrent use; models decodes one by filling its exported fields, which must then have
// the shapes Fit gives them. Bad data and options come back as errors wrapping the Err values; a panic
// means a programmer error (Evaluate with truth and pred of different lengths, ScoresTo with a short dst,
// Explain with a label index out of range). Training holds the final weights (4 bytes × features ×
// labels: 16 MB at 400,000 features and 10 labels), the cross-validation report in the making (12 bytes
// a row, 8 more per 64 labels), and, per running label, what "Sharing work" above lists.
package classify
