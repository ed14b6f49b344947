"""Tests for CategoryEncoding and Discretization against hand-computed / NumPy values."""

import numpy as np
import pytest
import torch

import tork as tf
from tork.keras.layers.preprocessing import CategoryEncoding, Discretization

RNG = np.random.default_rng(5)


def _np(t):
    return t.detach().cpu().numpy()


def test_category_encoding_modes():
    one_hot = CategoryEncoding(num_tokens=4, output_mode="one_hot")
    np.testing.assert_array_equal(_np(one_hot([3, 2, 0, 1])), np.eye(4)[[3, 2, 0, 1]])
    # A last axis of size 1 is encoded in place; otherwise a new axis is added.
    assert tuple(one_hot(np.array([[3], [1]])).shape) == (2, 4)
    assert tuple(one_hot(np.array([[3, 1, 0]])).shape) == (1, 3, 4)
    data = [[0, 1], [0, 0], [1, 2], [3, 1]]
    multi = CategoryEncoding(num_tokens=4, output_mode="multi_hot")(data)
    np.testing.assert_array_equal(
        _np(multi), [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]
    )
    assert multi.dtype == torch.float32
    count = CategoryEncoding(num_tokens=4, output_mode="count")
    np.testing.assert_array_equal(
        _np(count(data)), [[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]
    )
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]])
    np.testing.assert_allclose(
        _np(count(data, count_weights=weights)),
        [[0.1, 0.2, 0, 0], [0.2, 0, 0, 0], [0, 0.2, 0.3, 0], [0, 0.2, 0, 0.4]],
        rtol=1e-6,
    )
    # A rank-1 input is one sample.
    np.testing.assert_array_equal(_np(count(np.array([1, 1, 3]))), [0, 2, 0, 1])


def test_category_encoding_shapes_config_errors():
    layer = CategoryEncoding(num_tokens=5, output_mode="one_hot")
    assert layer.compute_output_shape((None, 1)) == (None, 5)
    assert layer.compute_output_shape((None, 3)) == (None, 3, 5)
    assert CategoryEncoding(5).compute_output_shape((None, 3)) == (None, 5)
    config = CategoryEncoding(num_tokens=3, output_mode="count", name="enc").get_config()
    assert CategoryEncoding.from_config(config).get_config() == config
    with pytest.raises(ValueError, match=r"range 0 <= value < 4.*from 0 to 4"):
        CategoryEncoding(4)(np.array([[0, 4]]))
    with pytest.raises(ValueError, match="`count_weights` is not used"):
        CategoryEncoding(4)([[0, 1]], count_weights=[[1.0, 1.0]])
    with pytest.raises(ValueError, match="num_tokens must be set"):
        CategoryEncoding()
    with pytest.raises(ValueError, match="output_mode"):
        CategoryEncoding(3, output_mode="tf_idf")


@pytest.mark.parametrize(
    "mode,expected",
    [
        ("multi_hot", [[1, 1, 0, 0, 0], [0, 0, 1, 0, 1]]),
        ("count", [[1, 2, 0, 0, 0], [0, 0, 1, 0, 2]]),
        ("one_hot", np.eye(5)[[[0, 1, 1], [4, 4, 2]]]),
    ],
)
def test_category_encoding_in_a_functional_model(mode, expected):
    inputs = tf.keras.Input(shape=(3,), dtype="int32")
    outputs = CategoryEncoding(num_tokens=5, output_mode=mode)(inputs)
    assert tuple(outputs.shape) == ((None, 5) if mode != "one_hot" else (None, 3, 5))
    model = tf.keras.Model(inputs, outputs)
    x = np.array([[0, 1, 1], [4, 4, 2]], "int32")
    np.testing.assert_array_equal(model.predict(x, verbose=0), expected)
    # The range check still runs on real values.
    with pytest.raises(ValueError, match="0 <= value < 5"):
        model.predict(np.array([[0, 5, 1]], "int32"), verbose=0)


def test_discretization_with_boundaries():
    data = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])
    out = Discretization(bin_boundaries=[0.0, 1.0, 2.0])(data)
    assert out.dtype == torch.int64
    np.testing.assert_array_equal(_np(out), np.digitize(data, [0.0, 1.0, 2.0]))
    np.testing.assert_array_equal(_np(out), [[0, 2, 3, 1], [1, 3, 2, 1]])
    encoded = Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode="multi_hot")(data)
    np.testing.assert_array_equal(_np(encoded), [[1, 1, 1, 1], [0, 1, 1, 1]])
    one_hot = Discretization(bin_boundaries=[0.0], output_mode="one_hot")(np.array([-1.0, 1.0]))
    np.testing.assert_array_equal(_np(one_hot), [[1, 0], [0, 1]])


def test_discretization_adapt_documented_example():
    data = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]])
    layer = Discretization(num_bins=4, epsilon=0.01)
    layer.adapt(data)
    np.testing.assert_array_equal(_np(layer(data)), [[0, 2, 3, 2], [1, 3, 3, 1]])


def test_discretization_adapt_approximates_quantiles():
    data = RNG.random(2000).astype(np.float32)
    layer = Discretization(num_bins=4)
    layer.adapt(data)
    # Arrays are read in batches of 32 whose summaries are merged (tf_keras 2.21 gives
    # these boundaries for this array): near the quartiles, not equal to them.
    np.testing.assert_allclose(layer.bin_boundaries, [0.262041, 0.502967, 0.765604], atol=2e-6)
    np.testing.assert_allclose(
        layer.bin_boundaries, np.quantile(data, [0.25, 0.5, 0.75]), atol=0.03
    )
    # Adapting on a dataset in batches gives approximately the same boundaries.
    batched = Discretization(num_bins=4)
    batched.adapt(tf.data.Dataset.from_tensor_slices(data).batch(256))
    np.testing.assert_allclose(batched.bin_boundaries, layer.bin_boundaries, atol=0.02)
    counts = np.bincount(_np(layer(data)), minlength=4)
    assert np.all(np.abs(counts - 500) < 60)


def test_discretization_config_and_errors():
    layer = Discretization(num_bins=3)
    layer.adapt(np.arange(30, dtype=np.float32))
    restored = Discretization.from_config(layer.get_config())
    assert restored.bin_boundaries == layer.bin_boundaries
    data = np.array([[1.0, 15.0, 29.0]])
    np.testing.assert_array_equal(_np(restored(data)), _np(layer(data)))
    with pytest.raises(ValueError, match="either `num_bins` or `bin_boundaries`"):
        Discretization()
    with pytest.raises(ValueError, match="should not be set"):
        Discretization(bin_boundaries=[0.0], num_bins=2)
    with pytest.raises(ValueError, match="use `num_bins` instead"):
        Discretization(bin_boundaries=[0.0]).adapt(data)
    with pytest.raises(ValueError, match=r"call `adapt\(dataset\)`"):
        Discretization(num_bins=2)(data)
    with pytest.raises(ValueError, match="sorted in increasing order"):
        Discretization(bin_boundaries=[1.0, 0.0])
