# stancegraph — every set-up step lives here; the virtualenv is .venv/ at the repository root.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SHARED ?= ../shared
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test chromium fuzz eval bench bench-scale neo4j-up neo4j-down neo4j-status neo4j-cds fuseki-up fuseki-down fuseki-status browser-shot report-shot clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

## The main job on the embedded store: load the bundled samples, validate, answer a question.
## The demo's store lives in the checkout (var/, git-ignored), never in the user's own store.
DEMO_STORE ?= var/demo-store
demo: install
	$(BIN)/stancegraph load examples/ --store $(DEMO_STORE)
	$(BIN)/stancegraph validate --store $(DEMO_STORE)
	$(BIN)/stancegraph ask "which countries refused troops?" --store $(DEMO_STORE)

## The whole test suite, Neo4j included (a local Neo4j is assembled from Maven if needed).
## The one browser test needs Chromium: installed from Debian's packages when it is missing and
## this user may (root with apt-get); else that test is skipped locally and fails under CI=true.
test: install chromium
	$(BIN)/python -m pytest

chromium:
	@command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	       && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1; } \
	  || echo "make: no Chromium, and it cannot be installed here: the browser test is skipped (fails under CI=true)"

## The fuzz suite's long run: many more generated bad inputs than `make test` tries (seeded;
## FUZZ_SEED and FUZZ_SCALE choose the run).
FUZZ_SEED ?= 20250901
FUZZ_SCALE ?= 10
fuzz: install
	STANCEGRAPH_FUZZ_SEED=$(FUZZ_SEED) STANCEGRAPH_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/python -m pytest tests/fuzz -q

## Extraction quality on every corpus with gold facts under $(SHARED)/corpus/; with
## REVIEWS=file (`stancegraph review export -o file`) the review decisions are scored as gold too.
eval: install
	$(BIN)/python -m stancegraph.eval --shared $(SHARED) --report reports/eval.json $(if $(REVIEWS),--reviews $(REVIEWS))

## Benchmarks, printed as ratios against baselines measured in the same run.
bench: install
	$(BIN)/python bench/run.py

## Load, queries, validate and Neo4j sync on generated articles at 1k and 10k (SCALE_SIZES=1000,10000,100000
## for the big row), each beside a baseline of the same run; table in reports/bench-scale.md.
bench-scale: install
	$(BIN)/python bench/scale.py

NEO4JCTL = $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) docker/neo4j-local/neo4jctl.py

## A local Neo4j 5.26 without Docker, assembled from Maven Central: eval "$$(make -s neo4j-up)"
neo4j-up:
	@$(NEO4JCTL) up

neo4j-down:
	@$(NEO4JCTL) down

neo4j-status:
	@$(NEO4JCTL) status

## Once (~40 s): a class-data archive that makes later Neo4j starts ~2 s faster.
neo4j-cds:
	@$(NEO4JCTL) cds

FUSEKICTL = $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) docker/fuseki-local/fusekictl.py

## A local Apache Jena Fuseki 5.6 from Maven Central, as a remote store: eval "$$(make -s fuseki-up)"
## then stancegraph load --store "$$FUSEKI_URL" ...  (credentials in STANCEGRAPH_STORE_USER/_PASSWORD)
fuseki-up:
	@$(FUSEKICTL) up

fuseki-down:
	@$(FUSEKICTL) down

fuseki-status:
	@$(FUSEKICTL) status

## Neo4j Browser in headless Chromium (Debian package), styled graph saved as docs/neo4j-browser.png
browser-shot: install chromium
	$(BIN)/python -m pip install -q -e ".[browser]"
	$(BIN)/python docker/neo4j-browser/shot.py

## `stancegraph report` on examples/ and the dev corpus in headless Chromium -> docs/report.png
report-shot: install chromium
	$(BIN)/python -m pip install -q -e ".[browser]"
	$(BIN)/python -m stancegraph.publish.shot

clean:
	rm -rf $(VENV) build *.egg-info reports var
