# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Personal data on tickets and appointments.

A ticket's resident ID number and mobile are read in full by the clerk
serving it (the clerk who called it, or the clerk rostered today at the
window holding it) and the administrators, and masked for every other user
(hall.party); a search condition on them matches only the tickets the user
reads in full.  Nobody in the back office but the administrators reads an
appointment's ID number and mobile in full: the ticket of its check-in
carries them to the serving clerk.  The ticket's status
token and the appointment's booking code are refused by field access to all
but the administrators (personal_data.xml); the appointment's name shows the
code only to them."""
from trytond.modules.hall.identity_rules import mask_id_number, mask_mobile
from trytond.modules.hall.party import (
    forget_stored_values, is_unmasked, may_read_field, narrow_domain,
    domain_tests, unmasked)
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .ticket import CURRENT_STATES

MASKS = {
    'id_number': mask_id_number,
    'mobile': mask_mobile,
    }


def sees_all():
    "Whether the user reads the personal data of every ticket and appointment"
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    return (is_unmasked()
        or ModelData.get_id('res', 'group_admin') in User.get_groups())


class PersonalDataMixin:
    __slots__ = ()

    @classmethod
    def _served_query(cls):
        """SQL query of the records whose personal data the user reads in
        full, None for none"""
        return None

    @classmethod
    def _served(cls, ids):
        "The ids among `ids` whose personal data the user reads in full"
        query = cls._served_query()
        if query is None:
            return set()
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id,
                where=table.id.in_(list(ids)) & table.id.in_(query)))
        return {i for i, in cursor}

    @classmethod
    def read(cls, ids, fields_names):
        rows = super().read(ids, fields_names)
        names = [n for n in MASKS if n in fields_names]
        if not names or not rows or sees_all():
            return rows
        served = cls._served([r['id'] for r in rows])
        masked = [r for r in rows if r['id'] not in served]
        for row in masked:
            for name in names:
                if row.get(name):
                    row[name] = MASKS[name](row[name])
        forget_stored_values(cls, [r['id'] for r in masked])
        return rows

    @classmethod
    def search(cls, domain, offset=0, limit=None, order=None, count=False,
            query=False):
        masked = not sees_all()
        if masked and order:
            # the order of values the user may see masked would tell them
            order = [o for o in order
                if o[0].split('.', 1)[0] not in MASKS] or None
        records = super().search(domain, offset=offset, limit=limit,
            order=order, count=count, query=query)
        if masked and not count and not query:
            forget_stored_values(cls, records)
        return records

    @classmethod
    def search_domain(cls, domain, active_test=None, tables=None):
        if domain_tests(domain, set(MASKS)) and not sees_all():
            query = cls._served_query()
            clause = (('id', 'in', query) if query is not None
                else ('id', '=', None))
            domain = narrow_domain(domain, clause, set(MASKS))
        return super().search_domain(
            domain, active_test=active_test, tables=tables)

    @classmethod
    def _validate(cls, records, field_names=None):
        # the checks compare the values as stored, not as the user sees them
        with unmasked():
            records = cls.browse(records)
            super()._validate(records, field_names=field_names)


class Ticket(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'hall.ticket'

    @classmethod
    def _served_query(cls):
        pool = Pool()
        User = pool.get('res.user')
        RosterShift = pool.get('hall.roster.shift')
        employees = User.get_employees()
        if not employees:
            return None
        _, windows = RosterShift.rostered_windows(employees)
        table = cls.__table__()
        where = table.clerk.in_(list(employees))
        if windows:
            where |= (table.window.in_(windows)
                & table.state.in_(CURRENT_STATES))
        return table.select(table.id, where=where)

    @classmethod
    def transfer_to(cls, tickets, queue, reason=None):
        # the new tickets carry the ID number and mobile as stored
        with unmasked():
            return super().transfer_to(cls.browse(tickets), queue, reason)


class Appointment(PersonalDataMixin, metaclass=PoolMeta):
    __name__ = 'hall.appointment'

    def get_rec_name(self, name):
        if self.code and may_read_field(self.__name__, 'code'):
            return super().get_rec_name(name)
        return self.slot.rec_name

    def check_in_now(self, channel='appointment'):
        # the ticket carries the ID number and mobile as stored
        with unmasked():
            appointment = self.__class__(self.id)
            return super(Appointment, appointment).check_in_now(channel)
