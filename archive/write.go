package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/search"
	"github.com/depeche/depeche/vec"
)

// Item is one dispatch to add with the terms of its text, as the archive's analyzer gives them (repeated
// as they occur).
type Item struct {
	Dispatch dispatch.Dispatch
	Terms    []string
	// Hash is Hash(Dispatch.Text), or nil for Add to compute: an import computes it beside the analysis,
	// on the cores the one writing goroutine leaves (5 % of a 100k import's CPU).
	Hash []byte
}

// Rejection is an item that was not added, with the place it came from and why.
type Rejection struct {
	Where  string // file:line
	Reason string
}

// AddStats summarises an add.
type AddStats struct {
	Added      int
	Duplicates int // exact duplicates (same normalised text) of archived dispatches or of earlier items
	Rejected   []Rejection
	AddedDocs  []int // document numbers of the added dispatches
	index      *addedSegments
}

// postingsFlush bounds the postings an add keeps in memory before writing them (a chunk per term).
const postingsFlush = 20_000_000

// Add adds the items that next yields, in one transaction: when it returns an error, or when the process
// dies before it returns, the archive is as it was. Exact duplicates (by Hash) are skipped; an item whose
// id is archived with another text, or that has no text, is rejected and the add goes on. progress, if not
// nil, is called with the number of items read so far.
//
// Add also writes the index segments of the dispatches it adds (their postings and forward rows, from
// the terms it was given: no second read), listed by no index file until UpdateIndex is called with
// what Add returned, after the commit; an add that fails removes them, a killed one leaves them for the
// next writer of the index to remove.
func (a *Archive) Add(ctx context.Context, next func() (Item, bool, error), progress func(int)) (st AddStats, err error) {
	tx, from, err := a.beginWrite(ctx)
	if err != nil {
		return st, err
	}
	defer tx.Rollback()
	ai := &addedSegments{}
	defer func() {
		if err != nil {
			search.RemoveSegments(IndexPath(a.path), ai.segs)
		}
	}()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM dispatches`).Scan(&n); err != nil {
		return st, err
	}
	vocab, df, err := loadTerms(ctx, tx)
	if err != nil {
		return st, err
	}
	oldTerms := len(df)
	oldDF := slices.Clone(df)
	// the state before the add in the format the file had: a migration in this transaction changes no
	// weight, so an index file of the old format stays the base the add's segments go onto
	if ai.pre, err = stampOf(ctx, tx, from, a.fingerprint); err != nil {
		return st, err
	}
	ai.base = n
	seg := &segmenter{path: IndexPath(a.path), base: n, off: []int64{0}, out: ai}
	var batch int
	if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='batch'`).Scan(&batch); err != nil {
		return st, err
	}
	hashExists, err := tx.PrepareContext(ctx, `SELECT 1 FROM dispatches WHERE hash = ?`)
	if err != nil {
		return st, err
	}
	defer hashExists.Close()
	idExists, err := tx.PrepareContext(ctx, `SELECT 1 FROM dispatches WHERE id = ?`)
	if err != nil {
		return st, err
	}
	defer idExists.Close()
	insert, err := tx.PrepareContext(ctx, `INSERT INTO dispatches(doc, id, title, date, source, url, event, text, hash, terms) VALUES (?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		return st, err
	}
	defer insert.Close()
	insLabel, err := tx.PrepareContext(ctx, `INSERT INTO dispatch_labels(doc, seq, label) VALUES (?,?,?)`)
	if err != nil {
		return st, err
	}
	defer insLabel.Close()

	post := map[int32]*postingList{}
	pending := 0
	flush := func() error {
		batch++
		ids := make([]int32, 0, len(post))
		for id := range post {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		seg.flush(ids, post)
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO postings(term, seq, data) VALUES (?,?,?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, id := range ids {
			p := post[id]
			if _, err := stmt.ExecContext(ctx, id, batch, encodePostings(p.docs, p.counts)); err != nil {
				return err
			}
		}
		clear(post)
		pending = 0
		return nil
	}

	seen := map[string]bool{} // hashes of this add
	read := 0
	var ids []int32
	for {
		it, ok, err := next()
		if err != nil {
			return st, err
		}
		if !ok {
			break
		}
		read++
		if progress != nil {
			progress(read)
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		d := it.Dispatch
		where := fmt.Sprintf("%s:%d", d.File, d.Line)
		h := it.Hash
		if h == nil {
			h = Hash(d.Text)
		}
		if seen[string(h)] || exists(ctx, hashExists, h) {
			st.Duplicates++
			continue
		}
		if exists(ctx, idExists, d.ID) {
			st.Rejected = append(st.Rejected, Rejection{where, fmt.Sprintf("id %q is already archived with another text", d.ID)})
			continue
		}
		// term counts
		ids = ids[:0]
		for _, t := range it.Terms {
			id, ok := vocab[t]
			if !ok {
				id = int32(len(df))
				vocab[t] = id
				df = append(df, 0)
			}
			ids = append(ids, id)
		}
		tids, counts := vec.AppendCounts(nil, nil, ids)
		doc := int32(n + st.Added)
		for k, id := range tids {
			df[id]++
			p := post[id]
			if p == nil {
				p = &postingList{}
				post[id] = p
			}
			p.docs = append(p.docs, doc)
			p.counts = append(p.counts, counts[k])
		}
		pending += len(tids)
		seg.row(tids, counts)
		if _, err := insert.ExecContext(ctx, doc, d.ID, d.Title, d.Date, d.Source, d.URL, d.Event, d.Text, h, encodeTerms(tids, counts)); err != nil {
			return st, fmt.Errorf("%s: %w", where, err)
		}
		if err := insertLabels(ctx, insLabel, int64(doc), d.Labels); err != nil {
			return st, fmt.Errorf("%s: %w", where, err)
		}
		seen[string(h)] = true
		st.Added++
		st.AddedDocs = append(st.AddedDocs, int(doc))
		if pending >= postingsFlush {
			if err := flush(); err != nil {
				return st, err
			}
		}
	}
	if st.Added == 0 {
		if from != FormatVersion && n > 0 {
			// a migration alone: UpdateIndex stamps the index file of the old format again, over its segments
			if ai.post, err = stampOf(ctx, tx, FormatVersion, a.fingerprint); err != nil {
				return st, err
			}
			st.index = ai
		}
		if err := tx.Commit(); err != nil {
			return st, err
		}
		a.leaveFresh(ctx)
		return st, nil
	}
	if err := flush(); err != nil {
		return st, err
	}
	// new terms, then the changed document frequencies
	byID := make([]string, len(df))
	for t, id := range vocab {
		byID[id] = t
	}
	insTerm, err := tx.PrepareContext(ctx, `INSERT INTO terms(id, term, df) VALUES (?,?,?)`)
	if err != nil {
		return st, err
	}
	defer insTerm.Close()
	for id := oldTerms; id < len(df); id++ {
		if _, err := insTerm.ExecContext(ctx, id, byID[id], df[id]); err != nil {
			return st, err
		}
	}
	updTerm, err := tx.PrepareContext(ctx, `UPDATE terms SET df = ? WHERE id = ?`)
	if err != nil {
		return st, err
	}
	defer updTerm.Close()
	for id := 0; id < oldTerms; id++ {
		if df[id] != oldDF[id] {
			if _, err := updTerm.ExecContext(ctx, df[id], id); err != nil {
				return st, err
			}
		}
	}
	// every norm moved: the cold path makes them again when it needs them (norms.go)
	if err := clearNorms(ctx, tx); err != nil {
		return st, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = ? WHERE key = 'batch'`, strconv.Itoa(batch)); err != nil {
		return st, err
	}
	if ai.post, err = stampOf(ctx, tx, int(a.format.Load()), a.fingerprint); err != nil {
		return st, err
	}
	st.index = ai
	if err := tx.Commit(); err != nil {
		return st, err
	}
	a.leaveFresh(ctx)
	return st, nil
}

type postingList struct{ docs, counts []int32 }

func exists(ctx context.Context, stmt *sql.Stmt, arg any) bool {
	var one int
	return stmt.QueryRowContext(ctx, arg).Scan(&one) == nil
}

// insertLabels writes the labels of document doc, in their order, a repeated one once.
func insertLabels(ctx context.Context, ins *sql.Stmt, doc int64, labels []string) error {
	for i, l := range uniqueLabels(labels) {
		if _, err := ins.ExecContext(ctx, doc, i, l); err != nil {
			return err
		}
	}
	return nil
}

// SetLabels replaces the labels of an archived dispatch (sorted, each once).
func (a *Archive) SetLabels(ctx context.Context, id string, labels []string) error {
	tx, from, err := a.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var mig *addedSegments
	if from != FormatVersion {
		if mig, err = migrationOf(ctx, tx, from, a.fingerprint); err != nil {
			return err
		}
	}
	var doc int64
	if err := tx.QueryRowContext(ctx, `SELECT doc FROM dispatches WHERE id = ?`, id).Scan(&doc); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: %q", ErrNotFound, id)
		}
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM dispatch_labels WHERE doc = ?`, doc); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO dispatch_labels(doc, seq, label) VALUES (?,?,?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	if err := insertLabels(ctx, ins, doc, sortedUnique(slices.Clone(labels))); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if mig != nil {
		a.restampIndex(ctx, mig)
	}
	return nil
}

// migrationOf is what restampIndex needs of a write that migrated the archive from format from (in its
// transaction tx): the stamps of the state in the old format and in the new one.
func migrationOf(ctx context.Context, tx *sql.Tx, from int, fingerprint string) (*addedSegments, error) {
	m := &addedSegments{}
	var err error
	if m.pre, err = stampOf(ctx, tx, from, fingerprint); err != nil {
		return nil, err
	}
	if m.post, err = stampOf(ctx, tx, FormatVersion, fingerprint); err != nil {
		return nil, err
	}
	var n int64
	_, n, _, err = stateOf(ctx, tx)
	m.base = int(n)
	return m, err
}
