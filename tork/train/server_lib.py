"""`tf.train.ClusterSpec`: the job names and task addresses of a distributed cluster."""

from __future__ import annotations


def _tasks(job: str, tasks) -> dict[int, str]:
    if isinstance(tasks, (list, tuple)):
        return dict(enumerate(tasks))
    if isinstance(tasks, dict):
        for index in tasks:
            if isinstance(index, bool) or not isinstance(index, int):
                raise TypeError(
                    f"The tasks for job {job!r} must be a list or a dictionary from integers "
                    "to strings."
                )
        return dict(sorted(tasks.items()))
    raise TypeError(
        f"The tasks for job {job!r} must be a list or a dictionary from integers to strings."
    )


class ClusterSpec:
    """A cluster as a set of jobs, each a set of tasks with network addresses.

    tork's multi-worker training is `torch.distributed`'s; this class holds the
    description that `TF_CONFIG` and cluster resolvers pass around.

    Args:
        cluster: a dict from job names to lists of addresses (`"host:port"`) or to
            dicts from task indices to addresses, or another `ClusterSpec`.

    Raises:
        TypeError: `cluster` has another form.

    Example:
    >>> cluster = tf.train.ClusterSpec({"worker": ["w0:2222", "w1:2222"], "ps": ["ps0:2222"]})
    >>> cluster.num_tasks("worker")
    2
    >>> cluster.task_address("worker", 1)
    'w1:2222'
    """

    def __init__(self, cluster):
        if isinstance(cluster, ClusterSpec):
            # As TensorFlow (which copies through its ClusterDef proto): jobs sorted by name.
            self._jobs = {job: dict(cluster._jobs[job]) for job in sorted(cluster._jobs)}
            return
        if not isinstance(cluster, dict):
            raise TypeError(
                "`cluster` must be a dictionary mapping one or more job names to lists of "
                "network addresses, or a `ClusterSpec`."
            )
        self._jobs = {}
        for job, tasks in cluster.items():
            if isinstance(job, bytes):
                job = job.decode("utf-8")
            if not isinstance(job, str):
                raise TypeError(f"Job name {job!r} must be bytes or unicode")
            self._jobs[job] = _tasks(job, tasks)

    @property
    def jobs(self) -> list[str]:
        """The job names, in the order given."""
        return list(self._jobs)

    def _job(self, job_name: str) -> dict[int, str]:
        try:
            return self._jobs[job_name]
        except KeyError:
            raise ValueError(f"No such job in cluster: {job_name!r}") from None

    def num_tasks(self, job_name: str) -> int:
        """The number of tasks of a job.

        Raises:
            ValueError: no such job.
        """
        return len(self._job(job_name))

    def task_indices(self, job_name: str) -> list[int]:
        """The task indices of a job, sorted.

        Raises:
            ValueError: no such job.
        """
        return list(self._job(job_name))

    def task_address(self, job_name: str, task_index: int) -> str:
        """The address of one task.

        Raises:
            ValueError: no such job or task.
        """
        tasks = self._job(job_name)
        try:
            return tasks[task_index]
        except KeyError:
            raise ValueError(f"No task with index {task_index} in job {job_name!r}") from None

    def job_tasks(self, job_name: str) -> list[str | None]:
        """The addresses of a job's tasks by index, None where an index has no task.

        Raises:
            ValueError: no such job.
        """
        tasks = self._job(job_name)
        if not tasks:
            return []
        out: list[str | None] = [None] * (max(tasks) + 1)
        for index, address in tasks.items():
            out[index] = address
        return out

    def as_dict(self) -> dict:
        """The cluster as a dict: each job's addresses as a list when its tasks are
        0..n-1, else as a dict from task index to address."""
        out: dict = {}
        for job, tasks in self._jobs.items():
            if list(tasks) == list(range(len(tasks))):
                out[job] = list(tasks.values())
            else:
                out[job] = dict(tasks)
        return out

    def __bool__(self) -> bool:
        return bool(self._jobs)

    def __eq__(self, other) -> bool:
        return isinstance(other, ClusterSpec) and self._jobs == other._jobs

    def __ne__(self, other) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        return f"ClusterSpec({ {job: self.as_dict()[job] for job in sorted(self._jobs)}!r})"
