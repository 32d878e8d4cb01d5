package server

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
)

// web holds the page: plain HTML, CSS and JavaScript, embedded, with no resource of another site, so that
// it works on a closed network and under the Content-Security-Policy "self".
//
//go:embed web/index.html web/app.css web/app.js
var web embed.FS

//go:embed openapi.json
var openAPI []byte

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	b, err := web.ReadFile("web/index.html")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b)
}

func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	name := path.Clean(r.PathValue("file"))
	b, err := fs.ReadFile(web, "web/"+name)
	if err != nil || name == "index.html" {
		writeError(w, r, http.StatusNotFound, "no asset "+quote(name))
		return
	}
	switch path.Ext(name) {
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openAPI)
}
