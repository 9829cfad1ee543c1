#!/usr/bin/env python3
"""bench/proxy/idle_clients.py: open N client connections, log each one in fully, then hold
them idle until told to stop. Used by bench/proxy/idle-clients to measure a proxy's memory
per idle client; standard library only (asyncio + raw sockets).

  idle_clients.py --protocol pg    --port 6710 --user app_trust --database app -n 2000
  idle_clients.py --protocol mysql --port 6712 --user app --password app --database app -n 500

PostgreSQL: StartupMessage v3.0, then AuthenticationOk (trust), cleartext or md5
(AuthenticationCleartextPassword / MD5Password; SCRAM is not spoken), ParameterStatus,
BackendKeyData, NoticeResponse, until ReadyForQuery. MySQL: HandshakeV10 ->
HandshakeResponse41 with mysql_native_password (SHA1 scramble), AuthSwitchRequest to
mysql_native_password, until OK. An ErrorResponse / ERR packet, a closed socket or a
timeout is an error that names the connection and the server's message.

Protocol on stdout (one line each, flushed):
  READY <n>                  every one of the n connections is logged in and idle
  FAILED <n_ok> <first error> (and exit status 1): not every connection logged in
  DONE open=<k> closed_by_server=<m>   after SIGTERM/SIGINT/stdin EOF (with --stdin):
                             how many were still open; each open one then gets a
                             Terminate / COM_QUIT and is closed after the server closes it
                             (so TIME_WAIT lands on the server side, not on our ports).
Progress and errors go to stderr. The process raises its soft fd limit to the hard limit
and refuses to start if N connections cannot fit under it.
"""
import argparse
import asyncio
import hashlib
import resource
import signal
import struct
import sys
import time


class LoginError(Exception):
    pass


# ---------------------------------------------------------------------------- PostgreSQL
def pg_startup(user, database):
    body = struct.pack("!I", 196608)
    for k, v in (("user", user), ("database", database), ("application_name", "idle_clients")):
        body += k.encode() + b"\0" + v.encode() + b"\0"
    body += b"\0"
    return struct.pack("!I", len(body) + 4) + body


def pg_error_fields(payload):
    fields = {}
    for part in payload.split(b"\0"):
        if part:
            fields[chr(part[0])] = part[1:].decode(errors="replace")
    return "%s %s: %s" % (fields.get("S", "ERROR"), fields.get("C", "?????"), fields.get("M", ""))


async def pg_login(reader, writer, args):
    writer.write(pg_startup(args.user, args.database))
    await writer.drain()
    while True:
        head = await reader.readexactly(5)
        kind, length = head[:1], struct.unpack("!I", head[1:])[0]
        payload = await reader.readexactly(length - 4)
        if kind == b"R":
            code = struct.unpack("!I", payload[:4])[0]
            if code == 0:
                continue
            if code == 3:  # cleartext
                pw = args.password.encode() + b"\0"
                writer.write(b"p" + struct.pack("!I", len(pw) + 4) + pw)
            elif code == 5:  # md5
                inner = hashlib.md5(args.password.encode() + args.user.encode()).hexdigest()
                outer = "md5" + hashlib.md5(inner.encode() + payload[4:8]).hexdigest()
                pw = outer.encode() + b"\0"
                writer.write(b"p" + struct.pack("!I", len(pw) + 4) + pw)
            else:
                raise LoginError("server asks for authentication method %d; this tool speaks "
                                 "trust, cleartext and md5 (use a trust user such as app_trust)" % code)
            await writer.drain()
        elif kind in (b"S", b"K", b"N"):
            continue
        elif kind == b"E":
            raise LoginError(pg_error_fields(payload))
        elif kind == b"Z":
            return
        else:
            raise LoginError("unexpected message %r during startup" % kind)


def pg_terminate():
    return b"X" + struct.pack("!I", 4)


# ---------------------------------------------------------------------------- MySQL
async def my_read_packet(reader):
    head = await reader.readexactly(4)
    length = head[0] | head[1] << 8 | head[2] << 16
    return head[3], await reader.readexactly(length)


def my_packet(seq, payload):
    n = len(payload)
    return bytes((n & 0xFF, (n >> 8) & 0xFF, (n >> 16) & 0xFF, seq & 0xFF)) + payload


def native_token(password, scramble):
    if not password:
        return b""
    s1 = hashlib.sha1(password.encode()).digest()
    s2 = hashlib.sha1(s1).digest()
    s3 = hashlib.sha1(scramble + s2).digest()
    return bytes(a ^ b for a, b in zip(s1, s3))


def my_error(payload):
    code = struct.unpack("<H", payload[1:3])[0]
    rest = payload[3:]
    state = ""
    if rest[:1] == b"#":
        state, rest = rest[1:6].decode(), rest[6:]
    return "ERROR %d (%s): %s" % (code, state, rest.decode(errors="replace"))


CLIENT_LONG_PASSWORD = 0x1
CLIENT_CONNECT_WITH_DB = 0x8
CLIENT_PROTOCOL_41 = 0x200
CLIENT_TRANSACTIONS = 0x2000
CLIENT_SECURE_CONNECTION = 0x8000
CLIENT_MULTI_RESULTS = 0x20000
CLIENT_PLUGIN_AUTH = 0x80000


async def my_login(reader, writer, args):
    seq, hs = await my_read_packet(reader)
    if hs[:1] == b"\xff":
        raise LoginError(my_error(hs))
    if hs[0] != 10:
        raise LoginError("handshake protocol version %d, expected 10" % hs[0])
    pos = hs.index(b"\0", 1) + 1  # server version
    pos += 4  # connection id
    scramble = hs[pos:pos + 8]
    pos += 8 + 1  # filler
    caps = struct.unpack("<H", hs[pos:pos + 2])[0]
    pos += 2 + 1 + 2  # charset, status
    caps |= struct.unpack("<H", hs[pos:pos + 2])[0] << 16
    pos += 2
    data_len = hs[pos]
    pos += 1 + 10
    if caps & CLIENT_SECURE_CONNECTION:
        n = max(13, data_len - 8)
        scramble += hs[pos:pos + n].rstrip(b"\0")
        pos += n
    plugin = "mysql_native_password"
    if caps & CLIENT_PLUGIN_AUTH and pos < len(hs):
        plugin = hs[pos:].split(b"\0")[0].decode()
    token = native_token(args.password, scramble[:20]) if plugin == "mysql_native_password" else b""
    flags = (CLIENT_LONG_PASSWORD | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS
             | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS | CLIENT_PLUGIN_AUTH)
    resp = struct.pack("<IIB", flags, 1 << 24, 45) + b"\0" * 23
    resp += args.user.encode() + b"\0" + bytes((len(token),)) + token
    resp += args.database.encode() + b"\0" + b"mysql_native_password\0"
    writer.write(my_packet(seq + 1, resp))
    await writer.drain()
    while True:
        seq, p = await my_read_packet(reader)
        if p[:1] == b"\x00":
            return
        if p[:1] == b"\xff":
            raise LoginError(my_error(p))
        if p[:1] == b"\xfe":  # AuthSwitchRequest
            name, _, data = p[1:].partition(b"\0")
            if name != b"mysql_native_password":
                raise LoginError("server switches to %s; this tool speaks mysql_native_password"
                                 % name.decode(errors="replace"))
            writer.write(my_packet(seq + 1, native_token(args.password, data.rstrip(b"\0")[:20])))
            await writer.drain()
            continue
        raise LoginError("unexpected packet 0x%02x during authentication" % p[0])


def my_quit():
    return my_packet(0, b"\x01")


# ---------------------------------------------------------------------------- driver
class Conn:
    __slots__ = ("reader", "writer", "closed_by_server", "watch")

    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer
        self.closed_by_server = False
        self.watch = None


async def watch(conn):
    # An idle client reads nothing; anything the server sends (ParameterStatus, notices) is
    # ignored, EOF means the server dropped us.
    try:
        while True:
            if not await conn.reader.read(65536):
                conn.closed_by_server = True
                return
    except (ConnectionError, OSError):
        conn.closed_by_server = True


async def open_one(i, args, sem):
    async with sem:
        try:
            reader, writer = await asyncio.wait_for(
                asyncio.open_connection(args.host, args.port, limit=65536), args.timeout)
            login = pg_login if args.protocol == "pg" else my_login
            await asyncio.wait_for(login(reader, writer, args), args.timeout)
        except LoginError as e:
            raise LoginError("connection %d: %s" % (i, e)) from None
        except asyncio.TimeoutError:
            raise LoginError("connection %d: no login within %.0fs" % (i, args.timeout)) from None
        except asyncio.IncompleteReadError:
            raise LoginError("connection %d: server closed the connection during login" % i) from None
        except OSError as e:
            raise LoginError("connection %d: %s" % (i, e)) from None
        return Conn(reader, writer)


async def close_one(conn, args):
    try:
        if not conn.closed_by_server:
            conn.writer.write(pg_terminate() if args.protocol == "pg" else my_quit())
            await conn.writer.drain()
            # Let the server close first.
            await asyncio.wait_for(asyncio.shield(conn.watch), 5)
    except (asyncio.TimeoutError, OSError, ConnectionError):
        pass
    conn.watch.cancel()
    conn.writer.close()


def raise_fd_limit(n):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        soft = hard
    if n + 50 > soft:
        print("FAILED 0 fd limit %d is too low for %d connections (raise ulimit -n)" % (soft, n),
              flush=True)
        sys.exit(1)
    return soft


async def main(args):
    fd_limit = raise_fd_limit(args.n)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    sem = asyncio.Semaphore(args.concurrency)
    t0 = time.monotonic()
    tasks = [asyncio.ensure_future(open_one(i, args, sem)) for i in range(args.n)]
    done, _ = await asyncio.wait(tasks)
    conns, errors = [], []
    for t in tasks:
        if t.exception() is not None:
            errors.append(str(t.exception()))
        else:
            conns.append(t.result())
    for c in conns:
        c.watch = asyncio.ensure_future(watch(c))
    elapsed = time.monotonic() - t0
    if errors:
        print("idle_clients: %d of %d connections failed; first: %s" % (len(errors), args.n, errors[0]),
              file=sys.stderr, flush=True)
        print("FAILED %d %s" % (len(conns), errors[0]), flush=True)
        await asyncio.gather(*(close_one(c, args) for c in conns))
        return 1
    print("idle_clients: %d connections logged in in %.1fs (fd limit %d)" % (len(conns), elapsed, fd_limit),
          file=sys.stderr, flush=True)
    print("READY %d" % len(conns), flush=True)
    if args.hold:
        if args.stdin:
            loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.read(1) else None)
        await stop.wait()
    dropped = sum(1 for c in conns if c.closed_by_server)
    print("DONE open=%d closed_by_server=%d" % (len(conns) - dropped, dropped), flush=True)
    await asyncio.gather(*(close_one(c, args) for c in conns))
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--protocol", choices=("pg", "mysql"), required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password", default="")
    ap.add_argument("--database", default="app")
    ap.add_argument("-n", type=int, required=True, help="connections to open")
    ap.add_argument("--concurrency", type=int, default=100, help="logins in flight at once")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per connection login")
    ap.add_argument("--no-hold", dest="hold", action="store_false",
                    help="close the connections as soon as all are logged in (warm-up)")
    ap.add_argument("--stdin", action="store_true", help="also stop when stdin reaches EOF")
    sys.exit(asyncio.run(main(ap.parse_args())))
