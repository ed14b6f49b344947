"""A misspelt compile() metric fails before any weight changes.

tf_keras 2.21 (TF_USE_LEGACY_KERAS=1): `compile('sgd', 'mse', metrics=['foo'])` then
`fit` raises while tracing the train step, so the kernel is unchanged (max change 0.0).
"""

import numpy as np
import pytest

import tork as tf


def _model():
    model = tf.keras.Sequential(
        [tf.keras.layers.Dense(1, input_shape=(3,), kernel_initializer="ones")]
    )
    return model


@pytest.mark.parametrize("how", ["fit", "evaluate", "train_on_batch", "test_on_batch"])
def test_unknown_metric_raises_before_the_step(how):
    model = _model()
    model.compile("sgd", "mse", metrics=["mae", "foo_metric"])
    before = model.get_weights()[0].copy()
    x, y = np.ones((4, 3), "float32"), np.zeros((4, 1), "float32")
    with pytest.raises(ValueError, match="Unknown metric 'foo_metric'"):
        if how in ("fit", "evaluate"):
            getattr(model, how)(x, y, verbose=0)
        else:
            getattr(model, how)(x, y)
    np.testing.assert_array_equal(model.get_weights()[0], before)


def test_nested_specs_are_checked():
    inputs = tf.keras.Input((3,))
    model = tf.keras.Model(
        inputs,
        {
            "a": tf.keras.layers.Dense(1, name="a")(inputs),
            "b": tf.keras.layers.Dense(1, name="b")(inputs),
        },
    )
    model.compile("sgd", "mse", weighted_metrics={"a": ["mae"], "b": [["maee"]]})
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match="Unknown metric 'maee'"):
        model.fit(np.ones((4, 3)), {"a": np.zeros((4, 1)), "b": np.zeros((4, 1))}, verbose=0)
    for w, b in zip(model.get_weights(), before):
        np.testing.assert_array_equal(w, b)


def test_shape_dependent_and_scoped_names_still_resolve():
    def my_metric(y_true, y_pred):
        return tf.reduce_mean(tf.abs(y_true - y_pred))

    model = _model()
    model.compile("sgd", "mse", metrics=["ACC", "ce", "my_metric"])
    with tf.keras.utils.custom_object_scope({"my_metric": my_metric}):
        logs = model.fit(np.ones((4, 3)), np.zeros((4, 1)), verbose=0).history
    # kernel ones, bias 0: the prediction is 3 on every row, so my_metric (mean |y - p|) is 3.
    assert logs["my_metric"] == [pytest.approx(3.0)]
    assert set(logs) == {"loss", "ACC", "ce", "my_metric"}
