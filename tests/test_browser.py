# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""The clerk's flow in the real web client (sao) in headless Chromium.

Against a fresh demo database served like `make run` does: log in as the
clerk of Sở Nội vụ, register an incoming document with a PDF, find it in
the list. Screenshots go to var/screenshots/.
"""
import shutil
import time
from pathlib import Path

import pytest

from helpers import PDF

SCREENSHOTS = Path(__file__).resolve().parent.parent / 'var' / 'screenshots'
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
CHROMEDRIVER = shutil.which('chromedriver')

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
    reason="!!! Chromium/chromedriver not installed: BROWSER TEST SKIPPED "
    "(make test installs them when run as root)")

NOTATION = '2468/BNV-CCVC'
SUBJECT = "V/v hướng dẫn đánh giá, xếp loại chất lượng cán bộ năm 2026"


@pytest.fixture(scope='module')
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ['--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--window-size=1400,1000']:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


class UI:
    "A few gestures of a sao user"

    def __init__(self, driver):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.support.ui import WebDriverWait
        self.driver, self.By, self.EC = driver, By, EC
        from selenium.common.exceptions import StaleElementReferenceException
        # sao re-renders often: an element found may be replaced at once
        self.wait = WebDriverWait(driver, 30,
            ignored_exceptions=[StaleElementReferenceException])

    def shot(self, name):
        self.driver.save_screenshot(str(SCREENSHOTS / f'{name}.png'))

    def visible(self, css):
        "The first visible and enabled element matching css, waiting for it"
        def find(driver):
            # While a dialog is open, only its own elements can be used
            scope = self.modal() or driver
            for element in scope.find_elements(self.By.CSS_SELECTOR, css):
                if element.is_displayed() and element.is_enabled():
                    driver.execute_script(
                        'arguments[0].scrollIntoView({block: "center"})',
                        element)
                    return element
            return False
        return self.wait.until(find)

    def modal(self):
        "The dialog on top, if any"
        dialogs = [m for m in self.driver.find_elements(
                self.By.CSS_SELECTOR, '.modal.in') if m.is_displayed()]
        return dialogs[-1] if dialogs else None

    def text(self, text, css='*'):
        "The first visible element whose own text is text"
        xpath = f".//{css}[normalize-space(text())='{text}']"
        def find(driver):
            scope = self.modal() or driver
            for element in scope.find_elements(self.By.XPATH, xpath):
                if element.is_displayed():
                    return element
            return False
        return self.wait.until(find)

    def click(self, css):
        "Click a toolbar button (several tabs may hold one of that id)"
        element = self.visible(css)
        self.driver.execute_script('arguments[0].click()', element)

    def pick(self, text):
        "Choose the record shown as text in the search dialog, if one opened"
        self.idle()
        if self.modal():
            self.double_click(self.text(text, 'td//*'))
            self.wait.until(lambda driver: not self.modal())

    def double_click(self, element):
        from selenium.webdriver.common.action_chains import ActionChains
        ActionChains(self.driver).double_click(element).perform()

    def idle(self, seconds=0.5):
        "Let sao finish its requests (it shows no global busy flag)"
        time.sleep(seconds)


def test_clerk_registers_incoming_document(demo_server, browser, tmp_path):
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
    ui.idle(1)
    ui.visible('button[name=register_document]').click()
    ui.wait.until(lambda driver: not any(
            b.is_displayed() for b in driver.find_elements(
                ui.By.CSS_SELECTOR, 'button[name=register_document]')))
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
