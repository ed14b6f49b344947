"""More `keras.ops.nn` ops: convolutions, pooling, attention, normalisation (private module).

Exported through `keras.ops` and `keras.ops.nn` by `tork/keras/ops/__init__.py`.
Layouts follow Keras 3: inputs are channels-last unless `data_format="channels_first"`,
kernels are shaped as the Keras layers' kernels (`(*kernel_size, in_channels, filters)`
for `conv`, `(*kernel_size, filters, in_channels)` for `conv_transpose`), and "same"
padding puts the odd extra pixel at the end, as TensorFlow does.
"""

from __future__ import annotations

import builtins
import math

import numpy as np
import torch
import torch.nn.functional as F

from tork._backend.dtypes import floatx_dtype
from tork._backend.errors import module_getattr
from tork.keras.ops._utils import _axes, _data_format, _float, _operands, _t
from tork.ops import _conv_layout


def _tuple(value, n: int, what: str) -> tuple[int, ...]:
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(
            f"`{what}` must be an int or a tuple of {n} ints for {n}-D inputs. "
            f"Received: {what}={value}"
        )
    return value


def _to_first(x: torch.Tensor, data_format) -> tuple[torch.Tensor, bool]:
    """`(batch, channels, *spatial)` and whether the input was channels-last."""
    last = _data_format(data_format) == "channels_last"
    if last:
        x = torch.movedim(x, -1, 1)
    return x, last


def _from_first(y: torch.Tensor, last: bool) -> torch.Tensor:
    return torch.movedim(y, 1, -1) if last else y


def _same_pads(sizes, kernel, strides, dilation) -> list[tuple[int, int]]:
    """TF "same" padding per spatial dim: the output is ceil(size / stride)."""
    pads = []
    for n, k, s, d in zip(sizes, kernel, strides, dilation, strict=True):
        out = -(-n // s)
        total = builtins.max((out - 1) * s + (k - 1) * d + 1 - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _flat_pads(pads) -> list[int]:
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]
    return flat


def _check_padding(padding: str) -> str:
    p = str(padding).lower()
    if p not in ("valid", "same"):
        raise ValueError(f"`padding` must be 'valid' or 'same'. Received: padding={padding}")
    return p


# Safe from a oneDNN bug on one-channel inputs (see tork/ops/_conv_layout.py).
_CONV = _conv_layout.CONV_FNS
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _spatial_rank(x: torch.Tensor, name: str) -> int:
    n = x.dim() - 2
    if n not in (1, 2, 3):
        raise ValueError(
            f"keras.ops.{name} needs inputs of rank 3, 4 or 5 (batch, *spatial, channels); "
            f"got shape {tuple(x.shape)}."
        )
    return n


def _conv_first(x, w, strides, padding, dilation, groups):
    """Convolution of channels-first `x` with a torch-layout kernel `(out, in/groups, *k)`."""
    n = x.dim() - 2
    if padding == "same":
        pads = _same_pads(x.shape[2:], w.shape[2:], strides, dilation)
        x = F.pad(x, _flat_pads(pads))
    return _CONV[n](x, w, stride=strides, dilation=dilation, groups=groups)


def conv(inputs, kernel, strides=1, padding: str = "valid", data_format=None, dilation_rate=1):
    """N-D convolution (1-D, 2-D or 3-D), as the Keras `ConvND` layers compute it.

    Args:
        inputs: `(batch, *spatial, channels)` (or channels-first) tensor.
        kernel: `(*kernel_size, in_channels // groups, filters)` kernel; fewer kernel
            input channels than input channels makes a grouped convolution.
        strides: Int or tuple, the step of the window.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).
        dilation_rate: Int or tuple, the spacing of the kernel taps.

    Returns:
        The convolved tensor, `(batch, *out_spatial, filters)` for channels-last input.

    Example:
    >>> keras.ops.conv(np.ones((1, 5, 5, 2)), np.ones((3, 3, 2, 4))).shape  # (1, 3, 3, 4)
    """
    x, w = _operands(inputs, kernel)
    x, w = _float(x), _float(w)
    n = _spatial_rank(x, "conv")
    if w.dim() != n + 2:
        raise ValueError(
            f"keras.ops.conv: the kernel must have rank {n + 2} for inputs of rank {n + 2}; "
            f"got kernel shape {tuple(w.shape)}."
        )
    x, last = _to_first(x, data_format)
    channels, k_in = x.shape[1], w.shape[-2]
    if k_in == 0 or channels % k_in:
        raise ValueError(
            f"keras.ops.conv: the input has {channels} channels, which is not a multiple of "
            f"the kernel's {k_in} input channels (kernel shape {tuple(w.shape)})."
        )
    groups = channels // k_in
    wt = w.permute(n + 1, n, *builtins.range(n))  # (filters, in/groups, *k)
    y = _conv_first(
        x,
        wt,
        _tuple(strides, n, "strides"),
        _check_padding(padding),
        _tuple(dilation_rate, n, "dilation_rate"),
        groups,
    )
    return _from_first(y, last)


def depthwise_conv(
    inputs, kernel, strides=1, padding: str = "valid", data_format=None, dilation_rate=1
):
    """Depthwise convolution: each input channel convolved with its own filters.

    Args:
        inputs: `(batch, *spatial, channels)` (or channels-first) tensor.
        kernel: `(*kernel_size, channels, depth_multiplier)` kernel.
        strides: Int or tuple, the step of the window.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).
        dilation_rate: Int or tuple, the spacing of the kernel taps.

    Returns:
        `(batch, *out_spatial, channels * depth_multiplier)` for channels-last input.

    Example:
    >>> keras.ops.depthwise_conv(np.ones((1, 5, 5, 2)), np.ones((3, 3, 2, 2))).shape
    (1, 3, 3, 4)
    """
    x, w = _operands(inputs, kernel)
    x, w = _float(x), _float(w)
    n = _spatial_rank(x, "depthwise_conv")
    x, last = _to_first(x, data_format)
    c, mult = w.shape[-2], w.shape[-1]
    if c != x.shape[1]:
        raise ValueError(
            f"keras.ops.depthwise_conv: the kernel's input channels ({c}) must equal the "
            f"input's channels ({x.shape[1]})."
        )
    # (*k, c, m) -> (c * m, 1, *k): output channel c * m + j uses filter j of channel c.
    wt = w.reshape(*w.shape[:n], c * mult, 1).permute(n, n + 1, *builtins.range(n))
    y = _conv_first(
        x,
        wt,
        _tuple(strides, n, "strides"),
        _check_padding(padding),
        _tuple(dilation_rate, n, "dilation_rate"),
        c,
    )
    return _from_first(y, last)


def separable_conv(
    inputs,
    depthwise_kernel,
    pointwise_kernel,
    strides=1,
    padding: str = "valid",
    data_format=None,
    dilation_rate=1,
):
    """Depthwise convolution followed by a pointwise (1x1) convolution.

    Args:
        inputs: `(batch, *spatial, channels)` (or channels-first) tensor.
        depthwise_kernel: `(*kernel_size, channels, depth_multiplier)` kernel.
        pointwise_kernel: `(*ones, channels * depth_multiplier, filters)` kernel.
        strides: Int or tuple, the step of the depthwise window.
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).
        dilation_rate: Int or tuple, the spacing of the depthwise kernel taps.

    Returns:
        `(batch, *out_spatial, filters)` for channels-last input.

    Example:
    >>> keras.ops.separable_conv(
    ...     np.ones((1, 5, 5, 2)), np.ones((3, 3, 2, 2)), np.ones((1, 1, 4, 3))).shape
    (1, 3, 3, 3)
    """
    y = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(y, pointwise_kernel, 1, "valid", data_format, 1)


def conv_transpose(
    inputs,
    kernel,
    strides=1,
    padding: str = "valid",
    output_padding=None,
    data_format=None,
    dilation_rate=1,
):
    """Transposed convolution (the gradient of `conv`), as the Keras `ConvNDTranspose` layers.

    Args:
        inputs: `(batch, *spatial, channels)` (or channels-first) tensor.
        kernel: `(*kernel_size, filters, in_channels)` kernel.
        strides: Int or tuple, the upsampling step.
        padding: `"valid"` or `"same"`.
        output_padding: Int or tuple: extra rows/columns added to the output (each
            smaller than the stride); None lets the output size follow from the padding.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).
        dilation_rate: Int or tuple, the spacing of the kernel taps.

    Returns:
        `(batch, *out_spatial, filters)` for channels-last input.

    Example:
    >>> keras.ops.conv_transpose(np.ones((1, 3, 3, 2)), np.ones((3, 3, 4, 2)), 2).shape
    (1, 7, 7, 4)
    """
    x, w = _operands(inputs, kernel)
    x, w = _float(x), _float(w)
    n = _spatial_rank(x, "conv_transpose")
    x, last = _to_first(x, data_format)
    if w.shape[-1] != x.shape[1]:
        raise ValueError(
            f"keras.ops.conv_transpose: the kernel's last dimension ({w.shape[-1]}) must equal "
            f"the input's channels ({x.shape[1]}); the kernel is (*kernel_size, filters, "
            "in_channels)."
        )
    strides = _tuple(strides, n, "strides")
    dilation = _tuple(dilation_rate, n, "dilation_rate")
    padding = _check_padding(padding)
    out_pad = None if output_padding is None else _tuple(output_padding, n, "output_padding")
    wt = w.permute(n + 1, n, *builtins.range(n))  # (in, filters, *k)
    full = _CONV_T[n](x, wt, stride=strides, dilation=dilation)
    index = []
    for i in builtins.range(n):
        length, s, d = x.shape[2 + i], strides[i], dilation[i]
        k_eff = (w.shape[i] - 1) * d + 1
        if out_pad is None:
            target = length * s + (builtins.max(k_eff - s, 0) if padding == "valid" else 0)
        else:
            pad = 0 if padding == "valid" else k_eff // 2
            target = (length - 1) * s + k_eff - 2 * pad + out_pad[i]
        # The forward conv from `target` back to `length` pads this much before.
        before = builtins.max((length - 1) * s + k_eff - target, 0) // 2 if padding == "same" else 0
        index.append((before, target))
    y = full
    for i, (before, target) in enumerate(index):
        dim = 2 + i
        have = y.shape[dim] - before
        if have < target:
            pads = [0, 0] * (y.dim() - dim - 1) + [0, target - have]
            y = F.pad(y, pads)
        y = y.narrow(dim, before, target)
    return _from_first(y, last)


# ------------------------------------------------------------------ pooling


def _pool(name, inputs, pool_size, strides, padding, data_format, is_max):
    x = _float(_t(inputs))
    n = _spatial_rank(x, name)
    pool = _tuple(pool_size, n, "pool_size")
    strides = pool if strides is None else _tuple(strides, n, "strides")
    padding = _check_padding(padding)
    x, last = _to_first(x, data_format)
    if padding == "same":
        pads = _same_pads(x.shape[2:], pool, strides, (1,) * n)
        flat = _flat_pads(pads)
    else:
        flat = [0] * (2 * n)
    if is_max:
        xp = F.pad(x, flat, value=float("-inf")) if builtins.any(flat) else x
        fn = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[n]
        y = fn(xp, pool, strides)
    else:
        fn = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}[n]
        y = fn(F.pad(x, flat), pool, strides)
        if builtins.any(flat):
            # TF averages over the real pixels only: divide by the share of them.
            ones = torch.ones((1, 1, *x.shape[2:]), dtype=x.dtype, device=x.device)
            y = y / fn(F.pad(ones, flat), pool, strides)
    return _from_first(y, last)


def max_pool(inputs, pool_size, strides=None, padding: str = "valid", data_format=None):
    """Max pooling over 1-D, 2-D or 3-D windows.

    Args:
        inputs: `(batch, *spatial, channels)` (or channels-first) tensor.
        pool_size: Int or tuple, the window size.
        strides: Int or tuple (the pool size by default).
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The pooled tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.max_pool(np.ones((1, 4, 4, 1)), 2).shape  # (1, 2, 2, 1)
    """
    return _pool("max_pool", inputs, pool_size, strides, padding, data_format, True)


def average_pool(inputs, pool_size, strides=None, padding: str = "valid", data_format=None):
    """Average pooling over 1-D, 2-D or 3-D windows ("same" padding averages real pixels only).

    Args:
        inputs: `(batch, *spatial, channels)` (or channels-first) tensor.
        pool_size: Int or tuple, the window size.
        strides: Int or tuple (the pool size by default).
        padding: `"valid"` or `"same"`.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The pooled tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.average_pool(np.ones((1, 4, 4, 1)), 2).shape  # (1, 2, 2, 1)
    """
    return _pool("average_pool", inputs, pool_size, strides, padding, data_format, False)


def _adaptive(name, inputs, output_size, data_format, is_max):
    x = _float(_t(inputs))
    n = _spatial_rank(x, name)
    size = _tuple(output_size, n, "output_size")
    x, last = _to_first(x, data_format)
    prefix = "max" if is_max else "avg"
    fn = getattr(F, f"adaptive_{prefix}_pool{n}d")
    return _from_first(fn(x, size), last)


def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pooling to a fixed output size (windows `[floor(i*n/m), ceil((i+1)*n/m))`).

    Args:
        inputs: `(batch, *spatial, channels)` (or channels-first) tensor.
        output_size: Int or tuple, the spatial size of the output.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The pooled tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.adaptive_average_pool(np.ones((2, 64, 64, 3)), (32, 32)).shape
    (2, 32, 32, 3)
    """
    return _adaptive("adaptive_average_pool", inputs, output_size, data_format, False)


def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pooling to a fixed output size (windows `[floor(i*n/m), ceil((i+1)*n/m))`).

    Args:
        inputs: `(batch, *spatial, channels)` (or channels-first) tensor.
        output_size: Int or tuple, the spatial size of the output.
        data_format: `"channels_last"` or `"channels_first"` (the Keras config by default).

    Returns:
        The pooled tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.adaptive_max_pool(np.ones((2, 64, 64, 3)), 8).shape  # (2, 8, 8, 3)
    """
    return _adaptive("adaptive_max_pool", inputs, output_size, data_format, True)


# ------------------------------------------------------------------ rearrangements


def _nhwc4(x, data_format, name):
    x = _t(x)
    if x.dim() != 4:
        raise ValueError(f"keras.ops.{name} needs a 4-D input; got shape {tuple(x.shape)}.")
    first = _data_format(data_format) == "channels_first"
    return (x.permute(0, 2, 3, 1) if first else x), first


def depth_to_space(x, block_size: int, data_format: str = "channels_last") -> torch.Tensor:
    """Moves blocks of channels into `block_size x block_size` spatial blocks.

    Channel `(i * block_size + j) * C + c` goes to pixel offset `(i, j)`, channel `c`
    (TensorFlow's order, in both data formats).

    Args:
        x: 4-D tensor; its channels must be divisible by `block_size ** 2`.
        block_size: Size of the spatial blocks.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        `(N, H * b, W * b, C // b**2)` for channels-last input.

    Example:
    >>> keras.ops.depth_to_space(np.ones((1, 2, 2, 8)), 2).shape  # (1, 4, 4, 2)
    """
    y, first = _nhwc4(x, data_format, "depth_to_space")
    b = int(block_size)
    n, h, w, c = y.shape
    if c % (b * b):
        raise ValueError(
            f"keras.ops.depth_to_space: the depth ({c}) must be divisible by "
            f"block_size ** 2 ({b * b})."
        )
    y = y.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
    y = y.reshape(n, h * b, w * b, c // (b * b))
    return y.permute(0, 3, 1, 2) if first else y


def space_to_depth(x, block_size: int, data_format: str = "channels_last") -> torch.Tensor:
    """Moves `block_size x block_size` spatial blocks into channels (inverse of `depth_to_space`).

    Args:
        x: 4-D tensor; its height and width must be divisible by `block_size`.
        block_size: Size of the spatial blocks.
        data_format: `"channels_last"` or `"channels_first"`.

    Returns:
        `(N, H // b, W // b, C * b**2)` for channels-last input.

    Example:
    >>> keras.ops.space_to_depth(np.ones((1, 4, 4, 2)), 2).shape  # (1, 2, 2, 8)
    """
    y, first = _nhwc4(x, data_format, "space_to_depth")
    b = int(block_size)
    n, h, w, c = y.shape
    if h % b or w % b:
        raise ValueError(
            f"keras.ops.space_to_depth: height ({h}) and width ({w}) must be divisible by "
            f"block_size ({b})."
        )
    y = y.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
    y = y.reshape(n, h // b, w // b, b * b * c)
    return y.permute(0, 3, 1, 2) if first else y


def unfold(x, kernel_size, dilation=1, padding=0, stride=1) -> torch.Tensor:
    """Sliding blocks of a channels-first image, flattened (im2col).

    Args:
        x: `(N, C, H, W)` tensor (channels first).
        kernel_size: Int or `(kH, kW)`.
        dilation: Int or tuple, the spacing of the taps.
        padding: Int or tuple, zero padding on both sides.
        stride: Int or tuple, the step of the window.

    Returns:
        `(N, C * kH * kW, L)`, L the number of blocks.

    Example:
    >>> keras.ops.unfold(np.ones((1, 2, 4, 4)), kernel_size=2, stride=2).shape  # (1, 8, 4)
    """
    x = _t(x)
    if x.dim() != 4:
        raise ValueError(f"keras.ops.unfold needs a 4-D input; got shape {tuple(x.shape)}.")
    return F.unfold(
        x if x.is_floating_point() else x.to(floatx_dtype()),
        kernel_size,
        dilation=dilation,
        padding=padding,
        stride=stride,
    ).to(x.dtype)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1) -> torch.Tensor:
    """Sums flattened sliding blocks back into a channels-first image (col2im).

    Args:
        x: `(N, C * kH * kW, L)` tensor.
        output_size: Int or `(oH, oW)`.
        kernel_size: Int or `(kH, kW)`.
        dilation: Int or tuple, the spacing of the taps.
        padding: Int or tuple, the padding `unfold` applied.
        stride: Int or tuple, the step of the window.

    Returns:
        `(N, C, oH, oW)`.

    Example:
    >>> keras.ops.fold(np.ones((1, 8, 4)), (4, 4), kernel_size=2, stride=2).shape  # (1, 2, 4, 4)
    """
    x = _t(x)
    if x.dim() != 3:
        raise ValueError(f"keras.ops.fold needs a 3-D input; got shape {tuple(x.shape)}.")
    return F.fold(
        x if x.is_floating_point() else x.to(floatx_dtype()),
        output_size,
        kernel_size,
        dilation=dilation,
        padding=padding,
        stride=stride,
    ).to(x.dtype)


# ------------------------------------------------------------------ attention, normalisation


def dot_product_attention(
    query,
    key,
    value,
    bias=None,
    mask=None,
    scale=None,
    is_causal: bool = False,
    flash_attention=None,
    attn_logits_soft_cap=None,
):
    """Scaled dot-product attention, `softmax(Q K^T * scale + bias) V`.

    Args:
        query: `(B, T, N, H)` queries.
        key: `(B, S, K, H)` keys; `N` must be a multiple of `K` (grouped-query attention).
        value: `(B, S, K, H)` values.
        bias: Optional additive bias broadcastable to `(B, N, T, S)`.
        mask: Optional bool mask broadcastable to `(B, N, T, S)`; True takes part.
        scale: Logit scale (`1 / sqrt(H)` by default).
        is_causal: Mask out keys after each query position.
        flash_attention: Accepted for compatibility (no effect).
        attn_logits_soft_cap: Optional cap `c`: logits become `c * tanh(logits / c)`.

    Returns:
        `(B, T, N, H)` outputs.

    Example:
    >>> q = np.ones((2, 4, 8, 16))
    >>> keras.ops.dot_product_attention(q, np.ones((2, 6, 8, 16)), np.ones((2, 6, 8, 16))).shape
    (2, 4, 8, 16)
    """
    del flash_attention
    q, k, v = (_float(_t(a)) for a in (query, key, value))
    if not (q.dim() == k.dim() == v.dim() == 4):
        raise ValueError(
            "`dot_product_attention` only supports 4D inputs. Received: "
            f"query.shape={tuple(q.shape)}, key.shape={tuple(k.shape)}, "
            f"value.shape={tuple(v.shape)}."
        )
    heads, kv_heads = q.shape[2], k.shape[2]
    if kv_heads == 0 or heads % kv_heads:
        raise ValueError(
            f"dot_product_attention: the query's {heads} heads must be a multiple of the "
            f"key's {kv_heads} heads."
        )
    if heads != kv_heads:
        k = k.repeat_interleave(heads // kv_heads, dim=2)
        v = v.repeat_interleave(heads // kv_heads, dim=2)
    s = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    logits = torch.einsum("btnh,bsnh->bnts", q, k) * s
    if bias is not None:
        logits = logits + _t(bias).to(device=logits.device, dtype=logits.dtype)
    if attn_logits_soft_cap is not None:
        cap = float(attn_logits_soft_cap)
        logits = cap * torch.tanh(logits / cap)
    keep = None
    if mask is not None:
        keep = _t(mask).to(device=logits.device, dtype=torch.bool)
    if is_causal:
        t, length = logits.shape[-2], logits.shape[-1]
        causal = torch.ones((t, length), dtype=torch.bool, device=logits.device).tril()
        keep = causal if keep is None else keep & causal
    if keep is not None:
        logits = logits.masked_fill(~keep, torch.finfo(logits.dtype).min)
    probs = torch.softmax(logits.float(), dim=-1).to(logits.dtype)
    return torch.einsum("bnts,bsnh->btnh", probs, v)


def _epsilon(epsilon) -> float:
    if epsilon is not None:
        return float(epsilon)
    from tork.keras import backend

    return float(backend.epsilon())


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """Normalises `x` to zero mean and unit variance over `axis`, then scales and shifts.

    Args:
        x: Input tensor.
        gamma: Optional scale, broadcast against the normalised axes.
        beta: Optional offset.
        axis: Int or tuple, the axes to normalise over.
        epsilon: Added to the variance (`keras.backend.epsilon()` by default).
        **kwargs: Accepted for compatibility (`rms_scaling`).

    Returns:
        The normalised tensor, in the input dtype (integers truncated).

    Example:
    >>> keras.ops.layer_normalization(np.arange(5, dtype="float32"))  # [-1.41, -0.71, 0, 0.71, 1.41]
    """
    t = _t(x)
    xf = _float(t)
    dims = _axes(axis, xf.dim())
    if kwargs.get("rms_scaling"):
        out = xf * torch.rsqrt(torch.mean(xf * xf, dim=dims, keepdim=True) + _epsilon(epsilon))
    else:
        mean = torch.mean(xf, dim=dims, keepdim=True)
        var = torch.mean((xf - mean) ** 2, dim=dims, keepdim=True)
        out = (xf - mean) * torch.rsqrt(var + _epsilon(epsilon))
    out = _affine(out, gamma, beta, dims)
    return out if t.is_floating_point() else out.to(t.dtype)


def _affine(out, gamma, beta, dims):
    # A 1-D gamma/beta for one axis lines up with that axis, as the layers' weights do.
    def shaped(p):
        p = _t(p).to(device=out.device, dtype=out.dtype)
        if p.dim() == 1 and len(dims) == 1 and dims[0] != out.dim() - 1:
            shape = [1] * out.dim()
            shape[dims[0]] = -1
            p = p.reshape(shape)
        return p

    if gamma is not None:
        out = out * shaped(gamma)
    if beta is not None:
        out = out + shaped(beta)
    return out


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """`x / sqrt(mean(x**2) + epsilon) * scale` over `axis`.

    Args:
        x: Input tensor.
        scale: Optional scale, broadcast against the normalised axes.
        axis: Int or tuple, the axes to normalise over.
        epsilon: Added to the mean square (`keras.backend.epsilon()` by default).

    Returns:
        The normalised tensor, in the input dtype (integers truncated).

    Example:
    >>> keras.ops.rms_normalization(np.array([[3.0, 4.0]]))  # [[0.8485, 1.1314]]
    """
    t = _t(x)
    xf = _float(t)
    dims = _axes(axis, xf.dim())
    out = xf * torch.rsqrt(torch.mean(xf * xf, dim=dims, keepdim=True) + _epsilon(epsilon))
    out = _affine(out, scale, None, dims)
    return out if t.is_floating_point() else out.to(t.dtype)


def polar(abs_, angle) -> torch.Tensor:
    """The complex number `abs_ * (cos(angle) + i sin(angle))`.

    Args:
        abs_: Magnitudes.
        angle: Angles in radians.

    Returns:
        A complex tensor (complex64 for float32 inputs).

    Example:
    >>> keras.ops.polar(np.array([2.0]), np.array([0.0]))  # [2+0j]
    """
    a, b = _operands(abs_, angle)
    a, b = _float(a), _float(b)
    return torch.polar(a, b)


def psnr(x1, x2, max_val) -> torch.Tensor:
    """Peak signal-to-noise ratio, `20 log10(max_val) - 10 log10(mean((x1 - x2)**2))`.

    Args:
        x1: First signal.
        x2: Second signal, of the same shape.
        max_val: The largest possible value of the signals.

    Returns:
        A scalar tensor (over all elements).

    Example:
    >>> keras.ops.psnr(np.zeros(4), np.full(4, 0.1), 1.0)  # 20.
    """
    a, b = _operands(x1, x2)
    if tuple(a.shape) != tuple(b.shape):
        raise ValueError(
            f"Input shapes {tuple(a.shape)} and {tuple(b.shape)} must match for PSNR calculation."
        )
    a, b = _float(a), _float(b)
    mse = torch.mean((a - b) ** 2)
    peak = torch.as_tensor(max_val, dtype=a.dtype)
    return 20.0 * torch.log10(peak) - 10.0 * torch.log10(mse)


def sparse_sigmoid(x) -> torch.Tensor:
    """Piecewise-linear sigmoid: 0 below -1, `(x + 1) / 2` in between, 1 above 1.

    Args:
        x: Input tensor.

    Returns:
        Output tensor (floatx for integer inputs).

    Example:
    >>> keras.ops.sparse_sigmoid(np.array([-2.0, 0.0, 0.5, 2.0]))  # [0., 0.5, 0.75, 1.]
    """
    x = _float(_t(x))
    return torch.clamp((x + 1) / 2, 0, 1)


__getattr__ = module_getattr("keras.ops.nn")

__all__ = [
    "adaptive_average_pool",
    "adaptive_max_pool",
    "average_pool",
    "conv",
    "conv_transpose",
    "depth_to_space",
    "depthwise_conv",
    "dot_product_attention",
    "fold",
    "layer_normalization",
    "max_pool",
    "polar",
    "psnr",
    "rms_normalization",
    "separable_conv",
    "space_to_depth",
    "sparse_sigmoid",
    "unfold",
]
