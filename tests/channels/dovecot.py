"""A real Dovecot IMAP server started in a temporary directory, on a random loopback port.

Uses Debian's ``dovecot-imapd`` (``.ci/run`` installs it). Plain-text login on loopback, a
passwd-file user database, Maildir under the temporary directory. As root the mail and
login processes run as Debian's ``dovecot``/``dovenull`` users; otherwise as the caller.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = "/usr/sbin/dovecot"


@dataclass
class Dovecot:
    host: str
    port: int
    user: str
    password: str
    root: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accounts() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid)."""
    if os.geteuid() == 0:
        owner = pwd.getpwnam("dovecot")
        return "dovecot", "dovenull", owner.pw_uid, owner.pw_gid
    me = pwd.getpwuid(os.geteuid())
    return me.pw_name, me.pw_name, me.pw_uid, grp.getgrgid(os.getegid()).gr_gid


def config(root: Path, port: int, user: str, password: str) -> str:
    internal, login, uid, gid = _accounts()
    (root / "users").write_text(f"{user}:{{PLAIN}}{password}:{uid}:{gid}::{root}/home/{user}\n")
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/home/%u/Maildir
first_valid_uid = 1
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(gid).gr_name if os.geteuid() else internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def start(root: Path) -> tuple[Dovecot, subprocess.Popen]:
    port, user, password = _free_port(), "helpdesk", "imap-test-password"
    for sub in ("run", "state", f"home/{user}/Maildir"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "dovecot.conf").write_text(config(root, port, user, password))
    if os.geteuid() == 0:
        _, _, uid, gid = _accounts()
        for path in [root / "home", *(root / "home").rglob("*")]:
            os.chown(path, uid, gid)
        os.chmod(root, 0o755)
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {process.stdout.read().decode()} "
                               f"{_log(root)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                if sock.recv(100).startswith(b"* OK"):
                    return Dovecot("127.0.0.1", port, user, password, root), process
        except OSError:
            time.sleep(0.1)  # waiting for a real server to listen, not for test time
    process.kill()
    raise RuntimeError(f"dovecot did not start: {_log(root)}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _log(root: Path) -> str:
    path = root / "dovecot.log"
    return path.read_text()[-2000:] if path.exists() else ""


def available() -> bool:
    return Path(DOVECOT).exists() and shutil.which("doveconf") is not None
