"""What `compile` builds: the compiled loss and the compiled metrics.

`CompiledLoss` maps the `loss=` argument (one loss, a list, or a dict by output
name) onto the model's outputs, weights and sums them with the regularization
losses, and tracks the running mean of the total (the `loss` log) and, for
several outputs, of each output's loss (`<output>_loss`). `CompiledMetrics`
does the same for `metrics=`/`weighted_metrics=`; `'accuracy'` is resolved
against the loss and the shapes of the first batch, as Keras does.
"""

from __future__ import annotations

import copy
import inspect
import weakref

import torch

from tork._backend.tracing import values_readable
from tork._naming import scratch_names, to_snake_case
from tork._warnings import warn_user
from tork.keras.trainers.data_adapters import flatten


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


# Metric strings resolved from the label and output shapes (not registry names).
_SHAPE_DEPENDENT_NAMES = ("accuracy", "acc", "crossentropy", "ce")


def _leaves(spec) -> list:
    """Every entry of a compile(metrics=...) spec, however nested in lists and dicts."""
    if isinstance(spec, dict):
        spec = list(spec.values())
    if isinstance(spec, (list, tuple)):
        return [leaf for item in spec for leaf in _leaves(item)]
    return [] if spec is None else [spec]


def _labels_per_output(y_true, count: int) -> list:
    """The labels of each of `count` outputs.

    One label array for a model of several outputs is given to every output, as Keras 2
    does (e.g. `loss=[fn, None]` trains the first output on `y` and ignores the second).
    """
    if count > 1 and not isinstance(y_true, (list, tuple, dict)):
        return [y_true] * count
    if (
        count == 1
        and isinstance(y_true, (list, tuple))
        and len(y_true) == 1
        and hasattr(y_true[0], "shape")
    ):
        # `train_on_batch(x, [y])` for a one-output model: Keras 2 matches the one-item
        # list to the single output; kept whole it would be stacked into shape (1, batch).
        return [y_true[0]]
    return flatten(y_true) if count > 1 else [y_true]


def _batch_size(value) -> int:
    for leaf in flatten(value):
        if isinstance(leaf, torch.Tensor) and leaf.ndim:
            return int(leaf.shape[0])
    return 1


_BATCH_WEIGHTS: dict = {}


def _batch_weight(batch: int, device) -> torch.Tensor:
    """The batch size as a cached device scalar: the loss trackers' per-step weight."""
    if torch.compiler.is_compiling():
        # A constant of the graph: reading the cache would make its contents a guard, and
        # the next new batch size would then recompile every graph.
        return torch.tensor(float(batch), device=device)
    key = (batch, device)
    weight = _BATCH_WEIGHTS.get(key)
    if weight is None:
        weight = torch.tensor(float(batch), device=device)
        if values_readable(weight):  # never cache a fake tensor made while tracing a step
            _BATCH_WEIGHTS[key] = weight
    return weight


def _track(tracker, value: torch.Tensor, batch: int) -> None:
    """Adds a batch's loss to a loss tracker (a `Mean`), weighted by the batch size."""
    value = value.detach()
    if (
        value.dim() == 0
        and value.dtype == tracker.total.dtype
        and value.device == tracker.total.device
        and values_readable(value)
    ):
        tracker._tork_add_batch_mean(value, batch)  # two kernels instead of about eight
        return
    tracker.update_state(value, sample_weight=_batch_weight(batch, value.device))


def _loss_name(loss) -> str:
    if isinstance(loss, str):
        return loss
    return getattr(loss, "name", None) or getattr(loss, "__name__", type(loss).__name__)


def _match_dtype_and_rank(y, p, sw):
    """Keras 2's preparation of labels before any compiled loss or metric sees them.

    1-D labels (and sample weights) get a trailing axis when the output is 2-D, and labels
    are cast to the output's dtype when both are floating or both integer. Custom losses
    and metrics (`tf.square(y_true - y_pred)`) rely on it: without it (N,) labels against
    (N, 1) predictions broadcast to (N, N).
    """
    if not (isinstance(y, torch.Tensor) and isinstance(p, torch.Tensor)):
        return y, sw
    if y.dim() == 1 and p.dim() == 2:
        y = y.unsqueeze(-1)
        if isinstance(sw, torch.Tensor) and sw.dim() == 1:
            sw = sw.unsqueeze(-1)

    def integer(t):
        return not t.is_floating_point() and not t.is_complex() and t.dtype != torch.bool

    if (y.is_floating_point() and p.is_floating_point()) or (integer(y) and integer(p)):
        y = y.to(p.dtype)
    return y, sw


def _masked_weight(p: torch.Tensor, sw, mask) -> torch.Tensor:
    """Keras 2's `apply_mask`: the mask (cast to the output's dtype) times the sample weights.

    Per-sample weights one rank below the mask get a trailing axis ((N,) weights under a
    (N, T) mask weigh each step of their sample); a trailing size-1 axis one rank above
    is dropped.
    """
    mask = torch.as_tensor(mask, device=p.device).to(p.dtype)
    if sw is None:
        return mask
    sw = torch.as_tensor(sw, device=mask.device).to(mask.dtype)
    if sw.dim() > 0:
        if sw.dim() == mask.dim() + 1 and sw.shape[-1] == 1:
            sw = sw.squeeze(-1)
        elif mask.dim() == sw.dim() + 1:
            sw = sw.unsqueeze(-1)
    return sw * mask


class CompiledLoss:
    """The loss of a compiled model, as Keras 2's `model.compiled_loss`.

    Call it as `compiled_loss(y_true, y_pred, sample_weight=None,
    regularization_losses=None)` to get the total loss; it also updates the
    `loss` tracker that `model.metrics` reports.
    """

    def __init__(self, loss, loss_weights=None, output_names=None, log_names=None):
        from tork.keras.metrics import Mean

        self._spec = loss
        self._weights_spec = loss_weights
        self.output_names = output_names
        # output name -> the name its logs carry (Keras 2: a dict output's layer name).
        self.log_names = dict(log_names or {})
        self._built = False
        self._losses: list = []
        self._weights: list = []
        self.loss_tracker = Mean(name="loss")
        self._output_trackers: list = []

    @property
    def metrics(self) -> list:
        """The loss trackers: total first, then one per output when there are several.

        Empty until the first batch builds the container, as in Keras 2.
        """
        if not self._built:
            return []
        return [self.loss_tracker, *[t for t in self._output_trackers if t is not None]]

    def build(self, y_true, y_pred) -> None:
        from tork.keras import losses as losses_module

        self.output_names = self.output_names or _pseudo_output_names(y_pred)
        names = _names_for(self.output_names, len(flatten(y_pred)))
        outputs = _outputs_in_order(y_pred, names)
        spec = self._spec
        if isinstance(spec, dict):
            _check_dict_keys(spec, "compile(loss=...)", names)
            per_output = [spec.get(name) for name in names]
        elif isinstance(spec, (list, tuple)):
            one_output = len(outputs) == 1 and len(self.output_names or ()) <= 1
            if one_output and len(spec) > 1:
                # Keras 2 (and 3) pair losses with outputs by position: a model with one
                # output uses the first loss (and the first loss weight) only.
                spec = spec[:1]
            if len(spec) != len(outputs):
                # tf_keras pairs them by position and runs: extra losses are ignored and
                # outputs past the list's end get no loss (Keras 3 raises). Said once here.
                warn_user(
                    f"compile(loss=[...]) got {len(spec)} losses for a model with "
                    f"{len(outputs)} outputs ({names}): losses are paired with outputs by "
                    + (
                        "position and the extra ones are ignored"
                        if len(spec) > len(outputs)
                        else f"position and outputs {names[len(spec) :]} get no loss"
                    )
                    + ", as tf_keras. Give one loss per output (None for none).",
                )
            per_output = list(spec[: len(outputs)]) + [None] * (len(outputs) - len(spec))
        else:
            per_output = [spec] * len(outputs)
        weights = self._weights_spec
        if isinstance(weights, dict):
            # Checked as the loss dict: a misspelt key would leave its output at weight 1.
            _check_dict_keys(weights, "compile(loss_weights=...)", names)
            weights = [weights.get(name, 1.0) for name in names]
        elif weights is None:
            weights = [1.0] * len(outputs)
        elif not isinstance(weights, (list, tuple)):
            weights = [weights] * len(outputs)
        self._losses = [_as_loss_object(losses_module, loss) for loss in per_output]
        self._weights = [float(w) for w in weights]
        self._names = names
        several = self.output_names is not None and len(self.output_names) > 1
        if len(outputs) > 1 or several:
            from tork.keras.metrics import Mean

            # Keras 2 keeps a loss per model output whenever the model has several, also
            # when a custom train_step passes one of them (tensorflow_similarity's SimSiam
            # calls `compiled_loss(z1, p2)` and logs `projector_loss`, the first output's).
            tracked = names if len(outputs) > 1 else list(self.output_names)
            self._output_trackers = [
                Mean(name=f"{self.log_names.get(name, name)}_loss") if loss is not None else None
                for name, loss in zip(tracked, self._losses)
            ]
        self._built = True

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        if not self._built:
            self.build(y_true, y_pred)
            # Checked once: a dict key that names no output would be ignored silently.
            if _matches_names(self.output_names, y_pred):
                _check_dict_keys(y_true, "The `y` dict", self._names, _DATA_KEYS_HINT)
                _check_dict_keys(
                    sample_weight, "The `sample_weight` dict", self._names, _DATA_KEYS_HINT
                )
        # Inline check: a per-step path (a plain tensor or list skips the helper).
        preds = (
            _outputs_in_order(y_pred, self._names) if isinstance(y_pred, dict) else flatten(y_pred)
        )
        if all(loss is None for loss in self._losses):
            trues = [None] * len(preds)  # only the add_loss() losses: labels are not read
        elif isinstance(y_true, dict) and self.output_names:
            trues = [y_true.get(name) for name in self._names]
        else:
            trues = _labels_per_output(y_true, len(preds))
        if len(trues) != len(preds):
            raise ValueError(
                f"The model has {len(preds)} outputs but {len(trues)} label arrays were given; "
                "pass one y per output (a list in output order, or a dict by output name)."
            )
        if isinstance(sample_weight, dict):
            weights_in = [sample_weight.get(name) for name in self._names]
        elif isinstance(sample_weight, (list, tuple)) and len(preds) > 1:
            weights_in = list(sample_weight)
        else:
            weights_in = [sample_weight] * len(preds)
        total = logged = None
        batch = _batch_size(y_pred)
        for index, (loss, weight, y, p, sw) in enumerate(
            zip(self._losses, self._weights, trues, preds, weights_in)
        ):
            if loss is None or y is None:
                continue
            y, sw = _match_dtype_and_rank(y, p, sw)
            value = loss(y, p, sample_weight=sw)
            # A loss object with reduction="none" (TF Addons' TripletSemiHardLoss,
            # tensorflow_similarity's VicReg) gives one value per sample: Keras 2 returns
            # them unreduced (a custom train_step adds its own regularization to each), fit
            # differentiates their sum, and the loss trackers (Means) take every value,
            # weighted by the batch size: a smaller last batch counts as Keras 2 counts it.
            shown = value
            if self._output_trackers:
                tracker = self._output_trackers[index]
                if tracker is not None:
                    _track(tracker, shown, batch)
            if weight != 1.0:
                value, shown = value * weight, shown * weight
            total = value if total is None else total + value
            logged = shown if logged is None else logged + shown
        if total is None:
            # Keras 2 weights a batch's loss by its size only when a compiled loss applied:
            # the add_loss() losses alone count once per batch in the running `loss`.
            batch = 1
        if regularization_losses:
            # A loss of several values (model.add_loss(per_sample_tensor)) adds its sum to the
            # loss that is differentiated, as both Keras versions do; but Keras 2 logs the mean
            # of its values as `loss` (its loss tracker is a Mean fed the unreduced tensor).
            values = [torch.as_tensor(r) for r in regularization_losses]
            device = total.device if total is not None else values[0].device
            extra = torch.stack([r.sum() for r in values]).sum().to(device)
            if total is not None and total.dim() > 0:
                total = total.sum()  # Keras 2 fails on per-sample losses plus these (add_n)
            if all(r.dim() == 0 for r in values):
                extra_logged = extra
            else:
                extra_logged = torch.stack([r.float().mean() for r in values]).sum().to(device)
                extra_logged = extra_logged.to(extra.dtype)
            total = extra if total is None else total + extra
            logged = extra_logged if logged is None else logged + extra_logged
        if total is None:
            if self._spec is None:
                return None  # compiled without a loss, and no add_loss() losses (Keras 2)
            if (
                not regularization_losses
                and torch.is_grad_enabled()
                and all(y is None for y in trues)
                and any(loss is not None for loss in self._losses)
            ):
                # Training on x alone with a compiled loss: Keras 2's train_step says the
                # targets are missing (evaluate() gives 0.0 in both, as here).
                names = [_loss_name(loss) for loss in self._losses if loss is not None]
                raise ValueError(
                    "Target data is missing. Your model was compiled with "
                    f"loss={', '.join(names)}, and therefore expects target data to be "
                    "provided in `fit()`: pass fit(x, y), or a dataset or generator that "
                    "yields (x, y) pairs. For a model whose loss needs no labels, compile "
                    "without `loss` and use add_loss() or a custom train_step."
                )
            total = torch.zeros((), device=preds[0].device if preds else None)
            logged = total
        _track(self.loss_tracker, logged, batch)
        return total

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    reset_states = reset_state  # Keras 2 spelling


def _as_loss_object(losses_module, loss):
    """A `Loss` (with reduction and sample_weight) for a compile() loss entry."""
    if loss is None:
        return None
    resolved = losses_module.get(loss)
    if isinstance(resolved, losses_module.Loss):
        return resolved
    return losses_module.LossFunctionWrapper(resolved, name=_loss_name(loss))


class CompiledMetrics:
    """The metrics of a compiled model, as Keras 2's `model.compiled_metrics`.

    Until the first batch builds it, it stands in `model.metrics` as one metric named
    `compile_metrics` (as in Keras 3), so a custom `train_step` looping over
    `self.metrics` updates it; its `result()` is then a dict of the metrics' values.
    """

    name = "compile_metrics"

    def __init__(
        self, metrics=None, weighted_metrics=None, output_names=None, loss=None, log_names=None
    ):
        self._metrics_spec = metrics
        self._weighted_spec = weighted_metrics
        self.output_names = output_names
        # output name -> the prefix of its metrics' logs (Keras 2: a dict output's layer name).
        self.log_names = dict(log_names or {})
        self._loss = loss
        self._built = False
        # ids of the metrics of a flat list whose sparse (N, 1) labels broadcast against
        # their output's (N, C) predictions, as Keras 2 computes them (see _resolve).
        self._broadcast_labels: set = set()
        self._per_output: list = []
        self._weighted_per_output: list = []

    @property
    def metrics(self) -> list:
        """The metric objects, output by output: each output's metrics in compile order,
        then its weighted ones."""
        if not self._built:
            return []
        # Keras 2's order (`o1_auc, o1_weighted_acc, o2_auc_1, ...`): history and evaluate
        # follow it.
        result = []
        for group, weighted in zip(self._per_output, self._weighted_per_output):
            result.extend(group)
            result.extend(weighted)
        return result

    def _resolve(self, spec, y_true, y_pred, names) -> list:
        from tork.keras import metrics as metrics_module

        preds = _outputs_in_order(y_pred, names)
        flat = False
        if spec is None:
            return [[] for _ in preds]
        if isinstance(spec, dict):
            per_output = [_as_list(spec.get(name)) for name in names]
        elif (
            isinstance(spec, (list, tuple))
            and len(preds) > 1
            and len(spec) == len(preds)
            # Keras 2 broadcasts only a flat list; one nested list anywhere (e.g.
            # [m1, [m2, m3]]) makes the whole list per-output.
            and (any(isinstance(s, (list, tuple)) for s in spec) or all(s is None for s in spec))
        ):
            per_output = [_as_list(s) for s in spec]
        elif (
            isinstance(spec, (list, tuple))
            and len(preds) > 1
            and any(isinstance(s, (list, tuple)) for s in spec)
        ):
            raise ValueError(
                f"compile(): a metrics list holding lists gives one entry per output, "
                f"but it has {len(spec)} entries for the model's {len(preds)} outputs "
                f"{list(names)}. Pass one entry per output, or a flat list of metrics to "
                "apply to every output."
            )
        elif isinstance(spec, (list, tuple)) and len(preds) == 1:
            # One output: Keras 2 flattens nested lists ([["mae", "mse"]] is mae and mse).
            per_output = [_leaves(spec)]
        else:
            per_output = [_as_list(spec) for _ in preds]
            if len(preds) > 1:
                # Keras 2 gives each output its own copy of a metric object listed for all
                # of them (made from its config), so their states stay apart.
                per_output = [[_copy_metric(item) for item in items] for items in per_output]
                flat = True
        trues = self._trues(y_true, len(preds), names)
        result = []
        for index, (items, y, p) in enumerate(zip(per_output, trues, preds)):
            objects = []
            for item in items:
                loss = self._loss_for(index, names)
                metric = _make_metric(metrics_module, item, y, p, loss)
                if flat and _broadcasts_labels(metrics_module, metric, y, p):
                    self._broadcast_labels.add(id(metric))
                objects.append(metric)
            result.append(objects)
        return result

    def _loss_for(self, index, names):
        loss = self._loss
        if isinstance(loss, dict):
            return loss.get(names[index])
        if isinstance(loss, (list, tuple)):
            return loss[index] if index < len(loss) else None
        return loss

    def _trues(self, y_true, count, names):
        if isinstance(y_true, dict):
            return [y_true.get(name) for name in names]
        return _labels_per_output(y_true, count)

    def build(self, y_true, y_pred) -> None:
        self.output_names = self.output_names or _pseudo_output_names(y_pred)
        names = _names_for(self.output_names, len(flatten(y_pred)))
        self._names = names
        for spec, arg in (
            (self._metrics_spec, "metrics"),
            (self._weighted_spec, "weighted_metrics"),
        ):
            _check_dict_keys(
                spec,
                f"compile({arg}=...)",
                names,
                " Key the dict by output name, or pass a list to apply the metrics to every "
                "output.",
            )
        # Keras 2 makes the metric objects of compile's strings in the train function's
        # graph, whose name counter starts afresh: `metrics=['AUC', 'AUC']` logs `auc` and
        # `auc_1` even when the session already made an AUC, a second output's 'AUC' is
        # `o2_auc_1`, and the user's next `AUC()` is still `auc`.
        with scratch_names():
            self._per_output = self._resolve(self._metrics_spec, y_true, y_pred, names)
            self._weighted_per_output = self._resolve(self._weighted_spec, y_true, y_pred, names)
        self._check_names(names)
        self._built = True

    def _check_names(self, names) -> None:
        """Keras 2's naming rules, output by output: with several outputs a metric is
        renamed `<output>_<name>`; a weighted metric named as an unweighted one gets a
        `weighted_` prefix (`<output>_weighted_<name>`); any other repeated name is an
        error (its log would be lost)."""
        seen: set = set()
        done: set = set()
        several = len(names) > 1
        for output, group, weighted in zip(names, self._per_output, self._weighted_per_output):
            output = self.log_names.get(output, output)
            for metric in group:
                base = _base_name(metric, done)
                name = f"{output}_{base}" if several else base
                _claim(name, seen)
                _rename(metric, base, name)
            for metric in weighted:
                base = _base_name(metric, done)
                if several:
                    name = f"{output}_{base}"
                    if name in seen:
                        name = f"{output}_weighted_{base}"
                else:
                    name = f"weighted_{base}" if base in seen else base
                _claim(name, seen)
                _rename(metric, base, name)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Updates every metric with a batch of labels and predictions."""
        if not self._built:
            self.build(y_true, y_pred)
            if _matches_names(self.output_names, y_pred):
                _check_dict_keys(y_true, "The `y` dict", self._names, _DATA_KEYS_HINT)
                _check_dict_keys(
                    sample_weight, "The `sample_weight` dict", self._names, _DATA_KEYS_HINT
                )
        # Inline check: a per-step path (a plain tensor or list skips the helper).
        preds = (
            _outputs_in_order(y_pred, self._names) if isinstance(y_pred, dict) else flatten(y_pred)
        )
        trues = self._trues(y_true, len(preds), self._names)
        if isinstance(sample_weight, dict):
            weights = [sample_weight.get(name) for name in self._names]
        elif isinstance(sample_weight, (list, tuple)) and len(preds) > 1:
            weights = list(sample_weight)
        else:
            weights = [sample_weight] * len(preds)
        # Standalone metrics ignore a Keras mask on the predictions (as Keras 2): the
        # container folds it into the sample weights here, as Keras 2's MetricsContainer.
        for metrics, y, p in zip(self._per_output, trues, preds):
            if y is None:
                continue
            y, _ = _match_dtype_and_rank(y, p, None)
            # Keras 2 passes the mask itself (boolean) to unweighted metrics.
            mask = getattr(p, "_keras_mask", None)
            broadcast = self._broadcast_labels
            for metric in metrics:
                y_m = self._labels_for(metric, y, p) if broadcast else y
                if mask is not None or _requires_sample_weight(type(metric)):
                    metric.update_state(y_m, p, sample_weight=mask)
                else:
                    metric.update_state(y_m, p)
        for metrics, y, p, w in zip(self._weighted_per_output, trues, preds, weights):
            if y is None:
                continue
            y, w = _match_dtype_and_rank(y, p, w)
            mask = getattr(p, "_keras_mask", None)
            if mask is not None:
                w = _masked_weight(p, w, mask)
            broadcast = self._broadcast_labels
            for metric in metrics:
                y_m = self._labels_for(metric, y, p) if broadcast else y
                metric.update_state(y_m, p, sample_weight=w)

    def _labels_for(self, metric, y, p):
        """`y` broadcast to `p`'s shape for a metric in `_broadcast_labels`, else `y`."""
        if id(metric) in self._broadcast_labels and tuple(y.shape) != tuple(p.shape):
            return y.expand(p.shape)
        return y

    def reset_state(self) -> None:
        for metric in self.metrics:
            metric.reset_state()

    @property
    def has_specs(self) -> bool:
        """True when compile() was given any metrics."""
        return bool(self._metrics_spec) or bool(self._weighted_spec)

    def check_names(self) -> None:
        """Raises for a metric string no metric has, before any training step runs.

        The metric objects are made from the first batch (the accuracy a string means
        depends on the shapes), after the first optimizer update: Keras 2 traces the whole
        step first, so a misspelt metric fails with the weights untouched.
        """
        if self._built:
            return
        from tork.keras.metrics.serialization import _REGISTRY

        for item in _leaves(self._metrics_spec) + _leaves(self._weighted_spec):
            if isinstance(item, str) and item.lower() not in _SHAPE_DEPENDENT_NAMES:
                _REGISTRY.find(item)

    def result(self) -> dict:
        """The current value of every compiled metric, by log name."""
        return {getattr(m, "_tork_log_name", None) or m.name: m.result() for m in self.metrics}


_REQUIRES_SAMPLE_WEIGHT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _requires_sample_weight(cls) -> bool:
    """Whether `cls.update_state` takes a `sample_weight` with no default.

    Keras 2 always passes `sample_weight=` (None when unweighted), so custom metrics
    declare it without a default (tensorflow_similarity's DistanceGapMetric); others
    leave it out of their signature entirely, and get the call without it.
    """
    known = _REQUIRES_SAMPLE_WEIGHT.get(cls)
    if known is None:
        try:
            parameter = inspect.signature(cls.update_state).parameters.get("sample_weight")
        except (TypeError, ValueError):
            parameter = None
        known = parameter is not None and parameter.default is inspect.Parameter.empty
        _REQUIRES_SAMPLE_WEIGHT[cls] = known
    return known


def _pseudo_output_names(y_pred):
    """A subclassed model's output names, as Keras 2 makes them: a flat dict of outputs is
    named by its keys (sorted, tf.nest's order), so compile's and fit's dicts match them
    and the logs read `<key>_loss`; other outputs keep no names (`output_1`...)."""
    if isinstance(y_pred, dict) and y_pred:
        keys = list(y_pred)
        if all(isinstance(k, str) for k in keys) and not any(
            isinstance(v, (dict, list, tuple)) for v in y_pred.values()
        ):
            return sorted(keys)
    return None


def _names_for(output_names, count: int) -> list:
    """The output names to match dicts against: the model's, when they fit its outputs."""
    if output_names and len(output_names) == count:
        return list(output_names)
    return [f"output_{i + 1}" for i in range(count)]


def _outputs_in_order(y_pred, names) -> list:
    """The model's outputs as a list aligned with `names`.

    A dict of outputs is taken by key in the order of `names` (sorted keys, as tf.nest
    flattens it, Keras 2's order for the per-output losses and metrics), not in the dict's
    own insertion order.
    """
    if isinstance(y_pred, dict) and names and len(names) == len(y_pred):
        if all(name in y_pred for name in names):
            return [y_pred[name] for name in names]
    return flatten(y_pred)


def _matches_names(output_names, y_pred) -> bool:
    """Whether dicts of labels and weights are matched to the outputs by name (a model
    without output names, e.g. a subclassed one, takes a dict's values in order)."""
    return bool(output_names) and len(output_names) == len(flatten(y_pred))


def _check_dict_keys(value, lead: str, names, hint: str = "") -> None:
    """Raises for a dict (compile's `loss`/`metrics`, fit's `y`/`sample_weight`) with keys
    that name no model output; `lead` names the dict, `hint` ends the message."""
    if not isinstance(value, dict):
        return
    unknown = [k for k in value if k not in names]
    if unknown:
        raise ValueError(
            f"{lead} has keys {unknown} that are not output names of the model; the outputs "
            f"are {names}.{hint}"
        )


_DATA_KEYS_HINT = (
    " Key the dict by output name (a Sequential's output is named after its last layer), "
    "or pass the array itself."
)


def _copy_metric(item):
    """A new metric object like `item` (a Metric object), or `item` itself (a string or a
    function)."""
    from tork.keras.metrics.metric import Metric

    if not isinstance(item, Metric):
        return item
    try:
        return type(item).from_config(item.get_config())
    except Exception:  # a custom metric whose config does not rebuild it
        return copy.deepcopy(item)


def _base_name(metric, done: set) -> str:
    """The name `metric` had before compile renamed it: a metric object compiled again
    keeps `o1_auc`, not `o1_o1_auc` (Keras 2 prefixes it twice)."""
    if id(metric) in done:
        # One object listed twice: its two logs would be one.
        _claim(metric.name, {metric.name})
    done.add(id(metric))
    named = metric.__dict__.get("_tork_compile_name")
    if named is not None and named[1] == metric.name:
        return named[0]
    return metric.name


def _rename(metric, base: str, name: str) -> None:
    metric.name = name
    metric._tork_log_name = name
    metric._tork_compile_name = (base, name)


def _claim(name: str, seen: set) -> None:
    if name in seen:
        raise ValueError(
            f"Found two metrics with the same name: {name}. All the metrics added to the model "
            "need to have unique names: pass name=... to one of them."
        )
    seen.add(name)


# Built-in metrics whose Keras 2 value is elementwise in (y_true, y_pred) before any
# reduction, so (N, 1) labels broadcast against (N, C) predictions give the same as labels
# expanded to (N, C). (CosineSimilarity normalizes the labels first, the categorical ones
# take one-hot labels: those keep tork's shape error.)
_ELEMENTWISE_METRICS = (
    "MeanAbsoluteError",
    "MeanSquaredError",
    "RootMeanSquaredError",
    "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError",
    "LogCoshError",
    "Hinge",
    "SquaredHinge",
    "KLDivergence",
    "Poisson",
    "BinaryCrossentropy",
    "BinaryAccuracy",
)
_ELEMENTWISE_FUNCTIONS = (
    "mean_absolute_error",
    "mean_squared_error",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "logcosh",
    "hinge",
    "squared_hinge",
    "kl_divergence",
    "poisson",
    "binary_crossentropy",
    "binary_accuracy",
)


def _broadcasts_labels(metrics_module, metric, y, p) -> bool:
    """Whether a flat-list metric gets sparse `(..., 1)` labels broadcast to `(..., C)`.

    Keras 2 applies a flat `compile(metrics=['mae'])` to every output, a sparse classifier
    head included, and its elementwise metrics broadcast the labels (logging `b_mae`);
    tork's metrics raise on the shape mismatch instead, so the container expands them.
    """
    if not (isinstance(y, torch.Tensor) and isinstance(p, torch.Tensor)):
        return False
    if y.dim() != p.dim() or y.dim() < 2 or y.shape[-1] != 1 or p.shape[-1] <= 1:
        return False
    if tuple(y.shape[:-1]) != tuple(p.shape[:-1]):
        return False
    kind = type(metric)
    if any(kind is getattr(metrics_module, name, None) for name in _ELEMENTWISE_METRICS):
        return True
    fn = getattr(metric, "_fn", None)
    return kind is metrics_module.MeanMetricWrapper and any(
        fn is getattr(metrics_module, name, None) for name in _ELEMENTWISE_FUNCTIONS
    )


def _is_metric_function(metrics_module, name: str) -> bool:
    """Whether `name` is a metric function of Keras 2's module (`'mae'`), not a class."""
    found = getattr(metrics_module, name, None)
    return callable(found) and not isinstance(found, type)


def _make_metric(metrics_module, item, y_true, y_pred, loss):
    """A metric object for one compile() entry, resolving 'accuracy' and friends."""
    # Keras 2 matches these strings case-insensitively ('Accuracy', 'ACC') and logs under
    # the string as given.
    if isinstance(item, str) and item.lower() in _SHAPE_DEPENDENT_NAMES:
        y_shape = tuple(y_true.shape) if isinstance(y_true, torch.Tensor) else None
        resolve = (
            metrics_module.resolve_accuracy
            if item.lower() in ("accuracy", "acc")
            else metrics_module.resolve_crossentropy
        )
        fn = resolve(y_shape, tuple(y_pred.shape), loss=loss)
        return metrics_module.MeanMetricWrapper(fn, name=item)
    # Keras 3's rule (a metric object for 'mae'): the public `get` gives Keras 2's function.
    metric = metrics_module.serialization._get_object(item)
    if hasattr(metric, "update_state"):
        if isinstance(item, str) and item != type(metric).__name__:
            # Keras 2 logs a function's string as given ('mae'); a class named by its class
            # name ('AUC', 'KLDivergence') logs under the new object's default name
            # ('auc', 'auc_1' from compile's own counter; 'kullback_leibler_divergence').
            metric.name = item
        if isinstance(item, str) and _is_metric_function(metrics_module, item):
            # tf_keras wraps a function named by a string ('mae') in a MeanMetricWrapper:
            # saved metric state goes under that class's path (see saving/_structure.py).
            metric._tork_keras2_class_name = "MeanMetricWrapper"
        return metric
    # A function logs under its __name__; a Loss object (metrics=[keras.losses.Huber()])
    # under its name, as Keras does ("huber_loss").
    name = getattr(metric, "__name__", None) or getattr(metric, "name", None)
    if name is None:
        # A Loss subclass created without a name has `name` None, as in tf_keras.
        name = to_snake_case(type(metric).__name__) if hasattr(metric, "reduction") else "metric"
    return metrics_module.MeanMetricWrapper(metric, name=item if isinstance(item, str) else name)


__all__ = ["CompiledLoss", "CompiledMetrics", "_loss_name"]
