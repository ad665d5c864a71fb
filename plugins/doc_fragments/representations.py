# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):
    # aep.offers.representations: the representations option of the modules that manage content
    # (offer_instance, fallback_offer).
    DOCUMENTATION = r'''
options:
  representations:
    description:
      - The offer's content, one entry per placement (C(xdm:representations); with O(api=dps),
        C(representations)). The list is the whole set of representations; they are matched by
        O(representations[].placement), so their order does not matter, and a representation whose
        placement is not listed is removed.
    type: list
    elements: dict
    suboptions:
      placement:
        description:
          - The placement this content is for (C(xdm:placement); with O(api=dps), C(placement)), as its id or
            its name.
          - With O(api=xcore) the id is the placement's C(@id) (C(xcore:offer-placement:...)); with O(api=dps) its
            dps id (C(dps:offer-placement:...)). Anything else is looked up as a name.
        type: str
        required: true
      channel:
        description:
          - The channel (C(xdm:channel); with O(api=dps), C(channel)), as a full URI or a short name such as
            V(web), V(email) or V(mobile), which becomes C(https://ns.adobe.com/xdm/channel-types/<name>) with
            either API.
        type: str
      components:
        description:
          - The content components, in order (C(xdm:components); with O(api=dps), C(components)).
        type: list
        elements: dict
        suboptions:
          type:
            description:
              - The component type. With O(api=xcore) it is stored as the URI C(@type),
                C(https://ns.adobe.com/experience/offer-management/content-component-<type>).
              - With O(api=dps) it is stored as C(type), written as Adobe's pages show it, V(html), V(imagelink),
                C(component-text) for V(text), and C(component-json) for V(json) (no page shows JSON content, so the
                name follows C(component-text)). A component stored with a bare C(text) or C(json) reads as the
                same type, so it is no change.
            type: str
            required: true
            choices: [text, html, imagelink, json]
          format:
            description:
              - The media type (C(dc:format); with O(api=dps), C(format)), such as V(text/plain), V(text/html),
                V(image/png) or V(application/json).
            type: str
          language:
            description:
              - Languages of the content (C(dc:language); with O(api=dps), C(language)), such as V(en) or
                V(en-US); compared as a set.
            type: list
            elements: str
          content:
            description:
              - Text, HTML or JSON content (C(xdm:content); with O(api=dps), C(content)). Adobe personalization
                expressions such as C({{profile.person.name.firstName}}) must reach the module unrendered; see
                the examples.
            type: str
          delivery_url:
            description:
              - For V(imagelink) components, the URL of the asset (C(xdm:deliveryURL); with O(api=dps),
                C(deliveryURL)).
            type: str
          link_url:
            description:
              - For V(imagelink) components, the click-through URL (C(xdm:linkURL); with O(api=dps), C(linkURL)).
            type: str
'''
