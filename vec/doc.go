// Package vec owns the sparse vector and the compressed sparse row (CSR) matrix that the other packages of
// depeche pass to each other: vectorize produces them, classify and the similarity search consume them.
//
// # Orientation
//
// A Matrix holds one document per row and one feature (term) per column: the orientation of scikit-learn, and
// the transpose of james-bowman/nlp's terms × documents matrices. Feature indices are int32 and values float32:
// at a million dispatches of ~150 distinct terms each, that halves the memory of float64/int pairs.
//
// # Formulas
//
// Sums are accumulated in float64, in index order:
//
//	Norm(v) = √(Σ_i v_i²)    Dot(a, b) = Σ_{i ∈ a ∩ b} a_i·b_i    DotDense(v, w) = Σ_{i ∈ v, i < len(w)} v_i·w_i
//
// Normalize scales v by 1/Norm(v); the zero vector stays zero, never NaN.
//
// # Invariants
//
// Within a Vector and within each row of a Matrix, indices are strictly increasing (AppendRow panics on a
// row that breaks it, or that has an index outside [0, Cols)), and row r of a Matrix is
// Ind[Ptr[r]:Ptr[r+1]], Val[Ptr[r]:Ptr[r+1]], with Ptr[0] = 0.
//
// # Who mutates what
//
// Functions here never modify their inputs; results go into a new value or into a dst argument. The
// exceptions say so: Normalize scales its receiver's values in place, AppendRow appends to its receiver,
// and AppendCounts sorts the ids it is given. Row aliases the matrix's storage: callers must not modify
// what it returns.
package vec
