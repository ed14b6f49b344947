"""Dataset.rejection_resample / tf.data.experimental.rejection_resample (helper smallfix21).

Reference: TensorFlow 2.21 (CPU) in the reference env, same pipelines. The random draws
differ from TF's, so the output's class proportions and length are compared with TF's
within sampling error; element_spec, cardinality and the repr class are compared exactly.
TF's runs (3000 elements drawn with p = [0.6, 0.3, 0.1], np.random.RandomState(0)):

    initial_dist       target            outputs  class proportions
    [.6, .3, .1]       [1/3, 1/3, 1/3]   1161     [0.332 0.311 0.357]
    [.6, .3, .1]       [.6, .3, .1]      3000     [0.596 0.291 0.113]  (_MapDataset, card 3000)
    [.6, .3, .1]       [0, .5, .5]        654     [0.    0.482 0.518]  (_PrefetchDataset)
    None (estimated)   [1/3, 1/3, 1/3]   1421     [0.358 0.338 0.303]
    None (estimated)   [.2, .3, .5]       769     [0.208 0.319 0.473]
    [.5, .3, .2]       [.2, .3, .5]      1043     [0.25  0.381 0.369]
"""

import numpy as np
import pytest

import tork as tf
from tork.ops.debugging import InvalidArgumentError

THIRD = [1 / 3, 1 / 3, 1 / 3]


def _classes():
    rng = np.random.RandomState(0)
    return rng.choice(3, size=3000, p=[0.6, 0.3, 0.1]).astype(np.int64)


@pytest.mark.parametrize(
    "initial, target, tf_count, tf_props",
    [
        ([0.6, 0.3, 0.1], THIRD, 1161, [0.332, 0.311, 0.357]),
        ([0.6, 0.3, 0.1], [0.0, 0.5, 0.5], 654, [0.0, 0.482, 0.518]),
        (None, THIRD, 1421, [0.358, 0.338, 0.303]),
        (None, [0.2, 0.3, 0.5], 769, [0.208, 0.319, 0.473]),
        ([0.5, 0.3, 0.2], [0.2, 0.3, 0.5], 1043, [0.25, 0.381, 0.369]),
    ],
)
def test_output_statistics_match_tf(initial, target, tf_count, tf_props):
    ds = tf.data.Dataset.from_tensor_slices(_classes())
    out = list(ds.rejection_resample(lambda x: x, target, initial_dist=initial, seed=3))
    classes = np.array([int(c) for c, _ in out])
    elements = np.array([int(e) for _, e in out])
    assert (classes == elements).all()  # (class, element) pairs
    props = np.bincount(classes, minlength=3) / len(classes)
    np.testing.assert_allclose(props, tf_props, atol=0.05)
    # The length is random too (the output ends when either stream runs out).
    assert abs(len(out) - tf_count) < 0.2 * tf_count
    if target[0] == 0.0:
        assert props[0] == 0.0


def test_input_already_at_target_passes_through():
    # TF: _MapDataset, cardinality 3000, every element once with its class.
    ds = tf.data.Dataset.from_tensor_slices(_classes())
    out = ds.rejection_resample(lambda x: x, [0.6, 0.3, 0.1], initial_dist=[0.6, 0.3, 0.1])
    assert int(out.cardinality()) == 3000
    assert repr(out).startswith("<_MapDataset element_spec=")
    pairs = list(out.as_numpy_iterator())
    assert [int(e) for _, e in pairs] == _classes().tolist()


def test_element_spec_cardinality_and_repr_match_tf():
    ds = tf.data.Dataset.from_tensor_slices(_classes())
    mixed = ds.rejection_resample(lambda x: x, THIRD, initial_dist=[0.6, 0.3, 0.1])
    assert str(mixed.element_spec) == (
        "(TensorSpec(shape=(), dtype=tf.int64, name=None), "
        "TensorSpec(shape=(), dtype=tf.int64, name=None))"
    )
    assert int(mixed.cardinality()) == -2
    assert repr(mixed).startswith("<_DirectedInterleaveDataset")
    only_accepted = ds.rejection_resample(lambda x: x, [0.0, 0.5, 0.5], [0.6, 0.3, 0.1])
    assert repr(only_accepted).startswith("<_PrefetchDataset")
    # Tuple elements stay one tuple next to the class; class_func takes them spread.
    pairs = tf.data.Dataset.from_tensor_slices(
        (_classes()[:200].astype(np.int32), np.arange(200.0, dtype=np.float32))
    )
    out = pairs.apply(tf.data.experimental.rejection_resample(lambda c, x: c, [0.5, 0.25, 0.25]))
    assert str(out.element_spec) == (
        "(TensorSpec(shape=(), dtype=tf.int32, name=None), (TensorSpec(shape=(), "
        "dtype=tf.int32, name=None), TensorSpec(shape=(), dtype=tf.float32, name=None)))"
    )
    cls, (c, x) = next(iter(out))
    assert int(cls) == int(c) and float(x) == int(float(x))
    # Dict elements: TF (int64 class, {'c': (), 'v': (2,)}).
    dicts = tf.data.Dataset.from_tensor_slices(
        {"c": _classes()[:100], "v": np.ones((100, 2), np.float32)}
    )
    spec = dicts.rejection_resample(lambda d: d["c"], [0.5, 0.25, 0.25], seed=1).element_spec
    assert spec[1]["v"].shape == (2,) and spec[0].dtype == tf.int64


def test_seeded_output_is_the_same_every_iteration():
    ds = tf.data.Dataset.range(40).map(lambda x: x % 2)
    out = ds.rejection_resample(lambda x: x, [0.8, 0.2], initial_dist=[0.5, 0.5], seed=3)
    assert [int(c) for c, _ in out] == [int(c) for c, _ in out]


def test_estimated_distribution_at_target_keeps_every_element():
    # TF: 40 outputs (the estimate reaches [0.5, 0.5]: every output comes unchanged).
    ds = tf.data.Dataset.range(40).map(lambda x: x % 2)
    assert len(list(ds.rejection_resample(lambda x: x, [0.5, 0.5]))) == 40


def test_errors():
    floats = tf.data.Dataset.from_tensor_slices(np.array([0.0, 1.0]))
    # TF: TypeError at build time (gather indices of dtype float64).
    with pytest.raises(TypeError, match="class_func` must return a scalar integer tensor"):
        floats.rejection_resample(lambda x: x, [0.5, 0.5], initial_dist=[0.4, 0.6])
    ds = tf.data.Dataset.range(4)
    # TF: InvalidArgumentError "Incompatible shapes: [2] vs. [3]" at build time.
    with pytest.raises(InvalidArgumentError, match="`initial_dist` has 3 classes"):
        ds.rejection_resample(lambda x: x, [0.5, 0.5], initial_dist=[0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="`target_dist` must be a 1-D list"):
        ds.rejection_resample(lambda x: x, [[0.5, 0.5]])
    out_of_range = tf.data.Dataset.from_tensor_slices(np.array([0, 5], np.int64))
    resampled = out_of_range.rejection_resample(lambda x: x, [0.5, 0.5], initial_dist=[0.4, 0.6])
    with pytest.raises(InvalidArgumentError, match=r"class 5, not in \[0, 2\)"):
        list(resampled)
    with pytest.raises(TypeError, match="`class_func` must be a callable"):
        ds.rejection_resample(3, [0.5, 0.5])
