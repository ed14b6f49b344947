"""`tf.compat.v2`: the TensorFlow 2 API, which is `tork` itself.

Google libraries (TensorFlow Recommenders, TensorFlow Datasets, Model Garden) write
`import tensorflow.compat.v2 as tf` so that the same file runs under TensorFlow 1 and 2.
Under TensorFlow 2 that module is the top-level API, so this module replaces itself with
`tork` in `sys.modules`: `import tork.compat.v2 as tf` then binds `tork`.
"""

import sys

import tork

sys.modules[__name__] = tork
