"""`keras.callbacks.TensorBoard`, written with `torch.utils.tensorboard`."""

from __future__ import annotations

import os
import time
import warnings
from typing import Any

import torch

from tork._backend.errors import not_implemented
from tork._backend.tensorboard import import_summary_writer
from tork.keras.backend import image_data_format
from tork.keras.callbacks._utils import get_learning_rate, pythonify_logs, to_float
from tork.keras.callbacks.callback import Callback


def _numeric(value: Any) -> float | None:
    try:
        return to_float(value)
    except (TypeError, ValueError, RuntimeError):
        return None


# Keras 1 arguments that Keras 2 still accepts (and ignores), with its warning for each.
_LEGACY_KWARGS = {
    "write_grads": "`write_grads` will be ignored in TensorFlow 2.0 for the `TensorBoard` "
    "Callback.",
    "batch_size": "`batch_size` is no longer needed in the `TensorBoard` Callback and will be "
    "ignored in TensorFlow 2.0.",
    "embeddings_layer_names": "`embeddings_layer_names` is not supported in TensorFlow 2.0. "
    "Instead, all `Embedding` layers will be visualized.",
    "embeddings_data": "`embeddings_data` is not supported in TensorFlow 2.0. Instead, all "
    "`Embedding` variables will be visualized.",
}


def _check_legacy_kwargs(kwargs: dict) -> None:
    # Old scripts (TensorBoard(write_grads=True, batch_size=32)) run unchanged, as in Keras 2.
    unknown = set(kwargs) - set(_LEGACY_KWARGS)
    if unknown:
        raise ValueError(
            f"Unrecognized arguments in `TensorBoard` Callback: {unknown}. Supported kwargs "
            f"are: {set(_LEGACY_KWARGS)}"
        )
    for name, message in _LEGACY_KWARGS.items():
        if kwargs.get(name):
            warnings.warn(message, stacklevel=3)


def _weight_as_image(weight: torch.Tensor) -> torch.Tensor | None:
    """A weight as an NHWC image batch, as Keras 2's TensorBoard shows it, or None."""
    image = weight.squeeze()
    if image.dim() == 1:  # a bias: one column
        image = image.reshape(1, -1, 1, 1)
    elif image.dim() == 2:  # a Dense kernel, made wider than tall
        if image.shape[0] > image.shape[1]:
            image = image.t()
        image = image.reshape(1, image.shape[0], image.shape[1], 1)
    elif image.dim() == 3:  # a squeezed conv kernel
        if image_data_format() == "channels_last":
            image = image.permute(2, 0, 1)  # one image per output map
        image = image.unsqueeze(-1)
    if image.dim() != 4 or image.shape[-1] not in (1, 3, 4):
        return None  # Keras 2 skips what cannot be shown (e.g. full rank-4 conv kernels)
    return image.contiguous()


class TensorBoard(Callback):
    """Enable visualizations for TensorBoard.

    Writes event files readable by `tensorboard --logdir=log_dir`:

    - `log_dir/train`: `epoch_<metric>` scalars (loss, metrics, `learning_rate`,
      and `steps_per_second` when `write_steps_per_second`) at each epoch, and
      `batch_<metric>` scalars every `update_freq` batches when it is an
      integer or `"batch"`; weight histograms every `histogram_freq` epochs.
    - `log_dir/validation`: the `val_` metrics under the same `epoch_<metric>`
      names, and `evaluation_<metric>_vs_iterations` after each evaluation.

    It needs the `tensorboard` package (`pip install tensorboard`); the events
    are written with `torch.utils.tensorboard.SummaryWriter`.

    Args:
        log_dir: the path of the directory where to save the log files.
        histogram_freq: frequency (in epochs) at which to compute weight
            histograms; 0 disables them.
        write_graph: accepted for compatibility; no graph is written (tork runs
            eagerly, there is no static graph).
        write_images: whether to write the weights as images, with the weight
            histograms (every `histogram_freq` epochs), as Keras 2 does: biases as
            one-column images, Dense kernels as one image (transposed when taller than
            wide), squeezed rank-3 kernels as one image per output map; other
            weights are skipped. At most 3 images of a weight are written, as one grid.
        write_steps_per_second: whether to log the training steps per second.
        update_freq: `"epoch"`, `"batch"` or an integer: with an integer N, the
            batch-level scalars are written every N batches.
        profile_batch: profiling is not supported (must be 0).
        embeddings_freq: embedding visualisation is not supported (must be 0).
        embeddings_metadata: not supported (must be None).
        **kwargs: the Keras 1 arguments `write_grads`, `batch_size`,
            `embeddings_layer_names` and `embeddings_data`, accepted and ignored with
            a warning, as in Keras 2; any other keyword raises a ValueError.

    Example:

    ```python
    tensorboard_callback = tf.keras.callbacks.TensorBoard(log_dir="./logs")
    model.fit(x_train, y_train, epochs=2, callbacks=[tensorboard_callback])
    # Then run: tensorboard --logdir=./logs
    ```
    """

    _supports_tf_logs = True

    def __init__(
        self,
        log_dir: str | os.PathLike = "logs",
        histogram_freq: int = 0,
        write_graph: bool = True,
        write_images: bool = False,
        write_steps_per_second: bool = False,
        update_freq: str | int = "epoch",
        profile_batch: int | str | tuple = 0,
        embeddings_freq: int = 0,
        embeddings_metadata: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__()
        _check_legacy_kwargs(kwargs)
        self._summary_writer_cls = import_summary_writer("tf.keras.callbacks.TensorBoard")
        if profile_batch not in (0, None, "", (0, 0), [0, 0]):
            raise not_implemented(
                "tf.keras.callbacks.TensorBoard(profile_batch=...) (use torch.profiler)"
            )
        if embeddings_freq or embeddings_metadata is not None:
            raise not_implemented("tf.keras.callbacks.TensorBoard(embeddings_freq=...)")
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (
            isinstance(update_freq, bool) or not isinstance(update_freq, int) or update_freq <= 0
        ):
            raise ValueError(
                f"TensorBoard: invalid update_freq={update_freq!r}. Expected 'epoch', 'batch' "
                "or a positive integer (a number of batches)."
            )
        if not isinstance(histogram_freq, int) or histogram_freq < 0:
            raise ValueError(
                f"TensorBoard: histogram_freq must be a non-negative integer; received "
                f"{histogram_freq!r}."
            )
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = update_freq
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers: dict[str, Any] = {}
        self._global_train_batch = 0
        self._epoch_start_time = 0.0
        self._epoch_batches = 0

    # -- writers -----------------------------------------------------------

    def _writer(self, which: str) -> Any:
        writer = self._writers.get(which)
        if writer is None:
            path = self._train_dir if which == "train" else self._val_dir
            writer = self._summary_writer_cls(log_dir=path)
            self._writers[which] = writer
        return writer

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _scalars(self, which: str, prefix: str, logs: dict, step: int) -> None:
        writer = None
        for name, value in logs.items():
            number = _numeric(value)
            if number is None:
                continue
            if writer is None:
                writer = self._writer(which)
            writer.add_scalar(prefix + name, number, step)

    # -- hooks -------------------------------------------------------------

    def _implements_train_batch_hooks(self) -> bool:
        return self.update_freq != "epoch" or self.write_steps_per_second

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._global_train_batch = 0

    def on_train_end(self, logs: dict | None = None) -> None:
        self._close_writers()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch_start_time = time.perf_counter()
        self._epoch_batches = 0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._global_train_batch += 1
        self._epoch_batches += 1
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        self._scalars("train", "batch_", pythonify_logs(logs), self._global_train_batch)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        if "learning_rate" not in train:
            try:
                train["learning_rate"] = get_learning_rate(self.model, "TensorBoard")
            except (ValueError, TypeError, AttributeError):
                pass
        if self.write_steps_per_second:
            elapsed = time.perf_counter() - self._epoch_start_time
            train["steps_per_second"] = self._epoch_batches / elapsed if elapsed > 0 else 0.0
        self._scalars("train", "epoch_", train, epoch)
        self._scalars("validation", "epoch_", val, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_test_end(self, logs: dict | None = None) -> None:
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        if iterations is None:
            return
        step = int(to_float(iterations))
        self._scalars(
            "validation",
            "",
            {f"evaluation_{k}_vs_iterations": v for k, v in pythonify_logs(logs).items()},
            step,
        )
        if "validation" in self._writers:
            self._writers["validation"].flush()

    def _named_weights(self) -> list[tuple[str, torch.Tensor]]:
        model = self.model
        weights = getattr(model, "weights", None)
        named = []
        if weights:
            for i, w in enumerate(weights):
                name = getattr(w, "path", None) or getattr(w, "name", None) or f"weight_{i}"
                named.append((str(name).replace(":", "_"), w))
        elif hasattr(model, "named_parameters"):
            # A plain torch.nn.Module.
            named = [(n.replace(".", "/"), p) for n, p in model.named_parameters()]
        return named

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for name, weight in self._named_weights():
            value = weight.detach() if isinstance(weight, torch.Tensor) else torch.as_tensor(weight)
            if value.numel() == 0:
                continue
            writer.add_histogram(f"{name}/histogram", value.float().cpu(), epoch)
            if self.write_images:
                image = _weight_as_image(value.float().cpu())
                if image is not None:
                    # tf.summary.image keeps max_outputs=3 images; torch tiles them in a grid.
                    writer.add_images(f"{name}/image", image[:3], epoch, dataformats="NHWC")
