# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The clerk's flow in the real web client (sao) in headless Chromium.

Against a fresh demo database served like `make run` does: log in as the
clerk of Sở Nội vụ, register an incoming document with a PDF, find it in
the list. Screenshots go to var/screenshots/.
"""
from browser import UI, browser, needs_chromium  # noqa: F401
from helpers import PDF

pytestmark = needs_chromium

NOTATION = '2468/BNV-CCVC'
SUBJECT = "V/v hướng dẫn đánh giá, xếp loại chất lượng cán bộ năm 2026"


def test_clerk_registers_incoming_document(demo_server, browser, tmp_path):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select
    ui = UI(browser)
    browser.get(demo_server.url)

    # Login: the installation speaks Vietnamese before login already
    login = ui.visible('#login')
    assert ui.visible('button[type=submit]').text.upper() == 'ĐĂNG NHẬP'
    database = f'#database option[value="{demo_server.database}"]'
    ui.wait.until(lambda driver: driver.find_elements(
            ui.By.CSS_SELECTOR, database))
    Select(browser.find_element(ui.By.ID, 'database')).select_by_value(
        demo_server.database)
    login.send_keys('vanthu.snv')
    ui.shot('01-login')
    ui.visible('button[type=submit]').click()
    ui.visible('input[type=password]').send_keys('vbdh2026' + Keys.ENTER)

    # Menu Văn bản > Văn bản đến
    ui.double_click(ui.text('Văn bản'))
    ui.double_click(ui.text('Văn bản đến'))
    ui.text('Chờ tiếp nhận', 'a')
    ui.shot('02-incoming-list')

    # A new incoming document
    ui.click('#new_')
    type_ = ui.visible('input[name=type]')
    type_.send_keys('Công văn' + Keys.TAB)
    ui.pick('Công văn')
    ui.visible('input[name=number_notation]').send_keys(NOTATION)
    ui.visible('textarea[name=subject]').send_keys(SUBJECT)
    ui.visible('input[name=issuer_name]').send_keys('Bộ Nội vụ')
    issued = ui.visible('input[name=issued_date]')
    issued.send_keys('02/11/2026' + Keys.TAB)

    # Its main file
    pdf = tmp_path / 'cv-2468-bnv.pdf'
    pdf.write_bytes(PDF)
    ui.text('Tệp văn bản', 'a').click()
    files = ui.visible('.form-one2many')
    for button in files.find_elements(ui.By.CSS_SELECTOR, 'button'):
        if button.get_attribute('title') == 'Tạo mới' and \
                button.is_displayed():
            button.click()
            break
    ui.idle()
    Select(ui.visible('select[name=document_role]')).select_by_visible_text(
        'Tệp chính')
    file_input = browser.find_element(
        ui.By.CSS_SELECTOR, '.form-one2many input[type=file]')
    file_input.send_keys(str(pdf))
    ui.idle(1)
    ui.shot('03-new-document')

    ui.click('#save')
    # Saved (with its file's signature check and text, which run after the
    # commit): a button clicked before would act on the record being saved
    ui.wait.until(lambda driver: driver.execute_script(
            'var record = Sao.Tab.tabs.get_current().screen.current_record;'
            'return Boolean(record && record.id >= 0 && !record.modified);'))
    ui.idle(1)
    ui.visible('button[name=register_document]').click()
    try:
        ui.wait.until(lambda driver: not any(
                b.is_displayed() for b in driver.find_elements(
                    ui.By.CSS_SELECTOR, 'button[name=register_document]')))
    except TimeoutException as e:
        raise ui.failure('04-99-failure') from e
    ui.shot('04-registered')

    # Find it in the list, in the "Đã vào sổ" tab
    ui.click('#switch_')
    ui.text('Đã vào sổ', 'a').click()
    ui.visible('.filter-box input').send_keys('2468' + Keys.ENTER)
    ui.idle(1)  # the list reloads with the filter
    assert ui.text(NOTATION, 'td//*')
    ui.shot('05-found-in-list')

    # What the server holds: registered with its number and its PDF
    clerk = demo_server.client('vanthu.snv')
    document, = clerk.model('vb.document', 'search_read',
        [('number_notation', '=', NOTATION)], 0, None, None,
        ['state', 'register_number', 'subject', 'issuer_name', 'files'])
    assert document['state'] == 'registered'
    assert document['register_number'] > 0
    assert document['subject'] == SUBJECT
    attachment, = clerk.model('ir.attachment', 'read', document['files'],
        ['name', 'document_role', 'data_size'])
    assert (attachment['name'], attachment['document_role'],
        attachment['data_size']) == ('cv-2468-bnv.pdf', 'main', len(PDF))
