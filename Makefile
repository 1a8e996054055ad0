# inetd: a privilege-separated internet super-server.

include Makefile.inc

PROG=		inetd
SRCS=		parent/parent.c parent/bind.c parent/parse.c \
		parent/printconf.c parent/safepath.c parent/tlsfiles.c \
		parent/notify.c parent/control.c \
		tls/engine.c tls/forward.c tls/keys.c tls/keysign.c \
		tls/settings.c tls/confine.c tls/tlsproc.c \
		listener/listener.c listener/builtin.c listener/tcpmux.c \
		listener/confine.c listener/source.c listener/proxy.c \
		spawner/spawner.c spawner/child.c spawner/caps.c \
		spawner/kmsg.c \
		common/imsg.c common/proc.c common/log.c common/config.c \
		common/pledge.c common/unveil.c common/acl.c
ifeq ($(SANITIZE),1)
SRCS+=		common/sanitize.c
endif
OBJS=		$(SRCS:.c=.o)
# libbsd's constructor prepares setproctitle(3) for the role titles.
PKGS+=		libbsd-ctor
CFLAGS+=	$(INETD_CFLAGS) -I$(TOP)/tls

PREFIX?=	/usr/local
BINDIR?=	$(PREFIX)/sbin
MANDIR?=	$(PREFIX)/share/man
SYSTEMDUNITDIR?=	/lib/systemd/system

CTL=		inetdctl/inetdctl
CTLSRCS=	inetdctl/inetdctl.c common/imsg.c

all: $(PROG) $(CTL)

$(PROG): $(OBJS) .flavour
	$(CC) $(LDFLAGS) $(INETD_LDFLAGS) -o $@ $(OBJS) $(LDADD)

$(CTL): $(CTLSRCS) common/inetd.h .flavour
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CTLSRCS) $(LDADD)

$(OBJS): common/inetd.h .flavour

deps:
	@./scripts/deps.sh $(BUILD_DEPS)

test-deps:
	@./scripts/deps.sh $(TEST_DEPS)
	@$(MAKE) -s --no-print-directory -C regress daemons

# For CI: the packages the tests need, on one line.
print-test-deps:
	@echo $(TEST_DEPS)

# The privsep user and the listener's empty root.
setup:
	@getent passwd _inetd >/dev/null || \
	    useradd -r -M -d /var/empty -s /usr/sbin/nologin _inetd
	@install -d -o root -g root -m 0755 /var/empty

demo: deps
	$(MAKE) all
	$(MAKE) setup
	install -d -m 0755 /opt/echod
	install -m 0755 examples/echod.sh /opt/echod/echod.sh
	./$(PROG) -d inetd.conf.example

# Builds, runs every regress script and installs nothing: missing test
# tools make tests skip.  "make test-deps regress" installs them first.
regress:
	$(MAKE) -C regress

# The peers the benchmark compares with, from Debian.
bench-deps:
	$(MAKE) -C bench bench-deps

bench: all
	$(MAKE) -C bench bench

bench-quick: all
	$(MAKE) -C bench quick

install: all setup
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(PROG) $(DESTDIR)$(BINDIR)/$(PROG)
	install -m 0755 $(CTL) $(DESTDIR)$(BINDIR)/inetdctl
	install -m 0644 man/inetd.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/inetd.8 man/inetdctl.8 $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|/usr/local/sbin/inetd|$(BINDIR)/$(PROG)|' systemd/inetd.service \
	    > $(DESTDIR)$(SYSTEMDUNITDIR)/inetd.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/inetd.service

lint:
	mandoc -Tlint -Wwarning man/*.[1-9]

clean:
	rm -f $(PROG) $(OBJS) common/sanitize.o $(CTL) .flavour
	-$(MAKE) -C regress clean

.PHONY: all deps test-deps print-test-deps setup demo regress bench-deps \
	bench bench-quick install lint clean
