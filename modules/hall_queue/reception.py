# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import re

from stdnum.cn import uscc

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.hall.exceptions import ValueFieldError
from trytond.modules.hall.identity_rules import (
    is_id_number, is_mobile, mask_id_number, mask_mobile,
    normalize_id_number, normalize_mobile)
from trytond.modules.hall.model import CheckedWizardMixin, ServerReadonlyMixin
from trytond.modules.hall.party import unmasked
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .exceptions import ApplicantError, CallError
from .reception_rules import (
    ENTERPRISE_IDENTIFIER, china_phone, compact_code, unmask)


class ReceiveServiceMixin:
    "The ticket received and its service, among those of its queue"
    __slots__ = ()

    ticket = fields.Many2One('hall.ticket', "Ticket", readonly=True)
    services = fields.Many2Many(
        'hall.service', None, None, "Services of the Queue", readonly=True)
    service = fields.Many2One(
        'hall.service', "Service", required=True,
        domain=[If(Eval('services'), ('id', 'in', Eval('services', [])),
                ())])


class TicketReceiveStart(ReceiveServiceMixin, ServerReadonlyMixin, ModelView):
    "Receive an application"
    __name__ = 'hall.ticket.receive_application.start'

    applicant = fields.Many2One(
        'party.party', "Applicant", required=True,
        context={'company': Eval('company', -1)}, depends={'company'},
        help="A citizen with a resident ID number or an enterprise with a "
        "unified social credit code.")
    company = fields.Many2One('company.company', "Company", readonly=True)


_citizen = {
    'invisible': Eval('kind') != 'citizen',
    'required': Eval('kind') == 'citizen',
    }
_enterprise = {
    'invisible': Eval('kind') != 'enterprise',
    'required': Eval('kind') == 'enterprise',
    }


class TicketReceiveApplicant(
        ReceiveServiceMixin, ServerReadonlyMixin, ModelView):
    "New applicant"
    __name__ = 'hall.ticket.receive_application.applicant'

    kind = fields.Selection([
            ('citizen', "Citizen"),
            ('enterprise', "Enterprise"),
            ], "Applicant Type", required=True)
    # The sizes leave room for the spaces people type in numbers; they also
    # size the inputs in the client (a size of 255 spreads the form wide)
    citizen_name = fields.Char("Name", size=50, states=_citizen)
    id_number = fields.Char("Resident ID Number", size=24, states=_citizen)
    mobile = fields.Char(
        "Mobile", size=20,
        states={'invisible': Eval('kind') != 'citizen'})
    enterprise_name = fields.Char(
        "Enterprise Name", size=100, states=_enterprise)
    uscc = fields.Char(
        "Unified Social Credit Code", size=24, states=_enterprise)
    contact_name = fields.Char(
        "Contact", size=50,
        states={'invisible': Eval('kind') != 'enterprise'},
        help="The person of the enterprise to call about the application.")
    phone = fields.Char(
        "Phone", size=30,
        states={'invisible': Eval('kind') != 'enterprise'})

    @staticmethod
    def default_kind():
        return 'citizen'


class TicketReceive(CheckedWizardMixin, Wizard):
    """Receive an application from the ticket served (from the ticket or
    from its window): the applicant is found from the ticket, else created
    on the spot."""
    __name__ = 'hall.ticket.receive_application'
    start = StateTransition()
    application = StateView('hall.ticket.receive_application.start',
        'hall_queue.ticket_receive_application_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("New Applicant", 'new_applicant', 'tryton-add'),
            Button("Receive", 'receive', 'tryton-ok', default=True),
            ])
    new_applicant = StateView('hall.ticket.receive_application.applicant',
        'hall_queue.ticket_receive_application_applicant_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Existing Applicant", 'application', 'tryton-search',
                validate=False),
            Button("Create and Receive", 'create_applicant', 'tryton-ok',
                default=True),
            ])
    create_applicant = StateTransition()
    receive = StateAction('hall.act_application_form')

    @property
    def ticket(self):
        "The ticket served, refusing one that is not"
        if self.model.__name__ == 'hall.window':
            ticket = self.record.current('serving')
        else:
            ticket = self.record
        if ticket.state != 'serving':
            raise CallError(gettext(
                    'hall_queue.msg_receive_not_serving',
                    ticket=ticket.number))
        ticket.window.check_operator()
        return ticket

    def stored_ticket(self):
        """The ticket as stored: the lookups use its ID number and mobile
        on the server, whoever reads them masked"""
        Ticket = Pool().get('hall.ticket')
        with unmasked():
            return Ticket(self.ticket.id)

    def transition_start(self):
        if self.find_applicant(self.stored_ticket()):
            return 'application'
        return 'new_applicant'

    @classmethod
    def find_applicant(cls, ticket):
        """The party of the ticket, else the one with its resident ID
        number, else the only one with its mobile"""
        if ticket.party:
            return ticket.party
        if ticket.id_number:
            party = cls.party_of_identifier('cn_ric', ticket.id_number)
            if party:
                return party
        if ticket.mobile:
            return cls.party_of_mobile(ticket.mobile)

    @classmethod
    def party_of_identifier(cls, type_, code):
        Identifier = Pool().get('party.identifier')
        with unmasked():
            identifiers = Identifier.search([
                    ('type', '=', type_),
                    ('code_compact', '=', compact_code(type_, code)),
                    ], order=[('id', 'ASC')], limit=1)
            if identifiers:
                return identifiers[0].party

    @classmethod
    def party_of_mobile(cls, mobile):
        "The party with the mobile, if only one has it"
        ContactMechanism = Pool().get('party.contact_mechanism')
        mobile = normalize_mobile(mobile)
        values = [mobile, '+86' + mobile]
        with unmasked():
            mechanisms = ContactMechanism.search([
                    ('type', 'in', ['mobile', 'phone']),
                    ['OR',
                        ('value', 'in', values),
                        ('value_compact', 'in', values),
                        ],
                    ])
            parties = {m.party for m in mechanisms}
        if len(parties) == 1:
            party, = parties
            return party

    def proposed_service(self, ticket):
        "The ticket's service, else the first of its queue"
        if ticket.service:
            return ticket.service
        if ticket.queue.services:
            return ticket.queue.services[0]

    def default_application(self, fields):
        ticket = self.stored_ticket()
        applicant = self.find_applicant(ticket)
        service = self.proposed_service(ticket)
        return {
            'ticket': ticket.id,
            'services': [s.id for s in ticket.queue.services],
            'service': service.id if service else None,
            'applicant': applicant.id if applicant else None,
            'company': ticket.hall.company.id,
            }

    def default_new_applicant(self, fields):
        Ticket = Pool().get('hall.ticket')
        ticket = self.ticket
        # as the user reads them: masked for whom they are masked
        shown, = Ticket.read([ticket.id], ['id_number', 'mobile'])
        service = self.proposed_service(ticket)
        return {
            'ticket': ticket.id,
            'services': [s.id for s in ticket.queue.services],
            'service': service.id if service else None,
            'kind': 'citizen',
            'id_number': shown['id_number'],
            'mobile': shown['mobile'],
            }

    def transition_create_applicant(self):
        form = self.new_applicant
        self.application.applicant = self.applicant_party(form)
        self.application.service = form.service
        return 'receive'

    def applicant_party(self, form):
        """The party of the new applicant, checked before anything is
        created: the one already holding the identifier, else a new one"""
        ticket = self.stored_ticket()
        if form.kind == 'enterprise':
            type_, code, values = self.enterprise_values(form)
        elif form.kind == 'citizen':
            type_, code, values = self.citizen_values(form, ticket)
        else:
            raise ValueFieldError(gettext('hall.msg_field_value_invalid',
                    **form.__names__(field='kind')))
        party = self.party_of_identifier(type_, code)
        if party:
            return party
        Party = Pool().get('party.party')
        # the wizard creates with the rights of the user: only the roles
        # that may create parties create applicants
        with check_access():
            party, = Party.create([values])
        return party

    @staticmethod
    def citizen_values(form, ticket):
        name = (form.citizen_name or '').strip()
        id_number = normalize_id_number(
            unmask(form.id_number, ticket.id_number, mask_id_number))
        mobile = normalize_mobile(
            unmask(form.mobile, ticket.mobile, mask_mobile))
        if not name:
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_name_required'))
        if not is_id_number(id_number):
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_id_number_invalid',
                    id_number=id_number))
        if mobile and not is_mobile(mobile):
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_mobile_invalid',
                    mobile=mobile))
        values = {
            'name': name,
            'identifiers': [('create', [{
                            'type': 'cn_ric', 'code': id_number}])],
            }
        if mobile:
            values['contact_mechanisms'] = [('create', [{
                            'type': 'mobile',
                            'value': china_phone(mobile)}])]
        return 'cn_ric', id_number, values

    @staticmethod
    def enterprise_values(form):
        name = (form.enterprise_name or '').strip()
        code = re.sub(r'\s', '', form.uscc or '').upper()
        contact = (form.contact_name or '').strip()
        phone = (form.phone or '').strip()
        if not name:
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_name_required'))
        if not uscc.is_valid(code):
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_uscc_invalid', code=code))
        if contact and not phone:
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_contact_phone',
                    contact=contact))
        if phone and not china_phone(phone):
            raise ApplicantError(gettext(
                    'hall_queue.msg_applicant_phone_invalid', phone=phone))
        values = {
            'name': name,
            'identifiers': [('create', [{
                            'type': ENTERPRISE_IDENTIFIER, 'code': code}])],
            }
        if phone:
            values['contact_mechanisms'] = [('create', [{
                            'type': 'mobile' if is_mobile(phone) else 'phone',
                            'value': china_phone(phone),
                            'name': contact or None,
                            }])]
        return ENTERPRISE_IDENTIFIER, code, values

    def do_receive(self, action):
        ticket = self.ticket
        service = self.application.service
        services = ticket.queue.services
        if not service or (services and service not in services):
            raise ApplicantError(gettext(
                    'hall_queue.msg_receive_service_queue',
                    queue=ticket.queue.rec_name))
        if not self.application.applicant:
            raise ApplicantError(gettext(
                    'hall_queue.msg_receive_applicant_required',
                    ticket=ticket.number))
        application = ticket.create_application(
            service, self.application.applicant)
        return action, {'res_id': [application.id]}
