"""`keras.utils.get_file`: download a file once, keep it in the Keras cache."""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.parse
import warnings
import zipfile
from urllib import request as _request

_CHUNK = 1 << 16


def _keras_home() -> str:
    # Read at call time (not import time) so a KERAS_HOME set later still counts.
    home = os.environ.get("KERAS_HOME")
    if home:
        return home
    return os.path.join(os.path.expanduser("~"), ".keras")


def _make_datadir(cache_dir: str, cache_subdir: str) -> str:
    base = os.path.expanduser(os.fspath(cache_dir))
    datadir = os.path.join(base, os.fspath(cache_subdir))
    try:
        os.makedirs(datadir, exist_ok=True)
        if os.access(datadir, os.W_OK):
            return datadir
    except OSError:
        pass
    # Like Keras: an unwritable cache (read-only home) falls back to a temp dir.
    base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    datadir = os.path.join(base, os.fspath(cache_subdir))
    os.makedirs(datadir, exist_ok=True)
    return datadir


def _hasher(algorithm: str, file_hash: str | None):
    if algorithm == "sha256" or (algorithm == "auto" and file_hash and len(file_hash) == 64):
        return hashlib.sha256()
    return hashlib.md5()


def _hash_name(algorithm: str, file_hash: str) -> str:
    return _hasher(algorithm, file_hash).name


def _file_matches(path: str, file_hash: str, algorithm: str) -> bool:
    hasher = _hasher(algorithm, file_hash)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            hasher.update(chunk)
    return hasher.hexdigest() == str(file_hash).lower()


def _download(origin: str, target: str) -> None:
    from tork.keras.utils.progbar import Progbar

    with _request.urlopen(origin) as response, open(target, "wb") as out:
        length = response.headers.get("Content-Length") if response.headers else None
        total = int(length) if length and length.isdigit() else None
        bar = Progbar(total)
        done = 0
        for chunk in iter(lambda: response.read(_CHUNK), b""):
            out.write(chunk)
            done += len(chunk)
            bar.update(done, finalize=False)
        bar.update(done, finalize=True)


def _inside(base: str, name: str) -> bool:
    path = os.path.realpath(os.path.join(base, name))
    return os.path.commonpath([path, base]) == base


def _extract(archive: str, target: str, archive_format) -> bool:
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else archive_format
    if isinstance(formats, str):
        formats = [formats]
    for kind in formats:
        if kind not in ("tar", "zip"):
            raise ValueError(
                f"Unknown archive_format {kind!r}: expected 'auto', 'tar', 'zip' or None."
            )
    os.makedirs(target, exist_ok=True)
    base = os.path.realpath(target)
    try:
        for kind in formats:
            if kind == "tar" and tarfile.is_tarfile(archive):
                with tarfile.open(archive) as tar:
                    # Members escaping the target (`../x`, absolute paths, outside links)
                    # are skipped: an archive must not write outside the cache.
                    members = [m for m in tar.getmembers() if _inside(base, m.name)]
                    tar.extractall(target, members=members, filter="data")
                return True
            if kind == "zip" and zipfile.is_zipfile(archive):
                with zipfile.ZipFile(archive) as zf:
                    members = [m for m in zf.infolist() if _inside(base, m.filename)]
                    zf.extractall(target, members=members)
                return True
    except (tarfile.TarError, zipfile.BadZipFile, OSError, KeyboardInterrupt):
        shutil.rmtree(target, ignore_errors=True)
        raise
    return False


def _nonempty_dir(path: str) -> bool:
    return os.path.isdir(path) and bool(os.listdir(path))


def get_file(
    fname: str | None = None,
    origin: str | None = None,
    untar: bool = False,
    md5_hash: str | None = None,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: str | list | None = "auto",
    cache_dir: str | None = None,
    force_download: bool = False,
) -> str:
    """Downloads a file from a URL if it is not already in the cache.

    By default the file at the URL `origin` is downloaded to the cache dir
    `~/.keras` (or `$KERAS_HOME` when that environment variable is set), placed
    in the cache subdir `datasets`, and named `fname`: `example.txt` ends up at
    `~/.keras/datasets/example.txt`. A file already there is used without any
    network access (and checked against `file_hash` when one is given). Files in
    `.tar`, `.tar.gz`, `.tar.bz2` and `.zip` formats can also be extracted.

    With `extract=True` this follows Keras 3: when `fname` has no extension,
    the archive is saved as `<fname>_archive` and extracted into the directory
    `<fname>`; when it has one (`data.tar.gz`), the archive keeps that name and
    is extracted into `<name before the first dot>_extracted`. The extraction
    directory is returned. An archive is extracted once; later calls reuse the
    directory.

    With Keras 2's `untar=True` (alone) this follows Keras 2, as the TensorFlow
    tutorials expect: the archive is saved as `<fname>.tar.gz` and extracted
    into the cache directory itself, and `<datadir>/<fname>` is returned (for
    `get_file('flower_photos', url, untar=True)`, the archive's own
    `flower_photos` folder).

    Without network access, a failed download raises an `OSError` naming the
    URL, the network error, and the path where to place the file by hand.

    Args:
        fname: local name of the file; `None` takes the name from `origin`.
            With `extract=True`, an extension-less `fname` names the extraction
            directory. An absolute path (Keras 2) saves the file there.
        origin: original URL of the file (`https://`, `http://`, `file://` ...).
        untar: Keras 2's flag: extract a tar archive into the cache directory
            and return `<datadir>/<fname>` (see above).
        md5_hash: deprecated in favour of `file_hash`; md5 hash of the file.
        file_hash: expected sha256 or md5 hash of the file.
        cache_subdir: subdirectory of the cache dir where the file is saved; an
            absolute path saves it there.
        hash_algorithm: `"md5"`, `"sha256"` or `"auto"` (sha256 for 64-digit
            hashes, else md5).
        extract: whether to extract the file as a tar or zip archive.
        archive_format: `"auto"` (tar, then zip), `"tar"`, `"zip"`, a list of
            these, or `None` (no extraction).
        cache_dir: cache location; `None` means `$KERAS_HOME` or `~/.keras`.
        force_download: download again even when the file is cached.

    Returns:
        Path to the downloaded file, or to the extraction directory when
        extracting.

    Example:

    ```python
    path = tf.keras.utils.get_file(
        origin="https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
    )
    ```
    """
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if hash_algorithm not in ("auto", "md5", "sha256"):
        raise ValueError(
            f"Unknown hash_algorithm {hash_algorithm!r}: expected 'auto', 'md5' or 'sha256'."
        )
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    if cache_dir is None:
        cache_dir = _keras_home()

    provided = fname is not None and os.fspath(fname) != ""
    if provided:
        fname = os.fspath(fname)
        if os.path.isabs(fname):
            cache_subdir, fname = os.path.dirname(fname), os.path.basename(fname)
        elif os.sep in fname or "/" in fname:
            raise ValueError(
                "`fname` must be a file name, not a path: use `cache_subdir` or `cache_dir` "
                f"to choose its directory. Received: fname={fname!r}"
            )
    else:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"Can't take a file name from origin={origin!r}: pass the `fname` argument."
            )
    datadir = _make_datadir(cache_dir, cache_subdir)

    if untar and not extract:
        return _get_untarred(fname, origin, datadir, file_hash, hash_algorithm, force_download)
    extracting = bool(extract or untar)
    if untar:
        archive_format = "tar"
    extraction_dir = None
    if extracting:
        if provided and "." in fname:
            download_target = os.path.join(datadir, fname)
            extraction_dir = os.path.join(datadir, fname[: fname.find(".")] + "_extracted")
        else:
            extraction_dir = os.path.join(datadir, fname)
            download_target = os.path.join(datadir, fname + "_archive")
    else:
        download_target = os.path.join(datadir, fname)

    stale = False
    if force_download:
        download = True
    elif os.path.exists(download_target):
        download = False
        if file_hash is not None and not _file_matches(download_target, file_hash, hash_algorithm):
            stale = True
            download = True
            print(
                f"A local file was found at {download_target}, but its "
                f"{_hash_name(hash_algorithm, file_hash)} hash does not match {file_hash}; "
                "downloading it again."
            )
    elif extracting and _nonempty_dir(extraction_dir):
        # Already extracted (archive deleted, or placed there by hand): works offline.
        _link_top_level(extraction_dir, datadir)
        return extraction_dir
    else:
        download = True

    if download:
        _fetch(origin, download_target, file_hash, hash_algorithm, stale)

    if extracting:
        if download or not _nonempty_dir(extraction_dir):
            if download and os.path.isdir(extraction_dir):
                shutil.rmtree(extraction_dir)
            if not _extract(download_target, extraction_dir, archive_format):
                warnings.warn(
                    f"Could not extract {download_target} as a {archive_format} archive.",
                    stacklevel=2,
                )
        _link_top_level(extraction_dir, datadir)
        return extraction_dir
    return download_target


def _link_top_level(extraction_dir: str, datadir: str) -> None:
    """Links the archive's top-level entries into the cache directory (Keras 2's layout).

    Keras 2 extracts into the cache directory itself and returns the archive's path, so
    TF's tutorials find the data at `os.path.join(os.path.dirname(path), 'cats_and_dogs_
    filtered')`; Keras 3 returns the extraction directory. With a link per top-level
    entry (names already taken are left alone) both spellings find the data.
    """
    if not os.path.isdir(extraction_dir) or os.path.dirname(extraction_dir) != datadir:
        return
    for entry in os.listdir(extraction_dir):
        link = os.path.join(datadir, entry)
        if os.path.lexists(link):
            continue
        try:
            os.symlink(os.path.join(os.path.basename(extraction_dir), entry), link)
        except OSError:  # (no symlinks here, e.g. Windows without the privilege)
            return


def _fetch(origin: str, download_target: str, file_hash, hash_algorithm: str, stale: bool) -> None:
    """Downloads `origin` to `download_target` (via a `.part` file), checking the hash."""
    print(f"Downloading data from {origin}")
    partial = download_target + ".part"
    try:
        _download(origin, partial)
    except (urllib.error.URLError, OSError, ValueError) as e:
        if os.path.exists(partial):
            os.remove(partial)
        if isinstance(e, urllib.error.HTTPError):
            reason = f"HTTP {e.code} {e.msg}"
        elif isinstance(e, urllib.error.URLError):
            reason = str(e.reason)
        else:
            reason = f"{type(e).__name__}: {e}"
        hint = (
            f" A cached file is there but its hash does not match {file_hash}: replace it."
            if stale
            else ""
        )
        raise OSError(
            f"URL fetch failure on {origin}: {reason}. The file could not be downloaded "
            f"(no network access?). To work offline, download it on another machine and "
            f"place it at {download_target}.{hint}"
        ) from e
    if file_hash is not None and not _file_matches(partial, file_hash, hash_algorithm):
        os.remove(partial)
        raise ValueError(
            f"Incomplete or corrupted file detected: the downloaded file from {origin} has "
            f"a {_hash_name(hash_algorithm, file_hash)} hash that does not match the "
            f"provided value of {file_hash}."
        )
    os.replace(partial, download_target)


def _stale_or_missing(path: str, file_hash, hash_algorithm: str, force: bool) -> tuple[bool, bool]:
    """(download, stale) for a cached file, printing Keras's message for a stale one."""
    if force or not os.path.exists(path):
        return True, False
    if file_hash is not None and not _file_matches(path, file_hash, hash_algorithm):
        print(
            f"A local file was found at {path}, but its "
            f"{_hash_name(hash_algorithm, file_hash)} hash does not match {file_hash}; "
            "downloading it again."
        )
        return True, True
    return False, False


def _merge_into(source: str, target: str) -> None:
    """Moves the contents of directory `source` into `target`, replacing files."""
    for name in os.listdir(source):
        src, dst = os.path.join(source, name), os.path.join(target, name)
        if os.path.isdir(src) and not os.path.islink(src) and os.path.isdir(dst):
            _merge_into(src, dst)
        else:
            if os.path.isdir(dst) and not os.path.islink(dst):
                shutil.rmtree(dst)
            elif os.path.lexists(dst):
                os.remove(dst)
            shutil.move(src, dst)


def _get_untarred(fname, origin, datadir, file_hash, hash_algorithm, force_download) -> str:
    """Keras 2's `untar=True`: `<fname>.tar.gz` is extracted into the cache directory itself.

    The TensorFlow tutorials read the result that way: `get_file('flower_photos',
    url, untar=True)` returns `<datadir>/flower_photos`, the archive's own top
    folder, and `get_file('aclImdb_v1', url, untar=True, cache_subdir='')` is
    followed by `os.path.join(os.path.dirname(path), 'aclImdb')`.
    """
    if fname.endswith(".tar.gz"):
        fname = fname[: -len(".tar.gz")]
    untar_path = os.path.join(datadir, fname)
    archive = untar_path + ".tar.gz"
    if not os.path.exists(archive) and os.path.exists(untar_path) and not force_download:
        return untar_path  # extracted before (archive deleted or placed by hand): offline
    download, stale = _stale_or_missing(archive, file_hash, hash_algorithm, force_download)
    if download:
        _fetch(origin, archive, file_hash, hash_algorithm, stale)
    if download or not os.path.exists(untar_path):
        # Extracted next to the cache's other files through a scratch directory, so a
        # failed extraction never deletes anything already there.
        scratch = tempfile.mkdtemp(prefix=".tork-untar-", dir=datadir)
        try:
            if _extract(archive, scratch, "tar"):
                _merge_into(scratch, datadir)
            else:
                warnings.warn(f"Could not extract {archive} as a tar archive.", stacklevel=3)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return untar_path
