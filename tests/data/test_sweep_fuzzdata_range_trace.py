"""`Dataset.range(x)` inside interleave/flat_map functions (fuzzdata sweep).

tork learns the element_spec of such functions by calling them on meta stand-ins;
`Dataset.range(<meta tensor>)` used to fail there, so an empty input dataset raised
"Cannot infer the element_spec". Expected specs and values come from TensorFlow 2.21
(/tmp/tfenv, probe8.py of the sweep).
"""

import pytest

import tork as tf


def _inputs():
    return {
        "empty": tf.data.Dataset.range(0),
        "filtered_empty": tf.data.Dataset.range(5).filter(lambda x: x > 9),
        "three": tf.data.Dataset.range(3),
    }


@pytest.mark.parametrize(
    ("name", "values"), [("empty", []), ("filtered_empty", []), ("three", [0, 0, 1])]
)
def test_interleave_of_ranges(name, values):
    ds = _inputs()[name].interleave(
        lambda x: tf.data.Dataset.range(tf.cast(x, tf.int64)), cycle_length=2
    )
    assert ds.element_spec == tf.TensorSpec((), tf.int64)
    assert [int(v) for v in ds] == values


@pytest.mark.parametrize(
    ("name", "values"), [("empty", []), ("filtered_empty", []), ("three", [[0], [0, 1]])]
)
def test_flat_map_of_batched_int32_ranges(name, values):
    ds = _inputs()[name].flat_map(lambda x: tf.data.Dataset.range(x, output_type=tf.int32).batch(2))
    # TF: TensorSpec(shape=(None,), dtype=tf.int32)
    assert ds.element_spec.shape.as_list() == [None]
    assert ds.element_spec.dtype == tf.int32
    assert [v.numpy().tolist() for v in ds] == values


def test_interleave_of_stepped_ranges_cardinality():
    ds = tf.data.Dataset.range(3).interleave(
        lambda x: tf.data.Dataset.range(1, x + 2, 2), cycle_length=1
    )
    assert int(ds.cardinality()) == -2  # TF: UNKNOWN_CARDINALITY
    assert [int(v) for v in ds] == [1, 1, 1, 3]
