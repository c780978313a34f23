"""gunicorn settings for the web machines: ``gunicorn -c config/gunicorn.py config.wsgi``.

Everything a deployment tunes comes from the environment, read with the same helpers as
the Django settings, so ``WEB_CONCURRENCY=nonsense`` stops gunicorn with a message.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.env import env_int, env_str

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

bind = env_str("GUNICORN_BIND", "127.0.0.1:8000")

# Processes for CPU (rendering pages and SVG), threads so a worker waiting on PostgreSQL
# still answers the next request. Two processes per core plus one is gunicorn's usual
# starting point; measure a machine with bench/load.py before changing it.
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = env_int("GUNICORN_THREADS", 2)
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

# The proxy in front terminates TLS and says so in X-Forwarded-Proto.
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = env_str("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = env_str("LOG_LEVEL", "info").lower()
# One JSON object per request, like the app's own logs under LOG_FORMAT=json, written by
# a logger class (a format string cannot escape JSON) that keeps share tokens out of it.
logger_class = "config.gunicorn_logging.JsonAccessLogger"
