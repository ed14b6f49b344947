"""Losses and metrics whose in-place writes sit in a helper they call.

Atienza, "Advanced Deep Learning with Keras", chapter 11 (SSD): `l1_loss` and
`smooth_l1_loss` call `mask_offset`, which slices the targets and predictions and
masks them with `offset *= mask; pred *= mask`. TF tensors are immutable, so this is
plain Keras code. On torch tensors the slices are views: with a `keras.utils.Sequence`
(whose batches are views of the user's arrays) every epoch wrote into the user's
targets. Numbers from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same script.
"""

import numpy as np
import pytest

import tork as tf
from tork.keras import backend as K

X = np.linspace(-1, 1, 12).reshape(4, 3).astype("float32")
KERNEL = np.full((3, 4), 0.1, "float32") * np.arange(4)


def _targets():
    return np.concatenate([np.full((4, 2), 3.0), np.tile([[1, 0]], (4, 1))], -1).astype("float32")


def scale_offset(y_true, y_pred):
    offset = y_true[..., 0:2]
    pred = y_pred[..., 0:2]
    offset *= 2.0  # not idempotent: a second epoch on written targets would see 12, not 6
    pred *= y_true[..., 2:4]
    return offset, pred


def helper_loss(y_true, y_pred):
    offset, pred = scale_offset(y_true, y_pred)
    return K.mean(K.abs(pred - offset), axis=-1)


def helper_metric(y_true, y_pred):
    offset, _ = scale_offset(y_true, y_pred)
    return K.sum(offset, axis=-1)


class _Batches(tf.keras.utils.Sequence):
    """Batches that are views of the arrays, as the book's data generators return."""

    def __init__(self, x, y):
        super().__init__()
        self.x, self.y = x, y

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return self.x[i * 2 : i * 2 + 2], self.y[i * 2 : i * 2 + 2]


def _model():
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,))])
    model.set_weights([KERNEL, np.zeros(4, "float32")])
    return model


def test_helper_writes_leave_sequence_targets_alone():
    y = _targets()
    model = _model()
    model.compile(tf.keras.optimizers.SGD(0.1), helper_loss, metrics=[helper_metric])
    history = model.fit(_Batches(X, y), epochs=3, verbose=0, shuffle=False)
    np.testing.assert_array_equal(y, _targets())
    # tf_keras 2.21: loss [5.99783, 5.94452, 5.89122], helper_metric [12, 12, 12].
    np.testing.assert_allclose(history.history["loss"], [5.99783, 5.94452, 5.89122], atol=1e-5)
    np.testing.assert_allclose(history.history["helper_metric"], [12.0, 12.0, 12.0])
    np.testing.assert_allclose(
        model.evaluate(_Batches(X, y), verbose=0), [5.84008, 12.0], atol=1e-5
    )
    np.testing.assert_array_equal(y, _targets())


class _Agent:
    """Losses as methods calling a helper method (chapter 13's `self.mi_loss` style)."""

    def mask(self, y_true):
        offset = y_true[..., 0:2]
        offset *= 2.0
        return offset

    def loss(self, y_true, y_pred):
        return K.mean(K.abs(y_pred[..., 0:2] * y_true[..., 2:4] - self.mask(y_true)), axis=-1)


def test_method_loss_with_helper_method_leaves_targets_alone():
    from tork._inplace import writes_in_place_once

    y = _targets()
    model = _model()
    agent = _Agent()
    model.compile(tf.keras.optimizers.SGD(0.1), agent.loss)
    history = model.fit(_Batches(X, y), epochs=3, verbose=0, shuffle=False)
    np.testing.assert_array_equal(y, _targets())
    # Same function as helper_loss: tf_keras 2.21's numbers above.
    np.testing.assert_allclose(history.history["loss"], [5.99783, 5.94452, 5.89122], atol=1e-5)
    holder = type("Holder", (), {})()
    assert writes_in_place_once(holder, agent.loss)  # found through `self.mask`
    assert not writes_in_place_once(holder, lambda y_true, y_pred: y_pred * 2)


def masked_after_use(y_true, y_pred):
    # `mask_offset` with its two writes swapped: `pred * mask` saves `mask` (a view of the
    # targets) for backward, then `offset *= mask` writes into the same targets.
    offset = y_true[..., 0:2]
    mask = y_true[..., 2:4]
    pred = y_pred[..., 0:2]
    pred *= mask
    offset *= mask
    return K.mean(K.abs(pred - offset), axis=-1)


@pytest.mark.parametrize("jit_compile", [False, pytest.param(True, marks=pytest.mark.slow)])
def test_write_into_targets_after_they_were_used_trains(jit_compile):
    # Before: "one of the variables needed for gradient computation has been modified by
    # an inplace operation". tf_keras 2.21: loss [1.4978306, 1.4445248].
    y = np.concatenate([np.full((4, 2), 3.0), np.tile([[1, 0]], (4, 1))], -1).astype("float32")
    before = y.copy()
    model = _model()
    model.compile(tf.keras.optimizers.SGD(0.1), masked_after_use, jit_compile=jit_compile)
    history = model.fit(X, y, epochs=2, batch_size=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], [1.4978306, 1.4445248], rtol=1e-6)
    np.testing.assert_array_equal(y, before)


class _ScaledOffsetLoss(tf.keras.losses.Loss):
    """A Loss subclass writing into slices of its arguments (a focal loss's style)."""

    def call(self, y_true, y_pred):
        y_pred /= K.sum(y_pred, axis=-1, keepdims=True)
        target = y_true[..., :2]
        target *= 2.0
        return K.sum(K.abs(y_pred[..., :2] - target), axis=-1)


def test_loss_subclass_writing_into_targets_leaves_them_alone():
    # Before: the targets doubled every epoch (loss [0.4994, 1.4868, 3.4743]).
    # tf_keras 2.21: loss [0.4994168, 0.48683757, 0.4742814], targets unchanged.
    y = np.full((4, 4), 0.25, "float32")
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="softmax", input_shape=(3,))])
    model.set_weights([KERNEL, np.zeros(4, "float32")])
    model.compile(tf.keras.optimizers.SGD(0.1), _ScaledOffsetLoss())
    history = model.fit(_Batches(X, y), epochs=3, verbose=0, shuffle=False)
    np.testing.assert_allclose(
        history.history["loss"], [0.4994168, 0.48683757, 0.4742814], rtol=1e-6
    )
    np.testing.assert_array_equal(y, np.full((4, 4), 0.25))
