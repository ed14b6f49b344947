"""The "Training checkpoints" guide: a dataset iterator in a Checkpoint, TF's names in readers."""

import numpy as np

import tork as tf


def test_checkpoint_saves_and_restores_iterator_position(tmp_path):
    dataset = tf.data.Dataset.range(10)
    iterator = iter(dataset)
    ckpt = tf.train.Checkpoint(step=tf.Variable(1), iterator=iterator)
    assert [int(next(iterator)) for _ in range(3)] == [0, 1, 2]
    path = ckpt.save(str(tmp_path / "ckpt"))
    assert int(next(iterator)) == 3

    # As TF: a fresh iterator restored from the checkpoint resumes after element 2.
    fresh = iter(tf.data.Dataset.range(10))
    tf.train.Checkpoint(step=tf.Variable(1), iterator=fresh).restore(path).assert_consumed()
    assert [int(fresh.get_next()) for _ in range(2)] == [3, 4]

    # Restoring into the iterator that already moved on takes it back too.
    ckpt.restore(path)
    assert int(next(iterator)) == 3


def test_iterator_position_in_batched_dict_dataset_as_guide(tmp_path, tork_format):
    inputs = tf.range(10.0)[:, None]
    labels = inputs * 5.0 + tf.range(5.0)[None, :]
    dataset = tf.data.Dataset.from_tensor_slices(dict(x=inputs, y=labels)).repeat().batch(2)
    iterator = iter(dataset)
    ckpt = tf.train.Checkpoint(iterator=iterator)
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=3)
    for _ in range(7):
        next(iterator)
    manager.save()
    iterator2 = iter(dataset)
    tf.train.Checkpoint(iterator=iterator2).restore(manager.latest_checkpoint)
    # Element 7 of the repeated, batched dataset: rows 14 % 10 = 4 and 5.
    np.testing.assert_array_equal(next(iterator2)["x"].numpy(), [[4.0], [5.0]])
    state = tf.train.load_variable(str(tmp_path), "iterator/.ATTRIBUTES/ITERATOR_STATE")
    assert int(state) == 7


def test_reader_maps_accept_tensorflow_names(tmp_path):
    layer = tf.keras.layers.Dense(5)
    layer.build((None, 1))
    ckpt = tf.train.Checkpoint(net=tf.train.Checkpoint(l1=layer))
    ckpt.save(str(tmp_path / "ckpt"))
    reader = tf.train.load_checkpoint(str(tmp_path))
    shapes = reader.get_variable_to_shape_map()
    dtypes = reader.get_variable_to_dtype_map()
    key = "net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE"
    # TF 2.21 prints `Shape: [1, 5]` and `Dtype: float32` for this key in the guide.
    assert shapes[key] == [1, 5]
    assert key in shapes
    assert dtypes[key] == tf.float32
    assert shapes.get("net/l1/bias/.ATTRIBUTES/VARIABLE_VALUE") == [5]
    assert shapes.get("no/such/.ATTRIBUTES/VARIABLE_VALUE") is None
    assert "no/such" not in shapes
    try:
        shapes["no/such"]
    except KeyError:
        pass
    else:
        raise AssertionError("expected KeyError")
    # Iterating still gives tork's own names, as list_variables.
    assert sorted(shapes) == sorted(name for name, _ in tf.train.list_variables(str(tmp_path)))
