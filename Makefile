# antt_portal — the two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
DEMO_PASSWORD ?= antt2026

# The development defaults (SQLite, file-system broker, mails under var/mail) need DEBUG on;
# production sets SECRET_KEY and DEBUG=0 itself.
export DEBUG ?= 1

.PHONY: run test lint format install migrate demo messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo --password "$(DEMO_PASSWORD)"

run: demo
	@echo
	@echo "  antt_portal: http://127.0.0.1:8000   (admin: http://127.0.0.1:8000/admin/)"
	@echo "  Demo logins: the table above, every password: $(DEMO_PASSWORD)"
	@echo "  Mails are written to $(or $(VAR_DIR),var)/mail/ unless EMAIL_URL is set."
	@echo
	@# Ctrl-C stops honcho with status 130 or 143 (SIGINT/SIGTERM to its processes): a normal stop.
	$(BIN)/honcho start -f Procfile; status=$$?; \
	  if [ $$status -eq 130 ] || [ $$status -eq 143 ]; then echo "antt_portal stopped."; exit 0; fi; \
	  exit $$status

test: install
	@# One pytest worker per core (pytest-xdist); each worker has its own test database.
	$(BIN)/pytest -n auto

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	$(BIN)/python manage.py makemessages -l vi -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
