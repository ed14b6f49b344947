"""`tf.version`: the TensorFlow version whose API tork follows, and tork's own release.

TF code checks versions before it runs (`assert tf.__version__ >= "2.0"` opens every
handson-ml2 notebook; libraries gate on `tf.__version__ < "1.15"`), so `tork.__version__`
and `VERSION` name the TensorFlow release whose behaviour tork reproduces. tork's own
release, the one pip installs, is `TORK_VERSION`.

Example:
>>> import tork as tf
>>> tf.__version__ == tf.version.VERSION
True
>>> tf.version.TORK_VERSION  # e.g. '0.1.0'
"""

#: The TensorFlow (and tf_keras) release whose API and numbers tork follows.
VERSION = "2.21.0"

#: tork's own release (the package version pip reports).
TORK_VERSION = "0.1.0"

#: TF's build identifiers: here they name tork's release instead of a TF commit.
GIT_VERSION = f"tork-{TORK_VERSION}"
COMPILER_VERSION = "tork (PyTorch)"

__all__ = ["COMPILER_VERSION", "GIT_VERSION", "TORK_VERSION", "VERSION"]
