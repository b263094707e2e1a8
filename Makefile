# hct: the two commands a newcomer needs are `make demo` and `make test`.
# Each sets up what it needs first: .venv (Python packages from uv.lock) and node_modules
# (front-end packages from package-lock.json), then the compiled stylesheet.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PORT ?= 8000

.PHONY: setup system-packages demo test bench load lint format serve clean

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv sync --frozen --python $(BIN)/python
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build/hct.css: node_modules/.installed assets/scss/hct.scss
	npm run --silent build:css

setup: $(VENV)/.installed node_modules/.installed build/hct.css

demo: setup
	$(BIN)/hct demo --port $(PORT)

# The system packages first (Chromium, PostgreSQL, Node, Pango): installed when run as root on
# Debian, else the one command to run is printed. npm is among them, so they come before setup.
test: system-packages
	$(MAKE) setup
	scripts/test.sh

system-packages:
	scripts/system-packages.sh

bench: setup
	$(BIN)/python -m bench $(NAME)

# A load test and fault drills on a throwaway PostgreSQL (load/run.py): 40 users, 2 minutes,
# a synthetic city of 10,000 people; LOAD_USERS, LOAD_SECONDS, LOAD_PEOPLE choose otherwise.
load: setup
	$(BIN)/python -m load

lint: setup
	$(BIN)/ruff format --check src tests bench load
	$(BIN)/ruff check src tests bench load
	$(BIN)/lint-imports
	$(BIN)/mypy src

format: setup
	$(BIN)/ruff format src tests bench load
	$(BIN)/ruff check --fix src tests bench load

clean:
	rm -rf $(VENV) node_modules build var/static
