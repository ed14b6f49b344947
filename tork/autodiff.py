"""`tf.autodiff`: `ForwardAccumulator` (forward-mode autodiff) and `GradientTape`.

`ForwardAccumulator` is built on torch's forward-mode AD (`torch.autograd.forward_ad`):
while it records, each primal carries its tangent (a "dual" tensor in torch's words)
and every op computes the tangent of its result along with the value. The primals are
the user's own tensors and variables, so they are made dual in place (the value and
autograd's bookkeeping are left as they were).

torch drops all tangents when its dual level closes, but `acc.jvp(y)` is usually
called after the `with` block. So while recording, a `TorchFunctionMode` notes each
op's outputs (weakly); at the end of the block their tangents are kept, and the level
is closed (so ops after the block, and `torch.func.jvp`, run as usual).

Differences from TensorFlow: accumulators cannot be nested (torch has one forward-mode
level), and tangent shapes are checked when the accumulator is created.
"""

from __future__ import annotations

import warnings
import weakref

import torch
import torch.autograd.forward_ad as _forward_ad
from torch.overrides import TorchFunctionMode

from tork import tape as _tape
from tork.tape import GradientTape, UnconnectedGradients, _flatten, _pack, _wants_zeros

__all__ = ["ForwardAccumulator", "GradientTape"]

# The accumulator recording now (at most one: torch has a single dual level).
_open_ref = None


def _accumulating() -> bool:
    """Whether a ForwardAccumulator records now: fused kernels without forward-mode rules
    (torch's RNN and attention kernels) must then give way to plain ops."""
    return _open_ref is not None and _open_ref() is not None


def _as_tensor(value) -> torch.Tensor:
    if isinstance(value, torch.Tensor):
        return value
    from tork._backend.tensor import convert_to_tensor

    return convert_to_tensor(value)


def _repeated(primal):
    raise ValueError(
        f"Tensor {primal!r:.60} was specified as a primal multiple times. This may indicate "
        "an error. If it was intended, please sum the corresponding tangents."
    )


class _OutputRecorder(TorchFunctionMode):
    """Notes (weakly) the tensors that ops return while an accumulator records."""

    def __init__(self):
        super().__init__()
        self.outputs: list = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        self.note(out)
        return out

    def note(self, out) -> None:
        if isinstance(out, torch.Tensor):
            self.outputs.append(weakref.ref(out))
        elif isinstance(out, (tuple, list)):
            for item in out:
                if isinstance(item, torch.Tensor):
                    self.outputs.append(weakref.ref(item))


class ForwardAccumulator:
    """Computes Jacobian-vector products ("JVP"s) using forward-mode autodiff.

    Each primal gets a tangent (the "vector"); operations run inside the `with`
    block compute the tangent of their results along with their values, and
    `jvp(y)` returns the tangent of `y`: the directional derivative of `y` along
    the tangents. Forward mode suits functions with few inputs and many outputs,
    and keeps no intermediate activations. Nested inside a `tf.GradientTape`
    (or around one) it gives Hessian-vector products.

    Args:
        primals: a tensor or variable, or a nest (list/tuple/dict) of them.
        tangents: tensors of the same structure and shapes as `primals`.

    Raises:
        ValueError: if `primals` and `tangents` differ in structure or shape.

    Example:
    >>> v = tf.Variable([1.0, 2.0])
    >>> with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
    ...     with tf.GradientTape() as tape:
    ...         y = tf.reduce_sum(v**3.0)
    ...     backward = tape.gradient(y, v)
    >>> backward.numpy()  # gradient from backprop
    array([ 3., 12.], dtype=float32)
    >>> acc.jvp(backward).numpy()  # forward-over-backward Hessian-vector product
    array([6., 0.], dtype=float32)
    """

    def __init__(self, primals, tangents):
        self._level = None
        self._recorder = None
        # (primal, tangent) pairs to make dual when recording begins.
        self._pending: list = []
        self._watched: dict = {}  # id(primal) -> primal, while recording
        # id(tensor) -> (weakref to tensor, its tangent): results kept after the block.
        self._jvps: dict = {}
        self._add(primals, tangents)

    # -- context ----------------------------------------------------------------------
    def __enter__(self) -> ForwardAccumulator:
        global _open_ref
        if self._level is not None:
            raise ValueError("This ForwardAccumulator is already recording.")
        if _open_ref is not None and _open_ref() is not None:
            raise NotImplementedError(
                "Nested tf.autodiff.ForwardAccumulator is not supported: torch has a single "
                "forward-mode level. For second derivatives, nest a tf.GradientTape inside "
                "the accumulator (forward-over-backward) or the accumulator inside a tape "
                "(backward-over-forward)."
            )
        self._level = _forward_ad.enter_dual_level()
        _open_ref = weakref.ref(self)
        self._jvps.clear()
        try:
            pending, self._pending = self._pending, []
            for primal, tangent in pending:
                self._make_dual(primal, tangent)
        except BaseException:
            self._close()
            raise
        self._recorder = _OutputRecorder()
        self._recorder.__enter__()
        _tape._result_observers.append(self._recorder.note)
        return self

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        self._close()

    def _close(self) -> None:
        """Keeps the tangents of the recorded results, then closes torch's dual level."""
        global _open_ref
        recorder, self._recorder = self._recorder, None
        if recorder is not None:
            recorder.__exit__(None, None, None)
            _tape._result_observers.remove(recorder.note)
            refs = recorder.outputs
        else:
            refs = []
        refs = refs + [weakref.ref(p) for p in self._watched.values()]
        level = self._level
        for ref in refs:
            value = ref()
            if value is None or id(value) in self._jvps:
                continue
            tangent = _forward_ad.unpack_dual(value, level=level).tangent
            if tangent is not None:
                self._jvps[id(value)] = (ref, tangent)
        self._watched.clear()
        self._level = None
        _open_ref = None
        _forward_ad.exit_dual_level(level=level)

    # -- watching ---------------------------------------------------------------------
    def _watch(self, primals, tangents) -> None:
        # TensorFlow's accumulator has this private method too (no public `watch`).
        self._add(primals, tangents)
        if self._level is not None:
            pending, self._pending = self._pending, []
            for primal, tangent in pending:
                self._make_dual(primal, tangent)

    def _add(self, primals, tangents) -> None:
        if isinstance(primals, torch.Tensor):
            pairs = [(primals, tangents)]
        else:
            flat_p = _flatten(primals)
            flat_t = _flatten(tangents)
            ids: set = set()
            for primal in flat_p:
                if id(primal) in ids:
                    _repeated(primal)
                ids.add(id(primal))
            if len(flat_p) != len(flat_t):
                raise ValueError(
                    "The two structures don't have the same nested structure: got "
                    f"{len(flat_p)} primals and {len(flat_t)} tangents."
                )
            pairs = list(zip(flat_p, flat_t))
        seen = {id(p) for p, _ in self._pending} | set(self._watched)
        for primal, tangent in pairs:
            if id(primal) in seen:
                _repeated(primal)
            seen.add(id(primal))
            if not isinstance(primal, torch.Tensor):
                raise ValueError(
                    f"ForwardAccumulator primals must be tensors or variables, got "
                    f"{type(primal).__name__} ({primal!r:.60})."
                )
            tangent = _as_tensor(tangent)
            if tuple(tangent.shape) != tuple(primal.shape):
                raise ValueError(
                    f"Tangent {tuple(tangent.shape)} shape does not match the primal's "
                    f"shape {tuple(primal.shape)}."
                )
            if not (primal.is_floating_point() or primal.is_complex()):
                continue  # integer values have no tangent (TF ignores them too)
            tangent = tangent.to(dtype=primal.dtype, device=primal.device)
            self._pending.append((primal, tangent))

    def _make_dual(self, primal: torch.Tensor, tangent: torch.Tensor) -> None:
        # An in-place copy of a dual tensor gives `primal` the tangent. The values are
        # equal, so the copy is hidden from autograd's in-place check: graphs that saved
        # `primal` (an enclosing GradientTape) stay valid.
        version = primal._version
        with torch.no_grad(), warnings.catch_warnings():
            # The first make_dual loads torch's jvp decompositions with torch.jit.script,
            # which warns that it is deprecated: torch's own business, not the user's.
            warnings.filterwarnings("ignore", "`torch.jit.script` is deprecated")
            primal.copy_(_forward_ad.make_dual(primal.detach().clone(), tangent))
        torch._C._autograd._unsafe_set_version_counter((primal,), (version,))
        self._watched[id(primal)] = primal

    # -- results ----------------------------------------------------------------------
    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The Jacobian-vector product of `primals` computed while recording.

        Performs no computation: the JVP was computed along with each value.

        Args:
            primals: a tensor, or a nest of tensors, computed inside the `with`
                block (or a watched primal, whose JVP is its tangent).
            unconnected_gradients: `'none'` gives `None` for a tensor that does not
                depend on the watched primals; `'zero'` gives zeros of its shape.

        Returns:
            Tensors (or `None`) in the structure of `primals`.

        Example:
        >>> x = tf.constant(3.0)
        >>> with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
        ...     y = x * x
        >>> acc.jvp(y).numpy()
        np.float32(6.0)
        """
        zeros = _wants_zeros(unconnected_gradients)

        def one(value):
            if value is None:
                return None
            value = _as_tensor(value)
            tangent = None
            if self._level is not None:  # still recording: read it from torch
                tangent = _forward_ad.unpack_dual(value, level=self._level).tangent
            else:
                entry = self._jvps.get(id(value))
                if entry is not None and entry[0]() is value:
                    tangent = entry[1]
            if tangent is None and zeros:
                return torch.zeros_like(value)
            return tangent

        if isinstance(primals, torch.Tensor):
            return one(primals)
        return _pack(primals, iter([one(p) for p in _flatten(primals)]))
