# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Proteus helpers of the vb_workflow scenarios"
from proteus import Model

from trytond.modules.vb_document.tests.scenario_tools import attach_pdf

GROUPS = {
    'clerk': "Clerk", 'leader': "Leader", 'unit_head': "Unit Head",
    'officer': "Officer", 'agency_admin': "Agency Administrator",
    }


def add_staff(agency, login, groups, unit=None, config=None):
    "A user of agency with an employee in unit and the vb groups named"
    Party = Model.get('party.party', config=config)
    Company = Model.get('company.company', config=config)
    Employee = Model.get('company.employee', config=config)
    User = Model.get('res.user', config=config)
    Group = Model.get('res.group', config=config)
    Unit = Model.get('vb.unit', config=config)
    party = Party(name=login)
    party.save()
    employee = Employee(party=party, company=Company(agency.id),
        unit=Unit(unit.id) if unit else None)
    employee.save()
    user = User(login=login, name=login)
    user.companies.append(Company(agency.id))
    user.company = Company(agency.id)
    user.employees.append(Employee(employee.id))
    user.employee = Employee(employee.id)
    for name in groups:
        group, = Group.find([('name', '=', GROUPS[name])])
        user.groups.append(group)
    user.save()
    return user


def deliver(records, subject, config=None):
    """UBND tỉnh issues a công văn to Sở Nội vụ, whose clerk registers it.

    Returns (outgoing, incoming) as seen by the current user.
    """
    from trytond.tests.tools import set_user
    Document = Model.get('vb.document', config=config)
    Company = Model.get('company.company', config=config)
    Employee = Model.get('company.employee', config=config)
    DocumentType = Model.get('vb.document.type', config=config)
    letter, = DocumentType.find([('code', '=', 'cong_van')])
    set_user(records['clerk_ubnd'])
    outgoing = Document(direction='outgoing', type=letter, subject=subject,
        recipients_text="- Sở Nội vụ;\n- Lưu: VT.",
        signer=Employee(records['leader_ubnd_employee'].id))
    outgoing.recipients.new(agency=Company(records['snv'].id))
    outgoing.save()
    attach_pdf(outgoing, config=config)
    outgoing.click('issue')
    set_user(records['clerk_snv'])
    incoming, = Document.find([
            ('direction', '=', 'incoming'),
            ('state', '=', 'waiting'),
            ('origin.document', '=', outgoing.id),
            ])
    incoming.click('register_document')
    return outgoing, incoming
