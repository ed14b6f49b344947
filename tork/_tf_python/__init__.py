"""TensorFlow's private `tensorflow.python.*` modules that library code imports.

Code written for TF 2.x imports helpers from TensorFlow's private tree
(bert4keras's backend: `from tensorflow.python.util import nest, tf_inspect`,
`from tensorflow.python.eager import tape`,
`from tensorflow.python.ops.custom_gradient import _graph_mode_decorator`,
`from tensorflow.python.client import device_lib`). tork answers those paths under
`tork.python` (see `tork._old_keras_paths`) with the modules here: working versions
where tork has the behaviour (`tf_inspect`, `device_lib.list_local_devices`), and, for
TensorFlow's tape and graph internals, stand-ins that import fine and raise
`NotImplementedError` naming the public alternative when called.
"""
