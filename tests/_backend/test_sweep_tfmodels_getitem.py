"""A list of slices as an index means the tuple of them, as in TensorFlow.

tf-models' funnel transformer builds `[slice(None)] * axis + [slice(None, n)]` and
indexes with the list. TF 2.21: `t[[slice(None), slice(0, 2)]]` is `t[:, 0:2]`; torch
does the same today with a deprecation warning (and will read it as a tensor index).
"""

import warnings

import tork as tf


def test_list_of_slices_is_a_tuple_index():
    t = tf.constant([[1, 2, 3], [4, 5, 6]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # TF 2.21 values.
        assert t[[slice(None), slice(0, 2)]].tolist() == [[1, 2], [4, 5]]
        assert t[[Ellipsis, slice(1, None, 2)]].tolist() == [[2], [5]]


def test_a_variable_too():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    assert v[[slice(None), slice(1, 2)]].numpy().tolist() == [[2.0], [4.0]]


def test_a_list_of_ints_stays_torch_indexing():
    # tork tensors are torch tensors: an int list gathers rows (TF would read t[0, 1]).
    t = tf.constant([[1, 2, 3], [4, 5, 6]])
    assert t[[1, 0]].tolist() == [[4, 5, 6], [1, 2, 3]]
