# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
import unittest

from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, with_transaction
from trytond.transaction import Transaction


class NotificationTestCase(unittest.TestCase):
    "Notifications whose text has several lines (what users typed)"

    @classmethod
    def setUpClass(cls):
        activate_module('vb_document')

    @with_transaction()
    def test_lines(self):
        "The first line is the label, the others the description"
        pool = Pool()
        Notification = pool.get('res.notification')
        # As ModelStorage.notify_user makes it, saved at the commit
        notification = Notification(user=Transaction().user,
            icon='tryton-info',
            label="Văn bản \"07/UBND\" đã được cập nhật: Đính chính\r\n"
            "Trích yếu: cũ → mới\n\nHãy đồng ý hoặc từ chối.")
        Notification.save([notification])
        self.assertEqual(notification.label,
            "Văn bản \"07/UBND\" đã được cập nhật: Đính chính")
        self.assertEqual(notification.description,
            "Trích yếu: cũ → mới Hãy đồng ý hoặc từ chối.")

        given, = Notification.create([{'user': Transaction().user,
                    'label': "Một dòng", 'description': "Hai\ndòng"}])
        self.assertEqual((given.label, given.description),
            ("Một dòng", "Hai dòng"))
