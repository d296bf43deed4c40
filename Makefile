# VBĐH — two commands: `make run` (set up and start the demo) and `make test`.
# Everything the commands need is installed here, on a fresh machine too.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Empty: embedded SQLite under var/. Or a PostgreSQL URI, e.g.
#   make run DB=postgresql://postgres@127.0.0.1:5432/
DB ?=
DB_NAME ?= vbdh
SAO_VERSION := 8.0
WWW := var/www
SAO := $(WWW)/node_modules/tryton-sao

.PHONY: run test bench install web system browser clean help

help:
	@echo "make run    # cài đặt và chạy hệ thống mẫu tại http://127.0.0.1:8000/"
	@echo "make test   # chạy toàn bộ kiểm thử (PostgreSQL)"
	@echo "make bench  # đo hiệu năng (tests/bench)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[postgresql,test]'
	touch $@

install: $(VENV)/.installed

# The web client from npm; index.html loads ./node_modules beside it.
$(SAO)/index.html:
	mkdir -p $(WWW)
	cd $(WWW) && npm install --no-audit --no-fund --loglevel=error tryton-sao@$(SAO_VERSION)
	ln -sfn .. $(SAO)/node_modules

$(SAO)/locale/vi.json: web/locale/vi.po $(SAO)/index.html $(VENV)/.installed
	$(BIN)/python web/po2json.py web/locale/vi.po $@

$(SAO)/custom.js: web/custom.js $(SAO)/index.html
	cp web/custom.js $@

web: $(SAO)/index.html $(SAO)/locale/vi.json $(SAO)/custom.js

# A configuration for the database asked: the file wins over environment
# variables in trytond, so the URI is written into a copy of it, with the
# paths made absolute (SQLite opens a file: URI).
var/trytond-run.conf: config/trytond.conf FORCE
	@mkdir -p var
	@sed -e 's|^path = var/|path = $(CURDIR)/var/|' -e 's|^root = var/|root = $(CURDIR)/var/|' \
		$(if $(DB),-e 's|^uri = .*|uri = $(DB)|' -e 's|^path = .*|path = $(CURDIR)/var/filestore|') \
		config/trytond.conf > $@

FORCE:

run: install web var/trytond-run.conf
	$(BIN)/vbdh-setup -c var/trytond-run.conf -d $(DB_NAME) --demo
	@$(BIN)/python -m trytond.modules.vb_document.demo.banner -d $(DB_NAME)
	TRYTOND_DATABASE_NAMES=$(DB_NAME) exec $(BIN)/trytond -c var/trytond-run.conf

# Debian's packages the tests use (only installable as root): Chromium for
# the browser tests, SoftHSM2 as the PKCS#11 token of the signature tests,
# poppler's pdftoppm to look at rendered signatures and reports, DejaVu and
# Liberation 2 fonts with Vietnamese glyphs, tesseract with its Vietnamese
# model to read scanned files, Dovecot as the IMAP server of the official
# e-mail channel's tests (started by the tests on a free port, never as a
# service)
SYSTEM_PACKAGES := chromium chromium-driver fonts-dejavu-core fonts-liberation2 \
	softhsm2 poppler-utils tesseract-ocr tesseract-ocr-vie dovecot-imapd
SYSTEM_COMMANDS := chromium chromedriver softhsm2-util pdftoppm tesseract dovecot
system:
	@missing=""; for c in $(SYSTEM_COMMANDS); do command -v $$c >/dev/null || missing="$$missing $$c"; done; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null) \
			|| echo "!!! Không cài được:$$missing — các kiểm thử cần chúng sẽ LỖI"; \
		else echo "!!! Thiếu$$missing và không chạy bằng root: các kiểm thử cần chúng sẽ LỖI"; fi; \
	fi

browser: system

test: install web system
	$(BIN)/python tests/run.py

# make bench ONLY=search (document, workflow, search, reports, signature, edxml)
bench: install web system
	$(BIN)/python tests/run.py --bench -- $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf var
