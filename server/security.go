package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// csp lets the page use its own files only: no inline script, no other site, no framing.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

func securityHeaders(h http.Header, path string) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if !strings.HasPrefix(path, "/assets/") {
		h.Set("Cache-Control", "no-store")
	}
}

// IsLoopback reports whether host (a name or an address, without port) names this machine's loopback:
// localhost (and names under .localhost), 127.0.0.0/8, ::1.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hostOnly returns the host of a Host header or an URL's host, without its port.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

func (s *Server) hostAllowed(host string) bool {
	h := strings.ToLower(hostOnly(host))
	for _, a := range s.opt.AllowedHosts {
		if strings.EqualFold(hostOnly(a), h) {
			return true
		}
	}
	if s.opt.Loopback {
		return IsLoopback(h)
	}
	return len(s.opt.AllowedHosts) == 0
}

// checkHostOrigin refuses a request whose Host is not this server's name (DNS rebinding: a page of
// evil.example whose name resolves to 127.0.0.1 sends Host: evil.example) and one a page of another
// origin sends (Origin, or Sec-Fetch-Site: cross-site, except a top-level navigation to the page).
func (s *Server) checkHostOrigin(r *http.Request) (int, string) {
	if r.Host == "" || !s.hostAllowed(r.Host) {
		return http.StatusForbidden, "Host " + quote(r.Host) + " is not a name of this server (refused against DNS rebinding): use http://127.0.0.1 or http://localhost, or start serve with --allow-host NAME"
	}
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if o == "null" || err != nil || u.Host == "" || !(strings.EqualFold(u.Host, r.Host) || s.originAllowed(u.Host)) {
			return http.StatusForbidden, "Origin " + quote(o) + " is not this server's: the API answers its own page and programs that send no Origin"
		}
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" && !(r.Header.Get("Sec-Fetch-Mode") == "navigate" && r.Method == http.MethodGet && r.URL.Path == "/") {
		return http.StatusForbidden, "a page of another site may not call this server"
	}
	return 0, ""
}

func (s *Server) originAllowed(host string) bool {
	for _, a := range s.opt.AllowedHosts {
		if strings.EqualFold(a, host) || strings.EqualFold(hostOnly(a), hostOnly(host)) && !strings.Contains(a, ":") {
			return true
		}
	}
	return false
}

// authorized compares the bearer token in constant time (of the SHA-256 of both, so that not even the
// token's length shows in the time taken).
func (s *Server) authorized(r *http.Request) bool {
	if s.opt.Token == "" {
		return true
	}
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return false
	}
	a, b := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(s.opt.Token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func quote(s string) string {
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return `"` + strings.Map(func(r rune) rune {
		if r < ' ' || r == '"' {
			return '?'
		}
		return r
	}, s) + `"`
}
