#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: ims_token
short_description: Get an Adobe IMS access token for the Adobe Experience Platform API
version_added: 0.1.0
description:
  - Obtains an access token from Adobe IMS with the OAuth server-to-server credentials (O(client_id),
    O(client_secret), O(scopes)), so that the following tasks can pass it as O(access_token) instead of the secret.
  - With O(token_cache=true) (the default) a cached token that is still valid is returned, and a new one is
    stored in the cache, like the other modules of the collection do.
  - Makes no call to the Offer Library and needs no container; it changes nothing (C(changed=false)).
  - O(access_token), O(api_url), O(org_id), O(sandbox) and O(container_id) are not used (O(org_id) is still
    required, so that the same module defaults serve this module and the others).
author:
  - aep.offers developers (@aep-offers)
extends_documentation_fragment:
  - aep.offers.connection
attributes:
  check_mode:
    support: full
    description: Asks IMS for a token in check mode too; that changes nothing.
  diff_mode:
    support: none
    description: Changes nothing, so there is nothing to show.
notes:
  - The token is returned in clear text in RV(access_token). Ansible hides the values of options marked
    C(no_log), but not what a module returns, so set C(no_log=true) on the task that runs this module, or
    the token shows in the output with C(-v) and in callbacks and logs. Registered variables are not
    printed unless asked for; do not print them.
  - The token is valid for about 24 hours (RV(expires_in)); a task that uses it after it expires fails with
    HTTP 401, since a given O(access_token) is never refreshed.
seealso:
  - name: Adobe IMS, OAuth server-to-server credentials
    description: How Adobe IMS issues access tokens for the client credentials grant.
    link: https://developer.adobe.com/developer-console/docs/guides/authentication/ServerToServerAuthentication/
'''

EXAMPLES = r'''
- name: Fetch the token once, then use it instead of the secret
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Get a token (no_log keeps it out of the output)
      aep.offers.ims_token:
        client_id: "{{ vault_aep_client_id }}"
        client_secret: "{{ vault_aep_client_secret }}"
        org_id: ABCDEF0123456789ABCDEF01@AdobeOrg
      register: token
      no_log: true

    - name: The Offer Library tasks, with the token
      module_defaults:
        group/aep.offers.offer_library:
          client_id: "{{ vault_aep_client_id }}"
          access_token: "{{ token.access_token }}"
          org_id: ABCDEF0123456789ABCDEF01@AdobeOrg
          sandbox: dev
      block:
        - name: A placement
          aep.offers.placement:
            name: Web banner
            channel: web
            component_type: text
'''

RETURN = r'''
access_token:
  description:
    - The IMS access token, to pass as O(access_token) to the other modules.
    - Set C(no_log=true) on the task, so the token does not appear in the output.
  returned: success
  type: str
expires_in:
  description: Seconds until the token expires, as IMS said; only when the token was fetched by this task.
  returned: when a new token was fetched from IMS
  type: float
  sample: 86399.0
cached:
  description: Whether the token came from the token cache (no request to IMS).
  returned: success
  type: bool
  sample: false
'''

from ansible_collections.aep.offers.plugins.module_utils._tasks import run_module


def main():
    run_module('ims_token')


if __name__ == '__main__':
    main()
