# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"A base for the data managers joined to a Tryton transaction"


class TransactionEnd:
    """A data manager that acts only when the transaction ends: once it
    committed (tpc_finish) or when it is rolled back (tpc_abort).

    One a kind a transaction when ``__eq__`` and ``__hash__`` say so
    (``Transaction.join`` returns the one already joined)."""

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_abort(self, transaction):
        pass

    def tpc_finish(self, transaction):
        pass
