# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Proteus helpers of the scenarios"
from decimal import Decimal

from proteus import Model

from .tools import minimal_pdf


def setup_agencies(config=None):
    """Two agencies of the province with registers, units and staff.

    Returns a dict of records: agencies ubnd and snv, users and employees.
    """
    Party = Model.get('party.party', config=config)
    Company = Model.get('company.company', config=config)
    Currency = Model.get('currency.currency', config=config)
    Register = Model.get('vb.document.register', config=config)
    Unit = Model.get('vb.unit', config=config)
    Employee = Model.get('company.employee', config=config)
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    # The administrator works across agencies (and gets each new one)
    admin = User(1)
    admin.company_filter = 'all'
    admin.save()
    currency = Currency(name="Đồng Việt Nam", code='VND', symbol='₫',
        rounding=Decimal('1'), digits=0)
    currency.save()
    groups = {g.name: g for g in Group.find([])}
    records = {}
    for key, name, code, abbreviation in [
            ('ubnd', "UBND tỉnh Hải Vân", '000.00.00.H99', 'UBND'),
            ('snv', "Sở Nội vụ", '000.00.05.H99', 'SNV')]:
        party = Party(name=name)
        party.save()
        agency = Company(party=party, currency=currency,
            identifier_code=code, abbreviation=abbreviation,
            timezone='Asia/Ho_Chi_Minh')
        agency.save()
        for register_name, direction in [
                ("Sổ văn bản đến", 'incoming'), ("Sổ văn bản đi", 'outgoing')]:
            Register(company=agency, name=register_name,
                direction=direction).save()
        unit = Unit(company=agency, name="Văn phòng", abbreviation='VP')
        unit.save()
        records[key] = agency
        records[key + '_unit'] = unit
        for role, group in [('clerk', 'Clerk'), ('leader', 'Leader')]:
            person = Party(name=f"{role} {abbreviation}")
            person.save()
            employee = Employee(party=person, company=agency, unit=unit)
            employee.save()
            user = User(login=f'{role}.{key}', name=person.name)
            user.companies.append(Company(agency.id))
            user.company = Company(agency.id)
            user.employees.append(Employee(employee.id))
            user.employee = Employee(employee.id)
            user.groups.append(Group(groups[group].id))
            user.save()
            records[f'{role}_{key}'] = user
            records[f'{role}_{key}_employee'] = employee
    return records


def attach_pdf(document, name='van-ban.pdf', role='main', config=None,
        data=None):
    Attachment = Model.get('ir.attachment', config=config)
    attachment = Attachment(name=name, data=data or minimal_pdf(),
        document_role=role, resource=document)
    attachment.save()
    return attachment
