package vectorize

// ClusterOrder returns an order of the n items of a similarity matrix (values in [0,1], symmetric) in which
// similar items sit together: the leaf order of an average-linkage (UPGMA) agglomerative clustering on the
// distance 1 − similarity. It uses the nearest-neighbour chain algorithm, O(n²) time and memory, and is
// deterministic (ties go to the lower index).
func ClusterOrder(sim [][]float32) []int {
	n := len(sim)
	if n <= 2 {
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		return order
	}
	d := make([][]float64, n)
	for i := range d {
		d[i] = make([]float64, n)
		for j := range d[i] {
			d[i][j] = 1 - float64(sim[i][j])
		}
	}
	size := make([]float64, n)
	node := make([]int, n) // cluster slot → tree node
	active := make([]bool, n)
	for i := range size {
		size[i], node[i], active[i] = 1, i, true
	}
	// tree nodes: 0..n-1 leaves, then merges
	left := make([]int, n, 2*n)
	right := make([]int, n, 2*n)
	chain := make([]int, 0, n)
	remaining := n
	for remaining > 1 {
		if len(chain) == 0 {
			for i := range active {
				if active[i] {
					chain = append(chain, i)
					break
				}
			}
		}
		a := chain[len(chain)-1]
		prev := -1
		if len(chain) >= 2 {
			prev = chain[len(chain)-2]
		}
		b, best := -1, 0.0
		for k := range active {
			if !active[k] || k == a {
				continue
			}
			if b < 0 || d[a][k] < best || d[a][k] == best && k == prev {
				b, best = k, d[a][k]
			}
		}
		if b != prev {
			chain = append(chain, b)
			continue
		}
		chain = chain[:len(chain)-2]
		lo, hi := min(a, b), max(a, b)
		for k := range active {
			if active[k] && k != lo && k != hi {
				v := (size[lo]*d[lo][k] + size[hi]*d[hi][k]) / (size[lo] + size[hi])
				d[lo][k], d[k][lo] = v, v
			}
		}
		left = append(left, node[lo])
		right = append(right, node[hi])
		node[lo] = len(left) - 1
		size[lo] += size[hi]
		active[hi] = false
		remaining--
	}
	root := len(left) - 1
	order := make([]int, 0, n)
	stack := []int{root}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if v < n {
			order = append(order, v)
			continue
		}
		stack = append(stack, right[v], left[v])
	}
	return order
}
