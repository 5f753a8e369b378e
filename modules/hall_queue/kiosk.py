# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt

from sql.aggregate import Count

from trytond.model import Index, ModelSQL, fields
from trytond.modules.hall import clock
from trytond.pool import Pool
from trytond.transaction import Transaction

# The throttle counts the requests of an address over this span
THROTTLE_SPAN = dt.timedelta(minutes=1)


class KioskRequest(ModelSQL):
    """Kiosk Request

    The tickets and check-ins asked at the public kiosk from a client
    address in the last minute, to throttle it (as res.user.login.attempt
    does for the logins).  The rows are in the database, so that every
    worker process of the server counts the same requests.  A row is
    written in the transaction that issues the ticket: a refused request
    (bad input, closed queue...) leaves none, except a failed appointment
    look-up, which counts so that booking codes cannot be tried at speed.
    """
    __name__ = 'hall.kiosk.request'

    address = fields.Char(
        "Client Address", required=True,
        help="The network of the client: its IPv4 address or its IPv6 "
        "prefix.")
    at = fields.Timestamp("At", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.address, Index.Equality()),
                (t.at, Index.Range())))
        cls._order = [('at', 'DESC'), ('id', 'DESC')]

    @classmethod
    def client_address(cls):
        """The address of the client of the current request: its network
        as trytond cuts it (the address in IPv4, a /56 in IPv6, see
        [session] ip_network_4 and ip_network_6), so that a client cannot
        escape the throttle by changing the end of its IPv6 address."""
        ip_address, ip_network = Transaction().remote_address()
        if ip_network is not None:
            return str(ip_network)
        return str(ip_address) if ip_address else 'unknown'

    @classmethod
    def count(cls, address):
        "The requests of `address` in the last minute"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(Count(table.id),
                where=(table.address == address)
                & (table.at > clock.utcnow() - THROTTLE_SPAN)))
        return cursor.fetchone()[0]

    @classmethod
    def throttled(cls, address):
        "Whether `address` has used up its requests of the minute"
        pool = Pool()
        Configuration = pool.get('hall.configuration')
        limit = Configuration(1).kiosk_requests_per_minute
        return bool(limit) and cls.count(address) >= limit

    @classmethod
    def add(cls, address):
        """Count a request of `address`, dropping its requests older than
        the span (only its own: requests from other addresses at the same
        instant do not conflict)."""
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        now = clock.utcnow()
        cursor.execute(*table.delete(
                where=(table.address == address)
                & (table.at <= now - THROTTLE_SPAN)))
        cls.create([{'address': address, 'at': now}])

    @classmethod
    def purge(cls):
        "Cron: drop the requests older than the span"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.delete(
                where=table.at <= clock.utcnow() - THROTTLE_SPAN))
