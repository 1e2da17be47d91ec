{{ header }}

{% if not workers %}
import multiprocessing
{% endif %}
import os

# What gunicorn serves; every way of starting it (Procfile, Dockerfile, unit) names this file.
wsgi_app = {{ wsgi_app | py }}

# The platform says which port to use (PORT); {{ port }} is the answer preflight was given.
# Here and below, a variable that is set but empty counts as unset.
{% if platform == "vps" %}
# Loopback only: nginx on this host is the only client, so the app is never reachable directly.
{% elif platform == "docker" %}
# All interfaces of the container, which compose.yaml publishes to no host port: only the
# containers on its network (nginx) reach the app.
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
# uvicorn-worker; uvicorn.workers.UvicornWorker is deprecated). Each worker runs an event
# loop; gunicorn only supervises it.
worker_class = "uvicorn_worker.UvicornWorker"

# Under Uvicorn workers `timeout` is a heartbeat, not a request timeout: a worker whose event
# loop is blocked this long is killed, while a slow request on a healthy loop runs on.
# Bound requests where that works: {% if nginx %}nginx's proxy_read_timeout (35 s) in front,{% else %}the platform's proxy in front,{% endif %} and
# asyncio.timeout() around slow calls in the app.
timeout = 30
# On SIGTERM (a deploy), workers get this long to finish the requests they are serving.
graceful_timeout = 30
# Uvicorn's keep-alive (its timeout_keep_alive): longer than the proxy's idle timeout, so the
# proxy, not the app, closes idle connections and never sends a request down a closing one.
keepalive = 75
{% else %}

# Threaded workers: each of the workers serves `threads` requests at once, and keeps idle
# client connections open between them (the sync worker ignores keepalive altogether).
worker_class = "gthread"
threads = {{ threads }}

# A worker silent for this long is killed and replaced; keep it above your slowest request.
timeout = 30
# On SIGTERM (a deploy), workers get this long to finish the requests they are serving.
graceful_timeout = 30
# Longer than nginx's upstream keepalive (60 s), so the proxy, not gunicorn, closes idle
# connections and never sends a request down one that is being closed.
keepalive = 75
{% endif %}

# Restart each worker after about this many requests, so a slow memory leak cannot grow
# without bound; the jitter keeps all workers from restarting at the same moment.
max_requests = 1000
max_requests_jitter = 100

# Workers' heartbeat files on tmpfs: a disk-backed /tmp (Docker's overlayfs) can stall
# them long enough for gunicorn to kill healthy workers.
worker_tmp_dir = "/dev/shm"

{% for line in trust_comment %}
# {{ line }}
{% endfor %}
forwarded_allow_ips = {{ forwarded_allow_ips | py }}

# Logs to stdout/stderr, where the platform (or journald) collects them.
accesslog = "-"
errorlog = "-"
loglevel = "info"
{% if asgi %}
# Uvicorn workers write their own access lines (client, request line, status): no request id
# and no duration.{% if nginx %} nginx's access log has both ($request_id, $request_time), and
# the id reaches the app as X-Request-ID for its own log lines.{% else %} The app can log its
# X-Request-ID and timing in a middleware.{% endif %}
{% else %}
# One access line per request: client, request, status, bytes, duration in ms, and the
# request id {% if nginx %}nginx sends (X-Request-ID), matching nginx's own log line{% else %}the proxy sends, if any{% endif %}.
access_log_format = '{{ access_client }} "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}i)s "%(a)s"'

# Reject oversized request lines and headers before they reach the app (bytes, count, bytes).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
{% endif %}
