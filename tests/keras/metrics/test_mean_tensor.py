"""keras.metrics.MeanTensor against tf_keras 2.21 (values written in as constants)."""

import numpy as np
import pytest
import torch

from tork import keras
from tork.keras.metrics import MeanTensor


def _np(t):
    return t.detach().cpu().numpy()


def test_docstring_example_matches_tf_keras():
    m = MeanTensor()
    assert m.total is None and m.count is None and m.variables == []
    m.update_state([0, 1, 2, 3])
    m.update_state([4, 5, 6, 7])
    out = _np(m.result())
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [2.0, 3.0, 4.0, 5.0])
    m.update_state([12, 10, 8, 6], sample_weight=[0, 0.2, 0.5, 1])
    # tf_keras 2.21: [2., 3.6363635, 4.8, 5.3333335]
    np.testing.assert_allclose(_np(m.result()), [2.0, 3.6363635, 4.8, 5.3333335], rtol=1e-6)
    assert [v.name for v in m.variables] == ["total:0", "count:0"]
    assert [tuple(v.shape) for v in m.variables] == [(4,), (4,)]
    m.reset_state()
    np.testing.assert_array_equal(_np(m.result()), [0.0, 0.0, 0.0, 0.0])
    assert tuple(m.total.shape) == (4,)


def test_shape_and_dtype_arguments():
    m = MeanTensor(dtype="float64", shape=(1, 4))
    out = _np(m.result())
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, np.zeros((1, 4)))
    m.update_state([[0, 1, 2, 3]])
    m.update_state([[4, 5, 6, 7]])
    np.testing.assert_array_equal(_np(m.result()), [[2.0, 3.0, 4.0, 5.0]])
    assert m.get_config() == {"name": "mean_tensor", "dtype": "float64"}
    assert MeanTensor(name="mt").get_config() == {"name": "mt", "dtype": "float32"}


def test_sample_weight_rules():
    values = np.arange(6.0).reshape(2, 3)
    m = MeanTensor()
    m.update_state(values, sample_weight=[1.0, 2.0])  # one rank below: a trailing axis
    np.testing.assert_array_equal(_np(m.result()), values)
    np.testing.assert_array_equal(_np(m.count), [[1, 1, 1], [2, 2, 2]])
    m.update_state(values, sample_weight=2.0)
    np.testing.assert_array_equal(_np(m.count), [[3, 3, 3], [4, 4, 4]])
    # A (1, 3) weight on (2, 3, 4) values (tf_keras 2.21): zero-weighted rows give 0.
    m = MeanTensor()
    cube = np.arange(24.0).reshape(2, 3, 4)
    m.update_state(cube, sample_weight=np.array([[1.0, 0.0, 2.0]]))
    expected = cube.copy()
    expected[:, 1] = 0.0
    np.testing.assert_array_equal(_np(m.result()), expected)


def test_call_and_scalar():
    np.testing.assert_array_equal(_np(MeanTensor()([[1.0, 2.0]])), [[1.0, 2.0]])
    m = MeanTensor()
    m.update_state(torch.tensor(3.0))
    assert m.result().shape == () and float(m.result()) == 3.0


def test_errors():
    m = MeanTensor()
    with pytest.raises(ValueError) as info:
        m.result()
    assert str(info.value) == (
        "MeanTensor does not have any value yet. Please call the MeanTensor instance or use "
        "`.update_state(value)` before retrieving the result."
    )
    m.update_state([0, 1, 2, 3])
    with pytest.raises(ValueError) as info:
        m.update_state([1, 2])
    assert str(info.value) == (
        "MeanTensor input values must always have the same shape. Expected shape (set during "
        "the first call): (4,). Got: (2,)."
    )
    with pytest.raises(ValueError, match=r"sample_weight of shape \(2,\) cannot be broadcast"):
        MeanTensor().update_state(np.ones((2, 3, 4)), sample_weight=[1.0, 3.0])


def test_lookup_by_name():
    assert isinstance(keras.metrics.get("MeanTensor"), MeanTensor)
    restored = keras.metrics.deserialize(keras.metrics.serialize(MeanTensor(name="m")))
    assert isinstance(restored, MeanTensor) and restored.name == "m"
