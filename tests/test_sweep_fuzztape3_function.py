"""fuzztape3: tf.function tracing counts follow TF's argument binding.

TF binds call arguments to the Python signature (defaults filled in) before looking up
a trace, and `get_concrete_function(tf.TensorSpec(...))` makes a trace that later calls
with fitting shapes reuse. tork counted `f(x)`, `f(x, 1)`, `f(x, k=1)` as three traces
and a call after `get_concrete_function` as a new one.
Reference counts: TensorFlow 2.21 (/tmp/fuzztape3/repro/trace_kw.py, trace_cf.py).
"""

import pytest

import tork as tf


def test_bound_arguments_with_defaults_are_one_trace():
    x = tf.ones([2])
    f = tf.function(lambda a, k=1: a * k)
    counts = []
    f(x)
    counts.append(f.experimental_get_tracing_count())
    f(x, 1)
    counts.append(f.experimental_get_tracing_count())
    f(x, k=1)
    counts.append(f.experimental_get_tracing_count())
    f(a=x, k=1)
    counts.append(f.experimental_get_tracing_count())
    f(x, 3)
    f(x, k=3)
    counts.append(f.experimental_get_tracing_count())
    assert counts == [1, 1, 1, 1, 2]


def test_method_arguments_bind_without_self():
    class M(tf.Module):
        @tf.function
        def __call__(self, a, scale=2.0):
            return a * scale

    m = M()
    m(tf.ones([2]))
    m(tf.ones([2]), 2.0)
    m(tf.ones([2]), scale=2.0)
    assert m.__call__.experimental_get_tracing_count() == 1


def test_calls_reuse_a_get_concrete_function_trace():
    f = tf.function(lambda a, b: a * b)
    c = f.get_concrete_function(
        tf.TensorSpec([None], tf.float32), tf.TensorSpec([None], tf.float32)
    )
    counts = [f.experimental_get_tracing_count()]
    c(tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0]))
    counts.append(f.experimental_get_tracing_count())
    f(tf.constant([1.0]), tf.constant([2.0]))
    counts.append(f.experimental_get_tracing_count())
    f(tf.constant([[1.0]]), tf.constant([[2.0]]))  # another rank: a new trace
    counts.append(f.experimental_get_tracing_count())
    f(tf.constant([1.0], tf.float64), tf.constant([2.0], tf.float64))  # another dtype
    counts.append(f.experimental_get_tracing_count())
    f.get_concrete_function(tf.TensorSpec([3], tf.float32), tf.TensorSpec([3], tf.float32))
    counts.append(f.experimental_get_tracing_count())  # covered by the [None] trace
    assert counts == [1, 1, 1, 2, 3, 3]


def test_concrete_function_with_default_argument():
    g = tf.function(lambda a, k=2: a * k)
    g.get_concrete_function(tf.TensorSpec([None, 2], tf.float32))
    assert g.experimental_get_tracing_count() == 1
    g(tf.ones([5, 2]))
    g(tf.ones([5, 2]), 2)
    assert g.experimental_get_tracing_count() == 1
    g(tf.ones([5, 2]), 3)
    assert g.experimental_get_tracing_count() == 2


def test_concrete_function_inputs_raise_a_clear_error():
    # TF lists the graph's placeholders; tork has no graph: a clear error (it was a bare
    # AttributeError), still an AttributeError so hasattr() is False.
    cf = tf.function(lambda a: a * 2.0).get_concrete_function(tf.TensorSpec([None, 3]))
    assert not hasattr(cf, "inputs")
    with pytest.raises(NotImplementedError, match=r"ConcreteFunction.inputs.*no FuncGraph"):
        _ = cf.inputs
    spec = cf.structured_input_signature[0][0]
    assert spec.shape.as_list() == [None, 3]
