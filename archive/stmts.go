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

// prepare prepares the hot reads of the file's format on the read pool (at open, before any read holds
// a connection: preparing takes one).
func (a *Archive) prepare() error {
	a.stmts = map[string]*sql.Stmt{}
	for _, q := range hotReads(int(a.format.Load())) {
		s, err := a.rdb.Prepare(q)
		if err != nil {
			a.closeStmts()
			return err
		}
		a.stmts[q] = s
	}
	return nil
}

func (a *Archive) closeStmts() {
	for _, s := range a.stmts {
		s.Close()
	}
	a.stmts = nil
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
	return r.a.stmts[q] // read only once the archive is open
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
