"""Helpers shared by the reliability drivers (crash-load, soak): start and kill a real
`pont up` process, submit over REST and SMTP submission, read mailboxes over IMAPS.

Python 3 standard library only. TLS is always verified against the gateway's PKI
(<data>/pki/trust-anchors.pem); nothing here turns verification off.
"""

import email
import email.policy
import email.utils
import http.client
import imaplib
import json
import os
import re
import signal
import smtplib
import socket
import ssl
import subprocess
import time
import uuid
from email import encoders
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOMAIN = "hopital.test"
SECRETARIAT = "secretariat@" + DOMAIN
DOCTOR = "dr.martin@" + DOMAIN
# The test INS of docs/rest-api.md (a synthetic patient, valid key).
PATIENT = {"ins": "279035121518989", "oid": "1.2.250.1.213.1.4.10", "familyName": "Pat-Trois",
           "givenNames": ["Dominique"], "birthDate": "1979-03-28", "sex": "F"}


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


def port_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def pick_ports(base):
    """Five consecutive free ports from base upwards (smtp, submission, imap, imaps, rest)."""
    for start in range(base, base + 500, 10):
        ports = list(range(start, start + 5))
        if all(port_free(p) for p in ports):
            return dict(zip(["smtp", "submission", "imap", "imaps", "rest"], ports))
    raise SystemExit("no five free consecutive ports from %d" % base)


def minimal_pdf(text="Pont reliability bench"):
    """A small but well-formed one-page PDF (the REST API refuses bytes that are not a PDF)."""
    content = ("BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class Gateway:
    """A `./pont up` process in its own data folder, on fixed ports."""

    def __init__(self, data, ports, java_opts=None, extra=()):
        self.data = data
        self.ports = ports
        self.java_opts = java_opts
        self.proc = None
        self.starts = 0
        self.config = os.path.join(data, "..", "gateway.properties")
        self.config = os.path.abspath(self.config)
        with open(self.config, "w") as f:
            f.write("\n".join([
                "pont.storage=persistent",
                "pont.ports.smtp=%d" % ports["smtp"],
                "pont.ports.submission=%d" % ports["submission"],
                "pont.ports.imap=%d" % ports["imap"],
                "pont.ports.imaps=%d" % ports["imaps"],
                "micronaut.server.port=%d" % ports["rest"],
                *extra,
                ""]))
        self._ctx = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def start(self, timeout=300):
        """Starts the gateway and waits for its 'Stop with Ctrl-C.' line; returns the seconds it took."""
        n = self.starts
        self.starts += 1
        out_path = os.path.join(os.path.dirname(self.config), "gateway-%d.out" % n)
        err_path = os.path.join(os.path.dirname(self.config), "gateway-%d.err" % n)
        env = dict(os.environ)
        if self.java_opts:
            env["PONT_JAVA_OPTS"] = self.java_opts
        t0 = time.monotonic()
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            # The launcher execs java, so this pid is the JVM's: kill -9 hits the gateway itself.
            self.proc = subprocess.Popen([os.path.join(ROOT, "pont"), "up", "--data", self.data, "--config", self.config],
                                         stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT)
        while True:
            with open(out_path, "r", errors="replace") as f:
                text = f.read()
            if "Stop with Ctrl-C." in text:
                break
            if self.proc.poll() is not None:
                raise RuntimeError("gateway exited with %s during start; see %s and %s" % (self.proc.returncode, out_path, err_path))
            if time.monotonic() - t0 > timeout:
                raise RuntimeError("gateway not up after %d s; see %s" % (timeout, out_path))
            time.sleep(0.2)
        return time.monotonic() - t0

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(60)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM, then SIGKILL if it does not stop within 60 s."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)

    def tls(self):
        if self._ctx is None:
            self._ctx = ssl.create_default_context(cafile=os.path.join(self.data, "pki", "trust-anchors.pem"))
        return self._ctx

    def credentials(self):
        creds = {}
        with open(os.path.join(self.data, "credentials.properties")) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#") and "=" in line:
                    k, v = line.split("=", 1)
                    creds[k.strip().replace("\\", "")] = v.strip()
        return creds

    def admin_token(self):
        with open(os.path.join(self.data, "admin-token.txt")) as f:
            return f.read().strip()

    # ---- REST -------------------------------------------------------------------------

    def _https(self, timeout=30):
        return http.client.HTTPSConnection("127.0.0.1", self.ports["rest"], context=self.tls(), timeout=timeout)

    def rest_json(self, method, path, token, body=None):
        c = self._https()
        try:
            headers = {"Authorization": "Bearer " + token}
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            c.request(method, path, body=data, headers=headers)
            r = c.getresponse()
            return r.status, json.loads(r.read() or b"null")
        finally:
            c.close()

    def make_token(self, mailbox, scopes):
        status, body = self.rest_json("POST", "/api/v1/admin/tokens", self.admin_token(),
                                      {"mailbox": mailbox, "scopes": scopes})
        if status not in (200, 201):
            raise RuntimeError("token creation: %s %s" % (status, body))
        return body["token"]

    def rest_submit(self, token, metadata, pdf, timeout=60):
        """POST /api/v1/messages (multipart: metadata JSON + pdf). Returns (status, parsed body)."""
        form = MIMEMultipart("form-data")
        meta = MIMEApplication(json.dumps(metadata).encode(), "json", _encoder=encoders.encode_7or8bit)
        meta.add_header("Content-Disposition", "form-data", name="metadata")
        form.attach(meta)
        doc = MIMEApplication(pdf, "pdf", _encoder=encoders.encode_7or8bit)
        doc.add_header("Content-Disposition", "form-data", name="pdf", filename="lettre.pdf")
        form.attach(doc)
        raw = form.as_bytes(policy=email.policy.HTTP)
        head, body = raw.split(b"\r\n\r\n", 1)
        content_type = form["Content-Type"]
        c = self._https(timeout)
        try:
            c.request("POST", "/api/v1/messages", body=body,
                      headers={"Authorization": "Bearer " + token, "Content-Type": content_type})
            r = c.getresponse()
            data = r.read()
            try:
                return r.status, json.loads(data)
            except ValueError:
                return r.status, {"raw": data[:200].decode("utf-8", "replace")}
        finally:
            c.close()

    # ---- SMTP submission --------------------------------------------------------------

    def smtp_connect(self, user, password, timeout=30):
        s = smtplib.SMTP("127.0.0.1", self.ports["submission"], timeout=timeout)
        s.ehlo("bench.test")
        s.starttls(context=self.tls())
        s.ehlo("bench.test")
        s.login(user, password)
        return s

    # ---- IMAPS ------------------------------------------------------------------------

    def imap_connect(self, user, password, timeout=60):
        m = imaplib.IMAP4_SSL("127.0.0.1", self.ports["imaps"], ssl_context=self.tls(), timeout=timeout)
        m.login(user, password)
        return m


def pont_cli(*args):
    """Runs a `./pont` command (PKI, whitelist...) and fails loudly if it fails."""
    r = subprocess.run([os.path.join(ROOT, "pont"), *args], cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("pont %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr.strip()[-500:]))
    return r.stdout


def smtp_message(sender, recipient, marker):
    """A plain-text message whose Message-ID the driver chooses (so a retry keeps it)."""
    m = EmailMessage()
    m["From"] = sender
    m["To"] = recipient
    m["Subject"] = "bench " + marker
    m["Date"] = email.utils.formatdate(localtime=False)
    m["Message-ID"] = "<%s.%s@bench.%s>" % (marker, uuid.uuid4().hex[:12], DOMAIN)
    m.set_content("Message de charge %s.\r\nAucune donnee patient.\r\n" % marker)
    return m


def rest_metadata(sender, recipient, marker):
    return {"sender": sender, "recipients": [recipient], "patient": PATIENT, "documentType": "11490-0",
            "title": "Lettre de liaison", "subject": "bench " + marker, "body": "Message de charge " + marker,
            "idempotencyKey": marker}


HEADER_FIELDS = "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID SUBJECT)])"


def fetch_headers(imap, mailbox="INBOX", since_uid=1):
    """[(uid, Message-ID, Subject)] of every message from since_uid on."""
    typ, _ = imap.select(mailbox, readonly=True)
    if typ != "OK":
        raise RuntimeError("SELECT %s failed" % mailbox)
    typ, data = imap.uid("FETCH", "%d:*" % since_uid, "(UID " + HEADER_FIELDS[1:])
    if typ != "OK":
        raise RuntimeError("FETCH failed: %s" % data)
    out = []
    for item in data:
        if not isinstance(item, tuple):
            continue
        uid = int(re.search(rb"UID (\d+)", item[0]).group(1))
        if uid < since_uid:
            continue  # 'n:*' always returns the last message
        h = email.message_from_bytes(item[1], policy=email.policy.default)
        out.append((uid, (h.get("Message-ID") or "").strip(), str(h.get("Subject") or "")))
    return out


def pid_rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")
