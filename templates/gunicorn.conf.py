{{ header }}

{% if not workers %}
import multiprocessing
{% endif %}
import os

# What gunicorn serves; the Procfile names the same app.
wsgi_app = {{ wsgi_app | py }}

# The platform says which port to use (PORT); {{ port }} is the answer preflight was given.
# Here and below, a variable that is set but empty counts as unset.
{% if platform == "vps" %}
# Loopback only: nginx on this host is the only client, so the app is never reachable directly.
{% else %}
# All interfaces: the platform's proxy reaches the app over its private network.
{% endif %}
bind = {{ (bind_host ~ ":") | py }} + (os.environ.get("PORT") or "{{ port }}")

# WEB_CONCURRENCY is the platforms' convention for sizing the worker pool; the
# fallback is {% if workers %}the answer `workers`{% else %}gunicorn's own advice: 2 × cores + 1{% endif %}.
{% if workers %}
workers = int(os.environ.get("WEB_CONCURRENCY") or {{ workers }})
{% else %}
# The cores this process may use (a container's cpuset), not every core of the host.
if hasattr(os, "sched_getaffinity"):
    _cores = len(os.sched_getaffinity(0))
else:
    _cores = multiprocessing.cpu_count()
workers = int(os.environ.get("WEB_CONCURRENCY") or _cores * 2 + 1)
{% endif %}
{% if asgi %}

# {{ framework_name }} is an ASGI app: gunicorn manages Uvicorn workers (package
# uvicorn-worker; uvicorn.workers.UvicornWorker is deprecated).
worker_class = "uvicorn_worker.UvicornWorker"
{% endif %}

# A worker silent for this long is killed and replaced; keep it above your slowest request.
timeout = 30
# On SIGTERM (a deploy), workers get this long to finish the requests they are serving.
graceful_timeout = 30
# Longer than nginx's upstream keepalive (60 s), so the proxy, not gunicorn, closes idle
# connections and never sends a request down one that is being closed.
keepalive = 75

# Restart each worker after about this many requests, so a slow memory leak cannot grow
# without bound; the jitter keeps all workers from restarting at the same moment.
max_requests = 1000
max_requests_jitter = 100

# Workers' heartbeat files on tmpfs: a disk-backed /tmp (Docker's overlayfs) can stall
# them long enough for gunicorn to kill healthy workers.
worker_tmp_dir = "/dev/shm"

# Trust X-Forwarded-Proto/For only from the proxy in front, so a client cannot claim
# to be on HTTPS or spoof its address.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or {{ forwarded_allow_ips | py }}

# Logs to stdout/stderr, where the platform (or journald) collects them.
accesslog = "-"
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "info").lower()

# Reject oversized request lines and headers before they reach the app (bytes, count, bytes).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
