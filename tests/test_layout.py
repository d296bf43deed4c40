# This file is part of VBĐH. The COPYRIGHT file at the top level of this repository contains the full copyright notices and license terms.
"""Checks on the layout of the modules that trytond relies on."""
import pathlib

ADDONS = pathlib.Path(__file__).resolve().parent.parent / 'addons'


def test_no_submodule_named_register():
    # trytond 8 calls `module.register()` when the package has an attribute
    # `register`; a submodule of that name becomes such an attribute once
    # anything imports it, and then every Pool.start() fails with "'module'
    # object is not callable", depending on the order the tests ran in.
    clashes = sorted(
        str(path.relative_to(ADDONS))
        for module in ADDONS.iterdir() if module.is_dir()
        for path in (module / 'register.py', module / 'register')
        if path.exists())
    assert clashes == []
