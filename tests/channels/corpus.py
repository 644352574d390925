"""The .eml corpus: ``python -m tests.channels.corpus`` (re)writes ``tests/channels/eml/``.

Real-world-shaped messages built with the standard library's email package (and a TNEF
encoder for ``winmail.dat``). ``INC-000001`` / ``inc-000001`` stand for the ticket a reply
answers; the tests substitute the real number. The 20 MB message is built at test time by
``large_message()``.
"""

from __future__ import annotations

import struct
import sys
from email import encoders, policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

HERE = Path(__file__).parent / "eml"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b2d6e40000000049454e44ae426082")
DATE = "Tue, 03 Jun 2025 09:14:00 +0200"
OUR = "palier.localhost"


def _base(sender: str, subject: str, mid: str, **headers) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = f"Service desk <desk@{OUR}>"
    msg["Subject"] = subject
    msg["Date"] = DATE
    msg["Message-ID"] = mid
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    return msg


def _mime(root, sender: str, subject: str, mid: str, date: str | None = DATE):
    root["From"] = sender
    root["To"] = f"desk@{OUR}"
    root["Subject"] = subject
    if date:
        root["Date"] = date
    root["Message-ID"] = mid
    if "MIME-Version" not in root:
        root["MIME-Version"] = "1.0"
    return root


def _sjis(text: str) -> MIMEBase:
    """A text/plain part really encoded in Shift_JIS (MIMEText would pick ISO-2022-JP)."""
    part = MIMEBase("text", "plain", charset="shift_jis")
    part.set_payload(text.encode("shift_jis"))
    encoders.encode_base64(part)
    return part


def tnef(body: str, files: dict[str, bytes]) -> bytes:
    """A minimal Outlook TNEF stream: version, code page, body, then each attachment."""
    def attr(level: int, name: int, kind: int, data: bytes) -> bytes:
        return (struct.pack("<BHHI", level, name, kind, len(data)) + data
                + struct.pack("<H", sum(data) & 0xFFFF))
    out = struct.pack("<IH", 0x223E9F78, 0x0001)
    out += attr(1, 0x9006, 0x0008, struct.pack("<I", 0x00010000))
    out += attr(1, 0x9007, 0x0006, struct.pack("<II", 1252, 0))
    out += attr(1, 0x800C, 0x0002, body.encode("cp1252") + b"\x00")
    for name, data in files.items():
        out += attr(2, 0x9002, 0x0006, b"\x01\x00\xff\xff\xff\xff" + b"\x00" * 8)
        out += attr(2, 0x8010, 0x0001, name.encode("cp1252") + b"\x00")
        out += attr(2, 0x800F, 0x0006, data)
    return out


def messages() -> dict[str, bytes]:
    m: dict[str, bytes] = {}
    m["plain_new.eml"] = _base("Alice Requester <req-a@example.test>", "Printer on floor 2 jams",
                               "<plain-1@mail.example.test>")
    m["plain_new.eml"].set_content("Hello,\n\nThe printer on floor 2 jams on every page.\n\n"
                                   "Alice")
    alt = _base("req-a@example.test", "Cannot open the payroll app",
                "<alt-1@mail.example.test>")
    alt.set_content("The payroll app shows error 0x80070005 at start.\n")
    alt.add_alternative("<html><body><p>The payroll app shows <b>error 0x80070005</b> at "
                        "start.</p></body></html>", subtype="html")
    m["multipart_alternative.eml"] = alt
    html = _base("req-a@example.test", "Screen flickers", "<html-1@mail.example.test>")
    html.set_content("<html><head><style>p{color:red}</style><script>alert('x')</script>"
                     "</head><body><p onclick=\"steal()\">My screen <i>flickers</i> after the "
                     "update.</p><img src=\"https://tracker.example/pixel.gif\"></body></html>",
                     subtype="html")
    m["html_only_script.eml"] = html
    m["iso8859_1.eml"] = _mime(MIMEText("Bonjour,\n\nLe réseau est très lent à l'étage, "
                                        "même en Wi-Fi.\n\nCordialement, Élodie", "plain",
                                        "iso-8859-1"),
                               "Elodie <req-b@example.test>", "Réseau lent",
                               "<latin1-1@mail.example.test>")
    m["windows1252.eml"] = _mime(MIMEText("The invoice “Q2” shows 1 200 € instead of 120 € – "
                                          "please check.", "plain", "windows-1252"),
                                 "req-a@example.test", "Invoice total wrong",
                                 "<cp1252-1@mail.example.test>")
    m["shift_jis.eml"] = _mime(_sjis("プリンターが動きません。至急確認してください。"),
                               "req-a@example.test", "=?Shift_JIS?B?g3aDioOTg16BWw==?=",
                               "<sjis-1@mail.example.test>")
    enc = _base("req-a@example.test", "", "<encword-1@mail.example.test>")
    del enc["Subject"]
    enc["Subject"] = "=?UTF-8?B?Q2zDqSBVU0IgcGVyZHVl?= =?ISO-8859-1?Q?_=E0_l'accueil?="
    enc.set_content("Lost USB key at the front desk.")
    m["encoded_word_subject.eml"] = enc
    related = MIMEMultipart("related")
    related.attach(MIMEText("<p>See the error:</p><img src=\"cid:shot1@x\">", "html", "utf-8"))
    image = MIMEBase("image", "png")
    image.set_payload(PNG)
    encoders.encode_base64(image)
    image.add_header("Content-ID", "<shot1@x>")
    image.add_header("Content-Disposition", "inline", filename="screenshot.png")
    related.attach(image)
    m["inline_image.eml"] = _mime(related, "req-a@example.test", "Error dialog",
                                  "<inline-1@mail.example.test>")
    mixed = MIMEMultipart("mixed")
    mixed.attach(MIMEText("The quote is attached.", "plain", "utf-8"))
    pdf = MIMEApplication(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename="quote.pdf")
    mixed.attach(pdf)
    m["attachment_pdf.eml"] = _mime(mixed, "req-a@example.test", "Quote for the new laptops",
                                    "<pdf-1@mail.example.test>")
    winmail = MIMEMultipart("mixed")
    winmail.attach(MIMEText("", "plain", "utf-8"))
    tn = MIMEApplication(tnef("Outlook body: the VPN log is attached.",
                              {"vpn-log.txt": b"12:00 tunnel down\n12:01 retry\n"}), "ms-tnef")
    tn.add_header("Content-Disposition", "attachment", filename="winmail.dat")
    winmail.attach(tn)
    m["tnef_winmail.eml"] = _mime(winmail, "req-a@example.test", "VPN log from Outlook",
                                  "<tnef-1@mail.example.test>")
    m["missing_date.eml"] = _mime(MIMEText("No Date header here.", "plain", "utf-8"),
                                  "req-a@example.test", "Keyboard missing keys",
                                  "<nodate-1@mail.example.test>", date=None)
    nofrom = MIMEText("Who sent this?", "plain", "utf-8")
    nofrom["To"], nofrom["Subject"] = f"desk@{OUR}", "Anonymous"
    nofrom["Date"], nofrom["Message-ID"] = DATE, "<nofrom-1@mail.example.test>"
    m["missing_from.eml"] = nofrom
    m.update(_replies())
    m.update(_automatic())
    m.update(_policies())
    return {name: (msg if isinstance(msg, bytes) else msg.as_bytes()) for name, msg in m.items()}


def _replies() -> dict:
    outlook = _mime(MIMEText(
        "It works again after the restart, thank you.\r\n\r\n"
        "________________________________\r\nFrom: Service desk <desk@palier.localhost>\r\n"
        "Sent: Tuesday, June 3, 2025 9:02 AM\r\nTo: Alice Requester <req-a@example.test>\r\n"
        "Subject: [INC-000001] VPN drops every ten minutes\r\n\r\n"
        "Hello,\r\nPlease restart the VPN client and tell us.\r\n", "plain", "utf-8"),
        "Alice Requester <req-a@example.test>", "RE: [INC-000001] VPN drops every ten minutes",
        "<DB9PR01MB1234ABCD@eurprd01.prod.outlook.com>")
    outlook["Thread-Index"] = "AdnVh2kQ2yYpKjq0RXm3sWn1b2c3dA=="
    outlook["X-MS-Has-Attach"] = ""
    gmail = _base("Alice Requester <req-a@example.test>", "Re: VPN drops every ten minutes",
                  "<CAF=abc123xyz@mail.gmail.com>",
                  In_Reply_To="<inc-000001.1.acknowledgement.0123456789@palier.localhost>",
                  References="<ticket-inc-000001@palier.localhost> "
                             "<inc-000001.1.acknowledgement.0123456789@palier.localhost>")
    gmail.set_content("Still dropping this morning, at 09:10 and 09:20.\n\n"
                      "On Tue, 3 Jun 2025 at 09:02, Service desk <desk@palier.localhost> "
                      "wrote:\n> Hello,\n> We have received your request.\n> Regards\n")
    gmail.add_alternative("<div dir=\"ltr\">Still dropping this morning, at 09:10 and 09:20."
                          "</div><br><div class=\"gmail_quote\"><div>On Tue, 3 Jun 2025 at "
                          "09:02, Service desk wrote:</div><blockquote>Hello</blockquote>"
                          "</div>", subtype="html")
    return {"reply_outlook.eml": outlook, "reply_gmail.eml": gmail}


def _automatic() -> dict:
    ooo = _base("req-a@example.test", "Automatic reply: [INC-000001] VPN drops",
                "<ooo-1@mail.example.test>", Auto_Submitted="auto-replied",
                X_Auto_Response_Suppress="All")
    ooo.set_content("I am out of the office until Monday.")
    ooo2 = _base("req-a@example.test", "Absent", "<ooo-2@mail.example.test>",
                 X_Autoreply="yes")
    ooo2.set_content("Je suis absente jusqu'à lundi.")
    dsn = (b"From: Mail Delivery System <MAILER-DAEMON@mx.example.test>\r\n"
           b"To: desk@palier.localhost\r\nSubject: Undelivered Mail Returned to Sender\r\n"
           b"Date: " + DATE.encode() + b"\r\nMessage-ID: <dsn-1@mx.example.test>\r\n"
           b"Return-Path: <>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n"
           b"\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
           b"Delivery to req-zz@example.test failed permanently.\r\n"
           b"--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
           b"Reporting-MTA: dns; mx.example.test\r\n\r\n"
           b"Final-Recipient: rfc822; req-zz@example.test\r\nAction: failed\r\n"
           b"Status: 5.1.1\r\n\r\n--b1--\r\n")
    lst = _base("req-a@example.test", "[it-news] June newsletter", "<list-1@lists.example.test>",
                Precedence="list", List_Id="<it-news.example.test>")
    lst.set_content("This month in IT...")
    own = _base(f"Palier <desk@{OUR}>", "[INC-000001] VPN drops every ten minutes",
                f"<inc-000001.7.reply.aaaaaaaaaa@{OUR}>")
    own.set_content("This is our own notification coming back.")
    return {"out_of_office.eml": ooo, "out_of_office_xautoreply.eml": ooo2,
            "bounce_dsn.eml": dsn, "precedence_list.eml": lst, "own_message_loop.eml": own}


def _policies() -> dict:
    stranger = _base("Stranger <stranger@nowhere.test>", "Buy our product",
                     "<stranger-1@nowhere.test>")
    stranger.set_content("Hello, we sell things.")
    newbie = _base(str(Address("New Person", "new.person", "acme.test")), "Need an account",
                   "<newbie-1@acme.test>")
    newbie.set_content("I started today and have no account yet.")
    exe = MIMEMultipart("mixed")
    exe.attach(MIMEText("Please install this tool.", "plain", "utf-8"))
    tool = MIMEApplication(b"MZ\x90\x00fake", "octet-stream")
    tool.add_header("Content-Disposition", "attachment", filename="setup.exe")
    exe.attach(tool)
    staff = _base("l1-a@desk.test", "Note to self", "<staff-1@desk.test>")
    staff.set_content("Agents do not open tickets by mail.")
    return {"unknown_sender.eml": stranger, "domain_sender.eml": newbie,
            "exe_attachment.eml": _mime(exe, "req-a@example.test", "Tool install",
                                        "<exe-1@mail.example.test>"),
            "staff_sender.eml": staff,
            "garbage.eml": b"\x00\x01\x02\xff\xfe binary junk \x00\n\x00\x00\r\n\xff",
            "no_message_id.eml": b"From: req-a@example.test\r\nTo: desk@palier.localhost\r\n"
                                 b"Subject: Mouse broken\r\n\r\nMy mouse does not click.\r\n"}


def large_message(megabytes: int = 20) -> bytes:
    """A message with a ``megabytes`` MB attachment (built at test time, not committed)."""
    mixed = MIMEMultipart("mixed")
    mixed.attach(MIMEText("The full disk image is attached.", "plain", "utf-8"))
    blob = MIMEApplication(b"\x5a" * (megabytes * 1024 * 1024), "zip")
    blob.add_header("Content-Disposition", "attachment", filename="disk-image.zip")
    mixed.attach(blob)
    return _mime(mixed, "req-a@example.test", "Disk image", "<large-1@mail.example.test>"
                 ).as_bytes()


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, raw in messages().items():
        (HERE / name).write_bytes(raw)
    print(f"{len(list(HERE.glob('*.eml')))} messages in {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()
