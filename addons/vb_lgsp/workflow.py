# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""With vb_workflow: the processing of a document received through the
axis is reported to its sender (04 assigned, 05 in progress, 06 done)."""
from trytond.pool import PoolMeta

# vb_workflow processing state -> status code (spec §1.11)
STATUS_OF_PROCESSING = {
    'assigned': '04',
    'processing': '05',
    'done': '06',
    }


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    @classmethod
    def set_processing_state(cls, documents, state):
        super().set_processing_state(documents, state)
        code = STATUS_OF_PROCESSING.get(state)
        if code:
            # Each code goes once: reopening a completed document does
            # not send 05 again
            cls.tell_lgsp_sender(documents, code)
