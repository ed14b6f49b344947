"""`tf.compat.v1.nn`: the TensorFlow 1 CTC functions (keras.io's OCR and ASR examples).

- `ctc_loss(labels, inputs, sequence_length, ...)`: TF 1's CTC loss with SparseTensor
  labels and the blank last.
- `ctc_beam_search_decoder(..., merge_repeated=True)`: TF 1's beam search, which merges
  adjacent equal labels of each found path.
- `ctc_greedy_decoder`: the same function as `tf.nn.ctc_greedy_decoder`.
- `moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None)`: TF 1's
  argument order (`name` before the keep-dims flag, which has both spellings).

- `dynamic_rnn`, `static_rnn`, `bidirectional_dynamic_rnn` and the `rnn_cell` module:
  TF 1's RNNs run eagerly over Keras or TF 1 cells (see tork.compat.v1.rnn_cell).

- `dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None)`: TF 1's
  signature, whose second argument is the probability to KEEP (TF 2's is the rate).

Every other name is `tf.nn`'s (TF 1's `filter=`, `dim=`, `keep_dims=` spellings renamed);
a name `tf.nn` lacks raises `NotImplementedError` naming `tf.compat.v1.nn.<name>`.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.compat.v1 import _v2_names, rnn_cell
from tork.compat.v1._rnn import bidirectional_dynamic_rnn, dynamic_rnn, static_rnn
from tork.ops._ctc_decode import ctc_beam_search_decoder_v1 as ctc_beam_search_decoder
from tork.ops.nn import _ctc_loss_v1 as ctc_loss
from tork.ops.nn import ctc_greedy_decoder
from tork.ops.nn import dropout as _nn_dropout
from tork.ops.nn import moments as _nn_moments

__getattr__ = _v2_names.fallback_getattr(
    globals(), "tork.ops.nn", _module_getattr("tf.compat.v1.nn")
)


__all__ = [
    "bidirectional_dynamic_rnn",
    "ctc_beam_search_decoder",
    "ctc_greedy_decoder",
    "ctc_loss",
    "dropout",
    "dynamic_rnn",
    "moments",
    "rnn_cell",
    "static_rnn",
]


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """TF 1's `tf.nn.dropout`: keeps each value with probability `keep_prob`.

    Args:
        x: a floating tensor.
        keep_prob: the probability to keep a value (TF 1); give it or `rate`.
        noise_shape: the shape of the keep/drop mask, broadcast to `x`.
        seed: optional seed.
        name: unused.
        rate: the probability to drop a value (`1 - keep_prob`), TF 2's argument.

    Returns:
        `x` with dropped values zeroed and kept ones scaled by `1 / keep_prob`.

    Example:
    >>> tf.compat.v1.nn.dropout(tf.ones((2, 2)), keep_prob=1.0).numpy().tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    if (keep_prob is None) == (rate is None):
        raise ValueError(
            "tf.compat.v1.nn.dropout: give exactly one of keep_prob (TF 1: the probability "
            "to keep a value) or rate (the probability to drop it)."
        )
    if rate is None:
        rate = 1.0 - keep_prob
    return _nn_dropout(x, rate, noise_shape=noise_shape, seed=seed, name=name)


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
