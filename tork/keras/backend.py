"""`keras.backend`: global Keras settings (floatx, image data format, sessions)."""

from __future__ import annotations

import numpy as np
import torch

from tork import _symbolic
from tork._backend import dtypes as _dtypes
from tork._backend.errors import module_getattr as _module_getattr
from tork._naming import reset_names
from tork.keras._dtype_utils import (  # noqa: F401 - Keras 3's backend names
    is_float_dtype,
    is_int_dtype,
    result_type,
    standardize_dtype,
)

_IMAGE_DATA_FORMAT = "channels_last"
_EPSILON = 1e-7


def floatx() -> str:
    """Returns the default float type, e.g. `'float32'`."""
    return _dtypes.floatx()


def set_floatx(value: str) -> None:
    """Sets the default float type (`'float16'`, `'bfloat16'`, `'float32'`, `'float64'`)."""
    _dtypes.set_floatx(value)


def epsilon() -> float:
    """Returns the fuzz factor used in numeric expressions (default 1e-7)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """Returns the default image layout: `'channels_last'` (Keras's default) or `'channels_first'`."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Sets the default image layout.

    Args:
        data_format: `'channels_last'` or `'channels_first'`.
    """
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"Unknown data_format {data_format!r}; expected 'channels_last' or 'channels_first'."
        )
    _IMAGE_DATA_FORMAT = data_format


def image_dim_ordering() -> str:
    """Keras 1's name for the image layout: `'tf'` (channels last) or `'th'` (channels first).

    Standalone Keras 2.0-2.2 kept it as a legacy getter of `image_data_format()`; 2017 model
    code writes `channel_axis = 1 if K.image_dim_ordering() == "th" else -1`.
    """
    return "th" if _IMAGE_DATA_FORMAT == "channels_first" else "tf"


def set_image_dim_ordering(dim_ordering: str) -> None:
    """Keras 1's setter: `'tf'` sets `channels_last`, `'th'` sets `channels_first`."""
    if dim_ordering not in ("tf", "th"):
        raise ValueError(
            f"set_image_dim_ordering: unknown dim_ordering {dim_ordering!r}; expected 'tf' "
            "(channels last) or 'th' (channels first). Prefer "
            "set_image_data_format('channels_last' or 'channels_first')."
        )
    set_image_data_format("channels_first" if dim_ordering == "th" else "channels_last")


def normalize_data_format(value: str | None) -> str:
    """A layer's `data_format` argument, checked: None gives `image_data_format()`.

    Standalone Keras 2.2's `K.normalize_data_format`, used by custom layers'
    `__init__` (`self.data_format = K.normalize_data_format(data_format)`).
    """
    if value is None:
        return _IMAGE_DATA_FORMAT
    data_format = str(value).lower()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            f"normalize_data_format: data_format must be 'channels_first' or 'channels_last'; "
            f"received {value!r}."
        )
    return data_format


def clear_session() -> None:
    """Resets Keras's global state: layer name counters start again at `dense`, `dense_1`...

    The global learning phase (`set_learning_phase`) is unset too, as in Keras 2.
    """
    from tork.keras.layers._call_context import CONTEXT

    reset_names()
    CONTEXT.learning_phase = None


def get_session(op_input_list=()):
    """Raises: tork has no TensorFlow 1 sessions (`tf.compat.v1.keras.backend.get_session`).

    Operations run eagerly, so `K.get_session().run(x)` is `x.numpy()` (or `K.eval(x)`),
    and `K.get_session().run(tf.compat.v1.global_variables_initializer())` has nothing to
    run: variables are initialized when they are made.

    Raises:
        NotImplementedError: always, saying what to write instead.
    """
    raise NotImplementedError(
        "tork does not implement `tf.compat.v1.keras.backend.get_session()`: there are no "
        "TensorFlow 1 sessions; operations run eagerly on PyTorch. Replace "
        "`K.get_session().run(x)` with `x.numpy()` (or `K.eval(x)`), and delete "
        "`K.get_session().run(tf.compat.v1.global_variables_initializer())`: variables are "
        "initialized when they are made."
    )


def set_session(session: object) -> None:
    """Accepts a TensorFlow 1 session for Keras (`tf.compat.v1.keras.backend.set_session`).

    GPU recipes call it with `tf.compat.v1.Session(config=config)` to turn on memory
    growth. tork has no sessions (operations run eagerly on PyTorch, whose allocator
    grows on demand), so the session is accepted and changes nothing, as in eager
    TensorFlow 2. `get_session()` still raises, since nothing can be run in it.

    Args:
        session: a `tf.compat.v1.Session` (any object is accepted).
    """
    del session  # nothing to configure: there is no graph to run the session on


def backend() -> str:
    """Returns `'tensorflow'`, as `tf.keras.backend.backend()` always does.

    Keras 2 code branches on it (`if K.backend() == 'tensorflow': ...` in keras-contrib,
    2017 model zoos) and then calls TensorFlow functions, which tork provides; any other
    answer sends it to Theano/CNTK branches or to its own "unsupported backend" error.
    The engine underneath is PyTorch: `keras.config.backend()` says `'torch'`.

    Returns:
        `'tensorflow'`.

    Example:
    >>> tf.keras.backend.backend(), tf.keras.config.backend()
    ('tensorflow', 'torch')
    """
    return "tensorflow"


def is_keras_tensor(value) -> bool:
    """True for symbolic tensors of the functional API."""
    from tork.keras.models.functional.keras_tensor import KerasTensor

    return isinstance(value, KerasTensor)


def int_shape(x) -> tuple:
    """Returns the shape of a tensor as a tuple of ints (None where unknown)."""
    return tuple(x.shape)


def get_value(x):
    """Returns the value of a tensor or variable as a NumPy array.

    Other tensors (a string tensor: a scalar gives `bytes`) give their `.numpy()`, as
    TensorFlow's eager tensors do; anything else is returned as it is.

    Example:
    >>> keras.backend.get_value(tf.constant("id"))
    b'id'
    """
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    if callable(getattr(x, "numpy", None)):
        return x.numpy()
    return x


def set_value(x, value) -> None:
    """Keras 2 backend: sets a variable from a NumPy array or tensor, cast to its dtype.

    Unlike `Variable.assign`, a value of another dtype (a float64 array or tensor into a
    float32 variable) is cast, as Keras 2 converts it with NumPy first.

    Args:
        x: the variable.
        value: a NumPy array, tensor or Python number of `x`'s shape.

    Example:
    >>> v = keras.backend.variable(1.0)
    >>> keras.backend.set_value(v, np.float64(2.0))
    """
    if isinstance(value, torch.Tensor):
        value = value.detach().to(x.dtype)
    else:
        value = np.asarray(value, dtype=np.dtype(_dtypes.dtype_name(x.dtype)))
    x.assign(value)


def _reduction(name: str, doc: str, bool_to_float: bool = False):
    def reduce(x, axis=None, keepdims: bool = False):
        from tork.ops import math as _math

        if bool_to_float:
            # Keras 2 averages bools as floatx: `K.mean(K.equal(a, b))` is an accuracy.
            if isinstance(x, torch.Tensor) and x.dtype == torch.bool:
                x = x.to(_dtypes.floatx_dtype())
        return getattr(_math, name)(x, axis=axis, keepdims=keepdims)

    reduce.__name__ = name.replace("reduce_", "")
    reduce.__doc__ = (
        f"Keras 2 backend: the {doc} of `x` over `axis` (all axes when None).\n\n"
        "Args:\n    x: a tensor.\n    axis: an axis or list of axes, or None.\n"
        "    keepdims: keep the reduced axes with size 1.\n\n"
        f"Returns:\n    The {doc}, as `tf.math.{name}` computes it.\n\n"
        f"Example:\n>>> float(keras.backend.{reduce.__name__}(tf.constant([1.0, 3.0])))  "
        "# doctest: +SKIP\n"
    )
    return reduce


# Keras 2's backend reductions (`K.mean(x)`, `K.std(x)`), as in older tutorials.
mean = _reduction("reduce_mean", "mean", bool_to_float=True)
sum = _reduction("reduce_sum", "sum")  # noqa: A001 - Keras's name
max = _reduction("reduce_max", "maximum")  # noqa: A001 - Keras's name
min = _reduction("reduce_min", "minimum")  # noqa: A001 - Keras's name
std = _reduction("reduce_std", "standard deviation", bool_to_float=True)
var = _reduction("reduce_variance", "variance", bool_to_float=True)


def ctc_batch_cost(y_true, y_pred, input_length, label_length) -> torch.Tensor:
    """Keras 2 backend: the CTC loss of each batch element.

    As Keras 2 does, `y_pred` holds softmax probabilities, the blank is the LAST
    class, and the probabilities go through `log(y_pred + epsilon())` and a
    log-softmax before the CTC recursion.

    Args:
        y_true: `(samples, max_string_length)` integer (or float) labels.
        y_pred: `(samples, time_steps, num_categories)` softmax output.
        input_length: `(samples, 1)` numbers of valid time steps in `y_pred`.
        label_length: `(samples, 1)` lengths of the labels in `y_true`.

    Returns:
        A `(samples, 1)` tensor of CTC losses.

    Example:
    >>> y_pred = tf.fill([1, 4, 3], 1.0 / 3.0)  # blank is class 2
    >>> keras.backend.ctc_batch_cost([[0, 1]], y_pred, [[4]], [[2]])  # shape (1, 1)
    """
    from tork.ops.nn import _ctc_core

    y_pred = _as_probs(y_pred, "keras.backend.ctc_batch_cost")
    log_probs = torch.log_softmax(torch.log(y_pred + epsilon()), dim=-1)
    y_true = y_true if isinstance(y_true, torch.Tensor) else torch.as_tensor(y_true)
    loss = _ctc_core(
        log_probs,
        y_true,
        label_length,
        input_length,
        y_pred.shape[-1] - 1,
        "keras.backend.ctc_batch_cost",
        null_label_padding=True,  # Keras 2 runs TF's v1 CTC op: labels >= blank end a row
    )
    return loss[:, None]


def ctc_label_dense_to_sparse(labels, label_lengths):
    """Keras 2 backend: the first `label_lengths[i]` labels of each row, as a SparseTensor.

    The form `tf.nn.ctc_loss` and `ctc_decode`'s outputs use for label sequences.

    Args:
        labels: `(samples, max_label_length)` integer labels, padded on the right.
        label_lengths: `(samples,)` (or `(samples, 1)`) numbers of valid labels per row.

    Returns:
        A `tf.SparseTensor` of `labels`' dtype and dense shape, holding, row by row, the
        first `label_lengths[i]` entries of row `i` (padding left out).

    Raises:
        ValueError: a length outside `[0, max_label_length]`, or a number of lengths that
            is not the number of rows.

    Example:
    >>> sp = keras.backend.ctc_label_dense_to_sparse([[1, 2, 3, 0], [4, 5, 0, 0]], [3, 2])
    >>> sp.values.tolist()
    [1, 2, 3, 4, 5]
    """
    from tork._backend.sparse_tensor import SparseTensor
    from tork._backend.tensor import convert_to_tensor

    labels = convert_to_tensor(labels)
    lengths = convert_to_tensor(label_lengths).reshape(-1).to(torch.int64)
    if labels.dim() != 2:
        raise ValueError(
            "keras.backend.ctc_label_dense_to_sparse: expected labels of shape "
            f"(samples, max_label_length), got {tuple(labels.shape)}."
        )
    rows, width = labels.shape
    if lengths.numel() != rows:
        raise ValueError(
            f"keras.backend.ctc_label_dense_to_sparse: {lengths.numel()} label lengths for "
            f"{rows} rows of labels {tuple(labels.shape)}; give one length per row."
        )
    if lengths.numel() and (int(lengths.min()) < 0 or int(lengths.max()) > width):
        raise ValueError(
            "keras.backend.ctc_label_dense_to_sparse: label lengths must lie in "
            f"[0, {width}] (the labels' width), got {lengths.tolist()}."
        )
    keep = torch.arange(width, device=labels.device)[None, :] < lengths.to(labels.device)[:, None]
    indices = keep.nonzero()
    return SparseTensor(indices, labels[keep], [rows, width])


def _as_probs(y_pred, owner: str) -> torch.Tensor:
    from tork._backend.tensor import convert_to_tensor

    y_pred = convert_to_tensor(y_pred)
    if not y_pred.is_floating_point():
        y_pred = y_pred.to(_dtypes.floatx_dtype())
    if y_pred.dim() != 3:
        raise ValueError(
            f"{owner}: expected y_pred of shape (samples, time_steps, num_categories), got "
            f"{tuple(y_pred.shape)}."
        )
    return y_pred


def ctc_decode(
    y_pred, input_length, greedy: bool = True, beam_width: int = 100, top_paths: int = 1
):
    """Keras 2 backend: decodes `y_pred` (softmax output) by greedy or beam search.

    The blank is the LAST class. Both decoders read `log(y_pred + epsilon())`.
    Greedy decoding takes the most likely class at each valid step, merges repeats,
    then drops blanks. Beam search runs TF 1's `ctc_beam_search_decoder` with its
    `merge_repeated=True`: adjacent equal labels of a found path are merged, even
    when a blank separated them (`A * A` decodes to `A`), as in Keras 2.

    Args:
        y_pred: `(samples, time_steps, num_categories)` softmax output.
        input_length: `(samples,)` (or `(samples, 1)`) numbers of valid time steps.
        greedy: best-path decoding if True, else beam search.
        beam_width: beam search width (with `greedy=False`).
        top_paths: number of most probable paths returned (with `greedy=False`).

    Returns:
        A tuple `(decoded, log_prob)`: `decoded` is a list (one element when greedy,
        `top_paths` otherwise) of `(samples, time_steps)` int64 tensors padded with -1.
        Greedy decoding's `log_prob` is `(samples, 1)`, the negative sum over valid steps
        of the best `log(y_pred + epsilon())`, as TF's greedy decoder; beam search's is
        `(samples, top_paths)`, the log-probability of each path.

    Example:
    >>> probs = tf.constant([[[0.9, 0.1], [0.2, 0.8], [0.9, 0.1]]])  # blank is class 1
    >>> keras.backend.ctc_decode(probs, [3])[0][0]  # [[0, 0, -1]]
    >>> keras.backend.ctc_decode(probs, [3], greedy=False)[0][0]  # [[0, -1, -1]]
    """
    owner = "keras.backend.ctc_decode"
    y_pred = _as_probs(y_pred, owner)
    log_probs = torch.log(y_pred + epsilon())
    if greedy:
        from tork.keras.ops.nn import _ctc_greedy

        decoded, neg_sum = _ctc_greedy(log_probs, input_length, y_pred.shape[-1] - 1, True, owner)
        # Keras 2 densifies to (samples, time_steps), padded with -1, as `_ctc_greedy`
        # returns it (the OCR captcha example slices `[:, :max_length]`).
        return [decoded], neg_sum
    from tork.ops._ctc_decode import ctc_beam_search_decoder_v1

    lengths = torch.as_tensor(input_length).reshape(-1)
    paths, log_prob = ctc_beam_search_decoder_v1(
        log_probs.transpose(0, 1), lengths, beam_width=beam_width, top_paths=top_paths
    )
    samples, steps = y_pred.shape[0], y_pred.shape[1]
    decoded = []
    for sp in paths:
        # Each path as (samples, time_steps), -1 where nothing was decoded.
        dense = torch.full((samples, steps), -1, dtype=torch.int64, device=y_pred.device)
        index = sp.indices.to(y_pred.device)
        dense[index[:, 0], index[:, 1]] = sp.values.to(y_pred.device)
        decoded.append(dense)
    return decoded, log_prob


def _local_conv(inputs, kernel, kernel_size, strides, output_shape, data_format, owner):
    """Unshared-weights convolution over `len(kernel_size)` spatial axes.

    Each output position has its own `(patch_size, filters)` matrix in `kernel`
    (`(positions, patch_size, filters)`, positions in row-major order); a patch is
    the input window flattened in the input's own axis order (channels last or first).
    """
    from tork._backend.tensor import convert_to_tensor

    data_format = data_format or image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            f"{owner}: unknown data_format {data_format!r}; expected 'channels_last' or "
            "'channels_first'."
        )
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    ndims = len(kernel_size)
    output_shape = tuple(int(n) for n in output_shape)
    positions = int(np.prod(output_shape))
    if kernel.dim() != 3 or kernel.shape[0] != positions:
        raise ValueError(
            f"{owner}: kernel must have shape (positions, patch_size, filters) with "
            f"positions = {positions} (output shape {output_shape}), got "
            f"{tuple(kernel.shape)}."
        )
    if not inputs.is_floating_point():
        inputs = inputs.to(kernel.dtype)
    first = 2 if data_format == "channels_first" else 1  # first spatial axis
    for d in range(ndims):
        needed = (output_shape[d] - 1) * strides[d] + kernel_size[d]
        if needed > inputs.shape[first + d]:
            raise ValueError(
                f"{owner}: {output_shape[d]} windows of size {kernel_size[d]} with stride "
                f"{strides[d]} need {needed} input steps along spatial axis {d}, but the "
                f"input has {inputs.shape[first + d]} (input shape {tuple(inputs.shape)})."
            )
    patches = []
    for position in np.ndindex(*output_shape):
        window = inputs
        for d in range(ndims):
            start = position[d] * strides[d]
            window = window.narrow(first + d, start, kernel_size[d])
        # (batch, patch_size), flattened in the input's axis order as Keras 2 does
        patches.append(window.reshape(window.shape[0], -1))
    stacked = torch.stack(patches)  # (positions, batch, patch_size)
    if stacked.shape[-1] != kernel.shape[1]:
        raise ValueError(
            f"{owner}: a patch of kernel_size {tuple(kernel_size)} over the input holds "
            f"{stacked.shape[-1]} values, but kernel.shape[1] is {kernel.shape[1]}."
        )
    out = torch.bmm(stacked, kernel.to(stacked.dtype))  # (positions, batch, filters)
    out = out.reshape(*output_shape, out.shape[1], out.shape[2])
    if data_format == "channels_first":
        order = [ndims, ndims + 1, *range(ndims)]
    else:
        order = [ndims, *range(ndims), ndims + 1]
    return out.permute(*order)


def local_conv1d(inputs, kernel, kernel_size, strides, data_format=None) -> torch.Tensor:
    """Keras 2 backend: 1D convolution with weights not shared between positions.

    Args:
        inputs: `(batch, steps, input_dim)` (channels last) or `(batch, input_dim, steps)`.
        kernel: `(output_length, kernel_size[0] * input_dim, filters)`, one matrix per
            output step.
        kernel_size: a tuple of one integer, the window length.
        strides: a tuple of one integer, the step between windows.
        data_format: `'channels_last'` or `'channels_first'` (default
            `image_data_format()`).

    Returns:
        `(batch, output_length, filters)` (channels last) or
        `(batch, filters, output_length)`.

    Example:
    >>> x = tf.ones([2, 5, 3])
    >>> k = tf.ones([2, 6, 4])  # 2 windows of length 2, stride 2
    >>> keras.backend.local_conv1d(x, k, (2,), (2,)).shape  # (2, 2, 4)
    """
    return _local_conv(
        inputs,
        kernel,
        tuple(kernel_size),
        tuple(strides),
        (int(_shape_of(kernel)[0]),),
        data_format,
        "keras.backend.local_conv1d",
    )


def local_conv2d(
    inputs, kernel, kernel_size, strides, output_shape, data_format=None
) -> torch.Tensor:
    """Keras 2 backend: 2D convolution with weights not shared between positions.

    Args:
        inputs: `(batch, rows, cols, channels)` (channels last) or
            `(batch, channels, rows, cols)`.
        kernel: `(out_rows * out_cols, kernel_rows * kernel_cols * channels, filters)`,
            one matrix per output position (row-major).
        kernel_size: a tuple of 2 integers, the window size.
        strides: a tuple of 2 integers, the steps between windows.
        output_shape: a tuple `(out_rows, out_cols)`.
        data_format: `'channels_last'` or `'channels_first'` (default
            `image_data_format()`).

    Returns:
        `(batch, out_rows, out_cols, filters)` (channels last) or
        `(batch, filters, out_rows, out_cols)`.

    Example:
    >>> x = tf.ones([1, 4, 4, 2])
    >>> k = tf.ones([4, 8, 3])  # 2x2 windows with stride 2 -> 2x2 positions
    >>> keras.backend.local_conv2d(x, k, (2, 2), (2, 2), (2, 2)).shape  # (1, 2, 2, 3)
    """
    return _local_conv(
        inputs,
        kernel,
        tuple(kernel_size),
        tuple(strides),
        tuple(output_shape),
        data_format,
        "keras.backend.local_conv2d",
    )


def _shape_of(x) -> tuple:
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)


# Keras 2's backend math (`K.sigmoid`, `K.clip`, `K.batch_dot`...), for old tf.keras code.
from tork.keras._legacy_backend import (  # noqa: E402, F401, A004 - Keras's names
    abs,
    all,
    any,
    arange,
    argmax,
    argmin,
    batch_dot,
    batch_flatten,
    batch_get_value,
    batch_normalization,
    batch_set_value,
    bias_add,
    binary_crossentropy,
    binary_focal_crossentropy,
    cast,
    cast_to_floatx,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    clip,
    concatenate,
    constant,
    conv1d,
    conv2d,
    conv2d_transpose,
    conv3d,
    cos,
    count_params,
    cumprod,
    cumsum,
    depthwise_conv2d,
    dot,
    dropout,
    dtype,
    elu,
    equal,
    eval,
    exp,
    expand_dims,
    eye,
    flatten,
    foldl,
    foldr,
    function,
    gather,
    get_uid,
    greater,
    greater_equal,
    hard_sigmoid,
    identity,
    in_test_phase,
    in_top_k,
    in_train_phase,
    is_sparse,
    l2_normalize,
    learning_phase,
    learning_phase_scope,
    less,
    less_equal,
    log,
    logsumexp,
    map_fn,
    maximum,
    minimum,
    moving_average_update,
    name_scope,
    ndim,
    normalize_batch_in_training,
    not_equal,
    one_hot,
    ones,
    ones_like,
    permute_dimensions,
    placeholder,
    pool2d,
    pool3d,
    pow,
    print_tensor,
    prod,
    random_bernoulli,
    random_binomial,
    random_normal,
    random_normal_variable,
    random_uniform,
    random_uniform_variable,
    relu,
    repeat,
    repeat_elements,
    reset_uids,
    reshape,
    resize_images,
    resize_volumes,
    reverse,
    rnn,
    round,
    separable_conv2d,
    set_learning_phase,
    shape,
    sigmoid,
    sign,
    sin,
    slice,
    softmax,
    softplus,
    softsign,
    sparse_categorical_crossentropy,
    spatial_2d_padding,
    spatial_3d_padding,
    sqrt,
    square,
    squeeze,
    stack,
    stop_gradient,
    switch,
    tanh,
    temporal_padding,
    tile,
    to_dense,
    transpose,
    truncated_normal,
    update,
    update_add,
    update_sub,
    variable,
    zeros,
    zeros_like,
)
from tork.keras._random_generator import RandomGenerator  # noqa: E402, F401

# `K.gradients` in a Lambda (a gradient penalty, a PDE residual) or between layers: graph
# gradients, as tf_keras gives them while it builds a model (see tork/ops/gradients.py).
from tork.ops.gradients import gradients  # noqa: E402, F401 - Keras 2 name

# Keras 2 backend functions called on functional-API symbolic tensors (`K.sum(x)` between
# layers) become graph nodes, as Keras 2's TFOpLambda layers did.
_symbolic.install(globals(), "keras.backend")

__getattr__ = _module_getattr("tf.keras.backend")
