# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module_utils of a task run in the controller are imported by Python's source loader from the directory the
collection loader gives: their bytecode is kept, read back while the source is unchanged, and compiled again when
it changes; a module that fails to import is not left behind."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib.machinery
import importlib.util
import os
import sys
import types

import pytest

from ansible_collections.aep.offers.plugins.plugin_utils._bytecode import import_modules

PACKAGE = 'aep_bytecode_test_pkg'


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package standing for our module_utils (its directory as the collection loader gives it)."""
    directory = tmp_path / 'module_utils'
    directory.mkdir()
    (directory / '_answer.py').write_text('VALUE = 1\n')
    (directory / '_double.py').write_text('from %s._answer import VALUE\nDOUBLE = VALUE * 2\n' % PACKAGE)
    parent = types.ModuleType(PACKAGE)
    parent.__path__ = [str(tmp_path / 'elsewhere'), str(directory)]
    monkeypatch.setitem(sys.modules, PACKAGE, parent)
    monkeypatch.setattr(sys, 'dont_write_bytecode', False)
    monkeypatch.setattr(sys, 'pycache_prefix', None)
    yield directory
    for name in [name for name in sys.modules if name.startswith(PACKAGE + '.')]:
        del sys.modules[name]


def fresh_import(*names):
    for name in names:
        sys.modules.pop('%s.%s' % (PACKAGE, name), None)
    import_modules(PACKAGE, names)
    return [sys.modules['%s.%s' % (PACKAGE, name)] for name in names]


def test_modules_are_imported_by_pythons_source_loader_which_keeps_their_bytecode(package):
    answer, double = fresh_import('_answer', '_double')
    assert (answer.VALUE, double.DOUBLE) == (1, 2)
    assert sys.modules[PACKAGE]._double is double  # as an import binds it in its package
    for module, name in ((answer, '_answer'), (double, '_double')):
        assert module.__file__ == str(package / (name + '.py'))
        assert isinstance(module.__spec__.loader, importlib.machinery.SourceFileLoader)
        assert os.path.isfile(importlib.util.cache_from_source(module.__file__))


def test_the_kept_bytecode_is_what_the_next_import_runs(package):
    source = package / '_answer.py'
    fresh_import('_answer')
    stat = os.stat(str(source))
    source.write_text('VALUE = 2\n')  # the same size and, below, the same time: only the bytecode says 1
    os.utime(str(source), ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert fresh_import('_answer')[0].VALUE == 1


def test_a_changed_source_is_compiled_again(package):
    fresh_import('_answer')
    (package / '_answer.py').write_text('VALUE = 333\n')  # another size, whatever the clock's resolution
    assert fresh_import('_answer')[0].VALUE == 333


def test_nothing_is_written_when_python_is_told_not_to(package, monkeypatch):
    monkeypatch.setattr(sys, 'dont_write_bytecode', True)
    assert fresh_import('_answer')[0].VALUE == 1
    assert not os.path.exists(str(package / '__pycache__'))


def test_a_module_imported_already_is_left_as_it_is(package):
    already = types.ModuleType(PACKAGE + '._answer')
    sys.modules[PACKAGE + '._answer'] = already
    import_modules(PACKAGE, ('_answer',))
    assert sys.modules[PACKAGE + '._answer'] is already


def test_a_module_that_fails_is_not_left_half_imported(package):
    (package / '_broken.py').write_text('HALF = 1\nraise ValueError("no")\n')
    with pytest.raises(ValueError):
        import_modules(PACKAGE, ('_broken',))
    assert PACKAGE + '._broken' not in sys.modules


def test_a_name_without_a_file_is_left_to_the_import_system(package):
    import_modules(PACKAGE, ('_missing',))
    assert PACKAGE + '._missing' not in sys.modules
