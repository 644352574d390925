"""Channel services: the journal reader, outbound mail, inbound mail, webhooks."""
