#!/bin/bash
# Unit tests of the channel framing.
. "$(dirname "$0")/lib.sh"

need_prog imsgtest
"$REGRESS/imsgtest" || failure run "imsgtest exited $?"
