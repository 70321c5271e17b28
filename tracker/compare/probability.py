"""The pair model: a logistic regression over the evidence rows, shipped as a data file.

``tracker/data/matcher_model.json`` holds the feature names, the standardisation (mean and
scale of each feature on the training pairs), the weights and the intercept, the threshold
chosen for precision, the restatement bar (a claim whose partner is taken still joins it at
this probability; absent in model files fitted before it: never), and where it came from
(``benchmarks/fit_matcher.py`` writes it from the labelled pairs of the training split). A
logistic model is small enough to read: each weight says how much one signal moves the
log-odds of a right pair (the same specific subject: the same position, or another assertion
on it), and its probabilities were checked for calibration on the frozen test split
(docs/design.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from tracker.errors import TrackerError


@dataclass(frozen=True)
class PairModel:
    """A fitted logistic model of P(two claims are about the same specific subject)."""

    version: str
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    intercept: float
    threshold: float  # report a pair at or above this probability
    meta: dict[str, Any]
    # A claim whose best partner is taken joins that pair (a split or merge) at or above this.
    restatement: float = math.inf

    def probability(self, matrix: np.ndarray, columns: Sequence[str]) -> np.ndarray:
        """Match probability of each row of ``matrix``, whose columns are named ``columns``.

        The model reads the columns it was fitted on, by name, so that the evidence can grow
        new columns without breaking a model file fitted before them.
        """
        try:
            picked = [columns.index(name) for name in self.features]
        except ValueError as exc:
            raise TrackerError(f"matcher model {self.version}: unknown feature ({exc})") from None
        z = ((matrix[:, picked] - self.mean) / self.scale) @ self.weights + self.intercept
        out: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
        return out

    def to_json(self) -> dict[str, Any]:
        """The data-file form of the model."""
        return {
            "version": self.version,
            "features": list(self.features),
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "weights": [round(float(x), 6) for x in self.weights],
            "intercept": round(float(self.intercept), 6),
            "threshold": self.threshold,
            **({"restatement": self.restatement} if math.isfinite(self.restatement) else {}),
            "meta": self.meta,
        }


def model_from_json(data: dict[str, Any]) -> PairModel:
    """Build a model from its data-file form."""
    return PairModel(
        version=str(data["version"]),
        features=tuple(data["features"]),
        mean=np.asarray(data["mean"], dtype=np.float64),
        scale=np.asarray(data["scale"], dtype=np.float64),
        weights=np.asarray(data["weights"], dtype=np.float64),
        intercept=float(data["intercept"]),
        threshold=float(data["threshold"]),
        meta=dict(data.get("meta", {})),
        restatement=float(data.get("restatement", math.inf)),
    )


def load_model(path: Path) -> PairModel:
    """Read a model file; a broken one is a one-line error naming the file."""
    try:
        return model_from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise TrackerError(f"{path}: not a matcher model ({exc})") from None


MODEL_FILES = {False: "matcher_model.json", True: "matcher_model_semantic.json"}


@lru_cache(maxsize=2)
def shipped_model(semantic: bool = False) -> PairModel:
    """The model shipped with the package (read once per process): the lexical one, or with
    ``semantic`` the one fitted with the sentence-embedding column as well."""
    name = MODEL_FILES[semantic]
    text = resources.files("tracker.data").joinpath(name).read_text("utf-8")
    return model_from_json(json.loads(text))
