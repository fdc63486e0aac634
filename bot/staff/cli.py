"""`python -m bot users ...`: staff accounts for the coordinator workspace;
`python -m bot digest`: the coordinator's daily email (bot/staff/digest.py, for cron).

    users add <username> --role coordinator|reviewer [--password-stdin]
    users list
    users disable <username>
    users set-password <username> [--password-stdin]
    digest

Passwords are asked twice with getpass, or read as the first line of stdin.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Optional, Sequence

from bot.settings import get_settings
from bot.staff import digest, passwords, users


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (at least %d characters): " % passwords.MIN_LENGTH)
    if getpass.getpass("Again: ") != first:
        raise users.UserError("the two passwords differ")
    return first


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m bot")
    groups = top.add_subparsers(dest="group", required=True)
    staff = groups.add_parser("users", help="staff accounts of the coordinator workspace")
    commands = staff.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="a new account")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=users.ROLES)
    add.add_argument("--password-stdin", action="store_true")
    commands.add_parser("list", help="every account")
    disable = commands.add_parser("disable", help="no more logins; ends its sessions")
    disable.add_argument("username")
    change = commands.add_parser("set-password", help="new password; lifts a lockout")
    change.add_argument("username")
    change.add_argument("--password-stdin", action="store_true")
    groups.add_parser("digest", help="email the coordinator the cases due soon or overdue")
    return top


def run(args: argparse.Namespace, url: str) -> str:
    if args.command == "add":
        user = users.add_user(args.username, args.role, _password(args.password_stdin), url)
        return f"added {user.username} ({user.role})"
    if args.command == "list":
        return "\n".join(f"{u.username}\t{u.role}\t" + (
            "disabled" if u.disabled else f"locked until {u.locked_until}Z" if u.locked_until
            else "active") for u in users.list_users(url)) or "no users yet"
    if args.command == "disable":
        return f"disabled {users.disable_user(args.username, url).username}"
    user = users.set_password(args.username, _password(args.password_stdin), url)
    return f"new password set for {user.username}"


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parser().parse_args(argv)
    if args.group == "digest":
        print(digest.send_digest(get_settings()).note)
        return 0
    try:
        print(run(args, get_settings().database_url))
    except (users.UserError, passwords.WeakPassword) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
