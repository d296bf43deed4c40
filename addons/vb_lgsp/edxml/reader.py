# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Streaming, bounded XML reading.

libxml2 parses in push mode and hands every event to a Python target: no
tree of the whole document is built (so the text of an attachment is never
one huge node, and ``huge_tree`` stays off), a DOCTYPE stops the parse before
its internal subset is read (no DTD, no entity of any kind, so neither XXE
nor entity expansion), and the limits on depth, element count and text
length are checked as the events arrive. The base64 content of attachments
goes straight to a :class:`~.attachments.Base64Sink`; everything else
becomes a small tree of :class:`Node`.

Most packages take a faster road to the same tree. The base64 content of
each attachment is found in the bytes (``<ContentTransferEncoded>`` up to
the next ``<``, which must be its end tag), checked by the same sink
straight from the bytes, and replaced by a marker holding a random nonce;
libxml2 then builds its own tree, in C, of what is left (a few kilobytes,
with the same options: no DTD, no entity, no network, no huge tree), and
one pass over it makes the Nodes and applies every limit (when the rest is
smaller than the text limit, one XPath evaluated in C clears the limits on
attributes and depth and the pass only counts the elements, see
_small_nodes). Each marker must
come back as the whole text of a ContentTransferEncoded element, once: a
cut inside a comment, CDATA section or processing instruction is thus
detected, and the attachments are exactly what an XML parser reads there.
This road is taken only when the prolog before the root element holds no
DOCTYPE (checked on the bytes, so libxml2 never reads a DTD there) and the
encoding is UTF-8. Whatever it does not accept as it is (a syntax error, a
limit, bad base64, an attachment's content with an entity) is read again by
the streaming parser, which gives the answer: both roads read the same
input alike and refuse it with the same error.
"""
import os
import re
import threading

from lxml import etree

from .attachments import Base64Sink
from .errors import EdxmlError, EdxmlFormatError, EdxmlSecurityError
from .namespaces import DSIG_NS

# Elements whose text is a file in base64
PAYLOAD_ELEMENTS = frozenset({'ContentTransferEncoded'})
_FEED_CHUNK = 64 * 1024
# Up to this size what is left of a package without its attachments is
# read through libxml2's tree (the streaming parser keeps memory flat above)
TREE_MAX_SIZE = 512 * 1024
# Name in the start tag of a base64 element without attributes
_PAYLOAD_TAG_RE = re.compile(
    rb'(?:[A-Za-z_][A-Za-z0-9._-]*:)?ContentTransferEncoded')
# The prolog of a document that may be read as a tree: an optional UTF-8
# byte order mark and XML declaration (UTF-8 or no encoding), comments,
# processing instructions and white space, then the root element's tag. A
# DOCTYPE (or anything else starting with "<!") never matches, nor does
# UTF-16/32 or EBCDIC text.
_TREE_PROLOG_RE = re.compile(
    rb'(?:\xef\xbb\xbf)?'
    rb'(?:<\?xml(?:\s+version\s*=\s*(?:"[^"<>]*"|\'[^\'<>]*\'))'
    rb'(?:\s+encoding\s*=\s*(?:"(?i:utf-?8)"|\'(?i:utf-?8)\'))?'
    rb'(?:\s+standalone\s*=\s*(?:"[^"<>]*"|\'[^\'<>]*\'))?\s*\?>)?'
    rb'(?:\s|<!--(?:[^-]|-[^-])*-->|<\?(?![Xx][Mm][Ll][\s?])[^?]*\?>)*'
    rb'<[^!?\x00\s]')


class Node:
    """An element: local name, namespace, attributes, children and own text.

    ``payload`` holds the content of a base64 element; ``signatures``, on
    the root only, counts the XMLDSig Signature elements of the document.
    """
    __slots__ = ('name', 'namespace', 'attrib', 'children', 'parts',
        'payload', 'signatures', '_index')

    def __init__(self, name, namespace, attrib):
        self.name = name
        self.namespace = namespace
        self.attrib = attrib
        self.children = []
        self.parts = []
        self.payload = None
        self.signatures = 0
        self._index = None

    @property
    def text(self):
        parts = self.parts
        if len(parts) == 1:
            return parts[0].strip()
        return ''.join(parts).strip()

    def _build_index(self):
        index = {}
        for child in self.children:
            index.setdefault(child.name, []).append(child)
        self._index = index
        return index

    def all(self, name):
        "Children with this local name, in document order"
        index = self._index
        if index is None:
            index = self._build_index()
        return index.get(name, ())

    def first(self, name):
        index = self._index
        if index is None:
            index = self._build_index()
        children = index.get(name)
        return children[0] if children else None

    def value(self, name):
        "Text of the first child with this local name, '' without one"
        index = self._index
        if index is None:
            index = self._build_index()
        children = index.get(name)
        return children[0].text if children else ''

    def attribute(self, name):
        "Value of the attribute with this local name, in any namespace"
        for key, value in self.attrib.items():
            if key == name or key.endswith('}' + name):
                return value
        return None

    def __repr__(self):
        return f'<Node {self.name} {len(self.children)} children>'


class _Target:
    "lxml parser target building Nodes within the limits"

    def __init__(self):
        self.reset(None)

    def reset(self, limits):
        self.limits = limits
        self.stack = []
        self.root = None
        self.elements = 0
        self.sink = None
        # Text length read so far in each open element
        self.lengths = []
        self.attachments = 0

    def doctype(self, name, public_id, system_id):
        raise EdxmlSecurityError('dtd_forbidden')

    def start(self, tag, attrib):
        stack = self.stack
        limits = self.limits
        if self.sink is not None:
            raise EdxmlFormatError('malformed_xml',
                detail='phần tử nằm trong nội dung base64')
        if len(stack) >= limits.max_depth:
            raise EdxmlSecurityError('too_deep', limit=limits.max_depth)
        self.elements += 1
        if self.elements > limits.max_elements:
            raise EdxmlSecurityError('too_many_elements',
                limit=limits.max_elements)
        if tag[0] == '{':
            namespace, _, name = tag[1:].partition('}')
        else:
            name, namespace = tag, ''
        if attrib:
            if len(attrib) > limits.max_attributes:
                raise EdxmlSecurityError('too_many_attributes', field=name,
                    limit=limits.max_attributes)
            for value in attrib.values():
                if len(value) > limits.max_text_length:
                    raise EdxmlSecurityError('huge_text', field=name,
                        limit=limits.max_text_length)
            attrib = dict(attrib)
        else:
            attrib = {}
        node = Node(name, namespace, attrib)
        if stack:
            stack[-1].children.append(node)
            if name == 'Signature' and namespace == DSIG_NS:
                self.root.signatures += 1
        else:
            self.root = node
        stack.append(node)
        self.lengths.append(0)
        if name in PAYLOAD_ELEMENTS:
            self.attachments += 1
            if self.attachments > limits.max_attachments:
                raise EdxmlSecurityError('too_many_attachments',
                    limit=limits.max_attachments)
            self.sink = Base64Sink(self._attachment_name(),
                limits.max_attachment_size)

    def _attachment_name(self):
        "Name for messages: the AttachmentName read so far, if any"
        if len(self.stack) >= 2:
            for sibling in self.stack[-2].children:
                if sibling.name == 'AttachmentName' and sibling.text:
                    return sibling.text
        return f'#{self.attachments}'

    def data(self, text):
        if self.sink is not None:
            self.sink.feed(text)
            return
        if not self.stack:
            return
        self.lengths[-1] += len(text)
        if self.lengths[-1] > self.limits.max_text_length:
            raise EdxmlSecurityError('huge_text', field=self.stack[-1].name,
                limit=self.limits.max_text_length)
        self.stack[-1].parts.append(text)

    def end(self, tag):
        node = self.stack.pop()
        self.lengths.pop()
        if self.sink is not None:
            node.payload = self.sink.finish()
            self.sink = None

    def close(self):
        return self.root


_local = threading.local()


def _parser():
    """The thread's parser and target (setting up a target parser costs
    five times more than parsing a small package)"""
    cached = getattr(_local, 'parser', None)
    if cached is None:
        target = _Target()
        parser = etree.XMLParser(target=target, resolve_entities=False,
            no_network=True, load_dtd=False, dtd_validation=False,
            huge_tree=False)
        cached = _local.parser = parser, target
    return cached


def _tree_parser():
    "The thread's parser of small packages into a libxml2 tree"
    parser = getattr(_local, 'tree_parser', None)
    if parser is None:
        # Comments and processing instructions are dropped (the text
        # around them joins, as the streaming parser's data events do)
        parser = _local.tree_parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False,
            dtd_validation=False, huge_tree=False, remove_comments=True,
            remove_pis=True, collect_ids=False)
    return parser


class _Fallback(Exception):
    "The tree road does not take this input: read it by streaming"


def _cut_payloads(data, limits):
    """(the package without its attachments' content, {marker: payload}).

    Each content cut is checked by a Base64Sink from the bytes (an error
    sends the package to the streaming parser) and replaced by a marker
    that the tree road must find as the whole text of a base64 element.
    """
    name, = PAYLOAD_ELEMENTS
    needle = name.encode() + b'>'
    nonce = os.urandom(12).hex().encode()
    pieces = []
    cut = {}
    position = done = 0
    while True:
        found = data.find(needle, position)
        if found == -1:
            break
        tag_end = found + len(needle)
        opening = data.rfind(b'<', max(found - 256, done), found)
        if opening == -1 or not _PAYLOAD_TAG_RE.fullmatch(
                data, opening + 1, tag_end - 1):
            # An end tag, or text
            position = tag_end
            continue
        end = data.find(b'<', tag_end)
        closing = b'</' + data[opening + 1:tag_end]
        if end == -1 or not data.startswith(closing, end):
            # Something else than text inside: left to the parser
            position = tag_end
            continue
        if len(cut) >= limits.max_attachments:
            raise _Fallback
        sink = Base64Sink(name, limits.max_attachment_size)
        # The payload keeps views of the package, not copies
        view = memoryview(data)
        for start in range(tag_end, end, _FEED_CHUNK):
            stop = min(start + _FEED_CHUNK, end)
            sink.feed(data[start:stop], view[start:stop])
        marker = b'#%s-%d' % (nonce, len(cut))
        cut[marker.decode()] = sink.finish()
        pieces += [data[done:tag_end], marker, closing]
        position = done = end + len(closing)
    if not cut:
        return data, cut
    pieces.append(data[done:])
    return b''.join(pieces), cut


def _read_tree(data, limits, cut=None):
    """The Node tree of a package read through a libxml2 tree, or _Fallback
    when the streaming parser must decide.

    `cut`: {marker: payload} of the contents cut out of `data`; each marker
    must be found once, as the whole text of a base64 element.
    """
    try:
        tree = etree.fromstring(data, _tree_parser())
    except etree.XMLSyntaxError:
        raise _Fallback
    docinfo = tree.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        # Excluded by the prolog check already
        raise _Fallback
    if len(data) <= limits.max_text_length and not _over_limits(tree, limits):
        root = _small_nodes(tree, limits, cut)
        if root is not None:
            return root
    return _general_nodes(tree, limits, cut)


# (namespace, local name) of the tags met, so that each is split once
_TAGS = {}
_TAGS_MAX = 4096


def _over_limits(tree, limits):
    """Whether the tree may break the limits on depth or attributes (then
    every element is checked from Python; _small_nodes counts the
    elements).

    Evaluated in C: a count of all the attributes (when there are no more
    in the document than one element may have, none has too many) and
    whether any element lies below the maximum depth."""
    # The thread's compiled tests, by Limits (an XPath object serializes
    # its calls: one per thread, as the parsers)
    tests = getattr(_local, 'limit_tests', None)
    if tests is None:
        tests = _local.limit_tests = {}
    test = tests.get(limits)
    if test is None:
        test = tests[limits] = etree.XPath(
            'count(descendant-or-self::*/@*)'
            f' > {limits.max_attributes}'
            ' or boolean(' + '/*' * (limits.max_depth + 1) + ')')
    return test(tree)


def _split_tag(tag):
    if tag.__class__ is not str:
        # An entity reference (there is no DTD to declare one)
        raise _Fallback
    if tag[0] == '{':
        namespace, _, name = tag[1:].partition('}')
    else:
        name, namespace = tag, ''
    if len(_TAGS) >= _TAGS_MAX:
        _TAGS.clear()
    split = _TAGS[tag] = namespace, name
    return split


class _ContainerText:
    """The text of a _TreeNode with children (its own text and its
    children's tails), read from its element when asked for. A leaf's text
    is stored in the instance's __dict__, which this non-data descriptor
    lets win: reading it is a plain attribute access."""

    def __get__(self, node, owner=None):
        if node is None:
            return self
        element = node.element
        return ((element.text or '')
            + ''.join([child.tail or '' for child in element])).strip()


class _TreeNode(Node):
    """A Node read by _small_nodes. Without __slots__ it has a __dict__, so
    that the class attributes below are the defaults of a leaf and making
    one costs three stores; its attributes are read from the libxml2
    element when asked for."""
    children = ()
    payload = None
    signatures = 0
    _index = None
    text = _ContainerText()

    def __init__(self, name, namespace, element):
        self.name = name
        self.namespace = namespace
        self.element = element

    @property
    def attrib(self):
        items = self.element.items()
        return dict(items) if items else {}


def _small_nodes(tree, limits, cut):
    """The Nodes of a tree whose limits are known to hold: its bytes are
    fewer than the text limit (so no text or attribute can exceed it) and
    _over_limits found nothing. None for anything unusual (a payload that
    is not a marker or has children, a marker missing or repeated, too
    many attachments): _general_nodes then decides.

    Each element costs a proxy, its tag, its text and its parent: what is
    not needed by every package (attributes, the text of an element with
    children) is read only when asked for."""
    payload_name, = PAYLOAD_ELEMENTS
    tags = _TAGS
    found = {}
    signatures = 0
    root = None
    # lxml element: its Node (the proxies stay alive in it, so that
    # getparent() finds them instead of making new ones)
    seen = {}
    for element in tree.iter():
        tag = element.tag
        namespace, name = tags.get(tag) or _split_tag(tag)
        node = seen[element] = _TreeNode(name, namespace, element)
        parent_element = element.getparent()
        if parent_element is None:
            root = node
        else:
            parent = seen[parent_element]
            index = parent._index
            if index is None:
                # Its first child: the parent's text is read when asked
                del parent.text
                parent.children = [node]
                parent._index = {name: [node]}
            else:
                parent.children.append(node)
                siblings = index.get(name)
                if siblings is None:
                    index[name] = [node]
                else:
                    siblings.append(node)
            if name == 'Signature' and namespace == DSIG_NS:
                signatures += 1
        if name == payload_name:
            marker = element.text
            if (not cut or marker not in cut or marker in found
                    or len(element)):
                return None
            found[marker] = node
            node.text = ''
        else:
            text = element.text
            node.text = text.strip() if text else ''
    if (root.name == payload_name or len(found) != len(cut or ())
            or len(found) > limits.max_attachments
            or len(seen) > limits.max_elements):
        return None
    for marker, node in found.items():
        node.payload = cut[marker]
    cut.clear()
    root.signatures = signatures
    return root


def _general_nodes(tree, limits, cut):
    "The Nodes of a libxml2 tree, every limit checked element by element"
    max_depth = limits.max_depth
    max_elements = limits.max_elements
    max_attributes = limits.max_attributes
    max_text = limits.max_text_length
    elements = attachments = signatures = 0
    root = None
    # lxml element: (its Node, its depth); the elements' proxies stay alive
    # in it, so that getparent() finds them instead of making new ones
    seen = {}
    # Nodes with more than one piece of text (text and tails of children)
    pieces = []
    for element in tree.iter():
        tag = element.tag
        if type(tag) is not str:
            # An entity reference (there is no DTD to declare one)
            raise _Fallback
        elements += 1
        if elements > max_elements:
            raise _Fallback
        if tag[0] == '{':
            namespace, _, name = tag[1:].partition('}')
        else:
            name, namespace = tag, ''
        items = element.items()
        if items:
            if len(items) > max_attributes:
                raise _Fallback
            for _, value in items:
                if len(value) > max_text:
                    raise _Fallback
            attrib = dict(items)
        else:
            attrib = {}
        node = Node(name, namespace, attrib)
        parent_element = element.getparent()
        if parent_element is None:
            root = node
            depth = 1
        else:
            parent, depth = seen[parent_element]
            depth += 1
            if depth > max_depth or parent.name in PAYLOAD_ELEMENTS:
                raise _Fallback
            parent.children.append(node)
            if name == 'Signature' and namespace == DSIG_NS:
                signatures += 1
            tail = element.tail
            if tail:
                parent_parts = parent.parts
                parent_parts.append(tail)
                if len(parent_parts) == 2:
                    pieces.append(parent)
                elif len(parent_parts) == 1 and len(tail) > max_text:
                    raise _Fallback
        seen[element] = node, depth
        text = element.text
        if name in PAYLOAD_ELEMENTS:
            attachments += 1
            if attachments > limits.max_attachments:
                raise _Fallback
            if cut and text in cut:
                node.payload = cut.pop(text)
                continue
            sink = Base64Sink(name, limits.max_attachment_size)
            if text:
                sink.feed(text)
            node.payload = sink.finish()
        elif text:
            if len(text) > max_text:
                raise _Fallback
            node.parts.append(text)
    for node in pieces:
        if sum(map(len, node.parts)) > max_text:
            raise _Fallback
    if cut:
        # A cut that was not an element's text (in a comment, CDATA...)
        raise _Fallback
    root.signatures = signatures
    return root


def takes_tree_road(data):
    "Whether `data` may be read through a libxml2 tree (its prolog)"
    return bool(_TREE_PROLOG_RE.match(data))


def read_xml(data, limits):
    """Parse `data` (bytes) into a Node tree.

    On failure the partial tree read so far is on the exception as
    ``partial_root`` (the caller uses it to name the sender).
    """
    if takes_tree_road(data):
        try:
            skeleton, cut = _cut_payloads(data, limits)
            if len(skeleton) <= TREE_MAX_SIZE:
                return _read_tree(skeleton, limits, cut)
        except (_Fallback, EdxmlError):
            pass
    return read_stream(data, limits)


def read_stream(data, limits):
    "read_xml by the streaming parser alone"
    parser, target = _parser()
    target.reset(limits)
    done = False
    try:
        try:
            if len(data) <= _FEED_CHUNK:
                parser.feed(data)
            else:
                view = memoryview(data)
                for offset in range(0, len(view), _FEED_CHUNK):
                    parser.feed(view[offset:offset + _FEED_CHUNK].tobytes())
            root = parser.close()
            done = True
        except etree.XMLSyntaxError as exception:
            message = str(exception)
            if 'Entity' in message and 'not defined' in message:
                raise EdxmlSecurityError('entity_forbidden', detail=message)
            raise EdxmlFormatError('malformed_xml', detail=message)
    except EdxmlError as exception:
        exception.partial_root = target.root
        raise
    finally:
        if not done:
            # Not reused after an error: its state is not known
            _local.parser = None
        target.reset(None)
    if root is None:
        raise EdxmlFormatError('malformed_xml', detail='tài liệu rỗng')
    return root
