# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # aep.offers.connection: the options of the connection to the API and to IMS, which every module takes.
    DOCUMENTATION = r'''
options:
  api:
    description:
      - Which of Adobe's APIs for the Offer Library to use.
      - V(xcore) is the Offer Library repository API (C(/data/core/xcore)), which Adobe deprecated on
        2024-03-27; objects live in the sandbox's decisioning container.
      - V(dps) is the persistence API (C(/data/core/dps)) that replaced it, with the same objects, no container
        (O(container_id) is not used), ids such as C(dps:offer-placement:19cb038eca47bead), and a stale
        C(If-Match) answered with HTTP 412. Option names and results are the same with either API; each
        option's documentation names the field it sets in both.
      - If not set, the environment variable E(AEP_OFFERS_API) is used.
    type: str
    choices: [dps, xcore]
    default: xcore
  api_url:
    description:
      - Base URL of the Adobe Experience Platform API gateway.
      - If not set, the environment variable E(AEP_API_URL) is used.
    type: str
    default: https://platform.adobe.io
  ims_url:
    description:
      - Base URL of Adobe IMS, which issues access tokens (C(/ims/token/v3) is appended).
      - If not set, the environment variable E(AEP_IMS_URL) is used.
    type: str
    default: https://ims-na1.adobelogin.com
  client_id:
    description:
      - Client ID (API key) of the Adobe Developer Console project (OAuth Server-to-Server credential).
      - Also sent as the C(x-api-key) header.
      - If not set, the environment variable E(AEP_CLIENT_ID) is used.
    type: str
    required: true
  client_secret:
    description:
      - Client secret of the credential, used to obtain an access token from IMS.
      - Never logged or returned.
      - If not set, the environment variable E(AEP_CLIENT_SECRET) is used.
      - One of O(client_secret) and O(access_token) is required.
    type: str
  access_token:
    description:
      - An access token to use as it is; IMS is not asked and the token cache is not used.
      - Typically the result of M(aep.offers.ims_token) passed through C(module_defaults).
      - A token the API refuses cannot be refreshed; the task fails.
      - If not set, the environment variable E(AEP_ACCESS_TOKEN) is used.
    type: str
  scopes:
    description:
      - OAuth scopes asked for when a token is obtained.
    type: list
    elements: str
    default: [openid, session, AdobeID, read_organizations, additional_info.projectedProductContext]
  org_id:
    description:
      - IMS organization ID (C(x-gw-ims-org-id)), like C(ABCDEF0123456789ABCDEF01@AdobeOrg).
      - If not set, the environment variable E(AEP_ORG_ID) is used.
    type: str
    required: true
  sandbox:
    description:
      - Name of the Experience Platform sandbox (C(x-sandbox-name)).
      - If not set, the environment variable E(AEP_SANDBOX) is used.
      - A task that only reads or writes uses V(prod) when neither is set. A task that can delete (C(state=absent), or
        C(prune) of M(aep.offers.offer_library)) has no default; it fails before any request unless the sandbox is named
        here, in C(module_defaults) or in E(AEP_SANDBOX), and outside check mode it also needs C(confirm) set to
        that name.
    type: str
  container_id:
    description:
      - The Offer Library container of the sandbox (O(api=xcore) only; with V(dps) it is not used).
      - When not set, it is discovered from the sandbox (one extra read per task).
      - If not set, the environment variable E(AEP_CONTAINER_ID) is used.
    type: str
  validate_certs:
    description:
      - Whether TLS certificates are verified. Turning this off prints a warning.
      - If not set, the environment variable E(AEP_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM) to verify the server certificates with, instead of the system's.
      - If not set, the environment variable E(AEP_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds to wait for each HTTP answer.
    type: int
    default: 30
  retries:
    description:
      - How many times a request is retried after HTTP 429, 500, 502, 503, 504 or a lost connection, with
        exponential backoff that honours C(Retry-After).
      - Only safe requests are retried as they are (reads, and writes carrying C(If-Match)). A create
        whose answer was lost is retried only after the object was looked up by name and not found.
      - V(0) disables retries.
    type: int
    default: 3
  token_cache:
    description:
      - Whether the access token obtained from IMS is cached on the controller, so one token serves
        every task of a play (and later plays) until shortly before it expires.
      - The cache is a file per IMS URL, client, scopes and secret, readable only by its owner; a
        cache file that others can read is ignored with a warning.
      - If not set, the environment variable E(AEP_TOKEN_CACHE) is used.
    type: bool
    default: true
  token_cache_dir:
    description:
      - Directory of the token cache.
      - Defaults to C(aep.offers/tokens) under E(XDG_CACHE_HOME), or C(~/.cache).
      - If not set, the environment variable E(AEP_TOKEN_CACHE_DIR) is used.
    type: path
notes:
  - >-
    The modules talk to Adobe from the controller; use a local connection or C(delegate_to: localhost). A task with a
    local connection runs in Ansible's own process, with the Python that runs Ansible, which needs C(requests) and
    C(jsonpatch); a remote, C(async) or C(become) task, or one forced with E(AEP_OFFERS_IN_CONTROLLER=false) or the
    variable C(aep_offers_in_controller=false), runs a module process, whose Python needs them.
  - All options of this group can be set once for a play with C(module_defaults) and the action group
    C(group/aep.offers.offer_library).
requirements:
  - requests
  - jsonpatch
'''
