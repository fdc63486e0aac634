"""Rasa's SVM intent classifier on the MiniLM sentence embeddings, made repeatable.

Measured on our data (5-fold, macro-F1): SVM on MiniLM embeddings 0.89 vs DIET with
the same embeddings plus character n-grams 0.76. The stock component seeds nothing,
so the SVM's probability calibration (and with it, the fallback) varied run to run.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.sklearn_intent_classifier import SklearnIntentClassifier

RANDOM_SEED = 42


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class SeededSklearnIntentClassifier(SklearnIntentClassifier):
    def _create_classifier(self, num_threads: int, y: np.ndarray) -> Any:
        search = super()._create_classifier(num_threads, y)
        search.estimator.set_params(random_state=RANDOM_SEED)
        search.verbose = 0
        return search
