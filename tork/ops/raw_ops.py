"""`tf.raw_ops`: TensorFlow's training kernels and resource-variable ops.

Keras 2's optimizers, TF Addons' (NovoGrad, ProximalAdagrad, LazyAdam) and user OptimizerV2
subclasses copied from them update their variables through these kernels:

    tf.raw_ops.ResourceApplyKerasMomentum(
        var=var.handle, accum=m.handle, lr=lr, grad=grad, momentum=0.9,
        use_locking=True, use_nesterov=False)

A tork variable is its own `handle`. Each op updates the variable and its slots in place
with TensorFlow's documented formula and returns None (as TF's ops do eagerly). The
`ResourceSparseApply*` ops update only the rows `indices`; a repeated index is applied once
per occurrence, in order, as TensorFlow's kernels do. Ops tork lacks raise
NotImplementedError naming the op. As in TensorFlow, raw ops take keyword arguments only.
"""

from __future__ import annotations

import inspect

import torch

from tork._backend.errors import TorkNotImplementedError

# The ops here, in TF's argument order (the lowercase wrappers of
# `tensorflow.python.training.training_ops` take them positionally in this order).
_OPS: dict = {}


def _register(name: str, arguments: str):
    def decorate(rule):
        names = arguments.split()
        _OPS[name] = (rule, names)
        return rule

    return decorate


def _target(handle, op: str, argument: str) -> torch.Tensor:
    if not isinstance(handle, torch.Tensor):
        raise TypeError(
            f"tf.raw_ops.{op}: `{argument}` must be a variable's handle (`var.handle`, or "
            f"the tf.Variable itself), got {type(handle).__name__}."
        )
    return handle


def _as(value, like: torch.Tensor) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value.detach().to(device=like.device, dtype=like.dtype)
    return torch.as_tensor(value, dtype=like.dtype, device=like.device)


def _write(target: torch.Tensor, value: torch.Tensor) -> None:
    if hasattr(target, "assign"):
        # tf.Variable: through `assign`, which keeps tork's saved-value bookkeeping.
        target.assign(value)
    else:
        with torch.no_grad():
            target.copy_(value)


def _write_rows(target: torch.Tensor, indices: torch.Tensor, rows: torch.Tensor) -> None:
    if hasattr(target, "scatter_update"):
        from tork._backend.indexed_slices import IndexedSlices

        target.scatter_update(IndexedSlices(rows, indices))
    else:
        with torch.no_grad():
            target[indices] = rows


def _apply(op: str, kwargs: dict, tensors: list[str], sparse: bool) -> None:
    """Runs the rule of `op` on the variable and slot handles `tensors` of `kwargs`."""
    rule, _ = _OPS[op]
    targets = [_target(kwargs[name], op, name) for name in tensors]
    var = targets[0]
    grad = _as(kwargs["grad" if "grad" in kwargs else "delta"], var)
    extras = {
        k: v
        for k, v in kwargs.items()
        if k not in tensors and k not in ("grad", "delta", "indices", "name", "use_locking")
    }
    scalars = {k: (v if isinstance(v, bool) else _as(v, var)) for k, v in extras.items()}
    with torch.no_grad():
        if not sparse:
            if grad.shape != var.shape:
                raise ValueError(
                    f"tf.raw_ops.{op}: `grad` has shape {tuple(grad.shape)} but the variable "
                    f"has shape {tuple(var.shape)}; they must match."
                )
            news = rule(*[t.detach().clone() for t in targets], grad, **scalars)
            for target, new in zip(targets, news):
                _write(target, new)
            return
        indices = torch.as_tensor(kwargs["indices"], device=var.device).long().reshape(-1)
        if grad.shape[:1] != indices.shape or grad.shape[1:] != var.shape[1:]:
            raise ValueError(
                f"tf.raw_ops.{op}: `grad` of shape {tuple(grad.shape)} must hold one row of "
                f"the variable's shape {tuple(var.shape)[1:]} per index "
                f"({indices.numel()} indices)."
            )
        if indices.unique().numel() == indices.numel():
            groups = [torch.arange(indices.numel(), device=var.device)]
        else:
            # TensorFlow's kernels apply a repeated index once per occurrence, in order.
            groups = [torch.tensor([i], device=var.device) for i in range(indices.numel())]
        for group in groups:
            rows = indices[group]
            news = rule(*[t.detach()[rows].clone() for t in targets], grad[group], **scalars)
            for target, new in zip(targets, news):
                _write_rows(target, rows, new)


def _make(op: str, sparse: bool):
    rule, names = _OPS[op]
    tensors = [n for n in names if n in _HANDLES]

    def raw_op(*args, **kwargs):
        if args:
            raise TypeError(
                f"tf.raw_ops.{op} only takes keyword args (possible keys: {names + ['name']}). "
                "Please pass these args as kwargs instead."
            )
        missing = [n for n in names if n not in kwargs and n not in _DEFAULTS]
        if missing:
            raise TypeError(f"tf.raw_ops.{op} missing required arguments: {missing}.")
        unknown = [k for k in kwargs if k not in names and k != "name"]
        if unknown:
            raise TypeError(
                f"tf.raw_ops.{op} got unexpected arguments {unknown}; it takes {names}."
            )
        full = {n: kwargs.get(n, _DEFAULTS.get(n)) for n in names}
        _apply(op, full, tensors, sparse)

    raw_op.__name__ = raw_op.__qualname__ = op
    raw_op.__doc__ = (
        f"TensorFlow's `{op}` kernel: updates the variable and slot handles {tensors} in "
        f"place{' at the rows `indices`' if sparse else ''}; returns None."
    )
    raw_op.__signature__ = inspect.Signature(
        [
            inspect.Parameter(
                n, inspect.Parameter.KEYWORD_ONLY, default=_DEFAULTS.get(n, inspect.Parameter.empty)
            )
            for n in names + ["name"]
        ]
    )
    return raw_op


# Arguments that name a variable or slot (updated in place), and the optional ones.
_HANDLES = frozenset("var accum accum_update m v vhat ms mom mg linear".split())
_DEFAULTS = {
    "use_locking": False,
    "use_nesterov": False,
    "update_slots": True,
    "multiply_linear_by_lr": False,
    "name": None,
}


def _shrink(prox, lr_l1, lr_l2):
    # The proximal step of TF's Proximal* kernels: soft-threshold by lr*l1, scale by l2.
    return torch.sign(prox) * torch.clamp(prox.abs() - lr_l1, min=0) / (1 + lr_l2)


@_register("GradientDescent", "var alpha delta use_locking")
def _gradient_descent(var, grad, alpha, **_):
    return (var - alpha * grad,)


@_register("ProximalGradientDescent", "var alpha l1 l2 delta use_locking")
def _proximal_gradient_descent(var, grad, alpha, l1, l2, **_):
    return (_shrink(var - alpha * grad, alpha * l1, alpha * l2),)


@_register("Momentum", "var accum lr grad momentum use_locking use_nesterov")
def _momentum(var, accum, grad, lr, momentum, use_nesterov, **_):
    accum = accum * momentum + grad
    if use_nesterov:
        return var - (grad * lr + accum * momentum * lr), accum
    return var - lr * accum, accum


@_register("KerasMomentum", "var accum lr grad momentum use_locking use_nesterov")
def _keras_momentum(var, accum, grad, lr, momentum, use_nesterov, **_):
    accum = accum * momentum - lr * grad
    if use_nesterov:
        return var + accum * momentum - lr * grad, accum
    return var + accum, accum


@_register("Adagrad", "var accum lr grad use_locking update_slots")
def _adagrad(var, accum, grad, lr, update_slots, **_):
    if update_slots:
        accum = accum + grad * grad
    return var - lr * grad / accum.sqrt(), accum


@_register("AdagradV2", "var accum lr epsilon grad use_locking update_slots")
def _adagrad_v2(var, accum, grad, lr, epsilon, update_slots, **_):
    if update_slots:
        accum = accum + grad * grad
    return var - lr * grad / (accum.sqrt() + epsilon), accum


@_register("ProximalAdagrad", "var accum lr l1 l2 grad use_locking")
def _proximal_adagrad(var, accum, grad, lr, l1, l2, **_):
    accum = accum + grad * grad
    step = lr / accum.sqrt()
    return _shrink(var - step * grad, step * l1, step * l2), accum


@_register("Adadelta", "var accum accum_update lr rho epsilon grad use_locking")
def _adadelta(var, accum, accum_update, grad, lr, rho, epsilon, **_):
    accum = rho * accum + (1 - rho) * grad * grad
    update = (accum_update + epsilon).sqrt() / (accum + epsilon).sqrt() * grad
    accum_update = rho * accum_update + (1 - rho) * update * update
    return var - lr * update, accum, accum_update


@_register("RMSProp", "var ms mom lr rho momentum epsilon grad use_locking")
def _rmsprop(var, ms, mom, grad, lr, rho, momentum, epsilon, **_):
    ms = rho * ms + (1 - rho) * grad * grad
    mom = momentum * mom + lr * grad / (ms + epsilon).sqrt()
    return var - mom, ms, mom


@_register("CenteredRMSProp", "var mg ms mom lr rho momentum epsilon grad use_locking")
def _centered_rmsprop(var, mg, ms, mom, grad, lr, rho, momentum, epsilon, **_):
    mg = rho * mg + (1 - rho) * grad
    ms = rho * ms + (1 - rho) * grad * grad
    mom = momentum * mom + lr * grad / (ms - mg * mg + epsilon).sqrt()
    return var - mom, mg, ms, mom


@_register(
    "Adam",
    "var m v beta1_power beta2_power lr beta1 beta2 epsilon grad use_locking use_nesterov",
)
def _adam(var, m, v, grad, beta1_power, beta2_power, lr, beta1, beta2, epsilon, use_nesterov, **_):
    step = lr * (1 - beta2_power).sqrt() / (1 - beta1_power)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    direction = m * beta1 + (1 - beta1) * grad if use_nesterov else m
    return var - step * direction / (v.sqrt() + epsilon), m, v


@_register(
    "AdamWithAmsgrad",
    "var m v vhat beta1_power beta2_power lr beta1 beta2 epsilon grad use_locking",
)
def _adam_amsgrad(var, m, v, vhat, grad, beta1_power, beta2_power, lr, beta1, beta2, epsilon, **_):
    step = lr * (1 - beta2_power).sqrt() / (1 - beta1_power)
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    vhat = torch.maximum(vhat, v)
    return var - step * m / (vhat.sqrt() + epsilon), m, v, vhat


@_register("AdaMax", "var m v beta1_power lr beta1 beta2 epsilon grad use_locking")
def _adamax(var, m, v, grad, beta1_power, lr, beta1, beta2, epsilon, **_):
    m = beta1 * m + (1 - beta1) * grad
    v = torch.maximum(beta2 * v, grad.abs())
    return var - lr / (1 - beta1_power) * m / (v + epsilon), m, v


def _ftrl(var, accum, linear, grad, shrunk, lr, l1, l2, lr_power, by_lr):
    # `shrunk`: the gradient with FtrlV2's l2 shrinkage; the accumulator takes `grad`.
    new_accum = accum + grad * grad
    sigma = new_accum.pow(-lr_power) - accum.pow(-lr_power)
    if by_lr:
        linear = linear + shrunk * lr - sigma * var
        quadratic = new_accum.pow(-lr_power) + 2 * l2 * lr
        threshold = l1 * lr
    else:
        linear = linear + shrunk - sigma / lr * var
        quadratic = new_accum.pow(-lr_power) / lr + 2 * l2
        threshold = l1
    var = torch.where(
        linear.abs() > threshold, (torch.sign(linear) * threshold - linear) / quadratic, 0
    )
    return var, new_accum, linear


@_register("Ftrl", "var accum linear grad lr l1 l2 lr_power use_locking multiply_linear_by_lr")
def _ftrl_v1(var, accum, linear, grad, lr, l1, l2, lr_power, multiply_linear_by_lr, **_):
    return _ftrl(var, accum, linear, grad, grad, lr, l1, l2, lr_power, multiply_linear_by_lr)


@_register(
    "FtrlV2",
    "var accum linear grad lr l1 l2 l2_shrinkage lr_power use_locking multiply_linear_by_lr",
)
def _ftrl_v2(
    var, accum, linear, grad, lr, l1, l2, l2_shrinkage, lr_power, multiply_linear_by_lr, **_
):
    shrunk = grad + 2 * l2_shrinkage * var
    return _ftrl(var, accum, linear, grad, shrunk, lr, l1, l2, lr_power, multiply_linear_by_lr)


@_register("PowerSign", "var m lr logbase sign_decay beta grad use_locking")
def _power_sign(var, m, grad, lr, logbase, sign_decay, beta, **_):
    m = beta * m + (1 - beta) * grad
    update = torch.exp(logbase * sign_decay * torch.sign(grad) * torch.sign(m)) * grad
    return var - lr * update, m


@_register("AddSign", "var m lr alpha sign_decay beta grad use_locking")
def _add_sign(var, m, grad, lr, alpha, sign_decay, beta, **_):
    m = beta * m + (1 - beta) * grad
    update = (alpha + sign_decay * torch.sign(grad) * torch.sign(m)) * grad
    return var - lr * update, m


# TensorFlow's sparse kernels: the dense ones' argument lists with `indices` after `grad`.
_SPARSE = (
    "ProximalGradientDescent",
    "Momentum",
    "KerasMomentum",
    "Adagrad",
    "AdagradV2",
    "ProximalAdagrad",
    "Adadelta",
    "RMSProp",
    "CenteredRMSProp",
    "Ftrl",
    "FtrlV2",
)


def _sparse_names(names: list[str]) -> list[str]:
    grad = names.index("grad" if "grad" in names else "delta")
    names = ["grad" if n == "delta" else n for n in names]
    return names[: grad + 1] + ["indices"] + names[grad + 1 :]


for _op in list(_OPS):
    _rule, _names = _OPS[_op]
    _OPS["ResourceApply" + _op] = (_rule, _names)
    globals()["ResourceApply" + _op] = _make("ResourceApply" + _op, sparse=False)
    if _op in _SPARSE:
        _OPS["ResourceSparseApply" + _op] = (_rule, _sparse_names(_names))
        globals()["ResourceSparseApply" + _op] = _make("ResourceSparseApply" + _op, sparse=True)
del _op, _rule, _names


# Resource-variable ops: `resource` is the variable.
def _keyword_only(function):
    def wrapper(*args, **kwargs):
        if args:
            raise TypeError(
                f"tf.raw_ops.{function.__name__} only takes keyword args (possible keys: "
                f"{list(inspect.signature(function).parameters)}). Please pass these args as "
                "kwargs instead."
            )
        return function(**kwargs)

    wrapper.__name__ = wrapper.__qualname__ = function.__name__
    wrapper.__doc__ = function.__doc__
    wrapper.__signature__ = inspect.signature(function)
    return wrapper


def _scatter(op: str, how: str):
    def scatter(resource, indices, updates, name=None) -> None:
        from tork._backend.indexed_slices import IndexedSlices

        variable = _target(resource, op, "resource")
        indices = torch.as_tensor(indices, device=variable.device).long()
        updates = _as(updates, variable)
        if updates.dim() < indices.dim() + variable.dim() - 1:
            # A scalar or short update broadcasts to the indexed rows, as in TensorFlow.
            updates = updates.expand(tuple(indices.shape) + tuple(variable.shape[1:]))
        getattr(variable, f"scatter_{how}")(IndexedSlices(updates, indices))

    scatter.__name__ = op
    scatter.__doc__ = f"TensorFlow's `{op}`: `resource.scatter_{how}` at `indices`; returns None."
    return _keyword_only(scatter)


ResourceScatterAdd = _scatter("ResourceScatterAdd", "add")
ResourceScatterSub = _scatter("ResourceScatterSub", "sub")
ResourceScatterMul = _scatter("ResourceScatterMul", "mul")
ResourceScatterDiv = _scatter("ResourceScatterDiv", "div")
ResourceScatterMax = _scatter("ResourceScatterMax", "max")
ResourceScatterMin = _scatter("ResourceScatterMin", "min")
ResourceScatterUpdate = _scatter("ResourceScatterUpdate", "update")


@_keyword_only
def AssignVariableOp(resource, value, validate_shape=False, name=None) -> None:  # noqa: N802
    """TensorFlow's `AssignVariableOp`: `resource.assign(value)`; returns None."""
    _target(resource, "AssignVariableOp", "resource").assign(value)


@_keyword_only
def AssignAddVariableOp(resource, value, name=None) -> None:  # noqa: N802
    """TensorFlow's `AssignAddVariableOp`: `resource.assign_add(value)`; returns None."""
    _target(resource, "AssignAddVariableOp", "resource").assign_add(value)


@_keyword_only
def AssignSubVariableOp(resource, value, name=None) -> None:  # noqa: N802
    """TensorFlow's `AssignSubVariableOp`: `resource.assign_sub(value)`; returns None."""
    _target(resource, "AssignSubVariableOp", "resource").assign_sub(value)


@_keyword_only
def ReadVariableOp(resource, dtype=None, name=None) -> torch.Tensor:  # noqa: N802
    """TensorFlow's `ReadVariableOp`: a copy of the variable's value."""
    return _target(resource, "ReadVariableOp", "resource").detach().clone()


@_keyword_only
def ResourceGather(  # noqa: N802
    resource, indices, dtype=None, batch_dims=0, validate_indices=True, name=None
) -> torch.Tensor:
    """TensorFlow's `ResourceGather`: the rows `indices` of the variable."""
    from tork.ops.array import gather

    return gather(_target(resource, "ResourceGather", "resource"), indices, batch_dims=batch_dims)


_ALTERNATIVES = {
    "Apply": "the tf.keras optimizer of the same name, or the update written with tf ops and "
    "`var.assign(...)`",
    "Sparse": "`var.scatter_update(tf.IndexedSlices(rows, indices))` on the rows computed with "
    "tf ops",
}


def __getattr__(name: str):
    if name.startswith("__"):
        raise AttributeError(name)
    if "Apply" in name:
        hint = _ALTERNATIVES["Sparse" if "Sparse" in name else "Apply"]
    else:
        hint = "the public tf function that wraps it (tf.math, tf.nn, tf.linalg, ...)"
    raise TorkNotImplementedError(
        f"tork does not implement `tf.raw_ops.{name}`: tork has only the training kernels "
        "(ResourceApply*/ResourceSparseApply*) and the resource-variable ops. Use " + hint + "."
    )


__all__ = sorted(
    n for n, v in globals().items() if n[0].isupper() and callable(v) and n[-5:] != "Error"
)


def __dir__() -> list[str]:
    return __all__
