"""The human query page at / (self-contained: no CDN, the endpoint may run offline).

Saved questions get one field per parameter (from the catalogue headers: dates as date pickers,
kinds as a list, actors with suggestions), the page shows the SPARQL each one runs (editable,
re-runnable), and results show labels instead of raw IRIs (the IRI stays in the tooltip)."""
from __future__ import annotations

import json
from functools import lru_cache

from stancegraph.ontology.vocab import ID_IRI, RDFS, SCHEMA, SG_IRI, SKOS

_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>stancegraph SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#222}
textarea{width:100%;height:13rem;font-family:monospace;font-size:0.85rem}
table{border-collapse:collapse;margin-top:1rem;font-size:0.9rem}
td,th{border:1px solid #ccc;padding:0.3rem 0.5rem;vertical-align:top;text-align:left}
th{background:#eef}#status{color:#555;margin-left:1rem}
fieldset{border:1px solid #ccd;margin:0.8rem 0;padding:0.6rem 0.8rem}
label{display:inline-block;margin:0.2rem 1.2rem 0.2rem 0}label small{color:#666}
.iri{color:#555;font-size:0.8rem}#question{color:#444;font-style:italic}
</style></head>
<body>
<h1>stancegraph SPARQL endpoint</h1>
<p>SPARQL 1.1 at <code>/sparql</code> (read-only) &middot; saved questions at
<a href="/queries"><code>/queries</code></a>, e.g.
<a href="/queries/refused-troops?format=csv"><code>/queries/refused-troops</code></a>.</p>
<label>Saved question <select id="saved"><option value="">— write your own SPARQL —</option></select></label>
<p id="question"></p>
<fieldset id="params" hidden><legend>Parameters</legend><div id="fields"></div>
<button id="ask">Ask</button></fieldset>
<p><label for="q">SPARQL that runs</label> <a id="link" href="">link to this question</a></p>
<textarea id="q" spellcheck="false"></textarea>
<p><button id="run">Run this SPARQL</button>
<label><input type="checkbox" id="raw"> show IRIs</label><span id="status"></span></p>
<div id="out"></div>
<datalist id="actors"></datalist>
<script>
const NS = __PREFIXES__;
const $ = id => document.getElementById(id);
const out = $('out'), status = $('status');
const PROLOGUE = Object.entries(NS).map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join('\\n');
$('q').value = PROLOGUE + `
SELECT ?actor ?relation ?kind (COUNT(?c) AS ?claims) WHERE {
  ?c sg:actor ?actor ; sg:relation ?relation ; sg:object ?kind .
  FILTER (?relation != sg:states)
} GROUP BY ?actor ?relation ?kind ORDER BY DESC(?claims) LIMIT 50`;
let catalogue = [], labels = new Map(), last = null;

async function select(query) {
  const r = await fetch('/sparql', {method: 'POST', body: query, headers: {
    'Content-Type': 'application/sparql-query', 'Accept': 'application/sparql-results+json'}});
  if (!r.ok) throw new Error(r.status + ': ' + await r.text());
  return r.json();
}
function compact(iri) {
  for (const [p, ns] of Object.entries(NS)) if (iri.startsWith(ns) && iri.length > ns.length)
    return p + ':' + iri.slice(ns.length);
  return iri;
}
async function fetchLabels(iris) {
  const todo = [...iris].filter(i => !labels.has(i) && !/[<>"{}|^`\\\\\\s]/.test(i));
  for (let i = 0; i < todo.length; i += 200) {
    const values = todo.slice(i, i + 200).map(x => `<${x}>`).join(' ');
    const json = await select(PROLOGUE + `
SELECT ?s (SAMPLE(?l) AS ?label) WHERE { VALUES ?s { ${values} }
  ?s skos:prefLabel|rdfs:label|schema:name|schema:headline ?l .
  FILTER (LANG(?l) = "" || LANGMATCHES(LANG(?l), "en")) } GROUP BY ?s`);
    json.results.bindings.forEach(b => labels.set(b.s.value, b.label.value));
    todo.slice(i, i + 200).forEach(x => { if (!labels.has(x)) labels.set(x, null); });
  }
}
function cell(row, term) {
  const td = row.insertCell();
  if (!term) return;
  if (term.type === 'uri' && !$('raw').checked) {
    const label = labels.get(term.value);
    td.textContent = label || compact(term.value);
    td.title = term.value;
    if (!label && /^https?:/.test(term.value) && compact(term.value) === term.value) {
      const a = document.createElement('a'); a.href = term.value; a.textContent = term.value;
      a.rel = 'noreferrer'; td.replaceChildren(a);
    }
  } else td.textContent = term.value;
}
function show(json) {
  last = json;
  if (json.boolean !== undefined) { out.textContent = 'ASK: ' + json.boolean; status.textContent = ''; return; }
  const vars = json.head.vars, t = document.createElement('table'), h = t.insertRow();
  vars.forEach(v => { const th = document.createElement('th'); th.textContent = v; h.appendChild(th); });
  json.results.bindings.forEach(b => { const r = t.insertRow(); vars.forEach(v => cell(r, b[v])); });
  out.replaceChildren(t); status.textContent = json.results.bindings.length + ' rows';
}
async function run(query) {
  status.textContent = 'running…';
  try {
    const json = await select(query);
    if (json.results) {
      const iris = new Set();
      json.results.bindings.forEach(b => Object.values(b).forEach(t => { if (t.type === 'uri') iris.add(t.value); }));
      await fetchLabels(iris).catch(() => {});
    }
    show(json);
  } catch (e) { status.textContent = e.message; }
}
function field(p) {
  const label = document.createElement('label'), input = document.createElement(p.type === 'kind' ? 'select' : 'input');
  input.name = p.name; input.id = 'p-' + p.name;
  if (p.type === 'date') input.type = 'date';
  else if (p.type === 'int') { input.type = 'number'; input.step = '1'; }
  else if (['number', 'float', 'confidence'].includes(p.type) || p.name === 'min_confidence') {
    input.type = 'number'; input.step = '0.05'; input.min = '0'; input.max = '1'; }
  else if (p.type === 'actor') input.setAttribute('list', 'actors');
  if (p.type === 'kind') kinds.then(list => {
    if (!p.required) input.add(new Option('(default' + (p.default ? ': ' + p.default : '') + ')', ''));
    list.forEach(([value, text]) => input.add(new Option(text, value)));
  });
  else if (p.default) input.placeholder = p.default;
  label.append(p.name + (p.required ? ' *' : '') + ' ', input, ' ');
  const hint = document.createElement('small'); hint.textContent = p.description; label.append(hint);
  return label;
}
function bound(q) {
  const params = new URLSearchParams();
  q.parameters.forEach(p => { const v = $('p-' + p.name).value.trim(); if (v) params.set(p.name, v); });
  return params;
}
async function ask() {
  const q = catalogue.find(x => x.name === $('saved').value);
  const r = await fetch('/queries/' + q.name + '?' + bound(q), {headers: {'Accept': 'application/sparql-query'}});
  const text = await r.text();
  if (!r.ok) { status.textContent = r.status + ': ' + text; return; }
  $('q').value = text;
  $('link').href = '/?' + new URLSearchParams([['ask', q.name], ...bound(q)]);
  run(text);
}
const kinds = select(PROLOGUE + `SELECT ?k ?label WHERE { ?k a sg:CommitmentKind ; skos:prefLabel ?label .
  FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) } ORDER BY ?label`)
  .then(j => j.results.bindings.map(b => [compact(b.k.value).replace(/^sg:/, ''), b.label.value]))
  .catch(() => []);
select(PROLOGUE + `SELECT DISTINCT ?label WHERE { ?a a sg:Actor ; skos:prefLabel ?label .
  FILTER (LANG(?label) = "" || LANGMATCHES(LANG(?label), "en")) } ORDER BY ?label`)
  .then(j => j.results.bindings.forEach(b => $('actors').append(new Option(b.label.value))))
  .catch(() => {});
function choose() {
  const q = catalogue.find(x => x.name === $('saved').value);
  $('params').hidden = !q; $('question').textContent = q ? q.question : '';
  $('fields').replaceChildren(...(q ? q.parameters.map(field) : []));
  return q;
}
fetch('/queries').then(r => r.json()).then(async list => {
  catalogue = list;
  list.forEach(q => $('saved').add(new Option(q.title, q.name)));
  const link = new URLSearchParams(location.search);   // /?ask=NAME&param=value: a shareable question
  if (link.get('ask') && catalogue.some(x => x.name === link.get('ask'))) {
    $('saved').value = link.get('ask');
    const q = choose();
    await kinds;
    q.parameters.forEach(p => { if (link.has(p.name)) $('p-' + p.name).value = link.get(p.name); });
    ask();
  } else if (link.get('query')) {                      // /?query=SPARQL: run it
    $('q').value = link.get('query');
    run(link.get('query'));
  }
});
$('saved').onchange = () => {
  const q = choose();
  if (q && !q.parameters.some(p => p.required)) ask();
};
$('ask').onclick = ask;
$('run').onclick = () => run($('q').value);
$('raw').onchange = () => last && show(last);
</script>
</body></html>
"""


@lru_cache(maxsize=1)
def query_page() -> bytes:
    prefixes = {"sg": SG_IRI, "sgid": ID_IRI, "skos": str(SKOS), "rdfs": str(RDFS),
                "schema": str(SCHEMA)}
    return _HTML.replace("__PREFIXES__", json.dumps(prefixes)).encode("utf-8")
