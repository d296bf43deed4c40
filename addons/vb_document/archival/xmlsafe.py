# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Parsing XML that comes from outside: no DTD, no entity, no network"
from lxml import etree

from .errors import PackageFormatError

_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, load_dtd=False,
    dtd_validation=False, huge_tree=False, remove_comments=True,
    remove_pis=True)


class XmlRefused(PackageFormatError):
    pass


def parse_xml(data, name):
    """The root element of data; XmlRefused (a PackageFormatError) when it
    is not well-formed or declares a DOCTYPE (entity expansion, external
    entities)."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exception:
        raise XmlRefused('bad_xml', name=name, detail=str(exception))
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise XmlRefused('xml_forbidden', name=name)
    return root
