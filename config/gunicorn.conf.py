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
# GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT.
import multiprocessing
import os

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
