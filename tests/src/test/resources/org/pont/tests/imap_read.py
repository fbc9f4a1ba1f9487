"""Independent IMAP client for Pont's end-to-end tests (Python's imaplib, not Java).

Usage: imap_read.py HOST PORT starttls|ssl CAFILE USER SUBJECT  (password in $PONT_IMAP_PASSWORD)
Prints the headers (From, To, Subject, Date, X-Pont-*) and body of the messages whose Subject contains SUBJECT, then "COUNT n".
The server certificate is verified against CAFILE, host name included.
"""
import email
import email.policy
import imaplib
import os
import ssl
import sys

host, port, mode, cafile, user, subject = sys.argv[1:7]
password = os.environ["PONT_IMAP_PASSWORD"]
ctx = ssl.create_default_context(cafile=cafile)
ctx.minimum_version = ssl.TLSVersion.TLSv1_2
if mode == "ssl":
    imap = imaplib.IMAP4_SSL(host, int(port), ssl_context=ctx)
else:
    imap = imaplib.IMAP4(host, int(port))
    imap.starttls(ssl_context=ctx)
print("TLS", imap.sock.version())
imap.login(user, password)
imap.select("INBOX", readonly=True)
typ, data = imap.search(None, "SUBJECT", '"%s"' % subject)
ids = data[0].split()
for i in ids:
    typ, msg = imap.fetch(i, "(RFC822)")
    parsed = email.message_from_bytes(msg[0][1], policy=email.policy.default)
    for name in ("From", "To", "Subject", "Date"):
        print("%s: %s" % (name, parsed[name]))
    for name, value in parsed.items():
        if name.lower().startswith("x-pont-"):
            print("%s: %s" % (name, value))
    print()
    print(parsed.get_content())
print("COUNT", len(ids))
try:
    imap.logout()
except imaplib.IMAP4.abort:
    # James, busy (two gateways starting on a loaded machine), sometimes closes the connection
    # before its tagged LOGOUT reply; everything above was already read and printed.
    pass
