"""Background exports (soest_office.exports): the funder report and the Auskunft as PDF are
made by a Celery task; their page and file belong to the requester alone, are checked
against the requester's current rights, and are deleted after a day or with the person."""
