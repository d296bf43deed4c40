# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Checking every signature of a received PDF (Nghị định 30/2020, Điều 21.2).

For each signature: integrity, the chain to the configured trust roots, key
usage, validity at the signing time, revocation (hard-fail by default:
pyHanko's default soft-fail accepts a revoked certificate when no OCSP/CRL
answer is at hand, pyhanko.md P1), the timestamp if any, and pyHanko's
modification analysis with the workflow's rules on top:

* after the leader's signature only the number, the date and the
  organisation's signature may change (form filling of those fields);
* after the organisation's signature only validation data (DSS) and
  document timestamps may be added;
* after any other signature, at most form filling and further signatures.

Each signature covers only its own revision (P2), so the document is valid
only when every signature is; bytes after the last revision that no
signature covers make it invalid too.
"""
import asyncio
import datetime as dt
import functools
import json
import logging
from dataclasses import asdict, dataclass, field

from trytond.modules.vb_document.vn.pdf import PDF_MAGIC

from .errors import SignatureError
from .layout import FIELD_LEADER, FIELD_ORGANIZATION, FIELDS_AFTER_LEADER
from .signer import (
    SIGNING_KEY_USAGES, VN_TZ, certificate_facts, load_certificates)

# pyHanko logs a full traceback at WARNING for each failed validation (P10)
for _name in ('pyhanko', 'pyhanko_certvalidator'):
    logging.getLogger(_name).setLevel(logging.ERROR)

VALID, INVALID = 'valid', 'invalid'
# What a failed OCSP/CRL fetch leads to
UNREACHABLE = frozenset({'revocation_unknown', 'timestamp_invalid'})
LEADER, ORGANIZATION, TIMESTAMP, OTHER = (
    'leader', 'organization', 'timestamp', 'other')

REASONS = {
    'not_pdf': "Tệp không phải là tệp PDF.",
    'damaged': "Tệp PDF bị hỏng hoặc không đầy đủ (bị cắt cụt hoặc sai cấu "
        "trúc).",
    'no_signature': "Tệp không có chữ ký số.",
    'uncovered_bytes': "Có dữ liệu ở cuối tệp không thuộc phạm vi của chữ "
        "ký số nào.",
    'malformed_signature': "Chữ ký số bị hỏng, không đọc được.",
    'not_intact': "Nội dung văn bản đã bị thay đổi sau khi ký (dữ liệu "
        "không khớp với chữ ký số).",
    'bad_signature': "Giá trị chữ ký số không hợp lệ với khóa công khai "
        "của chứng thư số.",
    'coverage': "Vùng dữ liệu được ký (ByteRange) không bao phủ toàn bộ "
        "phiên bản của tệp.",
    'untrusted': "Chứng thư số không được cấp bởi tổ chức chứng thực được "
        "tin cậy.",
    'expired': "Chứng thư số đã hết hạn.",
    'not_yet_valid': "Chứng thư số chưa có hiệu lực.",
    'expired_at_signing': "Chứng thư số không có hiệu lực tại thời điểm ký.",
    'revoked': "Chứng thư số đã bị thu hồi.",
    'revocation_unknown': "Không kiểm tra được tình trạng thu hồi của chứng "
        "thư số (không có hoặc không lấy được dữ liệu OCSP/CRL).",
    'key_usage': "Chứng thư số không được phép dùng để ký số (mục đích sử "
        "dụng khóa không phù hợp).",
    'chain_invalid': "Chuỗi chứng thư số không hợp lệ.",
    'weak_algorithm': "Thuật toán ký hoặc băm không còn an toàn.",
    'timestamp_invalid': "Dấu thời gian của chữ ký không hợp lệ hoặc không "
        "được tin cậy.",
    'modified': "Tệp đã bị sửa đổi sau khi ký bằng thay đổi không được "
        "phép (nội dung, trang, hình ảnh hoặc cấu trúc).",
    'forbidden_fields': "Sau chữ ký của người có thẩm quyền chỉ được điền "
        "số, ngày ban hành và chữ ký số của cơ quan; đã thay đổi: {fields}.",
    'changed_after_seal': "Tệp đã bị thay đổi sau chữ ký số của cơ quan "
        "(chỉ được bổ sung dữ liệu kiểm tra và dấu thời gian).",
    'mdp_violation': "Thay đổi sau khi ký vi phạm quyền thay đổi do chữ "
        "ký trước đặt ra (DocMDP/FieldMDP).",
    'seed_value': "Chữ ký không đáp ứng ràng buộc của ô chữ ký.",
}


def reason(code, **values):
    "The Vietnamese sentence of a reason code"
    return REASONS[code].format(**values)


@dataclass
class Policy:
    """How strict the verification is.

    revocation: 'hard-fail' (default: a certificate whose status cannot be
        established fails), 'require' (revocation data needed even for a
        certificate without OCSP/CRL addresses) or 'soft-fail' (pyHanko's
        lenient default, accepting unknown status; not recommended);
    fetch: ask OCSP responders and CRL distribution points over HTTP; data
        embedded in the file (DSS) and `crls`/`ocsps` are always used;
    crls, ocsps: DER revocation data supplied offline (air-gapped import);
    intermediates: extra CA certificates (DER/PEM) to build chains;
    validation_time: the moment to validate at (default: now).
    """
    revocation: str = 'hard-fail'
    fetch: bool = True
    fetch_timeout: float = 10
    crls: tuple = ()
    ocsps: tuple = ()
    intermediates: tuple = ()
    validation_time: dt.datetime | None = None

    def __post_init__(self):
        if self.revocation not in ('hard-fail', 'require', 'soft-fail'):
            raise SignatureError('bad_policy',
                "Chính sách kiểm tra thu hồi phải là hard-fail, require "
                "hoặc soft-fail.")


@dataclass
class SignatureReport:
    "What was found about one signature (times in ISO 8601, +07:00)"
    field: str
    kind: str
    signer: str = ''
    organization: str = ''
    issuer: str = ''
    serial: str = ''
    signing_time: str | None = None
    timestamp: str | None = None
    status: str = INVALID
    codes: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    modification: str | None = None
    changed_fields: list = field(default_factory=list)
    # Technical cause for the log (pyHanko's exception), not for users
    detail: str = ''

    @property
    def valid(self):
        return self.status == VALID

    def fail(self, code, **values):
        if code not in self.codes:
            self.codes.append(code)
            self.reasons.append(reason(code, **values))
        self.status = INVALID


@dataclass
class Report:
    """The verification report of a file, meant to be stored with it.

    `valid` is True only when the file has signatures and every one of
    them is valid; `codes`/`reasons` hold the problems of the file itself.
    """
    valid: bool
    signatures: list
    codes: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    checked_at: str = ''

    def signature(self, kind):
        "The first signature of a kind (leader, organization, …) or None"
        return next((s for s in self.signatures if s.kind == kind), None)

    def to_dict(self):
        return asdict(self)

    def to_json(self):
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)


def _iso(when):
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(VN_TZ).isoformat(timespec='seconds')


def _kind(embedded):
    if embedded.sig_object_type == '/DocTimeStamp':
        return TIMESTAMP
    return {FIELD_LEADER: LEADER, FIELD_ORGANIZATION: ORGANIZATION}.get(
        embedded.field_name, OTHER)


def _trust_roots(trust_roots):
    roots = load_certificates(trust_roots)
    if not roots:
        raise SignatureError('no_trust_roots',
            "Chưa cấu hình chứng thư số gốc được tin cậy để kiểm tra chữ ký.")
    return roots


class _Context:
    "What every signature of one document is validated with"

    def __init__(self, reader, roots, policy):
        from asn1crypto import crl, ocsp
        from pyhanko.pdf_utils.decode_limits import DecodePurpose
        from pyhanko.sign.validation.dss import DocumentSecurityStore
        self.roots = roots
        self.policy = policy
        self.certs = load_certificates(policy.intermediates)
        try:
            self.crls = [crl.CertificateList.load(bytes(c))
                for c in policy.crls]
            self.ocsps = [ocsp.OCSPResponse.load(bytes(o))
                for o in policy.ocsps]
            for item in self.crls + self.ocsps:
                item.native  # asn1crypto parses lazily
        except Exception as e:
            raise SignatureError('bad_revocation_data',
                "Dữ liệu thu hồi (CRL/OCSP) được cung cấp không hợp lệ.",
                repr(e)) from e
        try:
            # Validation data embedded for long-term validation (B-LT)
            dss = DocumentSecurityStore.read_dss(reader)
            certs = list(dss.load_certs())
            crls = [crl.CertificateList.load(ref.get_object().read_data(
                DecodePurpose.CRL)) for ref in dss.crls]
            ocsps = [ocsp.OCSPResponse.load(ref.get_object().read_data(
                DecodePurpose.OCSP_RESPONSE)) for ref in dss.ocsps]
        except Exception:
            # No DSS, or one that cannot be read: nothing is taken from
            # it, and revocation is checked online or found unknown
            certs, crls, ocsps = [], [], []
        self.certs += certs
        self.crls += crls
        self.ocsps += ocsps

        # One HTTP session for the document's signatures, closed at the
        # end, and one set of fetchers: what the leader's signature fetched
        # (the CA's CRL, its OCSP answers) serves the organisation's
        self.fetcher = self._fetchers = None
        if policy.fetch:
            from pyhanko_certvalidator.fetchers.aiohttp_fetchers import (
                AIOHttpFetcherBackend)
            self.fetcher = AIOHttpFetcherBackend(session=_session(),
                per_request_timeout=policy.fetch_timeout)

    async def close(self):
        if self.fetcher is not None:
            await self.fetcher.close()

    def new(self, fetch=True):
        "A fresh ValidationContext: they are stateful (pyhanko.md P8)"
        from pyhanko_certvalidator import ValidationContext
        policy = self.policy
        kwargs = {}
        fetch = fetch and self.fetcher is not None
        if fetch:
            if self._fetchers is None:
                self._fetchers = self.fetcher.get_fetchers()
            kwargs['fetchers'] = self._fetchers
        return ValidationContext(trust_roots=self.roots,
            other_certs=self.certs, crls=self.crls, ocsps=self.ocsps,
            allow_fetching=fetch, revocation_mode=policy.revocation,
            moment=policy.validation_time, **kwargs)


def _session():
    """pyHanko's lazy aiohttp session, with the process's one SSL context:
    building one reads certifi's CA bundle (15 ms, each document checked)"""
    return _session_class()()


@functools.cache
def _session_class():
    from pyhanko_certvalidator.fetchers.aiohttp_fetchers.util import (
        LazySession)

    class Session(LazySession):
        def get_session(self):
            import aiohttp
            if self._session is None:
                self._session = aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(ssl=_ssl_context()))
            return self._session
    return Session


@functools.cache
def _ssl_context():
    import ssl

    import certifi
    return ssl.create_default_context(cafile=certifi.where())


def _key_usage_ok(cert):
    usage = cert.key_usage_value
    return usage is None or bool(usage.native & SIGNING_KEY_USAGES)


def _trust_problem(report, status, cert, moment):
    "Name why a signer certificate is not trusted"
    from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate
    indic = status.trust_problem_indic
    if cert is None:
        return report.fail('untrusted')
    if not _key_usage_ok(cert):
        return report.fail('key_usage')
    if indic in (AdESFailure.REVOKED, AdESIndeterminate.REVOKED_NO_POE,
            AdESIndeterminate.REVOKED_CA_NO_POE):
        return report.fail('revoked')
    facts = certificate_facts(cert)
    if indic in (AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
            AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
            AdESIndeterminate.EXPIRED, AdESIndeterminate.NOT_YET_VALID,
            AdESFailure.NOT_YET_VALID):
        return report.fail('not_yet_valid' if moment < facts['valid_from']
            else 'expired')
    if indic == AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        return report.fail('untrusted')
    if indic in (AdESIndeterminate.TRY_LATER,
            AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE):
        # Both are what hard-fail gives when no OCSP/CRL answer is at hand
        return report.fail('revocation_unknown')
    if indic == AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE:
        return report.fail('weak_algorithm')
    return report.fail('chain_invalid')


def _check_modifications(report, status):
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    coverage = status.coverage
    if coverage not in (SignatureCoverageLevel.ENTIRE_FILE,
            SignatureCoverageLevel.ENTIRE_REVISION):
        return report.fail('coverage')
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        report.modification = ModificationLevel.NONE.name
        return
    diff = status.diff_result
    # Anything pyHanko cannot explain (SuspiciousModification) is OTHER
    level = (diff.modification_level if isinstance(diff, DiffResult)
        else ModificationLevel.OTHER)
    report.modification = level.name
    if isinstance(diff, DiffResult) and report.kind != TIMESTAMP:
        report.changed_fields = sorted(map(str, diff.changed_form_fields))
    if report.kind == ORGANIZATION:
        # After the seal: validation data and timestamps only
        if level.value > ModificationLevel.LTA_UPDATES.value:
            return report.fail('changed_after_seal')
    elif level.value > ModificationLevel.FORM_FILLING.value:
        # OTHER, or annotations, which can be drawn over a signed page
        return report.fail('modified')
    if getattr(status, 'docmdp_ok', None) is False:
        report.fail('mdp_violation')
    if report.kind == LEADER:
        extra = set(report.changed_fields) - FIELDS_AFTER_LEADER
        if extra:
            report.fail('forbidden_fields', fields=', '.join(sorted(extra)))


async def _validate(embedded, context, moment, fetch=True):
    from pyhanko.sign.validation import (
        async_validate_pdf_signature, async_validate_pdf_timestamp)
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    kind = _kind(embedded)
    # Plain str: pyHanko's TextStringObject keeps its PDF object, which
    # asdict() would deep-copy (about 50 ms a report)
    report = SignatureReport(field=str(embedded.field_name or ''), kind=kind)
    try:
        if kind == TIMESTAMP:
            status = await async_validate_pdf_timestamp(embedded,
                validation_context=context.new(fetch))
        else:
            status = await async_validate_pdf_signature(embedded,
                context.new(fetch),
                key_usage_settings=KeyUsageConstraints(
                    key_usage=set(SIGNING_KEY_USAGES),
                    match_all_key_usages=False))
    except Exception as e:  # a CMS or a dictionary pyHanko cannot read
        report.fail('malformed_signature')
        report.detail = repr(e)
        return report
    cert = status.signing_cert
    if cert is not None:
        facts = certificate_facts(cert)
        report.signer = facts['name']
        report.organization = facts['organization']
        report.issuer = facts['issuer']
        report.serial = facts['serial']
    report.status = VALID
    if kind == TIMESTAMP:
        report.timestamp = _iso(status.timestamp)
    else:
        report.signing_time = _iso(status.signer_reported_dt)
        tst = status.timestamp_validity
        if tst is not None:
            report.timestamp = _iso(tst.timestamp)
            if not (tst.intact and tst.valid and tst.trusted):
                report.fail('timestamp_invalid')
    if not status.intact:
        report.fail('not_intact')
    elif not status.valid:
        report.fail('bad_signature')
    elif not status.trusted:
        _trust_problem(report, status, cert, moment)
    if kind != TIMESTAMP and cert is not None and status.intact:
        # Validity at the signing time: the TSA's time when there is a
        # trusted timestamp, else what the signer claims (/M)
        tst = status.timestamp_validity
        when = (tst.timestamp if tst is not None and tst.trusted
            else status.signer_reported_dt)
        facts = certificate_facts(cert)
        if when is not None and not (
                facts['valid_from'] <= when <= facts['valid_to']):
            report.fail('expired_at_signing')
        if not status.seed_value_ok:
            report.fail('seed_value')
    _check_modifications(report, status)
    return report


def _uncovered_tail(data):
    "Whether bytes follow the last %%EOF (only whitespace may)"
    end = data.rfind(b'%%EOF')
    return end < 0 or bool(data[end + 5:].strip(b'\r\n\t\f\x00 '))


def verify(pdf_bytes, trust_roots, policy=None):
    """Check every signature of `pdf_bytes` and return a `Report`.

    `trust_roots`: the certificates (DER or PEM bytes) the installation
    trusts, e.g. the Vietnamese national root and the government CA root.
    A damaged or unsigned file gives an invalid report, not an exception;
    a missing trust store raises SignatureError('no_trust_roots').
    Inside a running event loop, await `async_verify` instead.
    """
    return asyncio.run(async_verify(pdf_bytes, trust_roots, policy))


async def async_verify(pdf_bytes, trust_roots, policy=None):
    "`verify` for asynchronous callers"
    from .pdfio import open_reader
    policy = policy or Policy()
    roots = _trust_roots(trust_roots)
    moment = policy.validation_time or dt.datetime.now(dt.timezone.utc)
    checked_at = _iso(moment)
    data = bytes(pdf_bytes or b'')

    def invalid(code):
        return Report(False, [], [code], [reason(code)], checked_at)

    if PDF_MAGIC not in data[:1024 + len(PDF_MAGIC)]:
        return invalid('not_pdf')
    try:
        reader = open_reader(data)
        signatures = reader.embedded_signatures
    except Exception:
        return invalid('damaged')
    if not signatures:
        return invalid('no_signature')
    context = _Context(reader, roots, policy)
    reports = []
    try:
        for embedded in signatures:
            report = await _validate(embedded, context, moment)
            if context.fetcher is not None and UNREACHABLE & set(report.codes):
                # In hard-fail mode an unreachable OCSP responder or CRL
                # fails even when the file embeds the data (DSS): fall back
                # to the embedded and supplied data alone
                offline = await _validate(embedded, context, moment,
                    fetch=False)
                if len(offline.codes) < len(report.codes):
                    report = offline
            reports.append(report)
    finally:
        await context.close()
    report = Report(all(r.valid for r in reports), reports,
        checked_at=checked_at)
    if _uncovered_tail(data):
        report.valid = False
        report.codes.append('uncovered_bytes')
        report.reasons.append(reason('uncovered_bytes'))
    return report
