"""keras.ops.ctc_decode(strategy="beam_search"): numbers from Keras 3.15 on TF 2.21."""

import numpy as np
import pytest

from tork import keras
from tork._backend.errors import InvalidArgumentError


def _inputs():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 6, 5)).astype("float32") * 2
    return x, np.array([6, 4, 2], "int32")


@pytest.mark.parametrize(
    "kwargs, paths, scores",
    [
        (
            {},
            [[[2, 1, 4, 1, 4, -1], [3, 4, 1, 2, -1, -1], [2, 1, -1, -1, -1, -1]]],
            [[-2.7432], [-2.6212], [-0.652]],
        ),
        (
            {"mask_index": 2},
            [[[1, 4, 1, 4, -1, -1], [3, 4, 1, -1, -1, -1], [1, -1, -1, -1, -1, -1]]],
            [[-2.9125], [-2.1095], [-0.6473]],
        ),
        (
            {"mask_index": None},
            [[[2, 1, 1, -1, -1, -1], [3, 2, -1, -1, -1, -1], [2, 1, -1, -1, -1, -1]]],
            [[-2.8438], [-2.1509], [-0.652]],
        ),
        (
            {"mask_index": 4},
            [[[2, 1, 1, -1, -1, -1], [3, 2, -1, -1, -1, -1], [2, 1, -1, -1, -1, -1]]],
            [[-2.8438], [-2.1509], [-0.652]],
        ),
        (
            {"top_paths": 3, "beam_width": 4},
            [
                [[2, 1, 4, 1, 4, -1], [3, 4, 1, 2, -1, -1], [2, 1, -1, -1, -1, -1]],
                [[2, 1, 4, 1, -1, -1], [3, 4, 1, 3, -1, -1], [2, -1, -1, -1, -1, -1]],
                [[2, 1, 4, -1, -1, -1], [3, 4, 2, -1, -1, -1], [2, 3, -1, -1, -1, -1]],
            ],
            [[-2.7817, -2.7943, -3.0788], [-2.6212, -2.9385, -2.9468], [-0.652, -1.1243, -2.5522]],
        ),
        (
            {"top_paths": 2, "beam_width": 2, "mask_index": 1},
            [
                [[2, 4, 0, -1, -1, -1], [3, 4, 2, -1, -1, -1], [2, -1, -1, -1, -1, -1]],
                [[2, 4, 4, -1, -1, -1], [3, 4, 3, -1, -1, -1], [2, 3, -1, -1, -1, -1]],
            ],
            [[-3.0318, -3.1132], [-1.8993, -2.8595], [-0.1878, -2.5522]],
        ),
    ],
)
def test_beam_search_matches_keras3(kwargs, paths, scores):
    x, lengths = _inputs()
    decoded, log_probs = keras.ops.ctc_decode(x, lengths, strategy="beam_search", **kwargs)
    decoded = np.asarray(decoded)
    assert decoded.dtype == np.int32
    assert decoded.tolist() == paths
    log_probs = np.asarray(log_probs)
    assert log_probs.dtype == np.float32
    np.testing.assert_allclose(log_probs, scores, atol=1e-4)


def test_beam_search_float64_and_errors():
    x, lengths = _inputs()
    decoded, log_probs = keras.ops.ctc_decode(
        x.astype("float64"), lengths, strategy="beam_search", beam_width=3
    )
    assert np.asarray(decoded).tolist() == [
        [[2, 1, 4, 1, 4, -1], [3, 4, 1, 2, -1, -1], [2, 1, -1, -1, -1, -1]]
    ]
    assert np.asarray(log_probs).dtype == np.float64
    np.testing.assert_allclose(np.asarray(log_probs), [[-2.7817], [-2.6212], [-0.652]], atol=1e-4)
    with pytest.raises(InvalidArgumentError, match="requested more paths"):
        keras.ops.ctc_decode(x, lengths, strategy="beam_search", top_paths=3, beam_width=2)
    with pytest.raises(ValueError, match="invalid strategy 'best'. Supported strategies"):
        keras.ops.ctc_decode(x, lengths, strategy="best")
