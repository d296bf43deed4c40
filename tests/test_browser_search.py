# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The search box of documents in the real web client (sao).

Against a fresh demo database: the clerk of Sở Nội vụ enters an incoming
document whose scanned file says something its subject does not; the
file is read by OCR after the request (the demo server runs the queue
inline). The clerk then types words without diacritics in "Tìm kiếm văn
bản" in Chromium and finds it, ranked first. Screenshots go to
var/screenshots/.
"""
from browser import UI, browser, needs_chromium  # noqa: F401
from helpers import agency_id, create_incoming
from live import binary

from trytond.modules.vb_document.demo.pdf import render, scanned

pytestmark = needs_chromium

NOTATION = '2468/SNV-TTr'
SUBJECT = "V/v báo cáo kết quả thanh tra công vụ quý IV"
# Only in the scanned file
SCANNED = "Đề nghị xử lý nghiêm vi phạm kỷ luật lao động tại đơn vị"
QUERY = 'ky luat lao dong'


def test_clerk_searches_without_diacritics(demo_server, browser):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.keys import Keys

    clerk = demo_server.client('vanthu.snv')
    snv = agency_id(clerk, 'SNV')
    document = create_incoming(clerk, snv, number_notation=NOTATION,
        subject=SUBJECT, issuer_name="Thanh tra tỉnh")
    page = render("Thanh tra tỉnh", "Báo cáo", SUBJECT, [SCANNED])
    clerk.model('ir.attachment', 'create', [{
                'name': 'bao-cao-thanh-tra.pdf', 'data': binary(scanned(page)),
                'resource': f'vb.document,{document}',
                'document_role': 'main'}])
    read, = clerk.model('vb.document', 'read', [document],
        ['text_status', 'rec_name'])
    assert read['text_status'] == 'indexed', read
    menu, = clerk.model('ir.ui.menu', 'search_read',
        [('name', '=', 'Tìm kiếm văn bản')], 0, None, None, ['name'])

    ui = UI(browser)
    try:
        ui.login(demo_server.url, demo_server.database, 'vanthu.snv')
        ui.watch_errors()
        ui.double_click(ui.text('Văn bản'))
        # One click runs the wizard (a double click would run it twice)
        ui.text(menu['name']).click()
        query = ui.visible('input[name=query]')
        query.send_keys(QUERY)
        ui.shot('search-01-box')
        query.send_keys(Keys.ENTER)
        ui.wait.until(lambda driver: not ui.modals())
        # The results list, the document found by the words of its scan
        first = ui.text(NOTATION, 'td//*')
        ui.text(SUBJECT, 'td//*')
        ui.idle(1)
        ui.shot('search-02-results')
        # Ranked first in the table of the results
        table = first.find_element(ui.By.XPATH, './ancestor::tbody[1]')
        rows = [r for r in table.find_elements(ui.By.XPATH, './tr')
            if r.is_displayed()]
        assert rows and NOTATION in rows[0].text, [r.text for r in rows]
        assert first.is_displayed()
    except TimeoutException as e:
        raise ui.failure('search-99-failure') from e
    assert not ui.errors()
