#!/usr/bin/env python3
# Seeds for the conf target: every CONF heredoc of regress/t-*.sh, the
# example files and a few classic lines as distributions ship them.
# Shell variables become plausible values.  Writes into the directory
# given; "make fuzz-seed" merges that into corpus/conf (-merge=1).
import glob, os, re, sys

out = sys.argv[1]
top = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
os.makedirs(out, exist_ok=True)
seeds = []
for path in sorted(glob.glob(os.path.join(top, "regress", "t-*.sh"))):
    text = open(path, encoding="utf-8", errors="replace").read()
    for m in re.finditer(r"<<-?'?(CONF)'?\n(.*?)\n\1\n", text, re.S):
        seeds.append(m.group(2) + "\n")
for path in [os.path.join(top, "inetd.conf.example")] + \
        sorted(glob.glob(os.path.join(top, "examples", "*.conf"))):
    seeds.append(open(path, encoding="utf-8").read())
seeds += [
    "ident stream tcp nowait identd /usr/sbin/identd identd\n",
    "discard stream tcp nowait root internal\n"
    "discard dgram udp wait root internal\n"
    "daytime stream tcp nowait root internal\n"
    "time stream tcp6 nowait root internal\n",
    "tftp dgram udp wait.100 nobody:nogroup /usr/sbin/in.tftpd "
    "in.tftpd -s /srv/tftp\n",
    "127.0.0.1:\nfinger stream tcp nowait nobody /usr/sbin/in.fingerd "
    "in.fingerd -w\n*:\nauth stream tcp nowait/10/5 root "
    "/usr/libexec/identd identd -el\n",
    "tcpmux stream tcp nowait root internal\n"
    "tcpmux/+hello stream tcp nowait nobody /bin/echo echo hi\n",
    "/run/echo.sock stream unix nowait root /bin/cat cat\n",
    ".include inc1.conf\n%%\n"
    "echo stream tcp nowait root internal\n",
    ".defaults user=nobody, max-child=4;\n.include inc*.conf\n%%\n"
    "e1 on socktype=stream, protocol=tcp, port=7001, wait=no, "
    "exec=/bin/cat;\n%%\n"
    "e2 on socktype=dgram, protocol=udp, port=7002, wait=yes, "
    "exec=/bin/cat, args=\"cat -u\";\n",
]
n = 0
for s in seeds:
    s = re.sub(r"\$\{?T\}?/(svcinfo|[a-z]+\.sh|bin/[a-z]+)", "/bin/cat", s)
    s = re.sub(r"\$\{?T\}?/conf\.d/\*\.conf", "inc*.conf", s)
    s = re.sub(r"\$\{?[A-Za-z_]+\}?", "x", s)
    with open(os.path.join(out, "seed%03d" % n), "w") as f:
        f.write(s)
    n += 1
print("%d seeds in %s" % (n, out))
