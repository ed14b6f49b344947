"""Dataset.map reads the Python values its function sees when `map` is called (TF traces then)."""

import numpy as np

import tork as tf

LABEL = 0


def test_loop_variable_in_closure_is_bound_at_map_time():
    # "Load text" tutorial: one labelled dataset per file, built in a loop.
    # TF 2.21 gives labels [0, 0, 1, 1, 2, 2] (the lambda is traced inside the loop).
    parts = []
    for i in range(3):
        parts.append(tf.data.Dataset.range(2).map(lambda x: (x, tf.cast(i, tf.int64))))  # noqa: B023 (the point)
    ds = parts[0].concatenate(parts[1]).concatenate(parts[2])
    labels = [int(lab) for _, lab in ds]
    assert labels == [0, 0, 1, 1, 2, 2]


def test_module_global_is_bound_at_map_time():
    global LABEL
    LABEL = 5
    ds = tf.data.Dataset.range(2).map(lambda x: x + LABEL)
    LABEL = 100
    assert [int(v) for v in ds] == [5, 6]


def test_names_defined_after_map_still_resolve():
    ds = tf.data.Dataset.range(2).map(lambda x: _defined_later(x))
    assert [int(v) for v in ds] == [10, 11]


def _defined_later(x):
    return x + 10


COUNT = 0


def _counting(x):
    global COUNT
    COUNT += 1
    return x


def test_function_assigning_globals_keeps_the_module_dict():
    ds = tf.data.Dataset.range(3).map(_counting)
    before = COUNT
    assert np.asarray([int(v) for v in ds]).tolist() == [0, 1, 2]
    assert COUNT - before >= 3


def test_function_assigning_nonlocals_keeps_its_cells():
    seen = 0

    def count(x):
        nonlocal seen
        seen += 1
        return x

    ds = tf.data.Dataset.range(3).map(count)
    assert [int(v) for v in ds] == [0, 1, 2]
    assert seen >= 3


def test_filter_flat_map_and_interleave_bind_at_call_time():
    # TF 2.21: filter keeps [0, 2] / [1, 3] per loop step; flat_map and
    # interleave repeat each element 1 then 2 times.
    kept, flat, inter = [], [], []
    for k in range(2):
        kept.append(tf.data.Dataset.range(4).filter(lambda x: x % 2 == k))  # noqa: B023
        flat.append(
            tf.data.Dataset.range(2).flat_map(
                lambda x: tf.data.Dataset.from_tensors(x).repeat(k + 1)  # noqa: B023
            )
        )
        inter.append(
            tf.data.Dataset.range(2).interleave(
                lambda x: tf.data.Dataset.from_tensors(x).repeat(k + 1),  # noqa: B023
                cycle_length=1,
            )
        )
    assert [[int(v) for v in d] for d in kept] == [[0, 2], [1, 3]]
    assert [[int(v) for v in d] for d in flat] == [[0, 1], [0, 0, 1, 1]]
    assert [[int(v) for v in d] for d in inter] == [[0, 1], [0, 0, 1, 1]]
