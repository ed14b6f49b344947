"""A temporary KERAS_HOME with the network cut off, for the dataset loaders."""

import pytest


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    home = tmp_path / "keras_home"
    monkeypatch.setenv("KERAS_HOME", str(home))

    def _no_network(*args, **kwargs):
        raise AssertionError("tests must not touch the network")

    monkeypatch.setattr("urllib.request.urlopen", _no_network)
    (home / "datasets").mkdir(parents=True)
    return home
