"""`tf.compat.v1.Session` and `InteractiveSession`: built by GPU recipes, never run.

TensorFlow 2 scripts still open with TensorFlow 1's GPU memory recipe::

    config = ConfigProto()
    config.gpu_options.allow_growth = True
    session = InteractiveSession(config=config)

In TensorFlow 2 these lines only build a session object that nothing uses, and the
rest of the script runs eagerly. tork builds the same inert object so such scripts run
as written (PyTorch's caching allocator already grows on demand). Running a graph
(`session.run(...)`) has no tork equivalent and raises, saying what to write instead.
"""

from __future__ import annotations

import contextlib


class _NoGraphError(NotImplementedError, AttributeError):
    """A graph-mode member of a session: NotImplementedError, and AttributeError so that
    `hasattr(sess, "graph")` and `getattr(sess, name, None)` answer instead of raising."""


def _no_graph_error(owner: str, what: str) -> NotImplementedError:
    return _NoGraphError(
        f"tork does not implement `tf.compat.v1.{owner}.{what}`: there are no TensorFlow 1 "
        "graphs; operations run eagerly on PyTorch. Call the ops directly and read results "
        "with `.numpy()` instead of session.run(); variables are initialized when they are "
        "made, so `session.run(tf.compat.v1.global_variables_initializer())` can be deleted."
    )


class Session:
    """A TensorFlow 1 session that can be built but not run (tork has no graphs).

    Building one (`Session(config=config)`, `with Session() as sess:`) works, as in
    TensorFlow 2 where the GPU-option recipes make sessions that eager code never uses.
    `config` is kept in `session.config` and otherwise unused. `run()`, `graph` and
    other graph-mode members raise `NotImplementedError` naming what to do instead.

    Args:
        target: the execution engine to connect to (accepted, unused).
        graph: the graph to launch (accepted, unused).
        config: a `tf.compat.v1.ConfigProto` (kept, unused).
    """

    def __init__(self, target: str = "", graph=None, config=None):
        self.config = config
        self._target = target
        self._closed = False

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Raises `NotImplementedError`: there is no graph to run (ops run eagerly)."""
        raise _no_graph_error(type(self).__name__, "run")

    def close(self) -> None:
        """Closes the session (nothing to release)."""
        self._closed = True

    def as_default(self):
        """A context manager in which this session is the default one (nothing changes)."""
        return contextlib.nullcontext(self)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __getattr__(self, name: str):
        # Only reached for names not defined above: graph-mode members (`graph`,
        # `make_callable`, `partial_run`, ...) have no eager counterpart.
        if name.startswith("__"):
            raise AttributeError(name)
        raise _no_graph_error(type(self).__name__, name)


class InteractiveSession(Session):
    """`tf.compat.v1.InteractiveSession`: a `Session` that can be built but not run."""
