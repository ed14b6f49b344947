"""Functional-API shape inference on RetinaNet graphs (keras-retinanet, keras.io RetinaNet).

Expected values: tensorflow 2.21 + tf_keras (TF_USE_LEGACY_KERAS=1).
"""

import numpy as np

import tork as tf

keras = tf.keras


def test_deep_strided_unknown_size_stays_unknown():
    # keras-retinanet's P7 on a ResNet: 61 and 97 both shrink to 1 by stride 128, so the
    # twins agree and tork fixes the size at 1. TF: (None, None, None, 4).
    inputs = keras.Input((None, None, 3))
    x = keras.layers.ZeroPadding2D(3)(inputs)
    x = keras.layers.Conv2D(4, 7, strides=2)(x)
    x = keras.layers.MaxPooling2D(3, strides=2, padding="same")(x)
    for _ in range(3):
        x = keras.layers.ZeroPadding2D(1)(x)
        x = keras.layers.Conv2D(4, 3, strides=2)(x)
    p6 = keras.layers.Conv2D(4, 3, strides=2, padding="same")(x)
    p7 = keras.layers.Conv2D(4, 3, strides=2, padding="same")(p6)
    assert tuple(p7.shape) == (None, None, None, 4)


class _AddAnchorCenters(keras.layers.Layer):
    """keras.io RetinaNet's DecodePredictions: anchors from the image's runtime size."""

    def call(self, image, predictions):
        shape = tf.cast(tf.shape(image), tf.float32)
        rx = tf.range(tf.math.ceil(shape[2] / 8), dtype=tf.float32) + 0.5
        ry = tf.range(tf.math.ceil(shape[1] / 8), dtype=tf.float32) + 0.5
        centers = tf.reshape(tf.stack(tf.meshgrid(rx, ry), axis=-1), [-1, 2]) * 8.0
        centers = tf.repeat(centers, 4, axis=0)  # 4 anchors per location
        return predictions + centers[None]


def test_layer_reading_image_size_next_to_predictions():
    # The layer reads tf.shape(image) (data-dependent on fake tensors), so tork runs it on
    # real ones; the image and the predictions got unrelated stand-in sizes and the
    # anchors (4 per 8x8 cell of the image) did not broadcast against the predictions
    # (a raw DataDependentOutputException). Now the graph is replayed on real data.
    image = keras.Input((None, None, 3))
    feat = keras.layers.Conv2D(8, 3, strides=8, padding="same")(image)
    preds = keras.layers.Reshape((-1, 2))(feat)
    out = _AddAnchorCenters()(image, preds)
    model = keras.Model(image, out)
    assert tuple(out.shape) == (None, None, 2)  # TF
    result = model.predict(np.zeros((1, 16, 24, 3), "float32"), verbose=0)
    assert result.shape == (1, 24, 2)  # TF
    # TF: zero predictions plus the anchor centres, one per 4 anchors.
    expected = [[4.0, 4.0], [12.0, 4.0], [20.0, 4.0], [4.0, 12.0], [12.0, 12.0], [20.0, 12.0]]
    np.testing.assert_allclose(result[0, ::4], expected)
