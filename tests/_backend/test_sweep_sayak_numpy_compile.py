"""`tf.transpose(x, [..])` and NumPy calls inside compiled code (swin-transformers-tf sweep).

`tf.function(model, jit_compile=True)` on Swin's window_partition died with RecursionError:
tf.transpose reads `perm` with `np.asarray`, dynamo reads tensors back through the patched
`Tensor.numpy`, and tracing that method graph-broke inside it again and again.
"""

import numpy as np
import torch

import tork as tf


def test_transpose_with_list_perm_compiles():
    x = torch.arange(6.0).reshape(2, 3)
    torch._dynamo.reset()
    got = torch.compile(lambda t: tf.transpose(t * 2.0, [1, 0]) + 1.0, backend="eager")(x)
    # numpy reference: the same transpose.
    np.testing.assert_array_equal(got.numpy(), (x.numpy() * 2.0).T + 1.0)


def test_numpy_asarray_in_compiled_code():
    x = torch.arange(6.0).reshape(2, 3)

    def fn(t):
        perm = np.asarray([1, 0], dtype=np.int64)
        return t.permute(*[int(v) for v in perm.tolist()]) * 2

    torch._dynamo.reset()
    np.testing.assert_array_equal(torch.compile(fn, backend="eager")(x).numpy(), x.numpy().T * 2)


def test_swin_window_partition_under_jit_compile():
    def window_partition(x, window_size):
        b, h, w, c = tf.shape(x)[0], tf.shape(x)[1], tf.shape(x)[2], tf.shape(x)[3]
        x = tf.reshape(x, (b, h // window_size, window_size, w // window_size, window_size, c))
        windows = tf.transpose(x, [0, 1, 3, 2, 4, 5])
        return tf.reshape(windows, (-1, window_size, window_size, c))

    x = np.arange(2 * 4 * 4 * 1, dtype="float32").reshape(2, 4, 4, 1)
    fn = tf.function(lambda t: window_partition(t, 2), jit_compile=True)
    for _ in range(2):
        got = fn(x).numpy()
    # numpy reference: split each image into 2x2 blocks, row-major over the block grid.
    want = x.reshape(2, 2, 2, 2, 2, 1).transpose(0, 1, 3, 2, 4, 5).reshape(-1, 2, 2, 1)
    np.testing.assert_array_equal(got, want)


def test_numpy_still_tf_like_outside_compile():
    # A copy for tensors that require grad, a NumPy scalar for 0-d tensors.
    v = torch.ones(2, requires_grad=True)
    assert v.numpy().tolist() == [1.0, 1.0]
    assert isinstance(tf.constant(3.5).numpy(), np.float32)
