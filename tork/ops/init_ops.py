"""TensorFlow 2's own random initializers: `tf.random_normal_initializer` and
`tf.random_uniform_initializer`.

They differ from Keras's classes in one way that user code relies on: without a seed,
every call draws new values (from the global generator, so `tf.random.set_seed` makes a
run repeatable), where a Keras initializer instance returns the same values at each call.
Scripts that create one `init = tf.random_normal_initializer()` and call it for every
weight would otherwise get identical weights. With a seed, every call gives the same
values, as in TensorFlow.
"""

from __future__ import annotations

import torch

from tork.keras import initializers as _keras


class _FreshUnseeded:
    def _generator(self, offset: tuple[int, ...] | None = None) -> torch.Generator:
        if self.seed is not None:
            return super()._generator(offset)
        generator = torch.Generator()
        generator.manual_seed(_keras._draw_seed())
        return generator


class RandomNormal(_FreshUnseeded, _keras.RandomNormal):
    """Draws from a normal distribution: TensorFlow's `tf.random_normal_initializer`.

    Args:
        mean: the mean.
        stddev: the standard deviation.
        seed: None (new values at every call), or an int (the same values at every call).

    Example:
    >>> init = tf.random_normal_initializer(stddev=0.02)
    >>> a, b = init((2, 2)), init((2, 2))
    >>> bool((a == b).all())
    False
    """

    _tork_serialize_as = _keras.RandomNormal


class RandomUniform(_FreshUnseeded, _keras.RandomUniform):
    """Draws from a uniform distribution: TensorFlow's `tf.random_uniform_initializer`.

    Args:
        minval: the lower bound.
        maxval: the upper bound (excluded).
        seed: None (new values at every call), or an int (the same values at every call).

    Example:
    >>> init = tf.random_uniform_initializer(-1.0, 1.0)
    >>> init((3,)).shape
    torch.Size([3])
    """

    _tork_serialize_as = _keras.RandomUniform


# TensorFlow's public names; the classes keep Keras's names (TF's own classes are named
# so too), so that a layer config names them as Keras loads them back.
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform

__all__ = ["random_normal_initializer", "random_uniform_initializer"]
