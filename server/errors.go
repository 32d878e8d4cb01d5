package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/depeche/depeche"
)

// errorBody is the JSON of every error.
type errorBody struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
	// Field names the request field at fault (a 400), when there is one.
	Field string `json:"field,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	writeErrorField(w, r, status, msg, "")
}

func writeErrorField(w http.ResponseWriter, r *http.Request, status int, msg, field string) {
	if lw, ok := w.(*logWriter); ok {
		lw.errMsg = msg
	} else if lw, ok := w.(interface{ Unwrap() http.ResponseWriter }); ok {
		if l, ok := lw.Unwrap().(*logWriter); ok {
			l.errMsg = msg
		}
	}
	writeJSON(w, status, errorBody{Error: msg, Status: status, Field: field})
}

// fail answers an error of the desk with its status: an invalid value 400, an unknown id 404, a write
// the archive cannot take 409, a client gone nothing, anything else 500 (logged, the message kept out of
// the answer: it may name files and internals).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var ie *depeche.InvalidError
	switch {
	case errors.As(err, &ie):
		writeErrorField(w, r, http.StatusBadRequest, ie.Msg, ie.Field)
	case errors.Is(err, depeche.ErrNotFound):
		writeError(w, r, http.StatusNotFound, strings.TrimPrefix(err.Error(), depeche.ErrNotFound.Error()+": "))
	case errors.Is(err, depeche.ErrReadOnly):
		writeError(w, r, http.StatusConflict, strings.TrimPrefix(err.Error(), "depeche: "))
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		s.log.Info("request canceled by the client", "request_id", requestID(r))
	case errors.Is(err, depeche.ErrCorrupt), errors.Is(err, depeche.ErrNotArchive):
		s.log.Error("archive", "request_id", requestID(r), "error", err.Error())
		writeError(w, r, http.StatusInternalServerError, "the archive file is damaged (see the server's log, request "+strconv.FormatUint(requestID(r), 10)+"): restore it from a backup")
	default:
		s.log.Error("internal error", "request_id", requestID(r), "path", r.URL.Path, "error", err.Error())
		writeError(w, r, http.StatusInternalServerError, internalMsg(r))
	}
}

func internalMsg(r *http.Request) string {
	return "internal error, logged by the server as request " + strconv.FormatUint(requestID(r), 10)
}

func bodyTooLarge(n int64) string {
	return fmt.Sprintf("the request body is over %d bytes (%d MiB): send fewer or shorter articles at once", n, n>>20)
}

// decode reads a JSON object into v, refusing unknown fields when strict; its errors name the field and
// the JSON type expected, never a Go type.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any, strict bool, example string) bool {
	dec := json.NewDecoder(r.Body)
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	if err == nil && strict {
		if _, e := dec.Token(); e != io.EOF {
			err = errTrailing
		}
	}
	if err == nil {
		return true
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, r, http.StatusRequestEntityTooLarge, bodyTooLarge(mbe.Limit))
		return false
	}
	writeError(w, r, http.StatusBadRequest, jsonMessage(err, example))
	return false
}

var errTrailing = errors.New("trailing data")

// jsonMessage explains a decoding error in the API's terms.
func jsonMessage(err error, example string) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "the body is empty: send a JSON object such as " + example
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the body is cut short: it is not a whole JSON object (send one such as " + example + ")"
	case errors.As(err, &se):
		return fmt.Sprintf("the body is not JSON (at byte %d): send a JSON object such as %s", se.Offset, example)
	case errors.As(err, &te):
		if te.Field == "" {
			return "the body must be a JSON object such as " + example + ", not " + article(te.Value)
		}
		return fmt.Sprintf("%q must be %s, not %s", te.Field, jsonType(te.Type.Kind().String()), article(te.Value))
	case errors.Is(err, errTrailing):
		return "the body holds more than one JSON value: send one object"
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return "unknown field " + f + ": the fields are described at /v1/openapi.json"
	}
	return "the body is not a valid request: send a JSON object such as " + example
}

func article(v string) string {
	switch v {
	case "array", "object":
		return "an " + v
	}
	return "a " + v
}

// jsonType names a Go kind as a JSON type.
func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "a number"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map", "ptr", "pointer":
		return "an object"
	}
	return "another type"
}

// request ids, for the access log and the messages of 500s

type ctxKey int

const reqIDKey ctxKey = 0

func withRequestID(r *http.Request, id uint64) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), reqIDKey, id))
}

func requestID(r *http.Request) uint64 {
	id, _ := r.Context().Value(reqIDKey).(uint64)
	return id
}

// logWriter records what the access log says of a response.
type logWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
	errMsg string
}

func (l *logWriter) WriteHeader(code int) {
	if !l.wrote {
		l.status, l.wrote = code, true
	}
	l.ResponseWriter.WriteHeader(code)
}

func (l *logWriter) Write(b []byte) (int, error) {
	l.wrote = true
	n, err := l.ResponseWriter.Write(b)
	l.bytes += int64(n)
	return n, err
}

func (l *logWriter) Unwrap() http.ResponseWriter { return l.ResponseWriter }

func (l *logWriter) Flush() {
	if f, ok := l.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (s *Server) accessLog(r *http.Request, lw *logWriter, start time.Time) {
	attrs := []slog.Attr{
		slog.Uint64("request_id", requestID(r)),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", lw.status),
		slog.Int64("bytes", lw.bytes),
		slog.Float64("ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("remote", r.RemoteAddr),
	}
	if lw.errMsg != "" && lw.status >= 400 {
		attrs = append(attrs, slog.String("error", lw.errMsg))
	}
	s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
}
