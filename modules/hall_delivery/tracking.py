# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.modules.hall import clock
from trytond.modules.hall.locking import hold_rows
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.modules.hall.table_file_rules import decode
from trytond.pool import Pool
from trytond.tools import timezone as tz
from trytond.wizard import Button, StateTransition, StateView, Wizard

from . import tracking_rules
from .exceptions import TrackingImportError, TrackingValidationError

TRACKING_STATUSES = [
    ('in_transit', "In Transit"),
    ('delivered', "Delivered"),
    ('returned', "Returned"),
    ('lost', "Lost"),
    ]


class Tracking(ServerReadonlyMixin, ModelSQL, ModelView):
    "Tracking event of a delivery, as the courier reported it"
    __name__ = 'hall.delivery.tracking'

    delivery = fields.Many2One(
        'hall.delivery', "Delivery", required=True, ondelete='CASCADE')
    waybill = fields.Char("Waybill", readonly=True)
    status = fields.Selection(TRACKING_STATUSES, "Status", required=True)
    time = fields.Timestamp("Time", required=True)
    note = fields.Char("Note")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('event_unique', Unique(t, t.delivery, t.status, t.time),
                'hall_delivery.msg_tracking_event_unique'),
            ]
        cls._order = [('time', 'DESC'), ('id', 'DESC')]

    @classmethod
    def validate_fields(cls, events, field_names):
        super().validate_fields(events, field_names)
        if 'time' in field_names:
            # A day of margin for a courier's clock or time zone
            limit = clock.utcnow() + dt.timedelta(days=1)
            for event in events:
                if event.time > limit:
                    raise TrackingValidationError(gettext(
                            'hall_delivery.msg_tracking_time_future',
                            delivery=event.delivery.rec_name,
                            time=event.time.strftime('%Y-%m-%d %H:%M')))


class TrackingImportStart(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.delivery.tracking.import.start'

    courier = fields.Many2One('hall.courier', "Courier", required=True)
    file = fields.Binary("File", required=True, filename='filename')
    filename = fields.Char("File Name")


class TrackingImportResult(ServerReadonlyMixin, ModelView):
    __name__ = 'hall.delivery.tracking.import.result'

    applied = fields.Integer("Events Applied", readonly=True)
    known = fields.Integer("Events Already Imported", readonly=True)
    lines = fields.One2Many(
        'hall.delivery.tracking.import.line', None, "Lines", readonly=True)


class TrackingImportLine(ModelView):
    __name__ = 'hall.delivery.tracking.import.line'

    line = fields.Integer("Line", readonly=True)
    waybill = fields.Char("Waybill", readonly=True)
    status = fields.Selection(TRACKING_STATUSES, "Status", readonly=True)
    result = fields.Char("Result", readonly=True)


class TrackingImport(CheckedWizardMixin, Wizard):
    "Import the tracking file of a courier"
    __name__ = 'hall.delivery.tracking.import'

    start = StateView('hall.delivery.tracking.import.start',
        'hall_delivery.delivery_tracking_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    result = StateView('hall.delivery.tracking.import.result',
        'hall_delivery.delivery_tracking_import_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_import_(self):
        self.outcome = import_tracking(self.start.courier, self.start.file)
        return 'result'

    def default_result(self, fields):
        return self.outcome


def import_tracking(courier, data):
    """Apply the tracking file `data` (bytes) of `courier`.

    Every row is checked first; with any error nothing is applied and
    the errors are raised line by line. Events already imported are
    skipped, so importing a file twice changes nothing."""
    pool = Pool()
    Delivery = pool.get('hall.delivery')
    Tracking = pool.get('hall.delivery.tracking')

    text = decode(data or b'')
    if text is None:
        raise TrackingImportError(gettext(
                'hall_delivery.msg_tracking_encoding'))
    rows, errors = tracking_rules.parse(text)
    # Couriers write local times; Tryton stores timestamps in UTC.
    company_tz = (tz.get_tzinfo(courier.company.timezone)
        if courier.company.timezone else tz.UTC)
    rows = [row._replace(time=row.time.replace(tzinfo=company_tz)
            .astimezone(tz.UTC).replace(tzinfo=None)) for row in rows]
    messages = [(e.line, gettext(f'hall_delivery.msg_tracking_row_{e.code}',
                line=e.line, value=e.value)) for e in errors]

    deliveries = {d.waybill: d for d in Delivery.search([
                ('courier', '=', courier.id),
                ('waybill', 'in', list({r.waybill for r in rows})),
                ])}
    hold_rows(Delivery, [d.id for d in deliveries.values()])
    deliveries = {d.waybill: d for d in Delivery.browse(
            [d.id for d in deliveries.values()])}
    known = {(e.delivery.id, e.status, e.time) for e in Tracking.search([
                ('delivery', 'in', [d.id for d in deliveries.values()]),
                ])}

    # The state each delivery reaches row after row, to refuse a file
    # whose events do not follow the workflow before applying any.
    state = {d.id: d.state for d in deliveries.values()}
    state_labels = dict(Delivery.fields_get(['state'])['state']['selection'])
    final = {'delivered', 'returned', 'lost'}
    new_events, lines = [], []
    for row in sorted(rows, key=lambda r: (r.time, r.line)):
        delivery = deliveries.get(row.waybill)
        if delivery is None:
            messages.append((row.line, gettext(
                        'hall_delivery.msg_tracking_row_unknown',
                        line=row.line, value=row.waybill)))
            continue
        if (delivery.id, row.status, row.time) in known:
            lines.append((row, 'known'))
            continue
        current = state[delivery.id]
        if row.status in final:
            if current == row.status:
                lines.append((row, 'known'))
                continue
            if current != 'dispatched':
                messages.append((row.line, gettext(
                            'hall_delivery.msg_tracking_row_state',
                            line=row.line, value=row.waybill,
                            state=state_labels[delivery.state])))
                continue
            state[delivery.id] = row.status
        new_events.append((row, delivery))
        lines.append((row, 'applied'))
    if messages:
        raise TrackingImportError(gettext(
                'hall_delivery.msg_tracking_rejected',
                count=len(messages)),
            '\n'.join(text for _, text in sorted(messages)))

    Tracking.create([{
                'delivery': delivery.id,
                'waybill': row.waybill,
                'status': row.status,
                'time': row.time,
                'note': row.note,
                } for row, delivery in new_events])
    by_status = defaultdict(list)
    for row, delivery in new_events:
        if row.status in final:
            by_status[row.status].append((row, delivery))
    for row, delivery in by_status['delivered']:
        delivery.signed_by = row.note or gettext(
            'hall_delivery.msg_tracking_signed_by_courier')
        delivery.save()
        Delivery.deliver([delivery], when=row.time)
    for row, delivery in by_status['returned']:
        delivery.return_reason = row.note or gettext(
            'hall_delivery.msg_tracking_returned_by_courier')
        delivery.save()
        Delivery.return_([delivery], when=row.time)
    for row, delivery in by_status['lost']:
        delivery.lost_reason = row.note or gettext(
            'hall_delivery.msg_tracking_lost_by_courier')
        delivery.save()
        Delivery.lose([delivery], when=row.time)

    labels = {
        'applied': gettext('hall_delivery.msg_tracking_line_applied'),
        'known': gettext('hall_delivery.msg_tracking_line_known'),
        }
    return {
        'applied': sum(1 for _, r in lines if r == 'applied'),
        'known': sum(1 for _, r in lines if r == 'known'),
        'lines': [{
                'line': row.line,
                'waybill': row.waybill,
                'status': row.status,
                'result': labels[result],
                } for row, result in sorted(lines, key=lambda l: l[0].line)],
        }

