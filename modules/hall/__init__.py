# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
# Chinese answers while the database is unreachable (see outage.py) and
# to the refusals of the public pages (see public.py); the health route
# (routes.py)
from . import outage, public, routes

__all__ = ['outage', 'public', 'routes']
