"""`tf.nest` and `keras.tree`, against the behaviour TensorFlow and Keras document
(the examples of their API pages, worked by hand)."""

import collections

import numpy as np
import pytest
import torch

import tork as tf

keras = tf.keras
Point = collections.namedtuple("Point", ["x", "y"])


def test_flatten_walks_dicts_in_sorted_key_order_and_keeps_atoms_whole():
    assert tf.nest.flatten({"key3": "value3", "key1": "value1", "key2": "value2"}) == [
        "value1",
        "value2",
        "value3",
    ]
    assert tf.nest.flatten(((1.0, 2.0), (3.0, 4.0, 5.0), 6.0)) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    nested = {"key3": {"c": (1.0, 2.0), "a": 3.0}, "key1": {"m": "val1", "g": "val2"}}
    assert tf.nest.flatten(nested) == ["val2", "val1", 3.0, 1.0, 2.0]
    ordered = collections.OrderedDict([("b", 1), ("a", 2)])
    assert tf.nest.flatten(ordered) == [2, 1]  # sorted keys, not insertion order
    array, tensor = np.ones((2, 2)), torch.ones(3)
    flat = tf.nest.flatten([array, None, "ab", tensor])
    assert flat[0] is array and flat[1] is None and flat[2] == "ab" and flat[3] is tensor
    assert tf.nest.flatten(None) == [None]
    assert tf.nest.flatten(Point(1, (2, 3))) == [1, 2, 3]


def test_pack_sequence_as_inverts_flatten_and_keeps_each_dicts_own_order():
    structure = {"b": (0, 0), "a": 0}
    packed = tf.nest.pack_sequence_as(structure, [1, 2, 3])
    assert packed == {"b": (2, 3), "a": 1}
    assert list(packed) == ["b", "a"]
    point = tf.nest.pack_sequence_as(Point(0, [0, 0]), ["x", "y0", "y1"])
    assert isinstance(point, Point) and point == Point("x", ["y0", "y1"])
    assert tf.nest.pack_sequence_as(5, [7]) == 7
    ordered = collections.OrderedDict([("z", 0), ("a", 0)])
    repacked = tf.nest.pack_sequence_as(ordered, [1, 2])
    assert isinstance(repacked, collections.OrderedDict) and repacked == {"a": 1, "z": 2}


def test_pack_sequence_as_errors_name_the_counts():
    with pytest.raises(ValueError, match=r"structure has 3 atom\(s\), but flat_sequence has 2"):
        tf.nest.pack_sequence_as([0, (0, 0)], [1, 2])
    with pytest.raises(TypeError, match="flat_sequence must be a list or tuple"):
        tf.nest.pack_sequence_as([0], 1)


def test_map_structure_over_several_structures():
    assert tf.nest.map_structure(lambda a, b: a + b, (1, [2]), (10, [20])) == (11, [22])
    result = tf.nest.map_structure(lambda t: t * 2, {"w": torch.ones(2), "b": [torch.zeros(1)]})
    torch.testing.assert_close(result["w"], torch.full((2,), 2.0))
    with pytest.raises(ValueError, match="same number of elements"):
        tf.nest.map_structure(lambda a, b: a, [1, 2], [1])
    with pytest.raises(TypeError, match="list vs tuple"):
        tf.nest.map_structure(lambda a, b: a, [1], (1,))
    assert tf.nest.map_structure(lambda a, b: a + b, [1], (2,), check_types=False) == [3]


def test_assert_same_structure_and_is_nested():
    tf.nest.assert_same_structure((1, [2, {"a": 3}]), ("x", ["y", {"a": None}]))
    tf.nest.assert_same_structure({"a": 1}, collections.OrderedDict(a=2))  # dicts match
    with pytest.raises(ValueError, match="same keys"):
        tf.nest.assert_same_structure({"a": 1}, {"b": 1})
    with pytest.raises(ValueError, match=r"at \[1\].*is a structure.*is an atom"):
        tf.nest.assert_same_structure([1, [2]], [1, 2])
    assert tf.nest.is_nested([1]) and tf.nest.is_nested({}) and tf.nest.is_nested(Point(1, 2))
    assert not tf.nest.is_nested("abc") and not tf.nest.is_nested(None)
    assert not tf.nest.is_nested(np.ones(3)) and not tf.nest.is_nested(torch.ones(3))


def test_dicts_with_unsortable_keys_are_refused_clearly():
    with pytest.raises(TypeError, match="keys can be sorted"):
        tf.nest.flatten({1: "a", "b": 2})


def test_keras_tree_documented_examples():
    tree = keras.tree
    assert tree.flatten_with_path({"b": [5, 6], "a": 4}) == [
        (("a",), 4),
        (("b", 0), 5),
        (("b", 1), 6),
    ]
    assert tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2]]) == [2, 2]
    assert tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]]) == [
        "[1, 1]",
        ["2", "2"],
    ]
    assert tree.lists_to_tuples([1, {"a": [2]}]) == (1, {"a": (2,)})
    assert tree.map_shape_structure(len, {"x": (None, 3), "y": [(2, 4, 5)]}) == {"x": 2, "y": [3]}
    assert tree.map_structure(lambda x: x * 2, {"a": 1, "b": (2, 3)}) == {"a": 2, "b": (4, 6)}
    tree.assert_same_paths([0, 1], (2, 3))
    tree.assert_same_paths(Point(0, 1), collections.namedtuple("Other", "x y")(2, 3))
    with pytest.raises(ValueError, match=r"Only in the first: \[\('c',\)\]"):
        tree.assert_same_paths({"a": 1, "c": 2}, {"a": 1, "d": 2})
    with pytest.raises(ValueError, match="shallower than shallow_structure"):
        tree.map_structure_up_to([None, [None]], len, [[1], 2])
    with pytest.raises(TypeError, match="func must be callable"):
        tree.map_structure(3, [1])


def test_keras_tree_traverse_top_down_bottom_up_and_map_to_none():
    tree = keras.tree
    assert tree.traverse(lambda x: x + 1 if isinstance(x, int) else None, [1, (2,)]) == [2, (3,)]
    # Top down, a non-None result replaces the whole subtree without descending.
    assert tree.traverse(lambda x: "T" if isinstance(x, tuple) else None, [1, (2, 3)]) == [1, "T"]
    seen = []
    tree.traverse(lambda x: seen.append(x), [1, (2,)], top_down=False)
    assert seen == [1, 2, (2,), [1, (2,)]]  # children before their parent
    assert tree.traverse(lambda x: tree.MAP_TO_NONE if x == 2 else None, [1, 2], top_down=True) == [
        1,
        None,
    ]
