# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin for aep.offers.offer_library: finds a relative ``src`` the way copy and template do.

A relative ``src`` is looked up on the controller in the role's ``files/`` and the role's directory, then
the playbook's ``files/`` and the playbook's directory (Ansible's search path for the task), and the module
gets the absolute path. An absolute or ``~`` path is passed unchanged, so the module reports its own errors
for it. Everything else (check mode, diff, module_defaults, the action group) is the module's as usual.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

MODULE = 'aep.offers.offer_library'


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        module_args = dict(self._task.args)  # module_defaults are already merged in
        src = module_args.get('src')
        if isinstance(src, str) and src and not os.path.isabs(os.path.expanduser(src)):
            try:
                module_args['src'] = self._find_needle('files', src)
            except AnsibleError as exc:
                result.update(failed=True, msg='src: cannot find %s (a relative src is looked up in the role\'s files/ and '
                                               'directory, then the playbook\'s files/ and directory): %s'
                                               % (src, to_text(exc).splitlines()[0]))
                return result

        wrap_async = self._task.async_val
        result = merge_hash(result, self._execute_module(module_name=MODULE, module_args=module_args,
                                                         task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
