# This file is part of VBĐH. The COPYRIGHT file at the top level of this repository contains the full copyright notices and license terms.

from trytond.pool import Pool


def file_signatures(attachment_id):
    """(signature status, sorted [(kind, status)] of its signatures) of a
    document file, read again: the check writes its result in SQL"""
    pool = Pool()
    Attachment = pool.get('ir.attachment')
    Report = pool.get('vb.signature.report')
    values, = Attachment.read([attachment_id],
        ['signature_status', 'signature_report'])
    report = values['signature_report']
    return values['signature_status'], sorted((s.kind, s.status)
        for s in (Report(report).signatures if report else []))


def check_pending_files():
    """Check the files waiting for their signature check, as the file task
    queued by their change does after the commit (a sealed file is
    checked there, not in the issue)"""
    Attachment = Pool().get('ir.attachment')
    Attachment.check_waiting(Attachment.search([
                ('signature_status', '=', 'pending')]))
