package depeche

import "github.com/depeche/depeche/archive"

// The archive's errors, named here so that a program (cmd/depeche, server) tells them apart without
// importing archive: they are the same values, errors.Is and errors.As see no difference.
var (
	// ErrCorrupt: the archive file is damaged (integrity_check fails, a blob does not decode).
	ErrCorrupt = archive.ErrCorrupt
	// ErrNotArchive: the file is no depeche archive (another SQLite database, or not SQLite at all).
	ErrNotArchive = archive.ErrNotArchive
	// ErrNewerFormat: the archive was written by a newer depeche.
	ErrNewerFormat = archive.ErrNewerFormat
	// ErrNoDispatch: the archive holds no dispatch of that id (Desk.Get wraps it in ErrNotFound).
	ErrNoDispatch = archive.ErrNotFound
)

// AnalyzerError: the archive was built by another analysis than ArchiveAnalyzer's.
type AnalyzerError = archive.AnalyzerError

// MatchFilter reports whether a dispatch held outside an archive (the built-in corpus, a file) passes f,
// by the same rule as the archive's filter.
func MatchFilter(f Filter, d Dispatch) bool { return archive.MatchFilter(f, d) }
