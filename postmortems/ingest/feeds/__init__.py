"""Providers' status feeds: the second door (after articles) by which a source gets in.

A feed is polled (``polling``: conditional GET through the SSRF-safe fetcher, backoff on
errors), its bytes are parsed by pure functions into frozen records (``parsing``), and
``services`` turns each provider incident into an incident with one proposed event per
status update, idempotently. ``links`` proposes cross-provider cascades: a customer's
incident that overlaps the incident of a provider it depends on.
"""
