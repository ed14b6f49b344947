"""`tf.train.Checkpoint` over plain `tf.Module` trees and `CheckpointManager` directories,
both directions with TensorFlow's format.

tests/train/data/tf_modules/ckpt was written by TensorFlow 2.21
(`make_tf_checkpoints.py modules`): lists, dicts, tuples and nesting of variables and
modules, int64/int32/bool/non-trainable variables and a variable shared by two modules.
TF_KEYS is `tf.train.list_variables` of it: `tf.train.Checkpoint` tracks its keyword
arguments sorted by name, so the shared variable is keyed under `other/`, the first
path to it.
"""

import os

import numpy as np

import tork as tf

DATA = os.path.join(os.path.dirname(__file__), "data")
TF_KEYS = {
    "_CHECKPOINTABLE_OBJECT_GRAPH",
    "other/shared/.ATTRIBUTES/VARIABLE_VALUE",
    "step/.ATTRIBUTES/VARIABLE_VALUE",
    "tree/items/0/.ATTRIBUTES/VARIABLE_VALUE",
    "tree/items/1/count/.ATTRIBUTES/VARIABLE_VALUE",
    "tree/items/1/w/.ATTRIBUTES/VARIABLE_VALUE",
    "tree/nested/0/0/.ATTRIBUTES/VARIABLE_VALUE",
    "tree/nested/1/k/0/.ATTRIBUTES/VARIABLE_VALUE",
    "tree/pair/0/.ATTRIBUTES/VARIABLE_VALUE",
    "tree/table/a/.ATTRIBUTES/VARIABLE_VALUE",
    "tree/table/b/count/.ATTRIBUTES/VARIABLE_VALUE",
    "tree/table/b/w/.ATTRIBUTES/VARIABLE_VALUE",
}


class Leaf(tf.Module):
    def __init__(self, scale):
        super().__init__()
        self.w = tf.Variable(np.full((2,), scale, np.float32))
        self.count = tf.Variable(3, dtype=tf.int64, trainable=False)


class Tree(tf.Module):
    def __init__(self, shared):
        super().__init__()
        self.items = [tf.Variable(1.0), Leaf(0.5)]
        self.table = {"a": tf.Variable([1, 2], dtype=tf.int32), "b": Leaf(1.5)}
        self.pair = (tf.Variable(True),)
        self.shared = shared
        self.nested = [[tf.Variable(7.0)], {"k": (tf.Variable(8.0),)}]


class Other(tf.Module):
    def __init__(self, shared):
        super().__init__()
        self.shared = shared


def _objects():
    shared = tf.Variable([9.0, 10.0])
    tree, other = Tree(shared), Other(shared)
    step = tf.Variable(0, dtype=tf.int64)
    return tf.train.Checkpoint(step=step, tree=tree, other=other), step, tree, other


def _values(step, tree, other):
    return [
        int(step),
        float(tree.items[0]),
        tree.items[1].w.numpy().tolist(),
        int(tree.items[1].count),
        tree.table["a"].numpy().tolist(),
        tree.table["b"].w.numpy().tolist(),
        int(tree.table["b"].count),
        bool(tree.pair[0]),
        tree.shared.numpy().tolist(),
        other.shared.numpy().tolist(),
        float(tree.nested[0][0]),
        float(tree.nested[1]["k"][0]),
    ]


# What TensorFlow wrote (make_tf_checkpoints.py `modules`).
TF_VALUES = [4, 2.0, [0.25, 0.75], 11, [5, 6], [3.0, 4.0], 3, False, [-1.0, -2.0],
             [-1.0, -2.0], 70.0, 80.0]  # fmt: skip


def test_tf_module_tree_restored_from_tf():
    checkpoint, step, tree, other = _objects()
    checkpoint.read(os.path.join(DATA, "tf_modules", "ckpt")).assert_consumed()
    assert _values(step, tree, other) == TF_VALUES
    assert tree.shared is other.shared
    assert tree.items[1].count.dtype == tf.int64 and tree.table["a"].dtype == tf.int32


def test_tf_module_tree_written_with_tf_keys(tmp_path):
    checkpoint, step, tree, other = _objects()
    checkpoint.read(os.path.join(DATA, "tf_modules", "ckpt")).assert_consumed()
    prefix = checkpoint.write(str(tmp_path / "ckpt"))
    assert {key for key, _ in tf.train.list_variables(prefix)} == TF_KEYS
    again = _objects()
    again[0].read(prefix).assert_consumed()
    assert _values(*again[1:]) == TF_VALUES


def test_checkpoint_keyword_arguments_are_written_sorted_then_save_counter(tmp_path):
    # TF 2.21: Checkpoint(zeta=, alpha=, model=).save() has root edges
    # [alpha, model, zeta, save_counter].
    from tork.train import _format, _object_graph_proto

    module = tf.Module()
    module.v = tf.Variable(1.0)
    checkpoint = tf.train.Checkpoint(zeta=tf.Variable(1.0), alpha=tf.Variable(2.0), model=module)
    prefix = checkpoint.save(str(tmp_path / "sc"))
    reader = tf.train.load_checkpoint(prefix)
    graph = _object_graph_proto.parse(reader.get_tensor(_object_graph_proto.GRAPH_KEY))
    assert [name for _, name in graph[0].children] == ["alpha", "model", "zeta", "save_counter"]
    assert _format.is_tf_bundle(prefix)


def test_manager_continues_a_tf_directory(tmp_path):
    # tests/train/data/tf_manager: TF's CheckpointManager(max_to_keep=2) saved ckpt-1, ckpt-2.
    import shutil

    directory = tmp_path / "tf_manager"
    shutil.copytree(os.path.join(DATA, "tf_manager"), directory)
    step = tf.Variable(0, dtype=tf.int64)
    checkpoint = tf.train.Checkpoint(step=step)
    manager = tf.train.CheckpointManager(checkpoint, str(directory), max_to_keep=2)
    assert [os.path.basename(p) for p in manager.checkpoints] == ["ckpt-1", "ckpt-2"]
    checkpoint.restore(manager.latest_checkpoint).expect_partial()
    saved = manager.save()
    # Numbering goes on from TF's save_counter; the oldest is deleted, as TF does.
    assert os.path.basename(saved) == "ckpt-3"
    assert [os.path.basename(p) for p in manager.checkpoints] == ["ckpt-2", "ckpt-3"]
    assert not os.path.exists(str(directory / "ckpt-1.index"))
    state = tf.train.get_checkpoint_state(str(directory))
    assert list(state.all_model_checkpoint_paths)[-1].endswith("ckpt-3")
    assert len(state.all_model_checkpoint_timestamps) == 2
