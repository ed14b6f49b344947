"""`tensorflow.python.eager.tape`: TensorFlow's gradient-tape internals (not in tork).

Importing works; calling any of these raises `NotImplementedError` naming the public API
to use instead. tork records gradients with torch autograd, through `tf.GradientTape`.
"""

from __future__ import annotations

from tork._tf_python._unsupported import unsupported

_PREFIX = "tensorflow.python.eager.tape."
_RECORD = (
    "To give a function your own gradient use `@tf.custom_gradient`; to recompute a layer's "
    "forward pass during backprop (saving memory) use `tf.recompute_grad(fn)`."
)
_TAPE = "Use `tf.GradientTape` (`tape.watch`, `tape.stop_recording()`) instead."

record_operation = unsupported(_PREFIX + "record_operation", _RECORD)
record_operation_backprop_only = unsupported(_PREFIX + "record_operation_backprop_only", _RECORD)
stop_recording = unsupported(_PREFIX + "stop_recording", _TAPE)
push_new_tape = unsupported(_PREFIX + "push_new_tape", _TAPE)
push_tape = unsupported(_PREFIX + "push_tape", _TAPE)
pop_tape = unsupported(_PREFIX + "pop_tape", _TAPE)
watch = unsupported(_PREFIX + "watch", _TAPE)
watch_variable = unsupported(_PREFIX + "watch_variable", _TAPE)
variable_accessed = unsupported(_PREFIX + "variable_accessed", _TAPE)
variables_accessed = unsupported(_PREFIX + "variables_accessed", _TAPE)
should_record_backprop = unsupported(_PREFIX + "should_record_backprop", _TAPE)
could_possibly_record = unsupported(_PREFIX + "could_possibly_record", _TAPE)
Tape = unsupported(_PREFIX + "Tape", _TAPE)
