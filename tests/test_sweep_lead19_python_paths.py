"""TensorFlow private paths TensorFlowTTS's utilities and spektral import.

`import tensorflow_tts` stopped at `from tensorflow.python.eager import context`,
`from tensorflow.python.util.tf_export import keras_export` and
`from tensorflow.python.ops import control_flow_util`; spektral's
`add_self_loops_indices` calls `gen_sparse_ops.sparse_reorder`. Under a `tensorflow`
package that re-exports tork they are `tork.python.*`. Reference: tensorflow 2.21 gives
`sparse_reorder([[1, 0], [0, 1]], [1., 2.], [2, 2])` -> indices [[0, 1], [1, 0]], values
[2., 1.].
"""

import numpy as np

import tork


def test_eager_context_and_export_decorators():
    from tork.python.eager import context
    from tork.python.util.tf_export import keras_export, tf_export

    assert context.executing_eagerly() is True

    @keras_export("keras.layers.MyLayer")
    class MyLayer(tork.keras.layers.Layer):
        pass

    @tf_export("math.my_op", v1=[])
    def my_op(x):
        return x * 2

    assert MyLayer.__name__ == "MyLayer" and my_op(3) == 6


def test_control_flow_util_is_never_in_xla():
    from tork.python.ops import control_flow_util

    assert control_flow_util.GraphOrParentsInXlaContext(None) is False


def test_sparse_reorder():
    from tork.python.ops import gen_sparse_ops

    out = gen_sparse_ops.sparse_reorder([[1, 0], [0, 1]], [1.0, 2.0], [2, 2])
    np.testing.assert_array_equal(np.asarray(out.output_indices), [[0, 1], [1, 0]])
    np.testing.assert_allclose(np.asarray(out.output_values), [2.0, 1.0])
    indices, values = out
    assert tuple(np.shape(indices)) == (2, 2) and tuple(np.shape(values)) == (2,)
