# mo-docs: `make run` and `make test` work on a fresh machine; everything they need
# is installed here, never by hand.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test bench bench-region demo docs images clean system-deps npm-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/mo-docs run

system-deps:
	@scripts/system-deps.sh

npm-deps:
	@scripts/npm-deps.sh

test: $(STAMP) system-deps npm-deps
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench

bench-region: $(STAMP) system-deps
	$(PY) -m bench.region

demo: $(STAMP)
	$(PY) -m service.demo_data demo/workbooks

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

docs: $(STAMP)
	$(PY) -m service.readme_tables

images: $(STAMP) system-deps npm-deps
	$(PY) scripts/readme_images.py
	MO_DOCS_UPDATE_SCREENSHOTS=1 $(PY) -m pytest -q tests/browser tests/addon/test_sidebar.py
