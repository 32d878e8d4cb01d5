package server

// pageHTML is the web page: paste an article, see its themes and the most similar archived dispatches.
// It is self-contained (no external script or style) so that it works on a closed network.
const pageHTML = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>depeche</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
textarea{width:100%;height:12em;font:inherit}
button{font:inherit;padding:.4em 1em;margin:.5em .5em .5em 0}
table{border-collapse:collapse;width:100%;margin-top:1em}td,th{text-align:left;padding:.25em .5em;border-bottom:1px solid #ddd;vertical-align:top}
.bar{background:#36c;height:.8em;display:inline-block}.pred{font-weight:bold}.err{color:#b00}
</style></head><body>
<h1>depeche</h1>
<p>Collez une dépêche en français : ses thèmes, et les dépêches les plus proches de l'archive.</p>
<textarea id="text" placeholder="Texte de la dépêche…"></textarea><br>
<button id="go">Analyser</button> <span id="status"></span>
<div id="out"></div>
<script>
const esc = s => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
async function post(url, body) {
  const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  const j = await r.json();
  if (!r.ok) throw new Error(j.error || r.statusText);
  return j;
}
document.getElementById('go').onclick = async () => {
  const text = document.getElementById('text').value, out = document.getElementById('out');
  document.getElementById('status').textContent = '…';
  try {
    const [c, s] = await Promise.all([post('/api/classify', {text}), post('/api/similar', {text, k: 10})]);
    let h = '<h2>Thèmes</h2><table><tr><th>thème</th><th>score</th><th></th><th>mots</th></tr>';
    for (const l of c.labels) h += '<tr class="' + (l.predicted ? 'pred' : '') + '"><td>' + esc(l.label) + (l.predicted ? ' ✓' : '') +
      '</td><td>' + l.score.toFixed(2) + '</td><td><span class="bar" style="width:' + Math.round(l.score * 120) + 'px"></span></td><td>' + esc(l.terms.join(', ')) + '</td></tr>';
    h += '</table><h2>Dépêches proches</h2><table><tr><th>score</th><th>id</th><th>date</th><th>titre</th><th>mots communs</th></tr>';
    for (const r of s.results) h += '<tr><td>' + r.score.toFixed(3) + '</td><td>' + esc(r.id) + '</td><td>' + esc(r.date) + '</td><td>' + esc(r.title) + '</td><td>' + esc(r.terms.slice(0, 8).join(', ')) + '</td></tr>';
    out.innerHTML = h + '</table>';
    document.getElementById('status').textContent = '';
  } catch (e) {
    out.innerHTML = '<p class="err">' + esc(e.message) + '</p>';
    document.getElementById('status').textContent = '';
  }
};
</script></body></html>
`
