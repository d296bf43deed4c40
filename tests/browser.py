# This file is part of VBĐH. The COPYRIGHT file at the top level of this
# repository contains the full copyright notices and license terms.
"""Shared tools of the browser tests: headless Chromium driven by selenium
against the real web client (sao), and a few gestures of a sao user.

Screenshots go to var/screenshots/.
"""
import shutil
import time
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent.parent / 'var' / 'screenshots'
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
CHROMEDRIVER = shutil.which('chromedriver')
PASSWORD = 'vbdh2026'

needs_chromium = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
    reason="!!! Chromium/chromedriver not installed: BROWSER TEST SKIPPED "
    "(make test installs them when run as root)")


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

    def modals(self):
        "The dialogs open, the one on top last"
        return [m for m in self.driver.find_elements(
                self.By.CSS_SELECTOR, '.modal.in') if m.is_displayed()]

    def modal(self):
        "The dialog on top, if any"
        dialogs = self.modals()
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

    def pick(self, text, under=0):
        """Choose the record shown as text in the search dialog, if one
        opened above the under dialogs that were already open"""
        self.idle()
        if len(self.modals()) > under:
            self.double_click(self.text(text, 'td//*'))
            self.wait.until(lambda driver: len(self.modals()) <= under)

    def check(self, text, under=0):
        """Choose the record shown as text in the search dialog open above
        the under dialogs: tick its row and press OK (a double click on a
        link in the row would open the linked record instead)"""
        self.idle()
        row = self.text(text, 'td//*').find_element(
            self.By.XPATH, './ancestor::tr[1]')
        box = row.find_element(self.By.CSS_SELECTOR, 'input[type=checkbox]')
        self.driver.execute_script('arguments[0].click()', box)
        self.visible('.modal-footer button.btn-primary').click()
        self.wait.until(lambda driver: len(self.modals()) <= under)

    def double_click(self, element):
        from selenium.webdriver.common.action_chains import ActionChains
        ActionChains(self.driver).double_click(element).perform()

    def idle(self, seconds=0.5):
        "Let sao finish its requests (it shows no global busy flag)"
        time.sleep(seconds)

    def failure(self, name):
        """An AssertionError saying what the page showed when a gesture
        timed out (the dialog on top and the JavaScript errors), after a
        screenshot name"""
        self.shot(name)
        dialog = self.modal()
        return AssertionError('the web client showed: %s; JavaScript '
            'errors: %s' % (dialog.text if dialog else 'no dialog',
                self.errors() or 'none'))

    def watch_errors(self):
        "Record the uncaught JavaScript errors of the page from now on"
        self.driver.execute_script(
            'window.vbdhErrors = window.vbdhErrors || [];'
            'window.addEventListener("error", e => window.vbdhErrors.push('
            'e.message + " (" + e.filename + ":" + e.lineno + ")"));')

    def errors(self):
        "The JavaScript errors recorded since watch_errors"
        return self.driver.execute_script('return window.vbdhErrors || []')

    def login(self, url, database, login, password=PASSWORD):
        "Log in to database as login from the login page at url"
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import Select
        self.driver.get(url)
        entry = self.visible('#login')
        option = f'#database option[value="{database}"]'
        self.wait.until(lambda driver: driver.find_elements(
                self.By.CSS_SELECTOR, option))
        Select(self.driver.find_element(self.By.ID, 'database')
            ).select_by_value(database)
        entry.send_keys(login)
        self.visible('button[type=submit]').click()
        self.visible('input[type=password]').send_keys(password + Keys.ENTER)
