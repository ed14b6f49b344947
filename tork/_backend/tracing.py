"""Whether a tensor's values can be read on the host right now."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import sys
from collections.abc import Callable, Iterator

import torch
from torch._subclasses.fake_tensor import is_fake, unset_fake_temporarily

# Above zero while a step is being turned into one graph (tf.function(jit_compile=True)).
_GRAPH_CAPTURE = [0]

# Which of the two stand-in runs of a functional-API layer call is running (0 or 1; see
# tork/keras/models/functional/node.py `_run_twins`). An op whose output size depends on
# the data (non-max suppression keeps a number of boxes known only at run time) gives the
# twins different sizes, so the symbolic size is None as in Keras.
SYMBOLIC_TWIN: contextvars.ContextVar = contextvars.ContextVar("tork_symbolic_twin", default=0)


def values_readable(tensor: torch.Tensor) -> bool:
    """False while tracing (dynamo, `make_fx`, symbolic Keras tensors): no values to read.

    Host-side checks of values (an index in range, a label below the number of classes)
    run only when this is True; a traced graph cannot branch on its data, and a step
    becoming one graph must not read values on the host.
    """
    return not (_GRAPH_CAPTURE[0] or torch.compiler.is_compiling() or is_fake(tensor))


@contextlib.contextmanager
def graph_capture() -> Iterator[None]:
    """Marks code that runs to become one graph: tork's own host-side value checks skip."""
    _GRAPH_CAPTURE[0] += 1
    try:
        yield
    finally:
        _GRAPH_CAPTURE[0] -= 1


def outside_compiled_graphs(fn: Callable) -> Callable:
    """`torch.compiler.disable` that imports torch's compiler only once something uses it.

    Applying `torch.compiler.disable` when a class is defined imports `torch._dynamo`,
    about a second at every `import tork` whether or not anything is ever compiled.
    Nothing can be compiling before that module is loaded, so until then the function
    runs as is; afterwards it runs through its disabled twin (a graph break in a compiled
    caller, even one that reaches it first while being traced).
    """
    disabled: list = []

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if disabled:
            return disabled[0](*args, **kwargs)
        if "torch._dynamo" in sys.modules:
            disabled.append(torch.compiler.disable(fn))
            return disabled[0](*args, **kwargs)
        return fn(*args, **kwargs)

    return wrapper


def real_constant_cache(maxsize: int) -> Callable[[Callable], Callable]:
    """`functools.lru_cache` for helpers that build constant tensors (resize matrices).

    A functional-API call runs its ops on fake tensors; a constant first built there would
    be a fake tensor, cached and later returned to real calls, whose results would then be
    fake tensors of uninitialised memory. The builder therefore runs outside fake mode:
    the cache holds real tensors, which fake ops accept as constants.
    """

    def decorate(fn: Callable) -> Callable:
        @functools.lru_cache(maxsize=maxsize)
        @functools.wraps(fn)
        def cached(*args, **kwargs):
            if torch.compiler.is_compiling():
                # torch.compile traces the builder itself (it skips the cache and refuses
                # unset_fake_temporarily); its constants become part of the graph.
                return fn(*args, **kwargs)
            with unset_fake_temporarily():
                return fn(*args, **kwargs)

        return cached

    return decorate


@contextlib.contextmanager
def traceable_kernels():
    """A context with oneDNN (and cuDNN) disabled, leaving their other settings as they are.

    Their fused recurrent kernels cannot be traced on fake tensors (cuDNN's flattens its
    weights into one storage); without them torch's RNN ops decompose into matrix products
    and cells. Convolutions trace as the same op either way and pick their kernel at run time.
    """
    with contextlib.ExitStack() as stack:
        stack.enter_context(
            torch.backends.mkldnn.flags(
                enabled=False, deterministic=None, allow_tf32=None, fp32_precision=None
            )
        )
        if torch.cuda.is_available():
            cudnn = torch.backends.cudnn
            stack.enter_context(
                cudnn.flags(
                    enabled=False,
                    benchmark=cudnn.benchmark,
                    deterministic=cudnn.deterministic,
                    allow_tf32=cudnn.allow_tf32,
                )
            )
        yield
