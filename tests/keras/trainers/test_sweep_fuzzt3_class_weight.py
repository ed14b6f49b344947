"""fuzzt3: class_weight with labels given as a dict (a multi-output model): tf_keras 2.21 raises
"`class_weight` is only supported for Models with a single output."; tork raised a bare
KeyError: 0 from inside its data adapter."""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


def _two_outputs():
    inputs = keras.Input((3,))
    model = keras.Model(
        inputs,
        [
            keras.layers.Dense(1, name="a")(inputs),
            keras.layers.Dense(3, activation="softmax", name="b")(inputs),
        ],
    )
    model.compile("sgd", ["mse", "sparse_categorical_crossentropy"])
    return model


@pytest.mark.parametrize("as_dict", [True, False])
def test_class_weight_with_several_outputs_is_refused_clearly(as_dict):
    model = _two_outputs()
    ya, yb = np.ones((4, 1), "float32"), np.zeros(4, "int32")
    y = {"a": ya, "b": yb} if as_dict else [ya, yb]
    with pytest.raises(ValueError, match="only supported for models with a single output"):
        model.fit(np.ones((4, 3), "float32"), y, class_weight={0: 1.0, 1: 2.0}, verbose=0)


def test_class_weight_with_one_output_still_weighs():
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(inputs))
    model.set_weights([np.array([[0.5, -0.5], [0.2, 0.1]], "float32"), np.zeros(2, "float32")])
    model.compile(keras.optimizers.SGD(0.0), "sparse_categorical_crossentropy")
    x = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
    y = np.array([0, 1], "int32")
    history = model.fit(x, y, class_weight={0: 3.0, 1: 0.5}, batch_size=2, verbose=0)
    # numpy: softmax cross-entropy per sample, weighted 3.0 and 0.5, averaged over the batch
    logits = x @ np.array([[0.5, -0.5], [0.2, 0.1]])
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    ce = -np.log(probs[[0, 1], y])
    assert history.history["loss"][0] == pytest.approx((3.0 * ce[0] + 0.5 * ce[1]) / 2, rel=1e-5)
