"""`keras.callbacks.TensorBoard`, written with tork's `tf.summary`."""

from __future__ import annotations

import numbers
import os
import time
import warnings
from typing import Any

import numpy as np
import torch

from tork.keras.backend import image_data_format
from tork.keras.callbacks._utils import pythonify_logs, to_float
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

# The summary metadata TensorBoard's Graphs dashboard reads a Keras model config from:
# SummaryMetadata{plugin_data{plugin_name: "graph_keras_model", content: "1"}}.
_KERAS_MODEL_METADATA = b"\n\x16\n\x11graph_keras_model\x12\x011"


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


def _profile_range(profile_batch: Any) -> tuple[int, int]:
    """Keras 2's checks of `profile_batch`: an int >= 0, a pair or a "start,stop" string."""
    message = (
        "profile_batch must be a non-negative integer or 2-tuple of positive integers. A pair "
        f"of positive integers signifies a range of batches to profile. Found: {profile_batch}"
    )
    value = profile_batch
    if isinstance(value, str):
        try:
            value = [int(part) for part in value.split(",")]
        except ValueError:
            raise ValueError(message) from None
    if isinstance(value, int) and not isinstance(value, bool):
        start = stop = value
    elif isinstance(value, (tuple, list)) and len(value) == 2:
        start, stop = value
    else:
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return int(start), int(stop)


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


class _Count:
    """A live step for `tf.summary`: reads a counter of the callback at each write."""

    __slots__ = ("_read",)

    def __init__(self, read):
        self._read = read

    def __int__(self) -> int:
        return int(self._read())

    __index__ = __int__

    def __repr__(self) -> str:
        return str(int(self))


class TensorBoard(Callback):
    """Enable visualizations for TensorBoard.

    Writes event files readable by `tensorboard --logdir=log_dir`, with the tags
    and steps of Keras 2 (tf_keras), through `tf.summary` (no `tensorboard`
    package needed: without it tork writes the event files itself):

    - `log_dir/train`: `epoch_<metric>` scalars (loss and metrics) at each epoch,
      `epoch_learning_rate` when the optimizer's learning rate is a
      `LearningRateSchedule`, `epoch_steps_per_second` with
      `write_steps_per_second`; `batch_<metric>` scalars every `update_freq`
      batches (step: the batch count of this `fit`) when it is an integer or
      `"batch"`; weight histograms `<weight name>/histogram` (e.g.
      `dense/kernel_0/histogram`) every `histogram_freq` epochs; the model's
      config (tag `keras`) for the Graphs dashboard when `write_graph`.
    - `log_dir/validation`: the `val_` metrics under the same `epoch_<metric>`
      names, and `evaluation_<metric>_vs_iterations` after each evaluation (step:
      the optimizer's iterations).

    With `update_freq` other than `"epoch"`, the train writer is the default
    `tf.summary` writer during training (the validation writer during
    evaluation), so `tf.summary.scalar(...)` calls in a custom `train_step` go
    there, recorded every `update_freq` batches; their default step is the
    number of batches finished (tf_keras leaves it at 0).

    Args:
        log_dir: the path of the directory where to save the log files.
        histogram_freq: frequency (in epochs) at which to compute weight
            histograms; 0 disables them.
        write_graph: whether to write the model's config (Sequential and
            functional models) for TensorBoard's Graphs dashboard ("Keras" tag).
            tork runs eagerly: no TensorFlow op graph is written.
        write_images: whether to write the weights as images, with the weight
            histograms (every `histogram_freq` epochs), as Keras 2 does: biases as
            one-column images, Dense kernels as one image (transposed when taller than
            wide), squeezed rank-3 kernels as one image per output map (3 at most);
            other weights are skipped.
        write_steps_per_second: whether to log the training steps per second
            (`epoch_steps_per_second`, and `batch_steps_per_second` with
            `update_freq`).
        update_freq: `"epoch"`, `"batch"` or an integer: with an integer N, the
            batch-level scalars are written every N batches.
        profile_batch: checked as Keras 2 does, then ignored with a warning when
            not 0: tork does not profile (use `torch.profiler`).
        embeddings_freq: accepted and ignored with a warning when not 0: tork
            writes no embeddings for the Projector.
        embeddings_metadata: accepted and ignored.
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
        histogram_freq: int | None = 0,
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
        if profile_batch is None:
            profile_batch = 0
        if _profile_range(profile_batch) != (0, 0):
            warnings.warn(
                f"TensorBoard(profile_batch={profile_batch!r}) is ignored: tork does not "
                "profile batches. Use torch.profiler (its traces open in TensorBoard with "
                "the torch-tb-profiler plugin).",
                stacklevel=2,
            )
        if embeddings_freq:
            # Keras 2 saves the embeddings in a TensorFlow checkpoint for the Projector;
            # tork's checkpoints are its own format, which the Projector cannot read.
            warnings.warn(
                f"TensorBoard(embeddings_freq={embeddings_freq!r}) is ignored: tork writes no "
                "embeddings for TensorBoard's Projector (it reads TensorFlow checkpoints). "
                "Write them with tf.summary or export the Embedding weights yourself.",
                stacklevel=2,
            )
        if update_freq == "batch":
            update_freq = 1
        if isinstance(update_freq, numbers.Integral) and not isinstance(update_freq, bool):
            update_freq = int(update_freq)  # e.g. a NumPy integer from a config
        if update_freq != "epoch" and (
            isinstance(update_freq, bool) or not isinstance(update_freq, int) or update_freq <= 0
        ):
            raise ValueError(
                f"TensorBoard: invalid update_freq={update_freq!r}. Expected 'epoch', 'batch' "
                "or a positive integer (a number of batches)."
            )
        if histogram_freq is None:  # Keras 2 treats it as 0 (configs often hold None)
            histogram_freq = 0
        if isinstance(histogram_freq, numbers.Integral) and not isinstance(histogram_freq, bool):
            histogram_freq = int(histogram_freq)
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
        self.profile_batch = profile_batch
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers: dict[str, Any] = {}
        self._pushed: list[tuple[Any, Any]] = []
        # Batches finished in this fit / this evaluation: the steps of batch-level summaries.
        self._train_batches = 0
        self._test_batches = 0
        self._epoch_start_time = 0.0
        self._epoch_start_iterations = 0
        self._batch_start_time = 0.0

    # -- writers -----------------------------------------------------------

    # Keras 2's run names and writers, which TensorBoard subclasses in user code use
    # (`with self._train_writer.as_default(): tf.summary.scalar(...)`).
    _train_run_name = "train"
    _validation_run_name = "validation"

    def _writer(self, which: str) -> Any:
        """The `tf.summary` writer of `"train"` or `"val"` (created on first use)."""
        writer = self._writers.get(which)
        if writer is None:
            from tork.ops import summary

            path = self._train_dir if which == "train" else self._val_dir
            writer = summary.create_file_writer(path)
            self._writers[which] = writer
        return writer

    @property
    def _train_writer(self) -> Any:
        return self._writer("train")

    @property
    def _val_writer(self) -> Any:
        return self._writer("val")

    def _get_writer(self, writer_name: str) -> Any:
        # TF 2.0-2.2's accessor: `self._get_writer(self._train_run_name)`.
        return self._writer("val" if writer_name == self._validation_run_name else "train")

    # Keras 2 keeps these as plain attributes, and TensorBoard subclasses in user code
    # assign them (sentdex's DQN `ModifiedTensorBoard`: `self._log_write_dir =
    # self.log_dir`, `self._train_step = self.model._train_counter` in `set_model`), so
    # each property has a setter; an assigned value is what later reads return.
    @property
    def _log_write_dir(self) -> str:
        return self.__dict__.get("_user_log_write_dir", self.log_dir)

    @_log_write_dir.setter
    def _log_write_dir(self, value: str) -> None:
        self.__dict__["_user_log_write_dir"] = value

    @property
    def _train_step(self) -> Any:
        # Keras 2's `model._train_counter`: the batches trained in this `fit`.
        if "_user_train_step" in self.__dict__:
            return self.__dict__["_user_train_step"]
        return torch.tensor(self._train_batches, dtype=torch.int64)

    @_train_step.setter
    def _train_step(self, value: Any) -> None:
        self.__dict__["_user_train_step"] = value

    @property
    def _val_step(self) -> Any:
        if "_user_val_step" in self.__dict__:
            return self.__dict__["_user_val_step"]
        return torch.tensor(self._test_batches, dtype=torch.int64)

    @_val_step.setter
    def _val_step(self, value: Any) -> None:
        self.__dict__["_user_val_step"] = value

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _scalars(self, which: str, prefix: str, logs: dict, step: int) -> None:
        from tork.ops import summary

        numbers = {k: n for k, n in ((k, _numeric(v)) for k, v in logs.items()) if n is not None}
        if not numbers:
            return
        with summary.record_if(True), self._writer(which).as_default():
            for name, number in numbers.items():
                summary.scalar(prefix + name, np.float32(number), step=step)

    def _push_writer(self, which: str, counter) -> None:
        """Makes a writer the default one, recording every `update_freq` batches (Keras 2)."""
        if self.update_freq == "epoch":
            return
        from tork.ops import summary

        freq = self.update_freq
        contexts = (
            self._writer(which).as_default(step=_Count(counter)),
            summary.record_if(lambda: counter() % freq == 0),
        )
        for context in contexts:
            context.__enter__()
        self._pushed.append(contexts)

    def _pop_writer(self) -> None:
        if self.update_freq == "epoch" or not self._pushed:
            return
        writer_context, record_context = self._pushed.pop()
        record_context.__exit__(None, None, None)
        writer_context.__exit__(None, None, None)

    # -- hooks -------------------------------------------------------------

    def set_model(self, model: Any) -> None:
        """Sets the model, and writes its config for the Graphs dashboard if `write_graph`."""
        self.model = model
        self._close_writers()  # a new fit/evaluate starts new event files, as in Keras 2
        if self.write_graph:
            self._write_model_config()

    def _write_model_config(self) -> None:
        # Keras 2 writes the config of Sequential and functional models only.
        from tork.keras.models.functional.functional import Functional
        from tork.keras.models.sequential import Sequential
        from tork.ops import summary

        if not isinstance(self.model, (Functional, Sequential)):
            return
        try:
            config = self.model.to_json()
        except Exception as e:  # noqa: BLE001 - a model that cannot be serialized
            warnings.warn(
                f"TensorBoard: model failed to serialize as JSON ({e}); its graph is not written.",
                stacklevel=3,
            )
            return
        with summary.record_if(True), self._writer("train").as_default():
            summary.write(
                "keras",
                np.array(config.encode("utf-8"), dtype=object),
                step=0,
                metadata=_KERAS_MODEL_METADATA,
            )

    def _subclass_overrides(self, *names: str) -> bool:
        # A user subclass's own batch hooks run whatever `update_freq` is.
        return any(
            name in getattr(self, "__dict__", {})
            or getattr(type(self), name) is not getattr(TensorBoard, name)
            for name in names
        )

    def _implements_train_batch_hooks(self) -> bool:
        return (
            self.update_freq != "epoch"
            or self.write_steps_per_second
            or self._subclass_overrides(
                "on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end"
            )
        )

    def _implements_test_batch_hooks(self) -> bool:
        return self.update_freq != "epoch" or self._subclass_overrides(
            "on_test_batch_begin", "on_test_batch_end"
        )

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._train_batches = 0
        self._push_writer("train", lambda: self._train_batches)

    def on_train_end(self, logs: dict | None = None) -> None:
        self._pop_writer()
        self._close_writers()

    def on_test_begin(self, logs: dict | None = None) -> None:
        self._test_batches = 0
        self._push_writer("val", lambda: self._test_batches)

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._test_batches += 1

    def on_test_end(self, logs: dict | None = None) -> None:
        iterations = self._iterations()
        if iterations is not None:
            self._scalars(
                "val",
                "",
                {f"evaluation_{k}_vs_iterations": v for k, v in pythonify_logs(logs).items()},
                iterations,
            )
        self._pop_writer()

    def _iterations(self) -> int | None:
        iterations = getattr(getattr(self.model, "optimizer", None), "iterations", None)
        return None if iterations is None else int(to_float(iterations))

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        if self.write_steps_per_second:
            self._epoch_start_iterations = self._iterations() or 0
            self._epoch_start_time = time.time()

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._train_batches += 1
        if self.update_freq == "epoch":
            return
        from tork.ops import summary

        step = self._train_batches
        if step % self.update_freq:
            return
        with summary.record_if(True), self._writer("train").as_default():
            if self.write_steps_per_second:
                elapsed = time.time() - self._batch_start_time
                summary.scalar("batch_steps_per_second", 1.0 / max(elapsed, 1e-9), step=step)
            for name, value in pythonify_logs(logs).items():
                number = _numeric(value)
                if number is not None:
                    summary.scalar("batch_" + name, np.float32(number), step=step)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = pythonify_logs(logs)
        if logs:
            train = {k: v for k, v in logs.items() if not k.startswith("val_")}
            val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
            learning_rate = self._scheduled_learning_rate()
            if learning_rate is not None:
                train["learning_rate"] = learning_rate
            if self.write_steps_per_second:
                steps = (self._iterations() or 0) - self._epoch_start_iterations
                elapsed = time.time() - self._epoch_start_time
                train["steps_per_second"] = steps / elapsed if elapsed > 0 else 0.0
            self._scalars("train", "epoch_", train, epoch)
            self._scalars("val", "epoch_", val, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def _scheduled_learning_rate(self) -> float | None:
        # Keras 2 logs the learning rate only when it comes from a LearningRateSchedule:
        # its value at the optimizer's iterations.
        from tork.keras.optimizers.schedules.learning_rate_schedule import (
            LearningRateSchedule,
        )

        optimizer = getattr(self.model, "optimizer", None)
        schedule = getattr(optimizer, "_learning_rate", None)
        if not isinstance(schedule, LearningRateSchedule):
            return None
        step = torch.tensor(self._iterations() or 0, dtype=torch.int64)
        return to_float(schedule(step))

    def _named_weights(self) -> list[tuple[str, Any]]:
        model = self.model
        layers = getattr(model, "layers", None)
        if layers is not None and not callable(layers):
            # Keras 2: layer by layer, each weight under its name (`dense/kernel:0` ->
            # `dense/kernel_0`).
            weights = [w for layer in layers for w in getattr(layer, "weights", [])]
        else:
            weights = getattr(model, "weights", None) or []
        named = []
        for i, w in enumerate(weights):
            name = getattr(w, "name", None) or getattr(w, "path", None) or f"weight_{i}"
            named.append((str(name).replace(":", "_"), w))
        if not named and not weights and hasattr(model, "named_parameters"):
            # A plain torch.nn.Module.
            named = [(n.replace(".", "/"), p) for n, p in model.named_parameters()]
        return named

    def _log_weights(self, epoch: int) -> None:
        from tork.ops import summary

        writer = self._writer("train")
        with summary.record_if(True), writer.as_default():
            for name, weight in self._named_weights():
                value = weight if isinstance(weight, torch.Tensor) else torch.as_tensor(weight)
                value = value.detach().float().cpu()
                summary.histogram(f"{name}/histogram", value, step=epoch)
                if self.write_images:
                    image = _weight_as_image(value)
                    if image is not None:
                        summary.image(f"{name}/image", image, step=epoch)
