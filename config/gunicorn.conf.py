# gunicorn settings for the service hall (trytond WSGI application).
#
#   TRYTOND_CONFIG=config/trytond-postgresql.conf TRYTOND_DATABASE_NAMES=hall \
#       gunicorn -c config/gunicorn.conf.py trytond.application:app
#
# TRYTOND_DATABASE_NAMES must list the databases to load at start (comma
# separated), or the first login fails with KeyError: 'res.user'.
# Sessions and cache invalidations go through PostgreSQL, so any number of
# workers, on any number of machines, can serve the same database.
# Every setting can be changed from the environment: GUNICORN_BIND,
# GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT,
# GUNICORN_KEEPALIVE_MAX_AGE.
import multiprocessing
import os
import time

bind = os.environ.get('GUNICORN_BIND', '127.0.0.1:8000')

# Threaded workers: a worker process holds one trytond Pool per database
# (models, caches), threads share it; requests mostly wait on PostgreSQL.
worker_class = 'gthread'
workers = int(os.environ.get(
        'GUNICORN_WORKERS', min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get('GUNICORN_THREADS', 4))

# Reports and imports can take long; trytond's own [request] timeout is 110.
timeout = int(os.environ.get('GUNICORN_TIMEOUT', 120))
graceful_timeout = 30
keepalive = 5
# A keep-alive connection stays with the worker that accepted it.  When a
# worker dies (killed, crashed), its clients reconnect at once, to the
# workers still alive, and keep those connections while they are busy: the
# replacement worker, ready seconds later, got no request at all, and the
# hall was served by the remaining workers (measured by `scripts/bench
# faults`).  So a connection older than this many seconds is closed after
# its next answer (Connection: close, which clients and proxies handle
# without error); the client's next connection goes to whichever worker
# accepts first, the least busy one.  0 keeps connections as long as the
# client wants.
keepalive_max_age = float(os.environ.get('GUNICORN_KEEPALIVE_MAX_AGE', 5))

# Recycle workers now and then to bound memory growth
max_requests = 2000
max_requests_jitter = 200

# Never preload: each worker must build its own Pool and database
# connections after the fork (trytond.application refuses extra threads).
preload_app = False

# Behind nginx on the same host
forwarded_allow_ips = os.environ.get('FORWARDED_ALLOW_IPS', '127.0.0.1')
proxy_allow_ips = forwarded_allow_ips

accesslog = '-'
errorlog = '-'
loglevel = 'info'
proc_name = 'service-hall'


def pre_request(worker, req):
    "Close the connection after this answer when it is older than allowed"
    if not keepalive_max_age:
        return
    # the connection's reader: one object for all the connection's requests
    reader = getattr(req, 'unreader', None)
    if reader is None:
        return
    now = time.monotonic()
    opened = getattr(reader, 'hall_opened', None)
    if opened is None:
        reader.hall_opened = now
    elif now - opened >= keepalive_max_age:
        req.force_close()
