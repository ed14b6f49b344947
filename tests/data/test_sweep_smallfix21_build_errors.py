"""tf.data errors raised when the pipeline is built, as TensorFlow does (helper smallfix21).

TF 2.21 (reference env) raises these at the transformation call (quoted per test); tork
raised them at the first element or at element_spec. tork checks at build time when the
input's element_spec is known without reading elements (sources, and functions traced on
stand-ins); otherwise the per-element checks still raise when the data flows.
"""

import numpy as np
import pytest

import tork as tf


def _vectors():
    return tf.data.Dataset.from_tensor_slices(np.ones((4, 3), np.float32))


def _pairs():
    return tf.data.Dataset.zip((_vectors(), _vectors()))


@pytest.mark.parametrize(
    "padded_shapes, match",
    [
        # TF: "The padded shape (3, 2) is not compatible with the shape (3,) of the
        # corresponding input component."
        ([3, 2], r"padded shape \(3, 2\) is not compatible with the shape \(3,\)"),
        ([], r"padded shape \(\) is not compatible with the shape \(3,\)"),
        ([2], r"padded shape \(2,\) is not compatible with the shape \(3,\)"),
        # TF: "Dimension -2 must be >= 0".
        ([-2], r"padded shape \[-2\] is not a shape"),
        # TF: "Padded shape ([3], [3]) must be a `tf.int64` vector tensor".
        (([3], [3]), r"padded shape \(\[3\], \[3\]\) is not a shape"),
    ],
)
def test_padded_batch_bad_padded_shapes(padded_shapes, match):
    with pytest.raises(ValueError, match=match):
        _vectors().padded_batch(2, padded_shapes=padded_shapes)


def test_padded_batch_structure_and_padding_values():
    # TF: TypeError "If shallow structure is a sequence, input must also be a sequence".
    with pytest.raises(ValueError, match="`padded_shapes` does not match the element structure"):
        _pairs().padded_batch(2, padded_shapes=[3])
    # TF: TypeError "Invalid `padding_values`. `padding_values` values type <dtype:
    # 'string'> does not match type <dtype: 'float32'> of the corresponding input component."
    with pytest.raises(TypeError, match="invalid `padding_values`: a string does not match"):
        _vectors().padded_batch(2, padded_shapes=[3], padding_values="x")
    # TF: ValueError "Invalid `padding_values`. `padding_values` values should be scalars,
    # but got (2,)."
    with pytest.raises(ValueError, match=r"padding values must be scalars, got shape \(2,\)"):
        _vectors().padded_batch(2, padded_shapes=[3], padding_values=np.zeros(2, np.float32))
    # Valid ones still work (-1 and None pad to the longest).
    rows = tf.data.Dataset.range(1, 4).map(lambda n: tf.fill([n], n))
    batches = [b.numpy().tolist() for b in rows.padded_batch(2, padded_shapes=[-1])]
    assert batches == [[[1, 0], [2, 2]], [[3, 3, 3]]]
    # A dimension unknown in the spec is only checked when the data comes (TF: DataLossError).
    with pytest.raises(ValueError, match=r"larger than the padded shape \(2,\)"):
        list(rows.padded_batch(2, padded_shapes=[2]))


def test_unbatch_of_scalars():
    # TF: ValueError "Cannot unbatch an input with scalar components."
    with pytest.raises(ValueError, match="cannot unbatch an input with scalar components"):
        tf.data.Dataset.range(3).unbatch()
    with pytest.raises(ValueError, match="cannot unbatch an input with scalar components"):
        tf.data.Dataset.zip((tf.data.Dataset.range(3), _vectors())).unbatch()


def test_function_arity_must_match_the_element():
    # TF: TypeError "<lambda>() missing 1 required positional argument: 'y'" (and "takes 1
    # positional argument but 2 were given"), raised by Dataset.map itself.
    with pytest.raises(TypeError, match=r"Dataset.map: the function .*\(x, y\) cannot take"):
        _vectors().map(lambda x, y: x)
    with pytest.raises(TypeError, match="elements are tuples of 2 components"):
        _pairs().map(lambda x: x)
    dicts = tf.data.Dataset.from_tensor_slices({"a": [1, 2]})
    with pytest.raises(TypeError, match="any other element \\(a tensor, a dict\\) as one"):
        dicts.map(lambda a, b: a)
    with pytest.raises(TypeError, match="Dataset.filter: the function"):
        _vectors().filter(lambda x, y: True)
    with pytest.raises(TypeError, match="Dataset.flat_map: the function"):
        _vectors().flat_map(lambda x, y: tf.data.Dataset.from_tensors(x))
    with pytest.raises(TypeError, match="Dataset.interleave: the function"):
        _pairs().interleave(lambda x: tf.data.Dataset.from_tensors(x))
    # Defaults, *args and callables with their own signatures are fine.
    assert len(list(_pairs().map(lambda *xs: xs[0]))) == 4
    assert len(list(_vectors().map(lambda x, scale=2.0: x * scale))) == 4
    assert len(list(_vectors().map(tf.keras.layers.Rescaling(2.0)))) == 4


@pytest.mark.parametrize(
    "method, build, shown",
    [
        # TF: ValueError "Invalid `predicate`. `predicate` must return a `tf.bool` scalar
        # tensor, but its return type is TensorSpec(shape=(), dtype=tf.int64, name=None)."
        ("filter", lambda: tf.data.Dataset.range(3), "dtype=tf.int64"),
        ("filter", _vectors, r"TensorSpec\(shape=\(3,\), dtype=tf.bool"),
        ("take_while", lambda: tf.data.Dataset.range(3), "dtype=tf.int64"),
        ("take_while", _vectors, r"TensorSpec\(shape=\(3,\), dtype=tf.bool"),
    ],
)
def test_predicates_must_return_a_scalar_bool(method, build, shown):
    predicate = (lambda x: x) if shown == "dtype=tf.int64" else (lambda x: x > 0)
    # A ValueError as TF's, and a TypeError as tork's per-element check.
    for error in (ValueError, TypeError):
        with pytest.raises(error, match=f"must return a scalar tf.bool tensor.*{shown}"):
            getattr(build(), method)(predicate)
    assert len(list(_vectors().filter(lambda x: True))) == 4  # a Python bool is fine, as TF


def test_scan_state_checked_at_build():
    ds = tf.data.Dataset.range(3)
    # TF: TypeError "Invalid `scan_func`. The element types for the new state must match
    # the initial state. Expected <dtype: 'float32'>, got <dtype: 'int64'>."
    with pytest.raises(TypeError, match="dtypes of the initial state.*float32.*got.*int64"):
        ds.scan(0.0, lambda s, x: (x, x))
    with pytest.raises(TypeError, match="structure and dtypes of the initial state"):
        ds.scan((np.int64(0), np.int64(0)), lambda s, x: (s[0] + x, x))
    # TF: TypeError "Invalid `scan_func`. `scan_func` should return a pair consisting of new
    # state and the output value".
    with pytest.raises(TypeError, match=r"must return a pair \(new_state, output_element\)"):
        ds.scan(np.int64(0), lambda s, x: s + x)
    assert [int(v) for v in ds.scan(np.int64(0), lambda s, x: (s + x, s + x))] == [0, 1, 3]


def test_no_elements_are_read_to_check_at_build():
    calls = []

    def gen():
        calls.append(1)
        yield from (np.float32(1), np.float32(2))

    source = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.float32))
    # .numpy() cannot run on stand-ins: the spec would need an element, so no check now.
    untraceable = source.map(lambda x: tf.constant(x.numpy() * 2))
    filtered = untraceable.filter(lambda x: x)
    assert calls == []
    with pytest.raises(TypeError, match="must return a scalar tf.bool tensor"):
        list(filtered)
