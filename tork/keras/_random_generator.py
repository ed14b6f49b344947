"""`keras.backend.RandomGenerator`: Keras 2's random-number helper for custom layers.

Layers copied from Keras 2.9-2.15 sources (dropout variants, noise layers) keep
`self._random_generator = backend.RandomGenerator(seed)` and draw through it. Here it
draws through `keras.random`: with a seed each draw uses the next seed of a sequence
(reproducible, different from call to call); without one, torch's global generator
(reproducible after `keras.utils.set_random_seed`). It holds no variable, so a layer's
weights do not list it, as in Keras 2. Values are torch's, not TensorFlow's.
"""

from __future__ import annotations

from tork._backend.dtypes import as_dtype, floatx_dtype
from tork.keras import random as _random


class RandomGenerator:
    """Random number generator for layers (Keras 2's `keras.backend.RandomGenerator`).

    Args:
        seed: an int for a reproducible sequence of draws, or None (global generator).
        rng_type: Keras 2's generator kind (`"stateful"`, `"stateless"`, `"legacy_stateful"`);
            accepted, all draw the same way here.
        **kwargs: Keras 2's `force_generator` and others, accepted and ignored.

    Example:
    >>> gen = keras.backend.RandomGenerator(seed=1337)
    >>> gen.random_normal((2, 3)).shape
    torch.Size([2, 3])
    """

    def __init__(self, seed: int | None = None, rng_type: str | None = None, **kwargs):
        del kwargs
        self._seed = None if seed is None else int(seed)
        self._rng_type = rng_type
        self._draws = 0

    def _next_seed(self) -> int | None:
        if self._seed is None:
            return None
        self._draws += 1
        # One seed per draw: a fresh generator with the same seed replays the sequence.
        return (self._seed * 1_000_003 + self._draws) % (2**31 - 1)

    def make_legacy_seed(self) -> int | None:
        """Returns the seed for the next draw (None without a seed), as Keras 2."""
        return self._next_seed()

    def random_normal(self, shape, mean=0.0, stddev=1.0, dtype=None, nonce=None):
        """Normal samples of `shape`; `nonce` is accepted (Keras 2) and ignored."""
        del nonce
        dtype = as_dtype(dtype) if dtype is not None else floatx_dtype()
        return _random.normal(shape, mean, stddev, dtype, seed=self._next_seed())

    def random_uniform(self, shape, minval=0.0, maxval=None, dtype=None, nonce=None):
        """Uniform samples in [minval, maxval); integers for an integer `dtype`."""
        del nonce
        dtype = as_dtype(dtype) if dtype is not None else floatx_dtype()
        if not dtype.is_floating_point:
            if maxval is None:
                raise ValueError(
                    "RandomGenerator.random_uniform: an integer dtype needs `maxval` (the "
                    f"draws are in [minval, maxval)). Received dtype={dtype}."
                )
            return _random.randint(shape, int(minval), int(maxval), dtype, self._next_seed())
        maxval = 1.0 if maxval is None else maxval
        return _random.uniform(shape, minval, maxval, dtype, seed=self._next_seed())

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=None, nonce=None):
        """Normal samples of `shape` within two standard deviations of the mean."""
        del nonce
        dtype = as_dtype(dtype) if dtype is not None else floatx_dtype()
        return _random.truncated_normal(shape, mean, stddev, dtype, seed=self._next_seed())

    def dropout(self, inputs, rate, noise_shape=None):
        """`inputs` with a fraction `rate` zeroed and the rest scaled by 1 / (1 - rate)."""
        return _random.dropout(inputs, rate, noise_shape, seed=self._next_seed())
