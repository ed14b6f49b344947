"""Layer autocast/stateless_call, compile configs, validation_split errors and History arrays.

Reference values and texts from tf_keras 2.21 (Keras 2) and Keras 3.15 (torch backend).
"""

import json

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras


class _RecordDtype(keras.layers.Layer):
    def call(self, inputs):
        self.seen = inputs.dtype
        return inputs


# -- Layer(autocast=...) ----------------------------------------------------------------


def test_autocast_default_casts_float_inputs_to_compute_dtype():
    layer = _RecordDtype(dtype="float16")
    layer(np.ones((2, 2), "float32"))
    assert layer.seen == torch.float16  # tf_keras: float16


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_autocast_false_keeps_the_input_dtype(dtype):
    # tf_keras 2.21 and Keras 3.15: the layer receives the input's own dtype.
    layer = _RecordDtype(dtype="float16", autocast=False)
    layer(np.ones((2, 2), dtype))
    assert layer.seen == getattr(torch, dtype)
    layer(tf.ones((2, 2), dtype))
    assert layer.seen == getattr(torch, dtype)
    assert layer._autocast is False


# -- Layer.stateless_call (Keras 3) ------------------------------------------------------


def test_stateless_call_on_a_layer_uses_given_values():
    layer = keras.layers.Dense(2)
    layer.build((None, 3))
    own = layer.kernel.numpy().copy()
    kernel = np.arange(6, dtype="float32").reshape(3, 2) / 10
    bias = np.array([1.0, -1.0], "float32")
    out, ntv = layer.stateless_call([kernel, bias], [], np.array([[1.0, 2.0, 3.0]], "float32"))
    np.testing.assert_allclose(np.asarray(out), [[2.6, 1.2]], rtol=1e-6)  # Keras 3.15
    assert ntv == []
    np.testing.assert_array_equal(layer.kernel.numpy(), own)


def test_stateless_call_returns_updated_statistics_and_keeps_own():
    bn = keras.layers.BatchNormalization(momentum=0.5)
    bn.build((None, 2))
    x = np.array([[1.0, 2.0], [3.0, 6.0]], "float32")
    tv = [np.full(2, 2.0, "float32"), np.ones(2, "float32")]
    ntv = [np.zeros(2, "float32"), np.ones(2, "float32")]
    out, new = bn.stateless_call(tv, ntv, x, training=True)
    # Keras 3.15 (torch backend).
    np.testing.assert_allclose(np.asarray(out), [[-0.999, -0.9998], [2.999, 2.9998]], atol=1e-4)
    np.testing.assert_allclose(np.asarray(new[0]), [1.0, 2.0], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(new[1]), [1.0, 2.5], rtol=1e-6)
    np.testing.assert_array_equal(bn.moving_mean.numpy(), [0.0, 0.0])


def test_stateless_call_errors_match_keras3():
    layer = keras.layers.Dense(2)
    with pytest.raises(ValueError) as info:
        layer.stateless_call([], [], np.ones((1, 3), "float32"))
    assert str(info.value) == (
        "To call stateless_call, Dense must be built (i.e. its variables must have been "
        "already created). You can build it by calling it on some data."
    )
    layer.build((None, 3))
    with pytest.raises(ValueError) as info:
        layer.stateless_call([np.ones((3, 2), "float32")], [], np.ones((1, 3), "float32"))
    assert str(info.value) == (
        "Argument `trainable_variables` must be a list of tensors corresponding 1:1 to "
        "Dense().trainable_variables. Received list with length 1, but expected 2 variables."
    )


# -- get_compile_config / compile_from_config --------------------------------------------


def _model():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])


def test_get_compile_config_is_none_before_compile():
    assert _model().get_compile_config() is None  # tf_keras 2.21


def test_get_compile_config_is_serialized_in_keras2_order():
    model = _model()
    model.compile(
        keras.optimizers.Adam(0.01),
        loss=keras.losses.Huber(),
        metrics=["mae", keras.metrics.RootMeanSquaredError()],
    )
    config = model.get_compile_config()
    json.dumps(config)  # plain data, as in Keras
    # tf_keras 2.21's key order.
    assert list(config)[:5] == ["optimizer", "loss", "metrics", "loss_weights", "weighted_metrics"]
    assert config["optimizer"]["class_name"] == "Adam"
    assert config["optimizer"]["config"]["learning_rate"] == pytest.approx(0.01)
    assert config["loss"]["class_name"] == "Huber"
    assert config["metrics"][0] == "mae"
    assert config["metrics"][1]["class_name"] == "RootMeanSquaredError"
    assert config["loss_weights"] is None

    other = _model()
    other.compile_from_config(config)
    assert type(other.optimizer).__name__ == "Adam"
    assert other.optimizer is not model.optimizer
    assert float(np.asarray(other.optimizer.learning_rate)) == pytest.approx(0.01)
    assert type(other.loss).__name__ == "Huber"
    other.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    assert other.metrics_names == ["loss", "mae", "root_mean_squared_error"]  # tf_keras


def test_compile_config_strings_stay_strings():
    model = _model()
    model.compile("sgd", "mse")
    config = model.get_compile_config()
    assert config["optimizer"] == "sgd"  # tf_keras 2.21 (Keras 3 serializes the SGD)
    assert config["loss"] == "mse"  # tf_keras and Keras 3
    other = _model()
    other.compile_from_config(config)
    assert type(other.optimizer).__name__ == "SGD"


# -- fit(validation_split=...) on data that cannot be split ----------------------------


class _Batches(keras.utils.PyDataset):
    def __len__(self):
        return 2

    def __getitem__(self, index):
        return np.ones((4, 3), "float32"), np.ones((4, 1), "float32")


def _unsplittable_inputs():
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    return {
        "pydataset": (_Batches(), None),
        "dataset": (tf.data.Dataset.from_tensor_slices((x, y)).batch(2), None),
        "generator": ((item for item in [(x, y)]), None),
        "ragged": (tf.ragged.constant([[1.0, 2.0], [3.0]]), np.ones((2, 1))),
    }


@pytest.mark.parametrize("kind", ["pydataset", "dataset", "generator", "ragged"])
def test_validation_split_on_unsplittable_data_raises_keras2_error(kind):
    model = _model()
    model.compile("sgd", "mse")
    x, y = _unsplittable_inputs()[kind]
    with pytest.raises(ValueError) as info:
        model.fit(x, y, validation_split=0.2, verbose=0)
    text = str(info.value)
    # tf_keras 2.21: "... found following types in the input: [<class '...'>]"
    assert text.startswith(
        "`validation_split` is only supported for Tensors or NumPy arrays, found following "
        "types in the input: [<class '"
    )
    assert f"{type(x).__name__}'>]" in text


def test_validation_split_still_splits_arrays_and_pandas():
    pd = pytest.importorskip("pandas")
    model = _model()
    model.compile("sgd", "mse")
    x = pd.DataFrame(np.ones((5, 3), "float32"))
    history = model.fit(x, np.ones((5, 1), "float32"), validation_split=0.2, verbose=0)
    assert "val_loss" in history.history


# -- History keeps NumPy arrays for vector metrics -------------------------------------


def test_history_records_vector_metrics_as_numpy_arrays():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="sigmoid")])
    model.compile(
        "sgd",
        "binary_crossentropy",
        metrics=[keras.metrics.F1Score(average=None, threshold=0.5)],
    )
    model.layers[0].set_weights(
        [np.array([[0.1, -0.2], [0.3, 0.1], [-0.1, 0.2]], "float32"), np.zeros(2, "float32")]
    )
    x = np.array([[1, 2, 3], [0, 1, 0], [3, 1, 2], [1, 1, 1]], "float32")
    y = np.array([[1, 0], [0, 1], [1, 1], [0, 0]], "float32")
    history = model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    # tf_keras 2.21: loss 0.7382, 0.7372; f1_score float32 arrays [0.6667, 0.4].
    np.testing.assert_allclose(history.history["loss"], [0.7382, 0.7372], atol=1e-4)
    for value in history.history["f1_score"]:
        assert type(value) is np.ndarray and value.dtype == np.float32
        np.testing.assert_allclose(value, [2 / 3, 0.4], atol=1e-4)


def test_history_detaches_tensor_logs_given_directly():
    history = keras.callbacks.History()
    history.on_train_begin()
    weight = torch.tensor([1.0, 2.0], requires_grad=True)
    history.on_epoch_end(0, {"vector": weight * 2, "half": (weight * 2).bfloat16()})
    for key in ("vector", "half"):
        value = history.history[key][0]
        assert type(value) is np.ndarray
        np.testing.assert_array_equal(value, [2.0, 4.0])
