"""Service levels: business calendars, SLA policies, OLAs and the per-ticket clock."""
