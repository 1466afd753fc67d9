# The two commands a new user needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is a local, single-machine install: debug on unless the caller says otherwise.
export DEBUG ?= 1

.PHONY: run test lint format typecheck bench-ingestion bench-extraction bench-timeline install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Local defaults for every command of this checkout, typed by hand or not (read by the settings;
# git-ignored). Written once: a key generated here keeps sessions valid across restarts.
.env:
	@printf '# Written by `make run` for this local checkout; never used in production.\nDEBUG=1\nSECRET_KEY=%s\n' \
		"$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env
	@echo "Wrote .env (DEBUG=1 and a generated SECRET_KEY) for manage.py commands in this checkout."

run: $(STAMP) .env
	@$(BIN)/python manage.py migrate --no-input -v 0
	@$(BIN)/python manage.py load_demo
	@echo ""
	@echo "  Reader pages:     http://$(HOST):$(PORT)/"
	@echo "  Editors' desk:    http://$(HOST):$(PORT)/admin/  (review queues, submit a report)"
	@echo "  Review queue:     http://$(HOST):$(PORT)/admin/timeline/event/review/"
	@echo "  Submit a report:  http://$(HOST):$(PORT)/admin/timeline/ingestion/submit/"
	@echo "  API docs:         http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	@echo "  Create an editor account (asks for a password):"
	@echo "    $(BIN)/python manage.py createeditor YOUR_NAME"
	@echo "  Give that editor an API token (send it as 'Authorization: Token <key>'):"
	@echo "    $(BIN)/python manage.py apitoken YOUR_NAME"
	@echo ""
	@if [ -n "$$CELERY_BROKER_URL" ]; then \
		echo "Broker configured: starting a Celery worker and beat next to the web server."; \
		$(BIN)/celery -A tracker worker -B -Q default,ingestion --loglevel=INFO --concurrency=2 & \
		worker_pid=$$!; trap 'kill $$worker_pid' EXIT INT TERM; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT); \
	else \
		echo "No CELERY_BROKER_URL: ingestion tasks run in-process."; \
		$(BIN)/python manage.py runserver $(HOST):$(PORT); \
	fi

test: $(STAMP)
	DEBUG=0 SECRET_KEY=test-only-secret-not-for-production-0123456789abcdefghij $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	DEBUG=1 $(BIN)/mypy

bench-ingestion: $(STAMP)
	$(BIN)/python manage.py bench_ingestion

bench-extraction: $(STAMP)
	$(BIN)/python manage.py bench_extraction

bench-timeline: $(STAMP)
	$(BIN)/python manage.py bench_timeline

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache .mypy_cache test-artifacts
