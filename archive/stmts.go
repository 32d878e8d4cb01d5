package archive

import (
	"context"
	"database/sql"
	"strings"
)

// A server's requests run the same few statements of the read pool again and again (the format and the
// stamp of every read transaction, the hits' rows and labels, Get): SQLite parsing them each time was 4 %
// of serve's CPU. They are prepared once on the pool (database/sql prepares them again on each connection
// that runs them, once), and a reader runs a prepared statement in its transaction whenever its SQL is one
// of them: the same SQL, the same answers. The lists of document numbers (a search's hits, a page) take a
// fixed number of parameters, the next power of two, the others -1 (no document): a handful of statements
// for every k.
//
// They are prepared when the archive begins its third read transaction, not at open: a one-shot command
// (`depeche similar` begins two) would parse all 25 of them to run four, 2 ms of a 25 ms process. And
// they are prepared before that transaction begins, holding no connection of the pool: preparing takes
// one, and readers that all held one while preparing would wait for each other.

// prepareAt is the read transaction before which the hot reads are prepared.
const prepareAt = 3

// maxPreparedList is the longest list of documents a prepared statement takes; a longer one is parsed.
const maxPreparedList = 256

// hotReads returns the SQL of the read pool's statements worth preparing, for an archive of format v.
func hotReads(v int) []string {
	qs := []string{
		`SELECT value FROM meta WHERE key='format'`,
		`SELECT value FROM meta WHERE key='batch'`,
		`SELECT coalesce(max(doc)+1, 0) FROM dispatches`,
		`SELECT coalesce(max(id)+1, 0) FROM terms`,
	}
	if v == 1 {
		return qs // a format-1 file is read until its migration, rarely served
	}
	r := &reader{format: v}
	qs = append(qs,
		`SELECT label FROM dispatch_labels WHERE doc = ? ORDER BY seq`,
		`SELECT doc, id, title, date, source, url, event, text, `+r.labelsColumn()+` FROM dispatches WHERE id = ?`,
		`SELECT `+r.metaColumns()+`, terms FROM dispatches WHERE doc = ?`,
	)
	for n := 1; n <= maxPreparedList; n *= 2 {
		qs = append(qs, r.metasQuery(n), labelsQuery(n))
	}
	return qs
}

// beganRead counts a read transaction about to begin, and prepares the hot reads before the prepareAt-th.
// A statement that fails to prepare (a damaged file, an archive closing) is left out: the readers then
// parse its SQL each time, and the error, if it lasts, comes from that.
func (a *Archive) beganRead() {
	if a.reads.Add(1) != prepareAt {
		return
	}
	a.prepMu.Lock()
	defer a.prepMu.Unlock()
	if a.closed {
		return
	}
	stmts := map[string]*sql.Stmt{}
	for _, q := range hotReads(int(a.format.Load())) {
		if s, err := a.rdb.PrepareContext(a.bgCtx, q); err == nil {
			stmts[q] = s
		}
	}
	a.stmts.Store(&stmts)
}

// closeStmts closes the prepared statements; a.prepMu is held.
func (a *Archive) closeStmts() {
	if m := a.stmts.Swap(nil); m != nil {
		for _, s := range *m {
			s.Close()
		}
	}
}

// QueryContext runs q in the read transaction, prepared when it is a hot read.
func (r *reader) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if s := r.stmt(q); s != nil {
		return r.Tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return r.Tx.QueryContext(ctx, q, args...)
}

// QueryRowContext runs q in the read transaction, prepared when it is a hot read.
func (r *reader) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	if s := r.stmt(q); s != nil {
		return r.Tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return r.Tx.QueryRowContext(ctx, q, args...)
}

func (r *reader) stmt(q string) *sql.Stmt {
	if r.a == nil {
		return nil
	}
	if m := r.a.stmts.Load(); m != nil {
		return (*m)[q]
	}
	return nil
}

// metasQuery is the query of n documents' metaColumns.
func (r *reader) metasQuery(n int) string {
	return `SELECT ` + r.metaColumns() + ` FROM dispatches WHERE doc IN (` + placeholders(n) + `)`
}

// labelsQuery is the query of n documents' labels, in document order and each one's order.
func labelsQuery(n int) string {
	return `SELECT doc, label FROM dispatch_labels WHERE doc IN (` + placeholders(n) + `) ORDER BY doc, seq`
}

// docArgs returns docs as the arguments of a list of documents, padded with -1 (no document) to the
// next power of two up to maxPreparedList, so that the list's statement is a prepared one.
func docArgs(docs []any) []any {
	n := 1
	for n < len(docs) {
		n *= 2
	}
	if n > maxPreparedList {
		return docs
	}
	for len(docs) < n {
		docs = append(docs, -1)
	}
	return docs
}

func placeholders(n int) string { return strings.Repeat(",?", n)[1:] }
