// Package server owns depeche's HTTP interface: JSON endpoints for classify, similar and info over a
// model and an archive index held in memory, and a small web page that uses them. It knows nothing of
// cobra or flags; cmd/depeche's "serve" builds it.
//
// Endpoints (request and response bodies are JSON; errors are {"error": "..."} with status 400 or 500):
//
//	GET  /                 the web page
//	POST /api/classify     {"text": "...", "top": 0, "terms": 5}          → one classify --json object
//	POST /api/similar      {"text": "...", "k": 10, "label": "", "since": "", "until": ""} → {"results": [...]}
//	GET  /api/info         the model's labels and vocabulary size, the archive's size
//	GET  /healthz          "ok"
package server
