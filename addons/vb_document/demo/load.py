# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Load a generated province into a database (demo, tests, benchmarks).

Everything runs through the ORM, the way users would: documents are
issued, delivered, registered and refused by their clerks.
"""
import datetime as dt
import logging
from decimal import Decimal


from trytond.pool import Pool
from trytond.transaction import Transaction, TransactionError

from . import generate_province
from .pdf import document_pdf

logger = logging.getLogger(__name__)

ROLE_GROUPS = {
    'clerk': ['clerk'],
    'leader': ['leader'],
    'unit_head': ['unit_head'],
    'officer': ['officer'],
    'agency_admin': ['agency_admin'],
    }
TYPE_CODES = {'CV': 'cong_van'}


def run(database, func, *args, user=0, context=None, **kwargs):
    """Run func in its own transaction, restarted with the locks asked.

    Mirrors what the RPC dispatcher and trytond's test decorator do for
    lock requests (ModelSQL.lock, gapless counters).
    """
    extras = {}
    while True:
        with Transaction().start(database, user, context=context,
                **extras) as transaction:
            try:
                result = func(*args, **kwargs)
            except TransactionError as e:
                transaction.rollback()
                e.fix(extras)
                continue
            transaction.commit()
            return result


def translate_platform(database, core_po):
    """Translate the platform's own strings into Vietnamese.

    Overriding strings of other modules only updates existing vi rows, so
    the "Update translations" wizard creates them first (see tryton-8.md
    §8.3), then our translations of the core strings are imported.
    """
    def _translate():
        pool = Pool()
        Lang = pool.get('ir.lang')
        Translation = pool.get('ir.translation')
        Update = pool.get('ir.translation.update', type='wizard')
        lang, = Lang.search([('code', '=', 'vi')])
        if not lang.translatable:
            lang.translatable = True
            lang.save()
        # The wizard copies rows from the default language: from en then
        configuration = pool.get('ir.configuration')(1)
        default = configuration.language
        configuration.language = 'en'
        configuration.save()
        try:
            session_id, _, _ = Update.create()
            Update.execute(
                session_id, {'start': {'language': lang.id}}, 'update')
            Update.delete(session_id)
        finally:
            configuration.language = default
            configuration.save()
        # Its guesses are fuzzy, hence never shown, and would stay so
        Translation.write(Translation.search([
                    ('lang', '=', 'vi'), ('fuzzy', '=', True)]),
            {'value': None, 'fuzzy': False})
        if core_po.exists():
            # One import with both files: an import removes the rows of
            # the module that are not in the files given
            Translation.translation_import('vi', 'vb_document', [
                    str(core_po.parent.parent / 'vi.po'), str(core_po)])
    run(database, _translate)


def set_vietnamese_default(database):
    "Make vi the language of the installation and of its users"
    def _set():
        pool = Pool()
        Configuration = pool.get('ir.configuration')
        Lang = pool.get('ir.lang')
        User = pool.get('res.user')
        lang, = Lang.search([('code', '=', 'vi')])
        configuration = Configuration(1)
        configuration.language = 'vi'
        configuration.save()
        users = User.search([
                ('login', '!=', 'root'),
                ['OR', ('language', '=', None), ('language.code', '=', 'en')],
                ])
        User.write(users, {'language': lang.id})
    run(database, _set)


def province_loaded(database):
    def _loaded():
        Company = Pool().get('company.company')
        return bool(Company.search([('abbreviation', '!=', None)], limit=1))
    return run(database, _loaded)


def load_demo(database, password, departments=20, communes=30,
        documents=40, seed=2026):
    province = generate_province(seed=seed, departments=departments,
        communes=communes, documents=documents)
    ids = run(database, load_directory, province, password,
        context={'language': 'vi'})
    load_documents(database, province, ids)
    run(database, index_demo_files)
    return province, ids


def index_demo_files():
    """Read the text of the demo's files now: nothing runs the tasks that
    the loading queued for the worker (the demo server runs without one)"""
    Attachment = Pool().get('ir.attachment')
    Attachment.index_file_text(
        Attachment.search([('text_state', '=', 'pending')]))


def _vnd():
    Currency = Pool().get('currency.currency')
    currencies = Currency.search([('code', '=', 'VND')])
    if currencies:
        return currencies[0]
    currency, = Currency.create([{'name': "Đồng Việt Nam", 'code': 'VND',
                'symbol': '₫', 'rounding': Decimal('1'), 'digits': 0}])
    return currency


def load_directory(province, password):
    """Create agencies, units, registers and staff.

    Returns the ids needed later: agency by code, user by login, unit by
    (agency code, abbreviation).
    """
    pool = Pool()
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    Unit = pool.get('vb.unit')
    Register = pool.get('vb.document.register')
    Position = pool.get('vb.position')
    Employee = pool.get('company.employee')
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Lang = pool.get('ir.lang')

    currency = _vnd()
    vi, = Lang.search([('code', '=', 'vi')])
    parties = Party.create([{
                'name': a.name,
                'addresses': [('create', [{'street': a.address,
                                'city': province.name}])],
                'contact_mechanisms': [('create', [
                            {'type': 'email', 'value': a.email},
                            {'type': 'phone', 'value': a.phone}])],
                } for a in province.agencies])
    agencies = Company.create([{
                'party': party.id,
                'currency': currency.id,
                'timezone': 'Asia/Ho_Chi_Minh',
                'identifier_code': a.code,
                'abbreviation': a.abbreviation,
                'level': a.level,
                'kind': a.kind,
                'external': a.external,
                'place': province.name,
                **_demo_agency_values(Company),
                } for a, party in zip(province.agencies, parties)])
    agency_ids = {a.code: c.id for a, c in zip(province.agencies, agencies)}
    for spec, agency in zip(province.agencies, agencies):
        if spec.parent:
            agency.parent = agency_ids[spec.parent]
    Company.save(agencies)

    unit_values, unit_keys = [], []
    for spec in province.agencies:
        for unit in spec.units:
            unit_values.append({'company': agency_ids[spec.code],
                    'name': unit.name, 'abbreviation': unit.abbreviation})
            unit_keys.append((spec.code, unit.abbreviation))
    unit_ids = {k: u.id for k, u in zip(unit_keys, Unit.create(unit_values))}

    Register.create([{
                'company': agency_ids[a.code], 'name': name,
                'direction': direction, 'code': code}
            for a in province.agencies if not a.external
            for name, direction, code in [
                ("Sổ đăng ký văn bản đến", 'incoming', 'DEN'),
                ("Sổ đăng ký văn bản đi", 'outgoing', 'DI')]])

    positions = {p.name: p for p in Position.search([])}
    people = [(a, p) for a in province.agencies for p in a.people]
    for _, person in people:
        if person.position not in positions:
            positions[person.position], = Position.create([{
                        'name': person.position,
                        'leader': person.role in {'leader', 'unit_head'}}])
    person_parties = Party.create([{
                'name': p.name,
                'contact_mechanisms': [('create', [
                            {'type': 'email', 'value': p.email}])],
                } for _, p in people])
    employees = Employee.create([{
                'party': party.id,
                'company': agency_ids[a.code],
                'unit': unit_ids.get((a.code, p.unit)),
                'position': positions[p.position].id,
                } for (a, p), party in zip(people, person_parties)])
    # One hash for the shared demo password: hashing is slow by design
    password_hash = User.hash_password(password)
    group_ids = {role: [ModelData.get_id('vb_document', 'group_' + g)
            for g in groups] for role, groups in ROLE_GROUPS.items()}
    users = User.create([{
                'login': p.login,
                'name': p.name,
                'email': p.email,
                'password_hash': password_hash,
                'language': vi.id,
                'companies': [('add', [agency_ids[a.code]])],
                'company': agency_ids[a.code],
                'employees': [('add', [employee.id])],
                'employee': employee.id,
                'groups': [('add', group_ids[p.role])],
                } for (a, p), employee in zip(people, employees)])

    admin, = User.search([('login', '=', 'admin')])
    internal = [agency_ids[a.code] for a in province.agencies
        if not a.external]
    User.write([admin], {
            'companies': [('add', internal)],
            'company': internal[0],
            'company_filter': 'all',
            'language': vi.id,
            })
    return {
        'agencies': agency_ids,
        'units': {f'{c}|{u}': i for (c, u), i in unit_ids.items()},
        'users': {u.login: u.id for u in users},
        'employees': {p.login: e.id for (_, p), e in zip(people, employees)},
        }


def _demo_agency_values(Company):
    """Settings of the demo agencies for the modules installed.

    The demo's received documents are history made up without signatures:
    with vb_signature the demo agencies warn about unsigned received files
    instead of refusing them (the default a real agency keeps).
    """
    if 'signature_policy' in Company._fields:
        return {'signature_policy': 'warn'}
    return {}


def _agency_clerk(province, code, ids):
    agency = province.agency(code)
    for person in agency.people:
        if person.role == 'clerk':
            return ids['users'][person.login]


def load_documents(database, province, ids):
    "Create the demo documents and move them through their flows as users"
    today = dt.date.today()
    for index, spec in enumerate(province.documents):
        user = _agency_clerk(province, spec.agency, ids)
        # The clerk confirmed the warnings of the demo's history (unsigned
        # received files with vb_signature)
        context = {'company': ids['agencies'][spec.agency],
            'language': 'vi', '_skip_warnings': True}
        document_id = run(database, _create_document, spec, ids, today,
            index, user=user, context=context)
        if spec.direction == 'outgoing' and spec.state == 'issued':
            run(database, _button, 'issue', document_id,
                user=user, context=context)
        elif spec.direction == 'incoming' and spec.state == 'registered':
            run(database, _button, 'register_document', document_id,
                user=user, context=context)
        elif spec.direction == 'incoming' and spec.state == 'refused':
            run(database, _refuse, document_id,
                "Văn bản gửi không đúng thẩm quyền giải quyết.",
                user=user, context=context)


def _catalog(model, code):
    record, = Pool().get(model).search([('code', '=', code)])
    return record.id


def _type_id(type_code):
    DocumentType = Pool().get('vb.document.type')
    code = TYPE_CODES.get(type_code)
    domain = ([('code', '=', code)] if code
        else [('abbreviation', '=', type_code)])
    record, = DocumentType.search(domain, limit=1)
    return record.id


def _create_document(spec, ids, today, index):
    pool = Pool()
    Document = pool.get('vb.document')
    Attachment = pool.get('ir.attachment')
    Company = pool.get('company.company')
    agency_id = ids['agencies'][spec.agency]
    values = {
        'company': agency_id,
        'direction': spec.direction,
        'type': _type_id(spec.type_code),
        'subject': spec.subject,
        'urgency': _catalog('vb.document.urgency', spec.urgency),
        'page_count': 1 + index % 4,
        }
    if spec.direction == 'incoming':
        issuer = Company(ids['agencies'][spec.issuer]) if spec.issuer \
            else None
        values.update({
                'issuer': issuer.id if issuer else None,
                'issuer_name': issuer.rec_name if issuer else None,
                'number_notation': spec.issuer_notation,
                'issued_date': spec.issued_date,
                'arrival_date': min(today, spec.issued_date
                    + dt.timedelta(days=2)) if spec.issued_date else today,
                'source': 'paper' if issuer and issuer.external
                else 'internal',
                'deadline': today + dt.timedelta(days=10 + index % 20),
                })
        if spec.state in {'waiting', 'refused'}:
            values.update(state='waiting', arrival_date=None)
    else:
        values.update({
                'drafting_unit': ids['units'].get(
                    f'{spec.agency}|{spec.drafting_unit}'),
                'signer': ids['employees'].get(spec.signer_login),
                'recipients': [('create', [
                            {'agency': ids['agencies'][c]}
                            for c in spec.recipients])],
                'recipients_text': '\n'.join(
                    ['Nơi nhận:']
                    + [f'- {Company(ids["agencies"][c]).rec_name};'
                        for c in spec.recipients]
                    + [f'- Lưu: VT, {spec.drafting_unit or "VP"}.']),
                })
    document, = Document.create([values])
    Attachment.create([{
                'name': f'van-ban-{document.id}.pdf',
                'data': document_pdf(document),
                'document_role': 'main',
                'resource': str(document),
                }])
    return document.id


def _button(name, document_id):
    Document = Pool().get('vb.document')
    with Transaction().set_context(_skip_warnings=True):
        getattr(Document, name)([Document(document_id)])


def _refuse(document_id, reason):
    Document = Pool().get('vb.document')
    Document.do_refuse([Document(document_id)], reason)
