// Package classify owns depeche's multi-label theme model over feature vectors: one binary classifier per
// label (one-vs-rest), per-label probabilities in [0,1], per-label decision thresholds chosen by
// cross-validation, k-fold cross-validation, precision/recall/F1 per label with micro and macro averages,
// and explanations (which features of a document pushed a label's score most).
//
// It sees rows of a *vec.Matrix (one document per row, L2-normalised TF-IDF in depeche) and string label
// ids; it knows nothing of words, files or formats.
//
// # Algorithms
//
// logreg (the default) is L2-regularised logistic regression, per label:
//
//	min_w  ½‖w‖² + C Σ_i log(1 + exp(−y_i (w·x_i + b)))
//
// with the bias b learned as the weight of a constant feature 1 (regularised, as liblinear's -B 1). It is
// solved by dual coordinate descent (Yu, Huang & Lin 2011, liblinear's solver -s 7), which needs a few
// passes over sparse rows and no line search. Score = σ(w·x + b).
//
// nb is multinomial naive Bayes per label (positive vs negative documents), with Laplace/Lidstone
// smoothing α: w_i = ln θ⁺_i − ln θ⁻_i where θ^c_i = (N^c_i + α) / (N^c + α·V), and b the log prior ratio.
// For two classes the complement of one class is the other, so this is also complement naive Bayes. Its
// decision values are not probabilities, so they are mapped through a Platt sigmoid σ(A·f + B) fitted on
// out-of-fold decision values.
//
// # Thresholds
//
// A label is predicted when its score reaches the label's threshold. Thresholds are chosen on out-of-fold
// scores (k-fold inside the training set) to maximise that label's F1, kept within [0.05, 0.9]; a label
// with fewer than 3 positive documents keeps 0.5. A model trained on single-label data (every row has
// exactly one label) is Exclusive: it predicts exactly the label with the highest score.
//
// # Determinism
//
// The same rows, labels and options give the same model, bit for bit: folds and coordinate orders come
// from a seeded generator per label, and labels are trained in parallel but written to fixed slots.
package classify
