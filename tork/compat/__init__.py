"""`tf.compat`: the TensorFlow 1 names that TensorFlow 2 programs still call.

This is a deliberately small shim. It holds only what Keras 2 era scripts call
at their top (seeding, log verbosity, switching eager mode on) and the string
helpers `as_bytes`/`as_str`/`as_text`. TensorFlow 1 graphs (`Session`,
`placeholder`, `get_variable`...) do not exist in tork: those names raise
`NotImplementedError` naming the API.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork._backend.tensor_shape import dimension_at_index, dimension_value
from tork.compat import v1


def as_bytes(bytes_or_text, encoding: str = "utf-8") -> bytes:
    """Returns `bytes_or_text` as bytes, encoding text with `encoding`.

    Example:
    >>> tf.compat.as_bytes("abc")
    b'abc'
    """
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding: str = "utf-8") -> str:
    """Returns `bytes_or_text` as a str, decoding bytes with `encoding`.

    Example:
    >>> tf.compat.as_str(b"abc")
    'abc'
    """
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, (bytes, bytearray)):
        return bytes(bytes_or_text).decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text

_missing = _module_getattr("tf.compat")


def __getattr__(name):
    # `tf.compat.v2` is the TensorFlow 2 API itself; importing it lazily keeps
    # `import tork` from importing its own top module twice over.
    if name == "v2":
        import tork

        return tork
    return _missing(name)


__all__ = ["as_bytes", "as_str", "as_text", "dimension_at_index", "dimension_value", "v1", "v2"]
