"""Raw-protocol fault cases against the proxy's MySQL listener.

Usage: faults.py PORT CASE. Prints the first ERR packet as "code message" (or
"none"); the calling script asserts on it. Standard library only.
"""
import hashlib
import socket
import struct
import sys


def read_packet(s):
    head = b""
    while len(head) < 4:
        chunk = s.recv(4 - len(head))
        if not chunk:
            return None, None
        head += chunk
    n = head[0] | head[1] << 8 | head[2] << 16
    body = b""
    while len(body) < n:
        chunk = s.recv(n - len(body))
        if not chunk:
            return None, None
        body += chunk
    return head[3], body


def write_packet(s, seq, payload):
    s.sendall(struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload)


def err_text(payload):
    if payload is None:
        return "closed"
    if payload[:1] != b"\xff":
        return "none"
    code = struct.unpack("<H", payload[1:3])[0]
    msg = payload[3:]
    if msg[:1] == b"#":
        msg = msg[6:]
    return "%d %s" % (code, msg.decode(errors="replace"))


def native_token(password, scramble):
    p1 = hashlib.sha1(password).digest()
    p2 = hashlib.sha1(p1).digest()
    p3 = hashlib.sha1(scramble + p2).digest()
    return bytes(a ^ b for a, b in zip(p1, p3))


def login(s, password=b"app"):
    _, greeting = read_packet(s)
    rest = greeting[1:]
    rest = rest[rest.index(b"\0") + 1:]
    part1 = rest[4:12]
    part2 = rest[31:31 + 12]
    scramble = part1 + part2
    caps = (1 << 9) | (1 << 15) | (1 << 19) | (1 << 3) | (1 << 13) | (1 << 16) | (1 << 17)
    token = native_token(password, scramble)
    payload = struct.pack("<IIB", caps, 1 << 24, 45) + b"\0" * 23 + b"app\0"
    payload += bytes([len(token)]) + token + b"app\0mysql_native_password\0"
    write_packet(s, 1, payload)
    _, reply = read_packet(s)
    return reply


def main():
    port, case = int(sys.argv[1]), sys.argv[2]
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    if case == "bad_handshake":
        read_packet(s)
        write_packet(s, 1, b"\x01\x02garbage")
        print(err_text(read_packet(s)[1]))
    elif case == "http_garbage":
        read_packet(s)
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        print(err_text(read_packet(s)[1]))
    elif case == "unknown_command":
        assert login(s)[:1] == b"\x00"
        write_packet(s, 0, b"\x77junk")
        print(err_text(read_packet(s)[1]))
    elif case == "oversized":
        assert login(s)[:1] == b"\x00"
        write_packet(s, 0, b"\x03SELECT '" + b"x" * 70000 + b"'")
        print(err_text(read_packet(s)[1]))
    elif case == "query":
        reply = login(s)
        if reply[:1] != b"\x00":
            print(err_text(reply))
            return
        write_packet(s, 0, b"\x03" + sys.argv[3].encode())
        print(err_text(read_packet(s)[1]))
    elif case == "drop_in_transaction":
        assert login(s)[:1] == b"\x00"
        for q in (b"BEGIN", b"UPDATE items SET name = 'held' WHERE id = 1"):
            write_packet(s, 0, b"\x03" + q)
            _, reply = read_packet(s)
            assert reply[:1] == b"\x00", err_text(reply)
        s.close()  # mid-transaction, holding a row lock
        print("dropped")


main()
