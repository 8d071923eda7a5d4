# Beauty Valley: two commands do everything on a fresh Debian machine with Python 3.11.
#   make run    create .venv (requirements.txt), build the warehouse if missing, start the dashboard
#   make test   create .venv (requirements-dev.txt), install Debian's chromium and the PDF libraries
#               (pango, DejaVu fonts) if missing, run `make lint`, then pytest
#   make lint   ruff check, sqlfluff lint (etl/sql, beautyvalley/sql), lint-imports (configs: pyproject.toml, .sqlfluff)
#   make build  (re)build data/beautyvalley.duckdb from data/ and data/inbox/
#   make bench  benchmarks (bench/run.py): prints a table and writes bench/out/results.md
#   make demo-staff  local OIDC provider + the dashboard with staff sign-in (README "Staff data desk")
#   make messages  add the t()/tn() keys new in the code to the message catalogues, untranslated (README "Architecture")
# The venv is refreshed whenever the requirements files or pyproject.toml change (stamp = their sha256);
# the project itself is installed editable (`pip install --no-deps -e .`: beautyvalley and etl importable anywhere).

SHELL      := /bin/bash
PYTHON     ?= python3
VENV       := .venv
VPY        := $(VENV)/bin/python
DB         := data/beautyvalley.duckdb
PORT       ?= 8501
# localhost only: with a wildcard address, headless Streamlit asks checkip.amazonaws.com for an
# "External URL" at start-up. `make run ADDRESS=0.0.0.0` serves the LAN (and does that lookup).
ADDRESS    ?= localhost
CHROMIUM   := /usr/bin/chromium
# Debian packages WeasyPrint needs for the territory brief (text layout, font subsetting, fonts)
PDF_DEBS   := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
PIP_FLAGS  := --disable-pip-version-check --no-input

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint build bench demo-staff messages venv venv-dev chromium pdf-deps clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    start the dashboard (creates .venv and the warehouse if needed)"
	@echo "make test   lint, then the whole test suite, browser tests included"
	@echo "make lint   ruff check, sqlfluff lint, import-linter contracts"
	@echo "make build  rebuild $(DB)"
	@echo "make bench  run the benchmarks (bench/out/results.md)"
	@echo "make demo-staff  staff sign-in demo: a local OIDC provider and the dashboard (users ada, eve)"
	@echo "make messages  new t()/tn() keys of the code into beautyvalley/locales/*/LC_MESSAGES/beautyvalley.po"

# --- virtual environment ------------------------------------------------------------
# $(call make_venv,<requirements file>,<stamp name>,<files hashed into the stamp>): create .venv if missing and
# (re)install when the sha256 of those files differs from .venv/.stamp-<name>; the project itself editable.
define make_venv
	@set -e; \
	want=$$(cat $(3) | sha256sum | cut -d' ' -f1); \
	have=$$(cat $(VENV)/.stamp-$(2) 2>/dev/null || true); \
	if [ ! -x $(VPY) ] || [ "$$want" != "$$have" ]; then \
	  echo ">> creating/refreshing $(VENV) from $(1)"; \
	  [ -x $(VPY) ] || $(PYTHON) -m venv $(VENV); \
	  $(VPY) -m pip install $(PIP_FLAGS) -q -r $(1); \
	  $(VPY) -m pip install $(PIP_FLAGS) -q --no-deps -e .; \
	  echo "$$want" > $(VENV)/.stamp-$(2); \
	  if [ $(2) = dev ]; then cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1 > $(VENV)/.stamp-run; fi; \
	fi
endef

# venv: runtime packages (requirements.txt). venv-dev: runtime + test packages (requirements-dev.txt includes
# requirements.txt); it also satisfies `venv`.
venv:
	$(call make_venv,requirements.txt,run,requirements.txt pyproject.toml)

venv-dev:
	$(call make_venv,requirements-dev.txt,dev,requirements.txt requirements-dev.txt pyproject.toml)

# Debian packages: $(call apt_install,<shell test that they are there>,<packages>) installs them
# with apt-get (as root, or through sudo) only when the test fails.
define apt_install
	@set -e; \
	if ! $(1); then \
	  echo ">> installing Debian's $(2)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	  else echo "missing $(2) and neither root nor sudo is available: apt-get install $(2)" >&2; exit 1; fi; \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y $(2); \
	fi
endef

# Debian's chromium for the browser tests (Playwright never downloads a browser here).
chromium:
	$(call apt_install,[ -x $(CHROMIUM) ],chromium)

# Pango and fonts for WeasyPrint (the territory brief PDF).
pdf-deps:
	$(call apt_install,dpkg -s $(PDF_DEBS) >/dev/null 2>&1,$(PDF_DEBS))

# --- warehouse -----------------------------------------------------------------------
$(DB): | venv
	$(VPY) -m etl build --db $(DB)

build: venv
	$(VPY) -m etl build --db $(DB)

# --- dashboard -----------------------------------------------------------------------
run: venv pdf-deps $(DB)
	@echo ">> Beauty Valley dashboard: http://$(ADDRESS):$(PORT)  (Ctrl+C to stop)"
	$(VPY) -m streamlit run dashboard.py --server.port $(PORT) --server.address $(ADDRESS) \
	  --server.headless true --browser.gatherUsageStats false

# Staff sign-in demo: oidc-provider-mock on a free port, a generated secrets file and allow-list in
# var/demo/ (git-ignored), then `streamlit run` with --secrets.files. STAFF_APP= runs another script.
STAFF_APP ?= dashboard.py
demo-staff: venv-dev
	$(VPY) -m beautyvalley.desk.demo --port $(PORT) --script $(STAFF_APP)

# --- tests and benchmarks ----------------------------------------------------------
# Habits (issue 10): lint rules in pyproject.toml ([tool.ruff], [tool.importlinter]) and .sqlfluff.
# `ruff format --check` is not enforced yet (one `ruff format` run lands at the end of the restructure).
lint: venv-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/sqlfluff lint etl/sql beautyvalley/sql
	$(VENV)/bin/lint-imports

test: venv-dev chromium pdf-deps lint
	$(VPY) -m pytest -q

bench: venv-dev chromium pdf-deps
	$(VPY) bench/run.py

# --- message catalogues (README, Architecture: "where a label lives") -------------------------
# pybabel extract reads the t("key") / tn("key", n) calls of the files babel.cfg names into build/beautyvalley.pot;
# i18n_tools update adds the keys the catalogues lack, untranslated, to every language (the strict test in
# tests/test_i18n.py fails until both texts are written). Not `pybabel update`: it would mark obsolete the keys
# built at run time (f"kind.{code}", column_label(c), ...). No compile step: the app reads the .po files (no .mo).
messages: venv-dev
	@mkdir -p build
	$(VENV)/bin/pybabel --quiet extract -F babel.cfg -k t -k tn:1,1 --no-default-keywords --no-location --omit-header \
	  -o build/beautyvalley.pot .
	$(VPY) -m beautyvalley.i18n_tools update build/beautyvalley.pot

clean:
	rm -rf tests/artifacts bench/out .pytest_cache
