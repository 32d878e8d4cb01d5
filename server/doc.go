// Package server owns depeche's HTTP interface: a versioned JSON API (/v1/…, described by the OpenAPI
// file it serves at /v1/openapi.json), the first endpoints (/api/classify, /api/similar, /api/info,
// /healthz) kept working, and a web page (assets embedded, no external resource). It knows nothing of
// cobra or flags; cmd/depeche's "serve" builds it. It holds no policy of its own: what a request may ask
// and what it gets are the depeche.Desk's (the same validator and messages as the command line).
//
// # Safety
//
// Every response carries a Content-Security-Policy (self only, no frame ancestors), nosniff, no referrer.
// A server that listens on loopback only (Options.Loopback) accepts only loopback Host names (localhost,
// 127.0.0.1, ::1, and Options.AllowedHosts), so that a page of another site whose name is made to
// resolve to 127.0.0.1 (DNS rebinding) gets 403; a request with an Origin of another site gets 403
// anywhere. With Options.Token every API request needs "Authorization: Bearer TOKEN" (compared in
// constant time; 401 otherwise), except /v1/health and /v1/ready. A body is at most Options.MaxBody bytes
// (413). At most Options.MaxHeavy requests that analyse text or search run at once; others wait in a
// queue of Options.MaxQueue for at most Options.QueueWait, and past it get 429 with Retry-After, so that
// memory stays bounded whatever the clients send.
//
// # Errors
//
// Every error is JSON, {"error": "…", "status": N}, for every status (400, 401, 403, 404, 405, 409, 413,
// 429, 500, 503): messages say what is wrong and what to do, never a Go type name; a 500 says only that
// it is logged, with the request id the access log shows.
package server
