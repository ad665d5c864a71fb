# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""This collection's module_utils, imported in the controller by Python's own source loader, which keeps their bytecode.

FOR INTERNAL COLLECTION USE ONLY.

Ansible's collection loader compiles a collection's Python from source in every process that imports it: for our
module_utils that is a fifth of what a local task adds to a run (240 M instructions of a library's no-op, 0.05 s on
a slow machine). Imported as Python's documentation imports a source file directly, they are loaded as Ansible's
plugin loader loads the action plugin a task names: SourceFileLoader reads their bytecode from ``__pycache__``
while the source is unchanged, and writes it where it can, unless PYTHONDONTWRITEBYTECODE says not to. A module
process (AnsiballZ) is not concerned.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import importlib
import importlib.util
import os
import sys


def import_modules(package, names):
    """Imports the modules ``names`` of ``package`` from the directories Ansible's collection loader gives the
    package, with Python's source loader; a module already imported is left as it is.

    Each name comes after the siblings it imports: one imported before would be the collection loader's (right, but
    compiled again). A name with no file is left to the collection loader, whose import then says what is missing.
    """
    parent = importlib.import_module(package)
    for name in names:
        fullname = '%s.%s' % (package, name)
        if fullname in sys.modules:
            continue
        sources = [os.path.join(directory, name + '.py') for directory in parent.__path__]
        source = next((path for path in sources if os.path.isfile(path)), None)
        if source is None:
            continue
        spec = importlib.util.spec_from_file_location(fullname, source)
        module = importlib.util.module_from_spec(spec)
        sys.modules[fullname] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[fullname]
            raise
        setattr(parent, name, module)
