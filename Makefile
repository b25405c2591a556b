# platform_portal: `make run` sets everything up and serves http://127.0.0.1:8000;
# `make test` sets up what the tests need and runs lint and the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
AXE := node_modules/axe-core/axe.min.js
MAKEMESSAGES := $(PY) manage.py makemessages -l ja --ignore=.venv --ignore=node_modules --ignore=var --no-location

.PHONY: help run test setup lint format messages messages-update migrate demo static bench check-deploy backup restore clean

help:
	@echo "make run              set up (system packages, venv, translations, database, demo data, demo staff) and serve on http://$(HOST):$(PORT) with the background worker"
	@echo "make test             set up for tests, then ruff, mypy, the migrations check and the whole pytest suite (browser tests included)"
	@echo "make bench            serve with gunicorn and measure bench/targets.txt with wrk (BENCH_ARGS='--seconds 30')"
	@echo "make messages-update  extract new msgids into locale/ja/LC_MESSAGES/django.po (then translate them)"
	@echo "make check-deploy     manage.py check --deploy in production mode with dummy secrets"
	@echo "make backup / restore PostgreSQL dump + media archive (see README.md, Backup and restore)"

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $(STAMP)

setup: $(STAMP) messages

messages: $(STAMP)
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

messages-update: $(STAMP)
	$(MAKEMESSAGES)
	@msgfmt --statistics -o /dev/null locale/ja/LC_MESSAGES/django.po

migrate: setup
	@$(PY) manage.py migrate --no-input -v 0

demo: migrate
	@$(PY) manage.py load_demo

static: setup
	@$(PY) manage.py collectstatic --no-input -v 0

# Links in the mails the demo sends (invitations) point at the address being served.
run: export PORTAL_URL ?= http://$(HOST):$(PORT)
run:
	@bash .ci/system-packages run
	@$(MAKE) --no-print-directory demo
	@echo "------------------------------------------------------------------"
	@$(PY) manage.py demo_staff --url http://$(HOST):$(PORT)/admin/
	@$(PY) manage.py demo_member --url http://$(HOST):$(PORT)/accounts/login/
	@echo "Portal: http://$(HOST):$(PORT)/   (the background worker runs beside it; stop both with Ctrl+C)"
	@echo "------------------------------------------------------------------"
	@bash .ci/serve $(PY) $(HOST):$(PORT)

$(AXE): package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: browser tests will be skipped (REQUIRE_BROWSER=1 makes that an error)"; fi

test:
	@bash .ci/system-packages test
	@$(MAKE) --no-print-directory setup $(AXE)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check-deploy: setup
	DJANGO_ENV=production DJANGO_SECRET_KEY=dummy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	DJANGO_ALLOWED_HOSTS=portal.example.jp CACHE_URL=redis://127.0.0.1:6379/1 \
	$(PY) manage.py check --deploy --fail-level WARNING

bench:
	@bash .ci/system-packages bench
	@$(MAKE) --no-print-directory demo static
	$(PY) bench/run.py $(BENCH_ARGS)

backup: setup
	@bash .ci/backup $(BACKUP_DIR)

restore: setup
	@bash .ci/restore $(BACKUP)

clean:
	rm -rf $(VENV) var node_modules
