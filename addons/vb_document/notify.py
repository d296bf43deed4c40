# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Telling people: a Tryton notification in each recipient's language"
from trytond.i18n import gettext
from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access


def agency_users(agency, groups):
    """The users working for agency (among their companies) in one of
    vb_document's groups (e.g. 'clerk', 'agency_admin')"""
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    # Who must be told does not depend on who is asking
    with without_check_access():
        return User.search([
                ('companies', 'in', [agency.id]),
                ('groups', 'in', [
                        ModelData.get_id('vb_document', 'group_' + g)
                        for g in groups]),
                ], order=[('id', 'ASC')])


def tell(users, records, message_id, icon='tryton-info', **variables):
    """Notify each of users about records (the bell of the web client)
    with the message message_id in the user's language.

    A variable may be a callable: it is called in the user's language
    (a translated label, a text of changes). Return the text of each user.
    """
    texts = []
    for user in users:
        with Transaction().set_context(language=user.language.code
                if user.language else None):
            text = gettext(message_id, **{
                    k: v() if callable(v) else v
                    for k, v in variables.items()})
        records[0].__class__.notify_user(records, icon, text, user=user.id)
        texts.append(text)
    return texts
