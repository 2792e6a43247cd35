#!/bin/sh
# convkit-gpu-headlessgl needs an X display: run under Xvfb when there is none (and xvfb-run is
# installed; without it that engine is recorded as skipped).
if [ -z "$DISPLAY" ] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a "$@"
fi
exec "$@"
