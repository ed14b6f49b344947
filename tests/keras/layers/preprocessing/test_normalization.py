"""Tests for keras.layers.Normalization against NumPy statistics."""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.layers.preprocessing import Normalization

RNG = np.random.default_rng(2)


def _np(t):
    return t.detach().cpu().numpy()


def test_adapt_on_array_matches_numpy():
    data = RNG.normal(3.0, 2.0, size=(50, 4)).astype(np.float32)
    layer = Normalization()
    layer.adapt(data)
    mean, var = data.astype(np.float64).mean(0), data.astype(np.float64).var(0)
    np.testing.assert_allclose(layer.get_weights()[0], mean, rtol=1e-6)
    np.testing.assert_allclose(layer.get_weights()[1], var, rtol=1e-6)
    x = RNG.normal(size=(5, 4)).astype(np.float32)
    np.testing.assert_allclose(_np(layer(x)), (x - mean) / np.sqrt(var), rtol=1e-5, atol=1e-6)
    # Keras (2 and 3) keeps a third, int64 `count` weight: get_weights() lists and weight
    # files from Keras hold [mean, variance, count].
    # adapt() builds outside the layer's name scope, as tf_keras 2.21 does ("mean:0").
    names = ["mean", "variance", "count"]
    assert [w.name for w in layer.weights] == [f"{n}:0" for n in names]
    assert layer.get_weights()[2] == 50 and layer.count.dtype == torch.int64
    assert layer.trainable_weights == []


def test_adapt_on_dataset_matches_numpy_over_all_batches():
    data = RNG.normal(-1.0, 5.0, size=(23, 3)).astype(np.float32)
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(5)  # last batch has 3 rows
    layer = Normalization()
    layer.adapt(dataset)
    np.testing.assert_allclose(layer.get_weights()[0], data.astype(np.float64).mean(0), rtol=1e-5)
    np.testing.assert_allclose(layer.get_weights()[1], data.astype(np.float64).var(0), rtol=1e-5)
    assert layer.get_weights()[2] == 23
    # steps limits the batches read.
    layer.adapt(dataset, steps=2)
    np.testing.assert_allclose(layer.get_weights()[0], data[:10].mean(0), rtol=1e-5)
    assert layer.get_weights()[2] == 10


@pytest.mark.parametrize(
    "axis, keep",
    [(None, ()), (-1, (2,)), (1, (1,)), ((1, 2), (1, 2))],
)
def test_axes(axis, keep):
    data = RNG.normal(size=(8, 3, 4)).astype(np.float64)
    layer = Normalization(axis=axis)
    layer.adapt(data)
    reduce = tuple(d for d in range(3) if d not in keep)
    mean = data.mean(axis=reduce, keepdims=True)
    var = data.var(axis=reduce, keepdims=True)
    assert layer.get_weights()[0].shape == tuple(data.shape[d] for d in keep)
    np.testing.assert_allclose(_np(layer(data)), (data - mean) / np.sqrt(var), rtol=1e-4, atol=1e-5)


def test_fixed_mean_variance_and_invert():
    layer = Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    x = np.array([[3.0, 8.0], [1.0, -1.0]], dtype=np.float32)
    np.testing.assert_allclose(_np(layer(x)), [[1.0, 2.0], [0.0, -1.0]])
    assert layer.weights == []
    inverse = Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0], invert=True)
    np.testing.assert_allclose(_np(inverse(layer(x))), x, rtol=1e-6)
    scalar = Normalization(mean=2.0, variance=4.0)
    np.testing.assert_allclose(_np(scalar(np.array([[4.0, 6.0]]))), [[1.0, 2.0]])


def test_zero_variance_divides_by_epsilon_and_int_inputs():
    layer = Normalization(mean=1.0, variance=0.0)
    out = layer(torch.tensor([[1, 2]], dtype=torch.int32))
    assert out.dtype == torch.float32
    np.testing.assert_allclose(_np(out), [[0.0, 1.0 / 1e-7]], rtol=1e-6)


def test_config_round_trip():
    layer = Normalization(axis=(1, 2), mean=0.5, variance=2.0, invert=True, name="norm")
    config = layer.get_config()
    assert config["axis"] == [1, 2] and config["mean"] == 0.5 and config["invert"] is True
    assert Normalization.from_config(config).get_config() == config


def test_inside_functional_model():
    data = RNG.normal(2.0, 3.0, size=(20, 3)).astype(np.float32)
    norm = Normalization()
    norm.adapt(data)
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, norm(inputs))
    expected = (data - data.mean(0)) / data.std(0)
    np.testing.assert_allclose(_np(model(data)), expected, rtol=1e-4, atol=1e-5)


def test_errors():
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        Normalization(mean=1.0)
    with pytest.raises(ValueError, match=r"range \[-ndim, ndim\).*ndim=2, while axis=3"):
        Normalization(axis=3)(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="fixed `mean`"):
        Normalization(mean=0.0, variance=1.0).adapt(np.zeros((2, 3)))
    layer = Normalization()
    layer.adapt(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"data of shape \(4, 5\) does not match"):
        layer.adapt(np.zeros((4, 5)))
    pairs = tf.data.Dataset.from_tensor_slices((np.zeros((4, 2)), np.zeros(4))).batch(2)
    with pytest.raises(ValueError, match=r"dataset.map\(lambda x, y: x\)"):
        Normalization().adapt(pairs)


def test_axis_none_normalizes_inputs_of_any_rank_with_one_mean():
    data = np.array([1.0, 2.0, 3.0, 6.0], dtype="float32")
    layer = Normalization(axis=None)
    layer.adapt(data)
    mean, std = data.mean(), data.std()
    for x in (data, data.reshape(2, 2), data.reshape(4, 1)):
        np.testing.assert_allclose(np.asarray(layer(x)), (x - mean) / std, rtol=1e-5)
    # TensorFlow's regression tutorial: adapted on a column, used on (batch, 1) inputs.
    model = keras.Sequential([Normalization(input_shape=[1], axis=None), keras.layers.Dense(1)])
    model.layers[0].adapt(data)
    assert model.predict(data, verbose=0).shape == (4, 1)


def test_adapted_first_layer_builds_the_sequential_model():
    data = np.random.default_rng(0).normal(size=(50, 3)).astype("float32")
    norm = Normalization(axis=-1)
    norm.adapt(data)
    model = keras.Sequential([norm, keras.layers.Dense(4), keras.layers.Dense(1)])
    assert model.built and model.output_shape == (None, 1)
    assert [tuple(w.shape) for w in model.layers[1].weights] == [(3, 4), (4,)]


def test_adapted_input_shape_is_not_written_to_the_config():
    norm = Normalization(axis=-1)
    norm.adapt(np.ones((4, 3), "float32"))
    assert "batch_input_shape" not in norm.get_config()


def test_statistics_broadcast_to_inputs_of_another_rank():
    # Keras: adapted on (samples, features), the layer also normalizes (batch, time, features)
    # windows (a timeseries model); TF 2.21 gives the same numbers.
    data = np.arange(100, dtype="float32").reshape(50, 2)
    layer = Normalization()
    layer.adapt(data)
    x = np.ones((1, 3, 2), "float32")
    expected = (x - data.mean(0)) / data.std(0)
    np.testing.assert_allclose(_np(layer(x)), expected, rtol=1e-5)
    np.testing.assert_allclose(_np(layer(x))[0, 0], [-1.6631, -1.6977], atol=1e-4)
    inputs = keras.Input((5, 2))
    assert keras.Model(inputs, layer(inputs)).output_shape == (None, 5, 2)
    with pytest.raises(ValueError, match=r"inputs of shape \(2, 3\) do not broadcast"):
        layer(np.ones((2, 3), "float32"))


def test_count_round_trips_through_set_weights():
    source = Normalization()
    source.adapt(np.array([[0.0, 10.0], [2.0, 30.0]]))
    target = Normalization()
    target.build((None, 2))
    target.set_weights(source.get_weights())
    np.testing.assert_allclose(_np(target(np.array([[1.0, 20.0]]))), [[0.0, 0.0]])
    assert target.get_weights()[2] == 2


def test_mean_and_variance_are_broadcast_shaped_statistics():
    # Keras 2 (tf_keras 2.21): `mean`/`variance` are the statistics reshaped to broadcast
    # against the build input; the weights stay (features,)-shaped.
    data = np.arange(12.0).reshape(4, 3)
    layer = Normalization()
    with pytest.raises(AttributeError, match="'Normalization' object has no attribute 'mean'"):
        layer.mean  # noqa: B018 - as in Keras, undefined before build
    assert not hasattr(layer, "variance")
    layer.adapt(data)
    assert tuple(layer.mean.shape) == (1, 3)
    np.testing.assert_allclose(_np(layer.mean), [data.mean(0)])
    np.testing.assert_allclose(_np(layer.variance), [data.var(0)])
    # tf_keras 2.21 names adapt-built weights without the layer's scope.
    assert [w.name for w in layer.weights] == ["mean:0", "variance:0", "count:0"]
    assert [np.shape(w) for w in layer.get_weights()] == [(3,), (3,), ()]
    assert list(layer.state_dict()) == ["mean", "variance", "count"]
    # The properties read the weights: set_weights() shows through.
    layer.set_weights([np.ones(3), np.full(3, 4.0), np.array(5)])
    np.testing.assert_allclose(_np(layer.mean), [[1.0, 1.0, 1.0]])
    np.testing.assert_allclose(_np(layer.variance), [[4.0, 4.0, 4.0]])

    built = Normalization()
    built.build((None, 3))
    np.testing.assert_allclose(_np(built.mean), [[0.0, 0.0, 0.0]])
    np.testing.assert_allclose(_np(built.variance), [[1.0, 1.0, 1.0]])


def test_mean_and_variance_shapes_for_fixed_statistics_and_other_axes():
    # Shapes and values from tf_keras 2.21.
    fixed = Normalization(mean=3.0, variance=2.0)
    assert not hasattr(fixed, "mean")
    fixed(np.zeros((2, 1)))
    np.testing.assert_allclose(_np(fixed.mean), [[3.0]])
    np.testing.assert_allclose(_np(fixed.variance), [[2.0]])
    assert fixed.weights == []

    vector = Normalization(mean=[1.0, 2.0, 3.0], variance=[1.0, 1.0, 1.0])
    vector(np.zeros((2, 3)))
    np.testing.assert_allclose(_np(vector.mean), [[1.0, 2.0, 3.0]])

    scalar = Normalization(axis=None)
    scalar.adapt(np.arange(12.0).reshape(4, 3))
    assert tuple(scalar.mean.shape) == (1, 1)
    np.testing.assert_allclose(_np(scalar.mean), [[5.5]])
    np.testing.assert_allclose(_np(scalar.variance), [[np.arange(12.0).var()]], rtol=1e-6)
    assert [np.shape(w) for w in scalar.get_weights()] == [(), (), ()]

    middle = Normalization(axis=1)
    middle.adapt(np.arange(24.0).reshape(2, 3, 4))
    np.testing.assert_allclose(_np(middle.mean), [[[7.5], [11.5], [15.5]]])
    two = Normalization(axis=(1, 2))
    two.adapt(np.arange(24.0).reshape(2, 3, 4))
    assert tuple(two.mean.shape) == (1, 3, 4)


@pytest.mark.parametrize("suffix", [".keras", ".h5"])
def test_mean_property_survives_a_saved_model_round_trip(tmp_path, suffix):
    data = np.arange(12.0).reshape(4, 3)
    layer = Normalization()
    layer.adapt(data)
    model = keras.Sequential([keras.Input((3,)), layer])
    path = str(tmp_path / f"model{suffix}")
    model.save(path)
    loaded = keras.models.load_model(path).layers[0]
    np.testing.assert_allclose(_np(loaded.mean), [data.mean(0)])
    np.testing.assert_allclose(_np(loaded.variance), [data.var(0)])
    assert [np.shape(w) for w in loaded.get_weights()] == [(3,), (3,), ()]
    x = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(_np(loaded(x)), _np(layer(x)), rtol=1e-6)


def test_statistics_follow_weights_replaced_in_the_torch_registry():
    # load_state_dict(assign=True) and torch.func.functional_call swap registry entries:
    # the layer must compute with (and `mean` show) the swapped-in tensors.
    layer = Normalization()
    layer.adapt(np.arange(12.0).reshape(4, 3))
    x = torch.zeros(1, 3)
    swapped = {"mean": torch.ones(3), "variance": torch.full((3,), 4.0)}
    np.testing.assert_allclose(_np(torch.func.functional_call(layer, swapped, (x,))), [[-0.5] * 3])
    np.testing.assert_allclose(_np(layer.mean), [[4.5, 5.5, 6.5]])  # restored afterwards
    state = {k: v.detach().clone() * 2 for k, v in layer.state_dict().items()}
    target = Normalization()
    target.build((None, 3))
    target.load_state_dict(state, assign=True)
    np.testing.assert_allclose(_np(target.mean), [[9.0, 11.0, 13.0]])
    np.testing.assert_allclose(_np(target.adapt_mean), [9.0, 11.0, 13.0])
    np.testing.assert_allclose(_np(target(x)), [[-9.0, -11.0, -13.0]] / np.sqrt(22.5), rtol=1e-6)
