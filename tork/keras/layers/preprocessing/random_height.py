"""`keras.layers.RandomHeight`: random height changes during training."""

from __future__ import annotations

from tork.keras.layers.preprocessing._random_resize import BaseRandomResize


class RandomHeight(BaseRandomResize):
    """Randomly resizes the height of a batch of images during training.

    Each call draws `u` uniformly from `[lower, upper]` and resizes the batch
    to height `int(height * (1 + u))` (the width is kept), so the output
    height varies from call to call. At inference the images are returned
    unchanged (as floats).

    Args:
        factor: a number `f` (height changes by `[-f, +f]` of itself) or a pair
            `(lower, upper)`, e.g. `(0.2, 0.3)` for +20% to +30%; values above
            -1.
        interpolation: `'bilinear'` (default), `'nearest'`, `'bicubic'`, `'area'`,
            `'lanczos3'`, `'lanczos5'`, `'gaussian'` or `'mitchellcubic'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomHeight((0.5, 0.5))
    >>> layer(tf.ones((2, 8, 8, 3)), training=True).shape
    torch.Size([2, 12, 8, 3])
    """

    _axis = 1
