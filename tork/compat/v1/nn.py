"""`tf.compat.v1.nn`: the TensorFlow 1 CTC functions (keras.io's OCR and ASR examples).

- `ctc_loss(labels, inputs, sequence_length, ...)`: TF 1's CTC loss with SparseTensor
  labels and the blank last.
- `ctc_beam_search_decoder(..., merge_repeated=True)`: TF 1's beam search, which merges
  adjacent equal labels of each found path.
- `ctc_greedy_decoder`: the same function as `tf.nn.ctc_greedy_decoder`.
- `moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None)`: TF 1's
  argument order (`name` before the keep-dims flag, which has both spellings).

- `dynamic_rnn`, `static_rnn`, `bidirectional_dynamic_rnn`, `static_bidirectional_rnn` and
  the `rnn_cell` module: TF 1's RNNs run eagerly over Keras or TF 1 cells (see
  tork.compat.v1.rnn_cell).

- `embedding_lookup(params, ids, partition_strategy="mod", name=None,
  validate_indices=True, max_norm=None)`: TF 1's argument order and partitioned params.
- `space_to_batch(input, paddings, block_size)`: TF 1's square-block form.
- TF 1's argument orders and names (tork/compat/v1/_nn_v1.py): `in_top_k(predictions,
  targets, k)`, `depthwise_conv2d(..., padding, rate)`, `convolution(input, filter,
  padding, ...)`, `pool(..., padding, dilation_rate, strides)`, `max_pool(value=...)`,
  `conv2d(..., use_cudnn_on_gpu, ...)`; TF 1-only ops `softmax_cross_entropy_with_logits_v2`,
  `xw_plus_b`, `relu_layer`, `fused_batch_norm`, `depthwise_conv2d_native`.

- `dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None)`: TF 1's
  signature, whose second argument is the probability to KEEP (TF 2's is the rate).

Every other name is `tf.nn`'s (TF 1's `filter=`, `dim=`, `keep_dims=` spellings renamed);
a name `tf.nn` lacks raises `NotImplementedError` naming `tf.compat.v1.nn.<name>`.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.compat.v1 import _v2_names, rnn_cell

# TF 1 signatures (in_top_k(predictions, targets, k), value=, rate=...).
from tork.compat.v1._nn_v1 import (
    avg_pool,
    avg_pool_v2,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d_transpose,
    convolution,
    depthwise_conv2d,
    depthwise_conv2d_native,
    dilation2d,
    embedding_lookup_sparse,
    fused_batch_norm,
    in_top_k,
    max_pool,
    max_pool_v2,
    max_pool_with_argmax,
    pool,
    relu_layer,
    safe_embedding_lookup_sparse,
    separable_conv2d,
    softmax_cross_entropy_with_logits,
    softmax_cross_entropy_with_logits_v2,
    weighted_cross_entropy_with_logits,
    weighted_moments,
    xw_plus_b,
)
from tork.compat.v1._rnn import (
    bidirectional_dynamic_rnn,
    dynamic_rnn,
    static_bidirectional_rnn,
    static_rnn,
)
from tork.ops._ctc_decode import ctc_beam_search_decoder_v1 as ctc_beam_search_decoder
from tork.ops._space_batch import space_to_batch_v1 as space_to_batch
from tork.ops.nn import _ctc_loss_v1 as ctc_loss
from tork.ops.nn import _embedding_lookup, ctc_greedy_decoder
from tork.ops.nn import dropout as _nn_dropout
from tork.ops.nn import moments as _nn_moments

__getattr__ = _v2_names.fallback_getattr(
    globals(), "tork.ops.nn", _module_getattr("tf.compat.v1.nn")
)


__all__ = [
    "avg_pool",
    "avg_pool_v2",
    "bidirectional_dynamic_rnn",
    "conv1d",
    "conv2d",
    "conv2d_transpose",
    "conv3d_transpose",
    "convolution",
    "ctc_beam_search_decoder",
    "ctc_greedy_decoder",
    "ctc_loss",
    "depthwise_conv2d",
    "depthwise_conv2d_native",
    "dilation2d",
    "dropout",
    "dynamic_rnn",
    "embedding_lookup",
    "embedding_lookup_sparse",
    "fused_batch_norm",
    "in_top_k",
    "max_pool",
    "max_pool_v2",
    "max_pool_with_argmax",
    "moments",
    "pool",
    "relu_layer",
    "rnn_cell",
    "safe_embedding_lookup_sparse",
    "separable_conv2d",
    "softmax_cross_entropy_with_logits",
    "softmax_cross_entropy_with_logits_v2",
    "space_to_batch",
    "static_bidirectional_rnn",
    "static_rnn",
    "weighted_cross_entropy_with_logits",
    "weighted_moments",
    "xw_plus_b",
]


def embedding_lookup(
    params, ids, partition_strategy="mod", name=None, validate_indices=True, max_norm=None
):
    """TF 1's `tf.nn.embedding_lookup`: rows of `params` (or of its shards) at `ids`.

    Args:
        params: an embedding table or a list of its shards.
        ids: integer ids.
        partition_strategy: how the shards split the rows: `"mod"` (row `i` is in shard
            `i % n`) or `"div"` (contiguous ranges).
        name: unused.
        validate_indices: unused (out-of-range ids always raise).
        max_norm: if given, rows with a larger L2 norm are scaled down to it.

    Returns:
        A tensor of shape `ids.shape + params.shape[1:]`.

    Example:
    >>> tf.compat.v1.nn.embedding_lookup([tf.eye(4)[:2], tf.eye(4)[2:]], [2], "div").tolist()
    [[0.0, 0.0, 1.0, 0.0]]
    """
    del name, validate_indices
    return _embedding_lookup(params, ids, partition_strategy, max_norm)


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
