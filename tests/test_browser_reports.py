# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The clerk prints the register of incoming documents in the real web
client (sao).

Against a fresh demo database: the clerk of Sở Nội vụ opens Văn bản ›
Báo cáo › "Sổ đăng ký văn bản" in headless Chromium, keeps the incoming
register of the agency, sets the period to the arrival dates of the
agency's registered demo documents and presses PDF. sao runs the report
(report.….execute over RPC) and hands its bytes to the browser as a
download (a blob link it clicks itself): Chromium saves it in a download
directory of the test, and pypdf reads the file back. Screenshots go to
var/screenshots/.
"""
import datetime as dt
import io

from browser import UI, browser, needs_chromium  # noqa: F401
from helpers import agency_id

pytestmark = needs_chromium

WAIT_TIMEOUT = 120
DOWNLOAD_TIMEOUT = 120


def _date(value):
    "A date of the JSON-RPC API"
    return dt.date(value['year'], value['month'], value['day'])


def _menu_names(client):
    """The names sao shows client for the menus Văn bản › Báo cáo › Sổ
    đăng ký văn bản (the menu of the register wizard and its parents), in
    the user's language"""
    wizard, = client.model('ir.action.wizard', 'search',
        [('wiz_name', '=', 'vb.reports.register')], 0, None, None)
    menus = {m['id']: m for m in client.model('ir.ui.menu', 'search_read',
            [], 0, None, None, ['name', 'action', 'parent'])}
    menu, = [m for m in menus.values()
        if m['action'] == f'ir.action.wizard,{wizard}']
    names = [menu['name']]
    while menu['parent']:
        menu = menus[menu['parent']]
        names.insert(0, menu['name'])
    return names


def _downloaded(directory):
    "The complete PDF files Chromium saved in directory"
    return [p for p in directory.iterdir() if p.suffix == '.pdf']


def _set_date(ui, name, value):
    "Type value (dd/mm/yyyy) over the date already in the field name"
    from selenium.webdriver.common.keys import Keys
    entry = ui.visible(f'input[name={name}]')
    entry.send_keys(Keys.CONTROL, 'a')
    entry.send_keys(Keys.DELETE)
    entry.send_keys(value + Keys.TAB)
    ui.wait.until(lambda driver: ui.visible(
            f'input[name={name}]').get_attribute('value') == value)


def test_clerk_prints_incoming_register(demo_server, browser, tmp_path):
    from pypdf import PdfReader
    from selenium.common.exceptions import (
        StaleElementReferenceException, TimeoutException)
    from selenium.webdriver.support.ui import WebDriverWait

    # What the demo province holds: the registered incoming documents of
    # Sở Nội vụ, as the clerk sees them
    clerk = demo_server.client('vanthu.snv')
    snv = agency_id(clerk, 'SNV')
    agency, = clerk.model('company.company', 'read', [snv], ['rec_name'])
    documents = clerk.model('vb.document', 'search_read',
        [('company', '=', snv), ('direction', '=', 'incoming'),
            ('register_number', '!=', None)],
        0, None, [('register_year', 'ASC'), ('register_number', 'ASC')],
        ['number_notation', 'arrival_date', 'register_number'])
    assert documents, "the demo has registered incoming documents"
    dates = [_date(d['arrival_date']) for d in documents]
    start, end = min(dates), max(dates)
    menus = _menu_names(clerk)
    assert len(menus) == 3, menus

    downloads = tmp_path / 'downloads'
    downloads.mkdir()
    browser.execute_cdp_cmd('Browser.setDownloadBehavior', {
            'behavior': 'allow', 'downloadPath': str(downloads)})

    ui = UI(browser)
    # Waits for elements, never sleeps: patient on a loaded machine (the
    # login page waits for the database list of a server just started)
    ui.wait = WebDriverWait(browser, WAIT_TIMEOUT,
        ignored_exceptions=[StaleElementReferenceException])
    try:
        ui.login(demo_server.url, demo_server.database, 'vanthu.snv')
        ui.watch_errors()
        ui.double_click(ui.text(menus[0]))
        ui.double_click(ui.text(menus[1]))
        # One click runs the wizard (a double click would run it twice)
        ui.text(menus[2]).click()

        # The wizard: the clerk's agency, the incoming register by default
        ui.wait.until(lambda driver: ui.visible(
                'input[name=company]').get_attribute('value')
            == agency['rec_name'])
        ui.wait.until(lambda driver: ui.visible(
                'input[name=register]').get_attribute('value'))
        _set_date(ui, 'start_date', start.strftime('%d/%m/%Y'))
        _set_date(ui, 'end_date', end.strftime('%d/%m/%Y'))
        ui.shot('reports-01-register-wizard')

        # PDF: sao runs the report and lets the browser download it
        buttons = [b for b in ui.modal().find_elements(ui.By.CSS_SELECTOR,
                '.modal-footer button') if b.text.strip() == 'PDF']
        assert buttons, ui.modal().text
        buttons[0].click()
        # Chromium writes name.crdownload, renamed when complete
        files = WebDriverWait(browser, DOWNLOAD_TIMEOUT).until(
            lambda driver: _downloaded(downloads))
        ui.shot('reports-02-downloaded')
    except TimeoutException as e:
        raise ui.failure('reports-99-failure') from e
    assert not ui.errors()

    # The file: the cover page, then the register with its rows
    pdf, = files
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    pages = [' '.join((p.extract_text() or '').split())
        for p in reader.pages]
    assert len(pages) >= 2, pages
    cover, text = pages[0], ' '.join(pages[1:])
    assert 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN' in cover, cover
    assert agency['rec_name'].upper() in cover, cover
    year = (str(start.year) if start.year == end.year
        else f'{start.year} - {end.year}')
    assert f'Năm: {year}' in cover, cover
    assert (f'Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}'
        in cover), cover
    first, last = documents[0], documents[-1]
    assert (f"Từ số {first['register_number']} đến số "
        f"{last['register_number']}" in cover), cover
    assert 'Quyển số: 01' in cover, cover
    for expected in ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
            'Độc lập - Tự do - Hạnh phúc', 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN',
            agency['rec_name'].upper(), start.strftime('%d/%m/%Y'),
            f'Tổng số: {len(documents)} văn bản']:
        assert expected in text, (expected, text[:2000])
    # Every document of the period is a row (long notations may wrap)
    compact = ''.join(text.split())
    for document in documents:
        assert ''.join(document['number_notation'].split()) in compact, (
            document['number_notation'], text[:2000])
