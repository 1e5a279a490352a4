# akhbar — the two commands: `make demo` (run the main job on the bundled examples) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DB     ?= akhbar.db

.PHONY: install demo test lint bench bench-scale models clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(VENV)/.installed-base $@

# The demo needs the package alone (no test tools, Spark or browsers).
$(VENV)/.installed-base: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	touch $@

demo: $(VENV)/.installed-base
	@echo "── akhbar ingest examples/ (one line of examples/jsonl is broken on purpose: it is reported, kept as a failure"
	@echo "   and counted; the run goes on) ──"
	$(BIN)/akhbar ingest examples/textpages examples/html examples/feeds examples/jsonl examples/warc/news.warc.gz --db $(DB)
	@echo; echo "── akhbar show (an article found by search) ──"
	$(BIN)/akhbar show $$($(BIN)/akhbar search "فوستوتشني" --db $(DB) --json -n 1 | $(BIN)/python -c "import json,sys; print(json.loads(sys.stdin.readline())['id'])") --db $(DB)
	@echo; echo "── akhbar search 'بيونغ يانغ' ──"
	$(BIN)/akhbar search "بيونغ يانغ" --db $(DB) -n 3
	@echo; echo "── akhbar entity pyongyang (every spelling, one entity) ──"
	$(BIN)/akhbar entity pyongyang --db $(DB)
	@echo; echo "── akhbar search 'Kim Jong Un' (a Latin name finds Arabic spellings) ──"
	$(BIN)/akhbar search "Kim Jong Un" --db $(DB) -n 3
	@echo; echo "── akhbar duplicates (one report in several outlets) ──"
	$(BIN)/akhbar duplicates --db $(DB) -n 3
	@echo; echo "── akhbar stories (the same event across outlets and days) ──"
	$(BIN)/akhbar stories --db $(DB) -n 5
	@echo; echo "── akhbar stats ──"
	$(BIN)/akhbar stats --db $(DB)
	@echo; echo "── akhbar serve: the REST API and the web reader ──"
	@echo; echo "── the akhbar command is $(BIN)/akhbar (or run: . $(BIN)/activate, then akhbar --help) ──"
	@if [ -t 0 ] && [ -z "$$CI" ]; then \
		$(BIN)/akhbar serve --db $(DB); \
	else \
		$(BIN)/akhbar serve --db $(DB) --check; \
	fi

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/mypy

bench: install
	$(BIN)/python -m pip install -q -e ".[dev,bench]"
	$(BIN)/python bench/arabic.py
	$(BIN)/python bench/dates.py
	$(BIN)/python bench/dates_heldout.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/ner.py
	$(BIN)/python bench/translit.py
	$(BIN)/python bench/entities.py
	$(BIN)/python bench/tags.py
	$(BIN)/python bench/tags.py --judged
	$(BIN)/python bench/duplicates.py --peer
	$(BIN)/python bench/related.py
	$(BIN)/python bench/events.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/stories.py --baseline

# Scale (hours at 1M articles; see bench/scale.py): Spark local[2] vs one process, then SQLite grown to 1M articles.
# PostgreSQL: $(BIN)/python bench/scale.py grow --store postgresql --pg postgresql://USER:PASS@127.0.0.1/DB
bench-scale: install
	$(BIN)/python bench/scale.py spark
	$(BIN)/python bench/scale.py grow --store sqlite --sizes 30000,100000,1000000
	$(BIN)/python bench/search_scale.py --sizes 30000,100000,1000000 --queries 60

# Rebuild the shipped lists and the NER model from ../shared/data (see src/akhbar/models/PROVENANCE.md).
models: install
	$(BIN)/python -m pip install -q -e ".[dev,models]"
	$(BIN)/python tools/build_protected_names.py
	$(BIN)/python tools/build_translit.py
	$(BIN)/python tools/build_ner_gazetteer.py
	$(BIN)/python tools/build_ner_clusters.py
	$(BIN)/python tools/build_ner_brown.py
	$(BIN)/python tools/build_term_df.py
	$(BIN)/python tools/build_news_names.py
	$(BIN)/akhbar ner train --data ../shared/data/anercorp/train.txt --out src/akhbar/models/ner.crfsuite --dev-fraction 0.1

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm .pytest_cache .mypy_cache .ruff_cache
