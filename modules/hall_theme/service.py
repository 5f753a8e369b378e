# This file is part of Service Hall.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The four exemptions (四免) of a service: no licence to bring (免带证照,
from its materials), no seal to bring (免带印章), no paper signature
(免纸质签名) and fewer fields to fill (少填免填), as the hall sets them."""
from sql import Literal
from sql.operators import Exists

from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


def exempt_licence_where(service, material, type_):
    """The SQL condition of `service` (a table) asking for a licence, and
    for none that is not an electronic licence (material_rules)"""
    def licences(condition):
        return Exists(material.join(type_,
                condition=material.type == type_.id).select(
                Literal(1),
                where=(material.service == service.id)
                & (material.mandatory == Literal(True))
                & (type_.licence == Literal(True))
                & condition))
    return (licences(Literal(True))
        & ~licences(type_.licence_kind == None))  # noqa: E711


class Service(metaclass=PoolMeta):
    __name__ = 'hall.service'

    exempt_licence = fields.Function(
        fields.Boolean("No Licence to Bring",
            help="免带证照: every licence the service asks for is available "
            "as an electronic licence."),
        'get_exemptions', searcher='search_exemption')
    exempt_seal = fields.Boolean(
        "No Seal to Bring", help="免带印章: no document needs the seal of "
        "the applicant's organisation.")
    exempt_signature = fields.Boolean(
        "No Paper Signature", help="免纸质签名: the applicant signs "
        "electronically.")
    exempt_filling = fields.Boolean(
        "Fewer Fields to Fill", help="少填免填: the forms are filled from the "
        "data the hall holds already.")
    four_exemptions = fields.Function(
        fields.Boolean("Four Exemptions", help="四免: the four at once."),
        'get_exemptions', searcher='search_exemption')

    @classmethod
    def default_exempt_seal(cls):
        return False

    @classmethod
    def default_exempt_signature(cls):
        return False

    @classmethod
    def default_exempt_filling(cls):
        return False

    @classmethod
    def exemption_query(cls, name, ids=None):
        """The SQL query of the ids of the services exempt by `name` (among
        `ids`)"""
        pool = Pool()
        Material = pool.get('hall.service.material')
        MaterialType = pool.get('hall.material.type')
        service = cls.__table__()
        where = exempt_licence_where(
            service, Material.__table__(), MaterialType.__table__())
        if name == 'four_exemptions':
            where &= ((service.exempt_seal == Literal(True))
                & (service.exempt_signature == Literal(True))
                & (service.exempt_filling == Literal(True)))
        if ids is not None:
            where &= service.id.in_(ids)
        return service.select(service.id, where=where)

    @classmethod
    def get_exemptions(cls, services, names):
        cursor = Transaction().connection.cursor()
        ids = [s.id for s in services]
        result = {}
        for name in names:
            cursor.execute(*cls.exemption_query(name, ids))
            exempt = {i for i, in cursor}
            result[name] = {i: i in exempt for i in ids}
        return result

    @classmethod
    def search_exemption(cls, name, clause):
        _, operator, value = clause[:3]
        if operator not in {'=', '!='}:
            return [('id', '=', None)]
        exempt = (operator == '=') == bool(value)
        return [('id', 'in' if exempt else 'not in',
                cls.exemption_query(name))]
