# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Errors of the rendering layer: a machine-readable code, a Vietnamese message"


class ReportError(ValueError):
    """A report definition or its data cannot be rendered.

    `code` is stable and meant for programs (the Tryton layer maps it to its
    own user errors); `message` is the Vietnamese text shown to the user.
    The renderers return bytes, or write to the given output only once the
    whole file is built, so nothing is written when this is raised.
    """

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self):
        return self.message
