"""keras-retinanet's FilterDetections: `tf.map_fn` with a dtype list over a per-image
score threshold, `tf.where` + `tf.gather_nd`, `tf.image.non_max_suppression`,
`tf.nn.top_k` with a tensor k, `tf.pad` with a tensor pad size and `set_shape`,
inside a Keras layer of a functional model with unknown box counts.

Expected values: the same script on tensorflow 2.21 + tf_keras (TF_USE_LEGACY_KERAS=1).
"""

import numpy as np

import tork as tf

keras = tf.keras


def _filter(boxes, classification, score_threshold=0.3, max_detections=4, nms_threshold=0.5):
    kept = []
    for c in range(int(classification.shape[1])):
        scores = classification[:, c]
        where = tf.where(keras.backend.greater(scores, score_threshold))
        keep = tf.image.non_max_suppression(
            tf.gather_nd(boxes, where),
            keras.backend.gather(scores, where)[:, 0],
            max_output_size=max_detections,
            iou_threshold=nms_threshold,
        )
        where = keras.backend.gather(where, keep)
        labels = c * tf.ones((keras.backend.shape(where)[0],), dtype="int64")
        kept.append(keras.backend.stack([where[:, 0], labels], axis=1))
    indices = keras.backend.concatenate(kept, axis=0)
    scores = tf.gather_nd(classification, indices)
    k = keras.backend.minimum(max_detections, keras.backend.shape(scores)[0])
    scores, top = tf.nn.top_k(scores, k=k)
    rows = keras.backend.gather(indices[:, 0], top)
    boxes = keras.backend.gather(boxes, rows)
    labels = keras.backend.gather(indices[:, 1], top)
    pad = keras.backend.maximum(0, max_detections - keras.backend.shape(scores)[0])
    boxes = tf.pad(boxes, [[0, pad], [0, 0]], constant_values=-1)
    scores = tf.pad(scores, [[0, pad]], constant_values=-1)
    labels = keras.backend.cast(tf.pad(labels, [[0, pad]], constant_values=-1), "int32")
    boxes.set_shape([max_detections, 4])
    scores.set_shape([max_detections])
    labels.set_shape([max_detections])
    return [boxes, scores, labels]


class FilterDetections(keras.layers.Layer):
    def call(self, inputs):
        boxes, classification = inputs
        return tf.map_fn(
            lambda args: _filter(args[0], args[1]),
            elems=[boxes, classification],
            dtype=[keras.backend.floatx(), keras.backend.floatx(), "int32"],
            parallel_iterations=32,
        )

    def compute_output_shape(self, input_shape):
        return [(input_shape[0][0], 4, 4), (input_shape[1][0], 4), (input_shape[1][0], 4)]


def test_filter_detections_layer_matches_tf():
    boxes = np.array(
        [
            [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 9, 10], [40, 40, 50, 60]],
            [[5, 5, 15, 15], [30, 0, 40, 10], [31, 1, 41, 11], [0, 30, 10, 40], [60, 60, 70, 70]],
        ],
        "float32",
    )
    classification = np.array(
        [
            [[0.9, 0.1], [0.8, 0.7], [0.2, 0.6], [0.85, 0.2], [0.35, 0.4]],
            [[0.1, 0.2], [0.5, 0.95], [0.6, 0.9], [0.25, 0.1], [0.2, 0.31]],
        ],
        "float32",
    )
    box_in = keras.Input((None, 4))
    cls_in = keras.Input((None, 2))
    outputs = FilterDetections(name="filtered_detections")([box_in, cls_in])
    model = keras.Model([box_in, cls_in], outputs)
    assert [tuple(o.shape) for o in model.outputs] == [(None, 4, 4), (None, 4), (None, 4)]
    got_boxes, got_scores, got_labels = model.predict([boxes, classification], verbose=0)
    np.testing.assert_array_equal(
        got_boxes,
        [
            [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [40, 40, 50, 60]],
            [[30, 0, 40, 10], [31, 1, 41, 11], [60, 60, 70, 70], [-1, -1, -1, -1]],
        ],
    )
    np.testing.assert_allclose(got_scores, [[0.9, 0.7, 0.6, 0.4], [0.95, 0.6, 0.31, -1.0]])
    np.testing.assert_array_equal(got_labels, [[0, 1, 1, 1], [1, 0, 1, -1]])
    assert got_labels.dtype == np.int32
