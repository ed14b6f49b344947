import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import numpy as np
import pytest
import torch

from tork.keras.callbacks import RemoteMonitor

pytest.importorskip("requests")


@pytest.fixture
def server():
    """A local HTTP server recording (path, content type, body) of each POST."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            received.append((self.path, self.headers["Content-Type"], body, self.headers))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", received
    httpd.shutdown()
    httpd.server_close()


def test_posts_epoch_and_logs_as_form_field(helpers, server):
    root, received = server
    helpers.run_fit(
        helpers.FakeModel(),
        callbacks=[RemoteMonitor(root=root)],
        epochs=2,
        steps=1,
        train_logs=lambda e, s: {"loss": [0.5, 0.25][e]},
    )
    assert [r[0] for r in received] == ["/publish/epoch/end/"] * 2
    assert received[0][1] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(received[1][2])
    assert json.loads(form["data"][0]) == {"epoch": 1, "loss": 0.25}


def test_send_as_json_with_headers_and_numpy_values(server):
    root, received = server
    cb = RemoteMonitor(root=root, path="/p", headers={"X-Run": "7"}, send_as_json=True)
    cb.on_epoch_end(
        3, {"loss": np.float32(0.5), "lr": torch.tensor(0.25), "v": np.array([1.0, 2.0])}
    )
    path, ctype, body, headers = received[0]
    assert (path, ctype, headers["X-Run"]) == ("/p", "application/json", "7")
    assert json.loads(body) == {"epoch": 3, "loss": 0.5, "lr": 0.25, "v": [1.0, 2.0]}


def test_unreachable_server_warns():
    cb = RemoteMonitor(root="http://127.0.0.1:9")
    with pytest.warns(UserWarning, match="could not reach RemoteMonitor root server at"):
        cb.on_epoch_end(0, {"loss": 1.0})


def test_defaults():
    cb = RemoteMonitor()
    assert (cb.root, cb.path, cb.field, cb.headers, cb.send_as_json) == (
        "http://localhost:9000",
        "/publish/epoch/end/",
        "data",
        None,
        False,
    )
