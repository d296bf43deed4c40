# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Who holds a role: the users of vb_document's groups, agencies and units"
from sql import Null

from trytond.pool import Pool
from trytond.tools import reduce_ids
from trytond.transaction import Transaction, without_check_access


def group_id(name):
    "The id of vb_document's group_<name>"
    return Pool().get('ir.model.data').get_id('vb_document', 'group_' + name)


def in_group(user, name):
    return group_id(name) in {g.id for g in user.groups}


def _users(domain):
    # Who must be told or may act does not depend on who is asking
    with without_check_access():
        return Pool().get('res.user').search(domain, order=[('id', 'ASC')])


def agency_staff(agency, groups):
    "Users employed by agency in one of groups (not the administrators)"
    return _users([
            ('employees.company', '=', agency.id),
            ('groups', 'in', [group_id(g) for g in groups]),
            ])


def unit_heads(units):
    "The users heading units: unit heads whose employee is in the unit"
    if not units:
        return []
    return _users([
            ('employee.unit', 'in', [u.id for u in units]),
            ('groups', 'in', [group_id('unit_head')]),
            ])


def unit_members(units):
    if not units:
        return []
    return _users([('employee.unit', 'in', [u.id for u in units])])


def headed_units():
    """The ids of the units the current user heads.

    Every personal list and each of its tab counts asks it, so it uses the
    platform's cached groups and employees of the user and one query
    instead of reading the user record.
    """
    pool = Pool()
    User = pool.get('res.user')
    Employee = pool.get('company.employee')
    if group_id('unit_head') not in User.get_groups():
        return []
    employees = User.get_employees()
    if not employees:
        return []
    employee = Employee.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*employee.select(employee.unit,
            where=reduce_ids(employee.id, employees)
            & (employee.unit != Null)))
    return sorted({u for u, in cursor})
