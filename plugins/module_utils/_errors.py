# -*- coding: utf-8 -*-
# Copyright: aep.offers contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The two ways a task fails before or while converging, apart from the API's own errors (``_client.ApiError``).

FOR INTERNAL COLLECTION USE ONLY.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class InputError(Exception):
    """Bad input, found before anything is sent; ``option`` names where."""

    def __init__(self, option, message):
        self.option = option
        super(InputError, self).__init__('%s: %s' % (option, message) if option else message)


class EngineError(Exception):
    """The desired state cannot be reached; ``details`` go into the module's failure result."""

    def __init__(self, message, **details):
        self.details = details
        super(EngineError, self).__init__(message)
