"""ims_token in a playbook: its token, hidden by no_log at -vvv, serves the next task as access_token through
module_defaults. The read-only modules' behaviour (container_info, offer_library_info's pages, filters and exports,
ims_token's cache) is proven in-process on both APIs by tests/contract/test_info.py."""


def test_ims_token_serves_as_access_token_and_stays_hidden(aep, aep_emulator, direct):
    placement = direct.placement("Web banner")
    playbook = aep.write_playbook("token.yml", """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: token
      aep.offers.ims_token:
        client_secret: "{{ secret }}"
        token_cache: false
      register: token
      no_log: true

    - name: offer with the token
      module_defaults:
        group/aep.offers.offer_library:
          access_token: "{{ token.access_token }}"
      aep.offers.offer_instance:
        name: Token offer
        status: approved
        representations:
          - placement: %s
            channel: web
            components: [{type: text, content: hello}]
      register: offer

    - name: leak check
      ansible.builtin.copy:
        content: "{{ token.access_token }}"
        dest: "%s"
      no_log: true
""" % (placement, aep.tmp_path / "token.txt"))
    before = aep_emulator.stats()
    # The secret is not in the environment: the offer task can only use the token.
    run = aep.playbook(playbook, verbosity=3, extra_vars={"secret": aep_emulator.client_secret}, env={"AEP_CLIENT_SECRET": ""})
    token = (aep.tmp_path / "token.txt").read_text() if (aep.tmp_path / "token.txt").exists() else None
    assert run.rc == 0, run.output
    assert token and len(token) > 10
    assert token not in run.output
    assert run.result("offer with the token")["changed"] is True
    assert aep_emulator.stats()["token_requests"] - before["token_requests"] == 1
