"""Object-based checkpoints list `_CHECKPOINTABLE_OBJECT_GRAPH`, as in TensorFlow.

google/automl's `util_keras.restore_ckpt` (like other TF 2 loaders) checks
`tf.train.list_variables(ckpt)[0][0] == '_CHECKPOINTABLE_OBJECT_GRAPH'` to choose
`model.load_weights(ckpt)`; otherwise it restores variable by variable through TF 1
graph names. tork's listing lacked the entry, so a checkpoint from `save_weights` took
the name-based branch. Reference (TF 2.21, tf_keras, `Sequential([Dense(2)])`
`save_weights`): `('_CHECKPOINTABLE_OBJECT_GRAPH', [])` first, then the variables; the
reader maps it to shape `[]`, dtype `tf.string`, and `has_tensor` is True.
"""

import numpy as np
import pytest

import tork as tf

KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"


@pytest.fixture
def saved(tmp_path):
    model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,), name="d")])
    path = str(tmp_path / "ckpt")
    model.save_weights(path)
    return model, path


def test_listed_first(saved):
    _, path = saved
    listed = tf.train.list_variables(path)
    assert listed[0] == (KEY, [])
    assert len(listed) == 3


def test_reader_maps(saved):
    _, path = saved
    reader = tf.train.load_checkpoint(path)
    assert reader.get_variable_to_shape_map()[KEY] == []
    assert reader.get_variable_to_dtype_map()[KEY] == tf.string
    assert reader.has_tensor(KEY)


def test_automl_restore_branch_loads_weights(saved):
    model, path = saved
    fresh = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,), name="d")])
    if tf.train.list_variables(path)[0][0] == KEY:
        fresh.load_weights(path)
    for a, b in zip(model.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_reading_the_graph_value_explains(tork_format, saved):
    _, path = saved
    with pytest.raises(ValueError, match="serialized object graph.*load_weights"):
        tf.train.load_variable(path, KEY)
