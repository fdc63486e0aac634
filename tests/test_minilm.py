"""The numpy MiniLM gives real sentence meaning (weights from `make` / scripts/fetch-minilm)."""
import numpy as np
import pytest

from bot.nlu.minilm import MiniLM
from bot.nlu.sentence_featurizer import DEFAULT_MODEL_DIR


@pytest.fixture(scope="module")
def model():
    assert (DEFAULT_MODEL_DIR / "model.safetensors").exists(), "run scripts/fetch-minilm"
    return MiniLM(DEFAULT_MODEL_DIR)


def test_matches_the_reference_model(model):
    # Similarities published by sentence-transformers for all-MiniLM-L6-v2: the numpy
    # port must reproduce the original model, not just something embedding-shaped.
    e = model.encode(["That is a happy person", "That is a happy dog",
                      "That is a very happy person", "Today is a sunny day"])
    assert np.allclose(e[0] @ e[1:].T, [0.6946, 0.9429, 0.2569], atol=2e-4)


def test_parent_paraphrases_are_closer_than_unrelated_messages(model):
    cost, price, numb = model.encode(["how much does it cost", "what is the price of the review",
                                      "her legs went numb"])
    assert cost @ price > cost @ numb + 0.3


def test_embeddings_are_unit_length_and_batch_independent(model):
    texts = ["hi", "my 12 yo has scoliosis and lives in 31201", "ok"]
    together = model.encode(texts, batch_size=3)
    alone = np.stack([model.encode([t])[0] for t in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-4)


def test_empty_input(model):
    assert model.encode([]).shape == (0, 384)
