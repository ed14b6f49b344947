"""Functional-model engine fixes of the maskprop sweep.

Reference behaviour from tf_keras 2.x (TF_USE_LEGACY_KERAS=1, tensorflow-cpu) on the same code.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras


# -- the trailing axis of size 1 is added only when the result fits the Input ----------------


def test_batch_size_in_input_shape_reports_the_data_shape_and_the_fix():
    inp = keras.Input((10, 8, 8, 1))
    model = keras.Model(inp, keras.layers.Dense(2)(inp), name="model")
    # tf_keras: expected shape=(None, 10, 8, 8, 1), found shape=(12, 8, 8, 1)
    with pytest.raises(
        ValueError,
        match=r'Input 0 of layer "model" is incompatible with the layer: expected '
        r"shape=\(None, 10, 8, 8, 1\), found shape=\(12, 8, 8, 1\)\. .*"
        r"keras.Input\(shape=\(8, 8, 1\)\)",
    ):
        model(np.ones((12, 8, 8, 1), "float32"))
    with pytest.raises(ValueError, match=r"found shape=\(12, 8, 8, 1\)"):
        model.predict(np.ones((12, 8, 8, 1), "float32"), verbose=0)


def test_one_unbatched_image_keeps_its_hint():
    inp = keras.Input((28, 28, 1))
    model = keras.Model(inp, keras.layers.Conv2D(2, 3)(inp), name="convnet")
    with pytest.raises(
        ValueError,
        match=r"found shape=\(28, 28, 1\)\. The input looks like a single sample without its "
        r"batch axis",
    ):
        model(np.ones((28, 28, 1), "float32"))
    # Data without the channel axis still gets it (Keras 2 adds the trailing 1).
    assert tuple(model(np.ones((5, 28, 28), "float32")).shape) == (5, 26, 26, 2)


def test_second_input_is_named_by_its_index():
    a, b = keras.Input((3,)), keras.Input((4, 1))
    model = keras.Model([a, b], keras.layers.Concatenate()([a, keras.layers.Flatten()(b)]))
    with pytest.raises(ValueError, match=r"Input 1 of layer .* found shape=\(2, 5\)\."):
        model([np.ones((2, 3), "float32"), np.ones((2, 5), "float32")])


def test_scalar_per_sample_data_still_gets_its_axis():
    inp = keras.Input((1,))
    model = keras.Model(inp, keras.layers.Dense(1, kernel_initializer="ones")(inp))
    np.testing.assert_allclose(np.asarray(model(np.array([1.0, 2.0], "float32"))), [[1], [2]])


# -- model.outputs = [...] (Keras 2.1 idiom) and Keras 1's Model(input=, output=) -------------


def _three_layer_model():
    inp = keras.Input((4,))
    hidden = keras.layers.Dense(3)(inp)
    return keras.Model(inp, keras.layers.Dense(2)(hidden), name="vgg")


def test_assigning_outputs_or_inputs_says_to_build_a_new_model():
    model = _three_layer_model()
    # tf_keras accepts the assignment, then fails in call with "pop from empty list".
    with pytest.raises(
        AttributeError,
        match=r"Cannot set `outputs` of functional model 'vgg'.*keras\.Model\(model\.input, "
        r"model\.layers\[9\]\.output\)",
    ):
        model.outputs = [model.layers[1].output]
    with pytest.raises(AttributeError, match=r"Cannot set `inputs` of functional model 'vgg'"):
        model.inputs = [model.layers[0].output]
    # The suggested fix works and the model is unchanged.
    features = keras.Model(model.input, model.layers[1].output)
    assert tuple(features(np.ones((2, 4), "float32")).shape) == (2, 3)
    assert tuple(model(np.ones((2, 4), "float32")).shape) == (2, 2)


def test_keras1_input_output_keywords_name_the_keras2_ones():
    inp = keras.Input((4,))
    out = keras.layers.Dense(2)(inp)
    # tf_keras: TypeError ('Keyword argument not understood:', 'input')
    with pytest.raises(TypeError, match=r"'input', 'output': Keras 2 names them inputs= and "):
        keras.Model(input=inp, output=out)
    with pytest.raises(TypeError, match=r"keyword\(s\) 'output': .*outputs="):
        keras.Model(inputs=inp, output=out)


# -- model.losses lists symbolic add_loss tensors added after the model ran -------------------


class _CallLoss(keras.layers.Layer):
    def call(self, x):
        self.add_loss(tf.reduce_sum(x))
        return x


def test_symbolic_losses_added_after_predict_are_listed():
    # Mask R-CNN's pattern: predict (or any run), then model.add_loss(tensor) per loss.
    inp = keras.Input((4,))
    out = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")(inp)
    model = keras.Model(inp, out)
    x = np.ones((2, 4), "float32")
    model.predict(x, verbose=0)
    assert model.losses == []
    for i in range(5):
        model.add_loss(tf.reduce_mean(out) * (i + 1))
    # tf_keras 2.x: 5 SymbolicTensors, then 6 with a callable loss.
    assert len(model.losses) == 5
    assert all(isinstance(loss, keras.KerasTensor) for loss in model.losses)
    model.add_loss(lambda: tf.reduce_sum(model.layers[1].kernel))
    assert len(model.losses) == 6
    model(x)
    # tf_keras: [8.0 (the callable), 4.0, 8.0, 12.0, 16.0, 20.0] after a call.
    np.testing.assert_allclose(
        [float(loss) for loss in model.losses], [8.0, 4.0, 8.0, 12.0, 16.0, 20.0], rtol=1e-6
    )


def test_late_symbolic_loss_next_to_losses_of_a_run():
    inp = keras.Input((4,))
    h = keras.layers.Dense(3, activity_regularizer="l2", kernel_regularizer="l2")(inp)
    out = _CallLoss()(keras.layers.Dense(2)(h))
    model = keras.Model(inp, out)
    model.set_weights([np.full(w.shape, 0.1, "float32") for w in model.get_weights()])
    x = np.ones((2, 4), "float32")
    model(x)
    model.add_loss(tf.reduce_mean(out))
    # tf_keras 2.x: three values from the run, then one SymbolicTensor.
    losses = model.losses
    assert len(losses) == 4
    assert isinstance(losses[-1], keras.KerasTensor)
    assert not any(isinstance(loss, keras.KerasTensor) for loss in losses[:3])
    model(x)
    # tf_keras 2.x after a call: [0.0075, 0.0012, 1.0, 0.25]
    np.testing.assert_allclose(
        [float(loss) for loss in model.losses], [0.0075, 0.0012, 1.0, 0.25], rtol=1e-5
    )
