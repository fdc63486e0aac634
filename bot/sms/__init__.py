"""SMS over Twilio: text rules, keywords, menus, contacts, outgoing texts, reminders."""
