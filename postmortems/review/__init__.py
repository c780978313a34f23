"""Reviewing a postmortem: comments anchored to its sections, approvals, what blocks
publication, and the e-mails that tell the author and reviewers what happened."""
