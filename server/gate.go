package server

import (
	"sync"
	"time"
)

// gate bounds the heavy requests running at once to n, with a queue of at most max waiting, in two
// classes: a quick request (the classification of an article or two: well under a millisecond of work)
// takes the next free slot before the others waiting, so that it does not wait behind searches; the
// others go in arrival order. A request that waits longer than its wait gets 429.
type gate struct {
	mu      sync.Mutex
	free    int
	max     int
	waiting int
	queues  [2][]chan struct{} // quick, others: a closed channel hands the slot over
}

func newGate(n, maxWaiting int) *gate { return &gate{free: n, max: maxWaiting} }

// acquire takes a slot, waiting at most wait (or until done is closed); ok false: the queue is full or
// the wait ran out (429), or done (the client went away).
func (g *gate) acquire(quick bool, wait time.Duration, done <-chan struct{}) (ok, gone bool) {
	g.mu.Lock()
	if g.free > 0 {
		g.free--
		g.mu.Unlock()
		return true, false
	}
	if g.waiting >= g.max {
		g.mu.Unlock()
		return false, false
	}
	q := 1
	if quick {
		q = 0
	}
	ch := make(chan struct{})
	g.queues[q] = append(g.queues[q], ch)
	g.waiting++
	g.mu.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ch:
		return true, false
	case <-t.C:
	case <-done:
		gone = true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, c := range g.queues[q] {
		if c == ch {
			g.queues[q] = append(g.queues[q][:i], g.queues[q][i+1:]...)
			g.waiting--
			return false, gone
		}
	}
	// handed the slot while giving up: give it on
	g.releaseLocked()
	return false, gone
}

func (g *gate) release() {
	g.mu.Lock()
	g.releaseLocked()
	g.mu.Unlock()
}

func (g *gate) releaseLocked() {
	for q := range g.queues {
		if len(g.queues[q]) > 0 {
			ch := g.queues[q][0]
			g.queues[q] = g.queues[q][1:]
			g.waiting--
			close(ch)
			return
		}
	}
	g.free++
}
