"""A layer or model named '' adds no level to its weights' names, as in Keras 2.

google/automl's EfficientDetNet is created with `name=''` (kept by an
`_init_set_name` override, for checkpoint compatibility). tf_keras names its weights
`efficientnet-b0/stem/conv2d/kernel:0`; tork gave `/efficientnet-b0/...`, which
broke `re.match(config.var_freeze_expr, v.name)` (freezing nothing, silently).
Reference names: TF 2.21 / tf_keras in the reference env.
"""

import numpy as np

import tork as tf


class _Inner(tf.keras.layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.d = tf.keras.layers.Dense(2, name="d")

    def call(self, x):
        return self.d(x)


class _Model(tf.keras.Model):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.a = _Inner(name="inner")
        self.b = _Inner(name="")

    def call(self, x):
        return self.b(self.a(x))


def test_empty_names_add_no_scope_level():
    model = _Model(name="")
    model(np.ones((1, 3), "float32"))
    assert model.name == ""
    # TF: ['inner/d/kernel:0', 'inner/d/bias:0', 'd/kernel:0', 'd/bias:0']
    assert [w.name for w in model.weights] == [
        "inner/d/kernel:0",
        "inner/d/bias:0",
        "d/kernel:0",
        "d/bias:0",
    ]


def test_var_freeze_regex_matches():
    model = _Model(name="")
    model(np.ones((1, 3), "float32"))
    kept = [
        v.name for v in model.trainable_variables if not __import__("re").match("inner", v.name)
    ]
    assert kept == ["d/kernel:0", "d/bias:0"]
