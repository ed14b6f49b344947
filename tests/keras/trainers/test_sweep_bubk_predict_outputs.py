"""`predict` of a model whose outputs hold no rows (sweep "bubk", bubbliiiing's yolo3-keras).

yolo3-keras wraps its box decoding in `Lambda(DecodeBox, ...)`: the outputs are the boxes
kept by non-max suppression, `(n, 4)`, `(n,)`, `(n,)` with n the number of detections,
which is 0 for an image without objects. Keras 2 returns three empty arrays
(tf_keras 2.21 on the same model: shapes (0, 4), (0,), (0,)); tork said "predict()
received no data: the input is empty".
"""

import numpy as np

import tork as tf

layers = tf.keras.layers


def _detector():
    image = layers.Input((4,))
    shape = layers.Input((2,), batch_size=1)

    def decode(args):
        scores, _ = args
        flat = tf.reshape(scores, [-1])
        kept = tf.boolean_mask(flat, flat > 0.5)  # the detections above the threshold
        boxes = tf.stack([kept, kept, kept, kept], axis=1)
        return boxes, kept

    return tf.keras.Model([image, shape], layers.Lambda(decode)([image, shape]))


def test_predict_returns_empty_outputs_when_nothing_is_kept():
    model = _detector()
    boxes, scores = model.predict([np.zeros((1, 4), "float32"), np.ones((1, 2))], verbose=0)
    assert boxes.shape == (0, 4) and scores.shape == (0,)
    assert boxes.dtype == np.float32


def test_predict_still_returns_the_kept_rows():
    model = _detector()
    x = np.array([[0.9, 0.1, 0.7, 0.2]], "float32")
    boxes, scores = model.predict([x, np.ones((1, 2))], verbose=0)
    np.testing.assert_allclose(scores, [0.9, 0.7], rtol=1e-6)
    assert boxes.shape == (2, 4)


def test_predict_of_a_dense_model_on_zero_samples_still_says_no_data():
    import pytest

    model = tf.keras.Sequential([layers.Input((3,)), layers.Dense(2)])
    with pytest.raises(ValueError, match="empty"):
        model.predict(np.zeros((0, 3), "float32"), verbose=0)
