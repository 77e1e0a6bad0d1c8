# One command for every check; .ci/run calls it too.
.PHONY: check lint test format

check: lint test

lint:
	ruff check cpdfolio tests
	ruff format --check cpdfolio tests

test:
	python -m pytest

format:
	ruff format cpdfolio tests
	ruff check --fix cpdfolio tests
