# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond.pool import PoolMeta


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.extend([
                ('vb.lgsp.connection|poll',
                    "Read the Inboxes of the Document Axes"),
                ('vb.lgsp.connection|synchronise_directories',
                    "Synchronise the Agency Directories of the Axes"),
                ('vb.document|retry_channel_answers',
                    "Post Again the Answers to the Inbound Channels"),
                ])
