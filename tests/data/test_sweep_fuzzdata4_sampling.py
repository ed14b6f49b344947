"""sample_from_datasets / choose_from_datasets element specs (fuzzdata4).

TF 2.21 values (/tmp/fuzzdata4/p_scan4.py, p_samp4.py): the element_spec is the most
specific spec of all datasets (differing dims None, differing ranks unknown). tork gave the
first dataset's spec (shape (2,) while (3,) elements flowed), and accepted datasets whose
dict keys or nesting differ (TF raises TypeError).
"""

import pytest

import tork as tf

R = tf.data.Dataset.range


def _two(shape_a, shape_b):
    return [R(3).map(lambda x: tf.zeros(shape_a)), R(3).map(lambda x: tf.ones(shape_b))]


def test_sample_spec_merges_dims():
    ds = tf.data.Dataset.sample_from_datasets(_two([2], [3]), seed=1)
    assert ds.element_spec.shape.as_list() == [None]
    assert sorted(int(tf.size(x)) for x in ds) == [2, 2, 2, 3, 3, 3]
    spec = tf.data.Dataset.sample_from_datasets(
        [R(3).map(lambda x: {"a": tf.zeros([2, 4])}), R(3).map(lambda x: {"a": tf.ones([3, 4])})]
    ).element_spec
    assert spec["a"].shape.as_list() == [None, 4]
    # Ranks differ: an unknown shape, as TF.
    assert tf.data.Dataset.sample_from_datasets(_two([2], [3, 1])).element_spec.shape.rank is None


def test_choose_spec_and_padded_batch():
    choice = tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 0], tf.int64))
    ds = tf.data.Dataset.choose_from_datasets(
        [R(2).map(lambda x: tf.fill([2], x)), R(5, 7).map(lambda x: tf.fill([3], x))], choice
    )
    assert ds.element_spec.shape.as_list() == [None]
    batched = ds.padded_batch(4)
    assert batched.element_spec.shape.as_list() == [None, None]
    assert [b.numpy().tolist() for b in batched] == [[[0, 0, 0], [5, 5, 5], [6, 6, 6], [1, 1, 0]]]


def test_same_shapes_keep_static_spec():
    spec = tf.data.Dataset.sample_from_datasets(_two([2], [2])).element_spec
    assert spec.shape.as_list() == [2]


def test_different_structures_raise():
    with pytest.raises(TypeError, match="same element structure"):
        tf.data.Dataset.sample_from_datasets(
            [R(3).map(lambda x: {"a": x}), R(3).map(lambda x: {"b": x})]
        )
    with pytest.raises(TypeError, match="same element structure"):
        tf.data.Dataset.choose_from_datasets(
            [R(3).map(lambda x: (x, x)), R(3).map(lambda x: (x, (x,)))], R(2)
        )
