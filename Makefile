# Bravo: `make demo` plays the offline demo, `make test` runs every check.
# Each target creates .venv and installs what it needs on first use.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.bravo-installed

.PHONY: install demo test run lint bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Bravo needs Python 3.11 or newer (python3.11+ on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/bravo demo

test: $(STAMP)
	$(BIN)/ruff check bot handlers storage tests bench
	$(BIN)/ruff format --check bot handlers storage tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

run: $(STAMP)
	$(BIN)/bravo run $(ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.ack_latency
	$(BIN)/python -m bench.leaderboard
	$(BIN)/python -m bench.shoutouts
	$(BIN)/python -m bench.checkins --second none
	$(BIN)/python -m bench.crash
	$(BIN)/python -m bench.home
	$(BIN)/python -m bench.ratings
	$(BIN)/python -m bench.profile
	$(BIN)/python -m bench.learning

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
