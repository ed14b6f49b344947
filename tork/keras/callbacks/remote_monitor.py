"""`keras.callbacks.RemoteMonitor`: posts the epoch logs to an HTTP server."""

from __future__ import annotations

import json
import warnings
from typing import Any

import numpy as np
import torch

from tork.keras.callbacks.callback import Callback


def _json_value(value: Any) -> Any:
    # NumPy scalars/arrays and tensors are not JSON types: send their Python values.
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray | np.generic):
        return value.item() if value.size == 1 else value.tolist()
    return value


class RemoteMonitor(Callback):
    """Callback used to stream events to a server.

    At the end of every epoch it sends an HTTP POST to `root + path` holding
    the epoch number (0-based, key `epoch`) and the epoch logs. By default the
    JSON text is sent as the form field `field`; with `send_as_json=True` the
    request body is the JSON itself (content type `application/json`). A
    server that cannot be reached only produces a warning. Requires the
    `requests` library.

    Args:
        root: root URL of the target server.
        path: path relative to `root` to which the events are sent.
        field: form field under which the JSON data is stored (used only when
            `send_as_json=False`).
        headers: dict of optional custom HTTP headers.
        send_as_json: whether to send the request body as
            `application/json`.

    Example:

    ```python
    monitor = tf.keras.callbacks.RemoteMonitor(root="http://localhost:9000")
    model.fit(x, y, epochs=5, callbacks=[monitor])
    ```
    """

    def __init__(
        self,
        root: str = "http://localhost:9000",
        path: str = "/publish/epoch/end/",
        field: str = "data",
        headers: dict | None = None,
        send_as_json: bool = False,
    ) -> None:
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        try:
            import requests
        except ImportError:
            raise ImportError(
                "RemoteMonitor requires the `requests` library. Install it with "
                "`pip install requests`."
            ) from None
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = _json_value(value)
        url = self.root + self.path
        try:
            if self.send_as_json:
                requests.post(url, json=send, headers=self.headers)
            else:
                requests.post(url, {self.field: json.dumps(send)}, headers=self.headers)
        except requests.exceptions.RequestException:
            warnings.warn(
                f"Warning: could not reach RemoteMonitor root server at {self.root}",
                stacklevel=2,
            )
