package archive

import (
	"context"
	"runtime"
	"sort"
	"sync"

	"github.com/depeche/depeche/search"
)

// NearPair is a dispatch of an add and an archived one whose cosine is at least the threshold.
type NearPair struct {
	ID, Other string
	Score     float64
}

// NearDuplicates returns, for each given document, the most similar other archived dispatch when their
// cosine reaches threshold, each pair once (two given documents nearest to each other are one pair). It loads the archive in memory once; the high threshold lets each query skip
// most postings (search.Index.SearchAbove).
func (a *Archive) NearDuplicates(ctx context.Context, docs []int, threshold float64) ([]NearPair, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, err
	}
	x, _, err := r.build(ctx, true, false)
	r.Rollback()
	if err != nil {
		return nil, err
	}
	return a.NearDuplicatesIn(ctx, x, docs, threshold)
}

// NearDuplicatesIn is NearDuplicates over an index of the archive as it is (WriteIndex's), without
// reading the archive again.
func (a *Archive) NearDuplicatesIn(ctx context.Context, x *search.Index, docs []int, threshold float64) ([]NearPair, error) {
	idOf, err := a.db.PrepareContext(ctx, `SELECT id FROM dispatches WHERE doc = ?`)
	if err != nil {
		return nil, err
	}
	defer idOf.Close()
	id := func(doc int) (string, error) {
		var s string
		return s, idOf.QueryRowContext(ctx, doc).Scan(&s)
	}
	vocab, _, err := loadTerms(ctx, a.db)
	if err != nil {
		return nil, err
	}
	terms := make([]string, len(vocab))
	for t, id := range vocab {
		terms[id] = t
	}
	stmt, err := a.db.PrepareContext(ctx, `SELECT terms FROM dispatches WHERE doc = ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	out := make([]NearPair, len(docs))
	found := make([]bool, len(docs))
	var mu sync.Mutex // the statement is used by one goroutine at a time
	var wg sync.WaitGroup
	var firstErr error
	next := make(chan int, 64)
	go func() {
		for i := range docs {
			next <- i
		}
		close(next)
	}()
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var q []string
			for i := range next {
				mu.Lock()
				var blob []byte
				err := stmt.QueryRowContext(ctx, docs[i]).Scan(&blob)
				mu.Unlock()
				if err == nil {
					var d search.DocTerms
					d, err = decodeTerms(blob)
					if err == nil {
						q = q[:0]
						for k, t := range d.Terms {
							for range d.Counts[k] {
								q = append(q, terms[t])
							}
						}
						var hits []search.Hit
						hits, err = searchAbove(x, q, threshold)
						for _, h := range hits {
							if h.Doc != docs[i] {
								mu.Lock()
								var from, other string
								if from, err = id(docs[i]); err == nil {
									other, err = id(h.Doc)
								}
								mu.Unlock()
								out[i] = NearPair{ID: from, Other: other, Score: h.Score}
								found[i] = err == nil
								break
							}
						}
					}
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	// two added dispatches that are each other's nearest make one pair, listed once
	var pairs []NearPair
	seen := map[[2]string]bool{}
	for i := range out {
		if !found[i] {
			continue
		}
		key := [2]string{out[i].ID, out[i].Other}
		if key[1] < key[0] {
			key[0], key[1] = key[1], key[0]
		}
		if !seen[key] {
			seen[key] = true
			pairs = append(pairs, out[i])
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].Score > pairs[j].Score })
	return pairs, nil
}

// searchAbove is x.SearchAbove of a dispatch's terms, with a damaged mapped index reported as
// search.ErrCorrupt (searchMapped).
func searchAbove(x *search.Index, terms []string, threshold float64) (hits []search.Hit, err error) {
	defer corruptOnRuntimePanic(&hits, &err)
	return x.SearchAbove(x.Query(terms), 2, threshold, nil), nil
}
