#!/usr/bin/env python3
# Seeds for the spawner target (see fuzz_spawner.c for the format):
# a valid spawn request for each entry of the harness's table, with
# the descriptor that fits it and with ones that do not, a reload as
# the parent sends it followed by the listener's generation, and the
# protocol errors an honest listener never makes.  Writes into the
# directory given (corpus/spawner).
import os, re, struct, sys

out = sys.argv[1]
top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
os.makedirs(out, exist_ok=True)

# Message types, as common/inetd.h numbers them.
h = open(os.path.join(top, "common", "inetd.h")).read()
types = re.findall(r"^\t(IMSG_[A-Z_]+)", h[h.index("\tIMSG_NONE = 0"):],
                   re.M)
SERVICE, CONF_END, SPAWN, GEN, ACL, CTL = (types.index("IMSG_" + t) for t in
    ("SERVICE", "CONF_END", "SPAWN", "GEN", "ACL", "CTL"))
# The descriptor kinds of fuzz_spawner.c.
TCPNW_CONN, TCPW_LISTEN, UDPW, ACL_REFUSED, ACL_ALLOWED, UNIX_CONN, \
    DEVNULL, TCPNW_LISTEN, TCPW_CONN, TCPNW_CLIENT, MUX_CONN = range(11)


def msg(parent, kind, mtype, payload, fd=False):
    flags = (1 if parent else 0) | kind << 1 | (0x80 if fd else 0)
    return struct.pack("<BBH", flags, mtype, len(payload)) + payload


def spawn(index, kind, token=1, gen=0, hold=False):
    return msg(0, kind, SPAWN, struct.pack("<IiI", index, gen, token), hold)


def reload(gen=1):
    m = b""
    for i in range(8):
        m += msg(1, 0, SERVICE, bytes([i])) + msg(1, 0, ACL, bytes([i]))
    m += msg(1, 0, CONF_END, struct.pack("<III", gen, 8, 8))
    return m + msg(0, 0, GEN, struct.pack("<i", gen))


seeds = {
    "tcpnw": spawn(0, TCPNW_CONN),
    "tcpw": spawn(1, TCPW_LISTEN),
    "udpw": spawn(2, UDPW),
    "unix": spawn(3, UNIX_CONN),
    "acl-allowed": spawn(4, ACL_ALLOWED),
    "acl-refused": spawn(4, ACL_REFUSED),
    "echo": spawn(5, TCPNW_CONN),
    "tcpmux": spawn(6, MUX_CONN),
    "mux": spawn(7, MUX_CONN),
    "wrong-mux": spawn(7, TCPNW_CONN),
    "wrong-devnull": spawn(0, DEVNULL),
    "wrong-listen": spawn(0, TCPNW_LISTEN),
    "wrong-wait-conn": spawn(1, TCPW_CONN),
    "wrong-client": spawn(0, TCPNW_CLIENT),
    "wrong-udp": spawn(1, UDPW),
    "wrong-gen": spawn(0, TCPNW_CONN, gen=1),
    "bad-index": spawn(9, TCPNW_CONN),
    "many": b"".join(spawn(i % 5, k, token=i) for i, k in enumerate(
        [TCPNW_CONN, TCPW_LISTEN, UDPW, UNIX_CONN, ACL_ALLOWED] * 3)),
    "held": b"".join(spawn(i % 5, k, token=i, hold=True) for i, k in
        enumerate([TCPNW_CONN, TCPW_LISTEN, UDPW, UNIX_CONN, ACL_ALLOWED,
                   TCPW_LISTEN])),
    "held-reload": spawn(0, TCPNW_CONN, hold=True) +
        spawn(1, TCPW_LISTEN, token=2, hold=True) + reload() +
        spawn(0, TCPNW_CONN, token=3),
    "held-late": spawn(2, UDPW, hold=True) + reload()[:-8] +
        spawn(0, TCPNW_CONN, token=2, hold=True) +
        msg(0, 0, GEN, struct.pack("<i", 1)) + spawn(1, TCPW_LISTEN, token=3),
    "gen-old": msg(0, 0, GEN, struct.pack("<i", 0)),
    "reload": reload() + spawn(0, TCPNW_CONN) + spawn(1, TCPW_LISTEN),
    "reload-late": reload()[:-8] + spawn(0, TCPNW_CONN, gen=0) +
        msg(0, 0, GEN, struct.pack("<i", 1)) + spawn(2, UDPW),
    "ctl": msg(1, 0, CTL, bytes(8)),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
