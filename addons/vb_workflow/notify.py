# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Telling people: a Tryton notification, and an e-mail when they have one"
from email.message import EmailMessage

from trytond.config import config
from trytond.pool import Pool
from trytond.sendmail import send_message_transactional
from trytond.transaction import Transaction

from trytond.modules.vb_document import notify


def tell(users, record, message_id, email=True, **variables):
    """Notify users about record with the message message_id.

    Each user gets a notification (the bell of the web client, opening
    record) in their language, and an e-mail when they have an address
    and email is set. The author of the action is not told.
    """
    User = Pool().get('res.user')
    author = Transaction().user
    users = User.browse(sorted({int(u) for u in users if u} - {author}))
    texts = notify.tell(users, [record], message_id, **variables)
    if email:
        for user, text in zip(users, texts):
            if user.email:
                # A header has one line: what users typed may have several
                subject = next((line for line in text.splitlines()
                        if line.strip()), text)
                send_email([user.email], subject, text)


def send_email(to, subject, body):
    "Send an e-mail when the transaction commits"
    msg = EmailMessage()
    msg['From'] = config.get('email', 'from')
    msg['To'] = ', '.join(to)
    msg['Subject'] = subject
    msg.set_content(body)
    send_message_transactional(msg)
