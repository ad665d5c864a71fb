# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin of every aep.offers module: offer_library's, and each other module's file here subclasses it.

A file per module, not meta/runtime.yml's action_plugin key (nor an action redirect, which ansible-lint reads as a
module to rename): the strategy then finds the task's action plugin by its name in ansible-playbook's own process and
loads it, with requests and module_utils, before it forks the task's worker, which finds them imported.

A task whose connection is local runs in Ansible's own process: its arguments are checked with the module's
argument spec (Ansible's ``ArgumentSpecValidator``, the messages a module process gives), the same
``_tasks.Task.run`` runs with a module object of the controller's, and the result goes through the JSON a
module would print and Ansible's own parsing of module output, so it is the module's result, untrusted for
templating, on every ansible-core. The HTTP session and the IMS token are kept for the worker: the items of a
loop share them. Any other task runs the module process as before: a remote connection, ``async``, ``become``
(the module would run as another user), a controller Python without requests or jsonpatch, or
``aep_offers_in_controller: false`` (a variable) or ``AEP_OFFERS_IN_CONTROLLER=false`` (the controller's
environment). For offer_library, a relative ``src`` is first found like copy's and template's.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import os
import re
import sys
import traceback

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.text.converters import jsonify, to_text
from ansible.module_utils.common.validation import check_type_bool
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

try:  # ansible-core 2.19 and later: modules and the controller speak through serialization profiles
    from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
    PROFILED = True
    AnsibleJSONEncoder = AnsibleUnsafeText = None
except ImportError:  # ansible-core 2.17, 2.18
    from ansible.module_utils.common.json import AnsibleJSONEncoder
    from ansible.utils.unsafe_proxy import AnsibleUnsafeText
    PROFILED = False
    Direction = get_module_decoder = get_module_encoder = None
try:  # up to 2.20 (2.21 parses a module's output into a UnifiedTaskResult, which has its own)
    from ansible.vars.clean import remove_internal_keys
except ImportError:
    remove_internal_keys = None

from ansible_collections.aep.offers.plugins.plugin_utils._bytecode import import_modules

# Every module_utils, each after those it imports (a unit test checks the order), imported here in ansible-playbook's
# own process, so no task's worker imports them again; Python's source loader keeps their bytecode, where the
# collection loader would compile them in every run.
MODULE_UTILS = ('_errors', '_neterrors', '_auth', '_client', '_api', '_diff', '_resolve', '_apply', '_catalogue',
                '_declaration', '_mapping', '_dps_mapping', '_dps_decisioning', '_dps', '_plan', '_library', '_module',
                '_tasks', '_xcore')
import_modules('ansible_collections.aep.offers.plugins.module_utils', MODULE_UTILS)

from ansible_collections.aep.offers.plugins.module_utils import _client
from ansible_collections.aep.offers.plugins.module_utils._api import HAS_JSONPATCH
from ansible_collections.aep.offers.plugins.module_utils._auth import cache_key, default_cache_dir
from ansible_collections.aep.offers.plugins.module_utils._module import Connection
from ansible_collections.aep.offers.plugins.module_utils._tasks import TASKS

display = Display()

SWITCH_VAR = 'aep_offers_in_controller'
SWITCH_ENV = 'AEP_OFFERS_IN_CONTROLLER'
PROFILE = 'legacy'  # the profile of a module without metadata, as ours are


class _Return(BaseException):
    """exit_json or fail_json: ends the task like a module's sys.exit, past any ``except Exception``."""

    def __init__(self, result):
        super(_Return, self).__init__()
        self.result = result


class ControllerModule(Connection):
    """The module object of the tasks run in this worker process: one per worker, reset for each task or loop item,
    so the sessions and token sources it keeps report their retries and warnings to the item being run."""

    def __init__(self):
        self._sessions = {}
        self._token_sources = {}
        self.begin({}, set(), {})

    def begin(self, params, no_log_values, internal):
        self.params = params
        self.no_log_values = no_log_values
        self.check_mode = bool(internal.get('_ansible_check_mode'))
        self._diff = bool(internal.get('_ansible_diff'))
        self._verbosity = internal.get('_ansible_verbosity') or 0
        self._debug = bool(internal.get('_ansible_debug'))
        self._tracebacks_for = internal.get('_ansible_tracebacks_for') or ()
        self._invocation = internal.get('_ansible_inject_invocation', True)
        self._warnings = []
        self.retry_count = 0

    def warn(self, warning):
        if not isinstance(warning, str):
            raise TypeError('warn requires a string not a %s' % type(warning))
        if not (PROFILED and warning in self._warnings):  # 2.19 and later keep one of equal warnings, as modules do
            self._warnings.append(warning)

    def exit_json(self, **kwargs):
        raise _Return(self._formatted(kwargs))

    def fail_json(self, msg, **kwargs):
        kwargs.update(failed=True, msg=str(msg))
        exception = kwargs.pop('exception', None)
        if PROFILED:  # the module gives a traceback only when asked to (DISPLAY_TRACEBACK)
            if 'error' in self._tracebacks_for:
                current = traceback.format_exc() if sys.exc_info()[0] else ''.join(traceback.format_stack())
                kwargs['exception'] = exception if isinstance(exception, str) else current
        elif exception is not None:
            kwargs['exception'] = exception
        elif sys.exc_info()[2] and (self._debug or self._verbosity >= 3):
            kwargs['exception'] = ''.join(traceback.format_tb(sys.exc_info()[2]))
        raise _Return(self._formatted(kwargs))

    def _formatted(self, kwargs):
        """What AnsibleModule prints: invocation, warnings, and every no_log value masked (bools and None kept)."""
        if self._invocation and 'invocation' not in kwargs:
            kwargs['invocation'] = {'module_args': self.params}
        elif not self._invocation:
            kwargs.pop('invocation', None)
        if self._warnings:
            kwargs['warnings'] = list(self._warnings)
        preserved = dict((k, v) for k, v in kwargs.items() if v is None or isinstance(v, bool))
        # remove_values masks each top-level value on its own: the invocation (which holds the secrets) always, the
        # rest (a library's 1,000 results) only when its JSON holds a no_log value, as it then would change something
        masked = [k for k in kwargs if k == 'invocation' or _may_hold(kwargs[k], self.no_log_values)]
        kwargs.update(remove_values(dict((k, kwargs[k]) for k in masked), self.no_log_values))
        kwargs.update(preserved)
        return kwargs

    def new_session(self):
        key = (self.params['retries'], self.params['ims_url'])
        if key not in self._sessions:
            self._sessions[key] = super(ControllerModule, self).new_session()
        session = self._sessions[key]
        session.cookies.clear()  # a module process starts without any
        return session

    def token_source(self, session=None, verify=None):
        p = self.params
        verify = self._verify() if verify is None else verify
        session = session or self.new_session()
        key = (id(session), verify, p['timeout'], p['token_cache'], p['token_cache_dir'] or default_cache_dir(),
               cache_key(p['ims_url'], p['client_id'], p['scopes'], p['client_secret']),
               cache_key('', '', [], p['access_token']) if p['access_token'] else None)
        if key not in self._token_sources:
            self._token_sources[key] = super(ControllerModule, self).token_source(session, verify)
        return self._token_sources[key]


_WORKER = []  # the worker's ControllerModule, made by its first task run in the controller


def _worker_module():
    if not _WORKER:
        _WORKER.append(ControllerModule())
    return _WORKER[0]


class _Environment:
    """The task's ``environment:`` in os.environ while the task runs, as a module process would have it."""

    def __init__(self, values):
        self.values = dict((str(k), to_text(v)) for k, v in values.items())

    def __enter__(self):
        self.saved = dict((k, os.environ.get(k)) for k in self.values)
        os.environ.update(self.values)

    def __exit__(self, *exc):
        for key, value in self.saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        task_vars = task_vars or {}

        # resolved_action names this plugin on some cores: the module is what the task's action resolves to
        found = self._shared_loader_obj.module_loader.find_plugin_with_context(self._task.action, collection_list=self._task.collections)
        collection, _dot, name = (found.resolved_fqcn or '').rpartition('.')
        if collection != 'aep.offers' or name not in TASKS:
            result.update(failed=True, msg='%s is not an aep.offers module' % self._task.action)
            return result
        module_args = dict(self._task.args)  # module_defaults are already merged in
        if name == 'offer_library':
            failure = self._find_src(module_args)
            if failure:
                result.update(failed=True, msg=failure)
                return result

        why_not = self._why_not_in_controller(task_vars)
        if why_not is None:
            display.vvv('aep.offers: %s runs in the controller' % self._task.action, host=self._play_context.remote_addr)
            return merge_hash(result, self._run_in_controller(name, module_args, task_vars))

        display.vvv('aep.offers: %s runs in a module process: %s' % (self._task.action, why_not), host=self._play_context.remote_addr)
        wrap_async = self._task.async_val
        result = merge_hash(result, self._execute_module(module_name=self._task.action, module_args=module_args,
                                                         task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _find_src(self, module_args):
        """A relative src, looked up in the role's files/ and directory, then the playbook's; None when found."""
        src = module_args.get('src')
        if isinstance(src, str) and src and not os.path.isabs(os.path.expanduser(src)):
            try:
                module_args['src'] = self._find_needle('files', src)
            except AnsibleError as exc:
                return ('src: cannot find %s (a relative src is looked up in the role\'s files/ and directory, then the '
                        'playbook\'s files/ and directory): %s' % (src, to_text(exc).splitlines()[0]))
        return None

    def _why_not_in_controller(self, task_vars):
        switch = task_vars.get(SWITCH_VAR, os.environ.get(SWITCH_ENV, True))
        try:
            wanted = check_type_bool(self._templar.template(switch))
        except TypeError:
            raise AnsibleError('%s must be a boolean, got %r' % (SWITCH_VAR if SWITCH_VAR in task_vars else SWITCH_ENV, switch))
        if not wanted:
            return '%s is false' % (SWITCH_VAR if SWITCH_VAR in task_vars else SWITCH_ENV)
        if getattr(self._connection, 'transport', None) != 'local':
            return 'the connection is not local'
        if self._task.async_val:
            return 'the task is async'
        if self._play_context.become:
            return 'the task uses become'
        if not _client.HAS_REQUESTS or not HAS_JSONPATCH:
            return 'the controller\'s Python lacks requests or jsonpatch'
        return None

    def _run_in_controller(self, name, module_args, task_vars):
        task = TASKS[name]
        self._update_module_args(self._task.action, module_args, task_vars)
        module_args = _as_the_module_gets_them(module_args)
        internal = dict((k, module_args.pop(k)) for k in list(module_args) if k.startswith('_ansible_'))
        environment = {}
        self._compute_environment_string(environment)
        module = _worker_module()
        returned = None
        with _Environment(environment):
            try:
                module.begin(module_args, set(), internal)
                checked = ArgumentSpecValidator(task.argument_spec(), **task.constraints()).validate(module_args)
                module.params.update(checked.validated_parameters)
                module.no_log_values = set(checked._no_log_values)
                for warning in checked._warnings:  # aliases: none today, but the module would say it
                    module.warn('Both option {option} and its alias {alias} are set.'.format(**warning))
                error = checked.errors.errors[0] if checked.errors.errors else None
                if error is not None and not (isinstance(error, UnsupportedError) and internal.get('_ansible_ignore_unknown_opts')):
                    msg = checked.errors.msg
                    if isinstance(error, UnsupportedError):
                        msg = 'Unsupported parameters for (%s) module: %s' % (internal.get('_ansible_module_name'), msg)
                    module.fail_json(msg=msg)
                module.check_connection()
                task.run(module)
                module.exit_json()  # a task always ends with exit_json or fail_json; this is a safety net
            except _Return as done:
                returned = done.result
        return self._parsed(_as_the_module_prints(returned), 1 if returned.get('failed') else 0)

    def _parsed(self, printed, rc):
        """The printed result, parsed as _execute_module parses a module's output."""
        res = dict(stdout=printed, stderr='', rc=rc)
        if not PROFILED:
            data = self._parse_returned_data(res)
            data.pop('_ansible_trusted_utf8', None)  # left in when MODULE_STRICT_UTF8_RESPONSE is off
            data.pop('_ansible_suppress_tmpdir_delete', None)
            remove_internal_keys(data)
            return _unsafe(data, {})
        parsed = self._parse_returned_data(res, PROFILE)
        if hasattr(parsed, 'as_result_dict'):  # 2.21 and later: a UnifiedTaskResult
            parsed.remove_internal_keys()
            return parsed.as_result_dict(for_round_trip=True)
        parsed.pop('_ansible_suppress_tmpdir_delete', None)
        remove_internal_keys(parsed)
        return parsed


def _unsafe(value, shared):
    """wrap_var(value) on 2.17 and 2.18, but equal strings share one unsafe copy: pickle then sends each once to
    ansible-playbook (a library's 1,000 results repeat their keys and actions), and the TaskExecutor's own wrap_var
    finds them wrapped. ``value`` is parsed JSON: dicts, lists, strings and scalars."""
    if isinstance(value, dict):
        return dict((_unsafe(key, shared), _unsafe(item, shared)) for key, item in value.items())
    if isinstance(value, list):
        return [_unsafe(item, shared) for item in value]
    if isinstance(value, str):
        unsafe = shared.get(value)
        if unsafe is None:
            unsafe = shared[value] = AnsibleUnsafeText(value)
        return unsafe
    return value


def _as_the_module_gets_them(module_args):
    """The arguments through the JSON a module process reads (vaulted values decrypted, tags and unsafe markers gone)."""
    if PROFILED:
        text = json.dumps(module_args, cls=get_module_encoder(PROFILE, Direction.CONTROLLER_TO_MODULE))
        return json.loads(text, cls=get_module_decoder(PROFILE, Direction.CONTROLLER_TO_MODULE))
    return json.loads(json.dumps(module_args, cls=AnsibleJSONEncoder, vault_to_text=True))


def _as_the_module_prints(result):
    if PROFILED:
        return json.dumps(result, cls=get_module_encoder(PROFILE, Direction.MODULE_TO_CONTROLLER))
    # Said to be valid UTF-8 when it is, so that ansible-core 2.17 and 2.18 skip their check of every string (a
    # library's 1,000 results hold 8,000); a text that may hold a lone surrogate is printed unmarked, to be checked.
    printed = _jsonified(dict(result, _ansible_trusted_utf8=True))
    return _jsonified(result) if _ESCAPED_SURROGATE.search(printed) else printed


# The JSON printed is ASCII: every other character is escaped, and the only escape that can parse to text UTF-8
# cannot encode is a surrogate's (a pair parses to one character, but is sent to the check all the same).
_ESCAPED_SURROGATE = re.compile(r'\\u[dD][89a-fA-F]')


def _jsonified(result):
    """jsonify's text (how a module prints on 2.17 and 2.18), without its walk over every string when there are no
    bytes to convert: json.dumps refuses bytes, and gives jsonify's text for anything else."""
    try:
        return json.dumps(result)
    except TypeError:
        return jsonify(result)


# How remove_values spells what JSON spells otherwise (true, false, null, Infinity, NaN): a no_log value found in
# one of these is looked for the slow way.
_NOT_AS_IN_JSON = 'True False None inf -inf nan'


def _may_hold(value, no_log_values):
    """False when remove_values(value, no_log_values) would return ``value`` unchanged: no no_log value occurs in its
    JSON, whose escaping goes character by character, so a value in a string is also in that string's JSON."""
    if not no_log_values:
        return False
    try:
        printed = json.dumps(value)
    except (TypeError, ValueError):  # not JSON (bytes, a date, a set): remove_values decides
        return True
    for secret in no_log_values:
        secret = to_text(secret, errors='surrogate_or_strict')
        if not secret or secret in _NOT_AS_IN_JSON or json.dumps(secret)[1:-1] in printed:
            return True
    return False
