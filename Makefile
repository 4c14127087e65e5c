# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format venv demo bench bench-quick clean system pages

# What `make run` needs from the system, as Debian names it (README, "Two commands").
# Checked by what is present, not by package name, so a machine that has the
# libraries from elsewhere is not refused.
LDCONFIG ?= /sbin/ldconfig
OCRMYPDF ?= ocrmypdf
TESSERACT ?= tesseract
APT_LINE := apt-get install python3-venv make libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libmagic1 tesseract-ocr-vie ocrmypdf

## Stop with the set-up line when a library official PDFs need is missing.
system:
	@missing=""; \
	$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || missing="$$missing python3-venv"; \
	for pair in libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
	            libharfbuzz-subset.so.0:libharfbuzz-subset0 libmagic.so.1:libmagic1; do \
	  $(LDCONFIG) -p 2>/dev/null | grep -q "$${pair%%:*}" || missing="$$missing $${pair##*:}"; \
	done; \
	$(TESSERACT) --list-langs 2>/dev/null | grep -qx vie || missing="$$missing tesseract-ocr-vie"; \
	command -v $(OCRMYPDF) >/dev/null 2>&1 || missing="$$missing ocrmypdf"; \
	if [ -n "$$missing" ]; then \
	  echo "Thiếu gói hệ thống:$$missing"; \
	  echo "Cài đặt bằng lệnh (quyền root): $(APT_LINE)"; \
	  exit 1; \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

venv: $(VENV)/.dev-deps

## Run the whole portal on the embedded defaults: SQLite, filesystem broker, e-mail to var/mail.
run: system $(VENV)/.run-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Cổng điều hành: http://127.0.0.1:8000  (Ctrl-C để dừng)"
	exec $(BIN)/honcho --no-prefix start -f Procfile

## Lint, then the whole test suite (SQLite by default; DATABASE_URL / CELERY_BROKER_URL switch engines).
test: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/bandit -c pyproject.toml -r . -q
	$(BIN)/pytest

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

demo: $(VENV)/.run-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo

## Every page over HTTP at the quick size, against PostgreSQL on 127.0.0.1 (bench/README.md):
## fails when a page is not 200 or makes more queries than bench/budgets.json allows.
bench-quick: $(VENV)/.dev-deps
	$(BIN)/python bench/run --quick

## Retake the pictures of every page (tests/e2e/pages.py) into docs/pages/, on the demo department:
## on a desktop screen (<name>.png) and on a phone, 390 x 844 (phone-<name>.png).
pages: $(VENV)/.dev-deps
	PAGES_DIR=docs/pages $(BIN)/pytest -q -p no:randomly tests/e2e/test_pages_gallery.py \
	  tests/e2e/test_phone.py::test_no_page_is_wider_than_a_phone

clean:
	rm -rf $(VENV) var
