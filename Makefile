# platform_portal: `make run` sets everything up and serves http://127.0.0.1:8000;
# `make test` sets up what the tests need and runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint messages migrate demo serve bench check-deploy clean help

help:
	@echo "make run    - set up (system packages, venv, translations, database, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "make test   - set up for tests and run lint and the whole test suite (browser tests included)"
	@echo "make bench  - serve with gunicorn and measure pages with wrk (see bench/README.md)"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: setup
	$(PY) manage.py migrate --no-input -v 0

demo: migrate
	$(PY) manage.py load_demo

run:
	@bash .ci/system-packages run
	@$(MAKE) --no-print-directory demo
	@echo "------------------------------------------------------------------"
	@$(PY) manage.py demo_staff
	@echo "Portal: http://$(HOST):$(PORT)/   (stop with Ctrl+C)"
	@echo "------------------------------------------------------------------"
	$(PY) manage.py runserver $(HOST):$(PORT)

node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent && touch $@; else echo "npm not found: accessibility checks will be skipped"; fi

test:
	@bash .ci/system-packages test
	@$(MAKE) --no-print-directory setup node_modules/axe-core/axe.min.js
	$(BIN)/ruff check .
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-deploy: setup
	DJANGO_ENV=production DJANGO_SECRET_KEY=dummy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	DJANGO_ALLOWED_HOSTS=portal.example.jp CACHE_URL=redis://127.0.0.1:6379/1 \
	$(PY) manage.py check --deploy --fail-level WARNING

bench:
	@bash .ci/system-packages bench
	@$(MAKE) --no-print-directory migrate
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var node_modules
