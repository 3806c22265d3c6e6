"""Files made through tempfile get the modes a plain open/mkdir would give (runner.fsmodes)."""

from __future__ import annotations

import os

from runner.fsmodes import _umask, file_mode, folder_mode


def test_modes_follow_the_umask_in_force_without_changing_it():
    old = os.umask(0o027)
    try:
        assert (file_mode(), folder_mode()) == (0o640, 0o750)
        os.umask(0o002)
        assert (file_mode(), folder_mode()) == (0o664, 0o775)
        assert _umask() == 0o002
        assert os.umask(0o002) == 0o002  # reading it left it as it was
    finally:
        os.umask(old)
