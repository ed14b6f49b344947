"""TensorFlow's private module paths that DeepCTR's layers import at module level.

Pattern from shenweichen/DeepCTR (deepctr/layers/*.py, deepctr/contrib/*.py):

    from tensorflow.python.ops.init_ops import Zeros, Ones, Constant, TruncatedNormal, \\
        glorot_normal_initializer as glorot_normal
    from tensorflow.python.ops.init_ops_v2 import Zeros, glorot_normal
    from tensorflow.python.ops.lookup_ops import TextFileInitializer, StaticHashTable
    from tensorflow.python.layers import utils          # utils.conv_output_length
    from tensorflow.python.ops import array_ops, math_ops, rnn_cell_impl, ...
    from tensorflow.python.ops.rnn_cell import *       # class QAAttGRUCell(RNNCell)

Every DeepCTR model failed at `import deepctr` before these resolved. Under a `tensorflow`
package that re-exports tork they are `tork.python.*`. Expected values: tensorflow 2.21's
modules of those names (reference env).
"""

import numpy as np
import pytest

import tork


def test_v1_initializers_take_dtype_and_partition_info():
    from tork.python.ops.init_ops import Constant, Ones, Zeros, constant_initializer

    # tensorflow 2.21: Constant(3.0, dtype=tf.float32, verify_shape=False)([2],
    # partition_info=None) -> [3, 3]; Zeros(dtype=tf.float64)([2]).dtype -> float64.
    np.testing.assert_allclose(
        Constant(3.0, dtype=tork.float32, verify_shape=False)([2], partition_info=None).numpy(),
        [3.0, 3.0],
    )
    assert Zeros(dtype=tork.float64)([2]).dtype == tork.float64
    np.testing.assert_allclose(Ones()([2, 1]).numpy(), [[1.0], [1.0]])
    assert constant_initializer is Constant


def test_v1_initializer_defaults_are_tf1s():
    from tork.python.ops.init_ops import (
        RandomNormal,
        TruncatedNormal,
        glorot_normal_initializer,
        random_uniform_initializer,
    )

    # tensorflow 2.21 on 20000 draws: TruncatedNormal() std 0.882 (stddev 1 cut at 2),
    # max |x| < 2; RandomNormal() std 1.01; random_uniform_initializer() in [0, 1);
    # glorot_normal_initializer on (200, 300): std 0.0634 (sqrt(2 / 500) = 0.0632).
    t = TruncatedNormal(seed=1)([20000]).numpy()
    assert 0.85 < t.std() < 0.91 and np.abs(t).max() <= 2.0
    assert 0.97 < RandomNormal(seed=1)([20000]).numpy().std() < 1.03
    u = random_uniform_initializer(seed=1)([20000]).numpy()
    assert u.min() >= 0.0 and u.max() < 1.0 and u.min() < 0.01 and u.max() > 0.99
    g = glorot_normal_initializer(seed=1)([200, 300]).numpy()
    assert 0.060 < g.std() < 0.066


def test_v1_initializers_in_add_weight_and_layer_config():
    from tork.python.ops.init_ops import Zeros, glorot_normal_initializer

    class Scale(tork.keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(
                name="w", shape=(input_shape[-1],), initializer=glorot_normal_initializer(seed=3)
            )
            self.b = self.add_weight(name="b", shape=(1,), initializer=Zeros())

        def call(self, x):
            return x * self.w + self.b

    layer = Scale()
    layer(tork.ones((2, 4)))
    assert layer.w.shape == (4,) and float(tork.reduce_sum(tork.abs(layer.b))) == 0.0
    # Serialized as Keras's classes of the same names (what TF 2 writes for them too).
    config = tork.keras.initializers.serialize(Zeros())
    assert config["class_name"] == "Zeros"
    assert isinstance(tork.keras.initializers.deserialize(config), tork.keras.initializers.Zeros)


def test_init_ops_v2_names():
    from tork.python.ops.init_ops_v2 import Constant, TruncatedNormal, Zeros, glorot_normal

    assert glorot_normal is tork.keras.initializers.GlorotNormal
    assert Zeros is tork.keras.initializers.Zeros and Constant is tork.keras.initializers.Constant
    # tensorflow 2.21: init_ops_v2.TruncatedNormal() has stddev 0.05 (std 0.044 drawn).
    assert 0.04 < TruncatedNormal(seed=1)([20000]).numpy().std() < 0.047


def test_lookup_ops_and_layers_utils():
    from tork.python.layers import utils
    from tork.python.ops.lookup_ops import StaticHashTable, TextFileInitializer

    assert StaticHashTable is tork.lookup.StaticHashTable
    assert TextFileInitializer is tork.lookup.TextFileInitializer
    # tensorflow 2.21's tensorflow.python.layers.utils.conv_output_length.
    assert utils.conv_output_length(7, 3, "valid", 2) == 3
    assert utils.conv_output_length(7, 3, "same", 2) == 4


def test_op_modules_hold_tf1_ops():
    from tork.python.framework import dtypes, tensor_shape
    from tork.python.ops import array_ops, control_flow_ops, math_ops, nn_ops

    x = tork.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(array_ops.transpose(x).numpy(), [[1.0, 3.0], [2.0, 4.0]])
    assert math_ops.to_int32(x).dtype == tork.int32
    np.testing.assert_allclose(math_ops.reduce_max(x, axis=1).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(
        nn_ops.bias_add(x, tork.constant([1.0, -1.0])).numpy(), [[2, 1], [4, 3]]
    )
    assert callable(control_flow_ops.while_loop) and dtypes.int32 == tork.int32
    assert tensor_shape.TensorShape([2, None]).as_list() == [2, None]


def test_rnn_cell_subclass_imports_and_builds():
    from tork.python.ops import rnn_cell_impl
    from tork.python.ops.rnn_cell import RNNCell

    # DeepCTR's contrib/rnn_v2.py reads these at import time.
    assert rnn_cell_impl._concat(4, [3], static=True) == [4, 3]
    assert rnn_cell_impl._concat([None], 3, static=True) == [None, 3]
    assert rnn_cell_impl._concat(4, 3).tolist() == [4, 3]
    assert rnn_cell_impl._like_rnncell(object()) is False

    class AttGRUCell(RNNCell):
        def __init__(self, units, reuse=None):
            super().__init__(_reuse=reuse)
            self._units = units

    # Subclasses are TF 1 cells now (tests/test_sweep_tf1cells_variable_scope.py runs them).
    assert AttGRUCell(4)._units == 4
    with pytest.raises(ImportError):
        from tork.python.ops.rnn_cell_impl import _Linear  # noqa: F401
