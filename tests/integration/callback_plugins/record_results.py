# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes every task result of a run to the JSON file named by RECORD_RESULTS_PATH."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: record_results
type: aggregate
short_description: Writes task results to a JSON file (integration tests only)
description:
  - Writes a list of task results to the file named by the environment variable E(RECORD_RESULTS_PATH).
requirements:
  - the environment variable E(RECORD_RESULTS_PATH)
'''

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'record_results'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self._results = []

    def _record(self, status, result):
        self._results.append({
            'task': result.task_name,
            'host': result._host.get_name(),
            'status': status,
            'result': json.loads(json.dumps(result._result, default=str)),
        })

    def v2_runner_on_ok(self, result):
        self._record('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record('failed', result)

    def v2_runner_on_skipped(self, result):
        self._record('skipped', result)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get('RECORD_RESULTS_PATH')
        if path:
            with open(path, 'w') as handle:
                json.dump(self._results, handle, indent=1)
