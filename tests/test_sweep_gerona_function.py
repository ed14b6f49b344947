"""tf.function details found running the Hands-On ML (2nd ed.) chapter 12 notebook."""

import pytest
import torch

import tork as tf


def test_returned_variable_is_a_value_snapshot():
    # TF: a tf.function returns tensors; `counter.assign_add(1)` gives the new value, and
    # later assignments do not change what an earlier call returned.
    counter = tf.Variable(0)

    @tf.function
    def increment(c=1):
        return counter.assign_add(c)

    first = increment()
    second = increment()
    assert not isinstance(first, tf.Variable)
    assert int(first) == 1
    assert int(second) == 2
    assert int(counter) == 2


def test_variables_inside_returned_structures_are_values():
    v = tf.Variable(1.0)

    @tf.function
    def step():
        v.assign_add(1.0)
        return {"v": v, "pair": (v, 3)}

    out = step()
    v.assign(10.0)
    assert float(out["v"]) == 2.0 and float(out["pair"][0]) == 2.0
    assert not isinstance(out["pair"][0], tf.Variable)


def test_returned_variable_keeps_gradient():
    v = tf.Variable(3.0)

    @tf.function
    def get():
        return v

    with tf.GradientTape() as tape:
        y = get() * 2.0
    assert float(tape.gradient(y, v)) == 2.0


def test_same_argument_types_give_the_same_concrete_function():
    tf_cube = tf.function(lambda x: x**3)
    concrete = tf_cube.get_concrete_function(tf.constant(2.0))
    assert concrete is tf_cube.get_concrete_function(tf.constant(3.0))
    assert concrete is not tf_cube.get_concrete_function(tf.constant(2))
    assert concrete is not tf_cube.get_concrete_function(tf.constant([2.0]))
    assert float(concrete(tf.constant(2.0))) == 8.0


@pytest.mark.parametrize("name", ["graph", "function_def", "structured_outputs", "outputs"])
def test_graph_introspection_says_it_is_not_available(name):
    concrete = tf.function(lambda x: x**3).get_concrete_function(tf.constant(2.0))
    with pytest.raises(NotImplementedError, match=f"ConcreteFunction.{name}`: tf.function runs"):
        getattr(concrete, name)
    assert not hasattr(concrete, name)


def test_pickled_function_drops_concrete_cache():
    import pickle

    f = tf.function(torch.square)
    f.get_concrete_function(tf.constant(2.0))
    g = pickle.loads(pickle.dumps(f))
    assert g._concrete == {}
    assert float(g(tf.constant(3.0))) == 9.0
