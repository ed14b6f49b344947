"""`keras.layers.RandomWidth`: random width changes during training."""

from __future__ import annotations

from tork.keras.layers.preprocessing._random_resize import BaseRandomResize


class RandomWidth(BaseRandomResize):
    """Randomly resizes the width of a batch of images during training.

    Each call draws `u` uniformly from `[lower, upper]` and resizes the batch
    to width `int(width * (1 + u))` (the height is kept), so the output width
    varies from call to call. At inference the images are returned unchanged
    (as floats).

    Args:
        factor: a number `f` (width changes by `[-f, +f]` of itself) or a pair
            `(lower, upper)`, e.g. `(-0.2, 0.3)` for -20% to +30%; values above
            -1.
        interpolation: `'bilinear'` (default), `'nearest'`, `'bicubic'`, `'area'`,
            `'lanczos3'`, `'lanczos5'`, `'gaussian'` or `'mitchellcubic'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomWidth((-0.5, -0.5))
    >>> layer(tf.ones((2, 8, 8, 3)), training=True).shape
    torch.Size([2, 8, 4, 3])
    """

    _axis = 2
