# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""What the users see while the database is unreachable (PostgreSQL
stopped or restarting).

The request's transaction is rolled back all the same
(``Transaction.__exit__``): nothing is half done, only trytond's answer is
wrong for the users: werkzeug's English HTML page "503 Service
Unavailable" carrying psycopg's message, on which sao retries a few times
and then shows nothing; a public route (``with_pool``) even answers a 500.
Here:

- a JSON-RPC call (sao) gets a ``UserError``, which sao shows in its
  warning dialog: the database cannot be reached, nothing was done, try
  again;
- a route marked with ``public_outage(answer)`` (the display board, the
  kiosk, the ticket and rating pages) gets ``answer(request, message)``,
  its own Chinese page or JSON, with HTTP 503 and no traceback;
- any other request keeps trytond's 503.

Why an override of ``TrytondWSGI.dispatch_request``: trytond catches
``backend.DatabaseOperationalError`` there and answers the 503 before the
app's ``error_handlers`` run, and it checks the session
(``request.user_id``, a query) there before calling the endpoint, so
neither an error handler nor a route decorator sees every outage.  The
override is installed once, on the class of ``trytond.wsgi.app``, when
this module is imported, which Pool.start does for trytond's own server
(``trytond``) and for gunicorn's ``trytond.application:app`` alike.

The texts are constants: ``ir.message`` needs the database, which is down.
"""
import logging
import sys
import traceback

from werkzeug.exceptions import HTTPException

from trytond import backend, config
from trytond.exceptions import UserError
from trytond.protocols.jsonrpc import JSONRequest
from trytond.protocols.wrappers import BaseResponse, HTTPStatus, exceptions
from trytond.wsgi import TrytondWSGI

__all__ = ['public_outage', 'rpc_error', 'RPC_MESSAGE',
    'RPC_BUSY_MESSAGE', 'RPC_DESCRIPTION', 'PUBLIC_MESSAGE', 'RETRY_AFTER']

logger = logging.getLogger(__name__)
wsgi_logger = logging.getLogger('trytond.wsgi')

# For the staff in sao: "The database cannot be reached for now; this
# operation was not carried out; please try again later."
RPC_MESSAGE = '数据库暂时无法连接，本次操作未执行，请稍后重试。'
# The database answers but gave the transaction up (a lock or
# serialization conflict still there after trytond's retries): "The system
# is busy; this operation was not carried out; please try again later."
RPC_BUSY_MESSAGE = '系统繁忙，本次操作未执行，请稍后重试。'
# "None of the changes of this operation were saved.  If this message keeps
# coming, call the system administrator."
RPC_DESCRIPTION = '本次操作的修改均未保存。如果一直出现此提示，请联系系统管理员。'
# For the public pages: "The service is unavailable for now, please try
# again later."
PUBLIC_MESSAGE = '服务暂时不可用，请稍后再试'
# Seconds after which the public pages ask again
RETRY_AFTER = 10

# SQLSTATE classes of a lost or refused connection: 08 connection
# exception, 57 operator intervention (shutting down, starting up)
_CONNECTION_CLASSES = {'08', '57'}


def _cause(exception, chain=False):
    """The DatabaseOperationalError of `exception`, else None.  With
    `chain`, also one that `exception` was raised from or while handling"""
    seen = set()
    while exception is not None and id(exception) not in seen:
        seen.add(id(exception))
        if isinstance(exception, HTTPException):
            # with_pool answers the errors of a route that is not
            # JSON-RPC with abort(500, exception)
            if isinstance(
                    exception.description, backend.DatabaseOperationalError):
                return exception.description
        elif isinstance(exception, backend.DatabaseOperationalError):
            return exception
        if not chain:
            break
        # e.g. with_pool's BadRequest "Unable to get RPC method" for a
        # JSON body that is not JSON-RPC (the kiosk's)
        exception = exception.__cause__ or exception.__context__


def _connection_lost(exception):
    "Whether the database could not be reached (else it was busy)"
    if getattr(exception, 'sqlite_errorname', None) in {
            'SQLITE_BUSY', 'SQLITE_LOCKED'}:
        return False
    # psycopg: no SQLSTATE when the server never answered (connection
    # refused or lost, pool timeout)
    sqlstate = getattr(exception, 'sqlstate', None)
    return not sqlstate or sqlstate[:2] in _CONNECTION_CLASSES


def rpc_error(exception):
    "The UserError sao shows for the DatabaseOperationalError `exception`"
    if _connection_lost(exception):
        message = RPC_MESSAGE
    else:
        message = RPC_BUSY_MESSAGE
    return UserError(message, RPC_DESCRIPTION)


def public_outage(answer):
    """Decorator of a public route (right under ``@app.route``): while the
    database is unavailable, the route answers ``answer(request,
    PUBLIC_MESSAGE)``, a Response with the page's own headers, sent with
    status 503 and Retry-After.  Like trytond's ``set_max_request_size``,
    it only marks the endpoint."""
    def decorator(func):
        func.outage_answer = answer
        return func
    return decorator


def _is_json_rpc(request):
    if not isinstance(request, JSONRequest):
        return False
    try:
        data = request.parsed_data
    except Exception:
        return False
    return isinstance(data, dict) and set(data) == {'id', 'method', 'params'}


def _outage_response(app, request, endpoint, cause):
    "The answer to `request` that met the DatabaseOperationalError `cause`"
    logger.warning("database unavailable for %s: %s", request, cause)
    answer = getattr(endpoint, 'outage_answer', None)
    if answer:
        response = answer(request, PUBLIC_MESSAGE)
        response.status_code = HTTPStatus.SERVICE_UNAVAILABLE
        response.headers['Retry-After'] = str(RETRY_AFTER)
        return response
    if _is_json_rpc(request):
        # JSONProtocol answers {"id": ..., "error": ["UserError", [message,
        # description, null]]} with HTTP 200: sao's warning dialog (on a
        # 503 it would retry, then show nothing)
        return app.make_response(request, rpc_error(cause))
    # trytond's answer, also where with_pool made it a 500
    return exceptions.ServiceUnavailable(description=str(cause))


def dispatch_request(self, request):
    """trytond.wsgi.TrytondWSGI.dispatch_request of trytond 8.0, but for
    the outages: see the docstring of the module"""
    adapter = self.url_map.bind_to_environ(request.environ)
    endpoint = None
    try:
        endpoint, request.view_args = adapter.match()
        if hasattr(endpoint, 'max_request_size'):
            max_size = endpoint.max_request_size
        elif request.user_id:
            max_size = config.getint('request', 'max_size_authenticated')
        else:
            max_size = config.getint('request', 'max_size')
        request.max_content_length = max_size
        return endpoint(request, **request.view_args)
    except Exception as e:
        wsgi_logger.debug(
            "Exception when processing %s", request, exc_info=True)
        cause = _cause(e, chain=hasattr(endpoint, 'outage_answer'))
        if cause is not None:
            return _outage_response(self, request, endpoint, cause)
        if isinstance(e, exceptions.HTTPException):
            return e
        if self.dev:
            tb_s = ''.join(traceback.format_exception(*sys.exc_info()))
            for path in sys.path:
                tb_s = tb_s.replace(path, '')
            e.__format_traceback__ = tb_s
        response = e
        for error_handler in self.error_handlers:
            rv = error_handler(self, request, e)
            if isinstance(rv, BaseResponse):
                response = rv
        return response


dispatch_request.outage = True
if not getattr(TrytondWSGI.dispatch_request, 'outage', False):
    TrytondWSGI.dispatch_request = dispatch_request
