# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Errors of the signing pipeline: a machine-readable code, a Vietnamese message"


class SignatureError(Exception):
    """A signing or embedding step refused its input.

    `code` is stable and meant for programs (the Tryton layer maps it to its
    own user errors); `message` is the Vietnamese text shown to the user.
    Nothing is written when it is raised: every function works on bytes and
    returns new bytes only on success.
    """

    def __init__(self, code, message, detail=None):
        super().__init__(message)
        self.code = code
        self.message = message
        # Technical cause (often pyHanko's English message), for the log only
        self.detail = detail

    def __str__(self):
        return self.message


class SignerError(SignatureError):
    "The key or certificate cannot be used (PKCS#12, PKCS#11, validity)"


class DocumentError(SignatureError):
    "The PDF is not one the step can work on (not a PDF, field missing, …)"


class ExternalSignatureError(SignatureError):
    "A signature returned by an external signer does not fit the request"
