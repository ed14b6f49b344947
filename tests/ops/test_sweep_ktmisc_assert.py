"""`tf.debugging.Assert` is `tf.Assert` (ktmisc sweep of tf_keras's function integration
test). Messages compared with TensorFlow 2.21 running the same calls eagerly."""

import pytest

import tork as tf


def test_assert_true_returns_none():
    # Before: tf.debugging.Assert raised "tork does not implement" (tf.Assert existed).
    assert tf.debugging.Assert(tf.constant(True), ["never shown"]) is None
    assert tf.Assert(True, ["x"]) is None
    assert tf.Assert is tf.debugging.Assert


def test_assert_false_raises_with_summarized_data():
    # TF: "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data:
    # b'Error'\n1, 2, ...\n2.5" (tork names the condition 'condition' and shows the
    # string without b'').
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.debugging.Assert(tf.constant(False), ["Error", tf.constant([1, 2, 3]), 2.5], summarize=2)
    message = str(info.value)
    assert message.startswith("Expected '")
    assert "to be true. Summarized data: " in message
    assert message.endswith("Error\n1, 2, ...\n2.5")


def test_assert_inside_tf_function():
    @tf.function
    def double_positive(x):
        tf.debugging.Assert(x > 0, ["negative input", x])
        return x * 2

    assert float(double_positive(tf.constant(1.5))) == 3.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative input"):
        double_positive(tf.constant(-1.0))


def test_assert_needs_a_single_boolean():
    with pytest.raises(ValueError, match="condition must be a scalar boolean.*\\(2,\\)"):
        tf.debugging.Assert(tf.constant([True, False]), ["E"])
