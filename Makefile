# CaseReview: the two commands a new user needs are `make run` and `make test`.
# System packages (installed with apt-get when missing; you need root or sudo):
#   Pango (PDF generation with WeasyPrint) and Debian's chromium (browser tests).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# make test runs the suite on this many processes (pytest-xdist), one per core of the standard 2-core machine.
TEST_WORKERS ?= 2
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
export CASEREVIEW_DEMO_MODE ?= 1

.PHONY: run test lint check migrate demo worker system-deps browser-deps bench loadtest cluster-test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

system-deps:
	@if ! ldconfig -p | grep -q libpango-1.0; then \
	  echo "Installing Pango for PDF generation (apt-get)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation >/dev/null; \
	fi

browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for browser tests (apt-get)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null; \
	fi

migrate: $(STAMP) system-deps
	@mkdir -p var
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

# Web server and task worker together; Ctrl-C stops both.
run: demo
	$(PY) manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "CaseReview is running at http://127.0.0.1:8000"
	@echo "Demo sign-ins (password: demo, no two-factor in demo mode):"
	@echo "  manager, chair, dcs, scr-chair, perf-chair, reviewer, police-lead, csc-author, practitioner"
	@echo "Press Ctrl-C to stop."
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py run_worker & \
	  $(VENV)/bin/gunicorn casereview.wsgi --bind 127.0.0.1:8000 --workers 2 --threads 4 --access-logfile - & \
	  wait

worker: $(STAMP)
	$(PY) manage.py run_worker

lint: $(STAMP)
	$(VENV)/bin/ruff check casereview tests bench

test: $(STAMP) system-deps browser-deps lint
	$(PY) manage.py makemigrations --check --dry-run > /dev/null || (echo "Models changed without a migration: run manage.py makemigrations" && exit 1)
	CASEREVIEW_DEMO_MODE= $(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Speed and memory figures (see BENCHMARKS.md). Each bench/*_bench.py prints its own figures.
bench: $(STAMP) system-deps
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	@for script in bench/*_bench.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# 50 simulated users for 60 seconds against SQLite, then against PostgreSQL (installed and started if needed).
loadtest: $(STAMP) system-deps
	$(PY) bench/loadtest.py --database sqlite
	scripts/start-postgres.sh
	$(PY) bench/loadtest.py --database postgres

# Several machines: PostgreSQL and Redis (installed with apt-get and started if needed), two web nodes with
# separate var/ folders, two workers; the load test against both nodes, then a task queued through node A must
# run, and a worker killed mid-task must not lose its task. See docs/deploy.md ("More than one machine").
cluster-test: $(STAMP) system-deps
	scripts/start-postgres.sh
	scripts/start-redis.sh
	$(PY) bench/loadtest.py --cluster --users $(or $(CLUSTER_USERS),30) --seconds $(or $(CLUSTER_SECONDS),30)

clean:
	rm -rf $(VENV) var
