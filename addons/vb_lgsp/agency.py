# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Agencies and the exchange: which connection an agency uses, and the
agency directory of the axis kept as external agencies."""
import datetime as dt
from decimal import Decimal

from trytond.cache import Cache
from trytond.model import fields
from trytond.pool import Pool, PoolMeta


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    lgsp_connection = fields.Many2One('vb.lgsp.connection',
        "Exchange Connection", ondelete='RESTRICT',
        help="For an agency of this installation: the axis it sends and "
        "receives documents through. For an external agency: the axis it "
        "is reached through (the sender's when empty).")
    lgsp_directory_name = fields.Char("Name in the Axis Directory",
        readonly=True,
        help="The name the last directory synchronisation read; the "
        "agency's own name is updated only while nobody changed it here.")
    lgsp_directory_parent = fields.Char("Parent in the Axis Directory",
        readonly=True)
    lgsp_directory_deleted = fields.Boolean("Deleted from the Axis Directory",
        readonly=True)
    lgsp_synchronised_at = fields.DateTime("Synchronised At", readonly=True)
    # The edXML organisation of an agency, asked for the sender and the
    # recipient of every package and status: its e-mail, phone, fax and
    # website are four searches of contact mechanisms each time
    _lgsp_organisations = Cache('company.company.lgsp_organisation',
        context=False)

    @classmethod
    def on_modification(cls, mode, companies, field_names=None):
        super().on_modification(mode, companies, field_names=field_names)
        if _changes(mode, field_names, {'identifier_code', 'party', 'parent'}):
            cls._lgsp_organisations.clear()

    def lgsp_credentials(self):
        """The agency's certificate and key to sign its packages
        (XMLDSig), or None: vb_signature provides them when installed"""
        return None

    def lgsp_organisation(self):
        "The agency as an edXML organisation (From, To)"
        from .edxml import Organisation
        values = self._lgsp_organisations.get(self.id)
        if values is None:
            party = self.party
            values = {
                'organ_id': self.identifier_code or '',
                'name': (party.name or '')[:200],
                'in_charge': (self.parent.party.name or '')[:200]
                if self.parent else '',
                'email': (getattr(party, 'email', None) or '')[:200],
                'telephone': (getattr(party, 'phone', None) or '')[:200],
                'fax': (getattr(party, 'fax', None) or '')[:200],
                'website': (getattr(party, 'website', None) or '')[:200],
                }
            self._lgsp_organisations.set(self.id, values)
        return Organisation(**values)

    def lgsp_connection_to(self, recipient):
        "The connection a document of this agency reaches recipient through"
        return recipient.lgsp_connection or self.lgsp_connection

    @classmethod
    def find_by_code(cls, code):
        "The agency (ours first) currently holding the mã định danh code"
        if not code:
            return None
        agencies = cls.search([
                ('identifier_code', '=', code),
                ], order=[
                ('external', 'ASC'), ('end_date', 'DESC NULLS FIRST')])
        return agencies[0] if agencies else None

    @classmethod
    def external_agency(cls, connection, code, name, parent_code=None):
        """The external agency of mã định danh code, created when unknown.

        Agencies of other provinces appear in packages before any
        directory synchronisation: they are registered on first sight.
        """
        agency = cls.find_by_code(code)
        if agency is None:
            agency, = cls._create_external(connection, [{
                        'code': code, 'name': name or code,
                        'parent_code': parent_code}])
        return agency

    @classmethod
    def _create_external(cls, connection, entries):
        pool = Pool()
        Party = pool.get('party.party')
        now = dt.datetime.now()
        parties = Party.create([{'name': e['name']} for e in entries])
        currency = cls._lgsp_currency()
        return cls.create([{
                    'party': party.id,
                    'currency': currency.id,
                    'identifier_code': e['code'],
                    'external': True,
                    'timezone': 'Asia/Ho_Chi_Minh',
                    'lgsp_connection': connection.id if connection else None,
                    'lgsp_directory_name': e['name'],
                    'lgsp_directory_parent': e.get('parent_code'),
                    'lgsp_synchronised_at': now,
                    } for e, party in zip(entries, parties)])

    @classmethod
    def _lgsp_currency(cls):
        Currency = Pool().get('currency.currency')
        ours = cls.search([('external', '=', False)], limit=1)
        if ours:
            return ours[0].currency
        currencies = Currency.search([('code', '=', 'VND')], limit=1)
        if currencies:
            return currencies[0]
        currency, = Currency.create([{'name': "Đồng Việt Nam", 'code': 'VND',
                    'symbol': '₫', 'rounding': Decimal(1), 'digits': 0}])
        return currency

    @classmethod
    def synchronise_directory(cls, connection, entries):
        """Bring the external agencies in line with the axis directory.

        New codes become external agencies reached through connection.
        Names and parents change only where they still are what the last
        synchronisation wrote: a local edit is kept. Agencies of this
        installation are never changed. An agency deleted from the
        directory is ended (its end date set), unless edited locally.
        """
        pool = Pool()
        Party = pool.get('party.party')
        now = dt.datetime.now()
        today = pool.get('ir.date').today()
        entries = [e for e in entries if e.code and e.is_agency]
        known = {}
        for sub in _chunks([e.code for e in entries], 500):
            for agency in cls.search([('identifier_code', 'in', sub)],
                    order=[('external', 'DESC')]):
                known[agency.identifier_code] = agency
        new = [{'code': e.code, 'name': e.name or e.code,
                'parent_code': e.parent_code}
            for e in entries if e.code not in known and not e.deleted]
        # Several entries may repeat a code: the first one wins
        unique = {}
        for entry in new:
            unique.setdefault(entry['code'], entry)
        new = list(unique.values())
        for agency in cls._create_external(connection, new):
            known[agency.identifier_code] = agency
        to_save, parties = [], []
        for entry in entries:
            agency = known.get(entry.code)
            if agency is None or not agency.external:
                continue
            changed = False
            if (entry.name and entry.name != agency.lgsp_directory_name
                    and agency.party.name in {agency.lgsp_directory_name,
                        entry.code}):
                agency.party.name = entry.name
                parties.append(agency.party)
                agency.lgsp_directory_name = entry.name
                changed = True
            parent = known.get(entry.parent_code)
            previous_parent = known.get(agency.lgsp_directory_parent)
            if (entry.parent_code != agency.lgsp_directory_parent
                    and agency.parent == previous_parent):
                agency.parent = parent if parent != agency else None
                agency.lgsp_directory_parent = entry.parent_code
                changed = True
            elif agency.parent is None and parent and parent != agency \
                    and agency.lgsp_directory_parent == entry.parent_code:
                agency.parent = parent
                changed = True
            if entry.deleted and not agency.lgsp_directory_deleted:
                agency.lgsp_directory_deleted = True
                if agency.end_date is None:
                    agency.end_date = today
                changed = True
            if changed:
                agency.lgsp_synchronised_at = now
                to_save.append(agency)
        if parties:
            Party.save(parties)
        if to_save:
            cls.save(to_save)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def on_modification(cls, mode, parties, field_names=None):
        super().on_modification(mode, parties, field_names=field_names)
        if _changes(mode, field_names, {'name'}):
            Pool().get('company.company')._lgsp_organisations.clear()


class ContactMechanism(metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'

    @classmethod
    def on_modification(cls, mode, mechanisms, field_names=None):
        super().on_modification(mode, mechanisms, field_names=field_names)
        # A new, changed, moved or removed address of an agency
        Pool().get('company.company')._lgsp_organisations.clear()


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    # Who sends a status (StaffInfo: name, e-mail, unit), by user and
    # current employee: six reads of the user, employee and unit for
    # each status a clerk's action sends
    _lgsp_staff = Cache('res.user.lgsp_staff', context=False)

    @classmethod
    def on_modification(cls, mode, users, field_names=None):
        super().on_modification(mode, users, field_names=field_names)
        if _changes(mode, field_names,
                {'name', 'login', 'email', 'employee', 'employees'}):
            cls._lgsp_staff.clear()


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    @classmethod
    def on_modification(cls, mode, employees, field_names=None):
        super().on_modification(mode, employees, field_names=field_names)
        if _changes(mode, field_names, {'unit'}):
            Pool().get('res.user')._lgsp_staff.clear()


class Unit(metaclass=PoolMeta):
    __name__ = 'vb.unit'

    @classmethod
    def on_modification(cls, mode, units, field_names=None):
        super().on_modification(mode, units, field_names=field_names)
        if _changes(mode, field_names, {'name'}):
            Pool().get('res.user')._lgsp_staff.clear()


def _changes(mode, field_names, watched):
    "Whether an on_modification of mode on field_names touches watched"
    return mode == 'delete' or (mode == 'write' and (
            field_names is None or bool(field_names & watched)))


def _chunks(values, size):
    for i in range(0, len(values), size):
        yield values[i:i + size]
