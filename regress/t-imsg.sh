#!/bin/bash
# Unit tests of the channel framing.
. "$(dirname "$0")/lib.sh"
if [ ! -x "$REGRESS/imsgtest" ]; then
	failure build "regress/imsgtest not built"
	exit 0
fi
"$REGRESS/imsgtest" || failure run "imsgtest exited $?"
