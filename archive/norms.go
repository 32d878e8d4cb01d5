package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/depeche/depeche/search"
)

// Each document's 1/‖d‖ depends on every idf, so every add moves all of them. Only the cold path reads
// them from the archive (Similar without an index file: the index file holds its own, made from its
// segments), so in format 3 an add no longer writes them: the inv_norms table holds the norms of the state
// named by meta 'norms' (normsStamp), or nothing and an empty stamp. A cold search uses them only when
// that stamp is the archive's as its read transaction sees it; otherwise it makes them from the postings
// table in that transaction (postingsInvNorms), keeps them for the next search of the same state
// (normsCache), and, when the archive is open for writing, stores them in the background for the next
// process (storeNormsLater). A wrong answer would take stored norms of another state: the stamp is read
// in the same snapshot as the postings, and written in the same transaction as the rows.

// normsStamp names the state 1/‖d‖ depends on: the number of documents and every df. Both change only
// by an add, which takes a new batch (dispatches are only appended, terms too): the last batch with the
// numbers of documents and terms, as the index file's stamp has them, without the format (which moves
// no norm).
func normsStamp(ctx context.Context, q querier) (string, error) {
	batch, n, v, err := stateOf(ctx, q)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("batch %s docs %d terms %d", batch, n, v), nil
}

// normsCache keeps the norms of one state of the archive, the last a cold search needed: a server
// searching without its index (a read-only directory) makes them once per state, not at every search.
type normsCache struct {
	mu    sync.Mutex // held while they are made: two searches of a new state make them once
	stamp string
	inv   []float64 // read only, shared by the searches
}

// invNorms returns 1/‖d‖ of the n documents, from the snapshot r reads: in format 1, whose norms were
// rounded to float32, made again from every term list (what the migration does); in format 2 the stored
// ones (every add of format 2 rewrote them); in format 3 the stored ones when they are of this state, else
// made from the postings. Cold scores are the warm ones to the bit in every format.
func (r *reader) invNorms(ctx context.Context, n int) ([]float64, error) {
	switch r.format {
	case 1:
		_, df, err := loadTerms(ctx, r)
		if err != nil {
			return nil, err
		}
		return computeInvNorms(ctx, r, n, df)
	case 2:
		return r.storedNorms(ctx, n)
	}
	now, err := normsStamp(ctx, r)
	if err != nil {
		return nil, err
	}
	c := &r.a.norms
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.stamp == now && len(c.inv) == n {
		return c.inv, nil
	}
	var have string
	if err := r.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'norms'`).Scan(&have); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	var inv []float64
	if have == now {
		inv, err = r.storedNorms(ctx, n)
	} else {
		if inv, err = postingsInvNorms(ctx, r, n); err == nil {
			r.a.storeNormsLater(now, inv)
		}
	}
	if err != nil {
		return nil, err
	}
	c.stamp, c.inv = now, inv
	return inv, nil
}

// storedNorms reads the inv_norms table.
func (r *reader) storedNorms(ctx context.Context, n int) ([]float64, error) {
	rows, err := r.QueryContext(ctx, `SELECT data FROM inv_norms ORDER BY chunk`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	inv := make([]float64, 0, n)
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		inv = decodeFloat64s(b, inv)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(inv) != n {
		return nil, fmt.Errorf("archive: %d norms for %d dispatches: the archive is inconsistent", len(inv), n)
	}
	return inv, nil
}

// postingsInvNorms computes 1/‖d‖ of every document from the postings table, with the statistics of the
// snapshot q reads: the same sums as search.Weights.InvNorm's, in the same order (a document's squares in
// ascending term id, which is the table's order), so the same bits; the table is a tenth of the
// dispatches' rows, whose texts a pass over the term lists reads too (at 1M dispatches 2.9 s against 7.8).
func postingsInvNorms(ctx context.Context, q querier, n int) ([]float64, error) {
	_, df, err := loadTerms(ctx, q)
	if err != nil {
		return nil, err
	}
	w := search.Weights{N: n}
	idf := w.IDFs(df)
	sum := make([]float64, n)
	rows, err := q.QueryContext(ctx, `SELECT term, data FROM postings ORDER BY term, seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs, counts []int32
	for rows.Next() {
		var term int
		var blob []byte
		if err := rows.Scan(&term, &blob); err != nil {
			return nil, err
		}
		if docs, counts, err = decodePostings(blob, docs[:0], counts[:0]); err != nil {
			return nil, fmt.Errorf("archive: postings of term %d: %w", term, err)
		}
		if term < 0 || term >= len(idf) {
			return nil, fmt.Errorf("archive: postings of term %d of %d: the archive is inconsistent", term, len(idf))
		}
		f := float64(idf[term])
		for i, d := range docs {
			if d < 0 || int(d) >= n {
				return nil, fmt.Errorf("archive: a posting of dispatch %d of %d: the archive is inconsistent", d, n)
			}
			v := w.TF(counts[i]) * f
			sum[d] += float64(v * v)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for d, s := range sum {
		if s != 0 {
			sum[d] = 1 / math.Sqrt(s)
		}
	}
	return sum, nil
}

// computeInvNorms computes 1/‖d‖ of every document from its term list with the statistics n and df, by
// search.Weights.InvNorm (the format-1 archive's path and its migration).
func computeInvNorms(ctx context.Context, q querier, n int, df []int32) ([]float64, error) {
	w := search.Weights{N: n}
	idf := w.IDFs(df)
	inv := make([]float64, n)
	rows, err := q.QueryContext(ctx, `SELECT doc, terms FROM dispatches ORDER BY doc`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var d search.DocTerms
	for rows.Next() {
		var doc int
		var blob []byte
		if err := rows.Scan(&doc, &blob); err != nil {
			return nil, err
		}
		if err := decodeTermsInto(blob, &d); err != nil {
			return nil, err
		}
		if doc < 0 || doc >= n || len(d.Terms) > 0 && int(d.Terms[len(d.Terms)-1]) >= len(idf) {
			return nil, fmt.Errorf("archive: dispatch %d does not fit the archive's terms and numbering: the archive is inconsistent", doc)
		}
		inv[doc] = w.InvNorm(d, idf)
	}
	return inv, rows.Err()
}

// writeInvNorms replaces the inv_norms table by inv, the norms of the state stamp, in the write
// transaction tx.
func writeInvNorms(ctx context.Context, tx *sql.Tx, inv []float64, stamp string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM inv_norms`); err != nil {
		return err
	}
	for c := 0; c*normChunk < len(inv); c++ {
		hi := min((c+1)*normChunk, len(inv))
		if _, err := tx.ExecContext(ctx, `INSERT INTO inv_norms(chunk, data) VALUES (?, ?)`, c, encodeFloat64s(inv[c*normChunk:hi])); err != nil {
			return err
		}
	}
	return setNormsStamp(ctx, tx, stamp)
}

// clearNorms empties the inv_norms table and its stamp: what an add does, whose statistics make every
// stored norm stale.
func clearNorms(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM inv_norms`); err != nil {
		return err
	}
	return setNormsStamp(ctx, tx, "")
}

func setNormsStamp(ctx context.Context, tx *sql.Tx, stamp string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES ('norms', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, stamp)
	return err
}

// storeNormsLater stores inv, the norms of the state stamp, in the background when the archive is open
// for writing and no store runs: a cold search does not wait for the write lock (another process's add
// may hold it for minutes). The store gives up when the lock is taken, the archive moved on (the stamp
// differs in the write transaction) or the archive closes.
func (a *Archive) storeNormsLater(stamp string, inv []float64) {
	if a.readOnly || !a.storing.CompareAndSwap(false, true) {
		return
	}
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		defer a.storing.Store(false)
		a.storeNorms(a.bgCtx, stamp, inv)
	}()
}

// storeNorms writes inv as the norms of the state stamp, if the archive is still in that state; any
// failure leaves the archive as it was (the norms are a cache of the cold path).
func (a *Archive) storeNorms(ctx context.Context, stamp string, inv []float64) error {
	tx, err := a.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if v, err := formatOf(ctx, tx); err != nil || v != FormatVersion {
		return err
	}
	now, err := normsStamp(ctx, tx)
	if err != nil || now != stamp {
		return err
	}
	if err := writeInvNorms(ctx, tx, inv, stamp); err != nil {
		return err
	}
	return tx.Commit()
}
