# One command for every check; .ci/run calls it too.
.PHONY: check lint test format

check: lint test

lint:
	ruff check cpdfolio tests benchmarks
	ruff format --check cpdfolio tests benchmarks

test:
	python -m pytest

format:
	ruff format cpdfolio tests benchmarks
	ruff check --fix cpdfolio tests benchmarks
