package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// schema is format 3 (the package doc describes it): format 2's tables, and meta 'norms' (norms.go).
const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dispatches (
	doc     INTEGER PRIMARY KEY,
	id      TEXT NOT NULL UNIQUE,
	title   TEXT NOT NULL DEFAULT '',
	date    TEXT NOT NULL DEFAULT '',
	source  TEXT NOT NULL DEFAULT '',
	url     TEXT NOT NULL DEFAULT '',
	event   TEXT NOT NULL DEFAULT '',
	text    TEXT NOT NULL,
	hash    BLOB NOT NULL UNIQUE,
	terms   BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS dispatches_date ON dispatches(date);
CREATE TABLE IF NOT EXISTS terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS postings (term INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (term, seq)) WITHOUT ROWID;
` + schemaV2

// schemaV2 is what format 2 adds to format 1 (the migration creates it too).
const schemaV2 = `
CREATE TABLE IF NOT EXISTS dispatch_labels (
	doc   INTEGER NOT NULL REFERENCES dispatches(doc),
	seq   INTEGER NOT NULL,
	label TEXT NOT NULL,
	PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS dispatch_labels_label ON dispatch_labels(label, doc);
CREATE TABLE IF NOT EXISTS inv_norms (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);
`

// formatOf reads the schema version of the file (inside a transaction, that of its snapshot).
func formatOf(ctx context.Context, q querier) (int, error) {
	var format string
	if err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='format'`).Scan(&format); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, ErrNotArchive
		}
		return 0, classify(err)
	}
	v, err := strconv.Atoi(format)
	switch {
	case err != nil || v < MinFormatVersion:
		return 0, fmt.Errorf("%w: format %q", ErrNotArchive, format)
	case v > FormatVersion:
		return 0, fmt.Errorf("%w (format %s; this one reads up to %d): upgrade depeche", ErrNewerFormat, format, FormatVersion)
	}
	return v, nil
}

// upgrade migrates the archive to FormatVersion inside the write transaction tx, if it is older, and
// returns the format it had: a killed migration leaves the archive as it was. From format 1: the ",a,b,"
// labels column becomes the rows of dispatch_labels (in their order, a repeated label once), and the
// float32 norms ‖d‖ become 1/‖d‖ in float64 made again from the term counts (search.Weights.InvNorm), so
// that cold scores are the warm ones to the bit. From format 2: its norms, which every add of format 2
// rewrote, are of the state as it is, and are stamped so (meta 'norms'); from then on an add leaves them
// stale, and an older depeche, which would trust them, refuses the file (ErrNewerFormat).
func (a *Archive) upgrade(ctx context.Context, tx *sql.Tx) (int, error) {
	from, err := formatOf(ctx, tx)
	if err != nil {
		return 0, err
	}
	v := from
	if v == 1 {
		if err := migrate1to2(ctx, tx); err != nil {
			return 0, fmt.Errorf("archive: migrating format 1 to 2: %w", err)
		}
		v = 2
	}
	if v == 2 {
		if err := migrate2to3(ctx, tx); err != nil {
			return 0, fmt.Errorf("archive: migrating format 2 to 3: %w", err)
		}
		v = 3
	}
	a.format.Store(int32(v))
	return from, nil
}

func migrate2to3(ctx context.Context, tx *sql.Tx) error {
	now, err := normsStamp(ctx, tx)
	if err != nil {
		return err
	}
	if err := setNormsStamp(ctx, tx, now); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE meta SET value = '3' WHERE key = 'format'`)
	return err
}

func migrate1to2(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, schemaV2); err != nil {
		return err
	}
	type labelled struct {
		doc    int64
		labels []string
	}
	var ls []labelled
	rows, err := tx.QueryContext(ctx, `SELECT doc, labels FROM dispatches WHERE labels <> '' ORDER BY doc`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l labelled
		var f string
		if err := rows.Scan(&l.doc, &f); err != nil {
			rows.Close()
			return err
		}
		l.labels = uniqueLabels(parseLabelsV1(f))
		ls = append(ls, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO dispatch_labels(doc, seq, label) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, l := range ls {
		for i, label := range l.labels {
			if _, err := ins.ExecContext(ctx, l.doc, i, label); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `ALTER TABLE dispatches DROP COLUMN labels`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE norms`); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM dispatches`).Scan(&n); err != nil {
		return err
	}
	_, df, err := loadTerms(ctx, tx)
	if err != nil {
		return err
	}
	inv, err := computeInvNorms(ctx, tx, n, df)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM inv_norms`); err != nil {
		return err
	}
	for c := 0; c*normChunk < n; c++ {
		if _, err := tx.ExecContext(ctx, `INSERT INTO inv_norms(chunk, data) VALUES (?, ?)`, c, encodeFloat64s(inv[c*normChunk:min((c+1)*normChunk, n)])); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE meta SET value = '2' WHERE key = 'format'`)
	return err
}
