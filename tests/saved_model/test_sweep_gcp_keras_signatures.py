"""tf.saved_model.save of Keras models as the training-data-analyst notebooks write them.

Expected names and specs come from tf_keras 2.21 runs of the same programs
(TF_USE_LEGACY_KERAS=1); expected values from NumPy.
"""

import numpy as np
import pytest

import tork as tf
from tork._backend.errors import InvalidArgumentError


def _feature_model():
    fc = tf.feature_column
    columns = [
        fc.numeric_column("a"),
        fc.numeric_column("b"),
        fc.indicator_column(fc.categorical_column_with_identity("c", 3)),
    ]
    model = tf.keras.Sequential(
        [tf.keras.layers.DenseFeatures(columns), tf.keras.layers.Dense(1, name="out")]
    )
    x = {
        "a": np.array([1.0, 2.0, -1.0, 0.5], "float32"),
        "b": np.array([0.0, 1.0, 3.0, -2.0], "float32"),
        "c": np.array([0, 1, 2, 1]),
    }
    model.compile("sgd", "mse")
    model.fit(x, np.ones(4, "float32"), verbose=0)
    kernel = np.array([[0.5], [-1.0], [0.25], [2.0], [-3.0]], "float32")
    model.set_weights([kernel, np.array([0.1], "float32")])
    return model, x, kernel


def test_sequential_on_feature_dict_saves_serving_signature(tmp_path):
    # 3_keras_sequential_api: Sequential([DenseFeatures(...), Dense...]) fit on a dict
    # dataset, then tf.saved_model.save(model, path) with the default signature.
    model, x, kernel = _feature_model()
    tf.saved_model.save(model, str(tmp_path))
    signature = tf.saved_model.load(str(tmp_path)).signatures["serving_default"]
    args, specs = signature.structured_input_signature
    assert args == ()
    # tf_keras 2.21: one (None,) spec per feature, with the feature's dtype.
    assert sorted(specs) == ["a", "b", "c"]
    assert [tuple(specs[k].shape) for k in "abc"] == [(None,), (None,), (None,)]
    assert [specs[k].dtype for k in "abc"] == [tf.float32, tf.float32, tf.int64]
    # No graph network: tf_keras names the output `output_1`.
    assert list(signature.structured_outputs) == ["output_1"]
    out = signature(a=tf.constant(x["a"]), b=tf.constant(x["b"]), c=tf.constant(x["c"]))
    features = np.concatenate([x["a"][:, None], x["b"][:, None], np.eye(3)[x["c"]]], axis=1)
    np.testing.assert_allclose(out["output_1"].numpy(), features @ kernel + 0.1, rtol=1e-6)


def test_sequential_on_feature_dict_keeps_feature_column_errors():
    # The DenseFeatures layer's own error, not "Sequential takes a single input tensor".
    model, x, _ = _feature_model()
    bad = dict(x, c=np.array([0, 5, 1, 1]))
    with pytest.raises(InvalidArgumentError, match=r"column 'c': ids must be in \[0, 3\), got 5"):
        model(bad)


class _Single(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(2, name="dd")

    def call(self, x):
        return self.d(x)


class _Pair(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(2, name="dd")

    def call(self, inputs):
        a, b = inputs
        return self.d(a), self.d(b)


class _Dict(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(2, name="dd")

    def call(self, inputs):
        return {"z": self.d(inputs["a"]), "y": self.d(inputs["b"])}


def _signature(model, x, path):
    model(x)
    tf.saved_model.save(model, str(path))
    return tf.saved_model.load(str(path)).signatures["serving_default"]


def test_subclassed_model_signature_names_follow_tf_keras(tmp_path):
    ones = np.ones((4, 3), "float32")
    single = _signature(_Single(), ones, tmp_path / "single")
    # tf_keras 2.21: input_1 / output_1 (numbered from 1), not the layer's name.
    assert list(single.structured_input_signature[1]) == ["input_1"]
    assert single.structured_input_signature[1]["input_1"].name == "input_1"
    assert list(single.structured_outputs) == ["output_1"]

    model = _Pair()
    pair = _signature(model, [ones, ones], tmp_path / "pair")
    assert sorted(pair.structured_input_signature[1]) == ["input_1", "input_2"]
    assert sorted(pair.structured_outputs) == ["output_1", "output_2"]
    a = np.arange(6, dtype="float32").reshape(2, 3)
    out = pair(input_1=tf.constant(a), input_2=tf.constant(2 * a))
    kernel, bias = (w.numpy() for w in model.d.weights)
    np.testing.assert_allclose(out["output_2"].numpy(), 2 * a @ kernel + bias, rtol=1e-5)

    keyed = _signature(_Dict(), {"a": ones, "b": ones}, tmp_path / "dict")
    assert sorted(keyed.structured_input_signature[1]) == ["a", "b"]
    assert sorted(keyed.structured_outputs) == ["y", "z"]


def test_string_inputs_cannot_be_saved_and_the_error_says_why(tmp_path):
    inputs = {
        "x": tf.keras.Input(name="x", shape=(), dtype="float32"),
        "when": tf.keras.Input(name="when", shape=(), dtype="string"),
    }
    hour = tf.keras.layers.Lambda(lambda s: tf.strings.length(s), name="hour")(inputs["when"])
    both = tf.keras.layers.Lambda(lambda t: tf.stack([t[0], tf.cast(t[1], tf.float32)], 1))(
        [inputs["x"], hour]
    )
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(both), name="taxi")
    with pytest.raises(ValueError) as info:
        tf.saved_model.save(model, str(tmp_path))
    text = str(info.value)
    assert "Cannot save Keras model 'taxi': its input(s) ['when'] are strings (tf.string)" in text
    assert "torch.export programs, which take numeric tensors only" in text
    assert "model.save('model.keras')" in text
