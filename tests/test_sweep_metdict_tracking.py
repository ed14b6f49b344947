"""Order of the variables a layer keeps in a dict attribute (Keras 2: those in the dict
when it is assigned, by key; then the ones put in later, by key)."""

import numpy as np

import tork as tf

keras = tf.keras


def _var(n, name):
    return tf.Variable(np.full((n,), n, "float32"), name=name)


class _Later(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = {"z_kernel": _var(1, "zk"), "a_kernel": _var(2, "ak")}
        self.w["m_bias"] = _var(3, "mb")
        self.w["b_extra"] = _var(4, "be")

    def call(self, x):
        return x


def _names(layer):
    return [w.name for w in layer.weights]


def test_dict_variables_assigned_then_inserted():
    # tf_keras 2.21 (TF_USE_LEGACY_KERAS=1): ['ak:0', 'zk:0', 'be:0', 'mb:0'].
    layer = _Later(name="later")
    assert _names(layer) == ["ak:0", "zk:0", "be:0", "mb:0"]
    assert [w.shape for w in layer.get_weights()] == [(2,), (1,), (4,), (3,)]
    layer.set_weights([np.full((n,), 10.0 * n, "float32") for n in (2, 1, 4, 3)])
    np.testing.assert_allclose(layer.w["m_bias"].numpy(), [30.0, 30.0, 30.0])
    np.testing.assert_allclose(layer.w["z_kernel"].numpy(), [10.0])


def test_dict_filled_after_empty_assignment_sorts():
    class Empty(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = {}
            self.w["z"] = _var(1, "z")
            self.w["a"] = _var(2, "a")

        def call(self, x):
            return x

    # tf_keras 2.21: ['a:0', 'z:0'].
    assert _names(Empty(name="empty")) == ["a:0", "z:0"]


def test_dict_update_and_replaced_value_come_after():
    class Updated(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = {"z": _var(1, "z"), "q": _var(1, "q")}
            self.w.update({"y": _var(2, "y"), "b": _var(3, "b")})
            self.w["q"] = _var(4, "q2")

        def call(self, x):
            return x

    # tf_keras 2.21: ['q:0', 'z:0', 'b:0', 'q2:0', 'y:0'] (it also keeps the replaced
    # 'q:0' as a weight; tork lists only the dict's current variables, in the same order).
    assert _names(Updated(name="updated")) == ["z:0", "b:0", "q2:0", "y:0"]


def test_dict_layers_stay_sorted_by_key():
    class Blocks(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.ls = {"z": keras.layers.Dense(1, name="dz"), "a": keras.layers.Dense(1, name="da")}
            self.ls["c"] = keras.layers.Dense(1, name="dc")

        def call(self, x):
            return [self.ls[k](x) for k in ("z", "a", "c")]

    layer = Blocks(name="blocks")
    layer(np.zeros((1, 1), "float32"))
    # tf_keras 2.21 sorts the layers of a dict by key, also those added later.
    assert [w.name.split("/")[-2] for w in layer.weights] == ["da", "da", "dc", "dc", "dz", "dz"]


def test_model_dict_variables_keep_insertion_order():
    class Holder(keras.Model):
        def __init__(self):
            super().__init__(name="holder")
            self.w = {"z_kernel": _var(1, "zk"), "a_kernel": _var(2, "ak")}
            self.w["m_bias"] = _var(3, "mb")
            self.w["b_extra"] = _var(4, "be")

        def call(self, x):
            return x

    # tf_keras 2.21, a Model holding the same dict: ['zk:0', 'ak:0', 'mb:0', 'be:0'].
    assert _names(Holder()) == ["zk:0", "ak:0", "mb:0", "be:0"]
