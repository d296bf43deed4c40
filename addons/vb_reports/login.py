# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""A log of logins, for the weekly usage report (report 5).

trytond 8 keeps no history of logins: res.user.login.attempt holds the
failed attempts only (removed when the login succeeds, purged after a
delay), res.user.device one cookie per login and device, and ir.session
the open sessions, deleted at logout or when they expire. A successful
login creates an ir.session row (trytond.security.login → Session.new):
that creation is recorded here, with the user's agency at that time.
"""
from sql import Null

from trytond.model import Index, ModelSQL, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Login(ModelSQL):
    "Login"
    __string__ = "Login"
    __name__ = 'vb.reports.login'

    user = fields.Many2One('res.user', "User", required=True,
        ondelete='CASCADE')
    company = fields.Many2One('company.company', "Agency",
        ondelete='SET NULL')
    login_at = fields.DateTime("Logged in at", required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t,
                (t.login_at, Index.Range()), (t.company, Index.Equality())))

    @classmethod
    def record(cls, sessions):
        "Insert one row per session, in SQL (no access rule applies)"
        pool = Pool()
        User = pool.get('res.user')
        user = User.__table__()
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        rows = [(s.create_uid.id, s.create_date) for s in sessions
            if s.create_uid and s.create_uid.id]
        if not rows:
            return
        user_ids = sorted({u for u, _ in rows})
        cursor.execute(*user.select(user.id, user.company,
                where=user.id.in_(user_ids) & (user.company != Null)))
        companies = dict(cursor)
        cursor.execute(*table.insert(
                [table.user, table.company, table.login_at,
                    table.create_uid, table.create_date],
                [[u, companies.get(u), at, u, at] for u, at in rows]))


class Session(metaclass=PoolMeta):
    __name__ = 'ir.session'

    @classmethod
    def on_modification(cls, mode, sessions, field_names=None):
        super().on_modification(mode, sessions, field_names=field_names)
        if mode == 'create':
            Pool().get('vb.reports.login').record(sessions)
