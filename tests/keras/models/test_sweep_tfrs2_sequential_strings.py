"""A Sequential that starts with StringLookup, called as TF Recommenders' tutorials do.

The candidate tower is first called on a dataset of titles (shape `(batch,)`), then on
the `(batch, 1)` labels of a parsed TFRecord (sequential_retrieval): Keras 2 built a graph
for the first shape and its functional call squeezes the trailing axis of size 1, so the
embeddings are `(batch, dim)`. tork gave `(batch, 1, dim)`, which the retrieval loss
broadcast to a different value (a silent wrong loss) and the top-k metric refused.
The featurization tutorial calls a tower on a Python list of strings. Expected values
from TF 2.21 + tf_keras (TF_USE_LEGACY_KERAS=1).
"""

import numpy as np

import tork as tf


def _tower():
    return tf.keras.Sequential(
        [
            tf.keras.layers.StringLookup(vocabulary=["a", "b", "c"], mask_token=None),
            tf.keras.layers.Embedding(4, 2),
        ]
    )


def test_trailing_axis_of_one_is_squeezed_after_a_first_call_on_vectors():
    model = _tower()
    model(tf.constant(["a", "b"]))
    model.set_weights([np.arange(8, dtype="float32").reshape(4, 2)])
    # tf_keras: [[6.0, 7.0], [2.0, 3.0], [0.0, 1.0]]
    out = model(tf.constant([["c"], ["a"], ["zz"]]))
    assert tuple(out.shape) == (3, 2)
    np.testing.assert_array_equal(out, [[6.0, 7.0], [2.0, 3.0], [0.0, 1.0]])


def test_rank_follows_the_first_call():
    model = _tower()
    model(tf.constant([["a", "b", "c"]]))
    # tf_keras: (1, 3, 2) (1, 2, 2)
    assert tuple(model(tf.constant([[["a"], ["b"], ["c"]]])).shape) == (1, 3, 2)
    assert tuple(model(tf.constant([["a", "b"]])).shape) == (1, 2, 2)


def test_python_list_of_strings_is_data_not_a_shape():
    model = _tower()
    # tf_keras: (1, 2) and (2, 2); tork used to read the list as a build shape and run
    # StringLookup on float zeros.
    assert tuple(model(["b"]).shape) == (1, 2)
    assert tuple(model(np.array(["c", "a"])).shape) == (2, 2)
