# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Relations between documents: revoke (thu hồi), replace (thay thế),
amend (sửa đổi, bổ sung), correct (đính chính).

A relation is recorded on the newer document and shown on both sides. It
takes effect once that document is registered or issued: from then on the
older one shows that it is revoked, replaced, amended or corrected in every
list, and the people who handled it are told when it is revoked or
replaced.
"""
from sql import Literal

from trytond import backend
from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .exceptions import DocumentValidationError
from .notify import tell

KINDS = [
    ('revoke', "Revokes"),
    ('replace', "Replaces"),
    ('amend', "Amends"),
    ('correct', "Corrects"),
    ]
VALIDITY = [
    ('valid', "In Force"),
    ('corrected', "Corrected"),
    ('amended', "Amended"),
    ('replaced', "Replaced"),
    ('revoked', "Revoked"),
    ]
# What a relation makes of the older document, the strongest last
KIND_VALIDITY = {
    'correct': 'corrected',
    'amend': 'amended',
    'replace': 'replaced',
    'revoke': 'revoked',
    }
STRENGTH = [v for v, _ in VALIDITY]
# States in which a document has legal effect on others
EFFECTIVE_STATES = ('registered', 'issued')


class Relation(ModelSQL, ModelView):
    "Relation between Documents"
    __string__ = "Relation between Documents"
    __name__ = 'vb.document.relation'

    document = fields.Many2One('vb.document', "Document", required=True,
        ondelete='CASCADE',
        help="The newer document, which revokes, replaces, amends or "
        "corrects the other.")
    kind = fields.Selection(KINDS, "Relation", required=True)
    target = fields.Many2One('vb.document', "Affected Document",
        required=True, ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    company = fields.Function(fields.Many2One('company.company', "Agency"),
        'on_change_with_company')
    note = fields.Text("Note")
    effective = fields.Function(fields.Boolean("In Effect"),
        'get_effective')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('document')
        cls._sql_constraints += [
            ('relation_unique', Unique(t, t.document, t.target, t.kind),
                'vb_document.msg_relation_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.document, Index.Equality())),
                Index(t, (t.target, Index.Equality())),
                })

    @fields.depends('document', '_parent_document.company')
    def on_change_with_company(self, name=None):
        return self.document.company.id if self.document \
            and self.document.company else None

    def get_effective(self, name):
        return self.document.state in EFFECTIVE_STATES

    def get_rec_name(self, name):
        kinds = dict(self.fields_get(['kind'])['kind']['selection'])
        return '%s %s %s' % (self.document.rec_name, kinds[self.kind].lower(),
            self.target.rec_name)

    @classmethod
    def validate_fields(cls, relations, field_names):
        super().validate_fields(relations, field_names)
        for relation in relations:
            if relation.document == relation.target:
                raise DocumentValidationError(gettext(
                        'vb_document.msg_relation_itself',
                        document=relation.document.rec_name))
            if relation.document.company != relation.target.company:
                raise DocumentValidationError(gettext(
                        'vb_document.msg_relation_other_agency',
                        document=relation.target.rec_name))

    @classmethod
    def on_modification(cls, mode, relations, field_names=None):
        super().on_modification(mode, relations, field_names=field_names)
        if mode in {'create', 'write'}:
            cls.tell_handlers([r for r in relations if r.effective])

    @classmethod
    def tell_handlers(cls, relations):
        "Tell who handled the documents revoked or replaced by relations"
        for relation in relations:
            if relation.kind not in {'revoke', 'replace'}:
                continue
            target = relation.target
            tell(target._relation_handlers(), [target],
                'vb_document.msg_relation_' + relation.kind,
                icon='tryton-warning', target=target.rec_name,
                document=relation.document.rec_name)


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    relations = fields.One2Many('vb.document.relation', 'document',
        "Affects", states={
            'readonly': Eval('state').in_(['cancelled', 'refused']),
            },
        help="The documents this one revokes, replaces, amends or "
        "corrects.")
    related_by = fields.One2Many('vb.document.relation', 'target',
        "Affected By", readonly=True)
    validity = fields.Function(fields.Selection(VALIDITY, "Validity"),
        'get_validity', searcher='search_validity')

    @classmethod
    def get_validity(cls, documents, name):
        # Lists show it for each row: one query for all of them
        Relation = Pool().get('vb.document.relation')
        relation = Relation.__table__()
        source = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {d.id: 'valid' for d in documents}
        for sub_ids in grouped_slice(list(result), backend.MAX_QUERY_PARAMS):
            cursor.execute(*relation
                .join(source, condition=source.id == relation.document)
                .select(relation.target, relation.kind,
                    where=reduce_ids(relation.target, sub_ids)
                    & source.state.in_(EFFECTIVE_STATES)))
            for target, kind in cursor:
                validity = KIND_VALIDITY[kind]
                if STRENGTH.index(validity) > STRENGTH.index(result[target]):
                    result[target] = validity
        return result

    @classmethod
    def search_validity(cls, name, clause):
        _, operator, value = clause[:3]
        Relation = Pool().get('vb.document.relation')
        relation = Relation.__table__()
        source = cls.__table__()
        values = value if isinstance(value, (list, tuple)) else [value]
        kinds = [k for k, v in KIND_VALIDITY.items() if v in values]
        affected = relation.join(source,
            condition=source.id == relation.document).select(
                relation.target,
                where=source.state.in_(EFFECTIVE_STATES)
                & (relation.kind.in_(kinds) if kinds else Literal(False)))
        domain = [('id', 'in', affected)]
        if 'valid' in values:
            everything = relation.join(source,
                condition=source.id == relation.document).select(
                    relation.target,
                    where=source.state.in_(EFFECTIVE_STATES))
            domain = ['OR', domain, ('id', 'not in', everything)]
        if operator in {'!=', 'not in'}:
            return [('id', 'not in', cls.search(domain, query=True))]
        return domain

    def _relation_handlers(self):
        """The users told when this document is revoked or replaced: who
        registered or numbered it and who entered it; vb_workflow adds
        its handlers"""
        users = {self.numbered_by, self.create_uid}
        return sorted((u for u in users if u and u.id), key=lambda u: u.id)

    @classmethod
    def register_document(cls, documents):
        super().register_document(documents)
        cls._relations_take_effect(documents)

    @classmethod
    def issue(cls, documents):
        super().issue(documents)
        cls._relations_take_effect(documents)

    @classmethod
    def _relations_take_effect(cls, documents):
        Relation = Pool().get('vb.document.relation')
        Relation.tell_handlers(Relation.search([
                    ('document', 'in', [d.id for d in documents]),
                    ]))

    @classmethod
    def copy(cls, documents, default=None):
        default = dict(default or {})
        default.setdefault('relations')
        default.setdefault('related_by')
        return super().copy(documents, default=default)
