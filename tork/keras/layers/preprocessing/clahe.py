"""`keras.layers.ContrastLimitedAdaptiveHistogramEqualization` (CLAHE)."""

from __future__ import annotations

import torch

from tork._backend.tensor import convert_to_tensor
from tork.keras.layers._call_context import where
from tork.keras.layers.preprocessing._image import as_float_images, to_nhwc
from tork.keras.layers.preprocessing.color_ops import _ValueRangeLayer, from_255, to_255

_BINS = 256


def _pad_symmetric(x: torch.Tensor, dim: int, amount: int) -> torch.Tensor:
    """Appends `amount` entries along `dim`, mirroring the end (edge included): abc -> abccb."""
    while amount > 0:
        step = min(amount, x.shape[dim])
        tail = x.narrow(dim, x.shape[dim] - step, step).flip(dim)
        x = torch.cat([x, tail], dim=dim)
        amount -= step
    return x


class ContrastLimitedAdaptiveHistogramEqualization(_ValueRangeLayer):
    """Equalizes the histograms of image tiles, limiting the contrast gain (CLAHE).

    In `[0, 255]` units, each image channel is cut into `tile_grid_size`
    tiles (the image is padded symmetrically, `abc|cba`, at the bottom and
    right when the tiles do not divide it). For each tile the histogram of `int(x)` is
    clipped at `clip_limit * tile_pixels / 256` per bin, the clipped excess
    is spread evenly over the 256 bins, and the tile's mapping is
    `255 (cdf - cdf[0]) / (tile_pixels - cdf[0])`. Each pixel's value is
    the bilinear interpolation of the mappings of the four nearest tiles
    (tile `i` centred at `(i + 0.5) * tile_size`, in pixel units `x / tile_size
    - 0.5`). Like Keras, the layer is applied at training and inference time
    and integer images keep their dtype (values truncated).

    Args:
        value_range: `(low, high)`, the range of the input pixel values.
        clip_limit: limits the contrast amplification; defaults to 4.
        tile_grid_size: `(rows, columns)` of tiles; defaults to `(8, 8)`.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(
    ...     tile_grid_size=(2, 2))
    >>> layer(tf.ones((1, 8, 8, 3)) * 100).shape
    torch.Size([1, 8, 8, 3])
    """

    def __init__(
        self,
        value_range=(0, 255),
        clip_limit=4.0,
        tile_grid_size=(8, 8),
        data_format=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, data_format=data_format, **kwargs)
        self.clip_limit = clip_limit
        grid = tuple(tile_grid_size) if isinstance(tile_grid_size, (tuple, list)) else None
        if (
            grid is None
            or len(grid) != 2
            or any(not isinstance(g, int) or isinstance(g, bool) or g < 1 for g in grid)
        ):
            raise ValueError(
                "`tile_grid_size` must be a tuple of two positive integers (rows, columns). "
                f"Received: tile_grid_size={tile_grid_size!r}"
            )
        self.tile_grid_size = grid

    def call(self, inputs, training=True):
        del training  # applied at inference too, like Keras
        source = inputs if isinstance(inputs, torch.Tensor) else convert_to_tensor(inputs)
        images = as_float_images(source, self._tork_compute_dtype)
        x, restore = to_nhwc(images, self.data_format, where(self))
        out = restore(self._equalize(x))
        if not source.is_floating_point():
            out = out.to(source.dtype)  # Keras keeps integer images' dtype (truncating)
        return out

    def _equalize(self, images: torch.Tensor) -> torch.Tensor:
        n, height, width, c = images.shape
        rows, cols = self.tile_grid_size
        x = to_255(images, self.value_range)
        tile_h, tile_w = -(-height // rows), -(-width // cols)
        pad_h, pad_w = tile_h * rows - height, tile_w * cols - width
        # Symmetric padding (`abc|cba`) at the bottom and right, as Keras 3 does.
        padded = _pad_symmetric(_pad_symmetric(x, 1, pad_h), 2, pad_w)
        bins = padded.floor().clamp(0, _BINS - 1).long()
        # (n, rows, cols, c, tile pixels) bin indices.
        tiles = bins.view(n, rows, tile_h, cols, tile_w, c).permute(0, 1, 3, 5, 2, 4)
        tiles = tiles.reshape(n, rows, cols, c, tile_h * tile_w)
        hist = torch.zeros(n, rows, cols, c, _BINS, dtype=torch.float64, device=x.device)
        hist.scatter_add_(-1, tiles, torch.ones_like(tiles, dtype=torch.float64))
        pixels = float(tile_h * tile_w)
        limit = float(self.clip_limit) * pixels / _BINS
        excess = (hist - limit).clamp_min(0).sum(dim=-1, keepdim=True)
        hist = hist.clamp_max(limit) + excess / _BINS
        cdf = hist.cumsum(dim=-1)
        first = cdf[..., :1]
        denominator = pixels - first
        denominator = torch.where(denominator == 0, torch.ones_like(denominator), denominator)
        luts = (cdf - first) / denominator * 255.0  # (n, rows, cols, c, 256)

        def grid(size: int, tile: int, count: int):
            pos = torch.arange(size, dtype=torch.float64, device=x.device) / tile - 0.5
            low = torch.floor(pos)
            weight = pos - low
            low = low.long()
            return low.clamp(0, count - 1), (low + 1).clamp(0, count - 1), weight

        y0, y1, wy = grid(height, tile_h, rows)
        x0, x1, wx = grid(width, tile_w, cols)
        value = bins[:, :height, :width, :]  # (n, H, W, c)
        flat = luts.permute(0, 3, 1, 2, 4).reshape(n, c, rows * cols * _BINS)
        v = value.permute(0, 3, 1, 2)  # (n, c, H, W)

        def lookup(ty, tx):
            index = (ty.view(1, 1, -1, 1) * cols + tx.view(1, 1, 1, -1)) * _BINS + v
            return torch.gather(flat, 2, index.reshape(n, c, -1)).view(n, c, height, width)

        wy = wy.view(1, 1, -1, 1)
        wx = wx.view(1, 1, 1, -1)
        top = lookup(y0, x0) * (1 - wx) + lookup(y0, x1) * wx
        bottom = lookup(y1, x0) * (1 - wx) + lookup(y1, x1) * wx
        out = (top * (1 - wy) + bottom * wy).permute(0, 2, 3, 1).to(images.dtype)
        return from_255(out, self.value_range)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed")
        config.update({"clip_limit": self.clip_limit, "tile_grid_size": self.tile_grid_size})
        return config
