"""The training API mixed into `keras.Model`: compile, fit, evaluate, predict.

The loop is Keras's (callbacks, logs, History, progress bar); each step is
plain torch: a forward pass, `torch.autograd.grad`, and the optimizer's
multi-tensor update. Losses and metrics stay on the device; nothing syncs with
the host per step except where a callback asks for values.
"""

from __future__ import annotations

import contextlib
import operator
import types
import warnings
import weakref
from itertools import islice

import numpy as np
import torch

from tork import config as _config
from tork import tape as _tape
from tork import variables as _variables
from tork._backend import host_memory
from tork._inplace import writable_copies, writes_in_place
from tork.keras.callbacks._utils import to_numpy_nest
from tork.keras.layers import _training_flag
from tork.keras.trainers import _batch_counters, data_adapters
from tork.keras.trainers._call_args import check_call_args
from tork.keras.trainers._execution_hooks import _steps_per_execution, batch_hooks
from tork.keras.trainers._predict_outputs import OutputCollector
from tork.keras.trainers.compile_utils import CompiledLoss, CompiledMetrics, _batch_size, _track
from tork.keras.trainers.data_adapters import flatten, map_structure, unpack_x_y_sample_weight
from tork.ops import gradients as _gradients


def _not_compiled(what: str) -> RuntimeError:
    return RuntimeError(
        f"You must call compile() before {what}, e.g. "
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', "
        "metrics=['accuracy'])."
    )


def _steps_are_one_pass(adapter, x, steps) -> bool:
    """Whether `steps` is exactly the known number of batches of the dataset `x`."""
    if steps is None or not data_adapters._is_dataset(x):
        return False
    batches = getattr(adapter, "_n_batches", None)  # the fast path over sliced tensors
    if batches is None:
        try:
            batches = int(x.cardinality())
        except Exception:  # noqa: BLE001 - no known size: continue through the data
            return False
    return batches >= 0 and batches == int(steps)


def _capped_epochs(epochs: int) -> int:
    from tork.keras import config

    cap = config.max_epochs()
    return epochs if cap is None else min(epochs, cap)


def _step_cap() -> int | None:
    """`keras.config.max_steps_per_epoch()`: the batches a fit epoch, evaluate or predict runs."""
    from tork.keras import config

    return config.max_steps_per_epoch()


def _count_end_of_data_step(model) -> None:
    """Adds the step Keras 2 counts when fit's first epoch runs out of data.

    With data of unknown length (a filtered/CSV tf.data pipeline, a generator) and no
    `steps_per_epoch`, tf_keras 2.21's first epoch ends in a step that finds no batch, yet
    `optimizer.iterations` still goes up by one (once per `fit` call; later epochs know the
    length). Counting it too keeps Adam's bias correction and learning-rate schedules in
    step with TF from the second epoch on (keras.io's make_csv_dataset examples).
    """
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None or getattr(optimizer, "gradient_accumulation_steps", None):
        return
    iterations = getattr(optimizer, "iterations", None)
    if hasattr(iterations, "assign_add"):
        iterations.assign_add(1)


def _capped_steps(steps, cap):
    if cap is None:
        return steps
    return cap if steps is None else min(steps, cap)


def _concat(batches):
    from tork._backend.ragged_tensor import RaggedTensor
    from tork._backend.sparse_tensor import SparseTensor
    from tork._backend.string_tensor import StringTensor

    first = batches[0]
    if isinstance(first, torch.Tensor):
        return torch.cat([b.detach() for b in batches], dim=0) if first.ndim else first
    if isinstance(first, StringTensor):
        # String outputs (e.g. StringLookup(invert=True)): one array of bytes, as Keras.
        return (
            np.concatenate([b.view(np.ndarray) for b in batches], axis=0) if first.ndim else first
        )
    if isinstance(first, RaggedTensor):
        from tork._backend.ragged_tensor import concat

        return concat(batches, 0)
    if isinstance(first, SparseTensor):
        # Sparse outputs (e.g. CategoryEncoding(sparse=True)): one SparseTensor, as Keras
        # joins them, its other dimensions the largest of the batches'.
        from tork.ops.sparse import concat as sparse_concat

        return sparse_concat(0, batches, expand_nonconcat_dims=True)
    if isinstance(first, dict):
        return {k: _concat([b[k] for b in batches]) for k in first}
    if isinstance(first, (list, tuple)):
        return type(first)(_concat([b[i] for b in batches]) for i in range(len(first)))
    return batches


class Trainer:
    """Mixin holding the Keras training API of `keras.Model`."""

    def __init__(self):
        self.__dict__["compiled"] = False
        self.__dict__["stop_training"] = False
        self.__dict__["_tork_optimizer"] = None
        self.__dict__["compiled_loss"] = None
        self.__dict__["compiled_metrics"] = None
        self.__dict__["_tork_compile_config"] = None
        self.__dict__["history"] = None
        self._tork_reset_step_functions()

    # Keras 2's per-call batch counters, read by callbacks written for Keras 2 and
    # assignable by Keras 2 models (see _batch_counters).
    @property
    def _train_counter(self):
        return _batch_counters.counter(self, "train")

    @_train_counter.setter
    def _train_counter(self, value) -> None:
        _batch_counters.assign(self, "train", value)

    @property
    def _test_counter(self):
        return _batch_counters.counter(self, "test")

    @_test_counter.setter
    def _test_counter(self, value) -> None:
        _batch_counters.assign(self, "test", value)

    @property
    def _predict_counter(self):
        return _batch_counters.counter(self, "predict")

    @_predict_counter.setter
    def _predict_counter(self, value) -> None:
        _batch_counters.assign(self, "predict", value)

    def _tork_reset_step_functions(self) -> None:
        # The train and predict functions depend on compile's and jit/eager settings.
        self.__dict__["_tork_train_fn"] = None
        self.__dict__["_tork_predict_fn"] = None
        for name in ("train_function", "test_function", "predict_function"):
            if self.__dict__.get(name) is not None:
                self.__dict__[name] = None

    # -- optimizer ------------------------------------------------------------------
    @property
    def optimizer(self):
        """The optimizer set by `compile` (or assigned by the model itself)."""
        return self.__dict__.get("_tork_optimizer")

    @optimizer.setter
    def optimizer(self, value) -> None:
        if value is not None and not hasattr(value, "apply_gradients"):
            from tork.keras import optimizers

            value = optimizers.get(value)
        self.__dict__["_tork_optimizer"] = value

    # -- removed Keras 2.0-2.5 API -------------------------------------------------------
    @property
    def predict_classes(self):
        # Sequential.predict_classes/predict_proba were removed in TF 2.6 (tf_keras raises
        # a bare AttributeError); old scripts (keras-seq2seq-example) still call them.
        raise AttributeError(
            f"'{type(self).__name__}' object has no attribute 'predict_classes': Keras removed "
            "it in TensorFlow 2.6. Use np.argmax(model.predict(x), axis=-1) for a softmax "
            "output, or (model.predict(x) > 0.5).astype('int32') for a sigmoid output."
        )

    @property
    def predict_proba(self):
        raise AttributeError(
            f"'{type(self).__name__}' object has no attribute 'predict_proba': Keras removed "
            "it in TensorFlow 2.6. Use model.predict(x), which returns the probabilities."
        )

    # -- compile -----------------------------------------------------------------------
    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=None,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
        **kwargs,
    ) -> None:
        """Configures the model for training.

        Args:
            optimizer: an optimizer name (e.g. `'adam'`) or instance.
            loss: a loss name, function or `Loss`; a list or dict (by output
                name) for several outputs.
            loss_weights: scalar weights of the outputs' losses (list or dict).
            metrics: metrics to track; `'accuracy'` picks binary, categorical
                or sparse accuracy from the loss and the shapes.
            weighted_metrics: metrics that also receive `sample_weight`.
            run_eagerly: True turns `jit_compile` off (tork is eager otherwise); None
                (the default) follows `tf.config.run_functions_eagerly`.
            steps_per_execution: tork runs the steps one by one, but calls the batch
                callback hooks once per group of this many steps, as Keras 2 does
                (`on_*_batch_begin` at the first step, `on_*_batch_end` at the last).
            jit_compile: True compiles the training step as one graph where it can
                (else the forward pass and loss), and `predict`'s forward pass.
            auto_scale_loss: under the `'mixed_float16'` policy, wrap the optimizer
                in a `LossScaleOptimizer` (default True, as Keras).

        Example:
        >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        """
        kwargs.pop("experimental_run_tf_function", None)
        kwargs.pop("distribute", None)
        kwargs.pop("sample_weight_mode", None)
        # tf_keras 2.21: shards evaluation under ParameterServerStrategy only; ignored elsewhere.
        kwargs.pop("pss_evaluation_shards", None)
        if kwargs.pop("target_tensors", None) is not None:
            # TF 1 fed targets as graph tensors; Keras 2 refuses them in eager mode too.
            raise ValueError(
                "target_tensors argument is not supported when executing eagerly. Pass the "
                "targets to fit() as `y` (or yield (x, y) from a tf.data.Dataset) instead."
            )
        if kwargs:
            raise TypeError(f"compile() got unexpected keyword arguments: {sorted(kwargs)}.")
        if metrics is None and _looks_like_metrics(loss_weights):
            # Keras 2's positional order is compile(optimizer, loss, metrics, loss_weights).
            metrics, loss_weights = loss_weights, None
        from tork.keras import optimizers

        given_optimizer = optimizer  # get_compile_config keeps a name as given (Keras 2)
        optimizer = optimizers.get(optimizer)
        if auto_scale_loss and self.dtype_policy == "mixed_float16":
            from tork.keras.mixed_precision import LossScaleOptimizer

            if not isinstance(optimizer, LossScaleOptimizer):
                # Keras: float16 gradients underflow without loss scaling.
                optimizer = LossScaleOptimizer(optimizer)
        self.__dict__["_tork_optimizer"] = optimizer
        # Steps the optimizer took before this compile: fit's first step after it may
        # create weights (a new head), later ones may not (_tork_add_new_trainable).
        self.__dict__["_tork_compile_iterations"] = _iterations(optimizer)
        output_names = self._tork_output_names()
        log_names = self._tork_output_log_names(output_names)
        # Keras 2 builds the loss container without a loss too: the losses added with
        # add_loss() are then the loss (logged as `loss`), and a custom train_step's
        # `self.compiled_loss(y, y_pred, regularization_losses=self.losses)` returns their
        # sum, or None when there is none.
        compiled_loss = CompiledLoss(loss, loss_weights, output_names, log_names)
        self.__dict__["compiled_loss"] = compiled_loss
        self.__dict__["_tork_added_losses_only"] = compiled_loss if loss is None else None
        self.__dict__["compiled_metrics"] = CompiledMetrics(
            metrics, weighted_metrics, output_names, loss=loss, log_names=log_names
        )
        # A Keras 3 `compute_loss(..., training=True)` override owns the `loss` log: Keras 3
        # tracks what it returns, with or without a compiled loss. (Keras 2 logs only the
        # compiled loss, so a Keras 2 style override keeps that behaviour.)
        compute_loss = type(self).compute_loss
        self.__dict__["_tork_loss_tracker"] = None
        if compute_loss is not Trainer.compute_loss and _owns_loss_log(type(self)):
            from tork.keras.metrics import Mean

            self.__dict__["_tork_loss_tracker"] = Mean(name="loss")
        self.__dict__["loss"] = loss
        self.__dict__["_tork_run_eagerly"] = None if run_eagerly is None else bool(run_eagerly)
        self.__dict__["_tork_jit"] = jit_compile is True
        self._tork_reset_step_functions()
        self.__dict__["_tork_strategy"] = _strategy_in_scope()
        # Set when compiled under a multi-replica strategy; None keeps fit single-process.
        self.__dict__["_tork_distribution"] = _distribution_for_compile()
        # Keras 2's key order (get_compile_config serializes this dict on request).
        self.__dict__["_tork_compile_config"] = {
            "optimizer": given_optimizer if isinstance(given_optimizer, str) else optimizer,
            "loss": loss,
            "metrics": metrics,
            "loss_weights": loss_weights,
            "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile,
        }
        # Keras 2 trains the weights that were trainable when the model was compiled: the
        # classic GAN compiles the discriminator, sets `trainable = False` and compiles the
        # combined model, and `discriminator.train_on_batch` still updates it. Built models
        # take the list now; others at their first training step.
        # A model "built" without any weight yet (a user build() that creates its layers
        # but runs no call) takes its list once weights exist.
        self.__dict__["_tork_compiled_trainable"] = (
            [w for w in self.trainable_weights if w.is_floating_point()]
            if self.built and self.weights
            else None
        )
        self.__dict__["_tork_trainable_cache"] = None
        # Each layer's `trainable` flag at compile time: fit/train_on_batch run with these
        # flags (Keras 2), so a BatchNormalization frozen after compile still trains in
        # training mode in `discriminator.train_on_batch`.
        state = _LayerFlags()
        for layer in self._flatten_layers():
            state[layer] = layer.trainable
        self.__dict__["_tork_compiled_layer_trainable"] = state
        self.__dict__["compiled"] = True
        # `load_weights(checkpoint)` before compile (Keras 2's TensorFlow format) left the
        # saved optimizer state pending: the new optimizer takes it, as TensorFlow's
        # deferred restoration does, so training resumes with the saved slots and step.
        pending = self.__dict__.pop("_tork_pending_optimizer_checkpoint", None)
        if pending is not None and self.optimizer is not None:
            pending.optimizer = self.optimizer

    def _tork_check_ready(self, method: str, training: bool) -> None:
        """The checks before fit/evaluate/train_on_batch/test_on_batch touch any weight:
        a call() the default steps can drive, a compiled model (with an optimizer to
        train), and metric strings that name metrics (Keras 2 traces the step first)."""
        check_call_args(self, method)
        if not self.compiled or (training and self.optimizer is None):
            raise _not_compiled(f"{method}()")
        if self.compiled_metrics is not None:
            self.compiled_metrics.check_names()

    @property
    def _is_compiled(self) -> bool:
        # Keras 2's spelling of `compiled`: libraries (keract, ...) read it to decide
        # whether to call compile() themselves.
        return self.__dict__.get("compiled", False)

    @_is_compiled.setter
    def _is_compiled(self, value: bool) -> None:
        self.__dict__["compiled"] = bool(value)

    @property
    def run_eagerly(self) -> bool:
        value = self.__dict__.get("_tork_run_eagerly")
        # Keras 2: unset, it follows `tf.config.run_functions_eagerly`.
        return _config.functions_run_eagerly() if value is None else value

    @run_eagerly.setter
    def run_eagerly(self, value: bool) -> None:
        self.__dict__["_tork_run_eagerly"] = bool(value)
        self._tork_reset_step_functions()

    @property
    def jit_compile(self) -> bool:
        return self.__dict__.get("_tork_jit", False)

    @jit_compile.setter
    def jit_compile(self, value: bool) -> None:
        self.__dict__["_tork_jit"] = bool(value)
        self._tork_reset_step_functions()

    def _tork_compiles(self) -> bool:
        # tf.debugging.enable_check_numerics checks every op: compiled graphs would skip it.
        return self.jit_compile and not self.run_eagerly and not _config._checking_numerics

    def _tork_output_names(self):
        names = getattr(self, "output_names", None)
        if isinstance(names, list) and names:
            struct = getattr(self, "_tork_output_struct", None)
            if isinstance(struct, dict):
                # tf.nest's order (sorted keys): Keras 2 lists a dict model's per-output
                # losses and metrics (History, evaluate) in it, not in the dict's own order.
                try:
                    return sorted(struct)
                except TypeError:
                    return list(struct)
            return names
        return None

    def _tork_output_log_names(self, keys) -> dict | None:
        """For a dict of outputs: key -> the name its losses and metrics are logged under.

        Keras 2 matches compile's and fit's dicts by the output dict's keys but names the
        logs after the outputs' layers (`output_names`, in sorted-key order): outputs
        `{"k1": Dense(name="a"), ...}` log `a_loss`, `a_mae`.
        """
        struct = getattr(self, "_tork_output_struct", None)
        names = getattr(self, "output_names", None)
        if not isinstance(struct, dict) or not isinstance(names, list) or not keys:
            return None
        if len(names) != len(keys) or list(keys) != sorted(keys, key=str):
            return None
        return dict(zip(keys, names))

    def get_compile_config(self) -> dict | None:
        """Returns the arguments given to `compile`, serialized (JSON-able), for saving.

        Objects (optimizer, losses, metrics) appear as their serialized configs, strings
        as given; `None` when the model was never compiled (Keras 2).

        Example:
        >>> model.compile(tf.keras.optimizers.Adam(0.01), loss="mse")
        >>> model.get_compile_config()["optimizer"]["class_name"]
        'Adam'
        """
        config = self.__dict__.get("_tork_compile_config")
        if config is None:
            return None
        from tork.keras.saving.serialization import serialize_keras_object

        return serialize_keras_object(config)

    def compile_from_config(self, config: dict) -> None:
        """Compiles the model from `get_compile_config()` output.

        Args:
            config: The compile arguments, serialized (as `get_compile_config` returns
                them) or as objects.
        """
        from tork.keras.saving.serialization import deserialize_keras_object

        self.compile(**{key: deserialize_keras_object(value) for key, value in config.items()})

    # -- metrics -----------------------------------------------------------------------
    @property
    def metrics(self) -> list:
        """The metrics tracked in training: loss trackers, compiled metrics, metric attributes."""
        result = []
        tracker = self.__dict__.get("_tork_loss_tracker")
        only = self.__dict__.get("_tork_added_losses_only")
        if tracker is not None:
            result.append(tracker)
            if self.compiled_loss is not None:
                result.extend(self.compiled_loss.metrics[1:])  # the per-output losses
        elif self.compiled_loss is not None and only is None:
            if type(self).train_step is Trainer.train_step:
                result.extend(self.compiled_loss.metrics)
            else:
                # A custom train_step may feed the `loss` entry itself (Keras 3's guide loop).
                view = self.__dict__.get("_tork_loss_view")
                if view is None or view._compiled is not self.compiled_loss.loss_tracker:
                    view = _LossTrackerView(self.compiled_loss.loss_tracker)
                    self.__dict__["_tork_loss_view"] = view
                # Listed once the step computed the compiled loss (Keras 3's guide calls
                # compute_loss before its metrics loop) or fed it; a step that never does
                # logs no `loss`, as Keras 2 (whose compiled loss lists no metric unbuilt).
                if self.compiled_loss._built or view._fed:
                    result.append(view)
                result.extend(self.compiled_loss.metrics[1:])
        elif only is not None:
            result.extend(only.metrics)  # empty until built
        compiled = self.compiled_metrics
        if compiled is not None:
            view = self.__dict__.get("_tork_compile_metrics_view")
            if view is None or view._container is not compiled:
                view = _CompileMetricsView(compiled)
                self.__dict__["_tork_compile_metrics_view"] = view
            if compiled._built and not view._used:
                result.extend(compiled.metrics)
            elif compiled.has_specs:
                result.append(view)  # Keras 3's `compile_metrics`; builds on its first update
        from tork.keras.layers.layer import _attribute_metrics

        # Every Metric assigned to an attribute (in lists and dicts too, replaced ones
        # included), as Keras 2's `_metrics`.
        for value in _attribute_metrics(self):
            if all(value is not m for m in result):
                result.append(value)
        # Then, in layer order, each sublayer's Metric attributes and every layer's
        # add_metric(...) metrics: Keras tracks the metrics a layer holds, so fit logs them.
        for layer in self._flatten_layers(include_self=True):
            found = []
            if layer is not self:
                found.extend(_attribute_metrics(layer))
            found.extend(layer.__dict__.get("_tork_added_metrics", {}).values())
            for metric in found:
                if all(metric is not m for m in result):
                    result.append(metric)
        return result

    @property
    def metrics_names(self) -> list:
        """The names of the logs `evaluate` returns (Keras 2 style).

        As in Keras 2, the compiled loss and metrics are listed once a batch has built
        them (by `fit`, `evaluate` or `train_on_batch`): before that the list holds only
        the metrics the model keeps itself.
        """
        loss = self.compiled_loss
        unbuilt_loss = loss is not None and not loss._built
        names = []
        for metric in self.metrics:
            if isinstance(metric, _CompileMetricsView) and not metric._container._built:
                continue
            if unbuilt_loss and (
                metric is loss.loss_tracker
                or (isinstance(metric, _LossTrackerView) and not metric._fed)
            ):
                continue
            names.append(_log_name(metric))
        return names

    def reset_metrics(self) -> None:
        """Resets every metric's state (fit does it at each epoch start)."""
        self.__dict__["_tork_metrics_cache"] = None
        for metric in self.metrics:
            metric.reset_state()

    # -- steps ---------------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Returns the total loss: compiled losses plus the model's own `losses`.

        Args:
            x: the inputs (unused by default).
            y: the targets.
            y_pred: the model's predictions.
            sample_weight: optional per-sample weights.
        """
        del x
        from tork.keras.layers.layer import _LAYERS_WITH_CALL_LOSSES, _LAYERS_WITH_REGULARIZERS

        extra = None
        if _LAYERS_WITH_CALL_LOSSES or _LAYERS_WITH_REGULARIZERS:
            extra = self.losses
        only = self.__dict__.get("_tork_added_losses_only")
        if only is not None:
            total = only(y, y_pred, sample_weight, regularization_losses=extra)
            if total is not None or not training or not torch.is_grad_enabled():
                return total  # None in evaluation: Keras 2 then logs a `loss` of 0.0
        elif self.compiled_loss is not None:
            return self.compiled_loss(y, y_pred, sample_weight, regularization_losses=extra)
        elif extra:  # not compiled
            return torch.stack([torch.as_tensor(e).sum() for e in extra]).sum()
        raise ValueError(
            f"Model '{self.name}' has no loss to optimize: pass loss=... to compile(), or "
            "add losses with add_loss() in call()."
        )

    def compute_metrics(self, x, y, y_pred, sample_weight=None) -> dict:
        """Updates the compiled metrics and returns every metric's current value."""
        del x
        if self.compiled_metrics is not None:
            self.compiled_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self) -> dict:
        """Returns `{name: value}` for every metric in `model.metrics`."""
        metrics = self.__dict__.get("_tork_metrics_cache")
        if metrics is None:
            metrics = self.metrics
        return {_log_name(m): m.result() for m in metrics}

    def _tork_trainable(self) -> list:
        """The weights `fit` trains: those trainable when the model was compiled (Keras 2)."""
        cached = self.__dict__.get("_tork_trainable_cache")
        if cached is None:
            cached = self.__dict__.get("_tork_compiled_trainable")
            if cached is None:
                cached = [w for w in self.trainable_weights if w.requires_grad]
                if not cached and not self.weights:
                    return cached  # no weights yet: look again next step
                if self.built and self.__dict__.get("compiled"):
                    self.__dict__["_tork_compiled_trainable"] = cached
            self.__dict__["_tork_trainable_cache"] = cached
        return cached

    def _tork_add_new_trainable(self, params: list) -> list:
        """`params` plus the trainable weights this step's forward pass created.

        A layer put into a built model before compile (BiT replaces `model._head` with a
        new Dense) builds at the first step; Keras 2's step takes its gradients after
        the forward pass, so the new weights train from that step on.
        """
        known = {id(p) for p in params}
        new = [
            w
            for w in self.trainable_weights
            if w.requires_grad and w.is_floating_point() and id(w) not in known
        ]
        if not new:
            return params
        first = self.__dict__.get("_tork_compile_iterations", 0)
        if not self.run_eagerly and _iterations(self.optimizer) > first:
            # TensorFlow's compiled step may create variables only at its first call.
            names = ", ".join(repr(getattr(w, "name", "?")) for w in new)
            raise ValueError(
                f"Model '{self.name}' created new trainable weights ({names}) after its "
                "first training step: weights made by add_weight, tf.Variable or a new "
                "layer inside call() are new at every step and never train (TensorFlow: "
                "tf.function only supports singleton tf.Variables created on the first "
                "call). Create layers in __init__ and weights in build() (or create them "
                "once, e.g. guarded by `if not hasattr(self, 'w')`); a layer added to the "
                "model after training began needs compile() again."
            )
        params = [*params, *new]
        self.__dict__["_tork_compiled_trainable"] = params
        self.__dict__["_tork_trainable_cache"] = params
        return params

    def train_step(self, data) -> dict:
        """One training step on a batch: forward, loss, gradients, update, metrics.

        Override it to customize training; return a dict of logs.
        """
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        forward = self.__dict__.get("_tork_forward")
        if forward is None or not self._tork_jit_ready():
            forward = self._tork_forward_loss
        params = self._tork_trainable() if self.built else None
        # Weights frozen after compile (the GAN pattern above) still train here.
        frozen = [p for p in params if not p.requires_grad] if params else ()
        for p in frozen:
            p.requires_grad_(True)
        created = _variables._created
        try:
            # A tape or tf.gradients in a layer's call (a physics-informed du/dx) must give
            # a differentiable gradient, as under TensorFlow's fit tape.
            with _tape.outer_step():
                y_pred, loss = forward(x, y, sample_weight)
            if params is None:
                params = self._tork_trainable()  # the first step built the model
            elif _variables._created != created:
                params = self._tork_add_new_trainable(params)
            if not params:
                if loss.requires_grad:
                    _raise_untracked_weights(self, _variables._created != created)
                _warn_no_trainable(self)
                return self.compute_metrics(x, y, y_pred, sample_weight)
            if not loss.requires_grad:
                raise ValueError(
                    f"The loss of model '{self.name}' does not depend on any trainable weight, "
                    "so it cannot be trained. Check that call() uses the model's layers, and "
                    "that the loss is differentiable: argmax, round, comparisons and casts to "
                    "integers have no gradient (train on a crossentropy and report accuracy "
                    "as a metric); a loss computed with NumPy, or converted with .numpy(), "
                    "has no gradient either."
                )
            optimizer = self.optimizer
            # Keras 3: the optimizer scales the loss (loss_scale_factor, LossScaleOptimizer)
            # and unscales the gradients in its update; the logged loss stays unscaled.
            scale = getattr(optimizer, "scale_loss", None)
            grads = torch.autograd.grad(
                loss if scale is None else scale(loss), params, allow_unused=True
            )
        finally:
            for p in frozen:
                p.requires_grad_(False)
        step = getattr(optimizer, "_tork_step", None)
        if step is not None and all(g is not None for g in grads):
            step(params, list(grads))
        else:
            # Weights the loss does not reach get no update, with Keras's warning.
            optimizer.apply_gradients(zip(grads, params))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _tork_jit_ready(self) -> bool:
        # The first step builds the model, the losses and the metrics eagerly: built inside
        # a compiled region they would fail or leave a graph that is never used again.
        loss = self.compiled_loss
        if loss is None:
            loss = self.__dict__.get("_tork_added_losses_only")
        return self.built and (loss is None or loss._built)

    def _tork_forward_loss(self, x, y, sample_weight):
        y_pred = self(x, training=True)
        loss = self.compute_loss(x, y, y_pred, sample_weight)
        if isinstance(loss, torch.Tensor) and loss.dim() > 0:
            # Per-sample values (a reduction="none" loss): Keras 2 minimizes their sum.
            loss = loss.sum()
        tracker = self.__dict__.get("_tork_loss_tracker")
        if tracker is not None:
            _track(tracker, loss, _batch_size(x))
        return y_pred, loss

    def test_step(self, data) -> dict:
        """One evaluation step on a batch: forward, loss and metrics."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        tracker = self.__dict__.get("_tork_loss_tracker")
        if tracker is not None:
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
            _track(tracker, loss, _batch_size(x))
        elif self.compiled_loss is not None or _has_added_losses(self):
            if _takes_training(type(self).compute_loss):
                self.compute_loss(x, y, y_pred, sample_weight, training=False)
            else:  # a Keras 2 style override: compute_loss(self, x, y, y_pred, sample_weight)
                self.compute_loss(x, y, y_pred, sample_weight)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        """One prediction step: the model's outputs for a batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _tork_predict_forward(self, x):
        return self(x, training=False)

    def _tork_predict_function(self):
        fn = self.__dict__.get("_tork_predict_fn")
        if fn is not None:
            return fn
        fn = self.predict_step
        if self._tork_compiles() and type(self).predict_step is Trainer.predict_step:
            compiled = _compile_method(self, Trainer._tork_predict_forward)
            eager = self.predict_step

            def fn(data):
                if not self.built:
                    return eager(data)  # the first batch builds the model eagerly
                x, _, _ = unpack_x_y_sample_weight(data)
                return compiled(x)

        self.__dict__["_tork_predict_fn"] = fn
        return fn

    # -- Keras 2's step functions over iterators -------------------------------------
    train_function = None
    test_function = None
    predict_function = None

    def make_train_function(self, force: bool = False):
        """Returns (and sets as `self.train_function`) the function fit runs per step.

        As in Keras 2, the function takes an iterator of batches, runs `train_step` on the
        next one (compiled when `jit_compile=True`) and returns its logs. A subclass may
        override this method: `fit` and `train_on_batch` then run the function it returns.

        Args:
            force: make a new function even if `self.train_function` is set.

        Returns:
            A function `train_function(iterator) -> logs`.

        Example:
        >>> fn = model.make_train_function()
        >>> logs = fn(iter([(x, y)]))
        """
        return self._tork_iterator_function("train", force, self._tork_train_function)

    def make_test_function(self, force: bool = False):
        """Returns (and sets as `self.test_function`) the function evaluate runs per step.

        Args:
            force: make a new function even if `self.test_function` is set.

        Returns:
            A function `test_function(iterator) -> logs` running `test_step` on the next
            batch.

        Example:
        >>> logs = model.make_test_function()(iter([(x, y)]))
        """
        # test_step is looked up at each call, as before (a later override takes effect).
        return self._tork_iterator_function("test", force, lambda: self._tork_test_batch)

    def _tork_test_batch(self, data):
        return self.test_step(data)

    def make_predict_function(self, force: bool = False):
        """Returns (and sets as `self.predict_function`) the function predict runs per step.

        Args:
            force: make a new function even if `self.predict_function` is set.

        Returns:
            A function `predict_function(iterator) -> outputs` running `predict_step` on
            the next batch.

        Example:
        >>> outputs = model.make_predict_function()(iter([(x,)]))
        """
        return self._tork_iterator_function("predict", force, self._tork_predict_function)

    def _tork_iterator_function(self, name: str, force: bool, make_step):
        """Keras 2's `<name>_function`: `make_step()`'s step on the iterator's next batch,
        kept as `self.<name>_function` until `force` or compile makes a new one."""
        attribute = f"{name}_function"
        made = getattr(self, attribute)
        if made is not None and not force:
            return made
        step = make_step()

        def function(iterator):
            return step(next(iterator))

        function.__name__ = function.__qualname__ = attribute
        setattr(self, attribute, function)
        return function

    def _tork_step(self, name: str, default):
        """`default`, or the batch-taking form of an overridden `make_<name>_function`."""
        maker = f"make_{name}_function"
        if getattr(type(self), maker) is getattr(Trainer, maker):
            step = default
        else:
            made = getattr(self, maker)()

            def step(batch):
                return made(iter((batch,)))

        user_step = getattr(type(self), f"{name}_step")
        if user_step is not getattr(Trainer, f"{name}_step") and writes_in_place(
            user_step, follow_helpers=True
        ):
            # `x /= 2.0` in a train_step written for TF's immutable tensors would write into
            # the batch, which shares memory with the user's arrays: give it copies.
            inner = step

            def step(batch):
                return inner(writable_copies(batch))

        return _in_data_step(step, self)

    @property
    def distribute_strategy(self):
        """The `tf.distribute` strategy the model was compiled under (else the current one).

        Example:
        >>> model.distribute_strategy.num_replicas_in_sync
        1
        """
        strategy = self.__dict__.get("_tork_strategy")
        if strategy is not None:
            return strategy
        from tork.distribute import get_strategy

        return get_strategy()

    def _tork_train_function(self):
        fn = self.__dict__.get("_tork_train_fn")
        if fn is not None:
            return fn
        fn = self.train_step
        self.__dict__["_tork_forward"] = None
        if self._tork_compiles():
            from tork.keras.trainers.compiled_step import make_compiled_train_step

            # The whole step (forward, backward, update, metrics) as one graph where the
            # setup allows it; otherwise only the forward pass and loss are compiled.
            # Recurrent layers run on torch's fused kernels, which a whole-step graph would
            # unroll into per-step cells: minutes of compilation for a slower step.
            whole = None if _has_recurrent_layers(self) else make_compiled_train_step(self)
            if whole is not None:
                fn = whole
            else:
                try:
                    self.__dict__["_tork_forward"] = _compile_method(
                        self, Trainer._tork_forward_loss
                    )
                except Exception as error:  # pragma: no cover - depends on the torch build
                    warnings.warn(
                        "jit_compile=True: torch.compile is unavailable "
                        f"({error}); running eagerly.",
                        stacklevel=3,
                    )
        self.__dict__["_tork_train_fn"] = fn
        return fn

    # -- loops ------------------------------------------------------------------------------
    def _tork_check_batch(self, x, what: str) -> None:
        """Explains batches whose rank cannot fit the model (e.g. unbatched data)."""
        expected = self._build_shapes if self.built else None
        if expected is None or not isinstance(x, torch.Tensor):
            return
        if isinstance(expected, (list, dict)):
            return
        expected = tuple(expected)
        if x.ndim == len(expected) - 1 and tuple(x.shape) == tuple(expected[1:]):
            raise ValueError(
                f"{what} received inputs of shape {tuple(x.shape)}, but model '{self.name}' "
                f"expects batches of shape {_pretty(expected)}. The data looks unbatched: batch "
                "a tf.data.Dataset with .batch(32), or give arrays a leading batch axis."
            )

    # -- Keras 2's deprecated generator methods ---------------------------------------
    def fit_generator(
        self,
        generator,
        steps_per_epoch=None,
        epochs=1,
        verbose=1,
        callbacks=None,
        validation_data=None,
        validation_steps=None,
        validation_freq=1,
        class_weight=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        shuffle=True,
        initial_epoch=0,
    ):
        """Deprecated Keras 2 alias of `fit`, which takes generators itself."""
        warnings.warn(
            "`Model.fit_generator` is deprecated and will be removed in a future version. "
            "Please use `Model.fit`, which supports generators.",
            UserWarning,
            stacklevel=2,
        )
        return self.fit(
            generator,
            steps_per_epoch=steps_per_epoch,
            epochs=epochs,
            verbose=verbose,
            callbacks=callbacks,
            validation_data=validation_data,
            validation_steps=validation_steps,
            validation_freq=validation_freq,
            class_weight=class_weight,
            max_queue_size=max_queue_size,
            workers=workers,
            use_multiprocessing=use_multiprocessing,
            shuffle=shuffle,
            initial_epoch=initial_epoch,
        )

    def evaluate_generator(
        self,
        generator,
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        verbose=0,
    ):
        """Deprecated Keras 2 alias of `evaluate`, which takes generators itself."""
        warnings.warn(
            "`Model.evaluate_generator` is deprecated and will be removed in a future "
            "version. Please use `Model.evaluate`, which supports generators.",
            UserWarning,
            stacklevel=2,
        )
        return self.evaluate(
            generator,
            steps=steps,
            callbacks=callbacks,
            max_queue_size=max_queue_size,
            workers=workers,
            use_multiprocessing=use_multiprocessing,
            verbose=verbose,
        )

    def predict_generator(
        self,
        generator,
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        verbose=0,
    ):
        """Deprecated Keras 2 alias of `predict`, which takes generators itself."""
        warnings.warn(
            "`Model.predict_generator` is deprecated and will be removed in a future "
            "version. Please use `Model.predict`, which supports generators.",
            UserWarning,
            stacklevel=2,
        )
        return self.predict(
            generator,
            steps=steps,
            callbacks=callbacks,
            max_queue_size=max_queue_size,
            workers=workers,
            use_multiprocessing=use_multiprocessing,
            verbose=verbose,
        )

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        **kwargs,
    ):
        """Trains the model for a number of epochs.

        Args:
            x: inputs: arrays/tensors (or lists/dicts of them), a `tf.data.Dataset`,
                a generator, a `keras.utils.PyDataset` or a torch `DataLoader`.
            y: targets, when `x` holds arrays.
            batch_size: samples per step for array inputs (default 32).
            epochs: the epoch to stop at.
            verbose: 'auto' (= 1), 0 silent, 1 progress bar, 2 one line per epoch.
            callbacks: a list of `keras.callbacks.Callback`.
            validation_split: fraction of array data (the last samples) held out.
            validation_data: `(x_val, y_val)`, `(x_val, y_val, w_val)` or a dataset.
            shuffle: reshuffle array data each epoch.
            class_weight: `{class: weight}` scaling each sample's loss.
            sample_weight: per-sample loss weights for array inputs.
            initial_epoch: the epoch to start from (to resume training).
            steps_per_epoch: steps per epoch (needed for infinite datasets).
            validation_steps: steps of validation data per evaluation.
            validation_batch_size: batch size of array validation data.
            validation_freq: validate every N epochs (int) or at listed epochs.
            max_queue_size, workers, use_multiprocessing: Keras 2's data-loading options,
                accepted (also positionally, in Keras 2's order) and ignored.

        Returns:
            A `History` whose `.history` maps each log name to per-epoch values.
        """
        del max_queue_size, workers, use_multiprocessing  # Keras 2 options; tork loads in-process
        kwargs.pop("workers", None)
        kwargs.pop("use_multiprocessing", None)
        kwargs.pop("max_queue_size", None)
        if kwargs:
            # Keras 1's `nb_epoch` (LSTM-text-generation and other 2016-era scripts).
            hint = (
                " Keras 2 renamed nb_epoch to epochs: fit(..., epochs=N)."
                if "nb_epoch" in kwargs
                else ""
            )
            raise TypeError(f"fit() got unexpected keyword arguments: {sorted(kwargs)}.{hint}")
        self._tork_check_ready("fit", training=True)
        _check_grad_mode("fit()")
        epochs = _as_count(epochs, "epochs", "fit()", minimum=0)
        initial_epoch = _as_count(initial_epoch, "initial_epoch", "fit()", minimum=None)
        batch_size = _as_count(batch_size, "batch_size", "fit()")
        validation_batch_size = _as_count(validation_batch_size, "validation_batch_size", "fit()")
        validation_freq = _check_validation_freq(validation_freq)
        if verbose == "auto":
            verbose = 1
        replicated = self.__dict__.get("_tork_distribution")
        if replicated is not None:
            verbose, callbacks = replicated.options(verbose, callbacks)
        device = self._tork_device()
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = _split(x, y, sample_weight, validation_split)
        _relax_batch_on_build(self, x)
        adapter = data_adapters.get_adapter(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            steps=steps_per_epoch,
            shuffle=shuffle,
            device=device,
            class_weight=class_weight,
            what="fit",
            float_dtype=data_adapters.float_dtype_of(self),
        )
        # With steps_per_epoch, epochs continue through the data (Keras 2; see the adapters),
        # except a dataset whose known number of batches is steps_per_epoch: Keras 2 starts
        # it afresh each epoch (`fit(ds, steps_per_epoch=len(ds), epochs=5)`).
        adapter.continuous = not _steps_are_one_pass(adapter, x, steps_per_epoch)
        epochs = _capped_epochs(epochs)
        step_cap = _step_cap()
        val_adapter = None
        if validation_data is not None:
            vx, vy, vw = unpack_x_y_sample_weight(
                validation_data
                if isinstance(validation_data, (tuple, list))
                else (validation_data,)
            )
            val_adapter = data_adapters.get_adapter(
                vx,
                vy,
                vw,
                batch_size=validation_batch_size or batch_size,
                steps=validation_steps,
                shuffle=False,
                device=device,
                what="fit(validation_data)",
                float_dtype=data_adapters.float_dtype_of(self),
            )
        if replicated is not None:
            adapter, val_adapter = replicated.shard(adapter), replicated.shard(val_adapter)
        from tork.keras.callbacks import CallbackList

        callback_list = CallbackList(
            callbacks,
            add_history=True,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=epochs,
            steps=_capped_steps(adapter.steps, step_cap),
        )
        self.__dict__["stop_training"] = False
        self.__dict__["_tork_trainable_cache"] = None
        train_fn = self._tork_step("train", self._tork_train_function())
        if replicated is not None:
            train_fn = replicated.wrap_train(self, train_fn, adapter)
        initial_epoch, initial_step = _resume_epoch(callback_list, initial_epoch)
        if initial_step and isinstance(adapter, data_adapters.ArrayAdapter):
            adapter.serve_as_stream()
        _batch_counters.reset(self, "train")
        callback_list.on_train_begin()
        train_counter = _batch_counters.existing(self, "train")
        if replicated is not None:
            initial_epoch = replicated.fit_begin(self, initial_epoch)
        # Keras 2 serves arrays for the epochs to run, once each: more steps run out.
        adapter.passes = max(epochs - initial_epoch, 0)
        # Keras 2 calls a training Sequence's on_epoch_end when it moves to the next epoch:
        # after validation and the callbacks' on_epoch_end (which may read its state), also
        # after the last epoch, but not after an epoch that stopped training.
        if hasattr(adapter, "end_epoch"):
            adapter.defer_epoch_end = True
        logs: dict = {}
        epoch_logs: dict = {}
        self.train()
        # Freed host memory stays in the process between steps (see host_memory). Training
        # records gradients even when fit is called under `torch.no_grad()`.
        with host_memory.retained(), torch.enable_grad(), _compiled_trainable_state(self):
            try:
                for epoch in range(initial_epoch, epochs):
                    self.reset_metrics()
                    callback_list.on_epoch_begin(epoch)
                    steps_done = 0
                    first_step, epoch_cap = 0, step_cap
                    if epoch == initial_epoch and initial_step:
                        # Keras 2 counts the resumed epoch from the backed-up step and runs
                        # only the steps left, drawing them from the start of the data.
                        total = _capped_steps(adapter.steps, step_cap)
                        first_step = initial_step
                        if total is not None:
                            epoch_cap = max(total - initial_step, 1)
                    hooks = batch_hooks(callback_list, "train", _steps_per_execution(self))
                    for step, batch in enumerate(islice(adapter.epoch(), epoch_cap), first_step):
                        if steps_done == 0 and epoch == initial_epoch:
                            self._tork_check_batch(unpack_x_y_sample_weight(batch)[0], "fit()")
                        if steps_done == 1:
                            # Compiled metrics exist after the first step: list them once per epoch.
                            self.__dict__["_tork_metrics_cache"] = self.metrics
                        hooks.begin(step)
                        logs = train_fn(batch)
                        logs = _check_logs(logs, "train_step")
                        if steps_done == 0 and epoch == initial_epoch:
                            _check_log_values(logs, "train_step")
                        steps_done += 1
                        if train_counter is not None:
                            _batch_counters.increment(train_counter)
                        hooks.end(step, logs)
                        if self.stop_training:
                            break
                    hooks.flush()
                    # The last batch would keep the epoch's shuffled copy of the data alive:
                    # without it, the next epoch writes its copy over this one.
                    batch = None
                    if (
                        epoch == initial_epoch
                        and steps_done
                        and not self.stop_training
                        and getattr(adapter, "steps", 0) is None
                        and (step_cap is None or steps_done < step_cap)
                    ):
                        _count_end_of_data_step(self)
                    if steps_done == 0 and epoch == initial_epoch:
                        raise ValueError(
                            "fit() received no data: the dataset or arrays are empty (0 batches in "
                            "the first epoch). Check the data, steps_per_epoch and that a dataset is "
                            "not exhausted (use .repeat() for several epochs)."
                        )
                    if getattr(adapter, "ran_out", False):
                        _warn_ran_out(steps_per_epoch, epochs - initial_epoch)
                        self.stop_training = True
                    # (An epoch that ran out before its first step ends with the metrics
                    # as reset, as Keras 2.)
                    epoch_logs = _metrics_result_logs(self, logs)
                    if (
                        val_adapter is not None
                        and _should_validate(epoch, validation_freq)
                        # Keras 2 validates no more once the validation data ran out.
                        and not getattr(val_adapter, "exhausted", False)
                    ):
                        val_logs = self._tork_evaluate_loop(
                            val_adapter, callback_list, empty_is_error=validation_steps is None
                        )
                        epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
                    callback_list.on_epoch_end(epoch, epoch_logs)
                    if self.stop_training:
                        break
                    end_epoch = getattr(adapter, "end_epoch", None)
                    if end_epoch is not None:
                        end_epoch()
                if epochs > 0:
                    _finalize_variable_values(self)
            finally:
                self.eval()
                if replicated is not None:
                    replicated.fit_end()
        callback_list.on_train_end(epoch_logs)
        history = self.__dict__.get("history")
        return history

    def _tork_evaluate_loop(self, adapter, callback_list=None, empty_is_error=False) -> dict:
        self.reset_metrics()
        _batch_counters.reset(self, "test")
        if callback_list is not None:
            callback_list.on_test_begin()
        test_counter = _batch_counters.existing(self, "test")
        logs: dict = {}
        test_fn = self._tork_step("test", self.test_step)
        replicated = self.__dict__.get("_tork_distribution")
        if replicated is not None:
            test_fn = replicated.wrap_test(self, test_fn, adapter)
        was_training = _training_flag.torch_mode(self)  # not a user-assigned `training`
        self.eval()
        ran = False
        try:
            with torch.no_grad(), host_memory.retained():
                hooks = None
                if callback_list is not None:
                    hooks = batch_hooks(callback_list, "test", _steps_per_execution(self))
                for step, batch in enumerate(islice(adapter.epoch(), _step_cap())):
                    ran = True
                    if hooks is not None:
                        hooks.begin(step)
                    logs = _check_logs(test_fn(batch), "test_step")
                    if test_counter is not None:
                        _batch_counters.increment(test_counter)
                    if step == 0:
                        _check_log_values(logs, "test_step")
                    if hooks is not None:
                        hooks.end(step, logs)
                if hooks is not None:
                    hooks.flush()
        finally:
            self.train(was_training)
        if not ran and empty_is_error:
            # Keras 2 raises (when no `steps` were given) rather than return no loss: an
            # empty validation set would otherwise silently drop val_* from the history, and
            # EarlyStopping/ModelCheckpoint on val_loss would do nothing.
            raise ValueError(
                "evaluate() received no data: the dataset or arrays are empty (0 batches). "
                "Expected input data to be non-empty: check the data (for fit(), "
                "validation_data or validation_split)."
            )
        logs = {k: _to_float(v) for k, v in _metrics_result_logs(self, logs).items()}
        if callback_list is not None:
            callback_list.on_test_end(logs)
        return logs

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        return_dict=False,
        **kwargs,
    ):
        """Returns the loss and metrics of the model on data.

        The arguments are in Keras 2's order (`return_dict` after `use_multiprocessing`),
        which Keras 2 subclasses forwarding them positionally rely on.

        Args:
            x, y, batch_size, sample_weight, steps: the data, as in `fit`.
            verbose: 0 silent, 1 progress bar, 2 one line.
            callbacks: callbacks receiving the test hooks.
            max_queue_size, workers, use_multiprocessing: Keras 2's data-loading options,
                accepted and ignored.
            return_dict: return `{name: value}` instead of a scalar or list.

        Returns:
            The loss (a float) when only the loss is tracked, else
            `[loss, metrics...]`, or a dict with `return_dict=True`.
        """
        del max_queue_size, workers, use_multiprocessing  # Keras 2 options; tork loads in-process
        if kwargs:
            raise TypeError(f"evaluate() got unexpected keyword arguments: {sorted(kwargs)}.")
        self._tork_check_ready("evaluate", training=False)
        batch_size = _as_count(batch_size, "batch_size", "evaluate()")
        if verbose == "auto":
            verbose = 1
        replicated = self.__dict__.get("_tork_distribution")
        if replicated is not None:
            verbose, callbacks = replicated.options(verbose, callbacks)
        _relax_batch_on_build(self, x)
        adapter = data_adapters.get_adapter(
            x,
            y,
            sample_weight,
            batch_size=batch_size,
            steps=steps,
            shuffle=False,
            device=self._tork_device(),
            what="evaluate",
            float_dtype=data_adapters.float_dtype_of(self),
        )
        if replicated is not None:
            adapter = replicated.shard(adapter)
        from tork.keras.callbacks import CallbackList

        callback_list = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=_capped_steps(adapter.steps, _step_cap()),
        )
        logs = self._tork_evaluate_loop(adapter, callback_list, empty_is_error=steps is None)
        if return_dict:
            return logs
        values = _values_in_order(logs, self.metrics_names)
        return values[0] if len(values) == 1 else values

    def predict(
        self,
        x,
        batch_size=None,
        verbose="auto",
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        **kwargs,
    ):
        """Returns the model's predictions as NumPy arrays (nested like the outputs).

        Args:
            x: inputs: arrays/tensors, a dataset, a generator or a PyDataset.
            batch_size: samples per batch for array inputs (default 32).
            verbose: 0 silent, 1 progress bar, 2 one line.
            steps: the number of batches to predict.
            callbacks: callbacks receiving the predict hooks.
            max_queue_size, workers, use_multiprocessing: Keras 2's data-loading options,
                accepted (also positionally: tensorflow_similarity's ContrastiveModel
                forwards all eight) and ignored.
        """
        del max_queue_size, workers, use_multiprocessing  # Keras 2 options; tork loads in-process
        if kwargs:
            raise TypeError(f"predict() got unexpected keyword arguments: {sorted(kwargs)}.")
        check_call_args(self, "predict")
        batch_size = _as_count(batch_size, "batch_size", "predict()")
        if verbose == "auto":
            verbose = 1
        replicated = self.__dict__.get("_tork_distribution")
        if replicated is not None:
            # Every process predicts all samples; only rank 0 prints.
            verbose, callbacks = replicated.options(verbose, callbacks)
        _relax_batch_on_build(self, x)
        adapter = data_adapters.get_adapter(
            x,
            None,
            None,
            batch_size=batch_size,
            steps=steps,
            shuffle=False,
            device=self._tork_device(),
            what="predict",
            float_dtype=data_adapters.float_dtype_of(self),
        )
        from tork.keras.callbacks import CallbackList

        callback_list = CallbackList(
            callbacks,
            add_progbar=verbose != 0,
            model=self,
            verbose=verbose,
            epochs=1,
            steps=_capped_steps(adapter.steps, _step_cap()),
        )
        predict_fn = self._tork_step("predict", self._tork_predict_function())
        _batch_counters.reset(self, "predict")
        callback_list.on_predict_begin()
        predict_counter = _batch_counters.existing(self, "predict")
        total = adapter.num_samples if isinstance(adapter, data_adapters.ArrayAdapter) else None
        if _step_cap() is not None:
            total = None  # a capped run predicts only some of the samples
        outputs = OutputCollector(total)
        was_training = _training_flag.torch_mode(self)  # not a user-assigned `training`
        self.eval()
        try:
            with torch.no_grad(), host_memory.retained():
                hooks = batch_hooks(
                    callback_list, "predict", _steps_per_execution(self), concat=_concat
                )
                for step, batch in enumerate(islice(adapter.epoch(), _step_cap())):
                    hooks.begin(step)
                    x_batch = unpack_x_y_sample_weight(batch)[0]
                    result = predict_fn(data_adapters.pack_x_y_sample_weight(x_batch))
                    if step == 0 and result is None:
                        raise _predict_none()
                    outputs.add(result)
                    if predict_counter is not None:
                        _batch_counters.increment(predict_counter)
                    hooks.end(step, {"outputs": result})
                hooks.flush()
        finally:
            self.train(was_training)
        callback_list.on_predict_end()
        result = outputs.result(_concat)
        if result is None:
            raise ValueError(
                "predict() received no data: the input is empty. Pass at least one sample."
            )
        return to_numpy_nest(result)

    def train_on_batch(
        self,
        x,
        y=None,
        sample_weight=None,
        class_weight=None,
        reset_metrics=True,
        return_dict=False,
    ):
        """Runs one training step on one batch and returns its logs."""
        self._tork_check_ready("train_on_batch", training=True)
        _check_grad_mode("train_on_batch()")
        if reset_metrics:
            self.reset_metrics()
        _relax_batch_on_build(self)
        adapter = data_adapters.get_adapter(
            x,
            y,
            sample_weight,
            batch_size=None,
            shuffle=False,
            device=self._tork_device(),
            class_weight=class_weight,
            what="train_on_batch",
            float_dtype=data_adapters.float_dtype_of(self),
        )
        if isinstance(adapter, data_adapters.ArrayAdapter):
            adapter.batch_size = max(adapter.num_samples, 1)
        self.__dict__["_tork_trainable_cache"] = None
        train_fn = self._tork_step("train", self._tork_train_function())
        replicated = self.__dict__.get("_tork_distribution")
        if replicated is not None:
            adapter = replicated.shard(adapter)
            train_fn = replicated.wrap_train(self, train_fn, adapter)
        self.train()
        try:
            logs = {}
            with _compiled_trainable_state(self):
                for batch in adapter.epoch():
                    with torch.enable_grad():
                        logs = _check_logs(train_fn(batch), "train_step")
                    _check_log_values(logs, "train_step")
                    break
        finally:
            self.eval()
        return _format_logs(logs, return_dict, self.metrics_names)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True, return_dict=False):
        """Evaluates the model on one batch and returns its logs."""
        self._tork_check_ready("test_on_batch", training=False)
        if reset_metrics:
            self.reset_metrics()
        _relax_batch_on_build(self)
        adapter = data_adapters.get_adapter(
            x,
            y,
            sample_weight,
            batch_size=None,
            shuffle=False,
            device=self._tork_device(),
            what="test_on_batch",
            float_dtype=data_adapters.float_dtype_of(self),
        )
        if isinstance(adapter, data_adapters.ArrayAdapter):
            adapter.batch_size = max(adapter.num_samples, 1)
        logs = {}
        with torch.no_grad():
            for batch in adapter.epoch():
                logs = _check_logs(self._tork_step("test", self.test_step)(batch), "test_step")
                _check_log_values(logs, "test_step")
                break
        return _format_logs(logs, return_dict, self.metrics_names)

    def predict_on_batch(self, x):
        """Returns the predictions for one batch as NumPy arrays."""
        check_call_args(self, "predict_on_batch")
        _relax_batch_on_build(self)
        device, float_dtype = self._tork_device(), data_adapters.float_dtype_of(self)
        x = map_structure(lambda v: data_adapters._as_batch_tensor(v, device, float_dtype), x)
        with torch.no_grad():
            result = _in_data_step(self.predict_step, self)(data_adapters.pack_x_y_sample_weight(x))
        if result is None:
            raise _predict_none()
        return to_numpy_nest(result)


def _in_data_step(step, model=None):
    """`step` (taking one batch) marked as running on data for its duration.

    A symbolic tensor met there is a `keras.Input` captured by a loss or metric: the
    functional API then raises a clear error (see `functional/node.py`).

    `tf.gradients(ys, x)` in a subclassed model's (or a Sequential's) `call` needs the
    model's inputs recorded by autograd, as TensorFlow's graph has them: the first step
    that meets it runs again with recorded inputs, and so do the model's later steps.
    """
    from tork.keras.layers._call_context import CONTEXT

    def run(batch):
        CONTEXT.data_step += 1
        try:
            if model is not None and model.__dict__.get("_tork_record_inputs"):
                return _step_recording_inputs(step, batch)
            try:
                return step(batch)
            except _gradients.InputsNotRecordedError:
                if model is None:
                    raise
                result = _step_recording_inputs(step, batch)
                model.__dict__["_tork_record_inputs"] = True
                return result
        finally:
            CONTEXT.data_step -= 1

    return run


def _step_recording_inputs(step, batch):
    """Runs `step` with the batch's inputs recorded by autograd (also in predict)."""
    with _gradients.recording() as was_off:
        x, y, sample_weight = unpack_x_y_sample_weight(batch)
        x = map_structure(_gradients.recorded, x)
        if was_off:  # predict/evaluate under no_grad or inference_mode
            y, sample_weight = map_structure(_plain, (y, sample_weight))
        result = step(data_adapters.pack_x_y_sample_weight(x, y, sample_weight))
    return map_structure(_gradients.detached, result) if was_off else result


def _plain(value):
    # Inference tensors (predict under torch.inference_mode) cannot be saved for backward.
    if isinstance(value, torch.Tensor) and value.is_inference():
        return value.clone()
    return value


class _LayerFlags(weakref.WeakKeyDictionary):
    """Layer -> `trainable` at compile time; weak, and picklable with its model.

    A compiled model pickles (Keras 2 pickles models, e.g. for multiprocessing): the
    layers are pickled with the model anyway, so the map is rebuilt from its items.
    """

    def __reduce__(self):
        return (_layer_flags_from_items, (list(self.items()),))


def _layer_flags_from_items(items) -> _LayerFlags:
    flags = _LayerFlags()
    flags.update(items)
    return flags


@contextlib.contextmanager
def _compiled_trainable_state(model):
    """Runs training with each layer's `trainable` flag as it was at compile time (Keras 2).

    The flags set since compile come back on exit. Nothing is touched when no flag changed.
    """
    compiled = model.__dict__.get("_tork_compiled_layer_trainable")
    layers = model._flatten_layers() if compiled else ()
    current = [(layer, layer.trainable) for layer in layers]
    changed = any(layer in compiled and compiled[layer] != flag for layer, flag in current)
    if not changed:
        yield
        return
    # Each layer's own flag (every layer is visited anyway: the setter's walk over the
    # sublayers would make each training call quadratic in the number of layers).
    from tork.keras.layers.layer import _set_own_trainable

    for layer, _ in current:
        if layer in compiled:
            _set_own_trainable(layer, compiled[layer])
    try:
        yield
    finally:
        for layer, flag in current:
            _set_own_trainable(layer, flag)


def _relax_batch_on_build(model, x=None) -> None:
    """Marks a model not built yet to build for any batch size on its first batch.

    Keras 2's fit/evaluate/predict run traced functions whose batch size is unknown, so a
    Sequential built by them has the input `(None, ...)` (its summary, `model.input` and
    config show it); a direct first call builds it for the call's own shape. The Sequential
    reads the mark (once) when its first batch builds it. A dataset's free sizes (Keras 2
    traces on its element_spec) are kept for the model's saved signature.
    """
    if not model.built:
        model.__dict__["_tork_loop_build"] = True
        if x is not None:
            from tork.saved_model._input_spec import record_dataset_spec

            record_dataset_spec(model, x)


def _predict_none() -> TypeError:
    return TypeError(
        "predict_step() must return the model's outputs (e.g. `return self(x, "
        "training=False)`), but it returned None. Check that it ends with a `return`."
    )


def _finalize_variable_values(model) -> None:
    """The end of `fit`, as in Keras: with `use_ema`, the weights become their averages.

    Only the variables the optimizer has updated are passed (a trainable weight that never
    got a gradient has no average).
    """
    from tork.keras.optimizers.optimizer import Optimizer

    optimizer = model.optimizer
    if not isinstance(optimizer, Optimizer):
        return
    inner = getattr(optimizer, "inner_optimizer", optimizer)
    if not getattr(inner, "use_ema", False):
        return
    known = getattr(inner, "_index", {})
    optimizer.finalize_variable_values([v for v in model.trainable_variables if id(v) in known])


class _LossTrackerView:
    """The `loss` entry of `model.metrics` for a model with a custom `train_step`.

    Keras 3's `compute_loss` does not track the loss: its guide's `train_step` updates the
    `loss` entry of `self.metrics` itself. tork's `compute_loss` tracks it (Keras 2), so
    feeding the compiled tracker too would count every batch twice. This entry reports
    what the step fed it since the last reset when it was fed, else the compiled loss's
    running mean (Keras 2 style steps, and the default `test_step`).
    """

    name = "loss"

    def __init__(self, compiled_tracker):
        self._compiled = compiled_tracker
        self._own = None
        self._fed = False

    @property
    def variables(self) -> list:
        own = list(self._own.variables) if self._own is not None else []
        return [*self._compiled.variables, *own]

    def update_state(self, values, sample_weight=None) -> None:
        if self._own is None:
            from tork.keras.metrics import Mean

            self._own = Mean(name="loss")
        self._own.update_state(values, sample_weight=sample_weight)
        self._fed = True

    def result(self):
        return self._own.result() if self._fed else self._compiled.result()

    def reset_state(self) -> None:
        self._compiled.reset_state()
        if self._own is not None:
            self._own.reset_state()
        self._fed = False

    reset_states = reset_state  # Keras 2 spelling


class _CompileMetricsView:
    """The compiled metrics as one entry of `model.metrics`, as Keras 3's `compile_metrics`.

    Keras 3 lists its compiled metrics as this one metric. A Keras 3 style `train_step`
    updates every entry of `self.metrics` with `(y, y_pred, sample_weight=...)`, which
    weights only the `weighted_metrics`. Once a step has updated it, `model.metrics` keeps
    listing it instead of Keras 2's individual metrics, so that every batch is updated the
    same way; models that never update it list the individual metrics once built (Keras 2).
    """

    name = "compile_metrics"

    def __init__(self, container):
        self._container = container
        self._used = False

    @property
    def metrics(self) -> list:
        return self._container.metrics

    @property
    def variables(self) -> list:
        return [v for m in self._container.metrics for v in m.variables]

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        self._used = True
        self._container.update_state(y_true, y_pred, sample_weight)

    def result(self) -> dict:
        return self._container.result()

    def reset_state(self) -> None:
        self._container.reset_state()

    reset_states = reset_state  # Keras 2 spelling


def _has_recurrent_layers(model) -> bool:
    from tork.keras.layers.recurrent.rnn import RNN

    return any(isinstance(module, RNN) for module in model.modules())


def _compile_method(model, function):
    """`function` bound to `model` and compiled by `torch.compile`, with a cache of its own.

    dynamo keeps its compiled graphs on the code object: a private copy of it per model
    keeps one model's graphs, shape specializations and recompile budget from another's.
    """
    private = types.FunctionType(
        function.__code__.replace(), function.__globals__, function.__name__
    )
    # Static shapes: an epoch has at most two batch shapes (full and last partial), each
    # compiled once, instead of a dynamic-shape graph that is slower for every step.
    # Half-precision intermediates rounded as eager torch does (see compiled_step's
    # inductor options: a mixed_float16 loss-scale overflow must skip the step here too).
    compiled = torch.compile(
        types.MethodType(private, model), dynamic=False, options={"emulate_precision_casts": True}
    )
    # Layers read sizes as numbers (`tf.range(tf.shape(x)[-1])` calls .item()): traced as
    # graph values rather than a graph break (and a warning) at each of them. dynamo reads
    # the setting when it traces, which happens inside a call: hence the patch per call.
    scalars = torch._dynamo.config.patch(capture_scalar_outputs=True)

    def run(*args, **kwargs):
        with scalars:
            return compiled(*args, **kwargs)

    return run


_TAKES_TRAINING: dict = {}


def _has_added_losses(model) -> bool:
    """Whether a model compiled without a loss got losses from add_loss() in this call."""
    from tork.keras.layers.layer import _LAYERS_WITH_CALL_LOSSES, _LAYERS_WITH_REGULARIZERS

    only = model.__dict__.get("_tork_added_losses_only")
    return only is not None and bool(_LAYERS_WITH_CALL_LOSSES or _LAYERS_WITH_REGULARIZERS)


def _owns_loss_log(cls) -> bool:
    """Whether `cls`'s `compute_loss` override logs `loss` itself (Keras 3 style).

    One naming `training` does. A pass-through `compute_loss(self, *args, **kwargs)` that
    calls super (HF transformers' TFPreTrainedModel) does only when the default train_step
    runs it: with a Keras 2 style train_step of its own, `self.compiled_loss(...)` logs
    the loss, and a tracker of our own would stay at 0.
    """
    from tork.keras.layers.layer import _CallSpec

    if not _takes_training(cls.compute_loss):
        return False
    return _CallSpec(cls.compute_loss).has_training or cls.train_step is Trainer.train_step


def _takes_training(function) -> bool:
    """Whether a (possibly user-overridden) `compute_loss` accepts `training=`."""
    known = _TAKES_TRAINING.get(function)
    if known is None:
        from tork.keras.layers.layer import _CallSpec

        spec = _CallSpec(function)
        known = spec.has_training or spec.has_var_kwargs
        _TAKES_TRAINING[function] = known
    return known


def _warn_ran_out(steps_per_epoch, epochs) -> None:
    warnings.warn(
        "Your input ran out of data; interrupting training. Make sure that your dataset or "
        f"generator can generate at least `steps_per_epoch * epochs` batches (in this case, "
        f"{steps_per_epoch * epochs} batches). You may need to use the repeat() function when "
        "building your dataset.",
        stacklevel=3,
    )


def _iterations(optimizer) -> int:
    """The optimizer's step count (0 when it keeps none)."""
    iterations = getattr(optimizer, "iterations", None)
    try:
        return 0 if iterations is None else int(iterations)
    except (TypeError, ValueError, RuntimeError):  # not a count (a custom optimizer)
        return 0


def _raise_untracked_weights(model, created_in_step: bool) -> None:
    """The loss needs gradients but the model has no trainable weights to take them."""
    if created_in_step:
        cause = (
            "a layer or tf.Variable created inside call() is new at every step and never "
            "trains. Create layers in __init__ and weights in build()."
        )
    else:
        cause = (
            "a tf.Variable created outside the model is not one of its weights and never "
            "trains. Assign it to an attribute of the model (self.v = v) or create it with "
            "add_weight in build()."
        )
    raise ValueError(
        f"The loss of model '{model.name}' depends on weights the model does not track: " + cause
    )


def _warn_no_trainable(model) -> None:
    if not model.__dict__.get("_tork_warned_no_trainable"):
        model.__dict__["_tork_warned_no_trainable"] = True
        warnings.warn(
            f"Model '{model.name}' has no trainable weights, so fit() computes its loss and "
            "metrics but updates nothing. If it should train, check that its layers are "
            "assigned as attributes and that trainable was True when compile() was called.",
            stacklevel=3,
        )


def _check_grad_mode(what: str) -> None:
    """Refuses training under `torch.inference_mode()`, whose tensors cannot be trained."""
    if torch.is_inference_mode_enabled():
        raise RuntimeError(
            f"{what} was called inside `torch.inference_mode()`, where torch records no "
            "gradients and its tensors cannot be used for training. Call it outside that "
            "block (`torch.no_grad()` is fine: fit turns gradients back on)."
        )


def _strategy_in_scope():
    from tork.distribute import _context

    return _context.current()


def _distribution_for_compile():
    from tork.distribute import _context

    if _context.active() is None:
        return None
    from tork.keras.distribution import _training_for_compile

    return _training_for_compile()


def _looks_like_metrics(value) -> bool:
    if value is None or isinstance(value, (int, float)):
        return False
    items = list(value.values()) if isinstance(value, dict) else value
    if not isinstance(items, (list, tuple)):
        return False
    if not items:
        return True  # Keras 2's `compile("sgd", "mse", [])`: no metrics, not zero loss weights
    return any(isinstance(v, (str, list, tuple)) or callable(v) for v in items)


def _log_name(metric) -> str:
    return getattr(metric, "_tork_log_name", None) or metric.name


def _to_float(value):
    """A log value as a Python float; a log of several values (a per-sample loss, a
    per-class F1Score) stays a NumPy array, as Keras 2 returns it."""
    if isinstance(value, torch.Tensor):
        if value.numel() != 1:
            return value.detach().cpu().numpy()
        return float(value)
    if isinstance(value, np.ndarray):
        return float(value) if value.size == 1 else value
    return value


def _metrics_result_logs(model, logs: dict) -> dict:
    """The logs that end a fit epoch or an evaluation, as Keras 2 picks them.

    When the step's logs have exactly the names of `model.metrics`, Keras 2 reports the
    metrics' results instead of the last step's values: a custom `train_step` returning
    the batch's `loss` under that name logs the epoch's mean loss in History and
    `evaluate`. Logs with other names (a step's extra keys) are kept as returned.
    Under data-parallel training the step's logs are the ones reduced across ranks (the
    metrics hold this rank's share only), so they are kept.
    """
    if model.__dict__.get("_tork_distribution") is not None:
        return dict(logs)
    try:
        found = model.get_metrics_result()
    except Exception as error:  # noqa: BLE001 - a user metric's result() failing
        # Keep the step's logs (what the epoch ran on), but say so once: a real bug in a
        # metric's result() must not pass unnoticed.
        if not model.__dict__.get("_tork_warned_metrics_result"):
            model.__dict__["_tork_warned_metrics_result"] = True
            warnings.warn(
                f"model.get_metrics_result() raised {type(error).__name__}: {error}. The "
                "epoch's logs are the last step's values instead of the metrics' results.",
                stacklevel=3,
            )
        return dict(logs)
    results = {}
    for name, value in found.items():
        if isinstance(value, dict):
            results.update(value)  # Keras 3's compile_metrics entry holds several
        else:
            results[name] = value
    if results and set(results) == set(logs):
        return results
    return dict(logs)


def _format_logs(logs: dict, return_dict: bool, names: list):
    logs = {k: _to_float(v) for k, v in logs.items()}
    if return_dict:
        return logs
    values = _values_in_order(logs, names)
    return values[0] if len(values) == 1 else values


def _values_in_order(logs: dict, names: list) -> list:
    """The log values as Keras lists them: `metrics_names` first, other keys sorted.

    A custom `test_step` may return its logs in any order (`{"loss": ..., "accuracy":
    ...}` with no compiled metrics gives `[accuracy, loss]` in Keras 2 and 3).
    """
    values = [logs[name] for name in names if name in logs]
    values += [logs[key] for key in sorted(logs) if key not in names]
    return values


def _check_logs(logs, where: str) -> dict:
    if isinstance(logs, dict):
        if any(isinstance(v, dict) for v in logs.values()):
            # e.g. {"compile_metrics": {...}} from a Keras 3 train_step: log each value.
            flat = {}
            for key, value in logs.items():
                if isinstance(value, dict):
                    flat.update(value)
                else:
                    flat[key] = value
            return flat
        return logs
    if logs is None:
        # Keras 2 fails here too: a step without `return` (or a bare `return`) gives no logs.
        raise TypeError(
            f"{where}() must return a dict of logs, e.g. {{'loss': loss}}, but it returned "
            "None. Check that it ends with a `return` of the logs, e.g. "
            "`return {m.name: m.result() for m in self.metrics}`."
        )
    raise TypeError(
        f"{where}() must return a dict of logs, e.g. {{'loss': loss}}, but it returned "
        f"{type(logs).__name__}. Return the values to show in the progress bar and History by "
        "name."
    )


def _check_log_values(logs: dict, where: str) -> None:
    """Explains log values that cannot be shown or recorded (checked on the first step).

    Log values may be arrays, a loss included: Keras 2 keeps them as arrays in History (a
    step returning a per-sample loss logs that vector). None or a string is no value at all.
    """
    for key, value in logs.items():
        if value is None or isinstance(value, (str, bytes)):
            kind = "None" if value is None else f"a string ({value!r})"
            raise TypeError(
                f"{where}() returned logs whose value for '{key}' is {kind}. Log values must "
                "be scalars (a float or a 0-d tensor), e.g. {'loss': loss} with the loss "
                "tensor, or a metric's result()."
            )


def _as_count(value, name: str, where: str, minimum: int | None = 1):
    """`value` as a Python int (None passes): Keras takes whole numbers only, 2.0 included."""
    if value is None:
        return None
    try:
        count = operator.index(value)  # ints and NumPy integers; floats and strings fail
    except TypeError:
        raise TypeError(
            f"{where} expects `{name}` to be an integer, but received {name}={value!r} of type "
            f"{type(value).__name__}. Pass a whole number, e.g. {name}=int({name})."
        ) from None
    if minimum is not None and count < minimum:
        raise ValueError(
            f"{where} expects `{name}` to be at least {minimum}, but received {name}={count}."
        )
    return count


def _check_validation_freq(freq):
    """`validation_freq` checked, as a Python int or the container of epochs given."""
    if isinstance(freq, (list, tuple, set, range)):
        return freq
    try:
        freq = operator.index(freq)
    except TypeError:
        raise ValueError(
            "Expected `validation_freq` to be a list or int. Received: "
            f"validation_freq={freq!r} of the type {type(freq)}."
        ) from None
    if freq < 1:
        raise ValueError(
            f"fit() expects `validation_freq` to be a positive integer (validate every N epochs) "
            f"or a list of epochs, but received validation_freq={freq}."
        )
    return freq


def _should_validate(epoch: int, freq) -> bool:
    if isinstance(freq, int):
        return (epoch + 1) % freq == 0
    return (epoch + 1) in freq


def _pretty(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _split(x, y, sample_weight, fraction: float):
    """Holds out the last `fraction` of array data for validation, as Keras does."""
    if not 0 < fraction < 1:
        raise ValueError(f"validation_split must be in (0, 1), got {fraction}.")
    # Datasets, generators, PyDatasets, ragged and sparse tensors cannot be sliced by sample:
    # Keras 2's error and text, naming the offending types.
    unsplittable = [
        type(leaf)
        for leaf in flatten((x, y, sample_weight))
        if leaf is not None and not _splittable(leaf)
    ]
    if unsplittable:
        raise ValueError(
            "`validation_split` is only supported for Tensors or NumPy arrays, "
            f"found following types in the input: {unsplittable}"
        )
    leaves = flatten(x)
    n = int(leaves[0].shape[0])
    split_at = int(n * (1 - fraction))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"validation_split={fraction} leaves no samples for training or validation with "
            f"{n} samples; use a different fraction or pass validation_data."
        )

    def head(v):
        return v[:split_at]

    def tail(v):
        return v[split_at:]

    train = tuple(map_structure(head, part) for part in (x, y, sample_weight))
    val = tuple(map_structure(tail, part) for part in (x, y, sample_weight))
    return train, val


def _splittable(value) -> bool:
    if isinstance(value, (np.ndarray, torch.Tensor)):
        return True
    # pandas objects slice by row like arrays (Keras 2 accepts them); checked by module so
    # pandas is not imported here.
    cls = type(value)
    return cls.__module__.split(".")[0] == "pandas" and cls.__name__ in ("DataFrame", "Series")


def _resume_epoch(callback_list, initial_epoch: int) -> tuple[int, int]:
    """The (epoch, step) a `fit` resumes at: a BackupAndRestore backup, else `initial_epoch`.

    A backup written every N batches resumes in the middle of its epoch (Keras 2): the
    epoch's step count starts at the saved step, and only the steps left run.
    """
    for cb in callback_list:
        hook = getattr(cb, "_tork_initial_epoch", None)
        if callable(hook):
            resumed = hook()
            if resumed is not None:
                if int(resumed) < initial_epoch:
                    return initial_epoch, 0
                step_hook = getattr(cb, "_tork_initial_step", None)
                step = int(step_hook()) if callable(step_hook) else 0
                return int(resumed), step
    return initial_epoch, 0
