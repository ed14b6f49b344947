"""`keras.layers.LocallyConnected1D/2D` (Keras 2): convolutions whose weights are not shared.

Each output position has its own filter over its input window. Keras 2 stores the weights in
one of three layouts (`implementation=1, 2, 3`); tork keeps the same layouts (and weight
shapes), so weights load from and save to Keras 2 files unchanged:

1. `kernel` of shape `(output_positions, window_size * input_channels, filters)`: one
   matrix per output position, applied to that position's window (flattened in the
   data format's order). Only `padding="valid"`.
2. a dense `kernel` of shape `input_shape + output_shape` (spatial axes and channels in the
   data format's order) masked by `kernel_mask`, the connectivity of inputs and outputs.
3. `kernel` holding only the connected entries of that matrix, in the order of
   `kernel_idxs`, the sorted `(output_index, input_index)` pairs of flat indices.

Keras 2 adds the bias, of shape `output_spatial + (filters,)`, to a channels-first output
reshaped (not transposed) to `(filters,) + output_spatial`; tork does the same.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import torch

from tork.keras import activations, constraints, initializers, regularizers
from tork.keras.layers._call_context import where
from tork.keras.layers.convolutional import _conv_utils as cu
from tork.keras.layers.layer import Layer


class _LocallyConnected(Layer):
    """Base of LocallyConnected1D/2D: `rank` spatial axes."""

    rank = 0

    def __init__(
        self,
        filters: int,
        kernel_size,
        strides=1,
        padding: str = "valid",
        data_format: str | None = None,
        activation=None,
        use_bias: bool = True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        implementation: int = 1,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        owner = type(self).__name__
        if isinstance(filters, bool) or not hasattr(filters, "__index__") or int(filters) <= 0:
            raise ValueError(f"{owner}(filters=...) must be a positive integer, got {filters!r}.")
        self.filters = int(filters)
        self.kernel_size = cu.normalize_tuple(kernel_size, self.rank, "kernel_size", owner)
        self.strides = cu.normalize_tuple(strides, self.rank, "strides", owner)
        self.padding = cu.normalize_padding(padding, owner, ("valid", "same"))
        if implementation not in (1, 2, 3):
            raise ValueError(
                f"{owner}(implementation=...) must be 1, 2 or 3, got {implementation!r}."
            )
        if self.padding != "valid" and implementation == 1:
            raise ValueError(
                f"{owner}: padding={padding!r} needs implementation=2 or 3 (implementation=1, "
                'the default, supports only padding="valid").'
            )
        self.implementation = implementation
        self.data_format = cu.standardize_data_format(data_format, owner)
        self._channels_last = self.data_format == "channels_last"
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    # -- shapes ----------------------------------------------------------------------------
    def _split(self, shape) -> tuple:
        """(spatial sizes, channels) of an input shape in the layer's data format."""
        shape = tuple(shape)
        if len(shape) != self.rank + 2:
            raise cu.rank_error(self, shape, self.rank, self._channels_last)
        if self._channels_last:
            return shape[1:-1], shape[-1]
        return shape[2:], shape[1]

    def _output_spatial(self, spatial) -> tuple:
        return tuple(
            cu.conv_output_length(n, k, self.padding, s)
            for n, k, s in zip(spatial, self.kernel_size, self.strides)
        )

    def compute_output_shape(self, input_shape):
        spatial, _ = self._split(input_shape)
        out = self._output_spatial(spatial)
        if self._channels_last:
            return (tuple(input_shape)[0], *out, self.filters)
        return (tuple(input_shape)[0], self.filters, *out)

    def _windows(self, spatial, out) -> list:
        """Per axis, each output position's input range (Keras's placement of the window).

        'valid' starts window `o` at `o * stride`; 'same' centres it there, clipped to the
        input.
        """
        ranges = []
        for n, o_size, k, s in zip(spatial, out, self.kernel_size, self.strides):
            left = k // 2
            axis = []
            for o in range(o_size):
                start = o * s if self.padding == "valid" else o * s - left
                axis.append(range(max(0, start), min(n, start + k)))
            ranges.append(axis)
        return ranges

    def build(self, input_shape) -> None:
        spatial, channels = self._split(input_shape)
        if channels is None or any(n is None for n in spatial):
            raise ValueError(
                f"{where(self)}: the spatial sizes and the channels of the input must be known "
                f"(each position has its own weights), but the input shape is "
                f"{cu.plain_shape(input_shape)}. Give the Input a full shape."
            )
        out = self._output_spatial(spatial)
        if any(o <= 0 for o in out):
            raise ValueError(
                f"{where(self)}: One of the dimensions in the output is <= 0 due to "
                f"downsampling (input shape {cu.plain_shape(input_shape)}, kernel_size "
                f"{self.kernel_size}, strides {self.strides}). Use a smaller kernel_size or "
                "larger inputs."
            )
        self._spatial, self._channels, self._out = tuple(spatial), int(channels), out
        windows = self._windows(spatial, out)
        if self.implementation == 1:
            shape = (math.prod(out), math.prod(self.kernel_size) * channels, self.filters)
        elif self.implementation == 2:
            if self._channels_last:
                shape = (*spatial, channels, *out, self.filters)
            else:
                shape = (channels, *spatial, self.filters, *out)
            self.kernel_mask = self._connectivity_mask(spatial, out, windows)
        else:
            out_idx, in_idx = self._kernel_pairs(spatial, out, channels, windows)
            self.kernel_idxs = list(zip(out_idx.tolist(), in_idx.tolist()))
            self.kernel_shape = (
                math.prod(out) * self.filters,
                math.prod(spatial) * channels,
            )
            self._out_index = torch.as_tensor(out_idx, dtype=torch.long)
            self._in_index = torch.as_tensor(in_idx, dtype=torch.long)
            shape = (len(self.kernel_idxs),)
        if self.implementation in (1, 2):
            self.kernel_shape = shape
        self.kernel = self.add_weight(
            name="kernel",
            shape=shape,
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(*out, self.filters),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.built = True

    def _connectivity_mask(self, spatial, out, windows) -> torch.Tensor:
        """Implementation 2's mask: True where an input position feeds an output position."""
        mask = np.zeros((*spatial, *out), dtype=bool)
        for position in itertools.product(*(range(o) for o in out)):
            window = tuple(slice(axis[p].start, axis[p].stop) for axis, p in zip(windows, position))
            mask[window + position] = True
        # Broadcast over the channels: (*in, 1, *out, 1) or (1, *in, 1, *out).
        if self._channels_last:
            mask = mask.reshape((*spatial, 1, *out, 1))
        else:
            mask = mask.reshape((1, *spatial, 1, *out))
        return torch.as_tensor(mask)

    def _kernel_pairs(self, spatial, out, channels, windows) -> tuple:
        """Implementation 3's sorted (output index, input index) pairs of flat indices."""
        pairs_out, pairs_in = [], []
        f_out = np.arange(self.filters)
        f_in = np.arange(channels)
        out_dims = (*out, self.filters) if self._channels_last else (self.filters, *out)
        in_dims = (*spatial, channels) if self._channels_last else (channels, *spatial)
        for position in itertools.product(*(range(o) for o in out)):
            for source in itertools.product(*(axis[p] for axis, p in zip(windows, position))):
                fi, fo = np.meshgrid(f_in, f_out, indexing="ij")
                fi, fo = fi.ravel(), fo.ravel()
                if self._channels_last:
                    o_index = (*(np.full_like(fo, p) for p in position), fo)
                    i_index = (*(np.full_like(fi, q) for q in source), fi)
                else:
                    o_index = (fo, *(np.full_like(fo, p) for p in position))
                    i_index = (fi, *(np.full_like(fi, q) for q in source))
                pairs_out.append(np.ravel_multi_index(o_index, out_dims))
                pairs_in.append(np.ravel_multi_index(i_index, in_dims))
        out_idx = np.concatenate(pairs_out)
        in_idx = np.concatenate(pairs_in)
        order = np.lexsort((in_idx, out_idx))
        return out_idx[order], in_idx[order]

    # -- call ------------------------------------------------------------------------------
    def call(self, inputs):
        spatial, channels = self._split(inputs.shape)
        if tuple(spatial) != self._spatial or channels != self._channels:
            expected = (
                (*self._spatial, self._channels)
                if self._channels_last
                else (self._channels, *self._spatial)
            )
            raise ValueError(
                f"{where(self)}: the layer was built for inputs of shape (batch, "
                f"{', '.join(str(d) for d in expected)}), but got input of shape "
                f"{cu.plain_shape(inputs.shape)}. Each position has its own weights, so the "
                "input size cannot change."
            )
        if not inputs.is_floating_point():
            inputs = inputs.to(self._tork_compute_dtype)
        kernel = self.kernel.to(inputs.dtype)
        if self.implementation == 1:
            outputs = self._call_windows(inputs, kernel)
        elif self.implementation == 2:
            outputs = self._call_dense(inputs, kernel)
        else:
            outputs = self._call_sparse(inputs, kernel)
        if self.bias is not None:
            bias = self.bias.to(outputs.dtype)
            if not self._channels_last:
                bias = bias.reshape(self.filters, *self._out)  # Keras 2's reshape
            outputs = outputs + bias
        return self.activation(outputs)

    def _call_windows(self, inputs, kernel):
        batch = inputs.shape[0]
        x = inputs
        axes = range(1, self.rank + 1) if self._channels_last else range(2, self.rank + 2)
        for axis, k, s in zip(axes, self.kernel_size, self.strides):
            x = x.unfold(axis, k, s)  # appends the window axis
        # x: (batch, *out, C, *k) or (batch, C, *out, *k); each window flattened in
        # Keras's order: (*k, C) channels last, (C, *k) channels first.
        rank = self.rank
        if self._channels_last:
            perm = (0, *range(1, rank + 1), *range(rank + 2, 2 * rank + 2), rank + 1)
        else:
            perm = (0, *range(2, rank + 2), 1, *range(rank + 2, 2 * rank + 2))
        patches = x.permute(perm).reshape(batch, kernel.shape[0], kernel.shape[1])
        outputs = torch.einsum("bpk,pkf->bpf", patches, kernel)
        if self._channels_last:
            return outputs.reshape(batch, *self._out, self.filters)
        return outputs.permute(0, 2, 1).reshape(batch, self.filters, *self._out)

    def _call_dense(self, inputs, kernel):
        weights = kernel * self.kernel_mask.to(device=kernel.device, dtype=kernel.dtype)
        dims = self.rank + 1
        return torch.tensordot(inputs, weights, dims=(list(range(1, dims + 1)), list(range(dims))))

    def _call_sparse(self, inputs, kernel):
        batch = inputs.shape[0]
        flat = inputs.reshape(batch, self.kernel_shape[1])  # (not -1: a batch may be empty)
        in_index = self._in_index.to(flat.device)
        out_index = self._out_index.to(flat.device)
        contributions = flat[:, in_index] * kernel
        outputs = flat.new_zeros((batch, self.kernel_shape[0]))
        outputs = outputs.index_add(1, out_index, contributions)
        if self._channels_last:
            return outputs.reshape(batch, *self._out, self.filters)
        return outputs.reshape(batch, self.filters, *self._out)

    def get_config(self) -> dict:
        config = super().get_config()

        def ser(module, value):
            return None if value is None else module.serialize(value)

        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "data_format": self.data_format,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": initializers.serialize(self.kernel_initializer),
                "bias_initializer": initializers.serialize(self.bias_initializer),
                "kernel_regularizer": ser(regularizers, self.kernel_regularizer),
                "bias_regularizer": ser(regularizers, self.bias_regularizer),
                "activity_regularizer": ser(regularizers, self.activity_regularizer),
                "kernel_constraint": ser(constraints, self.kernel_constraint),
                "bias_constraint": ser(constraints, self.bias_constraint),
                "implementation": self.implementation,
            }
        )
        return config


class LocallyConnected1D(_LocallyConnected):
    """Locally-connected layer for 1D inputs (Keras 2): a Conv1D without weight sharing.

    Input `(batch, steps, channels)` (or `(batch, channels, steps)` with
    `data_format="channels_first"`); output `(batch, new_steps, filters)`.

    Args:
        filters: number of output channels.
        kernel_size: the window length (int or tuple of 1 int).
        strides: the window stride.
        padding: "valid", or "same" with `implementation=2` or `3`.
        data_format: "channels_last" (default) or "channels_first".
        activation: activation name or function; None means linear.
        use_bias: whether to add a bias (one per output position and filter).
        kernel_initializer, bias_initializer: initializers of the weights.
        kernel_regularizer, bias_regularizer, activity_regularizer: optional regularizers.
        kernel_constraint, bias_constraint: optional constraints.
        implementation: 1 (default: per-position matrices), 2 (a dense masked kernel) or
            3 (only the connected entries); the layouts of Keras 2's weights.

    Example:
    >>> layer = keras.layers.LocallyConnected1D(4, 3)
    >>> layer(tf.ones((2, 10, 8))).shape
    torch.Size([2, 8, 4])
    >>> tuple(layer.kernel.shape)
    (8, 24, 4)
    """

    rank = 1


class LocallyConnected2D(_LocallyConnected):
    """Locally-connected layer for 2D inputs (Keras 2): a Conv2D without weight sharing.

    Input `(batch, rows, cols, channels)` (or channels first); output
    `(batch, new_rows, new_cols, filters)`. Arguments as `LocallyConnected1D`, with
    `kernel_size` and `strides` ints or tuples of 2 ints.

    Example:
    >>> layer = keras.layers.LocallyConnected2D(2, (3, 3))
    >>> layer(tf.ones((1, 5, 5, 3))).shape
    torch.Size([1, 3, 3, 2])
    >>> tuple(layer.kernel.shape)
    (9, 27, 2)
    """

    rank = 2
