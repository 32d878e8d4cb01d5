package dispatch

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// jsonlDecoder reads a .jsonl (or .ndjson) file: one JSON object per line, with the fields of the
// table formats' columns. Blank lines are skipped.
type jsonlDecoder struct {
	row jsonRow // reused for every line
}

// jsonRow is one .jsonl object. The id may be a string or a number; a missing text is told apart from an
// empty one for the message.
type jsonRow struct {
	ID     json.RawMessage `json:"id"`
	Title  string          `json:"title"`
	Date   string          `json:"date"`
	Source string          `json:"source"`
	URL    string          `json:"url"`
	Labels json.RawMessage `json:"labels"` // an array of strings, or one string (comma-separated ids)
	Event  string          `json:"event"`
	Text   *string         `json:"text"`
}

const jsonExample = `each line must be one object such as {"id": "a1", "labels": ["terrorisme"], "text": "…"}`

func (j *jsonlDecoder) next(r *Reader) (record, error) {
	line, err := r.nextLine()
	if err != nil {
		return record{}, err
	}
	first := !r.started
	r.started = true
	d, field, err := j.decode(bytes.TrimSpace(line), first, r.TextColumn)
	if err != nil {
		return record{}, badRow(r.line, field, err)
	}
	return record{line: r.line, d: d}, nil
}

// decode decodes one .jsonl line into a dispatch with trimmed fields and normalized labels; on error it
// names the field at fault ("" for the whole line). textColumn is Reader.TextColumn.
func (j *jsonlDecoder) decode(line []byte, first bool, textColumn string) (Dispatch, string, error) {
	if line[0] != '{' {
		if first && line[0] == '[' {
			return Dispatch{}, "", errorf(ErrJSON, "not a JSON object but an array: .jsonl wants one object per line (e.g. jq -c '.[]' in.json > out.jsonl)")
		}
		return Dispatch{}, "", errorf(ErrJSON, "not a JSON object: %s", jsonExample)
	}
	o := &j.row
	*o = jsonRow{}
	if err := json.Unmarshal(line, o); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te) && (te.Field == "labels" || strings.HasPrefix(te.Field, "labels.")):
			return Dispatch{}, "labels", errorf(ErrJSON, `must be an array of strings such as ["terrorisme", "migration"]`)
		case errors.As(err, &te) && te.Field != "" && te.Field != "id":
			return Dispatch{}, strings.ToLower(te.Field), errorf(ErrJSON, "must be a string, not a JSON %s", te.Value)
		case errors.As(err, &se):
			return Dispatch{}, "", errorf(ErrJSON, "not a JSON object (%v, at byte %d): %s", se, se.Offset, jsonExample)
		case errors.As(err, &te):
		default:
			return Dispatch{}, "", errorf(ErrJSON, "not a JSON object (%v): %s", err, jsonExample)
		}
	}
	id, ok := jsonID(o.ID)
	if !ok {
		return Dispatch{}, "id", errorf(ErrJSON, "must be a string or a number")
	}
	if textColumn != "" {
		o.Text = nil
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(line, &fields); err == nil {
			for k, v := range fields {
				if strings.EqualFold(k, textColumn) {
					var t string
					if json.Unmarshal(v, &t) != nil {
						return Dispatch{}, textColumn, errorf(ErrJSON, "must be a string")
					}
					o.Text = &t
				}
			}
		}
		if o.Text == nil {
			return Dispatch{}, textColumn, errorf(ErrNoText, "no %q field (--text-column)", textColumn)
		}
	}
	if o.Text == nil {
		return Dispatch{}, "text", errorf(ErrNoText, `no "text" field: %s`, jsonExample)
	}
	d := Dispatch{ID: strings.TrimSpace(id), Title: strings.TrimSpace(o.Title), Date: strings.TrimSpace(o.Date),
		Source: strings.TrimSpace(o.Source), URL: strings.TrimSpace(o.URL), Event: strings.TrimSpace(o.Event),
		Text: strings.TrimSpace(*o.Text)}
	for i, s := range [...]string{d.ID, d.Title, d.Date, d.Source, d.URL, "", d.Event, d.Text} {
		if strings.IndexByte(s, 0) >= 0 {
			return Dispatch{}, colNames[i], errorf(ErrBinary, `a NUL character (\u0000) is not text`)
		}
	}
	labels, err := jsonLabels(o.Labels)
	if err != nil {
		return Dispatch{}, "labels", err
	}
	for _, l := range labels {
		var err error
		if d.Labels, err = appendLabel(d.Labels, l); err != nil {
			return Dispatch{}, "labels", err
		}
	}
	return d, "", nil
}

// jsonLabels reads a .jsonl labels field: an array of strings, or one string of comma-separated ids as in
// a .tsv (a common export shape: "labels": "terrorisme"), or null.
func jsonLabels(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, errorf(ErrJSON, `must be an array of strings such as ["terrorisme", "migration"]`)
		}
		return strings.Split(s, ","), nil
	}
	var ls []string
	if err := json.Unmarshal(raw, &ls); err != nil {
		return nil, errorf(ErrJSON, `must be an array of strings such as ["terrorisme", "migration"]`)
	}
	return ls, nil
}

// jsonID returns the id of a .jsonl object: a string, a number as written, or "" when absent or null.
func jsonID(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		return s, json.Unmarshal(raw, &s) == nil
	case c == '-' || c >= '0' && c <= '9':
		return string(raw), true
	}
	return "", false
}
