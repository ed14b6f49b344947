"""Shape inference retries of the functional API (node.py) found by sweeps of real code.

Shapes written as constants come from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1).
"""

import collections

import numpy as np
import pytest

import tork as tf

keras = tf.keras
layers = keras.layers
K = keras.backend


class RandomWeightedAverage(layers.Layer):
    """WGAN-GP's interpolation of real and fake images, batch size hard-coded."""

    def call(self, inputs):
        alpha = K.random_uniform((4, 1, 1, 1, 1))
        return alpha * inputs[0] + (1 - alpha) * inputs[1]


class FixedWeightedAverage(layers.Layer):
    """The same with known weights, to check values."""

    def call(self, inputs):
        alpha = tf.constant(np.arange(4, dtype="float32").reshape(4, 1, 1, 1, 1) / 4)
        return alpha * inputs[0] + (1 - alpha) * inputs[1]


def test_hard_coded_batch_in_a_broadcast_gives_the_batch_axis_that_size():
    real, fake = layers.Input((2, 2, 2, 1)), layers.Input((2, 2, 2, 1))
    out = RandomWeightedAverage()([real, fake])
    assert tuple(out.shape) == (4, 2, 2, 2, 1)  # tf_keras
    model = keras.Model([real, fake], out)
    x = np.ones((4, 2, 2, 2, 1), "float32")
    y = np.zeros((4, 2, 2, 2, 1), "float32")
    alpha = model.predict([x, y], verbose=0)
    assert alpha.shape == (4, 2, 2, 2, 1)
    # One weight per sample, between 0 and 1.
    assert np.all((alpha >= 0) & (alpha <= 1))
    np.testing.assert_allclose(alpha, np.broadcast_to(alpha[:, :1, :1, :1], alpha.shape))


def test_hard_coded_batch_broadcast_values_and_training():
    real, fake = layers.Input((2, 2, 2, 1)), layers.Input((2, 2, 2, 1))
    mixed = FixedWeightedAverage()([real, fake])
    out = layers.Dense(1)(layers.Flatten()(mixed))
    assert tuple(mixed.shape) == (4, 2, 2, 2, 1)
    assert tuple(out.shape) == (4, 1)  # tf_keras
    rng = np.random.RandomState(0)
    x = rng.rand(4, 2, 2, 2, 1).astype("float32")
    y = rng.rand(4, 2, 2, 2, 1).astype("float32")
    alpha = np.arange(4, dtype="float32").reshape(4, 1, 1, 1, 1) / 4
    mixer = keras.Model([real, fake], mixed)
    np.testing.assert_allclose(
        mixer.predict([x, y], verbose=0), alpha * x + (1 - alpha) * y, rtol=1e-6
    )
    model = keras.Model([real, fake], out)
    model.compile("sgd", "mse")
    # shuffle=False: the hard-coded weights go by position in the batch.
    history = model.fit([x, y], np.ones((4, 1)), batch_size=4, epochs=3, verbose=0, shuffle=False)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_hard_coded_batch_broadcast_outside_a_layer():
    x = layers.Input((3,))
    assert tuple((x * tf.ones((4, 1))).shape) == (4, 3)  # tf_keras
    assert tuple(layers.Lambda(lambda t: t + tf.zeros((4, 3)))(x).shape) == (4, 3)


def test_broadcast_against_an_incompatible_fixed_size_still_fails():
    x = layers.Input((3,))
    with pytest.raises(Exception, match="broadcast"):
        layers.Lambda(lambda t: t + tf.zeros((4, 5)))(x)


def _yolo_like_backbone():
    image = layers.Input((None, None, 3))
    c1 = layers.Conv2D(4, 3, strides=2, padding="same")(image)
    c3 = layers.Conv2D(4, 3, strides=2, padding="same")(
        layers.Conv2D(4, 3, strides=2, padding="same")(c1)
    )
    return image, c1, c3


def test_nested_model_joining_sizes_of_different_depths_on_unknown_sizes():
    image, c1, c3 = _yolo_like_backbone()
    i1, i2 = layers.Input((None, None, 4)), layers.Input((None, None, 4))
    head = keras.Model(i1, layers.UpSampling2D(4)(i1))
    joined = keras.Model([i1, i2], layers.Concatenate()([head(i1), i2]))
    out = joined([c3, c1])
    assert tuple(out.shape) == (None, None, None, 8)  # tf_keras
    model = keras.Model(image, out)
    x = np.random.RandomState(1).rand(2, 32, 32, 3).astype("float32")
    result = model.predict(x, verbose=0)
    assert result.shape == (2, 16, 16, 8)
    # The second half of the channels is the skip input, unchanged.
    c1_model = keras.Model(image, c1)
    np.testing.assert_allclose(result[..., 4:], c1_model.predict(x, verbose=0), rtol=1e-5)
    # Nothing of the replay is left on the layers: the model still runs on other sizes.
    assert model.predict(x[:, :16, :16], verbose=0).shape == (2, 8, 8, 8)


def test_replayed_layers_add_no_losses():
    image = layers.Input((None, None, 3))
    c1 = layers.ActivityRegularization(l1=0.01)(
        layers.Conv2D(4, 3, strides=2, padding="same")(image)
    )
    c3 = layers.Conv2D(4, 3, strides=2, padding="same")(
        layers.Conv2D(4, 3, strides=2, padding="same")(c1)
    )
    i1, i2 = layers.Input((None, None, 4)), layers.Input((None, None, 4))
    joined = keras.Model([i1, i2], layers.Concatenate()([layers.UpSampling2D(4)(i1), i2]))
    model = keras.Model(image, joined([c3, c1]))
    assert len(model.losses) == 1  # tf_keras: the one activity regularization loss
    model.compile("sgd", "mse")
    model.fit(np.ones((2, 32, 32, 3)), np.zeros((2, 16, 16, 8)), verbose=0)
    assert len(model.losses) == 1


def test_top_level_join_of_different_depths_still_works():
    _, c1, c3 = _yolo_like_backbone()
    out = layers.Concatenate()([layers.UpSampling2D(4)(c3), c1])
    assert tuple(out.shape) == (None, None, None, 8)


Pair = collections.namedtuple("Pair", ["doubled", "first"])


def test_lambda_returning_a_namedtuple_gives_a_namedtuple_of_keras_tensors():
    x = layers.Input((3,))
    out = layers.Lambda(lambda t: Pair(t * 2, t[:, :1]))(x)
    assert type(out) is Pair
    assert tuple(out.doubled.shape) == (None, 3)
    assert tuple(out.first.shape) == (None, 1)
    model = keras.Model(x, out)
    data = np.arange(6, dtype="float32").reshape(2, 3)
    result = model.predict(data, verbose=0)
    assert type(result) is Pair  # as tf_keras
    np.testing.assert_allclose(result.doubled, data * 2)
    np.testing.assert_allclose(result.first, data[:, :1])


def test_lambda_returning_combined_non_max_suppression():
    boxes, scores = layers.Input((10, 1, 4)), layers.Input((10, 3))
    nms = layers.Lambda(
        lambda t: tf.image.combined_non_max_suppression(t[0], t[1], 5, 5, clip_boxes=False)
    )([boxes, scores])
    assert nms._fields == ("nmsed_boxes", "nmsed_scores", "nmsed_classes", "valid_detections")
    # tf_keras: (None, 5, 4), (None, 5), (None, 5), (None,)
    assert [tuple(v.shape) for v in nms] == [(None, 5, 4), (None, 5), (None, 5), (None,)]
    model = keras.Model([boxes, scores], list(nms))
    rng = np.random.RandomState(0)
    b = rng.rand(2, 10, 1, 4).astype("float32")
    s = rng.rand(2, 10, 3).astype("float32")
    _, nmsed_scores, _, valid = model.predict([b, s], verbose=0)
    np.testing.assert_array_equal(valid, [5, 5])
    # The kept scores tf_keras gives on this data.
    np.testing.assert_allclose(
        nmsed_scores,
        [[0.9622, 0.9527, 0.9293, 0.8289, 0.7352], [0.9561, 0.8817, 0.8811, 0.8464, 0.8138]],
        atol=1e-4,
    )


def _captured_input_model():
    inputs = layers.Input((4,))
    advantages = layers.Input((1,), name="advantages")
    probs = layers.Dense(2, activation="softmax")(inputs)
    model = keras.Model([inputs, advantages], probs)

    def loss(y_true, y_pred):
        return K.sum(-K.log(y_pred) * advantages)

    model.compile("adam", loss=loss)
    data = [np.ones((3, 4), "float32"), np.ones((3, 1), "float32")]
    return model, data, np.ones((3, 2), "float32")


@pytest.mark.parametrize("how", ["train_on_batch", "fit", "evaluate"])
def test_keras_input_captured_in_a_loss_names_the_input_and_the_fix(how):
    model, x, y = _captured_input_model()
    run = {
        "train_on_batch": lambda: model.train_on_batch(x, y),
        "fit": lambda: model.fit(x, y, verbose=0),
        "evaluate": lambda: model.evaluate(x, y, verbose=0),
    }[how]
    with pytest.raises(TypeError) as info:
        run()
    message = str(info.value)
    assert "the keras.Input 'advantages' of shape (None, 1)" in message
    assert "real tensors of shape (3, 2)" in message
    assert "captured by a loss" in message
    assert "model.add_loss" in message
    assert "custom `train_step`" in message


def test_constants_and_variables_still_meet_keras_tensors():
    x = layers.Input((3,))
    constant = tf.constant(np.full((1, 3), 2, "float32"))
    variable = tf.Variable(np.full((3,), 3, "float32"))
    model = keras.Model(x, [constant * x, x * variable])
    a, b = model.predict(np.ones((2, 3), "float32"), verbose=0)
    np.testing.assert_allclose(a, np.full((2, 3), 2))
    np.testing.assert_allclose(b, np.full((2, 3), 3))


def test_input_captured_with_y_true_only_is_named_too():
    # y_true has no gradient history: only the step marker tells this from building.
    inputs = layers.Input((4,))
    advantages = layers.Input((1,), name="advantages")
    model = keras.Model([inputs, advantages], layers.Dense(1)(inputs))
    model.compile("sgd", loss=lambda y, p: K.sum(y * advantages) + K.sum(p))
    x = [np.ones((3, 4), "float32"), np.ones((3, 1), "float32")]
    with pytest.raises(TypeError, match="the keras.Input 'advantages' of shape \\(None, 1\\)"):
        model.train_on_batch(x, np.ones((3, 1), "float32"))


def test_models_with_tensor_constants_build_and_load_under_no_grad(tmp_path):
    import torch

    x = layers.Input((2,))
    scale = tf.Variable([1.0, 2.0])
    y = tf.constant([1.0, 2.0]) * x + x * (scale * 2)  # a constant with gradient history
    model = keras.Model(x, y)
    np.testing.assert_allclose(model.predict(np.ones((1, 2)), verbose=0), [[3.0, 6.0]])
    path = str(tmp_path / "m.keras")
    model.save(path)
    with torch.no_grad():
        loaded = keras.models.load_model(path)
        z = tf.constant([3.0, 4.0]) * layers.Input((2,))
    assert tuple(z.shape) == (None, 2)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[3.0, 6.0]])
