"""Small fidelity fixes in tork.ops, checked against TensorFlow 2.21."""

import numpy as np
import pytest
import torch

import tork as tf

# ---------------------------------------------------------------- tf.map_fn without a signature


def test_map_fn_without_signature_rejects_another_dtype():
    # TF 2.21: InvalidArgumentError "TensorArray dtype is float32 but Op is trying to write
    # dtype int32" (likewise int32 elems -> float32, and a tuple output in swapped order).
    x = tf.constant([1.0, 2.0, 3.0])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="returned dtype int32 for an element of elems of dtype float32.*"
        "fn_output_signature=tf.int32",
    ):
        tf.map_fn(lambda v: tf.cast(v, tf.int32), x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype bool"):
        tf.map_fn(lambda v: v > 1.5, x)
    xi = tf.constant([1, 2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32 for an element of elems of"):
        tf.map_fn(lambda t: (t[1], t[0]), (x, xi))
    with pytest.raises(tf.errors.InvalidArgumentError, match="elems of dtype string"):
        tf.map_fn(lambda s: tf.strings.length(s), tf.constant(["a", "bb"]))


def test_map_fn_without_signature_rejects_another_structure():
    # TF 2.21: ValueError "The two structures don't have the same nested structure."
    x = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match="must have the structure of elems.*fn_output_signature"):
        tf.map_fn(lambda v: (v, v), x)
    with pytest.raises(ValueError, match="must have the structure of elems"):
        tf.map_fn(lambda t: t[0] * 2.0, (x, x))


def test_map_fn_converts_python_and_numpy_numbers_like_tf():
    # TF 2.21: a Python int (or a NumPy float64) returned for float32 elems gives float32
    # [1., 1., 1.]; a Python float for int32 elems is an InvalidArgumentError.
    x = tf.constant([1.0, 2.0, 3.0])
    for value in (1, np.float64(1.0), np.float32(1.0)):
        out = tf.map_fn(lambda v, value=value: value, x)
        assert out.dtype == torch.float32 and out.tolist() == [1.0, 1.0, 1.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype float32"):
        tf.map_fn(lambda v: 1.0, tf.constant([1, 2, 3]))


def test_map_fn_with_signature_and_matching_outputs_still_work():
    # TF 2.21 values: [1, 2, 3] int32; ([1., 2., 3.], [1, 2, 3]); {'a': [2., 4., 6.], ...}.
    x, xi = tf.constant([1.0, 2.0, 3.0]), tf.constant([1, 2, 3])
    out = tf.map_fn(lambda v: tf.cast(v, tf.int32), x, fn_output_signature=tf.int32)
    assert out.dtype == torch.int32 and out.tolist() == [1, 2, 3]
    out = tf.map_fn(lambda v: tf.cast(v, tf.int32), x, dtype=tf.int32)
    assert out.dtype == torch.int32
    a, b = tf.map_fn(lambda t: (t[0], t[1]), (x, xi))
    assert a.dtype == torch.float32 and b.dtype == torch.int32 and b.tolist() == [1, 2, 3]
    d = tf.map_fn(lambda t: {"a": t["a"] * 2, "b": t["b"]}, {"a": x, "b": xi})
    assert d["a"].tolist() == [2.0, 4.0, 6.0] and d["b"].dtype == torch.int32


def test_vectorized_map_fallback_may_change_dtype():
    # TF's vectorized_map has no dtype rule: float32 elems -> int32 [1, 2] (TF 2.21).
    def fn(v):
        if float(v) > 0:  # data-dependent Python control flow: vmap fails, loop runs
            return tf.cast(v, tf.int32)
        return tf.cast(v, tf.int32)

    with pytest.warns(UserWarning, match="could not be vectorized"):
        out = tf.vectorized_map(fn, tf.constant([1.0, 2.0]))
    assert out.dtype == torch.int32 and out.tolist() == [1, 2]


# ---------------------------------------------------------------- empty TensorArray


@pytest.mark.parametrize(
    "element_shape, expected",
    [((3,), (0,)), ((None, 2), (0, 2)), ((2, 3), (0, 3)), (None, (0,))],
)
def test_empty_tensor_array_concat_keeps_the_inner_element_shape(element_shape, expected):
    # TF 2.21 inside tf.function: concat() of an unwritten dynamic TensorArray has shape
    # (0,) for element_shape (3,), (0, 2) for (None, 2), (0, 3) for (2, 3).
    @tf.function
    def fn():
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=element_shape)
        return ta.concat()

    out = fn()
    assert tuple(out.shape) == expected and out.dtype == torch.float32


def test_empty_tensor_array_stack_and_scalar_concat():
    # TF 2.21 (eager and tf.function): stack() of an unwritten array with element_shape
    # (3,) is (0, 3); gather([]) with (2, 3) is (0, 2, 3); concat of scalars is refused
    # (TF: ValueError "Shapes must be equal rank").
    @tf.function
    def stack():
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=(3,))
        return ta.stack()

    assert tuple(stack().shape) == (0, 3)
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=(2, 3))
    assert tuple(ta.gather([]).shape) == (0, 2, 3)
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=())
    with pytest.raises(ValueError, match="concat needs elements of rank >= 1.*stack"):
        ta.concat()


# ---------------------------------------------------------------- NMS in compiled / symbolic code

_BOXES = [[0.0, 0.0, 1.0, 1.0], [0.0, 0.1, 1.0, 1.1], [0.0, 2.0, 1.0, 3.0]]
_SCORES = [0.7, 0.8, 0.9]


@pytest.mark.slow  # torch.compile: about 5 s
def test_nms_in_jit_compiled_function_selects_real_boxes():
    # TF 2.21 (tf.function, jit_compile or not): [2, 1]; Soft-NMS [2, 1, 0] with scores
    # [0.9, 0.8, 0.3584]; padded [2, 1, 0, 0] with 2 valid; combined (1, 3) boxes/scores.
    # tork returned the symbolic stand-in (all zeros) under torch.compile: silent.
    boxes, scores = tf.constant(_BOXES), tf.constant(_SCORES)
    nms = tf.function(lambda b, s: tf.image.non_max_suppression(b, s, 3), jit_compile=True)
    for _ in range(2):
        assert nms(boxes, scores).tolist() == [2, 1]
    soft = tf.function(
        lambda b, s: tf.image.non_max_suppression_with_scores(b, s, 3, soft_nms_sigma=0.5),
        jit_compile=True,
    )
    idx, sc = soft(boxes, scores)
    assert idx.tolist() == [2, 1, 0]
    np.testing.assert_allclose(sc.numpy(), [0.9, 0.8, 0.3584], atol=1e-4)
    padded = tf.function(
        lambda b, s: tf.image.non_max_suppression_padded(b, s, 4, pad_to_max_output_size=True),
        jit_compile=True,
    )
    idx, n = padded(boxes, scores)
    assert idx.tolist() == [2, 1, 0, 0] and int(n) == 2
    combined = tf.function(
        lambda b, s: tf.image.combined_non_max_suppression(b, s, 2, 3), jit_compile=True
    )
    r = combined(tf.reshape(boxes, (1, 3, 1, 4)), tf.reshape(scores, (1, 3, 1)))
    np.testing.assert_allclose(
        r.nmsed_boxes.numpy(), [[[0.0, 1.0, 1.0, 1.0], [0.0, 0.1, 1.0, 1.0], [0.0] * 4]]
    )
    np.testing.assert_allclose(r.nmsed_scores.numpy(), [[0.9, 0.8, 0.0]], rtol=1e-6)
    assert r.valid_detections.tolist() == [2]


def test_padded_and_overlap_nms_in_a_lambda_build_symbolically():
    # TF 2.21: a Lambda with non_max_suppression_padded(..., 3, pad_to_max_output_size=True)
    # on (7, 4) boxes gives shapes [3] and []; non_max_suppression_overlaps gives a rank-1
    # int32 output. tork failed with ".numpy() is not supported for tensor subclasses".
    boxes, scores = tf.keras.Input((4,), batch_size=7), tf.keras.Input((), batch_size=7)
    idx, n = tf.keras.layers.Lambda(
        lambda t: tf.image.non_max_suppression_padded(t[0], t[1], 3, pad_to_max_output_size=True)
    )([boxes, scores])
    assert tuple(idx.shape) == (3,) and tuple(n.shape) == () and idx.dtype == torch.int32
    overlaps = tf.keras.Input((7,), batch_size=7)
    out = tf.keras.layers.Lambda(lambda t: tf.image.non_max_suppression_overlaps(t[0], t[1], 3))(
        [overlaps, scores]
    )
    assert len(out.shape) == 1 and out.dtype == torch.int32
