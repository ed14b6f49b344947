"""`keras.layers.RandomGaussianBlur`: random Gaussian blurring during training."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from tork.keras.layers.preprocessing.color_ops import _ValueRangeLayer, range_factor


class RandomGaussianBlur(_ValueRangeLayer):
    """Blurs some images with a Gaussian kernel during training.

    Each image is blurred with probability `p`, drawn per image from
    `factor`. The kernel is `kernel_size` pixels wide with standard
    deviation `sigma` (drawn per image from the `sigma` range), normalized
    to sum 1; pixels outside the image count as 0 (zero padding). A sigma of
    0 leaves the image unchanged. At inference the images are returned
    unchanged.

    Args:
        factor: the probability of blurring an image: a number `f` in [0, 1]
            (drawn from `[0, f]`) or a pair `(low, high)`; defaults to 1.
        kernel_size: an odd integer, or a pair `(height, width)` of odd
            integers; defaults to 3.
        sigma: a number `s` in [0, 1] (drawn from `[0, s]`) or a pair
            `(low, high)`; defaults to 1.
        value_range: `(low, high)`, the range of the input pixel values.
        data_format: `'channels_last'` (default) or `'channels_first'`.
        seed: optional random seed.

    Example:
    >>> layer = keras.layers.RandomGaussianBlur(factor=(1.0, 1.0), sigma=(0.5, 0.5))
    >>> layer(tf.ones((2, 8, 8, 3))).shape
    torch.Size([2, 8, 8, 3])
    """

    def __init__(
        self,
        factor=1.0,
        kernel_size=3,
        sigma=1.0,
        value_range=(0, 255),
        data_format=None,
        seed=None,
        **kwargs,
    ):
        super().__init__(value_range=value_range, seed=seed, data_format=data_format, **kwargs)
        self.factor = range_factor(factor)
        sizes = tuple(kernel_size) if isinstance(kernel_size, (tuple, list)) else (kernel_size,)
        if len(sizes) not in (1, 2) or any(
            not isinstance(k, int) or isinstance(k, bool) or k < 1 or k % 2 == 0 for k in sizes
        ):
            raise ValueError(
                f"kernel_size must be an odd number. Received: kernel_size={kernel_size}"
            )
        self.kernel_size = sizes * 2 if len(sizes) == 1 else sizes
        try:
            self.sigma = range_factor(sigma)
        except ValueError:
            # Keras 3 names the argument but prints it as `factor`.
            raise ValueError(
                "The `sigma` argument should be a number (or a list of two numbers) in the range "
                f"[0, 1]. Received: factor={sigma}"
            ) from None

    @staticmethod
    def _kernel_1d(size: int, sigma: torch.Tensor) -> torch.Tensor:
        """(N, size) normalized Gaussian weights; sigma 0 gives the identity kernel."""
        offsets = torch.arange(size, dtype=torch.float64) - (size - 1) / 2.0
        safe = torch.where(sigma > 0, sigma, torch.ones_like(sigma)).view(-1, 1)
        weights = torch.exp(-(offsets**2) / (2.0 * safe**2))
        identity = (offsets == 0).to(torch.float64).expand_as(weights)
        weights = torch.where((sigma > 0).view(-1, 1), weights, identity)
        return weights / weights.sum(dim=1, keepdim=True)

    def _augment(self, images: torch.Tensor) -> torch.Tensor:
        n, h, w, c = images.shape
        probability = self._random.uniform((n,), float(self.factor[0]), float(self.factor[1]))
        apply = self._random.uniform((n,), 0.0, 1.0) < probability
        sigma = self._random.uniform((n,), float(self.sigma[0]), float(self.sigma[1]))
        kh, kw = self.kernel_size
        ky = self._kernel_1d(kh, sigma).to(device=images.device, dtype=images.dtype)
        kx = self._kernel_1d(kw, sigma).to(device=images.device, dtype=images.dtype)
        # Separable blur, one kernel per image: fold the batch into the channels.
        x = images.permute(3, 0, 1, 2).reshape(1, c * n, h, w)
        ky = ky.repeat(c, 1).view(c * n, 1, kh, 1)
        kx = kx.repeat(c, 1).view(c * n, 1, 1, kw)
        x = F.conv2d(x, ky, padding=(kh // 2, 0), groups=c * n)
        x = F.conv2d(x, kx, padding=(0, kw // 2), groups=c * n)
        blurred = x.view(c, n, h, w).permute(1, 2, 3, 0)
        out = torch.where(apply.to(images.device).view(n, 1, 1, 1), blurred, images)
        return self._clip(out)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"factor": self.factor, "kernel_size": self.kernel_size, "sigma": self.sigma})
        return config
