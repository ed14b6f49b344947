"""`keras.layers.MixUp` and `keras.layers.CutMix`: augmentations that mix images of a batch.

Both take images, or a dict `{"images": ..., "labels": ...}` whose labels
(one-hot or soft) are mixed in the same proportions; a dict comes back as a
dict with the same keys. Each image is mixed with another image of the batch
chosen by a random permutation. At inference (`training=False`) the inputs
are returned unchanged.
"""

from __future__ import annotations

import torch

from tork.keras.layers._call_context import CONTEXT, where
from tork.keras.layers.preprocessing._image import as_float_images, to_nhwc
from tork.keras.layers.preprocessing._random_base import BaseRandomImageLayer
from tork.keras.layers.preprocessing.color_ops import KeepsIntegerImages, range_factor


def _gamma(random, n: int, shape: float) -> torch.Tensor:
    """Gamma(shape, 1) draws (Marsaglia and Tsang), reproducible with the layer's seed."""
    boost = shape < 1.0
    a = shape + 1.0 if boost else shape
    d = a - 1.0 / 3.0
    c = 1.0 / (9.0 * d) ** 0.5
    out = torch.empty(n, dtype=torch.float64)
    for i in range(n):
        while True:
            z = float(torch.randn((), generator=random.generator, dtype=torch.float64))
            v = (1.0 + c * z) ** 3
            if v <= 0:
                continue
            u = float(random.uniform((), 0.0, 1.0))
            if u < 1.0 - 0.0331 * z**4 or torch.log(torch.tensor(u)) < 0.5 * z * z + d * (
                1.0 - v + torch.log(torch.tensor(v))
            ):
                out[i] = d * v
                break
    if boost:
        out = out * random.uniform((n,), 0.0, 1.0) ** (1.0 / shape)
    return out


def _ratio(random, n: int, concentration: float) -> torch.Tensor:
    x = _gamma(random, n, concentration)
    y = _gamma(random, n, concentration)
    total = x + y
    # Both draws underflow to 0 for tiny concentrations: either image then, at random.
    fallback = (random.uniform((n,), 0.0, 1.0) < 0.5).to(torch.float64)
    return torch.where(total > 0, x / total.clamp_min(1e-300), fallback)


class _BaseMixing(BaseRandomImageLayer):
    def call(self, inputs, training=True):
        if isinstance(inputs, dict):
            images, labels = inputs["images"], inputs.get("labels")
        else:
            images, labels = inputs, None
        images = as_float_images(images, self._tork_compute_dtype)
        x, restore = to_nhwc(images, self.data_format, where(self))
        if labels is not None:
            labels = as_float_images(labels, self._tork_compute_dtype)
        if training and not CONTEXT.symbolic:
            x, labels = self._mix(x, labels)
        if not isinstance(inputs, dict):
            return restore(x)
        result = dict(inputs)
        result["images"] = restore(x)
        if labels is not None:
            result["labels"] = labels
        return result

    def _permutation(self, n: int) -> torch.Tensor:
        return torch.randperm(n, generator=self._random.generator)

    def _mix(self, images, labels):  # pragma: no cover - abstract
        raise NotImplementedError


class MixUp(KeepsIntegerImages, _BaseMixing):
    """Blends each image (and its label) with another image of the batch during training.

    For each image a weight `w ~ Beta(alpha, alpha)` is drawn and the image
    becomes `w * image + (1 - w) * other`, `other` being the image at the
    same position in a random permutation of the batch; labels are mixed
    with the same weights. At inference the inputs are returned unchanged.

    Args:
        alpha: the Beta distribution's concentration; small values mix less.
            Defaults to 0.2.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.MixUp(alpha=0.2, seed=0)
    >>> out = layer({"images": tf.ones((4, 8, 8, 3)), "labels": tf.eye(4)})
    >>> out["labels"].shape
    torch.Size([4, 4])
    """

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.alpha = alpha

    def _mix(self, images, labels):
        n = images.shape[0]
        weight = _ratio(self._random, n, float(self.alpha))
        permutation = self._permutation(n).to(images.device)
        w = weight.to(device=images.device, dtype=images.dtype)
        images = w.view(-1, 1, 1, 1) * images + (1 - w.view(-1, 1, 1, 1)) * images[permutation]
        if labels is not None:
            shape = (-1,) + (1,) * (labels.ndim - 1)
            lw = weight.to(device=labels.device, dtype=labels.dtype).view(shape)
            labels = lw * labels + (1 - lw) * labels[permutation.to(labels.device)]
        return images, labels

    def get_config(self) -> dict:
        config = super().get_config()
        config["alpha"] = self.alpha
        return config


class CutMix(_BaseMixing):
    """Pastes a random box of another image of the batch into each image during training.

    For each image a weight `w` is drawn from `Beta(f, f)` (`f` drawn from
    `factor`); a box covering about `1 - w` of the image, centred at a
    random point and clipped to the image, is replaced by the same box of
    the image at the same position in a random permutation of the batch.
    Labels are mixed by the area actually pasted. At inference the inputs
    are returned unchanged.

    Args:
        factor: a number `f` in [0, 1] (draws from `[0, f]`) or a pair
            `(low, high)`; defaults to 1.
        seed: optional random seed.
        data_format: `'channels_last'` (default) or `'channels_first'`.

    Example:
    >>> layer = keras.layers.CutMix(seed=0)
    >>> out = layer({"images": tf.ones((4, 8, 8, 3)), "labels": tf.eye(4)})
    >>> out["images"].shape
    torch.Size([4, 8, 8, 3])
    """

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor)

    def _mix(self, images, labels):
        n, h, w = images.shape[0], images.shape[1], images.shape[2]
        low, high = float(self.factor[0]), float(self.factor[1])
        concentration = float(self._random.uniform((), low, high))
        weight = (
            _ratio(self._random, n, concentration)
            if concentration > 0
            else torch.ones(n, dtype=torch.float64)
        )
        permutation = self._permutation(n).to(images.device)
        side = torch.sqrt(1.0 - weight)
        cut_h, cut_w = (side * h).round(), (side * w).round()
        cy = torch.floor(self._random.uniform((n,), 0.0, float(h)))
        cx = torch.floor(self._random.uniform((n,), 0.0, float(w)))
        top = (cy - torch.floor(cut_h / 2)).clamp(0, h)
        bottom = (cy + torch.ceil(cut_h / 2)).clamp(0, h)
        left = (cx - torch.floor(cut_w / 2)).clamp(0, w)
        right = (cx + torch.ceil(cut_w / 2)).clamp(0, w)
        rows = torch.arange(h, dtype=torch.float64).view(1, h, 1)
        cols = torch.arange(w, dtype=torch.float64).view(1, 1, w)
        inside = (
            (rows >= top.view(-1, 1, 1))
            & (rows < bottom.view(-1, 1, 1))
            & (cols >= left.view(-1, 1, 1))
            & (cols < right.view(-1, 1, 1))
        )
        mask = inside.unsqueeze(-1).to(images.device)
        images = torch.where(mask, images[permutation], images)
        if labels is not None:
            pasted = inside.to(torch.float64).mean(dim=(1, 2))
            shape = (-1,) + (1,) * (labels.ndim - 1)
            keep = (1.0 - pasted).to(device=labels.device, dtype=labels.dtype).view(shape)
            labels = keep * labels + (1 - keep) * labels[permutation.to(labels.device)]
        return images, labels

    def get_config(self) -> dict:
        config = super().get_config()
        config["factor"] = self.factor
        return config
