"""Keras 1/2.0 module paths used by bubbliiiing's Keras detection code (sweep "bubk").

faster-rcnn-keras's `frcnn_training.py` does
`from keras.objectives import categorical_crossentropy` (Keras kept `keras.objectives`
as an alias of `keras.losses` until 2.2); under tork the import is
`from tork.keras.objectives import ...` and must give the losses themselves.
"""

import numpy as np
import pytest

import tork as tf


def test_objectives_is_an_alias_of_losses():
    from tork.keras.objectives import binary_crossentropy, categorical_crossentropy

    assert categorical_crossentropy is tf.keras.losses.categorical_crossentropy
    assert binary_crossentropy is tf.keras.losses.binary_crossentropy


def test_objectives_loss_values():
    from tork.keras import objectives

    y = np.array([[0.0, 1.0, 0.0]], "float32")
    p = np.array([[0.2, 0.5, 0.3]], "float32")
    # -log(0.5), as faster-rcnn-keras's class_loss_cls computes it
    assert float(objectives.categorical_crossentropy(y, p)[0]) == pytest.approx(0.693147, 1e-5)


def test_objectives_unknown_name_says_where_to_look():
    with pytest.raises(ImportError, match="tork.keras.losses"):
        from tork.keras.objectives import no_such_loss  # noqa: F401


def test_keras1_merge_call_names_the_keras2_function():
    # bubbliiiing's Keras-Attention (Attention_in_LSTM.py) is Keras 1 code:
    # `from keras.layers import merge` then `merge([inputs, a_probs], mode='mul')`.
    # Since Keras 2 `merge` is the module (Keras 2.2 fails with "'module' object is not
    # callable"); tork says what to write instead.
    from tork.keras.layers import merge

    x = tf.keras.Input((3,))
    with pytest.raises(TypeError, match=r"layers\.multiply\(\[\.\.\.\]\)` for mode='mul'"):
        merge([x, x], name="attention_mul", mode="mul")
    with pytest.raises(TypeError, match=r"layers\.concatenate"):
        merge([x, x], mode="concat")
    with pytest.raises(TypeError, match="a merge function"):
        merge([x, x], mode=lambda t: t[0])
    # The module still answers its Keras 2.0 names.
    assert merge.Multiply is tf.keras.layers.Multiply
