package search

// Filter restricts which documents a search returns, by their labels and dates, the same way on every
// path (the index, the cold path, listings). The zero value allows all.
//
// A label matches exactly: a label id is a string, not a pattern ("%" and "_" are characters like any
// other, "terror" does not match "terrorisme"). Dates are compared as strings at the bound's precision,
// YYYY, YYYY-MM or YYYY-MM-DD: Since is inclusive ("2019-03" lets 2019-03 and 2019-03-01 through, not
// 2019), Until is inclusive at its precision ("2019-12" lets 2019-12-31 through). An undated document
// is left out as soon as a date bound is given.
type Filter struct {
	Label string // only documents carrying this label
	Since string // only dates ≥ Since (YYYY, YYYY-MM or YYYY-MM-DD); undated documents are left out
	Until string // only dates ≤ Until at Until's precision ("2019-12" includes 2019-12-31)
}

// IsZero reports whether f allows every document.
func (f Filter) IsZero() bool { return f.Label == "" && f.Since == "" && f.Until == "" }

// Match reports whether a document of this date and these labels passes f.
func (f Filter) Match(date string, labels []string) bool {
	return f.MatchDate(date) && f.MatchLabels(labels)
}

// MatchLabels reports whether labels pass f's label condition.
func (f Filter) MatchLabels(labels []string) bool {
	if f.Label == "" {
		return true
	}
	for _, l := range labels {
		if l == f.Label {
			return true
		}
	}
	return false
}

// MatchDate reports whether a date passes f's date bounds.
func (f Filter) MatchDate(date string) bool {
	if f.Since == "" && f.Until == "" {
		return true
	}
	if date == "" || date < f.Since {
		return false
	}
	if f.Until != "" {
		p := date
		if len(p) > len(f.Until) {
			p = p[:len(f.Until)]
		}
		if p > f.Until {
			return false
		}
	}
	return true
}

// Facets gives a document's date and labels, what a Filter reads.
type Facets func(doc int) (date string, labels []string)

// Allow returns f over the documents that facets describes, nil (all allowed) when f is zero.
func (f Filter) Allow(facets Facets) Allow {
	if f.IsZero() {
		return nil
	}
	return func(doc int) bool {
		date, labels := facets(doc)
		return f.Match(date, labels)
	}
}

// Allow tells whether a document may be returned; nil allows all.
type Allow func(doc int) bool
