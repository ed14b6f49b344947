"""tf.experimental.numpy aliases carry TF's `__name__`s (TensorFlow 2.21, the reference
env: `tnp.max.__name__ == "max"`, `tnp.amax.__name__ == "amax"`, ...)."""

import numpy as np
import pytest

import tork.experimental.numpy as tnp


@pytest.mark.parametrize(
    "name",
    [
        "max",
        "amax",
        "min",
        "amin",
        "around",
        "round",
        "divide",
        "true_divide",
        "remainder",
        "mod",
        "asanyarray",
        "ascontiguousarray",
        "asarray",
    ],
)
def test_names_match_tf(name):
    fn = getattr(tnp, name)
    assert fn.__name__ == name and fn.__qualname__ == name


def test_aliases_compute_the_same():
    x = [[1.0, 5.0], [3.0, 2.0]]
    np.testing.assert_array_equal(np.asarray(tnp.max(x, axis=1)), [5.0, 3.0])
    np.testing.assert_array_equal(np.asarray(tnp.min(x, 0, True)), [[1.0, 2.0]])
    assert float(tnp.max([])) == -np.inf  # as TF (and tnp.amax)
    np.testing.assert_allclose(np.asarray(tnp.around(2.567, 1)), 2.6)
    np.testing.assert_array_equal(np.asarray(tnp.remainder([7, -7], 3)), [1, 2])
    np.testing.assert_allclose(np.asarray(tnp.divide(1, 4)), 0.25)
    assert tnp.asanyarray([1, 2]).dtype == tnp.asarray([1, 2]).dtype
