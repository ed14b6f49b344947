"""tork.ops.debugging: assertions, tf.print formatting and executing_eagerly."""

import inspect
import io
import sys

import numpy as np
import pytest
import torch

import tork as tf
from tork.ops.debugging import InvalidArgumentError


def printed(*inputs, **kwargs):
    buf = io.StringIO()
    tf.print(*inputs, output_stream=buf, **kwargs)
    return buf.getvalue()


# ---------------------------------------------------------------- tf.print


def test_print_matches_tensorflow_examples():
    assert printed(tf.range(10)) == "[0 1 2 ... 7 8 9]\n"
    t = tf.range(10)
    assert (
        printed("tensors:", t, {2: t * 2})
        == "tensors: [0 1 2 ... 7 8 9] {2: [0 2 4 ... 14 16 18]}\n"
    )
    assert printed(tf.range(2), tf.range(2) * 2, sep=",") == "[0 1],[0 2]\n"


def test_print_formats():
    assert printed(tf.constant([1, 2, 3])) == "[1 2 3]\n"
    assert printed(tf.constant(5)) == "5\n"
    # TF 2.21 prints floats with as many digits as it takes to read them back.
    assert printed(tf.constant([1.0, 2.5, 1 / 3])) == "[1 2.5 0.333333343]\n"
    assert printed(tf.constant([True, False])) == "[1 0]\n"
    assert printed(tf.constant([[1, 2], [3, 4]])) == "[[1 2]\n [3 4]]\n"
    three = printed(tf.reshape(tf.range(8), (2, 2, 2)))
    assert three == "[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]\n"
    big = printed(tf.reshape(tf.range(80), (8, 10)), summarize=1)
    assert big == "[[0 ... 9]\n ...\n [70 ... 79]]\n"
    assert printed(tf.range(10), summarize=-1) == "[0 1 2 3 4 5 6 7 8 9]\n"
    assert printed(tf.range(10), summarize=None) == "[0 1 2 ... 7 8 9]\n"
    assert printed(tf.range(3), end="!") == "[0 1 2]!"
    assert printed("a", 1, [tf.constant(1), "b"]) == "a 1 [1, 'b']\n"
    # TF 2.21 formats NumPy arrays with pprint (their repr), not as tensors.
    assert printed(np.array([1.5])) == "array([1.5])\n"


def test_print_floats_and_strings_as_tensorflow_2_21():
    # Outputs of tf.print in TF 2.21 for the same values.
    assert printed(tf.constant(1.23456789), tf.constant(0.1, tf.float64)) == "1.23456788 0.1\n"
    assert printed(tf.constant([1e-5, 3.0e10])) == "[1e-05 3e+10]\n"
    assert printed(tf.constant([1234567.0, 123456789.0])) == "[1234567 123456792]\n"
    assert printed(tf.constant([0.1, 1 / 3], tf.float64)) == "[0.1 0.33333333333333331]\n"
    assert printed(tf.constant([0.1, 1 / 3], tf.float16)) == "[0.0999755859 0.333251953]\n"
    assert printed(tf.constant(['a"b']), tf.constant("x"), "plain") == '["a\\"b"] "x" plain\n'
    assert printed({"k": tf.constant("v")}) == "{'k': \"v\"}\n"


def test_print_default_stream_and_file(capsys, tmp_path):
    tf.print("hello", tf.constant([1]))
    assert capsys.readouterr().err == "hello [1]\n"
    tf.print("out", output_stream=sys.stdout)
    assert capsys.readouterr().out == "out\n"
    target = tmp_path / "log.txt"
    tf.print(tf.constant([1, 2]), output_stream=f"file://{target}")
    assert target.read_text() == "[1 2]\n"
    with pytest.raises(ValueError, match="must start with 'file://'"):
        tf.print(1, output_stream="log.txt")
    with pytest.raises(TypeError, match="unexpected arguments"):
        tf.print(1, color="red")


def test_executing_eagerly():
    assert tf.executing_eagerly() is True


# ---------------------------------------------------------------- value assertions


def test_assert_equal():
    assert tf.debugging.assert_equal(tf.constant([1, 2]), [1, 2]) is None
    assert tf.assert_equal is tf.debugging.assert_equal
    tf.debugging.assert_equal(tf.zeros((2, 3)), 0.0)
    with pytest.raises(InvalidArgumentError) as info:
        tf.debugging.assert_equal([1, 2, 3], [1, 3, 3], message="mismatch")
    text = str(info.value)
    assert text.startswith("mismatch\nCondition x == y did not hold.")
    assert "Indices of first 1 different values:\n[[1]]" in text
    assert "Corresponding x values:\n[2]" in text and "Corresponding y values:\n[3]" in text
    assert "First 3 elements of x:\n[1 2 3]" in text
    with pytest.raises(ValueError, match=r"cannot compare shapes \(2,\) and \(3,\)"):
        tf.debugging.assert_equal([1, 2], [1, 2, 3])


def test_order_assertions():
    tf.debugging.assert_greater([2, 3], 1)
    tf.debugging.assert_less([1, 2], 3)
    tf.debugging.assert_greater_equal([1, 3], 1)
    tf.debugging.assert_less_equal([1, 3], 3)
    tf.debugging.assert_none_equal([1, 2], [3, 4])
    with pytest.raises(InvalidArgumentError, match=r"Condition x > y did not hold"):
        tf.debugging.assert_greater([2, 0], 1)
    with pytest.raises(InvalidArgumentError, match=r"Condition x < y did not hold"):
        tf.assert_less([1, 5], 3)
    with pytest.raises(InvalidArgumentError, match=r"x >= y"):
        tf.debugging.assert_greater_equal([0], 1)
    with pytest.raises(InvalidArgumentError, match=r"x <= y"):
        tf.debugging.assert_less_equal([4], 3)
    with pytest.raises(InvalidArgumentError, match=r"x != y"):
        tf.debugging.assert_none_equal([1, 2], [1, 4])


def test_sign_assertions():
    tf.debugging.assert_positive([1, 2])
    tf.debugging.assert_non_negative([0, 2])
    tf.debugging.assert_negative([-1.0])
    tf.debugging.assert_non_positive([0, -1])
    with pytest.raises(InvalidArgumentError, match=r"(?s)Condition x > 0 did not hold.*\[\[1\]\]"):
        tf.debugging.assert_positive([1, 0])
    with pytest.raises(InvalidArgumentError, match="x >= 0"):
        tf.debugging.assert_non_negative([-1])


def test_comparison_report_details():
    x = np.array([[1, 2], [3, 4]])
    y = np.array([1, 5])
    with pytest.raises(InvalidArgumentError) as info:
        tf.debugging.assert_equal(x, y, summarize=1)
    text = str(info.value)
    bad = np.argwhere(x != y)[:1]
    assert text.startswith("Condition x == y did not hold.")
    assert f"Indices of first 1 different values:\n{bad.tolist()}" in text
    assert f"Corresponding x values:\n{[int(x[tuple(i)]) for i in bad]}" in text
    assert "Corresponding y values:\n[5]" in text
    assert "First 1 elements of x:\n[1]" in text and "First 1 elements of y:\n[1]" in text
    with pytest.raises(InvalidArgumentError) as info:
        tf.debugging.assert_greater_equal(np.arange(10), 5, summarize=5)
    assert "Indices of first 5 different values:\n[[0], [1], [2], [3], [4]]" in str(info.value)
    with pytest.raises(ValueError, match=r"^m: cannot compare shapes \(2,\) and \(3,\)"):
        tf.debugging.assert_less([1, 2], [1, 2, 3], message="m")


@pytest.mark.parametrize(
    "op, ref, symbol",
    [
        (tf.debugging.assert_equal, np.equal, "=="),
        (tf.debugging.assert_none_equal, np.not_equal, "!="),
        (tf.debugging.assert_greater, np.greater, ">"),
        (tf.debugging.assert_greater_equal, np.greater_equal, ">="),
        (tf.debugging.assert_less, np.less, "<"),
        (tf.debugging.assert_less_equal, np.less_equal, "<="),
    ],
)
def test_comparisons_against_numpy(op, ref, symbol):
    x = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    for y in (x, x + 1, x - 1, np.array([3.0, 2.0, 1.0]), 3.0):
        if np.all(ref(x, y)):
            assert op(x, y) is None
            assert op(x, y, "msg", 2, "name") is None
        else:
            with pytest.raises(InvalidArgumentError) as info:
                op(x, y, message="ctx")
            bad = np.argwhere(~np.broadcast_to(ref(x, y), x.shape))[:3]
            text = str(info.value)
            assert text.startswith(f"ctx\nCondition x {symbol} y did not hold.")
            assert f"Indices of first {len(bad)} different values:\n{bad.tolist()}" in text
    assert list(inspect.signature(op).parameters) == ["x", "y", "message", "summarize", "name"]


@pytest.mark.parametrize(
    "op, ref, text",
    [
        (tf.debugging.assert_positive, lambda a: a > 0, "> 0"),
        (tf.debugging.assert_non_negative, lambda a: a >= 0, ">= 0"),
        (tf.debugging.assert_negative, lambda a: a < 0, "< 0"),
        (tf.debugging.assert_non_positive, lambda a: a <= 0, "<= 0"),
    ],
)
def test_sign_assertions_against_numpy(op, ref, text):
    for a in (np.array([1, 2]), np.array([0, 2]), np.array([-1.0, -2.0]), np.array([0, -3])):
        if np.all(ref(a)):
            assert op(a) is None
            assert op(a, "msg", 1, "name") is None
        else:
            with pytest.raises(InvalidArgumentError) as info:
                op(a, message="ctx", summarize=1)
            bad = np.argwhere(~ref(a))[:1]
            got = str(info.value)
            assert got.startswith(f"ctx\nCondition x {text} did not hold.")
            assert f"Indices of first 1 failing values:\n{bad.tolist()}" in got
            assert "First 1 elements of x:\n" in got
    assert list(inspect.signature(op).parameters) == ["x", "message", "summarize", "name"]


def test_assert_near():
    tf.debugging.assert_near([1.0], [1.0 + 1e-7])
    eps32 = np.finfo(np.float32).eps
    with pytest.raises(InvalidArgumentError, match="are close"):
        tf.debugging.assert_near([1.0], [1.0 + 100 * eps32])
    tf.debugging.assert_near([1.0], [1.1], atol=0.2)
    tf.debugging.assert_near([100.0], [101.0], rtol=0.02)
    with pytest.raises(InvalidArgumentError):
        tf.debugging.assert_near(np.array([1.0]), np.array([1.0 + 1e-12]))


def test_check_numerics_and_all_finite():
    x = tf.constant([1.0, 2.0])
    assert tf.debugging.check_numerics(x, "w") is x
    assert tf.debugging.assert_all_finite(x, "w") is x
    with pytest.raises(InvalidArgumentError, match=r"weights : Tensor had NaN values"):
        tf.debugging.check_numerics(tf.constant([1.0, float("nan")]), "weights")
    with pytest.raises(InvalidArgumentError, match=r"grads : Tensor had Inf values"):
        tf.debugging.assert_all_finite(tf.constant([float("inf")]), "grads")
    with pytest.raises(InvalidArgumentError, match="NaN and Inf"):
        tf.debugging.check_numerics(tf.constant([float("inf"), float("nan")]), "both")
    assert tf.debugging.check_numerics(tf.constant([1]), "ints").tolist() == [1]
    with pytest.raises(ValueError):
        tf.debugging.check_numerics(tf.constant([float("nan")]), "is a ValueError too")


# ---------------------------------------------------------------- shape and type assertions


def test_assert_rank_and_type():
    tf.debugging.assert_rank(tf.zeros((2, 3)), 2)
    assert tf.assert_rank is tf.debugging.assert_rank
    with pytest.raises(ValueError, match=r"must have rank 3. Received rank 2, shape \(2, 3\)"):
        tf.debugging.assert_rank(tf.zeros((2, 3)), 3)
    tf.debugging.assert_rank_at_least(tf.zeros((2, 3)), 1)
    with pytest.raises(ValueError, match="at least 3"):
        tf.debugging.assert_rank_at_least(tf.zeros((2, 3)), 3)
    tf.debugging.assert_type(tf.constant(1.0), tf.float32)
    with pytest.raises(TypeError, match="must be of type float64; got float32"):
        tf.debugging.assert_type(tf.constant(1.0), tf.float64)
    assert tf.debugging.is_numeric_tensor(tf.constant(1.0))
    assert not tf.debugging.is_numeric_tensor(tf.constant(True))


def test_assert_shapes_symbols():
    n, q, d = 10, 3, 7
    x, y = tf.zeros([n, q]), tf.ones([n, d])
    param = tf.Variable([1.0, 2.0, 3.0])
    tf.debugging.assert_shapes([(x, ("N", "Q")), (y, ("N", "D")), (param, ("Q",)), (1.0, ())])
    tf.debugging.assert_shapes({x: ("N", 3), y: ("N", None)})
    tf.debugging.assert_shapes([(tf.zeros((4, 5, 3)), (..., "C")), (tf.zeros(3), ("C",))])
    tf.debugging.assert_shapes([(tf.zeros((4, 5, 3)), ("*", 5, ".")), (tf.zeros((1,)), ())])
    with pytest.raises(
        ValueError, match=r"tensor 1 .*dimension 1 \('D'\) is 3, but 'D' is 7 in tensor 0"
    ):
        tf.debugging.assert_shapes([(y, ("N", "D")), (x, ("N", "D"))])
    with pytest.raises(ValueError, match=r"dimension 0 must be 4 \(spec \(4, 'Q'\)\), got 10"):
        tf.debugging.assert_shapes([(x, (4, "Q"))])
    with pytest.raises(ValueError, match="must have rank 1 to match spec"):
        tf.debugging.assert_shapes([(x, ("N",))], message="shapes")
    with pytest.raises(ValueError, match="at least rank 3"):
        tf.debugging.assert_shapes([(x, (..., "A", "B", "C"))])


def test_set_log_device_placement_is_accepted():
    assert tf.debugging.set_log_device_placement(True) is None
    assert tf.debugging.set_log_device_placement(False) is None
    assert not hasattr(tf, "set_log_device_placement")  # not top-level in TensorFlow


def test_unknown_name():
    with pytest.raises(NotImplementedError, match=r"`tf\.debugging\.experimental`"):
        tf.debugging.experimental  # noqa: B018


def test_invalid_argument_error_is_value_error():
    assert issubclass(InvalidArgumentError, ValueError)
    assert torch.is_tensor(tf.constant(1))
