# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Catalogs shared by every agency of the installation"
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields


class _CodedCatalog(DeactivableMixin, ModelSQL, ModelView):
    name = fields.Char("Name", required=True)
    code = fields.Char("Code", required=True, strip=True)
    sequence = fields.Integer("Sequence")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('code_uniq', Unique(t, t.code), 'vb_document.msg_code_unique'),
            ]
        cls._order.insert(0, ('sequence', 'ASC NULLS LAST'))


class DocumentType(_CodedCatalog):
    "Document Type (loại văn bản)"
    __string__ = "Document Type"
    __name__ = 'vb.document.type'

    abbreviation = fields.Char(
        "Abbreviation", size=10, strip=True,
        help="The official abbreviation of Nghị định 30/2020 (e.g. QĐ). "
        "Leave empty for công văn: their notation uses the drafting unit.")


class DocumentField(_CodedCatalog):
    "Field (lĩnh vực)"
    __string__ = "Field"
    __name__ = 'vb.document.field'


class Urgency(_CodedCatalog):
    "Urgency (độ khẩn)"
    __string__ = "Urgency"
    __name__ = 'vb.document.urgency'

    urgent = fields.Boolean(
        "Urgent", help="Urgent documents are handled immediately.")


class Secrecy(_CodedCatalog):
    "Confidentiality (độ mật)"
    __string__ = "Confidentiality"
    __name__ = 'vb.document.secrecy'

    secret = fields.Boolean(
        "Secret",
        help="Secret documents use their own registers and are never "
        "exchanged electronically.")
