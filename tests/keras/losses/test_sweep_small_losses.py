"""A user Loss subclass created without a name: its name is None, as in tf_keras 2.21."""

import numpy as np
import pytest

import tork as tf


class _MyLoss(tf.keras.losses.Loss):
    def call(self, y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


class _Bad(tf.keras.losses.Loss):
    def call(self, y_true, y_pred):
        return None


def test_defaulted_subclass_name_is_none_and_builtins_keep_theirs():
    # tf_keras 2.21: _MyLoss().name is None, _MyLoss(name="xx").name == "xx",
    # a subclass of MeanSquaredError keeps 'mean_squared_error'.
    assert _MyLoss().name is None
    assert _MyLoss(name="xx").name == "xx"
    assert _MyLoss().get_config() == {"reduction": "auto", "name": None}

    class MyMSE(tf.keras.losses.MeanSquaredError):
        pass

    assert MyMSE().name == "mean_squared_error"
    assert tf.keras.losses.Huber().name == "huber_loss"


def test_history_keys_of_unnamed_custom_loss_match_tf_keras():
    # tf_keras 2.21 history keys: ['loss', 'mae', 'val_loss', 'val_mae'] (single output)
    # and ['a_loss', 'b_loss', 'loss'] (two outputs named a and b).
    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile("sgd", loss=_MyLoss(), metrics=["mae"])
    hist = model.fit(x, y, validation_data=(x, y), verbose=0)
    assert sorted(hist.history) == ["loss", "mae", "val_loss", "val_mae"]

    inp = tf.keras.Input((2,))
    out_a = tf.keras.layers.Dense(1, name="a")(inp)
    out_b = tf.keras.layers.Dense(1, name="b")(inp)
    model = tf.keras.Model(inp, [out_a, out_b])
    model.compile("sgd", loss=[_MyLoss(), _MyLoss()])
    hist = model.fit(x, [y, y], verbose=0)
    assert sorted(hist.history) == ["a_loss", "b_loss", "loss"]


def test_unnamed_loss_value_and_error_name_the_class():
    # (1 - 0)^2 and (1 - 2)^2 averaged: 1.0 (numpy formula).
    np.testing.assert_allclose(float(_MyLoss()([[1.0, 1.0]], [[0.0, 2.0]])), 1.0)
    with pytest.raises(ValueError, match="The loss '_Bad' returned None"):
        _Bad()(np.ones((2, 1), "float32"), np.ones((2, 1), "float32"))
