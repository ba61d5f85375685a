"""The human query page at / (self-contained: no CDN, the endpoint may run offline)."""

QUERY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>stancegraph SPARQL</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}
textarea{width:100%;height:14rem;font-family:monospace;font-size:0.9rem}
table{border-collapse:collapse;margin-top:1rem;font-size:0.9rem}
td,th{border:1px solid #ccc;padding:0.3rem 0.5rem;vertical-align:top;text-align:left}
th{background:#eef}#status{color:#555;margin-left:1rem}
</style></head>
<body>
<h1>stancegraph SPARQL endpoint</h1>
<p>SPARQL 1.1 at <code>/sparql</code> (read-only) &middot; saved questions at
<a href="/queries"><code>/queries</code></a>, e.g.
<a href="/queries/refused-troops?format=csv"><code>/queries/refused-troops</code></a>.</p>
<select id="saved"><option value="">— a saved question —</option></select>
<textarea id="q">PREFIX sg: &lt;https://w3id.org/stancegraph/ns#&gt;
PREFIX skos: &lt;http://www.w3.org/2004/02/skos/core#&gt;
SELECT ?actor ?relation ?kind (COUNT(?c) AS ?claims) WHERE {
  ?c sg:actor ?a ; sg:relation ?relation ; sg:object ?kind .
  ?a skos:prefLabel ?actor .
  FILTER (?relation != sg:states)
} GROUP BY ?actor ?relation ?kind ORDER BY DESC(?claims) LIMIT 50</textarea>
<button id="run">Run</button><span id="status"></span>
<div id="out"></div>
<script>
const out = document.getElementById('out'), status = document.getElementById('status');
function show(json) {
  if (json.boolean !== undefined) { out.textContent = 'ASK: ' + json.boolean; return; }
  const vars = json.head.vars, t = document.createElement('table'), h = t.insertRow();
  vars.forEach(v => { const th = document.createElement('th'); th.textContent = v; h.appendChild(th); });
  json.results.bindings.forEach(b => { const r = t.insertRow();
    vars.forEach(v => { r.insertCell().textContent = b[v] ? b[v].value : ''; }); });
  out.replaceChildren(t); status.textContent = json.results.bindings.length + ' rows';
}
async function run(url, init) {
  status.textContent = 'running…';
  const r = await fetch(url, init);
  if (!r.ok) { status.textContent = r.status + ': ' + await r.text(); return; }
  show(await r.json());
}
document.getElementById('run').onclick = () => run('/sparql', {method: 'POST',
  headers: {'Content-Type': 'application/sparql-query', 'Accept': 'application/sparql-results+json'},
  body: document.getElementById('q').value});
fetch('/queries').then(r => r.json()).then(list => {
  const s = document.getElementById('saved');
  list.forEach(q => { const o = document.createElement('option'); o.value = q.name;
    o.textContent = q.title; s.appendChild(o); });
  s.onchange = () => s.value && run('/queries/' + s.value, {headers: {'Accept': 'application/sparql-results+json'}});
});
</script>
</body></html>
"""
