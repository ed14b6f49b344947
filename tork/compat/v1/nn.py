"""`tf.compat.v1.nn`: the TensorFlow 1 CTC functions (keras.io's OCR and ASR examples).

- `ctc_loss(labels, inputs, sequence_length, ...)`: TF 1's CTC loss with SparseTensor
  labels and the blank last.
- `ctc_beam_search_decoder(..., merge_repeated=True)`: TF 1's beam search, which merges
  adjacent equal labels of each found path.
- `ctc_greedy_decoder`: the same function as `tf.nn.ctc_greedy_decoder`.
- `moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None)`: TF 1's
  argument order (`name` before the keep-dims flag, which has both spellings).

Every other name raises `NotImplementedError` naming `tf.compat.v1.nn.<name>`.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.ops._ctc_decode import ctc_beam_search_decoder_v1 as ctc_beam_search_decoder
from tork.ops.nn import _ctc_loss_v1 as ctc_loss
from tork.ops.nn import ctc_greedy_decoder
from tork.ops.nn import moments as _nn_moments

__getattr__ = _module_getattr("tf.compat.v1.nn")

__all__ = ["ctc_beam_search_decoder", "ctc_greedy_decoder", "ctc_loss", "moments"]


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """TensorFlow 1's `tf.nn.moments`: mean and (biased) variance of `x` over `axes`.

    Example:
    >>> m, v = tf.compat.v1.nn.moments(tf.constant([[1.0, 3.0]]), [1], keep_dims=True)
    >>> m.tolist(), v.tolist()
    ([[2.0]], [[1.0]])
    """
    if keep_dims is not None and keepdims is not None and bool(keep_dims) != bool(keepdims):
        raise ValueError(
            "tf.compat.v1.nn.moments: keep_dims and keepdims are two names of one flag; "
            f"they disagree (keep_dims={keep_dims}, keepdims={keepdims}). Pass one of them."
        )
    flag = keep_dims if keep_dims is not None else keepdims
    return _nn_moments(x, axes, shift=shift, keepdims=bool(flag))
