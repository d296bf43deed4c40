# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    unit = fields.Function(
        fields.Many2One('vb.unit', "Unit"), 'get_employee_field')
    position = fields.Function(
        fields.Many2One('vb.position', "Position"), 'get_employee_field')

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
