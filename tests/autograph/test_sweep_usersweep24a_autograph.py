"""tf.autograph.to_code / to_graph, as the DeepLearning.AI "graphs for complex code" lab uses them.

https-deeplearning-ai/tensorflow-3-public, Course 2 Week 3 Lab 2 prints
`tf.autograph.to_code(f.python_function)` for several `tf.function`s. Reference values
from TensorFlow 2.21 (reference env): `to_code` returns a `str`; `to_graph(g)` returns a
callable giving `g`'s results (4 for `tf.constant(2)`, 6 for `3` below); both raise a
ValueError naming `f.python_function` for a `tf.function` object or a non-function.
"""

import pytest

import tork as tf


def _double_if_positive(x):
    if x > 0:
        x = x * 2
    return x


@tf.function
def _decorated(x, y):
    return x + y


def test_to_code_returns_the_function_source():
    code = tf.autograph.to_code(_double_if_positive)
    assert isinstance(code, str)
    assert code.startswith("def _double_if_positive(x):")
    assert "x = x * 2" in code


def test_to_code_of_python_function_drops_the_decorator():
    code = tf.autograph.to_code(_decorated.python_function)
    assert code.startswith("def _decorated(x, y):")
    assert "@tf.function" not in code


def test_to_code_of_nested_function_is_dedented():
    def inner(a):
        return a - 1

    assert tf.autograph.to_code(inner) == "def inner(a):\n    return a - 1\n"


def test_to_graph_runs_like_the_function():
    g = tf.autograph.to_graph(_double_if_positive)
    assert int(g(tf.constant(2))) == 4  # TF 2.21: 4
    assert g(3) == 6  # TF 2.21: 6


@pytest.mark.parametrize("api", ["to_code", "to_graph"])
def test_tf_function_object_is_refused_as_in_tf(api):
    with pytest.raises(ValueError, match=r"f\.python_function"):
        getattr(tf.autograph, api)(_decorated)
    with pytest.raises(ValueError, match=r"__code__"):
        getattr(tf.autograph, api)(3)
