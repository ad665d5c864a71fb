# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""A declared library: read from a file or a directory of files (what ``sandbox_export`` writes), and each item
checked against its kind's options before anything is read from the API.

FOR INTERNAL COLLECTION USE ONLY. Knows nothing about Ansible but its argument-spec validator.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import json
import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.aep.offers.plugins.module_utils._catalogue import BY_SECTION, SECTIONS
from ansible_collections.aep.offers.plugins.module_utils._errors import InputError

DECLARATION_FILES = ('.yml', '.yaml', '.json')


_YAML = []  # (yaml, the declaration loader), made for the first YAML file: a JSON src never imports PyYAML


def _yaml():
    if not _YAML:
        import yaml

        class _DeclarationLoader(getattr(yaml, 'CSafeLoader', yaml.SafeLoader)):
            """Safe YAML in which strings stay as written: dates are not converted, Ansible's !unsafe is a no-op."""

        def _as_written(loader, node):
            if isinstance(node, yaml.ScalarNode):
                return loader.construct_scalar(node)
            if isinstance(node, yaml.SequenceNode):
                return loader.construct_sequence(node, deep=True)
            return loader.construct_mapping(node, deep=True)

        _DeclarationLoader.add_constructor('!unsafe', _as_written)
        _DeclarationLoader.add_constructor('tag:yaml.org,2002:timestamp', _as_written)
        _YAML.extend((yaml, _DeclarationLoader))
    return _YAML


def yaml_import_error(path):
    """None when the declaration ``path`` can be read (it is JSON, or PyYAML imports), else PyYAML's ImportError
    (the module reports it through missing_required_lib)."""
    if all(_is_json(name) for name in _files(path)):
        return None
    try:
        _yaml()
    except ImportError as exc:
        return exc
    return None


def _is_json(path):
    return path.endswith('.json')


def _files(path):
    """The files a declaration ``path`` names: itself, or the declaration files of a directory (sorted, not recursive)."""
    if not os.path.isdir(path):
        return [path]
    return [os.path.join(path, name) for name in sorted(os.listdir(path))
            if name.endswith(DECLARATION_FILES) and not name.startswith('.') and os.path.isfile(os.path.join(path, name))]


def read_declaration(path):
    """Reads a declaration file (YAML, or JSON when it ends in .json), or a directory of them (as ``sandbox_export``
    writes, one list per file), into ``{list option: [items]}``. A list given by two files is an error.

    Ansible never templates it, which is why large libraries load faster this way and why Adobe's
    ``{{profile...}}`` syntax needs no ``!unsafe`` in it.
    """
    files = _files(path)
    if not files:
        raise InputError('src', '%s holds no declaration files (%s)' % (path, ', '.join('*' + e for e in DECLARATION_FILES)))
    result, origin = {}, {}
    for name in files:
        for section, items in _read_file(name).items():
            if section in result:
                raise InputError('src', '%s is given both by %s and by %s; give it in one file' % (section, origin[section], name))
            result[section], origin[section] = items, name
    return result


def _read_file(path):
    try:
        with open(path, 'rb') as handle:
            text = handle.read()
    except (IOError, OSError) as exc:
        raise InputError('src', 'cannot read %s: %s' % (path, exc.strerror or exc))
    as_json = _is_json(path)
    yaml, loader = (None, None) if as_json else _yaml()
    try:
        data = json.loads(text.decode('utf-8')) if as_json else yaml.load(text, Loader=loader)
    except (ValueError, yaml.YAMLError if yaml else ValueError) as exc:
        raise InputError('src', '%s is not valid %s: %s' % (path, 'JSON' if as_json else 'YAML', exc))
    return checked_declaration(data, 'src', path)


def written_sections(library, sandbox):
    """``{file name: text}``: each list of ``library`` as the file ``read_declaration`` reads back, one per list.

    JSON-style YAML: every string quoted, so no value changes type on the way back; a string that Ansible would template
    (``{{``, ``{%``, ``{#``) is tagged ``!unsafe``, so ``include_vars`` keeps it as it is. A name comes first in each
    object, then the other keys sorted, so an export of the same sandbox is the same text.
    """
    return dict((section + '.yml', '---\n# %s of sandbox %s, exported by aep.offers.offer_library_info: references by name, '
                 'objects sorted by name.\n# The directory is a library: aep.offers.offer_library\'s src, or include_vars with '
                 'name.\n%s: %s\n' % (section, sandbox, section, _node(items, 2)))
                for section, items in library.items())


def _node(value, indent):
    inner = ' ' * (indent + 2)
    if isinstance(value, dict):
        if not value:
            return '{}'
        keys = (['name'] if 'name' in value else []) + sorted(key for key in value if key != 'name')
        return '{\n%s\n%s}' % (',\n'.join('%s%s: %s' % (inner, json.dumps(key), _node(value[key], indent + 2)) for key in keys),
                               ' ' * indent)
    if isinstance(value, list):
        if not value:
            return '[]'
        return '[\n%s\n%s]' % (',\n'.join(inner + _node(element, indent + 2) for element in value), ' ' * indent)
    if isinstance(value, str) and any(mark in value for mark in ('{{', '{%', '{#')):
        return '!unsafe ' + json.dumps(value, ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def write_sections(directory, files, check_mode):
    """Writes each of ``files`` (``{name: text}``) in ``directory`` (made when missing) whose text differs from the file's;
    returns the paths written (in check mode, those that would be). Each file is replaced whole (a reader never sees half
    of one); files of other names are left alone."""
    written = []
    for name in sorted(files):
        path = os.path.join(directory, name)
        data = files[name].encode('utf-8')
        try:
            with open(path, 'rb') as handle:
                if handle.read() == data:
                    continue
        except (IOError, OSError):
            pass
        written.append(path)
        if check_mode:
            continue
        try:
            if not os.path.isdir(directory):
                os.makedirs(directory, 0o755)
            partial = path + '.part'
            with open(partial, 'wb') as handle:
                handle.write(data)
            os.chmod(partial, 0o644)
            os.rename(partial, path)
        except (IOError, OSError) as exc:
            raise InputError('dest', 'cannot write %s: %s' % (path, exc.strerror or exc))
    return written


def checked_declaration(data, option, where=None):
    """``data`` when it is a declaration (a mapping of this module's lists); InputError naming ``option`` (and the
    file) when it is not."""
    where = where or option
    if not isinstance(data, dict):
        raise InputError(option, '%s must hold a mapping of lists (%s), got %s' % (where, ', '.join(SECTIONS), type(data).__name__))
    unknown = sorted(str(key) for key in data if key not in BY_SECTION)
    if unknown:
        raise InputError(option, '%s has unknown key(s) %s; expected some of %s' % (where, ', '.join(unknown), ', '.join(SECTIONS)))
    for section, items in data.items():
        if not isinstance(items, list):
            raise InputError(option, '%s: %s must be a list, got %s' % (where, section, type(items).__name__))
    return data


def validated_items(section, items):
    """Each item is checked against its kind's argument spec, so errors name the list and the item."""
    kind = BY_SECTION[section]
    spec = kind.argument_spec()
    spec.update(name=dict(type='str', required=True), instance=dict(type='dict'))
    validator = ArgumentSpecValidator(spec, **kind.constraints())
    exclusive = kind.constraints()['mutually_exclusive']
    result = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError('%s[%d]' % (section, index), 'must be a mapping of options, got %r' % (item,))
        exact = as_declared(spec, item)
        if exact is not None and not any(sum(item.get(o) is not None for o in group) > 1 for group in exclusive):
            result.append(exact)
            continue
        checked = validator.validate(item)
        if checked.error_messages:
            raise InputError('%s[%d]' % (section, index), '; '.join(checked.error_messages))
        result.append(checked.validated_parameters)
    return result


_EXACT_TYPES = {'str': (str,), 'int': (int,), 'dict': (dict,), 'list': (list,)}


def as_declared(spec, item):
    """``item`` with every option of ``spec`` present (None when not given) when every value already has exactly its
    declared type, choice and suboptions; else None, and Ansible's validator decides (converting, or refusing).

    Ansible's ArgumentSpecValidator costs about 0.4 ms an item, most of a large library's no-op run; items read
    from YAML or JSON nearly always have their types already, and then it would return them unchanged.
    """
    if not isinstance(item, dict) or any(key not in spec for key in item):
        return None
    result = {}
    for option, rules in spec.items():
        value = item.get(option)
        if value is None:
            if rules.get('required') or 'fallback' in rules or option in item:
                return None  # Ansible fills it from the environment, or refuses an explicit null for some options (choices)
            default = rules.get('default')  # as Ansible's validator fills it: a copy of a list or dict default
            result[option] = copy.deepcopy(default) if isinstance(default, (list, dict)) else default
            continue
        kind = rules.get('type', 'str')
        if kind not in _EXACT_TYPES or not isinstance(value, _EXACT_TYPES[kind]) or isinstance(value, bool):
            return None
        if 'choices' in rules and value not in rules['choices']:
            return None
        if kind == 'list':
            value = _exact_elements(rules, value)
            if value is None:
                return None
        elif kind == 'dict' and 'options' in rules:
            value = as_declared(rules['options'], value)
            if value is None:
                return None
        result[option] = value
    return result


def _exact_elements(rules, values):
    elements = rules.get('elements')
    if elements == 'str':
        return values if all(isinstance(v, str) for v in values) else None
    if elements == 'dict' and 'options' in rules:
        checked = [as_declared(rules['options'], v) for v in values]
        return None if any(c is None for c in checked) else checked
    return None
