"""Static shapes of unknown sizes after many strided layers (RetinaNet/FPN P6-P7).

tork infers shapes on two stand-in sizes (61 and 97); after seven stride-2 layers both
are 1 and used to fix the size at 1. Expected shapes: tensorflow 2.21 + tf_keras
(TF_USE_LEGACY_KERAS=1), the same graphs built with `import tf_keras as keras`.
"""

import numpy as np
import pytest

import tork as tf

keras = tf.keras
layers = keras.layers


def _strided(x, n=8, make=lambda: layers.Conv2D(4, 3, strides=2, padding="same")):
    for _ in range(n):
        x = make()(x)
    return x


def test_conv_chain_stays_unknown_in_shape_int_shape_and_model():
    inputs = keras.Input((None, None, 3))
    x = _strided(inputs)
    model = keras.Model(inputs, x)
    # TF: (None, None, None, 4) everywhere; tork gave (None, 1, 1, 4).
    assert tuple(x.shape) == (None, None, None, 4)
    assert keras.backend.int_shape(x) == (None, None, None, 4)
    assert model.output_shape == (None, None, None, 4)
    assert tuple(layers.Reshape((-1, 4))(x).shape) == (None, None, 4)


def test_summary_shows_unknown_sizes():
    inputs = keras.Input((None, None, 3))
    model = keras.Model(inputs, _strided(inputs))
    lines = []
    model.summary(print_fn=lines.append)
    last_conv = [line for line in lines if "Conv2D" in line][-1]
    assert "(None, None, None, 4)" in last_conv  # TF's summary row


def test_sequential_conv_chain():
    model = keras.Sequential(
        [keras.Input((None, None, 3))]
        + [layers.Conv2D(4, 3, strides=2, padding="same") for _ in range(8)]
    )
    assert model.output_shape == (None, None, None, 4)  # TF


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.MaxPooling2D(3, strides=2, padding="same"),
        lambda: layers.MaxPooling2D(2),
        lambda: layers.AveragePooling2D(2, padding="same"),
    ],
    ids=["maxpool_same", "maxpool_valid", "avgpool_same"],
)
def test_pooling_chains(make):
    inputs = keras.Input((None, None, 3))
    assert tuple(_strided(inputs, 8, make).shape) == (None, None, None, 3)  # TF


def test_valid_conv_chain():
    inputs = keras.Input((None, None, 3))
    x = _strided(inputs, 7, lambda: layers.Conv2D(4, 3, strides=2))
    assert tuple(x.shape) == (None, None, None, 4)  # TF


def test_one_unknown_axis_keeps_the_known_one_fixed():
    # TF: (None, None, 1, 4): the known 64 columns are 1 after 8 halvings.
    inputs = keras.Input((None, 64, 3))
    assert tuple(_strided(inputs).shape) == (None, None, 1, 4)
    pooled = _strided(inputs, 8, lambda: layers.MaxPooling2D(2, padding="same"))
    assert tuple(pooled.shape) == (None, None, 1, 3)


def test_fixed_input_size_stays_fixed():
    inputs = keras.Input((64, 64, 3))
    assert tuple(_strided(inputs).shape) == (None, 1, 1, 4)  # TF


def test_conv1d_chain():
    inputs = keras.Input((None, 5))
    x = _strided(inputs, 8, lambda: layers.Conv1D(4, 3, strides=2, padding="same"))
    assert tuple(x.shape) == (None, None, 4)  # TF


def test_recurrent_layer_on_shrunk_sequence():
    # The check runs a GRU over the larger stand-in length: cheap enough, same result.
    inputs = keras.Input((None, 5))
    x = _strided(inputs, 3, lambda: layers.Conv1D(4, 3, strides=2, padding="same"))
    assert tuple(layers.GRU(2)(x).shape) == (None, 2)  # TF
    assert tuple(layers.GRU(2, return_sequences=True)(x).shape) == (None, None, 2)  # TF


def test_real_sizes_of_one_stay_fixed():
    # Sizes of 1 that do not come from the stand-ins stay known, as in TF.
    inputs = keras.Input((None, None, 3))
    pooled = layers.GlobalAveragePooling2D(keepdims=True)(inputs)
    assert tuple(pooled.shape) == (None, 1, 1, 3)
    assert tuple(layers.Dense(1)(keras.Input((None, 5))).shape) == (None, None, 1)


def test_upsampling_after_collapse():
    inputs = keras.Input((None, None, 3))
    x = layers.UpSampling2D(4)(_strided(inputs))
    assert tuple(x.shape) == (None, None, None, 4)  # TF; tork gave (None, 4, 4, 4)


def test_unknown_meets_fixed_size_one():
    # TF: an unknown size is compatible with 1: (None, 1, 1, 8); Add broadcasts.
    inputs = keras.Input((None, None, 3))
    p7 = _strided(inputs)
    fixed = keras.Input((1, 1, 4))
    assert tuple(layers.Concatenate()([p7, fixed]).shape) == (None, 1, 1, 8)
    assert tuple(layers.Add()([p7, fixed]).shape) == (None, None, None, 4)


def test_predict_gives_the_real_size():
    inputs = keras.Input((None, None, 3))
    x = _strided(inputs)
    model = keras.Model(inputs, [x, layers.GlobalMaxPooling2D()(x)])
    assert model.output_shape == [(None, None, None, 4), (None, 4)]  # TF
    out = model.predict(np.zeros((1, 300, 200, 3), "float32"), verbose=0)
    assert out[0].shape == (1, 2, 1, 4)  # TF: 300 -> 2 and 200 -> 1 rows/columns
    assert out[1].shape == (1, 4)


class _AnchorCenters(keras.layers.Layer):
    """keras.io RetinaNet's DecodePredictions, reduced: anchors from the image's size."""

    def call(self, image, predictions):
        shape = tf.cast(tf.shape(image), tf.float32)
        rx = tf.range(tf.math.ceil(shape[2] / 8), dtype=tf.float32) + 0.5
        ry = tf.range(tf.math.ceil(shape[1] / 8), dtype=tf.float32) + 0.5
        centers = tf.reshape(tf.stack(tf.meshgrid(rx, ry), axis=-1), [-1, 2]) * 8.0
        return predictions + tf.repeat(centers, 4, axis=0)[None]


class _MeanLoss(keras.layers.Layer):
    def call(self, x):
        self.add_loss(tf.reduce_mean(x) + 1.0)
        return x


def test_real_replay_leaves_no_state_on_the_graph_layers():
    # Inferring the anchor layer's shape replays the graph on real data; the batch
    # norm's moving statistics and the losses added in call must not keep any of it.
    image = keras.Input((None, None, 3))
    x = layers.Conv2D(8, 3, strides=8, padding="same")(image)
    norm = layers.BatchNormalization()
    x = _MeanLoss()(layers.Dropout(0.5)(norm(x)))
    out = _AnchorCenters()(image, layers.Reshape((-1, 2))(x))
    model = keras.Model(image, out)
    assert tuple(out.shape) == (None, None, 2)  # TF
    np.testing.assert_array_equal(norm.moving_mean.numpy(), np.zeros(8))
    np.testing.assert_array_equal(norm.moving_variance.numpy(), np.ones(8))
    assert len(model.losses) == 1  # TF
    model.compile("sgd", "mse")
    images, targets = np.zeros((1, 16, 24, 3), "float32"), np.zeros((1, 24, 2), "float32")
    # TF: 134.33333 = mean of the squared anchor centres (1600 / 12) + the added loss 1.
    assert model.evaluate(images, targets, verbose=0) == pytest.approx(134.333333, rel=1e-5)


class _RangeOfLength(keras.layers.Layer):
    def call(self, image, predictions):
        length = tf.cast(tf.shape(image), tf.float32)[1]
        return predictions + tf.range(length, dtype=tf.float32)


def test_value_reading_layer_whose_unknown_length_meets_a_fixed_one_builds():
    # A range as long as the unknown axis added to 7 fixed columns: TF builds it, with
    # output shape (None, 7), and fails at run time unless the length is 7. The last
    # stand-ins give the unknown axis the size the other input has on it.
    image = keras.Input((None, 3))
    out = _RangeOfLength(name="ranged")(image, keras.Input((7,)))
    assert tuple(out.shape) == (None, 7)  # TF


class _RangeOfWidth(keras.layers.Layer):
    def call(self, image, predictions):
        length = tf.cast(tf.shape(image), tf.float32)[2]
        return predictions + tf.range(length, dtype=tf.float32)


def test_value_reading_layer_that_no_stand_in_fits_names_the_fix():
    # The same on an axis no other input has a size on: no stand-in size fits (TF builds
    # it and fails at run time unless the width is 7). tork gave a bare torch
    # DataDependentOutputException.
    image = keras.Input((3, None))
    with pytest.raises(
        ValueError, match=r"reads values of its symbolic inputs.*compute_output_shape"
    ) as info:
        _RangeOfWidth(name="ranged")(image, keras.Input((7,)))
    assert "ranged" in " ".join(getattr(info.value, "__notes__", []))
