"""A task for `make cluster-test`: it says which worker started it, takes a few seconds, then says it finished.
The cluster test kills the worker while it runs and checks the task is run again by the other worker."""

import os
import socket
import time

from django.core.cache import cache
from django_tasks import task


@task()
def slow_probe(marker: str, seconds: float = 6.0) -> str:
    worker = f"{socket.gethostname()}:{os.getpid()}"
    cache.set(f"cluster-probe:{marker}:started", worker, timeout=3600)
    time.sleep(seconds)
    cache.set(f"cluster-probe:{marker}:finished", worker, timeout=3600)
    return worker
