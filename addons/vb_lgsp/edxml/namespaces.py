# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"Namespaces of edXML (spec §1.2, §1.3)"

QCVN_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016'
# Accepted on input, never written
EDOC_NS = 'http://www.e-doc.vn/Schema/'
GOVN_NS = 'http://www.go.vn/eDoc'
EDXML_NAMESPACES = frozenset({QCVN_NS, EDOC_NS, GOVN_NS, ''})

SOAP_NS = 'http://schemas.xmlsoap.org/soap/envelope/'
SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope'
XLINK_NS = 'http://www.w3.org/1999/xlink'
DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#'
