"""A minimal MySQL text-protocol client for the freshness tests (standard
library only), with a choice the stock clients do not offer: whether to
negotiate CLIENT_SESSION_TRACK (without it the proxy learns a commit's GTID by
asking the server instead of reading it from the OK packet).

Usage: my_client.py PORT [--no-session-track] < statements
Runs each input line as one COM_QUERY; prints each result row's values
tab-separated; "ERROR code message" for an ERR (and carries on).
"""
import hashlib
import socket
import struct
import sys

PROTOCOL_41 = 1 << 9
SECURE_CONNECTION = 1 << 15
PLUGIN_AUTH = 1 << 19
CONNECT_WITH_DB = 1 << 3
TRANSACTIONS = 1 << 13
MULTI_RESULTS = 1 << 17
SESSION_TRACK = 1 << 23


class Conn:
    def __init__(self, port, session_track):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.caps = PROTOCOL_41 | SECURE_CONNECTION | PLUGIN_AUTH | CONNECT_WITH_DB | \
            TRANSACTIONS | MULTI_RESULTS
        if session_track:
            self.caps |= SESSION_TRACK
        self.login()

    def read(self):
        head = self.recv(4)
        n = head[0] | head[1] << 8 | head[2] << 16
        return self.recv(n)

    def recv(self, n):
        out = b""
        while len(out) < n:
            chunk = self.s.recv(n - len(out))
            if not chunk:
                raise EOFError("connection closed")
            out += chunk
        return out

    def write(self, seq, payload):
        self.s.sendall(struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload)

    def login(self):
        greeting = self.read()
        rest = greeting[1:]
        rest = rest[rest.index(b"\0") + 1:]
        scramble = rest[4:12] + rest[31:31 + 12]
        p1 = hashlib.sha1(b"app").digest()
        p3 = hashlib.sha1(scramble + hashlib.sha1(p1).digest()).digest()
        token = bytes(a ^ b for a, b in zip(p1, p3))
        payload = struct.pack("<IIB", self.caps, 1 << 24, 45) + b"\0" * 23 + b"app\0"
        payload += bytes([len(token)]) + token + b"app\0mysql_native_password\0"
        self.write(1, payload)
        reply = self.read()
        if reply[:1] != b"\x00":
            raise RuntimeError("login failed: %r" % reply)

    @staticmethod
    def lenenc(b, i):
        c = b[i]
        if c < 0xFB:
            return c, i + 1
        if c == 0xFC:
            return b[i + 1] | b[i + 2] << 8, i + 3
        if c == 0xFD:
            return b[i + 1] | b[i + 2] << 8 | b[i + 3] << 16, i + 4
        return struct.unpack("<Q", b[i + 1:i + 9])[0], i + 9

    def query(self, sql):
        """Rows (lists of str or None), or the string 'ERROR code message'."""
        self.write(0, b"\x03" + sql.encode())
        first = self.read()
        if first[:1] == b"\xff":
            msg = first[3:]
            if msg[:1] == b"#":
                msg = msg[6:]
            return "ERROR %d %s" % (struct.unpack("<H", first[1:3])[0], msg.decode())
        if first[:1] == b"\x00":
            return []
        columns, _ = self.lenenc(first, 0)
        for _ in range(columns):
            self.read()
        self.read()  # EOF (no DEPRECATE_EOF)
        rows = []
        while True:
            p = self.read()
            if p[:1] == b"\xfe" and len(p) < 9:
                return rows
            row, i = [], 0
            while i < len(p):
                if p[i] == 0xFB:
                    row.append(None)
                    i += 1
                    continue
                n, i = self.lenenc(p, i)
                row.append(p[i:i + n].decode())
                i += n
            rows.append(row)


def main():
    port = int(sys.argv[1])
    conn = Conn(port, "--no-session-track" not in sys.argv)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        result = conn.query(line)
        if isinstance(result, str):
            print(result)
            continue
        for row in result:
            print("\t".join("NULL" if v is None else v for v in row))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
