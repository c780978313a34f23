"""gunicorn settings for the web machines: ``gunicorn -c config/gunicorn.py config.wsgi``.

Everything a deployment tunes comes from the environment, read with the same helpers as
the Django settings, so ``WEB_CONCURRENCY=nonsense`` stops gunicorn with a message.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.env import env_int, env_str

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

bind = env_str("GUNICORN_BIND", "127.0.0.1:8000")

# One process per core, eight threads each. Threads let a process serve the next request
# while one waits on PostgreSQL, and they matter more than processes here: gthread keeps a
# client's keep-alive connection in the process that accepted it, so a process with two
# threads queues its clients' requests while another process idles. bench/load.py on 2
# cores (50 clients, machine load ~10): 2 x 8 answered 30.9 req/s at p95 1.4 s, 3 x 4
# 19.0 req/s at 3.1 s, 5 x 2 (the old default) 10.0 req/s at 8.3 s with 38 timeouts
# (bench/README.md). Measure a machine with bench/load.py before changing it.
DEFAULT_THREADS = 8


def default_workers() -> int:
    """Return the number of worker processes when WEB_CONCURRENCY does not say."""
    return multiprocessing.cpu_count()


workers = env_int("WEB_CONCURRENCY", default_workers())
threads = env_int("GUNICORN_THREADS", DEFAULT_THREADS)
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is stuck (a hung connection, a runaway query): the
# worker is killed and replaced rather than holding a slot forever. Database calls fail
# long before that (PostgreSQL connect timeout), answering 503.
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a load balancer that keeps connections open: a little longer than nothing.
keepalive = env_int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never becomes an outage; the jitter keeps
# them from all restarting at once.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Import Django once in the master: workers fork ready, and a broken setting fails the
# start instead of every worker in a loop. Database connections are opened lazily per
# worker (Django opens none at import), so nothing is shared across the fork.
preload_app = True


def pre_fork(server: object, worker: object) -> None:
    """Move everything the master has built (the app, its URLconf and templates, warmed by
    ``config.wsgi``) out of the cyclic garbage collector's reach before a worker forks.

    Those objects live as long as the process, yet every full collection in a worker walked
    all of them: about 100 ms each on this app, a stall of every thread of the process
    (``bench/request_cost.py`` counted 8 in 840 requests). Frozen, a full collection walks
    only what the worker allocated since, and the pages holding them stay shared with the
    master rather than being copied when the collector writes to their headers. The
    standard recipe for forking servers (``gc.freeze``'s documentation).
    """
    gc.collect()
    gc.freeze()


# The proxy in front terminates TLS and says so in X-Forwarded-Proto.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = env_str("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = env_str("LOG_LEVEL", "info").lower()
# One JSON object per request, like the app's own logs under LOG_FORMAT=json, written by
# a logger class (a format string cannot escape JSON) that keeps share tokens out of it.
logger_class = "config.gunicorn_logging.JsonAccessLogger"
