# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Document Configuration"
    __string__ = "Document Configuration"
    __name__ = 'vb.document.configuration'

    max_file_size = fields.Integer(
        "Maximum File Size (MB)", required=True,
        domain=[('max_file_size', '>', 0)],
        help="Files larger than this are refused.")

    @classmethod
    def default_max_file_size(cls):
        return 50

    @property
    def max_file_bytes(self):
        return (self.max_file_size or self.default_max_file_size()) * 1024 * 1024
