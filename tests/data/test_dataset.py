"""Tests for tf.data.Dataset sources, transformations, specs, cardinality and errors.

Expected values are written out by hand or computed with plain Python/NumPy.
"""

import collections

import numpy as np
import pytest
import torch

import tork as tf

Dataset = tf.data.Dataset
TensorSpec = tf.data.TensorSpec


def values(ds):
    """Elements as plain Python values (lists/ints/floats), nests kept."""

    def convert(x):
        if isinstance(x, torch.Tensor):
            return x.tolist()
        if isinstance(x, tuple):
            return tuple(convert(v) for v in x)
        if isinstance(x, dict):
            return {k: convert(v) for k, v in x.items()}
        raise AssertionError(f"unexpected element part {x!r}")

    return [convert(e) for e in ds]


# --- sources ---------------------------------------------------------------


def test_from_tensor_slices_tuple_of_numpy_keeps_dtypes_and_rows():
    x = np.arange(12, dtype=np.float64).reshape(4, 3)
    y = np.array([3, 1, 4, 1], dtype=np.int64)
    elements = list(Dataset.from_tensor_slices((x, y)))
    assert len(elements) == 4
    for i, (a, b) in enumerate(elements):
        assert a.dtype == torch.float64 and b.dtype == torch.int64
        np.testing.assert_array_equal(a.numpy(), x[i])
        assert int(b) == y[i]


def test_from_tensor_slices_python_values_follow_tf_dtype_rules():
    ds = Dataset.from_tensor_slices(([1.5, 2.5], [1, 2], [True, False]))
    (a, b, c), _ = list(ds)
    assert a.dtype == torch.float32 and b.dtype == torch.int32 and c.dtype == torch.bool
    assert ds.element_spec == (
        TensorSpec((), torch.float32),
        TensorSpec((), torch.int32),
        TensorSpec((), torch.bool),
    )


def test_from_tensor_slices_list_is_one_tensor_not_a_tuple():
    assert values(Dataset.from_tensor_slices([[1, 2], [3, 4]])) == [[1, 2], [3, 4]]


def test_from_tensor_slices_dict_and_nested_structure_preserved():
    ds = Dataset.from_tensor_slices({"b": ([1, 2], [[0.5], [1.5]]), "a": np.array([7, 8])})
    assert values(ds) == [{"b": (1, [0.5]), "a": 7}, {"b": (2, [1.5]), "a": 8}]
    assert list(next(iter(ds)).keys()) == ["b", "a"]
    spec = ds.element_spec
    assert spec["b"][1] == TensorSpec((1,), torch.float32)
    assert spec["a"] == TensorSpec((), torch.int64)


def test_from_tensor_slices_namedtuple_structure_preserved():
    Point = collections.namedtuple("Point", ["x", "y"])
    ds = Dataset.from_tensor_slices(Point(x=[1, 2], y=[3, 4]))
    first = next(iter(ds))
    assert isinstance(first, Point) and (int(first.x), int(first.y)) == (1, 3)
    # A namedtuple is passed to map as one argument (only plain tuples are spread).
    assert values(ds.map(lambda p: p.x + p.y)) == [4, 6]


def test_from_tensor_slices_torch_tensor_passes_through():
    x = torch.arange(6).reshape(3, 2)
    assert values(Dataset.from_tensor_slices(x)) == [[0, 1], [2, 3], [4, 5]]


def test_from_tensor_slices_mismatched_sizes_names_both():
    with pytest.raises(ValueError, match=r"\[0\] has 1000 rows and component \[1\] has 999"):
        Dataset.from_tensor_slices((np.zeros((1000, 3)), np.zeros(999)))


def test_from_tensor_slices_scalar_is_an_error():
    with pytest.raises(ValueError, match="is a scalar.*from_tensors"):
        Dataset.from_tensor_slices(5)


def test_from_tensors_single_element():
    ds = Dataset.from_tensors(([1, 2, 3], 4.0))
    assert values(ds) == [([1, 2, 3], 4.0)]
    assert ds.element_spec == (TensorSpec((3,), torch.int32), TensorSpec((), torch.float32))
    assert int(ds.cardinality()) == 1
    assert values(ds.repeat(3).batch(2)) == [([[1, 2, 3]] * 2, [4.0, 4.0]), ([[1, 2, 3]], [4.0])]


def test_range_matches_python_range_and_is_int64():
    for args in [(5,), (2, 9), (1, 10, 3), (10, 0, -3), (3, 3)]:
        ds = Dataset.range(*args)
        assert values(ds) == list(range(*args))
        assert int(ds.cardinality()) == len(range(*args))
    assert next(iter(Dataset.range(3))).dtype == torch.int64
    assert Dataset.range(3).element_spec == TensorSpec((), torch.int64)
    assert next(iter(Dataset.range(3, output_type=torch.int32))).dtype == torch.int32


def test_range_zero_step_is_an_error():
    with pytest.raises(ValueError, match="step"):
        Dataset.range(0, 5, 0)


def test_from_generator_output_signature_and_reiteration():
    def gen():
        for i in range(3):
            yield i, [1.0] * i

    ds = Dataset.from_generator(
        gen,
        output_signature=(TensorSpec((), torch.int32), TensorSpec((None,), torch.float32)),
    )
    expected = [(0, []), (1, [1.0]), (2, [1.0, 1.0])]
    assert values(ds) == expected
    assert values(ds) == expected  # a fresh generator each iteration
    a, b = next(iter(ds))
    assert a.dtype == torch.int32 and b.dtype == torch.float32
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_from_generator_output_types_shapes_and_args():
    def gen(n, scale):
        for i in range(n):
            yield {"x": np.full((2,), i * scale, dtype=np.float64), "y": i}

    ds = Dataset.from_generator(
        gen,
        output_types={"x": torch.float32, "y": torch.int64},
        output_shapes={"x": (2,), "y": ()},
        args=(3, 0.5),
    )
    assert values(ds) == [
        {"x": [0.0, 0.0], "y": 0},
        {"x": [0.5, 0.5], "y": 1},
        {"x": [1.0, 1.0], "y": 2},
    ]
    assert ds.element_spec == {
        "x": TensorSpec((2,), torch.float32),
        "y": TensorSpec((), torch.int64),
    }


def test_from_generator_shape_mismatch_names_expected_and_got():
    ds = Dataset.from_generator(
        lambda: iter([np.zeros(3)]), output_signature=TensorSpec((2,), torch.float32)
    )
    with pytest.raises(TypeError, match=r"shape \(3,\) where an element of shape \(2,\)"):
        list(ds)


def test_from_generator_structure_mismatch_names_expected_and_got():
    ds = Dataset.from_generator(
        lambda: iter([5]),
        output_signature=(TensorSpec((), torch.int32), TensorSpec((), torch.int32)),
    )
    with pytest.raises(TypeError, match=r"did not match the expected structure.*got 5"):
        list(ds)


def test_from_generator_dtype_mismatch_names_expected_and_got():
    ds = Dataset.from_generator(
        lambda: iter([torch.zeros(2, dtype=torch.float64)]),
        output_signature=TensorSpec((2,), torch.float32),
    )
    with pytest.raises(TypeError, match="dtype float64.*float32 was expected"):
        list(ds)
    # Python floats under an int spec of known rank truncate, as TF 2.21 (1.5 -> 1);
    # under an unknown shape TF refuses them.
    ds = Dataset.from_generator(lambda: iter([1.5]), output_signature=TensorSpec((), torch.int32))
    assert [int(x) for x in ds] == [1]
    ds = Dataset.from_generator(lambda: iter([1.5]), output_signature=TensorSpec(None, torch.int32))
    with pytest.raises(TypeError, match="floating-point values 1.5.*int32"):
        list(ds)


def test_from_generator_needs_a_callable_and_a_signature():
    def gen():
        yield 1

    with pytest.raises(TypeError, match="must be a Python callable.*not `gen\\(\\)`"):
        Dataset.from_generator(gen(), output_signature=TensorSpec((), torch.int32))
    with pytest.raises(TypeError, match="needs `output_signature`"):
        Dataset.from_generator(gen)


# --- transformations: contents and order --------------------------------------


def test_batch_contents_and_remainder():
    assert values(Dataset.range(7).batch(3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert values(Dataset.range(7).batch(3, drop_remainder=True)) == [[0, 1, 2], [3, 4, 5]]


def test_batch_of_tuples_stacks_each_component():
    x = np.arange(10, dtype=np.float32).reshape(5, 2)
    y = np.arange(5)
    batches = list(Dataset.from_tensor_slices((x, y)).batch(2))
    np.testing.assert_array_equal(batches[0][0].numpy(), x[0:2])
    np.testing.assert_array_equal(batches[2][0].numpy(), x[4:5])
    np.testing.assert_array_equal(batches[1][1].numpy(), y[2:4])


def test_generic_batch_matches_slices_batch():
    # map before batch takes the element-by-element path; same contents.
    x = np.arange(20).reshape(10, 2)
    fast = values(Dataset.from_tensor_slices(x).batch(4))
    slow = values(Dataset.from_tensor_slices(x).map(lambda v: v).batch(4))
    assert fast == slow == [x[0:4].tolist(), x[4:8].tolist(), x[8:10].tolist()]


def test_batch_zero_is_an_error():
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer, got 0"):
        Dataset.range(3).batch(0)


def test_batch_of_different_shapes_is_an_error_suggesting_padded_batch():
    ds = Dataset.range(1, 4).map(lambda n: torch.zeros(int(n)))
    with pytest.raises(ValueError, match=r"First element had shape \(1,\).*padded_batch"):
        list(ds.batch(3))


def test_unbatch_inverts_batch():
    x = np.arange(14).reshape(7, 2)
    y = np.arange(7) * 10
    ds = Dataset.from_tensor_slices((x, y)).batch(3).unbatch()
    assert values(ds) == [(x[i].tolist(), int(y[i])) for i in range(7)]
    assert ds.element_spec == (TensorSpec((2,), torch.int64), TensorSpec((), torch.int64))


def test_unbatch_of_scalars_is_an_error():
    with pytest.raises(ValueError, match="scalar components"):
        list(Dataset.range(3).unbatch())


def test_padded_batch_default_pads_to_longest():
    ds = Dataset.range(1, 5).map(lambda n: torch.full((int(n),), int(n)))
    assert values(ds.padded_batch(2)) == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]
    assert ds.padded_batch(2).element_spec == TensorSpec((None, None), torch.int64)


def test_padded_batch_fixed_shapes_and_values():
    ds = Dataset.from_generator(
        lambda: iter([([1], 1.0), ([2, 3], 2.0), ([4, 5, 6], 3.0)]),
        output_signature=(TensorSpec((None,), torch.int32), TensorSpec((), torch.float32)),
    )
    batched = ds.padded_batch(2, padded_shapes=([4], []), padding_values=(-1, 0.0))
    assert values(batched) == [
        ([[1, -1, -1, -1], [2, 3, -1, -1]], [1.0, 2.0]),
        ([[4, 5, 6, -1]], [3.0]),
    ]
    assert batched.element_spec == (
        TensorSpec((None, 4), torch.int32),
        TensorSpec((None,), torch.float32),
    )
    drop = ds.padded_batch(2, padded_shapes=([None], []), drop_remainder=True)
    assert values(drop) == [([[1, 0], [2, 3]], [1.0, 2.0])]
    assert drop.element_spec[0] == TensorSpec((2, None), torch.int32)


def test_padded_batch_2d_pads_every_dimension():
    a = torch.ones(1, 2, dtype=torch.int64)
    b = torch.full((2, 1), 2, dtype=torch.int64)
    ds = Dataset.from_generator(
        lambda: iter([a, b]), output_signature=TensorSpec((None, None), torch.int64)
    )
    assert values(ds.padded_batch(2)) == [[[[1, 1], [0, 0]], [[2, 0], [2, 0]]]]


def test_padded_batch_too_small_shape_is_an_error():
    ds = Dataset.range(1, 4).map(lambda n: torch.zeros(int(n)))
    with pytest.raises(ValueError, match=r"larger than the padded shape \(2,\)"):
        list(ds.padded_batch(3, padded_shapes=[2]))


def test_map_spreads_tuples_and_passes_dicts_whole():
    pairs = Dataset.from_tensor_slices(([1, 2, 3], [10, 20, 30]))
    assert values(pairs.map(lambda a, b: a + b)) == [11, 22, 33]
    dicts = Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]})
    assert values(dicts.map(lambda d: d["a"] * d["b"])) == [3, 8]


def test_map_returning_list_gives_tuple_and_python_values_become_tensors():
    ds = Dataset.range(2).map(lambda x: [x, 2.5])
    first = next(iter(ds))
    assert isinstance(first, tuple) and first[1].dtype == torch.float32
    assert values(ds) == [(0, 2.5), (1, 2.5)]


def test_map_returning_dict_and_unbatch_of_dicts():
    ds = Dataset.range(4).map(lambda x: {"v": x, "sq": x * x})
    assert values(ds) == [{"v": i, "sq": i * i} for i in range(4)]
    assert ds.element_spec == {"v": TensorSpec((), torch.int64), "sq": TensorSpec((), torch.int64)}
    batched = ds.batch(3)
    assert values(batched) == [{"v": [0, 1, 2], "sq": [0, 1, 4]}, {"v": [3], "sq": [9]}]
    assert values(batched.unbatch()) == values(ds)


def test_unknown_shapes_from_output_types_stay_unknown():
    ds = Dataset.from_generator(lambda: iter([[1, 2], [3]]), output_types=torch.int32)
    assert ds.element_spec == TensorSpec(None, torch.int32)
    assert ds.padded_batch(2).element_spec == TensorSpec(None, torch.int32)
    assert values(ds.padded_batch(2)) == [[[1, 2], [3, 0]]]


def test_map_after_batch_runs_once_per_batch():
    calls = []

    def double(x, y):
        calls.append(x.shape[0])
        return x * 2, y

    x = np.arange(10, dtype=np.float32)
    ds = Dataset.from_tensor_slices((x, x)).batch(4).map(double)
    calls.clear()
    out = values(ds)
    assert calls == [4, 4, 2]
    assert out[0] == ([0.0, 2.0, 4.0, 6.0], [0.0, 1.0, 2.0, 3.0])


def test_map_returning_none_is_an_error():
    def forgot_return(x):
        x * 2

    with pytest.raises(TypeError, match="returned None.*return"):
        list(Dataset.range(2).map(forgot_return))


def test_filter_and_take_while():
    assert values(Dataset.range(10).filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    pairs = Dataset.from_tensor_slices(([1, 2, 3, 4], [4, 3, 2, 1]))
    assert values(pairs.filter(lambda a, b: a > b)) == [(3, 2), (4, 1)]
    assert values(Dataset.range(10).take_while(lambda x: x < 4)) == [0, 1, 2, 3]


def test_filter_predicate_must_return_a_scalar_bool():
    with pytest.raises(TypeError, match="scalar tf.bool"):
        list(Dataset.range(3).filter(lambda x: x + 1))


def test_repeat_take_skip():
    assert values(Dataset.range(3).repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert values(Dataset.range(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert values(Dataset.range(3).repeat(0)) == []
    assert values(Dataset.range(10).take(3)) == [0, 1, 2]
    assert values(Dataset.range(4).take(-1)) == [0, 1, 2, 3]
    assert values(Dataset.range(5).skip(3)) == [3, 4]
    assert values(Dataset.range(5).skip(-1)) == []
    assert values(Dataset.range(5).skip(2).take(2)) == [2, 3]
    # Batches cross repetitions when repeat comes before batch.
    assert values(Dataset.range(3).repeat(2).batch(4)) == [[0, 1, 2, 0], [1, 2]]
    assert values(Dataset.range(3).batch(2).repeat(2)) == [[0, 1], [2], [0, 1], [2]]


def test_repeat_forever_of_empty_dataset_terminates():
    assert values(Dataset.range(0).repeat()) == []
    assert values(Dataset.range(3).filter(lambda x: x > 5).repeat()) == []


def test_take_skip_on_generic_pipeline():
    ds = Dataset.range(10).map(lambda x: x * 10)
    assert values(ds.skip(7)) == [70, 80, 90]
    assert values(ds.take(2)) == [0, 10]
    assert values(ds.skip(-1)) == []


def test_take_needs_an_integer_and_a_dataset():
    with pytest.raises(TypeError, match="`count` must be an integer, got '3'"):
        Dataset.range(5).take("3")
    with pytest.raises(TypeError, match="Dataset.take expects a tf.data.Dataset, got list"):
        Dataset.take([1, 2, 3], 2)


def test_enumerate_zip_concatenate():
    assert values(Dataset.range(5, 8).enumerate(start=1)) == [(1, 5), (2, 6), (3, 7)]
    assert next(iter(Dataset.range(2).enumerate()))[0].dtype == torch.int64
    assert values(Dataset.zip(Dataset.range(3), Dataset.range(10, 15))) == [
        (0, 10),
        (1, 11),
        (2, 12),
    ]
    nested = Dataset.zip({"a": Dataset.range(2), "b": (Dataset.range(5, 7), Dataset.range(9, 11))})
    assert values(nested) == [{"a": 0, "b": (5, 9)}, {"a": 1, "b": (6, 10)}]
    assert values(Dataset.zip(datasets=(Dataset.range(2), Dataset.range(2)))) == [(0, 0), (1, 1)]
    assert values(Dataset.range(2).concatenate(Dataset.range(5, 7))) == [0, 1, 5, 6]


def test_zip_of_generic_and_slices():
    gen = Dataset.range(4).map(lambda x: x * 2)
    assert values(Dataset.zip((gen, Dataset.range(100, 103)))) == [(0, 100), (2, 101), (4, 102)]


def test_zip_and_concatenate_reject_non_datasets():
    with pytest.raises(TypeError, match="Dataset.zip expects a tf.data.Dataset, got ndarray"):
        Dataset.zip((Dataset.range(3), np.arange(3)))
    with pytest.raises(TypeError, match="Dataset.concatenate expects a tf.data.Dataset, got list"):
        Dataset.range(3).concatenate([1, 2])


def test_concatenate_incompatible_dtypes_is_an_error():
    with pytest.raises(TypeError, match="differ in structure or dtype"):
        Dataset.range(3).concatenate(Dataset.from_tensor_slices([1.0, 2.0]))


def test_flat_map_and_interleave_documented_order():
    rows = Dataset.from_tensor_slices([[1, 2, 3], [4, 5, 6]])
    assert values(rows.flat_map(Dataset.from_tensor_slices)) == [1, 2, 3, 4, 5, 6]
    # The example from the tf.data.Dataset.interleave documentation.
    ds = Dataset.range(1, 6).interleave(
        lambda x: Dataset.from_tensors(x).repeat(6), cycle_length=2, block_length=4
    )
    assert values(ds) == (
        [1] * 4 + [2] * 4 + [1] * 2 + [2] * 2 + [3] * 4 + [4] * 4 + [3] * 2 + [4] * 2 + [5] * 6
    )
    with pytest.raises(TypeError, match="must return a tf.data.Dataset"):
        list(rows.flat_map(lambda r: r))


def test_shard_reduce_get_single_element_apply():
    assert values(Dataset.range(10).shard(3, 1)) == [1, 4, 7]
    assert len(Dataset.range(10).shard(3, 1)) == 3
    total = Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)
    assert int(total) == 10
    state = Dataset.from_tensor_slices(([1, 2], [3, 4])).reduce(
        (0, 0), lambda s, e: (s[0] + e[0], s[1] + e[1])
    )
    assert (int(state[0]), int(state[1])) == (3, 7)
    assert int(Dataset.from_tensors(7).get_single_element()) == 7
    with pytest.raises(ValueError, match="more than one element"):
        Dataset.range(2).get_single_element()
    assert values(Dataset.range(6).apply(lambda d: d.skip(4))) == [4, 5]
    with pytest.raises(TypeError, match="must return a tf.data.Dataset"):
        Dataset.range(3).apply(lambda d: 3)


def test_cache_replays_first_pass_and_freezes_shuffle():
    calls = []

    def record(x):
        calls.append(int(x))
        return x

    ds = Dataset.range(5).map(record).cache()
    assert values(ds) == [0, 1, 2, 3, 4]
    assert values(ds) == [0, 1, 2, 3, 4]
    assert calls == [0, 1, 2, 3, 4]  # the map ran on the first pass only
    frozen = Dataset.range(50).shuffle(50).cache()
    first = values(frozen)
    assert values(frozen) == first
    assert sorted(first) == list(range(50))


def test_cache_partial_pass_caches_nothing():
    calls = []
    ds = Dataset.range(4).map(lambda x: calls.append(1) or x).cache()
    next(iter(ds))
    assert values(ds) == [0, 1, 2, 3]
    assert len(calls) == 5


def test_cache_to_file_is_reused(tmp_path):
    prefix = str(tmp_path / "cache")
    calls = []
    make = lambda: Dataset.range(3).map(lambda x: calls.append(1) or x * 2).cache(prefix)  # noqa: E731
    assert values(make()) == [0, 2, 4]
    assert values(make()) == [0, 2, 4]  # a new dataset reads the file
    assert len(calls) == 3


def test_as_numpy_iterator():
    out = list(Dataset.from_tensor_slices(([1, 2], [[1.0], [2.0]])).as_numpy_iterator())
    assert isinstance(out[0][0], np.int32) and out[0][0] == 1
    assert isinstance(out[1][1], np.ndarray)
    np.testing.assert_array_equal(out[1][1], [2.0])


def test_iteration_restarts_and_iterator_get_next():
    ds = Dataset.range(3)
    assert values(ds) == values(ds) == [0, 1, 2]
    it = iter(ds)
    assert int(it.get_next()) == 0 and int(next(it)) == 1
    assert it.element_spec == TensorSpec((), torch.int64)


# --- element_spec ------------------------------------------------------------


def test_element_spec_after_batch_and_map():
    x = np.zeros((10, 28, 28), dtype=np.float32)
    y = np.zeros(10, dtype=np.int64)
    ds = Dataset.from_tensor_slices((x, y))
    assert ds.element_spec == (TensorSpec((28, 28)), TensorSpec((), torch.int64))
    batched = ds.batch(4)
    assert batched.element_spec == (TensorSpec((None, 28, 28)), TensorSpec((None,), torch.int64))
    assert ds.batch(4, drop_remainder=True).element_spec[0] == TensorSpec((4, 28, 28))
    flat = batched.map(lambda a, b: (torch.reshape(a, (-1, 784)), b.to(torch.float32)))
    assert flat.element_spec == (TensorSpec((None, 784)), TensorSpec((None,), torch.float32))
    strided = batched.map(lambda a, b: a[::2])
    assert strided.element_spec == TensorSpec((None, 28, 28))
    assert ds.shuffle(5).repeat().take(3).element_spec == ds.element_spec
    assert ds.enumerate().element_spec == (TensorSpec((), torch.int64), ds.element_spec)


def test_element_spec_of_untraceable_map_uses_first_elements():
    # `.item()` cannot run symbolically; shapes come from the first two elements.
    ds = Dataset.range(1, 4).map(lambda n: torch.zeros(int(n.item())))
    assert ds.element_spec == TensorSpec((None,), torch.float32)
    same = Dataset.range(1, 4).map(lambda n: torch.zeros(3) + n.item())
    assert same.element_spec == TensorSpec((3,), torch.float32)


# --- cardinality and len ------------------------------------------------------


def test_cardinality_values():
    def card(ds):
        c = ds.cardinality()
        assert c.dtype == torch.int64
        return int(c)

    inf, unk = tf.data.INFINITE_CARDINALITY, tf.data.UNKNOWN_CARDINALITY
    assert (inf, unk) == (-1, -2)
    assert tf.data.experimental.INFINITE_CARDINALITY == -1
    assert tf.data.experimental.UNKNOWN_CARDINALITY == -2
    assert tf.data.AUTOTUNE == tf.data.experimental.AUTOTUNE == -1
    r = Dataset.range(10)
    assert card(r) == 10
    assert card(r.batch(3)) == 4
    assert card(r.batch(3, drop_remainder=True)) == 3
    assert card(r.repeat(3)) == 30
    assert card(r.repeat()) == inf
    assert card(Dataset.range(0).repeat()) == 0
    assert card(r.repeat().take(5)) == 5
    assert card(r.repeat().skip(5)) == inf
    assert card(r.take(20)) == 10
    assert card(r.skip(4)) == 6
    assert card(r.skip(40)) == 0
    assert card(r.filter(lambda x: x > 2)) == unk
    assert card(r.repeat().filter(lambda x: x > 2)) == unk
    assert card(r.filter(lambda x: x > 2).repeat(2)) == unk
    assert card(r.map(lambda x: x).shuffle(3).prefetch(1)) == 10
    assert card(r.batch(5, drop_remainder=True).unbatch()) == 10
    assert card(r.batch(5).unbatch()) == unk
    assert card(r.concatenate(Dataset.range(3))) == 13
    assert card(r.concatenate(r.repeat())) == inf
    assert card(Dataset.zip(r, Dataset.range(4))) == 4
    assert card(Dataset.zip(r.repeat(), Dataset.range(4))) == 4
    assert card(r.flat_map(lambda x: Dataset.from_tensors(x))) == unk
    assert card(r.enumerate()) == 10
    assert int(tf.data.experimental.cardinality(r)) == 10


def test_len_raises_like_tf_for_infinite_and_unknown():
    assert len(Dataset.range(7).batch(2)) == 4
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(Dataset.range(3).repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(Dataset.range(3).filter(lambda x: x > 0))
    assert bool(Dataset.range(0))  # truthiness never calls len


def test_assert_cardinality():
    ds = Dataset.range(10).filter(lambda x: x < 5)
    asserted = ds.apply(tf.data.experimental.assert_cardinality(5))
    assert len(asserted) == 5 and values(asserted) == [0, 1, 2, 3, 4]
    wrong = ds.apply(tf.data.experimental.assert_cardinality(7))
    with pytest.raises(ValueError, match="expected to contain 7 elements but contained only 5"):
        list(wrong)


def test_missing_api_names_itself():
    with pytest.raises(NotImplementedError, match="tf.data.Dataset.fingerprint"):
        Dataset.range(3).fingerprint()
    with pytest.raises(NotImplementedError, match="tf.data.Dataset.fingerprint"):
        Dataset.fingerprint()
    with pytest.raises(NotImplementedError, match="tf.data.IteratorSpec"):
        tf.data.IteratorSpec("x")


def test_fit_on_a_filled_cache_of_batches_replays_the_batches():
    """`.batch().map().cache().shuffle()` (the audio tutorial's pipeline) once iterated:
    the cache holds batches, which fit must take as batches (it took them for samples)."""
    import tork as tf

    x = np.arange(24, dtype="float32").reshape(12, 2)
    y = x.sum(1, keepdims=True)
    ds = (
        tf.data.Dataset.from_tensor_slices((x, y))
        .batch(4)
        .map(lambda a, b: (a * 2.0, b))
        .cache()
        .shuffle(10, seed=0)
        .prefetch(1)
    )
    first = sorted(float(a[0, 0]) for a, _ in ds)  # fills the cache
    assert first == [0.0, 16.0, 32.0]
    shapes = [tuple(a.shape) for a, _ in ds]
    assert shapes == [(4, 2)] * 3  # still batches after the cache is filled
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(ds, epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1


def test_get_next_raises_out_of_range_at_the_end_as_tensorflow():
    it = iter(tf.data.Dataset.range(1))
    assert int(it.get_next()) == 0
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        it.get_next()


def test_get_next_as_optional():
    it = iter(tf.data.Dataset.from_tensor_slices([5, 6]))
    first = it.get_next_as_optional()
    assert bool(first.has_value()) and int(first.get_value()) == 5
    assert first.element_spec == tf.TensorSpec(shape=(), dtype=tf.int32)
    it.get_next()
    empty = it.get_next_as_optional()
    assert not bool(empty.has_value())
    with pytest.raises(tf.errors.InvalidArgumentError, match="optional has no value"):
        empty.get_value()


def test_element_spec_shows_the_error_of_a_failing_map():
    # An AttributeError inside the property must not turn into "element_spec not implemented".
    def broken(x):
        return x.no_such_attribute

    ds = Dataset.range(3).map(broken)
    with pytest.raises(AttributeError, match="no_such_attribute"):
        _ = ds.element_spec


def test_get_single_element_errors_are_invalid_argument_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one element"):
        Dataset.range(2).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="empty"):
        Dataset.range(0).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="non-zero"):
        Dataset.range(0, 5, 0)


def test_from_generator_args_convert_with_tensorflow_dtypes():
    # TF 2.21 hands Python ints to the generator as np.int32, floats as np.float32.
    seen = []

    def gen(n, scale, word, items):
        seen.extend([type(n), type(scale), type(word), items.dtype])
        yield from range(int(n))

    ds = Dataset.from_generator(
        gen, args=(2, 0.5, "w", [1, 2]), output_signature=TensorSpec((), torch.int64)
    )
    assert values(ds) == [0, 1]
    assert seen == [np.int32, np.float32, bytes, np.dtype(np.int32)]


def test_repr_shows_tf_class_names(tmp_path):
    # Class names printed by TF 2.21's repr for the same pipelines.
    base = Dataset.from_tensor_slices(np.arange(6))
    path = tmp_path / "x.txt"
    path.write_text("a\n")

    def gen():
        yield 1

    cases = [
        (base, "_TensorSliceDataset"),
        (Dataset.from_tensors([1, 2]), "_TensorDataset"),
        (Dataset.range(5), "_RangeDataset"),
        (tf.data.experimental.Counter(), "_ScanDataset"),
        (
            Dataset.from_generator(gen, output_signature=TensorSpec((), tf.int32)),
            "_FlatMapDataset",
        ),
        (Dataset.zip((base, base)), "_ZipDataset"),
        (base.concatenate(base), "_ConcatenateDataset"),
        (Dataset.sample_from_datasets([base, base], seed=1), "_DirectedInterleaveDataset"),
        (base.batch(2), "_BatchDataset"),
        (base.batch(2, num_parallel_calls=2), "_ParallelBatchDataset"),
        (base.padded_batch(2), "_PaddedBatchDataset"),
        (base.batch(2).unbatch(), "_UnbatchDataset"),
        (base.map(lambda x: x * 2), "_MapDataset"),
        (base.map(lambda x: x * 2, num_parallel_calls=tf.data.AUTOTUNE), "_ParallelMapDataset"),
        (base.filter(lambda x: x > 2), "_FilterDataset"),
        (base.shuffle(3), "_ShuffleDataset"),
        (base.repeat(2), "_RepeatDataset"),
        (base.take(2), "_TakeDataset"),
        (base.skip(2), "_SkipDataset"),
        (base.prefetch(1), "_PrefetchDataset"),
        (base.cache(), "CacheDataset"),
        (base.enumerate(), "_ZipDataset"),
        (base.flat_map(lambda x: Dataset.from_tensors(x)), "_FlatMapDataset"),
        (base.interleave(lambda x: Dataset.from_tensors(x), cycle_length=2), "_InterleaveDataset"),
        (
            base.interleave(lambda x: Dataset.from_tensors(x), num_parallel_calls=2),
            "_ParallelInterleaveDataset",
        ),
        (base.window(2), "_WindowDataset"),
        (next(iter(base.window(2))), "_VariantDataset"),
        (base.unique(), "_UniqueDataset"),
        (tf.data.TextLineDataset(str(path)), "TextLineDatasetV2"),
    ]
    for ds, name in cases:
        assert repr(ds).startswith(f"<{name} element_spec="), (name, repr(ds))
    assert repr(base.cache()) == (
        "<CacheDataset element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"
    )
    assert str(base.batch(2)) == (
        "<_BatchDataset element_spec=TensorSpec(shape=(None,), dtype=tf.int64, name=None)>"
    )
