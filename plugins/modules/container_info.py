#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: container_info
short_description: List the decisioning containers of an Adobe Experience Platform sandbox
version_added: 0.1.0
description:
  - Asks the API which decisioning containers the sandbox has (the container discovery the other modules
    do when O(container_id) is not set), and returns them.
  - A sandbox without a decisioning container is a valid answer (an empty list), not a failure.
  - With O(api=dps) there are no containers; the module sends no request and says so in RV(msg).
  - O(container_id) is not used.
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
attributes:
  check_mode:
    support: full
    description: Sends only reads, in check mode as in normal mode.
  diff_mode:
    support: none
    description: Changes nothing, so there is nothing to show.
options: {}
'''

EXAMPLES = r'''
- name: Which container does the dev sandbox use?
  aep.offers.container_info:
    sandbox: dev
  register: found

- name: Pin it for the rest of the play
  ansible.builtin.set_fact:
    aep_container_id: "{{ found.containers[0].container_id }}"
  when: found.containers | length == 1
'''

RETURN = r'''
containers:
  description: The decisioning containers of the sandbox; empty when it has none.
  returned: success
  type: list
  elements: dict
  contains:
    container_id:
      description: The container ID, the value of O(container_id).
      type: str
      sample: e0bd8463-0913-4ca1-bd84-6309134ca1f6
    name:
      description: The container's name (C(repo:name)).
      type: str
    sandbox:
      description: The sandbox the container belongs to (C(parentName)).
      type: str
      sample: prod
    container_type:
      description: The container type (C(containerType)).
      type: str
      sample: decisioning
    product_contexts:
      description: The product contexts of the container (C(productContexts)).
      type: list
      elements: str
      sample: [acp]
api:
  description: The API asked (O(api)); with V(dps), RV(containers) is always empty.
  returned: success
  type: str
  sample: xcore
msg:
  description: Why there is nothing to discover, with O(api=dps).
  returned: when O(api=dps)
  type: str
  sample: "the dps API has no containers: there is nothing to discover, and container_id is not used"
retries:
  description: How many HTTP requests were retried.
  returned: success
  type: int
  sample: 0
'''

from ansible_collections.aep.offers.plugins.module_utils._tasks import run_module


def main():
    run_module('container_info')


if __name__ == '__main__':
    main()
