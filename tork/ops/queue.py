"""`tf.queue`: thread-safe queues of tensors, as TensorFlow's eager queues.

A queue holds tuples of tensors ("components"), one dtype (and optionally one
shape) per component. `enqueue` adds one tuple, `enqueue_many` splits each
component along its first dimension, `dequeue` removes one tuple and
`dequeue_many`/`dequeue_up_to` stack several. As in TensorFlow, a dequeue on an
empty open queue (and an enqueue on a full one) waits for another thread; a
closed queue raises `tf.errors.OutOfRangeError` when it runs short and
`tf.errors.CancelledError` on enqueue.
"""

from __future__ import annotations

import heapq as _heapq
import itertools as _itertools
import random as _random
import threading as _threading

import torch

from tork._backend.errors import CancelledError as _CancelledError
from tork._backend.errors import InvalidArgumentError as _InvalidArgumentError
from tork._backend.errors import OutOfRangeError as _OutOfRangeError
from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.tensor_shape import TensorShape as _TensorShape

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]

_ids = _itertools.count()


def _to_tensor(value, dtype):
    from tork._backend.dtypes import dtype_name
    from tork.ops.array import constant

    got = getattr(value, "dtype", None)
    if hasattr(value, "shape") and got is not None and not hasattr(value, "__array_interface__"):
        # A tensor keeps its dtype, as TF's convert_to_tensor: no silent casts.
        if dtype_name(got) != dtype_name(dtype):
            raise TypeError(
                f"Tensor conversion requested dtype {dtype_name(dtype)} for Tensor with dtype "
                f"{dtype_name(got)}: cast it with tf.cast before enqueueing."
            )
        return value
    return constant(value, dtype=dtype)  # TF's TypeError for 1.5 into int32


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


class QueueBase:
    """The base class of `tf.queue` queues (`tf.queue.QueueBase`).

    Args:
        capacity: the most elements the queue holds.
        dtypes: one dtype, or a list with one dtype per component.
        shapes: None, or one shape per component (None dimensions are only
            allowed by `PaddingFIFOQueue`).
        names: None, or one name per component: elements are then dicts.
        name: the queue's name.
    """

    _kind = "FIFOQueue"
    _default_name = "fifo_queue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None, name=None):
        del shared_name  # one process: nothing to share
        self._capacity = int(capacity)
        self._dtypes = _as_list(dtypes)
        if shapes is None:
            self._shapes = [_TensorShape(None) for _ in self._dtypes]
        else:
            shapes = list(shapes)
            if shapes and not isinstance(shapes[0], (list, tuple, _TensorShape, type(None))):
                shapes = [shapes]  # one shape given for a one-component queue
            if len(shapes) != len(self._dtypes):
                raise ValueError(
                    f"Queue shapes must have the same length as dtypes: got {len(shapes)} "
                    f"shapes for {len(self._dtypes)} dtypes."
                )
            self._shapes = [_TensorShape(s) for s in shapes]
        if names is not None:
            names = _as_list(names)
            if len(names) != len(self._dtypes):
                raise ValueError(
                    f"Queue names must have the same length as dtypes: got {len(names)} "
                    f"names for {len(self._dtypes)} dtypes."
                )
        self._names = names
        self._name = name or self._default_name
        self._id = next(_ids)
        self._items: list = []
        self._closed = False
        self._lock = _threading.Condition()

    # -- properties --------------------------------------------------------------
    @property
    def dtypes(self) -> list:
        """The dtype of each component."""
        return list(self._dtypes)

    @property
    def shapes(self) -> list:
        """The shape of each component (unknown when not given)."""
        return list(self._shapes)

    @property
    def names(self):
        """The component names, or None."""
        return None if self._names is None else list(self._names)

    @property
    def name(self) -> str:
        """The queue's name."""
        return self._name

    # -- converting ----------------------------------------------------------------
    def _components(self, vals, batched: bool) -> list:
        if self._names is not None:
            if not isinstance(vals, dict) or set(vals) != set(self._names):
                raise ValueError(
                    f"Queue with names {self._names} expects a dict with exactly these keys, "
                    f"got {vals!r}."
                )
            vals = [vals[n] for n in self._names]
        elif isinstance(vals, dict):
            raise ValueError("Queue has no names: enqueue a list of tensors, not a dict.")
        else:
            vals = _as_list(vals)  # as TF: a list is always one value per component
        if len(vals) != len(self._dtypes):
            raise _InvalidArgumentError(
                f"{self._kind} '{self._name}' expects {len(self._dtypes)} components per "
                f"element, got {len(vals)}."
            )
        tensors = []
        for value, dtype, shape in zip(vals, self._dtypes, self._shapes):
            tensor = _to_tensor(value, dtype)
            got = _TensorShape(tuple(tensor.shape)[1:] if batched else tuple(tensor.shape))
            if not got.is_compatible_with(shape):
                raise ValueError(f"Shapes {got} and {shape} are incompatible")
            tensors.append(tensor)
        return tensors

    def _output(self, components: list):
        if self._names is not None:
            return dict(zip(self._names, components))
        return components[0] if len(components) == 1 else components

    # -- enqueue -----------------------------------------------------------------
    def _check_open(self) -> None:
        if self._closed:
            raise _CancelledError(f"{self._kind} '{self._name}' is closed.")

    def _put(self, element: list) -> None:
        self._items.append(element)

    def enqueue(self, vals, name=None):
        """Adds one element (a list of tensors, one per component; a dict with names).

        Waits while the queue is full; raises `tf.errors.CancelledError` once it is closed.
        """
        del name
        self._put_waiting(self._components(vals, batched=False))

    def _put_waiting(self, element) -> None:
        with self._lock:
            self._check_open()
            while len(self._items) >= self._capacity:
                self._lock.wait()
                self._check_open()
            self._put(element)
            self._lock.notify_all()

    def enqueue_many(self, vals, name=None):
        """Adds the slices of each component along its first dimension as elements."""
        del name
        components = self._components(vals, batched=True)
        counts = {int(c.shape[0]) if c.dim() else -1 for c in components}
        if len(counts) != 1 or -1 in counts:
            raise ValueError(
                "enqueue_many needs components with the same first (batch) dimension, got "
                f"shapes {[tuple(c.shape) for c in components]}."
            )
        for i in range(counts.pop()):
            self._put_waiting([c[i] for c in components])

    # -- dequeue -----------------------------------------------------------------
    def _available(self) -> int:
        return len(self._items)

    def _take(self) -> list:
        return self._items.pop(0)

    def _short(self, requested: int) -> _OutOfRangeError:
        return _OutOfRangeError(
            f"{self._kind} '{self._name}' is closed and has insufficient elements "
            f"(requested {requested}, current size {len(self._items)})"
        )

    def _take_many(self, n: int, up_to: bool) -> list:
        with self._lock:
            while self._available() < n and not self._closed:
                self._lock.wait()
            if self._available() < n and (not up_to or not self._items):
                raise self._short(n)
            taken = [self._take() for _ in range(min(n, len(self._items)))]
            self._lock.notify_all()
        return taken

    def dequeue(self, name=None):
        """Removes and returns one element (a tensor for a one-component queue)."""
        del name
        return self._output(self._take_many(1, up_to=False)[0])

    def _check_shapes(self, method: str) -> None:
        for shape in self._shapes:
            if not shape.is_fully_defined():
                raise _InvalidArgumentError(
                    f"{self._kind}'s DequeueMany and DequeueUpTo require the components to "
                    f"have specified shapes (got {shape} in {method}). Give `shapes=` when "
                    "creating the queue."
                )

    def _stack(self, elements: list) -> list:
        from tork.ops.array import stack

        return [stack([e[i] for e in elements]) for i in range(len(self._dtypes))]

    def dequeue_many(self, n, name=None):
        """Removes `n` elements and returns each component stacked along a new first axis."""
        del name
        self._check_shapes("dequeue_many")  # before waiting, as TF
        return self._output(self._stack(self._take_many(int(n), up_to=False)))

    def dequeue_up_to(self, n, name=None):
        """As `dequeue_many`, but a closed queue returns the fewer elements it has left."""
        del name
        self._check_shapes("dequeue_up_to")
        return self._output(self._stack(self._take_many(int(n), up_to=True)))

    # -- state -------------------------------------------------------------------
    def size(self, name=None):
        """The number of elements in the queue (an int32 tensor)."""
        del name
        with self._lock:
            return torch.tensor(len(self._items), dtype=torch.int32)

    def close(self, cancel_pending_enqueues=False, name=None):
        """Closes the queue: enqueues then fail, dequeues drain what is left."""
        del cancel_pending_enqueues, name
        with self._lock:
            self._closed = True
            self._lock.notify_all()

    def is_closed(self, name=None):
        """Whether the queue is closed (a bool tensor)."""
        del name
        return torch.tensor(self._closed)

    def __repr__(self) -> str:
        return f"<tf.queue.{self._kind} '{self._name}' dtypes={self._dtypes}>"


class FIFOQueue(QueueBase):
    """A queue that dequeues elements in first-in first-out order (`tf.queue.FIFOQueue`).

    Example:

    >>> q = tf.queue.FIFOQueue(3, [tf.int32, tf.string], shapes=[(), ()])
    >>> q.enqueue([10, b"windy"])
    >>> q.enqueue_many([[13, 16], [b"cloudy", b"rainy"]])
    >>> int(q.size())
    3
    >>> q.dequeue_many(2)[1]
    <tf.Tensor: shape=(2,), dtype=string, numpy=array([b'windy', b'cloudy'], dtype=object)>
    """


class PaddingFIFOQueue(QueueBase):
    """A FIFO queue whose `dequeue_many` pads variable-size components with zeros.

    `shapes` is required; a None dimension may vary between elements and is
    padded to the longest one when several elements are dequeued together.
    """

    _kind = "PaddingFIFOQueue"
    _default_name = "padding_fifo_queue"

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None, name=None):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)

    def _check_shapes(self, method: str) -> None:
        for shape in self._shapes:
            if shape.rank is None:
                raise _InvalidArgumentError(
                    f"PaddingFIFOQueue's {method} needs the rank of every component: give "
                    "`shapes=` with None for the dimensions that vary."
                )

    def _stack(self, elements: list) -> list:
        from tork.ops.array import stack

        result = []
        for i in range(len(self._dtypes)):
            parts = [e[i] for e in elements]
            if not isinstance(parts[0], torch.Tensor) or not parts[0].dim():
                result.append(stack(parts))  # scalars, and strings (equal shapes only)
                continue
            size = [max(int(p.shape[d]) for p in parts) for d in range(parts[0].dim())]
            out = parts[0].new_zeros([len(parts)] + size)
            for j, p in enumerate(parts):
                out[(j,) + tuple(slice(0, s) for s in p.shape)] = p
            result.append(out)
        return result


class RandomShuffleQueue(QueueBase):
    """A queue that dequeues elements in a random order (`tf.queue.RandomShuffleQueue`).

    While open, a dequeue waits until more than `min_after_dequeue` elements are
    left, so that each pick mixes enough elements.
    """

    _kind = "RandomShuffleQueue"
    _default_name = "random_shuffle_queue"

    def __init__(
        self,
        capacity,
        min_after_dequeue,
        dtypes,
        shapes=None,
        names=None,
        seed=None,
        shared_name=None,
        name=None,
    ):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)
        self._min_after_dequeue = int(min_after_dequeue)
        self._random = _random.Random(seed)

    def _available(self) -> int:
        if self._closed:
            return len(self._items)
        return max(0, len(self._items) - self._min_after_dequeue)

    def _take(self) -> list:
        return self._items.pop(self._random.randrange(len(self._items)))


class PriorityQueue(QueueBase):
    """A queue that dequeues the element with the smallest priority first.

    Each element starts with an int64 priority: `enqueue([priority, *components])`,
    and dequeues return it as the first component. `types` and `shapes` describe
    the other components.
    """

    _kind = "PriorityQueue"
    _default_name = "priority_queue"

    def __init__(self, capacity, types, shapes, names=None, shared_name=None, name=None):
        types = [torch.int64] + _as_list(types)
        shapes = [()] + list(shapes)
        if names is not None:
            names = ["priority"] + _as_list(names) if len(_as_list(names)) < len(types) else names
        super().__init__(capacity, types, shapes, names, shared_name, name)
        self._order = _itertools.count()

    def _put(self, element: list) -> None:
        # The counter keeps equal priorities in insertion order and never compares tensors.
        _heapq.heappush(self._items, (int(element[0]), next(self._order), element))

    def _take(self) -> list:
        return _heapq.heappop(self._items)[2]


__getattr__ = _module_getattr("tf.queue")
