# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond import backend
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    unit = fields.Function(
        fields.Many2One('vb.unit', "Unit"), 'get_employee_field')
    position = fields.Function(
        fields.Many2One('vb.position', "Position"), 'get_employee_field')

    @classmethod
    def get_rec_name(cls, users, name):
        # As res.user's (the name, else the login), in one query: lists
        # show the users of their rows (assigned by, signer, author), and
        # loading the user records reads every column of each
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        names = {}
        for sub_ids in grouped_slice(
                [u.id for u in users], backend.MAX_QUERY_PARAMS):
            cursor.execute(*table.select(table.id, table.name, table.login,
                    where=reduce_ids(table.id, sub_ids)))
            names.update((i, n or l) for i, n, l in cursor)
        return names

    def get_employee_field(self, name):
        value = getattr(self.employee, name, None) if self.employee else None
        return value.id if value else None

    @classmethod
    def grant_system_admins(cls, agencies):
        "Give the members of the system administration group the agencies"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Group = pool.get('res.group')
        group = Group(ModelData.get_id('vb_document', 'group_system_admin'))
        admins = [u for u in group.users if u.active]
        if admins:
            cls.write(admins, {
                    'companies': [('add', [a.id for a in agencies])],
                    })


class Notification(metaclass=PoolMeta):
    __name__ = 'res.notification'

    @classmethod
    def preprocess_values(cls, mode, values):
        """One line for the label and the description: both are Char
        fields, which refuse a line break at commit, and the messages of
        the suite carry what users typed (directives, reasons, changes).
        The first line is the label; the other lines follow in the
        description."""
        values = super().preprocess_values(mode, values)
        label = values.get('label')
        if label and ('\n' in label or '\r' in label):
            first, *rest = [line.strip() for line in label.splitlines()
                if line.strip()] or ['']
            values['label'] = first
            if rest and not values.get('description'):
                values['description'] = ' '.join(rest)
        description = values.get('description')
        if description and ('\n' in description or '\r' in description):
            values['description'] = ' '.join(description.split())
        return values
