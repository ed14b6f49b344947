"""Keras 2's private `tensorflow.python.keras.utils.tf_utils`, as library layers import it.

Pattern from TensorSpeech/TensorFlowTTS (tensorflow_tts/utils/group_conv.py:
`from tensorflow.python.keras.utils import tf_utils`) and other tf.keras 2.x layers using
`@tf_utils.shape_type_conversion`, `smart_cond`, `constant_value` and
`sync_to_numpy_or_python_type`. The import failed on tork. Expected values: the same calls
on tensorflow 2.21's `tensorflow.python.keras.utils.tf_utils` / tf_keras 2.21's
`control_flow_util` (reference env).
"""

import importlib

import numpy as np
import pytest

import tork as tf

tf_utils = importlib.import_module("tork.python.keras.utils.tf_utils")


class _Widen:
    @tf_utils.shape_type_conversion
    def compute_output_shape(self, input_shape):
        _Widen.seen = input_shape
        return input_shape[:-1] + (3,)


def test_shape_type_conversion():
    out = _Widen().compute_output_shape(tf.TensorShape([None, 4]))
    # tf 2.21: the method sees the tuple (None, 4); the result is TensorShape([None, 3]).
    assert _Widen.seen == (None, 4) and type(_Widen.seen) is tuple
    assert isinstance(out, tf.TensorShape) and out.as_list() == [None, 3]
    assert _Widen().compute_output_shape([None, 4]).as_list() == [None, 3]


def test_convert_shapes_and_sync():
    assert tf_utils.convert_shapes([tf.TensorShape([2, None]), (3, 4)]) == [(2, None), (3, 4)]
    nested = tf_utils.convert_shapes({"a": (2, 3), "b": [tf.TensorShape([1])]}, to_tuples=False)
    assert nested["a"].as_list() == [2, 3] and nested["b"][0].as_list() == [1]
    synced = tf_utils.sync_to_numpy_or_python_type(
        {"a": tf.constant(1.5), "b": [tf.constant([1, 2]), 3, "s"]}
    )
    # tf 2.21: {'a': 1.5, 'b': [array([1, 2], dtype=int32), 3, 's']}
    assert synced["a"] == 1.5 and type(synced["a"]) is float
    np.testing.assert_array_equal(synced["b"][0], np.array([1, 2], np.int32))
    assert synced["b"][1:] == [3, "s"]


def test_constant_value_and_smart_cond():
    # tf_keras 2.21: True, True, np.False_; a variable's value may change: None.
    assert tf_utils.constant_value(True) is True
    assert tf_utils.constant_value(1) is True
    assert tf_utils.constant_value(tf.constant(False)) == np.False_
    assert tf_utils.constant_value(tf.Variable(True)) is None
    with pytest.raises(TypeError, match=r"`pred` must be a Tensor, or a Python bool, or 1 or 0"):
        tf_utils.constant_value("x")
    # tf_keras 2.21: 1, 2, 1.
    assert tf_utils.smart_cond(True, lambda: 1, lambda: 2) == 1
    assert int(tf_utils.smart_cond(tf.constant(False), lambda: 1, lambda: tf.constant(2))) == 2
    assert tf_utils.smart_cond(tf.Variable(True), lambda: 1, lambda: 2) == 1


def test_type_predicates_and_missing_names():
    # tf 2.21: eager tensors and keras.Input tensors are not symbolic.
    assert not tf_utils.is_symbolic_tensor(tf.constant(1.0))
    assert not tf_utils.is_symbolic_tensor(tf.keras.Input((3,)))
    assert tf_utils.is_tensor_or_variable(tf.Variable(1.0))
    assert not tf_utils.is_tensor_or_variable(1.0)
    assert tf_utils.is_ragged(tf.ragged.constant([[1], []]))
    assert tf_utils.is_sparse(tf.sparse.eye(2)) and not tf_utils.is_ragged(tf.constant(1))
    with pytest.raises(NotImplementedError, match=r"tf_utils\.get_tensor_spec"):
        tf_utils.get_tensor_spec  # noqa: B018
