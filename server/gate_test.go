package server

import (
	"testing"
	"time"
)

func TestGate(t *testing.T) {
	never := make(chan struct{})
	g := newGate(1, 2)
	if ok, _ := g.acquire(false, time.Second, never); !ok {
		t.Fatal("the free slot was not taken")
	}
	order := make(chan string, 2)
	go func() {
		if ok, _ := g.acquire(false, time.Second, never); ok {
			order <- "search"
			g.release()
		}
	}()
	time.Sleep(20 * time.Millisecond) // the search waits first
	go func() {
		if ok, _ := g.acquire(true, time.Second, never); ok {
			order <- "classify"
			g.release()
		}
	}()
	time.Sleep(20 * time.Millisecond)
	if ok, _ := g.acquire(false, time.Second, never); ok {
		t.Fatal("a third waiter got in: the queue holds 2")
	}
	g.release()
	if a, b := <-order, <-order; a != "classify" || b != "search" {
		t.Errorf("order %s, %s: the quick request should go first", a, b)
	}
	// a wait that runs out, and a client gone
	if ok, _ := g.acquire(false, time.Second, never); !ok {
		t.Fatal("the slot was not free again")
	}
	begin := time.Now()
	if ok, gone := g.acquire(false, 50*time.Millisecond, never); ok || gone || time.Since(begin) < 40*time.Millisecond {
		t.Errorf("timeout: ok %v gone %v after %s", ok, gone, time.Since(begin))
	}
	done := make(chan struct{})
	close(done)
	if ok, gone := g.acquire(true, time.Second, done); ok || !gone {
		t.Errorf("client gone: ok %v gone %v", ok, gone)
	}
	g.release()
	if g.free != 1 || g.waiting != 0 {
		t.Errorf("after all: %d free, %d waiting; want 1 and 0", g.free, g.waiting)
	}
}
