"""tf.print lays out Python structures as TF 2.21's print_v2 (pprint templates) (printfuzz2).

Expected texts were printed by TensorFlow 2.21 with `output_stream=sys.stdout`.
"""

import collections
import io

import numpy as np

import tork as tf


def printed(*inputs, **kwargs) -> str:
    stream = io.StringIO()
    tf.print(*inputs, output_stream=stream, **kwargs)
    return stream.getvalue()


def test_dict_keys_print_sorted():
    value = {"k": tf.constant(1.0), "j": [tf.constant(2), 3]}
    assert printed(value) == "{'j': [2, 3], 'k': 1}\n"
    assert printed({"b": "s", "a": None}, "x{}y") == "{'a': None, 'b': 's'} x{}y\n"


def test_ordered_dict_keeps_its_order():
    value = collections.OrderedDict([("z", 1), ("a", tf.constant(2))])
    assert printed(value) == "OrderedDict([('z', 1), ('a', 2)])\n"


def test_long_python_list_wraps_as_pprint():
    assert printed(list(range(40))) == "[" + ",\n ".join(str(i) for i in range(40)) + "]\n"
    text = printed([tf.range(30), "abcdefghijklmnopqrstuvwxyz" * 3])
    assert text == "[[0 1 2 ... 27 28 29],\n '" + "abcdefghijklmnopqrstuvwxyz" * 3 + "']\n"


def test_numpy_values_print_as_their_repr():
    assert printed(np.array([1.0, 2.0]), [1, 2], (3,)) == "array([1., 2.]) [1, 2] (3,)\n"
    assert printed(np.float32(1.5), np.int64(3)) == "np.float32(1.5) np.int64(3)\n"


def test_ragged_and_sparse_tensors():
    assert printed(tf.ragged.constant([[1, 2], [3]])) == "[[1, 2], [3]]\n"
    assert (
        printed(tf.ragged.constant([[1.5, 2.0], [3.0]])) == "[[1.500000, 2.000000], [3.000000]]\n"
    )
    assert printed(tf.ragged.constant([["a", "b"], []])) == "[['a', 'b'], []]\n"
    assert printed([tf.ragged.constant([[1], []])]) == "[[[1], []]]\n"
    sparse = tf.SparseTensor([[0, 1]], [5.0], [2, 2])
    # TF quotes a sparse tensor's text (its template is a string inside pprint).
    assert printed(sparse) == "'SparseTensor(indices=[[0 1]], values=[5], shape=[2 2])'\n"
