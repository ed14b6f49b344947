"""Regressions found running TensorFlow's core guides (tensors, variables, modules) under tork."""

import numpy as np

import tork as tf


def test_python_complex_is_complex128():
    # TF 2.21: tf.constant(5 + 4j).dtype == complex128 (Python floats give float32, complex
    # numbers are not narrowed).
    assert tf.constant(5 + 4j).dtype == tf.complex128
    assert tf.constant([1.0, 2 + 1j]).dtype == tf.complex128
    v = tf.Variable([5 + 4j, 6 + 1j])
    assert v.dtype == tf.complex128
    np.testing.assert_array_equal(v.numpy(), np.array([5 + 4j, 6 + 1j]))


class _FlexibleDense(tf.keras.layers.Layer):
    """The guide's layer: plain tf.Variables created in build."""

    def __init__(self, out_features, **kwargs):
        super().__init__(**kwargs)
        self.out_features = out_features

    def build(self, input_shape):
        self.w = tf.Variable(tf.ones([input_shape[-1], self.out_features]), name="w")
        with tf.name_scope("inner"):
            self.z = tf.Variable(1.0, name="z")

    def call(self, inputs):
        return tf.matmul(inputs, self.w) * self.z


class _Outer(tf.keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.d1 = _FlexibleDense(3, name="first")
        self.d2 = _FlexibleDense(2, name="second")

    def call(self, x):
        return self.d2(self.d1(x))


class _BuildsChild(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.child = _FlexibleDense(2, name="child")
        self.child(tf.ones([1, input_shape[-1]]))

    def call(self, x):
        return self.child(x)


def test_variables_created_in_build_take_the_layer_name_scope():
    # Names from tf_keras 2.21 (Keras 2 builds inside the layer's name scope).
    layer = _FlexibleDense(3, name="fa")
    layer(tf.ones([2, 3]))
    assert [v.name for v in layer.variables] == ["fa/w:0", "fa/inner/z:0"]

    model = _Outer(name="mm")
    np.testing.assert_allclose(model(tf.ones([1, 3])).numpy(), [[9.0, 9.0]])
    assert [v.name for v in model.variables] == [
        "mm/first/w:0",
        "mm/first/inner/z:0",
        "mm/second/w:0",
        "mm/second/inner/z:0",
    ]

    with tf.name_scope("outer"):
        scoped = _FlexibleDense(2, name="fb")
        scoped(tf.ones([1, 3]))
    assert [v.name for v in scoped.variables] == ["outer/fb/w:0", "outer/fb/inner/z:0"]

    # A layer called inside another layer's build is not prefixed twice.
    parent = _BuildsChild(name="par")
    parent(tf.ones([1, 3]))
    assert [v.name for v in parent.variables] == ["par/child/w:0", "par/child/inner/z:0"]
    # Outside build, the scope is back to the top level.
    assert tf.Variable(1.0, name="after").name == "after:0"


def test_tf_function_returns_python_numbers_as_tensors():
    # The tf.function guide's simple_relu: TF 2.21 gives int32 tensors 1 and 0.
    def simple_relu(x):
        if tf.greater(x, 0):
            return x
        return 0

    relu = tf.function(simple_relu)
    out = relu(tf.constant(-1))
    assert isinstance(out, tf.Tensor) and out.dtype == tf.int32
    assert int(out) == 0

    @tf.function
    def several():
        return {"a": 1.5, "b": [2, np.float64(0.25)], "c": None}

    res = several()
    assert res["a"].dtype == tf.float32 and float(res["a"]) == 1.5
    assert res["b"][0].dtype == tf.int32 and int(res["b"][0]) == 2
    assert res["b"][1].dtype == tf.float64
    assert res["c"] is None


def test_non_rectangular_list_raises_value_error():
    # TF 2.21: ValueError "Can't convert non-rectangular Python sequence to Tensor."
    try:
        tf.constant([[0, 1, 2, 3], [4, 5], [6, 7, 8], [9]])
    except ValueError as err:
        assert "non-rectangular Python sequence" in str(err)
        assert "tf.ragged.constant" in str(err)
        assert isinstance(err, TypeError)  # what tork raised before: old handlers still work
    else:
        raise AssertionError("expected ValueError")
