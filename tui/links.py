"""What GitLab reads as a link, for writing, reading and checking descriptions."""

from __future__ import annotations

import re

# An address GitLab turns into a link by itself when it stands alone.
WEB_LINK = re.compile(r"^https?://\S+$", re.I)

# A GitLab reference: #12, group/project#12 (issues), group&3 (epics), project!4 (MRs).
REFERENCE_PATTERN = r"(?:[\w.-]+(?:/[\w.-]+)*)?[#&!]\d+"
REFERENCE = re.compile(rf"^{REFERENCE_PATTERN}$")
