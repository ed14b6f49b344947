"""Layer.__call__: call losses per called tree, in-place input changes (tf_keras 2.21)."""

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras


def test_calling_another_model_keeps_the_first_models_losses():
    # tf_keras 2.21 prints 1 for each len(g.losses) below.
    x = np.ones((2, 3), "float32")
    g = keras.Sequential([keras.layers.Dense(2, activity_regularizer="l2", input_shape=[3])])
    d = keras.Sequential([keras.layers.Dense(1, input_shape=[2])])
    g.layers[0].set_weights([np.full((3, 2), 0.5, "float32"), np.zeros(2, "float32")])
    y = g(x)
    d(y)
    assert len(g.losses) == 1
    # l2 activity: 0.01 * sum(y**2) / batch, y = 1.5 everywhere: 0.01 * 4 * 2.25 / 2.
    np.testing.assert_allclose(float(g.losses[0]), 0.01 * 4 * 2.25 / 2, rtol=1e-6)
    g(x)
    g(x)
    assert len(g.losses) == 1  # a new call of g replaces its losses


def test_gan_style_loop_reads_generator_losses_after_discriminator():
    x = np.ones((4, 3), "float32")
    g = keras.Sequential([keras.layers.Dense(2, activity_regularizer="l1", input_shape=[3])])
    d = keras.Sequential([keras.layers.Dense(1, activity_regularizer="l1", input_shape=[2])])
    d(g(x))
    assert len(g.losses) == 1
    assert len(d.losses) == 1
    d(np.ones((4, 2), "float32"))
    assert len(d.losses) == 1
    assert len(g.losses) == 1


class _InPlace(keras.layers.Layer):
    def call(self, x):
        x.sub_(1.0)  # torch's in-place method (TF has none): refused
        return x


def test_augmented_assignment_in_call_works_on_a_copy_as_in_tf():
    # Keras's antirectifier example writes `inputs -= K.mean(...)` (new tensor in TF).
    class Shift(keras.layers.Layer):
        def call(self, x):
            x -= 1.0
            return x

    x = tf.ones((2, 3))
    np.testing.assert_array_equal(Shift()(x).numpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(x.numpy(), np.ones((2, 3)))  # the caller's is unchanged
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Add()([Shift()(inp), inp]))
    np.testing.assert_array_equal(model(np.ones((1, 3), "float32")).numpy(), [[1.0, 1.0, 1.0]])


def test_in_place_change_of_the_input_raises():
    x = tf.ones((2, 3))
    with pytest.raises(ValueError) as info:
        _InPlace(name="shift")(x)
    message = str(info.value)
    assert "layer 'shift'" in message
    assert "changed its input tensor in place in call()" in message
    assert "Compute a new tensor instead, e.g. `x = x - 1.0`." in message


def test_in_place_change_in_a_functional_model_raises():
    inp = keras.Input((3,))
    out = keras.layers.Add()([_InPlace(name="shift2")(inp), inp])
    model = keras.Model(inp, out)
    with pytest.raises(ValueError, match="layer 'shift2'.*changed its input tensor in place"):
        model(np.ones((1, 3), "float32"))


def test_out_of_place_version_does_not_raise():
    class Shift(keras.layers.Layer):
        def call(self, x):
            x = x - 1.0
            return x

    x = tf.ones((2, 3))
    np.testing.assert_array_equal(Shift()(x).numpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(x.numpy(), np.ones((2, 3)))


def test_in_place_check_is_off_under_torch_compile():
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,)), keras.layers.Dense(1)])
    compiled = torch.compile(model)
    assert tuple(compiled(torch.ones(2, 3)).shape) == (2, 1)


class _Fails(keras.layers.Layer):
    def call(self, x):
        raise KeyError("boom")


def test_error_in_call_gets_keras_context_note():
    # tf_keras 2.21: "Exception encountered when calling layer 'bad' (type _Fails)." (in the
    # message); tork keeps the type and message and adds the same words as a note.
    with pytest.raises(KeyError) as info:
        _Fails(name="bad")(np.ones((2, 3), "float32"))
    assert str(info.value) == "'boom'"
    assert info.value.__notes__ == ["Exception encountered when calling layer 'bad' (type _Fails)."]


def test_error_in_nested_call_is_noted_once_for_the_innermost_layer():
    class Outer(keras.Model):
        def __init__(self):
            super().__init__()
            self.inner = _Fails(name="inner")

        def call(self, x):
            return self.inner(x)

    with pytest.raises(KeyError) as info:
        Outer()(np.ones((2, 3), "float32"))
    assert info.value.__notes__ == [
        "Exception encountered when calling layer 'inner' (type _Fails) in Outer.call."
    ]


def test_error_in_build_is_noted():
    class Bad(keras.layers.Layer):
        def build(self, input_shape):
            raise KeyError("bb")

    with pytest.raises(KeyError) as info:
        Bad(name="b")(tf.ones((1, 3)))
    assert info.value.__notes__ == ["Exception encountered when building layer 'b' (type Bad)."]


def test_functional_construction_error_is_not_noted_twice():
    with pytest.raises(KeyError) as info:
        _Fails(name="q")(keras.Input((3,)))
    notes = info.value.__notes__
    assert len(notes) == 1
    assert "layer 'q'" in notes[0]
    assert "Exception encountered" not in notes[0]


def test_in_place_change_of_a_converted_numpy_input_is_private():
    # The layer converted the NumPy array itself: nobody else holds that tensor.
    class Shift(keras.layers.Layer):
        def call(self, x):
            x -= 1.0
            return x

    np.testing.assert_allclose(Shift()(np.ones((1, 2), "float32")).numpy(), [[0.0, 0.0]])


def test_updates_is_empty_with_keras_2_deprecation_warning():
    layer = keras.layers.BatchNormalization()
    layer.build((None, 3))
    with pytest.warns(UserWarning, match=r"`layer.updates` will be removed in a future version"):
        assert layer.updates == []


def test_stateful_can_be_assigned_even_before_init():
    # keras-tcn's TCN sets `self.stateful = False` before super().__init__().
    from tork import keras as _keras

    class Doubling(_keras.layers.Layer):
        def __init__(self, **kwargs):
            self.stateful = False
            super().__init__(**kwargs)

        def call(self, x):
            return x * 2

    layer = Doubling()
    assert layer.stateful is False
    np.testing.assert_allclose(layer(np.ones((1, 2), "float32")).numpy(), [[2.0, 2.0]])
    layer.stateful = True
    assert layer.stateful is True
    assert _keras.layers.Dense(2).stateful is False
    assert _keras.layers.LSTM(2, stateful=True).stateful is True
