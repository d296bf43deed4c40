# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Approval (trình duyệt) of outgoing drafts before the clerk issues them.

The agency configures chains of review steps per document type; when a
chain applies, a draft goes draft → review → approved → issued, each
stage of reviewers deciding in turn, and any reviewer may send it back
to its author. The main file is kept as a version at each submission and
each return, so the reviewers can see what changed.
"""
import datetime as dt
import difflib
import hashlib
import io

from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.modules.vb_document.company import current_agency
from trytond.modules.vb_document.model import (
    check_transition, strict_transition)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import WorkflowError, WorkflowValidationError
from .notify import tell
from .staff import agency_staff, unit_heads

STEP_KINDS = [
    ('unit_head', "Head of the Drafting Unit"),
    ('unit', "Heads of a Unit"),
    ('user', "A Person"),
    ('signer', "The Signer"),
    ]
APPROVAL_STATES = [
    ('waiting', "Waiting"),
    ('pending', "Pending"),
    ('approved', "Approved"),
    ('returned', "Returned"),
    ('skipped', "Skipped"),
    ('closed', "Closed"),
    ]
OPEN_STATES = ['waiting', 'pending']
AUTHORITIES = [
    (None, ""),
    ('KT', "KT."),
    ('TUQ', "TUQ."),
    ]
VERSION_STAGES = [
    ('submit', "Submitted for Review"),
    ('return', "Returned"),
    ]

_outgoing = Eval('direction') == 'outgoing'


class Chain(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "The reviews an agency requires before issuing documents of some types"
    __string__ = "Approval Chain"
    __name__ = 'vb.approval.chain'

    company = fields.Many2One('company.company', "Agency", required=True,
        ondelete='CASCADE', domain=[('external', '=', False)])
    name = fields.Char("Name", required=True)
    types = fields.Many2Many(
        'vb.approval.chain-vb.document.type', 'chain', 'type',
        "Document Types",
        help="The types of outgoing documents the chain applies to; "
        "leave empty for every type that has no chain of its own.")
    steps = fields.One2Many('vb.approval.chain.step', 'chain', "Steps",
        help="Steps with the same stage run in parallel; the chain ends "
        "with the signer.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.company, Index.Equality())))

    @classmethod
    def default_company(cls):
        return current_agency()

    @classmethod
    def validate_fields(cls, chains, field_names):
        super().validate_fields(chains, field_names)
        if field_names is None or 'steps' in field_names:
            for chain in chains:
                chain.check_steps()

    def check_steps(self):
        "The chain must end with a single, mandatory signer step"
        signers = [s for s in self.steps if s.kind == 'signer']
        others = [s for s in self.steps if s.kind != 'signer']
        if (len(signers) != 1
                or any(s.stage >= signers[0].stage for s in others)):
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_approval_chain_signer_last',
                    chain=self.rec_name))
        if signers[0].optional:
            raise WorkflowValidationError(gettext(
                    'vb_workflow.msg_approval_chain_signer_optional',
                    chain=self.rec_name))

    @classmethod
    def find(cls, agency, type_):
        "The chain that applies to documents of type_ in agency, or None"
        chains = cls.search([('company', '=', agency.id)])
        return cls.pick(chains, type_)

    @staticmethod
    def pick(chains, type_):
        "The first chain listing type_, else the first without types"
        for chain in chains:
            if type_ and type_ in chain.types:
                return chain
        for chain in chains:
            if not chain.types:
                return chain


class ChainDocumentType(ModelSQL):
    "Approval Chain - Document Type"
    __string__ = "Approval Chain - Document Type"
    __name__ = 'vb.approval.chain-vb.document.type'
    chain = fields.Many2One('vb.approval.chain', "Chain", required=True,
        ondelete='CASCADE')
    type = fields.Many2One('vb.document.type', "Type", required=True,
        ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('chain')


class ChainStep(sequence_ordered(), ModelSQL, ModelView):
    "A step of an approval chain"
    __string__ = "Approval Step"
    __name__ = 'vb.approval.chain.step'

    chain = fields.Many2One('vb.approval.chain', "Chain", required=True,
        ondelete='CASCADE')
    name = fields.Char("Name", required=True,
        help="What the step is, e.g. \"Legal review\".")
    stage = fields.Integer("Stage", required=True,
        domain=[('stage', '>=', 1)],
        help="Steps of the same stage run in parallel: all must approve "
        "before the next stage opens.")
    kind = fields.Selection(STEP_KINDS, "Reviewer", required=True)
    unit = fields.Many2One('vb.unit', "Unit", ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('_parent_chain', {}).get('company', -1)),
            ],
        states={
            'invisible': Eval('kind') != 'unit',
            'required': Eval('kind') == 'unit',
            },
        help="Its unit heads review the draft.")
    user = fields.Many2One('res.user', "Person", ondelete='RESTRICT',
        domain=[
            ('companies', 'in',
                [Eval('_parent_chain', {}).get('company', -1)]),
            ],
        states={
            'invisible': Eval('kind') != 'user',
            'required': Eval('kind') == 'user',
            })
    optional = fields.Boolean("Optional",
        states={'invisible': Eval('kind') == 'signer'},
        help="The author may skip the step when submitting the draft.")
    deadline_days = fields.Integer("Working Days",
        domain=['OR',
            ('deadline_days', '=', None), ('deadline_days', '>=', 0)],
        help="Working days the reviewers have once the stage opens; "
        "empty for no deadline.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('chain')
        cls._order.insert(0, ('stage', 'ASC'))

    @classmethod
    def default_stage(cls):
        return 1

    @classmethod
    def default_kind(cls):
        return 'unit_head'

    @classmethod
    def default_optional(cls):
        return False

    @fields.depends('kind')
    def on_change_kind(self):
        if self.kind == 'signer':
            self.optional = False


class Approval(ModelSQL, ModelView):
    "A reviewer's decision on an outgoing draft"
    __string__ = "Approval"
    __name__ = 'vb.approval'

    document = fields.Many2One('vb.document', "Document", required=True,
        ondelete='CASCADE', readonly=True)
    round = fields.Integer("Round", readonly=True,
        help="Each submission of the draft starts a new round.")
    step = fields.Many2One('vb.approval.chain.step', "Step",
        ondelete='SET NULL', readonly=True)
    name = fields.Char("Step", readonly=True)
    kind = fields.Selection([(None, "")] + STEP_KINDS, "Reviewer Kind",
        readonly=True)
    stage = fields.Integer("Stage", readonly=True)
    reviewer = fields.Many2One('res.user', "Reviewer", readonly=True,
        ondelete='RESTRICT')
    state = fields.Selection(APPROVAL_STATES, "State", readonly=True,
        required=True, sort=False)
    deadline_days = fields.Integer("Working Days", readonly=True)
    deadline = fields.Date("Deadline", readonly=True)
    decided_at = fields.DateTime("Decided At", readonly=True)
    comment = fields.Text("Comment", readonly=True)
    on_behalf_of = fields.Many2One('res.user', "On Behalf Of",
        readonly=True, ondelete='RESTRICT',
        states={'invisible': ~Eval('on_behalf_of')})
    authority = fields.Selection(AUTHORITIES, "Authority", readonly=True,
        states={'invisible': ~Eval('on_behalf_of')})
    mine = fields.Function(fields.Boolean("Mine"),
        'get_mine', searcher='search_mine')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('document')
        cls._sql_indexes.update({
                Index(t,
                    (t.document, Index.Equality()),
                    (t.round, Index.Equality())),
                Index(t,
                    (t.reviewer, Index.Equality()),
                    (t.state, Index.Equality(cardinality='low'))),
                })
        cls._order = [
            ('round', 'DESC'),
            ('stage', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def default_state(cls):
        return 'waiting'

    def get_rec_name(self, name):
        return '%s - %s' % (self.name or '',
            self.reviewer.rec_name if self.reviewer else '')

    @classmethod
    def _my_principals(cls):
        "The user and the leaders who delegated approvals to them today"
        Delegation = Pool().get('vb.delegation')
        user = Transaction().user
        return [user] + [d.principal.id
            for d in Delegation.active(user, 'approve')]

    def get_mine(self, name):
        return bool(self.reviewer
            and self.reviewer.id in self._my_principals())

    @classmethod
    def search_mine(cls, name, clause):
        _, operator, value = clause[:3]
        principals = cls._my_principals()
        if (operator == '=') == bool(value):
            return [('reviewer', 'in', principals)]
        return ['OR',
            ('reviewer', 'not in', principals),
            ('reviewer', '=', None),
            ]

    def decide(self, state, comment, principal, delegation, when):
        "Record the decision; a deputy decides in the principal's name"
        self.state = state
        self.comment = comment
        self.decided_at = when
        if delegation:
            self.reviewer = Transaction().user
            self.on_behalf_of = principal
            self.authority = delegation.authority

    @property
    def group_key(self):
        "The lines sharing it are one step: the decision of one suffices"
        return (self.stage, self.step.id if self.step else self.name,
            self.kind)


class Version(ModelSQL, ModelView):
    "A copy of the main file of a draft, kept when it was reviewed"
    __string__ = "Document Version"
    __name__ = 'vb.document.version'
    _rec_name = 'file_name'

    document = fields.Many2One('vb.document', "Document", required=True,
        ondelete='CASCADE', readonly=True)
    number = fields.Integer("Version", required=True, readonly=True)
    file_name = fields.Char("File Name", readonly=True)
    data = fields.Binary("File", filename='file_name', file_id='file_id',
        readonly=True)
    file_id = fields.Char("File ID", readonly=True)
    size = fields.Integer("Size (bytes)", readonly=True)
    sha256 = fields.Char("SHA-256", readonly=True)
    author = fields.Many2One('res.user', "Author", readonly=True,
        ondelete='RESTRICT', help="Who uploaded the file.")
    date = fields.DateTime("Date", readonly=True,
        help="When the file was uploaded.")
    comment = fields.Text("Comment", readonly=True)
    stage = fields.Selection(VERSION_STAGES, "Taken When", readonly=True)
    round = fields.Integer("Round", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls.__access__.add('document')
        cls._sql_indexes.add(Index(t,
                (t.document, Index.Equality()),
                (t.number, Index.Range())))
        cls._order = [('number', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return 'v%s - %s' % (self.number, self.file_name or '')

    @property
    def label(self):
        "How the version is named in a comparison"
        return 'v%s %s (%s, %s)' % (self.number, self.file_name or '',
            self.date.strftime('%d/%m/%Y %H:%M') if self.date else '',
            self.author.rec_name if self.author else '')

    @classmethod
    def take(cls, document, stage, comment=None):
        """Copy the main file of document when it changed.

        Return the new version, or None when there is no main file or it
        is the same as the last version.
        """
        Attachment = Pool().get('ir.attachment')
        mains = Attachment.search([
                ('resource', '=', str(document)),
                ('document_role', '=', 'main'),
                ('type', '=', 'data'),
                ], order=[('id', 'DESC')], limit=1)
        if not mains:
            return None
        main, = mains
        data = bytes(main.data or b'')
        digest = hashlib.sha256(data).hexdigest()
        last = cls.search([('document', '=', document.id)],
            order=[('number', 'DESC')], limit=1)
        if last and last[0].sha256 == digest:
            return None
        author = main.write_uid or main.create_uid
        version, = cls.create([{
                    'document': document.id,
                    'number': last[0].number + 1 if last else 1,
                    'file_name': main.name,
                    'data': data,
                    'size': len(data),
                    'sha256': digest,
                    'author': author.id if author else None,
                    'date': main.write_date or main.create_date,
                    'comment': comment,
                    'stage': stage,
                    'round': document.review_round,
                    }])
        return version

    def get_text(self):
        "The text of the file, None when it cannot be extracted"
        try:
            from pypdf import PdfReader
        except ImportError:
            return None
        try:
            reader = PdfReader(io.BytesIO(bytes(self.data or b'')))
            return '\n'.join(
                (page.extract_text() or '') for page in reader.pages)
        except Exception:
            # Damaged or unusual PDFs raise many kinds of errors: the
            # comparison then only says the text is not available
            return None

    @classmethod
    def diff(cls, old, new, old_text=None, new_text=None):
        """The unified diff of the texts of two versions, None if unknown.

        The texts are extracted unless given.
        """
        if old_text is None:
            old_text = old.get_text()
        if new_text is None:
            new_text = new.get_text()
        if old_text is None or new_text is None:
            return None
        return '\n'.join(difflib.unified_diff(
                old_text.splitlines(), new_text.splitlines(),
                fromfile=old.label, tofile=new.label, lineterm=''))


class Document(metaclass=PoolMeta):
    __name__ = 'vb.document'

    approval_chain = fields.Many2One('vb.approval.chain', "Approval Chain",
        readonly=True, ondelete='SET NULL',
        states={'invisible': ~_outgoing | ~Eval('approval_chain')})
    review_round = fields.Integer("Review Round", readonly=True,
        states={'invisible': ~_outgoing | ~Eval('review_round')})
    approvals = fields.One2Many('vb.approval', 'document', "Approvals",
        readonly=True, states={'invisible': ~_outgoing})
    versions = fields.One2Many('vb.document.version', 'document',
        "Versions", readonly=True, states={'invisible': ~_outgoing})
    approval_required = fields.Function(
        fields.Boolean("Approval Required"), 'get_approval_required')
    can_review = fields.Function(
        fields.Boolean("Can Review"), 'get_can_review')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        selection = list(cls.state.selection)
        keys = [k for k, _ in selection]
        if 'review' not in keys:
            index = keys.index('draft') + 1
            selection[index:index] = [
                ('review', "Under Review"),
                ('approved', "Approved"),
                ]
            cls.state.selection = selection
        cls._transitions |= {
            ('draft', 'review'),
            ('review', 'draft'),
            ('review', 'approved'),
            ('review', 'cancelled'),
            ('approved', 'issued'),
            ('approved', 'draft'),
            ('approved', 'cancelled'),
            }
        state = Eval('state')
        issue = cls._buttons['issue']
        cls._buttons['issue'] = {
            **issue,
            'invisible': (
                (issue['invisible'] & (state != 'approved'))
                | ((state == 'draft') & Eval('approval_required', False))),
            'depends': list(set(issue.get('depends', []))
                | {'direction', 'state', 'approval_required'}),
            }
        cancel = cls._buttons['cancel']
        cls._buttons['cancel'] = {
            **cancel,
            'invisible': (cancel['invisible']
                & ~state.in_(['review', 'approved'])),
            'depends': list(set(cancel.get('depends', [])) | {'state'}),
            }
        cls._buttons.update({
                'submit_review': {
                    'invisible': (~_outgoing | (state != 'draft')
                        | ~Eval('approval_required', False)),
                    'icon': 'tryton-forward',
                    'depends': ['direction', 'state', 'approval_required'],
                    },
                'approve_review': {
                    'invisible': ((state != 'review')
                        | ~Eval('can_review', False)),
                    'icon': 'tryton-ok',
                    'depends': ['state', 'can_review'],
                    },
                'return_review': {
                    'invisible': (~state.in_(['review', 'approved'])
                        | ~Eval('can_review', False)),
                    'icon': 'tryton-back',
                    'depends': ['state', 'can_review'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//page[@id="approval"]', 'states', {'invisible': ~_outgoing}),
            ('//page[@name="versions"]', 'states',
                {'invisible': ~_outgoing}),
            ]

    @classmethod
    def _open_domain(cls):
        return ['OR', super()._open_domain(),
            [('state', 'in', ['review', 'approved'])]]

    @classmethod
    def copy(cls, documents, default=None):
        default = default.copy() if default is not None else {}
        for name in ['approval_chain', 'review_round', 'approvals',
                'versions']:
            default.setdefault(name, None)
        return super().copy(documents, default=default)

    @classmethod
    def get_approval_required(cls, documents, name):
        "Whether the clerk may issue only after an approval chain"
        Chain = Pool().get('vb.approval.chain')
        agencies = {d.company.id for d in documents
            if d.direction == 'outgoing' and d.state == 'draft'
            and d.company}
        chains = {}
        if agencies:
            for chain in Chain.search([('company', 'in', list(agencies))]):
                chains.setdefault(chain.company.id, []).append(chain)
        result = {}
        for document in documents:
            if document.direction != 'outgoing':
                result[document.id] = False
            elif document.state == 'draft':
                result[document.id] = bool(document.company and Chain.pick(
                        chains.get(document.company.id, []), document.type))
            else:
                result[document.id] = bool(document.approval_chain)
        return result

    def get_can_review(self, name):
        "Whether the user may decide on the draft now"
        Delegation = Pool().get('vb.delegation')
        user = Transaction().user
        if not user or getattr(self, 'id', -1) is None or self.id < 0:
            return False
        if self.state == 'review':
            allowed = {a.reviewer.id for a in self._pending_approvals()
                if a.reviewer}
        elif self.state == 'approved':
            allowed = {u.id for u in self._send_back_users()}
        else:
            return False
        return user in allowed or bool(
            allowed and Delegation.active(user, 'approve', allowed))

    def find_approval_chain(self):
        "The chain the draft must go through, None to issue it directly"
        Chain = Pool().get('vb.approval.chain')
        if self.direction != 'outgoing' or not self.company:
            return None
        return Chain.find(self.company, self.type)

    def _review_authors(self):
        "Who may submit the draft for review"
        return [self.create_uid] if self.create_uid else []

    def _signer_users(self):
        User = Pool().get('res.user')
        if not self.signer:
            return []
        return User.search([('employees', 'in', [self.signer.id])],
            order=[('id', 'ASC')])

    def _send_back_users(self):
        "Who may return an approved draft: the signer and the clerks"
        return self._signer_users() + agency_staff(self.company, ['clerk'])

    def _step_reviewers(self, step):
        "The users who review step for the draft"
        if step.kind == 'unit_head':
            if not self.drafting_unit:
                raise WorkflowError(gettext(
                        'vb_workflow.msg_approval_no_drafting_unit',
                        document=self.rec_name, step=step.name))
            users = unit_heads([self.drafting_unit])
        elif step.kind == 'unit':
            users = unit_heads([step.unit])
        elif step.kind == 'user':
            users = [step.user] if step.user and step.user.active else []
        else:
            users = self._signer_users()
        users = [u for u in users if self.company in u.companies]
        if not users:
            raise WorkflowError(gettext(
                    'vb_workflow.msg_approval_no_reviewer',
                    document=self.rec_name, step=step.name))
        return users

    def _current_approvals(self, states=None):
        "The approval lines of the current round, in states"
        Approval = Pool().get('vb.approval')
        domain = [
            ('document', '=', self.id),
            ('round', '=', self.review_round or 0),
            ]
        if states is not None:
            domain.append(('state', 'in', list(states)))
        return Approval.search(domain, order=[('stage', 'ASC'), ('id', 'ASC')])

    def _pending_approvals(self):
        return self._current_approvals(['pending'])

    def _acting_reviewer(self, approvals, what_id):
        """The reviewer the user decides as, and the delegation used.

        Raise when the user is not one of the reviewers of approvals nor
        their deputy, saying so if the user already decided.
        """
        pool = Pool()
        Approval = pool.get('vb.approval')
        Delegation = pool.get('vb.delegation')
        user = Transaction().user
        reviewers = {a.reviewer.id for a in approvals if a.reviewer}
        try:
            return Delegation.acting(reviewers, 'approve',
                gettext(what_id, document=self.rec_name))
        except WorkflowError:
            if Approval.search([
                        ('document', '=', self.id),
                        ('round', '=', self.review_round or 0),
                        ('state', '=', 'approved'),
                        ['OR',
                            ('reviewer', '=', user),
                            ('on_behalf_of', '=', user),
                            ],
                        ], count=True):
                raise WorkflowError(gettext(
                        'vb_workflow.msg_approval_already_decided',
                        document=self.rec_name))
            raise

    def _open_next_stage(self):
        """Open the next stage of waiting steps and tell its reviewers.

        Return False when no step waits any more.
        """
        pool = Pool()
        Approval = pool.get('vb.approval')
        Date = pool.get('ir.date')
        Day = pool.get('vb.workflow.day')
        waiting = self._current_approvals(['waiting'])
        if not waiting:
            return False
        stage = min(a.stage for a in waiting)
        opening = [a for a in waiting if a.stage == stage]
        today = Date.today()
        for approval in opening:
            approval.state = 'pending'
            if approval.deadline_days is not None:
                approval.deadline = Day.add_working_days(
                    today, approval.deadline_days)
        Approval.save(opening)
        author = self.create_uid.rec_name if self.create_uid else ''
        for approval in opening:
            if approval.deadline:
                tell([approval.reviewer], self,
                    'vb_workflow.msg_approval_to_review_deadline',
                    document=self.rec_name, step=approval.name,
                    author=author,
                    deadline=approval.deadline.strftime('%d/%m/%Y'))
            else:
                tell([approval.reviewer], self,
                    'vb_workflow.msg_approval_to_review',
                    document=self.rec_name, step=approval.name,
                    author=author)
        return True

    @classmethod
    def _check_submit_review(cls, documents):
        "Raise unless the user may submit documents for review"
        user = Transaction().user
        check_transition(cls, documents, 'review')
        for document in documents:
            if document.direction != 'outgoing':
                raise WorkflowError(gettext(
                        'vb_workflow.msg_approval_not_outgoing',
                        document=document.rec_name))
            authors = document._review_authors()
            if user and user not in {a.id for a in authors}:
                raise WorkflowError(gettext(
                        'vb_workflow.msg_approval_not_author',
                        document=document.rec_name,
                        author=', '.join(a.rec_name for a in authors)))
            if not document.find_approval_chain():
                raise WorkflowError(gettext(
                        'vb_workflow.msg_approval_no_chain',
                        document=document.rec_name))

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_approval_submit')
    def submit_review(cls, documents):
        cls._check_submit_review(documents)

    @classmethod
    @strict_transition('review')
    def do_submit_review(cls, documents, skip_steps=None, comment=None):
        """Send the drafts to the first stage of their approval chain.

        Optional steps in skip_steps are recorded as skipped; comment
        goes with the version of the main file taken now.
        """
        pool = Pool()
        Approval = pool.get('vb.approval')
        Version = pool.get('vb.document.version')
        cls.lock(documents)
        cls._check_submit_review(documents)
        skip = {int(s) for s in skip_steps or []}
        to_create = []
        for document in documents:
            chain = document.find_approval_chain()
            chain.check_steps()
            document._check_required(['type', 'subject', 'signer'])
            document._check_main_file()
            round_ = (document.review_round or 0) + 1
            for step in chain.steps:
                values = {
                    'document': document.id,
                    'round': round_,
                    'step': step.id,
                    'name': step.name,
                    'kind': step.kind,
                    'stage': step.stage,
                    'deadline_days': step.deadline_days,
                    }
                if step.id in skip:
                    if not step.optional:
                        raise WorkflowError(gettext(
                                'vb_workflow.msg_approval_step_not_optional',
                                step=step.name, document=document.rec_name))
                    to_create.append({**values, 'state': 'skipped'})
                    continue
                for reviewer in document._step_reviewers(step):
                    to_create.append({**values, 'reviewer': reviewer.id,
                            'state': 'waiting'})
            document.review_round = round_
            document.approval_chain = chain
            document.state = 'review'
        cls.save(documents)
        Approval.create(to_create)
        for document in documents:
            Version.take(document, 'submit', comment)
            document._open_next_stage()

    @classmethod
    @ModelView.button
    def approve_review(cls, documents, comment=None):
        """Approve the drafts as a reviewer of their current stage.

        When the last reviewer of a stage approves, the next stage opens;
        after the last stage the draft is approved and waits for the
        clerk.
        """
        pool = Pool()
        Approval = pool.get('vb.approval')
        cls.lock(documents)
        now = dt.datetime.now()
        done = []
        for document in documents:
            if document.state != 'review':
                raise WorkflowError(gettext(
                        'vb_workflow.msg_approval_not_in_review',
                        document=document.rec_name))
            pending = document._pending_approvals()
            principal, delegation = document._acting_reviewer(
                pending, 'vb_workflow.msg_approval_what_approve')
            mine = [a for a in pending if a.reviewer == principal]
            keys = {a.group_key for a in mine}
            for approval in mine:
                approval.decide('approved', comment, principal, delegation,
                    now)
            # Another head of the same unit need not approve too
            others = [a for a in pending
                if a not in mine and a.group_key in keys]
            for approval in others:
                approval.state = 'closed'
            Approval.save(mine + others)
            if delegation:
                delegation.notify_action(document,
                    gettext('vb_workflow.msg_approval_action_approve'))
            signed = [a for a in mine if a.kind == 'signer']
            if signed:
                cls._sign_on_approval([document], signed[0])
            if (not document._pending_approvals()
                    and not document._open_next_stage()):
                done.append(document)
        if done:
            cls._approval_done(done)

    @classmethod
    def _sign_on_approval(cls, documents, approval):
        """Hook: the signer approved documents through approval.

        vb_signature overrides it to make the approval a signing step.
        """
        pass

    @classmethod
    @strict_transition('approved')
    def _approval_done(cls, documents):
        "Every stage approved: tell the author and the clerks"
        User = Pool().get('res.user')
        user = User(Transaction().user)
        for document in documents:
            tell(document._review_authors(), document,
                'vb_workflow.msg_approval_approved',
                document=document.rec_name, user=user.rec_name)
            tell(agency_staff(document.company, ['clerk']), document,
                'vb_workflow.msg_approval_to_issue',
                document=document.rec_name)

    @classmethod
    @ModelView.button_action('vb_workflow.wizard_approval_return')
    def return_review(cls, documents):
        check_transition(cls, documents, 'draft')

    @classmethod
    @strict_transition('draft')
    def do_return_review(cls, documents, comment):
        """Send the drafts back to their author with comment.

        A reviewer of the current stage returns a draft under review; the
        signer or a clerk returns an approved draft. The open steps are
        closed: the chain restarts when the author submits again.
        """
        pool = Pool()
        Approval = pool.get('vb.approval')
        User = pool.get('res.user')
        Version = pool.get('vb.document.version')
        comment = (comment or '').strip()
        if not comment:
            raise WorkflowError(gettext(
                    'vb_workflow.msg_approval_return_comment'))
        cls.lock(documents)
        now = dt.datetime.now()
        user = User(Transaction().user)
        for document in documents:
            if document.state == 'review':
                pending = document._pending_approvals()
                principal, delegation = document._acting_reviewer(
                    pending, 'vb_workflow.msg_approval_what_return')
                mine = [a for a in pending if a.reviewer == principal]
                for approval in mine:
                    approval.decide('returned', comment, principal,
                        delegation, now)
                others = [a for a in document._current_approvals(OPEN_STATES)
                    if a not in mine]
                for approval in others:
                    approval.state = 'closed'
                Approval.save(mine + others)
            elif document.state == 'approved':
                Delegation = pool.get('vb.delegation')
                principal, delegation = Delegation.acting(
                    document._send_back_users(), 'approve',
                    gettext('vb_workflow.msg_approval_what_return',
                        document=document.rec_name))
                stages = [a.stage for a in document._current_approvals()
                    if a.stage is not None]
                approval = Approval(document=document,
                    round=document.review_round or 0,
                    name=gettext('vb_workflow.msg_approval_sent_back'),
                    stage=max(stages) if stages else None,
                    reviewer=principal)
                approval.decide('returned', comment, principal, delegation,
                    now)
                approval.save()
            else:
                raise WorkflowError(gettext(
                        'vb_workflow.msg_approval_not_in_review',
                        document=document.rec_name))
            if delegation:
                delegation.notify_action(document,
                    gettext('vb_workflow.msg_approval_action_return'))
            Version.take(document, 'return', comment)
            document.state = 'draft'
        cls.save(documents)
        for document in documents:
            tell(document._review_authors(), document,
                'vb_workflow.msg_approval_returned',
                document=document.rec_name, user=user.rec_name,
                comment=comment)

    @classmethod
    def _close_approvals(cls, documents):
        "Close the steps still open, the draft leaving the review"
        Approval = Pool().get('vb.approval')
        approvals = Approval.search([
                ('document', 'in', [d.id for d in documents]),
                ('state', 'in', OPEN_STATES),
                ])
        if approvals:
            Approval.write(approvals, {'state': 'closed'})

    @classmethod
    @ModelView.button
    def issue(cls, documents):
        for document in documents:
            # approval_required: computed already by the button's check
            # of its states when the clerk clicked (the chain lookup)
            if document.state == 'draft' and document.approval_required:
                raise WorkflowError(gettext(
                        'vb_workflow.msg_approval_required',
                        document=document.rec_name))
        super().issue(documents)

    @classmethod
    @ModelView.button
    def cancel(cls, documents):
        super().cancel(documents)
        cls._close_approvals(documents)

    @classmethod
    def transfer(cls, documents, agency):
        # The chain belongs to the former agency: the successor's applies
        # when the author submits the draft again
        reviewed = [d for d in documents if d.state in {'review', 'approved'}]
        if reviewed:
            cls._close_approvals(reviewed)
            cls.write(reviewed, {'state': 'draft', 'approval_chain': None})
            cls.log(reviewed, 'transition', 'state:draft')
        super().transfer(documents, agency)


class SubmitReviewStart(ModelView):
    "Submit for Review"
    __string__ = "Submit for Review"
    __name__ = 'vb.approval.submit.start'

    chains = fields.Many2Many('vb.approval.chain', None, None,
        "Approval Chains", readonly=True)
    optional_steps = fields.Many2Many('vb.approval.chain.step', None, None,
        "Optional Steps", readonly=True)
    skip_steps = fields.Many2Many('vb.approval.chain.step', None, None,
        "Steps to Skip",
        domain=[('id', 'in', Eval('optional_steps', []))],
        states={'invisible': ~Eval('optional_steps')},
        help="Optional steps the draft does not need.")
    comment = fields.Text("Comment",
        help="What the reviewers should know about this version.")


class SubmitReview(Wizard):
    "Submit for Review"
    __name__ = 'vb.approval.submit'
    start = StateView('vb.approval.submit.start',
        'vb_workflow.approval_submit_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Submit", 'submit', 'tryton-forward', default=True),
            ])
    submit = StateTransition()

    def default_start(self, fields):
        chains = {d.find_approval_chain() for d in self.records} - {None}
        return {
            'chains': [c.id for c in chains],
            'optional_steps': [s.id for c in chains for s in c.steps
                if s.optional],
            }

    def transition_submit(self):
        self.model.do_submit_review(self.records,
            skip_steps=self.start.skip_steps, comment=self.start.comment)
        return 'end'


class ReturnReviewStart(ModelView):
    "Return to the Author"
    __string__ = "Return to the Author"
    __name__ = 'vb.approval.return.start'

    comment = fields.Text("Comment", required=True,
        help="What the author must change.")


class ReturnReview(Wizard):
    "Return to the Author"
    __name__ = 'vb.approval.return'
    start = StateView('vb.approval.return.start',
        'vb_workflow.approval_return_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Return", 'send_back', 'tryton-back', default=True),
            ])
    send_back = StateTransition()

    def transition_send_back(self):
        self.model.do_return_review(self.records, self.start.comment)
        return 'end'


class VersionCompareStart(ModelView):
    "Compare Versions"
    __string__ = "Compare Versions"
    __name__ = 'vb.document.version.compare.start'

    document = fields.Many2One('vb.document', "Document", readonly=True)
    old = fields.Many2One('vb.document.version', "Older Version",
        required=True, domain=[('document', '=', Eval('document', -1))])
    new = fields.Many2One('vb.document.version', "Newer Version",
        required=True, domain=[('document', '=', Eval('document', -1))])


class VersionCompareResult(ModelView):
    "Compare Versions"
    __string__ = "Version Comparison"
    __name__ = 'vb.document.version.compare.result'

    old_label = fields.Char("Older Version", readonly=True)
    new_label = fields.Char("Newer Version", readonly=True)
    old_text = fields.Text("Text of the Older Version", readonly=True)
    new_text = fields.Text("Text of the Newer Version", readonly=True)
    diff = fields.Text("Differences", readonly=True)


class VersionCompare(Wizard):
    "Compare Versions"
    __name__ = 'vb.document.version.compare'
    start = StateView('vb.document.version.compare.start',
        'vb_workflow.approval_version_compare_start_view_form', [
            Button("Close", 'end', 'tryton-close'),
            Button("Compare", 'result', 'tryton-forward', default=True),
            ])
    result = StateView('vb.document.version.compare.result',
        'vb_workflow.approval_version_compare_result_view_form', [
            Button("Other Versions", 'start', 'tryton-back'),
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def default_start(self, fields):
        document = self.record
        values = {'document': document.id if document else None}
        if document:
            versions = sorted(document.versions, key=lambda v: v.number)
            if len(versions) >= 2:
                values['old'] = versions[-2].id
                values['new'] = versions[-1].id
            elif versions:
                values['old'] = values['new'] = versions[0].id
        return values

    def default_result(self, fields):
        # The versions come from the client: only those of the document
        # the user may read are compared
        document = self.record
        old, new = self.start.old, self.start.new
        if (not document or old.document != document
                or new.document != document):
            raise WorkflowError(gettext(
                    'vb_workflow.msg_version_compare_other_document'))
        if old.number > new.number:
            old, new = new, old
        unavailable = gettext('vb_workflow.msg_version_text_unavailable')
        old_text, new_text = old.get_text(), new.get_text()
        diff = old.diff(old, new, old_text, new_text)
        if diff is None:
            diff = unavailable
        elif not diff:
            diff = gettext('vb_workflow.msg_version_no_difference')
        return {
            'old_label': old.label,
            'new_label': new.label,
            'old_text': old_text if old_text is not None else unavailable,
            'new_text': new_text if new_text is not None else unavailable,
            'diff': diff,
            }
