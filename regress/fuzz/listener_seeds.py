#!/usr/bin/env python3
# Writes the listener target's seeds (see fuzz_listener.c for the
# format) into corpus/listener beside this script.
import os
import struct

SERVICE, CONF_END, CHILD_START, CHILD_EXIT, ACL, CTL = 3, 4, 6, 7, 12, 19
PARENT, SPAWNER, NET = 0, 1, 2
FD, BUILT = 0x04, 0x20


def msg(flags, type, payload=b""):
    return struct.pack("<BBH", flags, type, len(payload)) + payload


def table(reuse=False):
    out = b""
    for e in range(8):
        # Entry 7 is a tcpmux/ one, which has no socket.
        fd = 0 if e == 7 or reuse else FD
        r = 0x80 | e if reuse and e != 7 else 0
        out += msg(PARENT | BUILT | fd, SERVICE, bytes([e, e, r]))
    return out + msg(PARENT | BUILT, CONF_END, bytes([1, 0, 0]))


def child(type, index, back=0, pid=5, token=0, noexec=0):
    return msg(SPAWNER | BUILT, type,
               bytes([index, back, pid, 0, token, noexec]))


seeds = {
    "table": b"\x01" + table(),
    "spawn": b"\x00" + table() + msg(NET, 0) + msg(NET, 1) +
    msg(NET, 3, b"x") + msg(NET, 4, b"y") +
    child(CHILD_START, 0) + child(CHILD_EXIT, 0) +
    child(CHILD_START, 1, pid=6) + child(CHILD_EXIT, 1, pid=6) +
    child(CHILD_EXIT, 3, pid=0),
    "reload": b"\x02" + table() + msg(NET, 0) + table(reuse=True) +
    child(CHILD_EXIT, 0, back=1) + child(CHILD_EXIT, 2, back=2),
    "control": b"\x03" + table() +
    b"".join(msg(PARENT | BUILT, CTL, bytes([c, 0, 1, 0, 0]))
             for c in (1, 4, 5, 7, 8, 2)),
    "errors": b"\x00" + msg(PARENT, 1, bytes(40)) + msg(PARENT | FD, 2) +
    msg(SPAWNER, 5) + msg(PARENT, ACL, bytes(8)) +
    msg(PARENT | BUILT, CONF_END, bytes([0, 1, 0])),
}
here = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "corpus", "listener")
for name, data in seeds.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(data)
