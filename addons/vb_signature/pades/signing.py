# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The signing steps of an outgoing document (Nghị định 30/2020, Điều 14–15,
32–33): the leader signs, the clerk numbers and seals.

Permissions (pyhanko.md §4, variant V1, all tested there):

* the leader's is a certification signature with DocMDP P=2 (form filling
  and signing allowed) and its field locks everything except the number,
  the date and the organisation's field;
* the organisation's field is locked entirely with P=1: after it, only
  validation data and document timestamps may be added.

Every step takes the PDF bytes and returns new bytes made of the input
followed by one incremental update; on error nothing is returned.
"""
import datetime as dt
import io
from dataclasses import dataclass

from .appearance import (
    ANNEX_TEXT, COPY_TEXT, Appearance, field_style, info_style, leader_style,
    seal_style, text_width)
from .errors import DocumentError, SignatureError, SignerError
from .fonts import nfc
from .layout import (
    FIELD_DATE, FIELD_LEADER, FIELD_NUMBER, FIELD_ORGANIZATION,
    INFO_FONT_SIZE, info_box)
from .pdfio import open_writer, write
from .signer import VN_TZ

LEADER_REASON = "Ký ban hành văn bản"
ORGANIZATION_REASON = "Phát hành văn bản"


@dataclass
class Step:
    """One signature to apply: what the pipeline decides, whoever signs.

    `prepare(writer, text)` makes the changes that go into the same
    revision as the signature (filling fields, creating the field).
    """
    field: str
    style: object
    appearance: Appearance
    reason: str
    location: str | None = None
    certify: bool = False
    prepare: object = None

    def metadata(self):
        from pyhanko.sign import fields, signers
        kwargs = dict(field_name=self.field, md_algorithm='sha256',
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=self.reason, location=self.location)
        if self.certify:
            kwargs.update(certify=True,
                docmdp_permissions=fields.MDPPerm.FILL_FORMS)
        else:
            # What the organisation field's /Lock says; pyHanko's default
            # (FILL_FORMS) would be overridden with a warning
            kwargs.update(docmdp_permissions=fields.MDPPerm.NO_CHANGES)
        return signers.PdfSignatureMetadata(**kwargs)


def pdf_signer(step, pyhanko_signer, signing_time, timestamper=None):
    "A pyHanko PdfSigner whose clock is `signing_time`"
    from pyhanko.sign import signers

    class TimedPdfSigner(signers.PdfSigner):
        # pyHanko takes the time from the server's local zone (P6); the
        # stamp must show the same instant as /M, at +07:00
        def init_signing_session(self, pdf_out, existing_fields_only=False):
            session = super().init_signing_session(pdf_out,
                existing_fields_only=existing_fields_only)
            session.system_time = signing_time
            session.estimate_signature_container_size = _estimate_once(
                self, session)
            return session

    return TimedPdfSigner(step.metadata(), signer=pyhanko_signer,
        timestamper=timestamper, stamp_style=step.style)


# {what the size of a signature depends on: bytes to reserve for it}
_reserved = {}


def _estimate_once(pdf_signer, session):
    """pyHanko's estimate of the room a signature takes, kept per signer.

    pyHanko builds a whole dummy CMS (every attribute, the certificates,
    the dummy timestamp token) to size each signature: a third of a seal's
    time. Its size depends only on what the key names, so the estimate of
    the first seal, with pyHanko's 50 % margin, serves the next ones.
    Revocation data embedded at signing time (B-LT) varies: not kept.
    """
    estimate = session.estimate_signature_container_size

    async def estimate_once(validation_info, tight=False):
        if validation_info is not None:
            return await estimate(validation_info, tight=tight)
        signer = pdf_signer.signer
        meta = pdf_signer.signature_meta
        key = (signer.signing_cert.dump(),
            tuple(sorted(c.dump() for c in signer.cert_registry)),
            session.md_algorithm, session.use_pades, tight,
            _timestamper_key(session.timestamper),
            repr(meta.cades_signed_attr_spec))
        if key not in _reserved:
            if len(_reserved) >= 256:
                _reserved.clear()
            _reserved[key] = await estimate(validation_info, tight=tight)
        return _reserved[key]
    return estimate_once


def _timestamper_key(stamper):
    "The service whose dummy token sizes the timestamp (None: none)"
    if stamper is None:
        return None
    return (type(stamper).__name__, getattr(stamper, 'url', None)
        or id(stamper))


_timestampers = {}


def timestamper(tsa):
    """A pyHanko time stamper for `tsa`: a URL, a TimeStamper or None.

    HTTP stampers are kept per URL: pyHanko caches a dummy token in them to
    estimate the signature size, which saves a round trip per signature.
    """
    if tsa is None or not isinstance(tsa, str):
        return tsa
    if tsa not in _timestampers:
        from pyhanko.sign import timestamps
        _timestampers[tsa] = timestamps.HTTPTimeStamper(tsa, timeout=10)
    return _timestampers[tsa]


def now():
    return dt.datetime.now(VN_TZ).replace(microsecond=0)


def field_state(writer, name):
    "None when the top-level field is missing, else 'empty' or 'filled'"
    try:
        fields = writer.root['/AcroForm']['/Fields']
    except KeyError:
        return None
    for ref in fields:
        field = ref.get_object()
        if hasattr(field, 'get') and str(field.get('/T', '')) == name:
            value = field.get('/V')
            return 'empty' if value is None or str(value) == '' else 'filled'
    return None


def field_states(writer):
    "{name: 'empty' or 'filled'} of the top-level fields, as field_state"
    try:
        fields = writer.root['/AcroForm']['/Fields']
    except KeyError:
        return {}
    states = {}
    for ref in fields:
        field = ref.get_object()
        if hasattr(field, 'get'):
            value = field.get('/V')
            states.setdefault(str(field.get('/T', '')),
                'empty' if value is None or str(value) == '' else 'filled')
    return states


def _require_field(writer, name, what):
    state = field_state(writer, name)
    if state is None:
        raise DocumentError('field_missing',
            f"Văn bản không có ô dành cho {what} (trường {name}): "
            "bản dự thảo phải được tạo với các ô dành sẵn.")
    return state


def translate(error):
    "A SignatureError for an exception raised by pyHanko while signing"
    if isinstance(error, SignatureError):
        return error
    text = str(error)
    name = type(error).__name__
    if 'TimestampRequestError' in name or 'timestamp' in text.lower():
        return SignatureError('tsa_failed',
            "Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian (TSA).",
            repr(error))
    if 'Certification signatures must be the first' in text:
        return DocumentError('already_signed',
            "Văn bản đã có chữ ký số; chữ ký của người có thẩm quyền phải "
            "là chữ ký đầu tiên.", text)
    if 'forbids all changes' in text:
        return DocumentError('locked',
            "Văn bản đã bị khóa bởi chữ ký trước, không thể ký thêm.", text)
    if 'PKCS11' in name or 'pkcs11' in repr(type(error)).lower():
        return SignerError('pkcs11_failed',
            "Thiết bị ký số không thực hiện được việc ký.", repr(error))
    return SignatureError('signing_failed',
        "Không ký số được văn bản.", repr(error))


def apply(pdf_bytes, step, signer, tsa=None):
    "Sign `pdf_bytes` with `signer` (a Signer) according to `step`"
    writer = open_writer(pdf_bytes)
    when = now()
    signer.check_usable(when)
    facts = signer.facts
    text = step.appearance.render_text(when, signer=facts['name'],
        organization=facts['organization'])
    if step.prepare:
        step.prepare(writer, text)
    output = io.BytesIO()
    try:
        pdf_signer(step, signer.pyhanko_signer, when,
            timestamper(tsa)).sign_pdf(writer, existing_fields_only=True,
            output=output, appearance_text_params={'vb_text': text})
    except Exception as e:
        raise translate(e) from e
    return output.getvalue()


def leader_step(appearance, location=None, reason=LEADER_REASON):
    def prepare(writer, text):
        state = _require_field(writer, FIELD_LEADER,
            "chữ ký của người có thẩm quyền")
        if state == 'filled':
            raise DocumentError('already_signed',
                "Người có thẩm quyền đã ký văn bản này.")
        if _signed_fields(writer):
            raise DocumentError('already_signed',
                "Văn bản đã có chữ ký số; chữ ký của người có thẩm quyền "
                "phải là chữ ký đầu tiên.")
    return Step(FIELD_LEADER, leader_style(appearance.image), appearance,
        reason, location, certify=True, prepare=prepare)


def sign_leader(pdf_bytes, signer, appearance, *, tsa=None, location=None,
        reason=LEADER_REASON):
    """The competent person's signature (PAdES B-B, B-T with a TSA).

    Visible in the reserved box: the signature image centred between the
    title line and the printed name, "Ký bởi: <tên>" and the signing time
    (ISO 8601, +07:00) under it. A certification signature allowing only
    the clerk's later steps.
    """
    return apply(pdf_bytes, leader_step(appearance, location, reason),
        signer, tsa)


def _signed_fields(writer):
    from pyhanko.sign.fields import enumerate_sig_fields
    return [name for name, value, _ref in enumerate_sig_fields(writer.prev)
        if value is not None]


def _number_text(number):
    from trytond.modules.vb_document.vn import format_number
    if isinstance(number, int):
        return format_number(number)
    text = nfc(str(number or '')).strip()
    if not text:
        raise DocumentError('number_empty', "Số văn bản không được để trống.")
    return text


def _date_text(date):
    from trytond.modules.vb_document.vn import date_line
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, dt.date):
        return date_line(None, date)
    text = nfc(str(date or '')).strip()
    if not text:
        raise DocumentError('date_empty',
            "Ngày ban hành không được để trống.")
    return text


def fill_fields(writer, number, date):
    "Write the number and date into their reserved fields (same revision)"
    from pyhanko.pdf_utils.form_tools import populate_static_text_field
    values = ((FIELD_NUMBER, "số văn bản", _number_text(number), 'ALIGN_MAX'),
        (FIELD_DATE, "ngày ban hành", _date_text(date), 'ALIGN_MIN'))
    for name, what, _text, _align in values:
        if _require_field(writer, name, what) == 'filled':
            raise DocumentError('already_numbered',
                "Văn bản đã được cấp số và ngày ban hành.")
    for name, _what, text, align in values:
        populate_static_text_field(writer, name, field_style(align), text)


def fill_number(pdf_bytes, number, date):
    """Write the number and the date in an incremental update.

    `number`: an int (formatted "05") or the text to show; `date`: a
    datetime.date (written "ngày 05 tháng 3 năm 2026") or the text to show.
    The leader's signature stays valid: its DocMDP P=2 and field lock allow
    exactly this. Prefer `seal(..., number=, date=)`, which fills and seals
    in one revision so the organisation's signature covers the number.
    """
    writer = open_writer(pdf_bytes)
    fill_fields(writer, number, date)
    return write(writer)


def seal_step(appearance, number=None, date=None, location=None,
        reason=ORGANIZATION_REASON):
    def prepare(writer, text):
        if FIELD_LEADER not in _signed_fields(writer):
            raise DocumentError('leader_not_signed',
                "Cơ quan chỉ được ký số văn bản đã có chữ ký số của người có "
                "thẩm quyền (Nghị định 30/2020, Điều 32).")
        state = _require_field(writer, FIELD_ORGANIZATION,
            "chữ ký số của cơ quan")
        if state == 'filled':
            raise DocumentError('already_sealed',
                "Cơ quan đã ký số văn bản này.")
        if number is not None or date is not None:
            fill_fields(writer, number, date)
        elif 'empty' in (field_state(writer, FIELD_NUMBER),
                field_state(writer, FIELD_DATE)):
            raise DocumentError('not_numbered',
                "Văn bản chưa được cấp số và ngày ban hành.")
    if appearance is None or not appearance.image:
        raise SignatureError('bad_image',
            "Cần ảnh con dấu (PNG nền trong suốt) để ký số của cơ quan.")
    return Step(FIELD_ORGANIZATION, seal_style(appearance.image),
        appearance, reason, location, prepare=prepare)


def seal(pdf_bytes, signer, appearance, *, number=None, date=None, tsa=None,
        location=None, reason=ORGANIZATION_REASON):
    """The organisation's signature on the main document (the clerk's step).

    `appearance.image` is the red round seal (transparent PNG), drawn in
    the reserved field over the left third of the leader's image. With
    `number`/`date` the number and date are filled in the same revision,
    so the organisation's signature covers them.
    """
    return apply(pdf_bytes, seal_step(appearance, number, date, location,
        reason), signer, tsa)


def info_step(template, values, location=None, reason=ORGANIZATION_REASON):
    from pyhanko.sign import fields

    def prepare(writer, text):
        if field_state(writer, FIELD_ORGANIZATION) is not None:
            raise DocumentError('already_sealed',
                "Tệp đã có ô chữ ký số của cơ quan.")
        first = writer.find_page_for_modification(0)[0].get_object()
        media_box = [float(v) for v in first.get('/MediaBox',
            writer.root['/Pages'].get('/MediaBox', [0, 0, 595.28, 841.89]))]
        box = info_box(media_box, text_width(text, INFO_FONT_SIZE),
            len(text.split('\n')))
        fields.append_signature_field(writer, fields.SigFieldSpec(
            sig_field_name=FIELD_ORGANIZATION, on_page=0,
            box=tuple(round(v) for v in box.rect),
            readable_field_name="Chữ ký số của cơ quan, tổ chức",
            field_mdp_spec=fields.FieldMDPSpec(fields.FieldMDPAction.ALL),
            doc_mdp_update_value=fields.MDPPerm.NO_CHANGES))
    appearance = Appearance(text=template, values=values)
    return Step(FIELD_ORGANIZATION, info_style(), appearance, reason,
        location, prepare=prepare)


def seal_annex(pdf_bytes, signer, notation, *, tsa=None, location=None):
    """The organisation's signature on an annex issued as a separate file.

    No image; at the top right of page 1, in 10 pt black: the agency, the
    number-notation of the main document and the signing time (ISO 8601).
    """
    return apply(pdf_bytes, info_step(ANNEX_TEXT, {'notation': nfc(notation)},
        location), signer, tsa)


def seal_copy(pdf_bytes, signer, form="SAO Y", *, tsa=None, location=None):
    """The organisation's signature on an electronic copy (sao y, sao lục,
    trích sao): the copy form, the agency and the signing time, top right
    of page 1, 10 pt black, no image.
    """
    form = nfc(form).upper()
    if form not in ("SAO Y", "SAO LỤC", "TRÍCH SAO"):
        raise SignatureError('bad_copy_form',
            "Hình thức sao phải là SAO Y, SAO LỤC hoặc TRÍCH SAO.")
    return apply(pdf_bytes, info_step(COPY_TEXT, {'form': form}, location),
        signer, tsa)
