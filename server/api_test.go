package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/models"
	"github.com/depeche/depeche/server"
)

// sample is a small archive of real-looking dispatches: two themes, dated.
var sample = []depeche.Dispatch{
	{ID: "t1", Date: "2019-03-02", Title: "Cellule démantelée à Tanger", Text: "Démantèlement d'une cellule terroriste à Tanger par le BCIJ, quatre suspects interpellés.", Labels: []string{"terrorisme"}},
	{ID: "t2", Date: "2019-06-11", Title: "Daech à Fès", Text: "Une cellule terroriste liée à Daech démantelée à Fès, le BCIJ saisit des armes.", Labels: []string{"terrorisme"}},
	{ID: "t3", Date: "2020-01-20", Title: "Attentat déjoué à Salé", Text: "Attentat déjoué : un extrémiste arrêté à Salé par le BCIJ avant de passer à l'acte.", Labels: []string{"terrorisme"}},
	{ID: "d1", Date: "2019-04-05", Title: "Cannabis à Tanger Med", Text: "Saisie de trois tonnes de cannabis au port de Tanger Med, deux trafiquants arrêtés.", Labels: []string{"drogue"}},
	{ID: "d2", Date: "2020-02-14", Title: "Cocaïne à Casablanca", Text: "Deux trafiquants de cocaïne arrêtés à Casablanca après une saisie au port.", Labels: []string{"drogue"}},
	{ID: "d3", Date: "2020-07-30", Title: "Chira à Oujda", Text: "Saisie record de chira et de psychotropes à Oujda, un réseau de trafic démantelé.", Labels: []string{"drogue"}},
	{ID: "u1", Date: "2021-05-01", Title: "Le Parlement vote le budget", Text: "La Chambre des représentants adopte le projet de loi de finances après un long débat."},
}

// archiveDesk returns a desk over a new archive file holding the sample, loaded in memory, and the file.
func archiveDesk(t *testing.T) (*depeche.Desk, string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "archive.db")
	d, err := depeche.CreateArchive(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Add(context.Background(), sample); err != nil {
		t.Fatal(err)
	}
	if err := d.LoadIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d, p
}

func start(t *testing.T, d *depeche.Desk, o server.Options) (*httptest.Server, *server.Server) {
	t.Helper()
	if !o.Loopback && o.AllowedHosts == nil {
		o.Loopback = true
	}
	s := server.New(d, o)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, s
}

type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func do(t *testing.T, method, url, body string, hdr ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	var v map[string]any
	json.Unmarshal(b, &v)
	return response{r.StatusCode, r.Header, v, string(b)}
}

// goNames finds what would betray Go in an error message: package-qualified identifiers, struct and
// pointer types, the json package's own wording.
var goNames = regexp.MustCompile(`\b(json|http|sql|server|depeche|archive|models|main)\.[A-Za-z]|Go (struct|value)|\bstruct\b|\*[a-z]+\.|\bint64\b|\bfloat64\b|unmarshal`)

// checkError checks that an error response is JSON of the API's shape, with its status, a message and no
// Go type names.
func checkError(t *testing.T, name string, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d (%s)", name, r.status, status, r.raw)
		return
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: Content-Type %q, want JSON", name, ct)
	}
	msg, _ := r.body["error"].(string)
	if msg == "" || r.body["status"] != float64(status) {
		t.Errorf("%s: body %s: want {\"error\": \"…\", \"status\": %d}", name, r.raw, status)
	}
	if m := goNames.FindString(msg); m != "" {
		t.Errorf("%s: the message %q shows a Go name (%q)", name, msg, m)
	}
}

func TestErrorStatuses(t *testing.T) {
	d, _ := archiveDesk(t)
	ts, _ := start(t, d, server.Options{MaxBody: 1 << 10})
	u := ts.URL
	big := `{"text": "` + strings.Repeat("a", 2<<10) + `"}`
	for _, c := range []struct {
		name, method, path, body string
		status                   int
		hdr                      []string
	}{
		{"bad since", "POST", "/v1/similar", `{"text": "cellule", "since": "yesterday"}`, 400, nil},
		{"bad until", "POST", "/v1/similar", `{"text": "cellule", "until": "2019-13"}`, 400, nil},
		{"until before since", "POST", "/v1/similar", `{"text": "cellule", "since": "2020", "until": "2019-06"}`, 400, nil},
		{"k zero", "POST", "/v1/similar", `{"text": "cellule", "k": 0}`, 400, nil},
		{"k too big", "POST", "/v1/similar", `{"text": "cellule", "k": 100000}`, 400, nil},
		{"bad label", "POST", "/v1/similar", `{"text": "cellule", "label": "Terror ism"}`, 400, nil},
		{"label nobody has", "POST", "/v1/similar", `{"text": "cellule", "label": "sport"}`, 400, nil},
		{"text and id", "POST", "/v1/similar", `{"text": "cellule", "id": "t1"}`, 400, nil},
		{"empty text", "POST", "/v1/classify", `{"text": "  "}`, 400, nil},
		{"text a number", "POST", "/v1/classify", `{"text": 3}`, 400, nil},
		{"texts of numbers", "POST", "/v1/classify", `{"texts": [1, 2]}`, 400, nil},
		{"unknown field", "POST", "/v1/classify", `{"txt": "a"}`, 400, nil},
		{"not json", "POST", "/v1/classify", `not json`, 400, nil},
		{"cut json", "POST", "/v1/classify", `{"text": "a`, 400, nil},
		{"array body", "POST", "/v1/classify", `["a"]`, 400, nil},
		{"two objects", "POST", "/v1/classify", `{"text": "a"} {"text": "b"}`, 400, nil},
		{"empty body", "POST", "/v1/classify", ``, 400, nil},
		{"terms too many", "POST", "/v1/classify", `{"text": "a", "terms": 1000}`, 400, nil},
		{"bad offset", "GET", "/v1/dispatches?offset=x", ``, 400, nil},
		{"bad limit", "GET", "/v1/dispatches?limit=0", ``, 400, nil},
		{"unknown parameter", "GET", "/v1/dispatches?lable=x", ``, 400, nil},
		{"list bad date", "GET", "/v1/dispatches?since=2019-02-30", ``, 400, nil},
		{"add no text", "POST", "/v1/dispatches", `{"dispatches": [{"id": "x"}]}`, 400, nil},
		{"add bad date", "POST", "/v1/dispatches", `{"dispatches": [{"text": "a", "date": "02/03/2024"}]}`, 400, nil},
		{"add none", "POST", "/v1/dispatches", `{"dispatches": []}`, 400, nil},
		{"labels missing", "PUT", "/v1/dispatches/t1/labels", `{}`, 400, nil},
		{"labels malformed", "PUT", "/v1/dispatches/t1/labels", `{"labels": ["a b"]}`, 400, nil},
		{"labels of numbers", "PUT", "/v1/dispatches/t1/labels", `{"labels": [1]}`, 400, nil},
		{"matrix limit", "POST", "/v1/matrix", `{"limit": 1000}`, 400, nil},
		{"timeline bad date", "GET", "/v1/timeline?until=soon", ``, 400, nil},
		{"legacy bad since", "POST", "/api/similar", `{"text": "cellule", "since": "yesterday"}`, 400, nil},
		{"legacy empty", "POST", "/api/classify", `{"text": ""}`, 400, nil},
		{"forbidden host", "GET", "/v1/info", ``, 403, []string{"Host", "evil.example"}},
		{"forbidden origin", "POST", "/v1/classify", `{"text": "a"}`, 403, []string{"Origin", "http://evil.example"}},
		{"unknown id", "GET", "/v1/dispatches/nope", ``, 404, nil},
		{"similar of unknown id", "POST", "/v1/similar", `{"id": "nope"}`, 404, nil},
		{"label unknown id", "PUT", "/v1/dispatches/nope/labels", `{"labels": ["x"]}`, 404, nil},
		{"unknown job", "GET", "/v1/jobs/nope", ``, 404, nil},
		{"unknown route", "GET", "/v1/nope", ``, 404, nil},
		{"unknown asset", "GET", "/assets/nope.js", ``, 404, nil},
		{"method", "GET", "/v1/classify", ``, 405, nil},
		{"method legacy", "GET", "/api/classify", ``, 405, nil},
		{"method delete", "DELETE", "/v1/dispatches/t1", ``, 405, nil},
		{"id taken by another text", "POST", "/v1/dispatches", `{"dispatches": [{"id": "t1", "text": "Un tout autre texte sur la pêche en mer."}]}`, 409, nil},
		{"retrain without model file", "POST", "/v1/retrain", ``, 409, nil},
		{"body too large", "POST", "/v1/classify", big, 413, nil},
	} {
		r := do(t, c.method, u+c.path, c.body, c.hdr...)
		checkError(t, c.name, r, c.status)
		if c.status == 405 && r.header.Get("Allow") == "" {
			t.Errorf("%s: no Allow header", c.name)
		}
	}
	// the same message as the command line for the same mistake
	r := do(t, "POST", u+"/v1/similar", `{"text": "cellule", "since": "yesterday"}`)
	if r.body["error"] != `since "yesterday": must be YYYY, YYYY-MM or YYYY-MM-DD` || r.body["field"] != "since" {
		t.Errorf("since yesterday: %s", r.raw)
	}
	r = do(t, "POST", u+"/v1/similar", `{"text": "cellule", "label": "sport"}`)
	if msg, _ := r.body["error"].(string); !strings.Contains(msg, "no dispatch carries this label; the labels are: drogue, terrorisme") {
		t.Errorf("label nobody has: %s", r.raw)
	}
}

func TestErrorStatusesServer(t *testing.T) {
	// 503 while the archive loads; 500 when the archive fails under the server; 409 on the built-in corpus
	d, _ := archiveDesk(t)
	ts, s := start(t, d, server.Options{})
	s.SetReady(false)
	checkError(t, "not ready", do(t, "GET", ts.URL+"/v1/ready", ""), 503)
	checkError(t, "similar before ready", do(t, "POST", ts.URL+"/v1/similar", `{"text": "cellule"}`), 503)
	if r := do(t, "POST", ts.URL+"/v1/classify", `{"text": "cellule terroriste"}`); r.status != 200 {
		t.Errorf("classify before ready: %d, want 200 (the model is loaded)", r.status)
	}
	s.SetReady(true)
	s.Drain()
	checkError(t, "draining", do(t, "GET", ts.URL+"/v1/ready", ""), 503)

	d2, _ := archiveDesk(t)
	ts2, _ := start(t, d2, server.Options{})
	d2.Close() // the archive goes away under the server
	r := do(t, "GET", ts2.URL+"/v1/dispatches/t1", "")
	checkError(t, "archive closed", r, 500)
	if msg, _ := r.body["error"].(string); strings.Contains(msg, "sql") || !strings.Contains(msg, "request") {
		t.Errorf("500 message %q: want the request id and no internals", msg)
	}

	b, err := depeche.OpenBuiltin()
	if err != nil {
		t.Fatal(err)
	}
	ts3, _ := start(t, b, server.Options{})
	checkError(t, "add to the built-in corpus", do(t, "POST", ts3.URL+"/v1/dispatches", `{"dispatches": [{"text": "a"}]}`), 409)
	checkError(t, "label the built-in corpus", do(t, "PUT", ts3.URL+"/v1/dispatches/TER-0001/labels", `{"labels": ["x"]}`), 409)

	ts4, _ := start(t, archiveDeskOnly(t), server.Options{ReadOnly: true})
	checkError(t, "read-only", do(t, "PUT", ts4.URL+"/v1/dispatches/t1/labels", `{"labels": ["x"]}`), 409)
}

func archiveDeskOnly(t *testing.T) *depeche.Desk { d, _ := archiveDesk(t); return d }

func TestAPI(t *testing.T) {
	d, _ := archiveDesk(t)
	ts, _ := start(t, d, server.Options{})
	u := ts.URL

	r := do(t, "POST", u+"/v1/classify", `{"text": "Une cellule terroriste démantelée à Tanger"}`)
	labels, _ := r.body["labels"].([]any)
	if r.status != 200 || len(labels) == 0 || r.body["confidence"] == nil {
		t.Fatalf("classify: %s", r.raw)
	}
	r = do(t, "POST", u+"/v1/classify", `{"texts": ["Une cellule terroriste démantelée", "Saisie de cannabis"], "top": 2}`)
	if res, _ := r.body["results"].([]any); r.status != 200 || len(res) != 2 {
		t.Fatalf("classify texts: %s", r.raw)
	}
	r = do(t, "POST", u+"/v1/similar", `{"text": "Une cellule terroriste démantelée par le BCIJ", "k": 2, "label": "terrorisme", "since": "2019", "until": "2019"}`)
	res, _ := r.body["results"].([]any)
	if r.status != 200 || len(res) != 2 {
		t.Fatalf("similar: %s", r.raw)
	}
	for _, x := range res {
		if id := x.(map[string]any)["id"]; id != "t1" && id != "t2" {
			t.Errorf("similar with 2019 and terrorisme: %v", id)
		}
	}
	r = do(t, "POST", u+"/v1/similar", `{"id": "t1", "k": 3}`)
	if res, _ := r.body["results"].([]any); r.status != 200 || len(res) != 3 || res[0].(map[string]any)["id"] == "t1" || r.body["id"] != "t1" {
		t.Fatalf("similar of an id (itself left out): %s", r.raw)
	}
	r = do(t, "GET", u+"/v1/dispatches/d1/similar?k=2", "")
	if res, _ := r.body["results"].([]any); r.status != 200 || len(res) != 2 {
		t.Fatalf("similar of an id by GET: %s", r.raw)
	}
	r = do(t, "GET", u+"/v1/dispatches/t2", "")
	if r.status != 200 || r.body["text"] == "" || r.body["title"] != "Daech à Fès" {
		t.Fatalf("get: %s", r.raw)
	}
	r = do(t, "GET", u+"/v1/dispatches?label=drogue&limit=2", "")
	items, _ := r.body["items"].([]any)
	if r.status != 200 || r.body["total"] != 3.0 || len(items) != 2 || items[0].(map[string]any)["id"] != "d3" {
		t.Fatalf("list (newest first): %s", r.raw)
	}
	r = do(t, "GET", u+"/v1/dispatches?label=drogue&limit=2&offset=2", "")
	if items, _ := r.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != "d1" {
		t.Fatalf("list page 2: %s", r.raw)
	}
	r = do(t, "GET", u+"/v1/dispatches?q=cocaïne+Casablanca", "")
	if items, _ := r.body["items"].([]any); len(items) == 0 || items[0].(map[string]any)["id"] != "d2" {
		t.Fatalf("search: %s", r.raw)
	}
	r = do(t, "POST", u+"/v1/dispatches", `{"dispatches": [{"title": "Naufrage", "date": "2024-03-02", "text": "Naufrage d'une embarcation de migrants au large de Lampedusa.", "labels": ["Migration"]}]}`)
	ids, _ := r.body["ids"].([]any)
	if r.status != 201 || r.body["added"] != 1.0 || len(ids) != 1 || !strings.HasPrefix(ids[0].(string), "d-") {
		t.Fatalf("add: %s", r.raw)
	}
	newID := ids[0].(string)
	r = do(t, "POST", u+"/v1/dispatches", `{"dispatches": [{"text": "Naufrage d'une embarcation de migrants au large de Lampedusa."}]}`)
	if r.status != 200 || r.body["duplicates"] != 1.0 {
		t.Fatalf("add again: %s", r.raw)
	}
	r = do(t, "PUT", u+"/v1/dispatches/u1/labels", `{"labels": ["Parlement", "economie"]}`)
	if got, _ := json.Marshal(r.body["labels"]); r.status != 200 || string(got) != `["economie","parlement"]` {
		t.Fatalf("set labels: %s", r.raw)
	}
	// the label is seen by listings at once, before any reload
	r = do(t, "GET", u+"/v1/dispatches?label=parlement", "")
	if r.body["total"] != 1.0 {
		t.Fatalf("label not visible at once: %s", r.raw)
	}
	// the added dispatch is searchable after a reload (the watcher's job; here by hand)
	if err := d.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	r = do(t, "POST", u+"/v1/similar", `{"text": "migrants Lampedusa naufrage", "k": 1}`)
	if res, _ := r.body["results"].([]any); len(res) != 1 || res[0].(map[string]any)["id"] != newID {
		t.Fatalf("added dispatch not found: %s", r.raw)
	}
	// ids made from file:line hold slashes: escaped as %2F they stay one path segment
	r = do(t, "POST", u+"/v1/dispatches", `{"dispatches": [{"id": "2019/depeches.tsv:3", "text": "Le port de Nador rouvre après les travaux de la digue."}]}`)
	if r.status != 201 {
		t.Fatalf("add an id with a slash: %s", r.raw)
	}
	if r := do(t, "GET", u+"/v1/dispatches/2019%2Fdepeches.tsv:3", ""); r.status != 200 || r.body["id"] != "2019/depeches.tsv:3" {
		t.Errorf("get an id with a slash: %d %s", r.status, r.raw)
	}
	if r := do(t, "PUT", u+"/v1/dispatches/2019%2Fdepeches.tsv:3/labels", `{"labels": ["economie"]}`); r.status != 200 {
		t.Errorf("label an id with a slash: %d %s", r.status, r.raw)
	}
	r = do(t, "POST", u+"/v1/matrix", `{"ids": ["t1", "t2", "d1"]}`)
	m, _ := r.body["matrix"].([]any)
	if r.status != 200 || len(m) != 3 {
		t.Fatalf("matrix: %s", r.raw)
	}
	r = do(t, "POST", u+"/v1/matrix", `{"label": "terrorisme"}`)
	if m, _ := r.body["matrix"].([]any); r.status != 200 || len(m) != 3 {
		t.Fatalf("matrix of a label: %s", r.raw)
	}
	r = do(t, "GET", u+"/v1/timeline?label=drogue", "")
	months, _ := r.body["months"].([]any)
	if r.status != 200 || r.body["total"] != 3.0 || len(months) != 16 { // 2019-04 … 2020-07
		t.Fatalf("timeline: %d months, %s", len(months), r.raw)
	}
	for _, p := range []string{"/v1/info", "/v1/labels", "/v1/health", "/v1/ready", "/v1/jobs", "/api/info", "/healthz", "/", "/assets/app.js", "/assets/app.css"} {
		if r := do(t, "GET", u+p, ""); r.status != 200 {
			t.Errorf("GET %s: %d %s", p, r.status, r.raw)
		}
	}
	// info says what the index holds weighed (nothing here: in so small an archive every term is common,
	// bounded rather than read) and its bound
	r = do(t, "GET", u+"/v1/info", "")
	arch, _ := r.body["archive"].(map[string]any)
	ix, _ := arch["index"].(map[string]any)
	for _, k := range []string{"weighed_terms", "weighed_bytes", "cache_limit"} {
		if _, ok := ix[k].(float64); !ok {
			t.Errorf("info's archive.index has no %s: %v", k, ix)
		}
	}
	r = do(t, "GET", u+"/v1/openapi.json", "")
	if r.status != 200 || r.body["openapi"] != "3.1.0" {
		t.Fatalf("openapi: %d", r.status)
	}
	paths, _ := r.body["paths"].(map[string]any)
	for _, p := range []string{"/v1/classify", "/v1/similar", "/v1/dispatches", "/v1/dispatches/{id}", "/v1/dispatches/{id}/labels", "/v1/retrain", "/v1/jobs/{id}", "/v1/ready"} {
		if paths[p] == nil {
			t.Errorf("openapi.json does not describe %s", p)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	ts, _ := start(t, archiveDeskOnly(t), server.Options{})
	for _, p := range []string{"/", "/v1/info", "/v1/nope"} {
		r := do(t, "GET", ts.URL+p, "")
		csp := r.header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: headers %v", p, r.header)
		}
	}
	page := do(t, "GET", ts.URL+"/", "").raw
	for _, want := range []string{`<meta name="viewport"`, `lang="fr"`, `src="/assets/app.js"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if regexp.MustCompile(`(?i)https?://|<script>|style="`).MatchString(page) {
		t.Error("the page refers to another site, or has an inline script or style")
	}
}

func TestToken(t *testing.T) {
	const tok = "0123456789abcdef-token"
	ts, _ := start(t, archiveDeskOnly(t), server.Options{Token: tok})
	u := ts.URL
	checkError(t, "no token", do(t, "GET", u+"/v1/info", ""), 401)
	checkError(t, "wrong token", do(t, "GET", u+"/v1/info", "", "Authorization", "Bearer nope"), 401)
	checkError(t, "token not bearer", do(t, "GET", u+"/v1/info", "", "Authorization", tok), 401)
	checkError(t, "token of another length", do(t, "GET", u+"/v1/info", "", "Authorization", "Bearer "+tok+"x"), 401)
	checkError(t, "legacy without token", do(t, "POST", u+"/api/classify", `{"text": "a"}`), 401)
	if r := do(t, "GET", u+"/v1/info", "", "Authorization", "Bearer nope"); r.header.Get("WWW-Authenticate") == "" {
		t.Error("401 without WWW-Authenticate")
	}
	if r := do(t, "GET", u+"/v1/info", "", "Authorization", "Bearer "+tok); r.status != 200 {
		t.Errorf("right token: %d %s", r.status, r.raw)
	}
	if r := do(t, "POST", u+"/v1/classify", `{"text": "cellule"}`, "Authorization", "Bearer "+tok); r.status != 200 {
		t.Errorf("right token, classify: %d", r.status)
	}
	for _, p := range []string{"/v1/health", "/v1/ready", "/", "/assets/app.js", "/healthz"} {
		if r := do(t, "GET", u+p, ""); r.status != 200 {
			t.Errorf("GET %s needs no token: %d", p, r.status)
		}
	}
}

func TestHostOrigin(t *testing.T) {
	d := archiveDeskOnly(t)
	ts, _ := start(t, d, server.Options{Loopback: true, AllowedHosts: []string{"desk.example"}})
	u := ts.URL
	port := u[strings.LastIndex(u, ":")+1:]
	for _, c := range []struct {
		name   string
		hdr    []string
		status int
	}{
		{"127.0.0.1", []string{"Host", "127.0.0.1:" + port}, 200},
		{"localhost", []string{"Host", "localhost:" + port}, 200},
		{"localhost no port", []string{"Host", "localhost"}, 200},
		{"::1", []string{"Host", "[::1]:" + port}, 200},
		{"127.1.2.3", []string{"Host", "127.1.2.3:" + port}, 200},
		{"allowed name", []string{"Host", "desk.example:" + port}, 200},
		{"rebinding name", []string{"Host", "evil.example:" + port}, 403},
		{"lan address", []string{"Host", "192.168.1.10:" + port}, 403},
		{"localhost lookalike", []string{"Host", "localhost.evil.example"}, 403},
		{"same origin", []string{"Host", "127.0.0.1:" + port, "Origin", "http://127.0.0.1:" + port}, 200},
		{"other origin", []string{"Host", "127.0.0.1:" + port, "Origin", "http://evil.example"}, 403},
		{"rebound origin", []string{"Host", "evil.example:" + port, "Origin", "http://evil.example:" + port}, 403},
		{"null origin", []string{"Origin", "null"}, 403},
		{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"same-origin fetch", []string{"Sec-Fetch-Site", "same-origin"}, 200},
	} {
		r := do(t, "POST", u+"/v1/classify", `{"text": "cellule"}`, c.hdr...)
		if c.status == 200 {
			if r.status != 200 {
				t.Errorf("%s: %d %s, want 200", c.name, r.status, r.raw)
			}
			continue
		}
		checkError(t, c.name, r, c.status)
	}
	// a link from another site may open the page (a top-level navigation), not call the API
	if r := do(t, "GET", u+"/", "", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate"); r.status != 200 {
		t.Errorf("navigation from another site: %d", r.status)
	}
	// beyond loopback with a token and no allowed names, any Host is taken (the token guards it)
	ts2, _ := start(t, d, server.Options{Loopback: false, AllowedHosts: []string{}, Token: "0123456789abcdef0"})
	if r := do(t, "GET", ts2.URL+"/v1/info", "", "Host", "desk.lan:8080", "Authorization", "Bearer 0123456789abcdef0"); r.status != 200 {
		t.Errorf("non-loopback server, any Host: %d %s", r.status, r.raw)
	}
}

func TestBodyLimit(t *testing.T) {
	ts, _ := start(t, archiveDeskOnly(t), server.Options{MaxBody: 1000})
	body := `{"text": "` + strings.Repeat("é", 1000) + `"}`
	checkError(t, "with Content-Length", do(t, "POST", ts.URL+"/v1/classify", body), 413)
	// chunked: no Content-Length, the limit is found while reading
	req, _ := http.NewRequest("POST", ts.URL+"/v1/classify", io.MultiReader(strings.NewReader(body)))
	req.ContentLength = -1
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	var v map[string]any
	json.Unmarshal(b, &v)
	checkError(t, "chunked", response{r.StatusCode, r.Header, v, string(b)}, 413)
	if r := do(t, "POST", ts.URL+"/v1/classify", `{"text": "cellule terroriste"}`); r.status != 200 {
		t.Errorf("small body: %d", r.status)
	}
}

// slowRequest sends a heavy request whose body is held open, so that it holds its slot (the slot is taken
// before the body is read, so that at most MaxHeavy bodies are read at once); finish completes it.
func slowRequest(t *testing.T, url string) (finish func() int) {
	t.Helper()
	pr, pw := io.Pipe()
	req, _ := http.NewRequest("POST", url+"/v1/classify", pr)
	done := make(chan int, 1)
	go func() {
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		done <- r.StatusCode
	}()
	pw.Write([]byte(`{"text": "cellule `))
	return func() int {
		pw.Write([]byte(`terroriste"}`))
		pw.Close()
		return <-done
	}
}

func TestConcurrencyLimit(t *testing.T) {
	d := archiveDeskOnly(t)
	// the probes below must not take the slot before the slow request does: they start once the server
	// reads its first request (the slot is taken right after its headers)
	active := make(chan struct{})
	var once sync.Once
	ts := httptest.NewUnstartedServer(server.New(d, server.Options{MaxHeavy: 1, MaxQueue: -1, Loopback: true}))
	ts.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateActive {
			once.Do(func() { close(active) })
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	finish := slowRequest(t, ts.URL)
	select {
	case <-active:
	case <-time.After(10 * time.Second):
		t.Fatal("the slow request never reached the server")
	}
	time.Sleep(50 * time.Millisecond)
	// the slot is taken once the server has the request: retry until the second gets 429
	var r response
	for range 100 {
		r = do(t, "POST", ts.URL+"/v1/similar", `{"text": "cellule"}`)
		if r.status == 429 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	checkError(t, "second heavy request", r, 429)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// light requests are not queued
	if r := do(t, "GET", ts.URL+"/v1/dispatches/t1", ""); r.status != 200 {
		t.Errorf("a light request while the heavy slot is taken: %d", r.status)
	}
	if code := finish(); code != 200 {
		t.Errorf("the first request: %d, want 200", code)
	}
	if r := do(t, "POST", ts.URL+"/v1/similar", `{"text": "cellule"}`); r.status != 200 {
		t.Errorf("after the slot is free: %d", r.status)
	}

	// with a queue, a request waits for the slot, and gets 429 when the wait is too long
	ts2, _ := start(t, d, server.Options{MaxHeavy: 1, MaxQueue: 4, QueueWait: 200 * time.Millisecond})
	finish = slowRequest(t, ts2.URL)
	time.Sleep(100 * time.Millisecond)
	begin := time.Now()
	r = do(t, "POST", ts2.URL+"/v1/similar", `{"text": "cellule"}`)
	checkError(t, "queued too long", r, 429)
	if time.Since(begin) < 150*time.Millisecond {
		t.Errorf("429 after %s: the request should have waited in the queue", time.Since(begin))
	}
	var wg sync.WaitGroup
	codes := make([]int, 3)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = do(t, "POST", ts2.URL+"/v1/similar", `{"text": "cellule"}`).status
		}()
	}
	time.Sleep(50 * time.Millisecond)
	finish()
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Errorf("queued request %d: %d, want 200 once the slot was free", i, c)
		}
	}
}

// TestLiveArchive: a dispatch added and one labelled by another process (here another handle on the
// archive file, as "depeche add" and "depeche label" open it) are seen by the server within seconds, with
// no restart; a model written to the model file is swapped in.
func TestLiveArchive(t *testing.T) {
	d, path := archiveDesk(t)
	modelFile := filepath.Join(t.TempDir(), "model.depeche")
	w := &depeche.Watcher{Desk: d, Every: 50 * time.Millisecond, ModelFile: modelFile}
	if err := w.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	ts, _ := start(t, d, server.Options{Watcher: w, ModelOut: modelFile})

	other, err := depeche.Open(depeche.Config{Archive: path, Model: "", Home: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	text := "Les garde-côtes espagnols ont secouru quarante migrants au large des Canaries."
	if _, err := other.Add(context.Background(), []depeche.Dispatch{{ID: "cli-1", Date: "2024-08-01", Text: text}}); err != nil {
		t.Fatal(err)
	}
	if err := other.Label(context.Background(), "u1", []string{"parlement"}); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	eventually(t, 5*time.Second, "the added dispatch in similar", func() bool {
		r := do(t, "POST", ts.URL+"/v1/similar", `{"text": "migrants secourus au large des Canaries", "k": 1}`)
		res, _ := r.body["results"].([]any)
		return len(res) == 1 && res[0].(map[string]any)["id"] == "cli-1"
	})
	eventually(t, 5*time.Second, "the label in listings", func() bool {
		return do(t, "GET", ts.URL+"/v1/dispatches?label=parlement", "").body["total"] == 1.0
	})
	t.Logf("another handle's add and label seen after %s", time.Since(begin).Round(time.Millisecond))

	// a model trained elsewhere and written to the model file is swapped in
	m, err := models.Train([]string{"pêche en mer et chalutiers", "bateaux de pêche au port", "récolte du blé", "moisson et tracteurs"},
		[][]string{{"peche"}, {"peche"}, {"agriculture"}, {"agriculture"}}, models.TrainOptions{Folds: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Save(modelFile, m); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "the new model", func() bool {
		r := do(t, "GET", ts.URL+"/v1/labels", "")
		got, _ := json.Marshal(r.body["model"])
		return string(got) == `["agriculture","peche"]`
	})
}

func eventually(t *testing.T, within time.Duration, what string, f func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !f() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not seen within %s", what, within)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestModelSwapInFlight: requests that run while the model is swapped finish, each on one whole model.
func TestModelSwapInFlight(t *testing.T) {
	d, _ := archiveDesk(t)
	ts, _ := start(t, d, server.Options{MaxHeavy: 8})
	builtin := d.Model()
	m, err := models.Train([]string{"pêche en mer", "bateaux de pêche", "récolte du blé", "moisson"}, [][]string{{"peche"}, {"peche"}, {"agriculture"}, {"agriculture"}}, models.TrainOptions{Folds: 1})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				r := do(t, "POST", ts.URL+"/v1/classify", `{"text": "Une cellule terroriste démantelée, des bateaux de pêche"}`)
				labels, _ := r.body["labels"].([]any)
				if r.status != 200 || (len(labels) != 2 && len(labels) != len(builtin.Classifier.Labels)) {
					errs <- fmt.Sprintf("client %d: %d %d labels", i, r.status, len(labels))
				}
			}
		}()
	}
	for i := range 50 {
		if i%2 == 0 {
			d.SetModel(m, "test")
		} else {
			d.SetModel(builtin, "built-in")
		}
		time.Sleep(2 * time.Millisecond)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestRetrainJob(t *testing.T) {
	d, _ := archiveDesk(t)
	out := filepath.Join(t.TempDir(), "model.depeche")
	ts, _ := start(t, d, server.Options{ModelOut: out})
	r := do(t, "POST", ts.URL+"/v1/retrain", "")
	if r.status != 202 || r.body["state"] != "running" || r.header.Get("Location") == "" {
		t.Fatalf("retrain: %s", r.raw)
	}
	loc := r.header.Get("Location")
	var job map[string]any
	eventually(t, 60*time.Second, "the retraining to end", func() bool {
		job = do(t, "GET", ts.URL+loc, "").body
		return job["state"] != "running"
	})
	if job["state"] != "done" {
		t.Fatalf("job: %v", job)
	}
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
	r = do(t, "GET", ts.URL+"/v1/labels", "")
	if got, _ := json.Marshal(r.body["model"]); string(got) != `["drogue","terrorisme"]` {
		t.Errorf("the retrained model (drogue, terrorisme) is not in use: %s", got)
	}
	if r := do(t, "GET", ts.URL+"/v1/jobs", ""); len(r.body["jobs"].([]any)) != 1 {
		t.Errorf("jobs: %s", r.raw)
	}
}
