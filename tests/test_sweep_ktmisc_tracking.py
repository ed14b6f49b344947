"""Sweep of tf_keras's tracking tests (ktmisc): `tf.__internal__.tracking.wrap`, the
weights properties of tracked lists/dicts, and lists/dicts inserted into a tracked
structure being tracked too. Expected values come from tf_keras 2.21
(TF_USE_LEGACY_KERAS=1) running the same code."""

import numpy as np

import tork as tf

keras = tf.keras
layers = keras.layers


def _wrap(value):
    return tf.__internal__.tracking.wrap(value)


def test_tracking_wrap_builds_layer_lists():
    class HasList(keras.Model):
        def __init__(self):
            super().__init__()
            self.blocks = _wrap([layers.Dense(3)])
            self.blocks.append(layers.Dense(4))
            self.blocks.extend([layers.Dense(5), layers.Dense(6, kernel_regularizer=tf.reduce_sum)])
            self.blocks += _wrap([layers.Dense(7)]) + _wrap([layers.Dense(8)])
            self.norms = _wrap([layers.BatchNormalization()])

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            (norm,) = self.norms
            return norm(x)

    model = HasList()
    out = model(tf.ones([4, 2]))
    # tf_keras: output (4, 8), 7 layers, the list's 6 in order, 1 regularization loss.
    assert tuple(out.shape) == (4, 8)
    assert len(model.layers) == 7
    assert [layer.units for layer in model.blocks.layers] == [3, 4, 5, 6, 7, 8]
    assert len(model.losses) == 1
    assert len(model.trainable_weights) == 14


def test_tracking_wrap_passes_other_values_through():
    assert _wrap(3) == 3
    wrapped = _wrap({"a": 1})
    assert isinstance(wrapped, dict) and wrapped == {"a": 1}
    assert isinstance(_wrap([1]), list)


def test_dict_of_wrapped_lists_extended_later_is_tracked():
    # Before: the inner lists' extend/append were not seen (model.layers had 1 of 5).
    class HasMapping(keras.Model):
        def __init__(self):
            super().__init__()
            self.parts = _wrap(dict(output=layers.Dense(7)))
            self.parts["norm"] = _wrap([])
            self.parts["dense"] = _wrap([])
            self.parts["dense"].extend([layers.Dense(5), layers.Dense(6)])
            self.parts["norm"].append(layers.BatchNormalization())
            self.parts["norm"].append(layers.BatchNormalization())

        def call(self, x):
            for norm, dense in zip(self.parts["norm"], self.parts["dense"]):
                x = norm(dense(x))
            return self.parts["output"](x)

    model = HasMapping()
    assert tuple(model(tf.ones([4, 2])).shape) == (4, 7)
    assert len(model.layers) == 5  # tf_keras: 5
    assert len(model.parts.layers) == 5
    assert len(model.trainable_weights) == 2 + 2 + 2 + 2 + 2  # 3 Dense + 2 BN (gamma, beta)


def test_plain_lists_and_dicts_inserted_later_are_tracked():
    class Nested(keras.Model):
        def __init__(self):
            super().__init__()
            self.by_name = {}
            self.by_name["x"] = []
            self.by_name["x"].append(layers.Dense(2))
            self.stack = []
            self.stack.append([])
            self.stack[0].append(layers.Dense(3))
            self.stack.append({})
            self.stack[1]["k"] = layers.Dense(4)

        def call(self, x):
            return self.stack[1]["k"](self.stack[0][0](self.by_name["x"][0](x)))

    model = Nested()
    model(tf.ones((1, 2)))
    # tf_keras: 3 layers, weights (2,2) (2,) (2,3) (3,) (3,4) (4,).
    assert len(model.layers) == 3
    shapes = [tuple(w.shape) for w in model.weights]
    assert shapes == [(2, 2), (2,), (2, 3), (3,), (3, 4), (4,)]
    assert len(model.stack.layers) == 2
    assert len(model.by_name.trainable_weights) == 2


def test_tracked_structure_weights_properties():
    v = tf.Variable(1.0, name="v")
    nv = tf.Variable(2.0, trainable=False, name="nv")
    dense = layers.Dense(2, name="d1")
    dense.build((None, 3))
    norm = layers.BatchNormalization(name="bn")
    norm.build((None, 2))

    class Holder(keras.Model):
        pass

    holder = Holder()
    holder.items = [v, dense, nv, [norm]]
    holder.by_key = {"z": v, "a": dense, "m": nv}
    # tf_keras: layers' weights first, then the structure's own variables.
    assert [w.name for w in holder.items.trainable_weights] == [
        "kernel:0",
        "bias:0",
        "gamma:0",
        "beta:0",
        "v:0",
    ]
    assert [w.name for w in holder.items.non_trainable_weights] == [
        "moving_mean:0",
        "moving_variance:0",
        "nv:0",
    ]
    assert [w.name for w in holder.items.weights] == [w.name for w in holder.items.variables]
    assert len(holder.items.weights) == 8
    assert holder.items.trainable_variables[-1] is v
    assert holder.items.non_trainable_variables[-1] is nv
    assert [w.name for w in holder.by_key.weights] == ["kernel:0", "bias:0", "v:0", "nv:0"]
    np.testing.assert_allclose(float(holder.by_key.weights[-1]), 2.0)


def test_module_dict_layers_and_weights_start_empty():
    root = tf.Module()
    root.wrapper = {}
    assert root.wrapper.layers == []
    assert root.wrapper.trainable_weights == []
    first, second = layers.Dense(1), layers.Dense(1)
    root.wrapper["a"] = first
    root.wrapper["b"] = second
    assert root.wrapper.layers == [first, second]
    assert root.wrapper.trainable_weights == []  # not built yet (tf_keras too)
