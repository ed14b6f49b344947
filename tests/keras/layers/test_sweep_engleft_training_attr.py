"""A user's `self.training` on a Layer/Model is their own attribute (as in tf.keras).

Expected values come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1, same scripts): the value
user code assigns is what it reads back, whatever fit/evaluate/predict do; torch's
train/eval flag (model.train()/model.eval()) still reaches torch submodules.
"""

import copy

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras


def _xy():
    return np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")


def test_value_set_in_init_survives_fit_evaluate_predict():
    class EngleftFlagModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.training = False
            self.d = keras.layers.Dense(2)
            self.seen = []

        def call(self, x):
            self.seen.append(self.training)
            return self.d(x)

    m = EngleftFlagModel()
    m.compile("sgd", "mse")
    x, y = _xy()
    m.fit(x, y, epochs=1, verbose=0)
    m.evaluate(x, y, verbose=0)
    m.predict(x, verbose=0)
    # tf_keras: every call sees False (tork gave True inside fit before the fix).
    assert m.seen and all(v is False for v in m.seen)
    assert m.training is False


def test_layer_flag_read_in_call_under_predict():
    class EngleftScale(keras.layers.Layer):
        def __init__(self, training=True, **kw):
            super().__init__(**kw)
            self.training = training

        def call(self, x):
            return x * (2.0 if self.training else 1.0)

    layer = EngleftScale(training=True)
    inp = keras.Input((2,))
    model = keras.Model(inp, layer(inp))
    # tf_keras: [[2. 2.]] (predict's eval() made it 1.0 before the fix: silent wrong result).
    np.testing.assert_allclose(model.predict(np.ones((1, 2), "float32"), verbose=0), [[2.0, 2.0]])
    assert layer.training is True
    off = EngleftScale(training=False)
    np.testing.assert_allclose(off(np.ones((1, 2), "float32")).numpy(), [[1.0, 1.0]])


def test_value_assigned_in_call_is_the_last_call_argument():
    class EngleftKeep(keras.layers.Layer):
        def call(self, x, training=None):
            self.training = training
            return x + 1.0

    keep = EngleftKeep()
    inp = keras.Input((2,))
    model = keras.Model(inp, keep(inp))
    model.compile("sgd", "mse")
    x = np.ones((4, 2), "float32")
    with pytest.warns(UserWarning, match="no trainable weights"):
        model.fit(x, x, verbose=0)
    assert keep.training is True  # tf_keras: True after fit
    model.evaluate(x, x, verbose=0)
    assert keep.training is False  # tf_keras: False after evaluate


def test_torch_train_eval_still_reach_torch_submodules():
    class EngleftWithTorch(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.drop = torch.nn.Dropout(0.5)
            self.d = keras.layers.Dense(3)

        def call(self, x):
            return self.drop(self.d(x))

    layer = EngleftWithTorch()
    layer(np.ones((2, 3), "float32"))
    assert layer.training and layer.drop.training and layer.d.training
    layer.eval()
    assert not layer.training and not layer.drop.training and not layer.d.training
    layer.train()
    assert layer.drop.training and layer.d.training
    layer.training = None  # the user's own value: torch's flag is not touched
    assert layer.training is None and layer.drop.training
    layer.eval()
    assert layer.training is None and not layer.drop.training
    del layer.training  # back to torch's flag
    assert layer.training is False
    layer.training = "mine"
    copied = copy.deepcopy(layer)
    assert copied.training == "mine" and not copied.drop.training
    with pytest.raises(ValueError, match="expected to be boolean"):
        layer.train(None)


def test_evaluate_and_predict_restore_torchs_mode_not_the_users_value():
    # evaluate/predict put the model in eval mode and back: what they restore is torch's
    # flag, not a `self.training = False` the user assigned (a torch Dropout inside the
    # layer must be in training mode again afterwards).
    import torch

    class Holder(tf.keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.training = False
            self.drop = torch.nn.Dropout(0.5)

        def call(self, x):
            return self.drop(x)

    model = tf.keras.Sequential([tf.keras.Input((4,)), Holder()])
    model.compile("sgd", "mse")
    model.evaluate(np.ones((2, 4), "float32"), np.ones((2, 4), "float32"), verbose=0)
    assert model.layers[0].drop.training is True
    model.predict(np.ones((2, 4), "float32"), verbose=0)
    assert model.layers[0].drop.training is True
    assert model.layers[0].training is False
