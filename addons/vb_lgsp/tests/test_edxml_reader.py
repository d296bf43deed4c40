# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""edXML library: the two roads of the XML reader (attachments cut out of
the bytes and the rest read as a libxml2 tree; the streaming parser) give
the same Node tree and the same errors, and the tree never sees a DTD"""
import base64
import os
import time

import pytest

from trytond.modules.vb_lgsp.edxml import (Attachment, EdxmlError,
    EdxmlSecurityError, Limits, build, parse, reader)
from trytond.modules.vb_lgsp.edxml.limits import DEFAULT_LIMITS
from trytond.modules.vb_lgsp.tests.edxml_factory import (FIXTURES, document,
    pdf_bytes, status)

VALID = build(document())
PROLOG = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def dump(node):
    "Everything a Node holds, recursively, as plain values"
    payload = node.payload
    if payload is not None:
        payload = (payload.size, payload.decode())
    return (node.name, node.namespace, node.attrib, node.text, payload,
        node.signatures, [dump(child) for child in node.children])


def tree_road(data, limits=DEFAULT_LIMITS):
    "The tree road alone (raises _Fallback when it does not take `data`)"
    assert reader.takes_tree_road(data)
    skeleton, cut = reader._cut_payloads(data, limits)
    return reader._read_tree(skeleton, limits, cut)


def roads(data, limits=DEFAULT_LIMITS):
    "(tree road's dump, streaming road's dump) of `data`"
    return (dump(tree_road(data, limits)),
        dump(reader.read_stream(data, limits)))


def variants():
    "Valid packages in the forms senders use"
    yield 'built', VALID
    yield 'status', build(status('03'))
    for path in sorted(FIXTURES.glob('*.edxml')) + [
            FIXTURES / 'soap_status.xml']:
        yield path.name, path.read_bytes()
    body = VALID[len(PROLOG):]
    yield 'no declaration', body
    yield 'byte order mark', b'\xef\xbb\xbf' + VALID
    yield 'single quotes', (b"<?xml version='1.0' encoding='utf-8' "
        b"standalone='yes'?>" + body)
    yield 'comments and instructions', (PROLOG
        + '<!-- gửi lúc 8:00 -->\n'.encode()
        + b'<?xml-stylesheet href="x.xsl"?>\n' + body.replace(
            b'<edXML:Subject>V/v', b'<edXML:Subject>V/<!-- x -->v<?pi x?>',
            1))
    yield 'CDATA and references', VALID.replace(
        b'<edXML:Subject>V/v', b'<edXML:Subject><![CDATA[V/v]]> &amp; &#272;',
        1)
    yield 'mixed content', VALID.replace(b'</edXML:Subject>',
        b'<b>in</b> tail</edXML:Subject>', 1)
    yield 'wrapped base64', VALID.replace(b'<ContentTransferEncoded>',
        b'<ContentTransferEncoded>\n  ', 1)
    yield 'signature as root', (b'<ds:Signature xmlns:ds="http://www.w3.org'
        b'/2000/09/xmldsig#"><ds:Signature/></ds:Signature>')
    yield 'xmldsig signature', VALID.replace(b'</edXML:edXMLHeader>',
        b'<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#" '
        b'Id="s"><ds:SignedInfo/></ds:Signature></edXML:edXMLHeader>', 1)


@pytest.mark.parametrize('name, data', list(variants()),
    ids=[name for name, _ in variants()])
def test_both_roads_give_the_same_tree(name, data):
    tree, stream = roads(data)
    assert tree == stream


def test_packages_take_the_tree_road(monkeypatch):
    "Valid packages, small or large, never reach the streaming parser"
    def no_stream(*args):
        raise AssertionError('streaming parser used')
    monkeypatch.setattr(reader, 'read_stream', no_stream)
    assert parse(VALID).subject == document().subject
    assert parse(build(status('03'))).status.value == '03'
    big = pdf_bytes() + os.urandom(3_000_000) + b'\n%%EOF\n'
    package = parse(build(document(attachments=[
                    Attachment('van-ban.pdf', big)])))
    assert package.attachments[0].data == big


def test_attachments_are_views_of_the_package():
    "What the tree road cuts out is kept as views: no copy of the files"
    data = build(document(attachments=[Attachment('van-ban.pdf',
                    pdf_bytes() + os.urandom(200_000) + b'\n%%EOF\n')]))
    root = tree_road(data)
    payloads = []

    def collect(node):
        if node.payload is not None:
            payloads.append(node.payload)
        for child in node.children:
            collect(child)
    collect(root)
    assert payloads and all(isinstance(chunk, memoryview)
        and chunk.obj is data for chunk in payloads[0].chunks)


def test_large_rest_streams(monkeypatch):
    "Above TREE_MAX_SIZE without its attachments, a package streams"
    monkeypatch.setattr(reader, 'TREE_MAX_SIZE', 1000)

    def no_tree(*args):
        raise AssertionError('tree road used')
    monkeypatch.setattr(reader, '_read_tree', no_tree)
    assert parse(VALID).subject == document().subject


@pytest.mark.parametrize('name, change', [
    ('in a comment', (b'<Attachment>', b'<!-- <ContentTransferEncoded>QUJD'
        b'</ContentTransferEncoded> --><Attachment>')),
    ('in CDATA', (b'<edXML:Subject>', b'<edXML:Subject><![CDATA[<Content'
        b'TransferEncoded>QUJD</ContentTransferEncoded>]]>')),
    ('in an instruction', (b'<Attachment>', b'<?x <ContentTransferEncoded>'
        b'QUJD</ContentTransferEncoded>?><Attachment>')),
    ('with an attribute', (b'<ContentTransferEncoded>',
        b'<ContentTransferEncoded a="1">')),
    ('end tag with space', (b'</ContentTransferEncoded>',
        b'</ContentTransferEncoded >')),
    ('character reference', (b'<ContentTransferEncoded>J',
        b'<ContentTransferEncoded>&#74;')),
    ('CDATA content', (b'<ContentTransferEncoded>JVBE',
        b'<ContentTransferEncoded><![CDATA[JVBE]]>')),
    ('comment in content', (b'<ContentTransferEncoded>JVBE',
        b'<ContentTransferEncoded>JV<!-- x -->BE')),
    ('CRLF line breaks', (b'<ContentTransferEncoded>JVBE',
        b'<ContentTransferEncoded>\r\nJVBE\r\n')),
    ])
def test_cuts_that_are_not_plain_content(name, change):
    """Base64 look-alikes outside attachments and contents that are not
    plain text: the attachments read are those of an XML parser"""
    data = VALID.replace(*change, 1)
    assert data != VALID
    streamed = dump(reader.read_stream(data, DEFAULT_LIMITS))
    assert dump(reader.read_xml(data, DEFAULT_LIMITS)) == streamed
    package = parse(data)
    assert [a.data for a in package.attachments] == [
        a.data for a in parse(VALID).attachments]


def test_marker_cannot_be_forged():
    "A content looking like the marker of a cut is refused like any other"
    skeleton, cut = reader._cut_payloads(VALID, DEFAULT_LIMITS)
    marker = next(iter(cut)).encode()
    assert marker in skeleton and marker not in VALID
    start = VALID.index(b'<ContentTransferEncoded>') + len(
        b'<ContentTransferEncoded>')
    end = VALID.index(b'</ContentTransferEncoded>', start)
    forged = VALID[:start] + marker + VALID[end:]
    with pytest.raises(EdxmlError) as info:
        parse(forged)
    assert info.value.code == 'bad_base64'
    # Another parse draws another nonce
    assert next(iter(reader._cut_payloads(VALID, DEFAULT_LIMITS)[1])
        ).encode() != marker


@pytest.mark.parametrize('data', [
    # A DOCTYPE, alone or after comments, instructions, white space
    b'<!DOCTYPE edXML [<!ENTITY a "b">]><edXML/>',
    PROLOG + b'<!DOCTYPE edXML SYSTEM "http://127.0.0.1:9/x.dtd"><edXML/>',
    PROLOG + b'<!-- x -->\n<?pi y?>\n  <!DOCTYPE edXML><edXML/>',
    b'<!-- -- --><!DOCTYPE edXML><edXML/>',
    # Other encodings, declared or detected
    b'<?xml version="1.0" encoding="ISO-8859-1"?><edXML/>',
    b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE edXML+AD4-<edXML/>',
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x><edXML/>'.encode(
        'utf-16'),
    '<edXML/>'.encode('utf-16-le'),
    '<edXML/>'.encode('cp037'),
    # Anything else unusual before the root
    b'<![CDATA[x]]><edXML/>',
    b' <?xml version="1.0"?><edXML/>',
    b'',
    ])
def test_tree_road_refused_before_any_dtd(data):
    assert not reader.takes_tree_road(data)


def test_prolog_check_is_linear():
    "Long white space or comments in the prolog: no regex backtracking"
    for prolog in (b' ' * 200_000 + b'!', b'<!--' + b'-x' * 100_000,
            b'<?pi ' + b'?' * 100_000):
        started = time.monotonic()
        assert not reader.takes_tree_road(PROLOG + prolog)
        assert time.monotonic() - started < 1


@pytest.mark.parametrize('change, limits, code', [
    # Each limit breached in a small package: the streaming parser gives
    # the answer (code, field), as it does for large ones
    ((b'<edXML:Subject>', b'<edXML:Subject>' + b'<a>' * 3), None,
        'malformed_xml'),
    ((b'V/v b\xc3\xa1o', b'<a>' * 40 + b'</a>' * 40), None, 'too_deep'),
    ((b'V/v b\xc3\xa1o', b'x' * 100_001), None, 'huge_text'),
    ((b'V/v b\xc3\xa1o', b'<b/>' + b'x' * 60_000 + b'<b/>' + b'x' * 60_000),
        None, 'huge_text'),
    ((b'<edXML:Subject>', b'<edXML:Subject a="' + b'x' * 100_001 + b'">'),
        None, 'huge_text'),
    (None, Limits(max_elements=50), 'too_many_elements'),
    (None, Limits(max_attachments=1), 'too_many_attachments'),
    (None, Limits(max_attachment_size=100), 'attachment_too_large'),
    ((b'<ContentTransferEncoded>', b'<ContentTransferEncoded>@'), None,
        'bad_base64'),
    ((b'<ContentTransferEncoded>', b'<ContentTransferEncoded>=QUJD'), None,
        'bad_base64'),
    ((b'V/v b\xc3\xa1o', b'&lol;'), None, 'entity_forbidden'),
    ])
def test_tree_road_refusals_match_streaming(change, limits, code):
    data = VALID.replace(*change, 1) if change else VALID
    limits = limits or DEFAULT_LIMITS
    assert reader.takes_tree_road(data)
    with pytest.raises((reader._Fallback, EdxmlError)):
        tree_road(data, limits)
    with pytest.raises(EdxmlError) as streamed:
        reader.read_stream(data, limits)
    with pytest.raises(EdxmlError) as read:
        reader.read_xml(data, limits)
    assert read.value.code == code
    assert (read.value.code, read.value.field) == (
        streamed.value.code, streamed.value.field)
    # The sender is still named from the partial tree
    with pytest.raises(EdxmlError) as parsed:
        parse(data, limits=limits)
    assert parsed.value.code == read.value.code
    if code in ('bad_base64', 'attachment_too_large', 'too_many_attachments'):
        assert parsed.value.sender == '000.00.00.H32'


def test_dtd_never_reaches_the_tree_parser(monkeypatch):
    "Hostile packages go straight to the streaming parser, which stops them"
    calls = []
    real = reader._read_tree

    def spy(data, limits, cut=None):
        calls.append(data)
        return real(data, limits, cut)
    monkeypatch.setattr(reader, '_read_tree', spy)
    bomb = VALID.replace(b'?>\n<edXML', b'?>\n<!DOCTYPE edXML [<!ENTITY a '
        b'"' + b'x' * 1000 + b'">]>\n<edXML', 1).replace(
        b'V/v b\xc3\xa1o', b'&a;&a;', 1)
    with pytest.raises(EdxmlSecurityError) as info:
        parse(bomb)
    assert info.value.code == 'dtd_forbidden'
    assert calls == []


def test_payload_pieces_decode_alike():
    "Cut pieces (views) and streamed pieces (copies) decode alike"
    content = bytes(range(256)) * 1000
    data = VALID.replace(b'<ContentTransferEncoded>',
        b'<ContentTransferEncoded>' + base64.b64encode(content)
        + b'</ContentTransferEncoded><ContentTransferEncoded>', 1)
    tree, stream = roads(data)
    assert tree == stream


@pytest.mark.parametrize('name, data', list(variants()),
    ids=[name for name, _ in variants()])
def test_small_and_general_nodes_alike(name, data, monkeypatch):
    """The Nodes of a small tree (limits tested in C, attributes and
    containers' text read when asked for) are those of the element by
    element loop"""
    skeleton, cut = reader._cut_payloads(data, DEFAULT_LIMITS)
    tree = reader.etree.fromstring(skeleton, reader._tree_parser())
    assert not reader._over_limits(tree, DEFAULT_LIMITS)
    small = reader._small_nodes(tree, DEFAULT_LIMITS, dict(cut))
    assert small is not None
    general = reader._general_nodes(tree, DEFAULT_LIMITS, dict(cut))
    assert dump(small) == dump(general)
    # read_xml takes the small road for each of them
    monkeypatch.setattr(reader, '_general_nodes', None)
    assert dump(reader.read_xml(data, DEFAULT_LIMITS)) == dump(general)


@pytest.mark.parametrize('limits', [Limits(max_elements=50),
    Limits(max_depth=5), Limits(max_attributes=1),
    Limits(max_text_length=1000)])
def test_small_nodes_not_used_near_a_limit(limits, monkeypatch):
    "A package that may break a limit goes through the general loop"
    real = reader._small_nodes

    def no_small(*args):
        assert real(*args) is None, 'small road used'
        return None
    monkeypatch.setattr(reader, '_small_nodes', no_small)
    try:
        tree = dump(tree_road(VALID, limits))
    except (reader._Fallback, EdxmlError):
        return
    assert tree == dump(reader.read_stream(VALID, limits))
