package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/models"
	"github.com/depeche/depeche/server"
)

func newServer(t *testing.T) *httptest.Server {
	texts := []string{
		"Démantèlement d'une cellule terroriste à Tanger par le BCIJ.",
		"Une cellule terroriste liée à Daech démantelée à Fès.",
		"Attentat déjoué : un extrémiste arrêté à Salé.",
		"Saisie de trois tonnes de cannabis au port de Tanger Med.",
		"Deux trafiquants de cocaïne arrêtés à Casablanca.",
		"Saisie record de chira et de psychotropes à Oujda.",
	}
	labels := [][]string{{"terrorisme"}, {"terrorisme"}, {"terrorisme"}, {"drogue"}, {"drogue"}, {"drogue"}}
	m, err := models.Train(texts, labels, models.TrainOptions{Folds: 1})
	if err != nil {
		t.Fatal(err)
	}
	ds := make([]dispatch.Dispatch, len(texts))
	for i, x := range texts {
		ds[i] = dispatch.Dispatch{ID: string(rune('a' + i)), Text: x, Labels: labels[i]}
	}
	desk, err := depeche.NewDesk(m, ds)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(server.New(desk))
	t.Cleanup(ts.Close)
	return ts
}

func post(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	r, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var v map[string]any
	json.NewDecoder(r.Body).Decode(&v)
	return r.StatusCode, v
}

func TestEndpoints(t *testing.T) {
	ts := newServer(t)
	code, v := post(t, ts.URL+"/api/classify", `{"text": "Saisie de cannabis à Tanger"}`)
	labels, _ := v["labels"].([]any)
	if code != 200 || len(labels) != 2 || labels[0].(map[string]any)["label"] != "drogue" {
		t.Fatalf("classify: %d %v", code, v)
	}
	code, v = post(t, ts.URL+"/api/similar", `{"text": "Une cellule terroriste démantelée", "k": 2}`)
	res, _ := v["results"].([]any)
	if code != 200 || len(res) != 2 {
		t.Fatalf("similar: %d %v", code, v)
	}
	for _, bad := range []string{`{"text": ""}`, `not json`, `{"text": 3}`} {
		if code, v = post(t, ts.URL+"/api/classify", bad); code != 400 || v["error"] == nil {
			t.Errorf("%s: %d %v, want 400 with an error", bad, code, v)
		}
	}
	r, err := http.Get(ts.URL + "/")
	if err != nil || r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %v %v", r, err)
	}
	r, _ = http.Get(ts.URL + "/api/info")
	if r.StatusCode != 200 {
		t.Fatalf("info: %d", r.StatusCode)
	}
	r, _ = http.Get(ts.URL + "/api/classify")
	if r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/classify: %d, want 405", r.StatusCode)
	}
}
