package classify

import (
	"testing"
)

func TestChooseThreshold(t *testing.T) {
	P, N := int8(1), int8(-1)
	tests := []struct {
		name   string
		scores []float64
		y      []int8
		want   float64
	}{
		{"too few positives", []float64{0.9, 0.8, 0.7, 0.6, 0.1}, []int8{P, P, P, P, N}, DefaultThreshold},
		{"separable: midpoint of the gap", []float64{0.9, 0.8, 0.7, 0.65, 0.6, 0.3, 0.2}, []int8{P, P, P, P, P, N, N}, 0.45},
		// an under-confident model: every positive scores below 0.5, and the cut between 0.12 and 0.10
		// keeps them all
		{"low scores", []float64{0.3, 0.25, 0.2, 0.15, 0.12, 0.10}, []int8{P, P, P, P, P, N}, 0.11},
		// the best cut (0.055) lies below the floor; the floor keeps all five positives
		{"floor", []float64{0.5, 0.4, 0.3, 0.2, 0.1, 0.01}, []int8{P, P, P, P, P, N}, MinThreshold},
		// every gap lies above the ceiling: the ceiling, which keeps all five positives
		{"ceiling", []float64{0.99, 0.98, 0.97, 0.96, 0.95, 0.92}, []int8{P, P, P, P, P, N}, MaxThreshold},
		// positives 0.8, 0.6, 0.4, 0.35, 0.3; negatives 0.7, 0.5, 0.2: F1 at the cut below 0.3 is
		// 2·5/(2·5+2) = 0.833, the best (the cut below 0.8 gives 0.333, below 0.6 0.5, below 0.4 0.6, ...)
		{"noisy", []float64{0.8, 0.7, 0.6, 0.5, 0.4, 0.35, 0.3, 0.2}, []int8{P, N, P, N, P, P, P, N}, 0.25},
		{"ties", []float64{0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.2}, []int8{P, P, P, P, P, N, N}, 0.4},
		{"never positive above the floor", []float64{0.05, 0.05, 0.05, 0.05, 0.05, 0.5}, []int8{P, P, P, P, P, N}, DefaultThreshold},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := float64(chooseThreshold(tc.scores, tc.y))
			if !near32(got, tc.want) {
				t.Errorf("got %g, want %g", got, tc.want)
			}
		})
	}
}

// near32 compares a float32 result with its float64 expectation.
func near32(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }
