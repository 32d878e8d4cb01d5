package depeche

import (
	"fmt"
	"strings"

	"github.com/depeche/depeche/dispatch"
)

// InvalidError is a value a caller gave that the desk refuses: bad usage (exit 2 on the command line,
// status 400 over HTTP). Field is the name the caller knows the value by ("--since" on the command line,
// "since" in JSON); the message is the same for both, so that the CLI and the API say the same thing.
type InvalidError struct {
	Field string
	Msg   string // the whole message, Field included
}

func (e *InvalidError) Error() string { return e.Msg }

func invalidf(field, format string, a ...any) error {
	return &InvalidError{Field: field, Msg: fmt.Sprintf(format, a...)}
}

// FieldNames are the names a caller gives the parts of a query, for the messages of CheckFilter.
type FieldNames struct{ Label, Since, Until, K string }

// Flags are the names of the command line; JSONFields those of the HTTP API.
var (
	Flags      = FieldNames{Label: "--label", Since: "--since", Until: "--until", K: "-k"}
	JSONFields = FieldNames{Label: "label", Since: "since", Until: "until", K: "k"}
)

// CheckFilter normalises f in place (its label trimmed and lower-cased, as the loaders read labels) and
// refuses what no dispatch could match or what the archive would misread: a date that is not YYYY,
// YYYY-MM or YYYY-MM-DD (a real day: 2019-02-29 is refused), until before since, a label id that is not
// lower-case letters, digits and - _ / . . Every refusal is an *InvalidError naming the field as n names it.
func CheckFilter(f *Filter, n FieldNames) error {
	f.Label = strings.ToLower(strings.TrimSpace(f.Label))
	f.Since, f.Until = strings.TrimSpace(f.Since), strings.TrimSpace(f.Until)
	if err := CheckDate(n.Since, f.Since); err != nil {
		return err
	}
	if err := CheckDate(n.Until, f.Until); err != nil {
		return err
	}
	// until 2019 since 2019-06 is fine (the second half of 2019); until 2019 since 2020 is empty
	if f.Since != "" && f.Until != "" && dateFloor(f.Until) < dateFloor(f.Since) && !strings.HasPrefix(f.Since, f.Until) {
		return invalidf(n.Until, "%s %s is before %s %s: no dispatch can match; swap them?", n.Until, f.Until, n.Since, f.Since)
	}
	if f.Label != "" && !dispatch.ValidLabel(f.Label) {
		return invalidf(n.Label, "%s %q: a label id is lower-case letters, digits and - _ / . (e.g. terrorisme)", n.Label, f.Label)
	}
	return nil
}

// CheckDate refuses a date bound that is not empty, YYYY, YYYY-MM or YYYY-MM-DD.
func CheckDate(field, v string) error {
	if v == "" || (len(v) == 4 && isDigits(v) && v != "0000") || dispatch.ValidDate(v) {
		return nil
	}
	return invalidf(field, "%s %q: must be YYYY, YYYY-MM or YYYY-MM-DD", field, v)
}

// CheckK refuses a number of results below 1.
func CheckK(field string, k int) error {
	if k < 1 {
		return invalidf(field, "%s %d: must be ≥ 1", field, k)
	}
	return nil
}

// MaxK is the largest number of results one similar or search request may ask for over HTTP.
const MaxK = 1000

// CheckLabels trims and lower-cases label ids (as the loaders read them) and refuses a malformed one
// (the archive drops repeats); field names them in the message ("label" on the command line, "labels" in JSON).
func CheckLabels(field string, labels []string) ([]string, error) {
	out := make([]string, 0, len(labels))
	for _, l := range labels {
		l = strings.ToLower(strings.TrimSpace(l))
		if !dispatch.ValidLabel(l) {
			return nil, invalidf(field, "%s %q: a label id is lower-case letters, digits and - _ / . (e.g. criminalite-organisee)", field, l)
		}
		out = append(out, l)
	}
	return out, nil
}

// dateFloor pads a YYYY or YYYY-MM date to the first day it covers, so that dates of every precision
// compare as strings.
func dateFloor(d string) string {
	switch len(d) {
	case 4:
		return d + "-01-01"
	case 7:
		return d + "-01"
	}
	return d
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// MaxID is the longest dispatch id the desk takes.
const MaxID = 200

// CheckDispatch normalises a dispatch to add (its fields trimmed, its labels lower-cased, an id made by
// NewID when it has none) and refuses one the loaders would refuse: no text, an id with a control
// character or over MaxID bytes, a date that is not YYYY-MM-DD or YYYY-MM, a malformed label. where
// names it in the message ("dispatches[3]").
func CheckDispatch(x *Dispatch, where string) error {
	x.ID, x.Title, x.Date = strings.TrimSpace(x.ID), strings.TrimSpace(x.Title), strings.TrimSpace(x.Date)
	x.Source, x.URL, x.Event, x.Text = strings.TrimSpace(x.Source), strings.TrimSpace(x.URL), strings.TrimSpace(x.Event), strings.TrimSpace(x.Text)
	if x.Text == "" {
		return invalidf(where+".text", "%s.text is empty: a dispatch needs its text", where)
	}
	if x.ID == "" {
		x.ID = NewID(x.Text)
	}
	if len(x.ID) > MaxID || strings.IndexFunc(x.ID, func(r rune) bool { return r < ' ' || r == 0x7f }) >= 0 {
		return invalidf(where+".id", "%s.id %q: an id is at most %d bytes, with no control character", where, x.ID, MaxID)
	}
	if x.Date != "" && !dispatch.ValidDate(x.Date) {
		return invalidf(where+".date", "%s.date %q: must be YYYY-MM-DD or YYYY-MM", where, x.Date)
	}
	labels, err := CheckLabels(where+".labels", x.Labels)
	if err != nil {
		return err
	}
	if len(labels) == 0 {
		labels = nil
	}
	x.Labels = labels
	if x.File == "" {
		x.File = where
	}
	return nil
}
