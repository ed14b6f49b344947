"""tf.data.experimental.group_by_reducer and Reducer (helper smallfix21).

Expected outputs, element_specs and errors: TensorFlow 2.21 (CPU) in the reference env
running the same pipelines (quoted below).
"""

import numpy as np
import pytest

import tork as tf

VALUES = np.array([5, 3, 8, 3, 1, 5, 5, 0, 2], np.int64)


def _apply(ds, key_func, init, reduce, finalize):
    reducer = tf.data.experimental.Reducer(init, reduce, finalize)
    return ds.apply(tf.data.experimental.group_by_reducer(key_func, reducer))


def test_sums_per_key_in_increasing_key_order():
    ds = tf.data.Dataset.from_tensor_slices(VALUES)
    out = _apply(ds, lambda x: x % 3, lambda k: np.int64(0), lambda s, x: s + x, lambda s: s)
    # TF: [6, 1, 25], TensorSpec(shape=(), dtype=tf.int64), cardinality -2.
    assert [int(v) for v in out] == [6, 1, 25]
    assert str(out.element_spec) == "TensorSpec(shape=(), dtype=tf.int64, name=None)"
    assert int(out.cardinality()) == -2
    assert repr(out).startswith("<_GroupByReducerDataset")
    negative = tf.data.Dataset.from_tensor_slices(np.array([4, -1, 2, -3, 4, 7], np.int64))
    out = _apply(negative, lambda x: x, lambda k: np.int64(0), lambda s, x: s + x, lambda s: s)
    assert [int(v) for v in out] == [-3, -1, 2, 8, 7]  # TF


def test_tuple_state_is_spread_into_finalize_func():
    ds = tf.data.Dataset.from_tensor_slices(VALUES)
    out = _apply(
        ds,
        lambda x: 10 - x,
        lambda k: (k, np.int64(0)),
        lambda s, x: (s[0], s[1] + 1),
        lambda k, n: {"key": k, "count": n},
    )
    got = [{k: int(v) for k, v in e.items()} for e in out]
    # TF: keys 2, 5, 7, 8, 9, 10 with counts 1, 3, 2, 1, 1, 1.
    assert got == [
        {"key": 2, "count": 1},
        {"key": 5, "count": 3},
        {"key": 7, "count": 2},
        {"key": 8, "count": 1},
        {"key": 9, "count": 1},
        {"key": 10, "count": 1},
    ]


def test_tuple_elements_spread_into_key_func_not_reduce_func():
    ds = tf.data.Dataset.from_tensor_slices(
        (np.array([0, 1, 0, 1, 1], np.int64), np.arange(5, dtype=np.float32))
    )
    out = _apply(ds, lambda k, v: k, lambda k: np.float32(0), lambda s, e: s + e[1], lambda s: s)
    assert [float(v) for v in out] == [2.0, 8.0]  # TF
    mean = _apply(
        ds,
        lambda k, v: k,
        lambda k: (np.float32(0), np.float32(0)),
        lambda s, e: (s[0] + e[1], s[1] + 1.0),
        lambda total, n: total / n,
    )
    np.testing.assert_allclose([float(v) for v in mean], [1.0, 2.6666667])  # TF
    # TF: reduce_func(state, element) gets the tuple as one argument ("missing 1 required
    # positional argument: 'v'").
    spread = _apply(ds, lambda k, v: k, lambda k: np.float32(0), lambda s, k, v: s + v, lambda s: s)
    with pytest.raises(TypeError, match="missing 1 required positional argument"):
        list(spread)


def test_growing_state_and_dict_state():
    ds = tf.data.Dataset.from_tensor_slices(VALUES)
    out = _apply(
        ds,
        lambda x: x % 2,
        lambda k: tf.zeros([0], tf.int64),
        lambda s, x: tf.concat([s, [x]], 0),
        lambda s: s,
    )
    # TF: TensorSpec(shape=(None,), dtype=tf.int64), [8 0 2], [5 3 3 1 5 5].
    assert str(out.element_spec) == "TensorSpec(shape=(None,), dtype=tf.int64, name=None)"
    assert [v.numpy().tolist() for v in out] == [[8, 0, 2], [5, 3, 3, 1, 5, 5]]
    dicts = tf.data.Dataset.from_tensor_slices(
        {"k": np.array([1, 0, 1], np.int64), "v": np.array([[1, 2], [3, 4], [5, 6]], np.float32)}
    )
    out = _apply(
        dicts,
        lambda e: e["k"],
        lambda k: {"sum": tf.zeros([2]), "n": np.int64(0)},
        lambda s, e: {"sum": s["sum"] + e["v"], "n": s["n"] + 1},
        lambda s: s,
    )
    assert out.element_spec["sum"].shape == (2,)
    got = [(e["sum"].numpy().tolist(), int(e["n"])) for e in out]
    assert got == [([3.0, 4.0], 1), ([6.0, 8.0], 2)]  # TF


def test_empty_input_gives_no_groups():
    ds = tf.data.Dataset.from_tensor_slices(VALUES).take(0)
    out = _apply(ds, lambda x: x % 2, lambda k: np.int64(0), lambda s, x: s + x, lambda s: s)
    assert list(out) == []
    assert str(out.element_spec) == "TensorSpec(shape=(), dtype=tf.int64, name=None)"


def test_errors_at_build_time():
    ds = tf.data.Dataset.from_tensor_slices(VALUES)

    def sums(key_func):
        return _apply(ds, key_func, lambda k: np.int64(0), lambda s, x: s + x, lambda s: s)

    # TF: ValueError "Invalid `key_func`. Expected `key_func` to return a scalar tf.int64
    # tensor, but instead `key_func` has output types=<dtype: 'int32'> and shapes=()."
    with pytest.raises(ValueError, match="must return a scalar tf.int64 tensor.*int32"):
        sums(lambda x: tf.cast(x % 2, tf.int32))
    with pytest.raises(ValueError, match=r"must return a scalar tf.int64 tensor.*\(2,\)"):
        sums(lambda x: tf.stack([x, x]))
    # TF: TypeError "Invalid `reducer`. The element types for the new state float32 do not
    # match the element types of the old state int64."
    with pytest.raises(TypeError, match="invalid `reducer`.*int64.*float32"):
        _apply(
            ds,
            lambda x: x % 2,
            lambda k: np.int64(0),
            lambda s, x: tf.cast(s + x, tf.float32),
            lambda s: s,
        )
    # TF raises a TypeError from the int32 + int64 add; torch would promote silently.
    with pytest.raises(TypeError, match="invalid `reducer`.*int32.*int64"):
        _apply(ds, lambda x: x % 2, lambda k: np.int32(0), lambda s, x: s + x, lambda s: s)
    with pytest.raises(TypeError, match="`reducer` must be a tf.data.experimental.Reducer"):
        ds.apply(tf.data.experimental.group_by_reducer(lambda x: x, (len, len, len)))
    # TF: ValueError "Argument `func` must be a callable" (when applied); tork at Reducer().
    with pytest.raises(ValueError, match="`init_func` must be a callable"):
        tf.data.experimental.Reducer(0, lambda s, x: s, lambda s: s)
    with pytest.raises(TypeError, match="finalize_func"):
        tf.data.experimental.Reducer(lambda k: 0, lambda s, x: s)


def test_reducer_exposes_its_functions():
    init, reduce, finalize = (lambda k: 0), (lambda s, x: s), (lambda s: s)
    reducer = tf.data.experimental.Reducer(init, reduce, finalize)
    assert (reducer.init_func, reducer.reduce_func, reducer.finalize_func) == (
        init,
        reduce,
        finalize,
    )
