# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""GET /<database>/hall/health: the state of each check of hall.health
(see hall/health.py) as JSON, without login and without data, for nginx
and the monitoring: 200 while the database answers, whatever the other
states ({"database": "ok", "scheduler": "failure", ...}), 503 with
{"database": "unavailable"} while it does not (a web node that cannot
serve)."""
from trytond.protocols.wrappers import HTTPStatus, with_pool, with_transaction
from trytond.wsgi import app

from .outage import public_outage
from .public import error_json, json_response, public_route


def _refused(request, message, status):
    return error_json(message, status)


def _unavailable(request, message):
    return json_response({'database': 'unavailable'},
        HTTPStatus.SERVICE_UNAVAILABLE)


@app.route('/<database_name>/hall/health', methods={'GET'})
@public_route(_refused)
@public_outage(_unavailable)
@with_pool
@with_transaction(readonly=True, context={'language': 'zh_CN'})
def health(request, pool):
    states = {'database': 'ok'}
    try:
        Health = pool.get('hall.health')
    except KeyError:
        # a database where hall is not activated
        return json_response(states)
    states.update(Health.states())
    return json_response(states)
