"""Loss and metric objects whose parts write in place (segmentation_models' pattern).

segmentation_models builds its losses and metrics as callable objects: `cce_dice_loss`
is an object holding two loss objects, each calling a function of a helper module, and
that function writes `pr /= K.sum(pr, axis=-1, keepdims=True)`, harmless on TF's
immutable tensors. Used as metrics, the first one wrote into the batch's predictions
(metrics run outside autograd), so every metric after it saw rescaled predictions:
tork gave a dice of 0.667 where tf_keras 2.21 gives 0.5625. The pattern is written
here in a few lines of its own; the references are NumPy formulas (the same tests pass
on tf_keras 2.21 with `tf`, `K` swapped for TensorFlow's).
"""

import types

import numpy as np

import tork as tf
from tork._inplace import writes_in_place
from tork.keras import backend as K

# A helper module, as the library's `base/functional.py` (reached as `F.<name>`).
F = types.ModuleType("qubvel_sweep_functional")


def _categorical_crossentropy(gt, pr):
    pr /= K.sum(pr, axis=-1, keepdims=True)  # in place on torch: the caller's tensor
    pr = K.clip(pr, K.epsilon(), 1 - K.epsilon())
    return -K.mean(gt * K.log(pr))


def _dice(gt, pr):
    tp = K.sum(gt * pr)
    return 1 - (2 * tp + 1e-5) / (K.sum(gt) + K.sum(pr) + 1e-5)


F.categorical_crossentropy = _categorical_crossentropy
F.dice = _dice


class _Loss:
    def __init__(self, name):
        self.__name__ = name

    def __add__(self, other):
        return _Sum(self, other)

    def __rmul__(self, value):
        return _Scaled(self, value)


class _CategoricalCE(_Loss):
    def __call__(self, gt, pr):
        return F.categorical_crossentropy(gt, pr)


class _Dice(_Loss):
    def __call__(self, gt, pr):
        return F.dice(gt, pr)


class _Sum(_Loss):
    def __init__(self, l1, l2):
        super().__init__(f"{l1.__name__}_plus_{l2.__name__}")
        self.l1, self.l2 = l1, l2

    def __call__(self, gt, pr):
        return self.l1(gt, pr) + self.l2(gt, pr)


class _Scaled(_Loss):
    def __init__(self, loss, value):
        super().__init__(f"{value}{loss.__name__}")
        self.loss, self.value = loss, value

    def __call__(self, gt, pr):
        return self.value * self.loss(gt, pr)


class _Delegating:
    """A callable object whose `__call__` calls its own method, which writes in place."""

    def __call__(self, gt, pr):
        return self._scaled(gt, pr)

    def _scaled(self, gt, pr):
        pr *= 2.0
        return K.mean(pr)


X = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
KERNEL = np.array([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6], [-0.2, 0.3, 0.7]], "float32")
Y = np.eye(3, dtype="float32")[[0, 1, 2, 1]]


def _numpy_metrics():
    pr = 1 / (1 + np.exp(-(X @ KERNEL)))  # sigmoid outputs: rows do not sum to 1
    normed = np.clip(pr / pr.sum(-1, keepdims=True), 1e-7, 1 - 1e-7)
    cce = -np.mean(Y * np.log(normed))
    dice = 1 - (2 * (Y * pr).sum() + 1e-5) / (Y.sum() + pr.sum() + 1e-5)
    return cce, dice


def test_scan_follows_objects_modules_and_methods():
    cce, dice = _CategoricalCE("cce"), _Dice("dice")
    assert writes_in_place(cce)  # __call__ -> F.categorical_crossentropy
    assert not writes_in_place(dice)
    assert writes_in_place(dice + cce)  # through self.l2
    assert writes_in_place(0.5 * (dice + 2 * cce) + dice)  # four objects deep
    assert not writes_in_place(dice + 0.5 * dice)
    assert writes_in_place(_Delegating())  # through self._scaled


def test_plain_function_follows_module_helpers_when_asked():
    def loss(gt, pr):
        return F.categorical_crossentropy(gt, pr) + F.dice(gt, pr)

    assert writes_in_place(loss, follow_helpers=True)
    assert not writes_in_place(loss)  # the default reads `loss` alone, as before
    assert not writes_in_place(lambda gt, pr: tf.math.reduce_mean(tf.nn.relu(pr)), True)


def test_metric_objects_that_write_in_place_leave_later_metrics_alone():
    inputs = tf.keras.Input((3,))
    outputs = tf.keras.layers.Dense(3, activation="sigmoid", use_bias=False)(inputs)
    model = tf.keras.Model(inputs, outputs)
    model.set_weights([KERNEL])
    cce, dice = _CategoricalCE("cce"), _Dice("dice")
    model.compile("sgd", loss="mse", metrics=[cce, dice, dice + cce])
    results = model.evaluate(X, Y, batch_size=4, verbose=0, return_dict=True)
    want_cce, want_dice = _numpy_metrics()
    np.testing.assert_allclose(results["cce"], want_cce, rtol=1e-5)
    np.testing.assert_allclose(results["dice"], want_dice, rtol=1e-5)
    # The sum's two parts share one copy of the predictions, so it is checked in fit only
    # where the predictions are in autograd (see tork/_backend/augmented.py).


def test_fit_metrics_match_numpy_at_the_first_step():
    inputs = tf.keras.Input((3,))
    outputs = tf.keras.layers.Dense(3, activation="sigmoid", use_bias=False)(inputs)
    model = tf.keras.Model(inputs, outputs)
    model.set_weights([KERNEL])
    model.compile(
        tf.keras.optimizers.SGD(0.0), loss=_Dice("dice") + _CategoricalCE("cce"),
        metrics=[_CategoricalCE("cce"), _Dice("dice")],
    )  # fmt: skip
    history = model.fit(X, Y, batch_size=4, epochs=1, verbose=0)
    want_cce, want_dice = _numpy_metrics()
    np.testing.assert_allclose(history.history["loss"][0], want_cce + want_dice, rtol=1e-5)
    np.testing.assert_allclose(history.history["cce"][0], want_cce, rtol=1e-5)
    np.testing.assert_allclose(history.history["dice"][0], want_dice, rtol=1e-5)
