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
"""
import threading

from lxml import etree

from .attachments import Base64Sink
from .errors import EdxmlError, EdxmlFormatError, EdxmlSecurityError
from .namespaces import DSIG_NS

# Elements whose text is a file in base64
PAYLOAD_ELEMENTS = frozenset({'ContentTransferEncoded'})
_FEED_CHUNK = 64 * 1024


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
        return ''.join(self.parts).strip()

    def all(self, name):
        "Children with this local name, in document order"
        if self._index is None:
            index = {}
            for child in self.children:
                index.setdefault(child.name, []).append(child)
            self._index = index
        return self._index.get(name, ())

    def first(self, name):
        children = self.all(name)
        return children[0] if children else None

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


def read_xml(data, limits):
    """Parse `data` (bytes) into a Node tree.

    On failure the partial tree read so far is on the exception as
    ``partial_root`` (the caller uses it to name the sender).
    """
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
