# inetd: a privilege-separated internet super-server.

include Makefile.inc

PROG=		inetd
COMMON_SRCS=	common/imsg.c common/proc.c common/log.c common/config.c \
		common/pledge.c common/filtertree.c common/unveil.c common/acl.c \
		tls/settings.c
ifeq ($(SANITIZE),1)
COMMON_SRCS+=	common/sanitize.c
endif
SRCS=		parent/parent.c parent/bind.c parent/parse.c \
		parent/printconf.c parent/safepath.c parent/tlsfiles.c \
		parent/notify.c parent/control.c parent/names.c \
		listener/listener.c listener/builtin.c listener/tcpmux.c \
		listener/confine.c listener/source.c listener/proxy.c \
		spawner/spawner.c spawner/child.c spawner/caps.c \
		spawner/kmsg.c $(COMMON_SRCS)
OBJS=		$(SRCS:.c=.o)
# The roles that need OpenSSL, in a program of their own (tls/main.c):
# the parent, the listener and the spawner do not map libcrypto.
TLSPROG=	inetd-tls
TLSSRCS=	tls/main.c tls/check.c tls/engine.c tls/forward.c tls/keys.c \
		tls/keysign.c tls/confine.c tls/tlsproc.c $(COMMON_SRCS)
TLSOBJS=	$(filter tls/%.o,$(TLSSRCS:.c=.o))
# libbsd's constructor prepares setproctitle(3) for the role titles.
PKGS+=		libbsd-ctor
CFLAGS+=	$(INETD_CFLAGS) -I$(TOP)/tls

PREFIX?=	/usr/local
BINDIR?=	$(PREFIX)/sbin
MANDIR?=	$(PREFIX)/share/man
SYSTEMDUNITDIR?=	/lib/systemd/system

CTL=		inetdctl/inetdctl
CTLSRCS=	inetdctl/inetdctl.c common/imsg.c

# make coverage (scripts/coverage.sh) builds with COVERAGE=1: the same
# objects with gcov's counters, which common/coverage.c writes to
# COVDIR; .buildflags makes the next build without it start afresh.
COVDIR=		$(CURDIR)/coverage
ifdef COVERAGE
COVDEFS=	-DINETD_COVERAGE -DINETD_COVERAGE_DIR='"$(COVDIR)/data"'
$(OBJS) $(TLSOBJS): CFLAGS+=	-O0 --coverage -fprofile-info-section=gcov_info $(COVDEFS)
common/coverage.o: CFLAGS+=	$(COVDEFS)
COVOBJS=	common/coverage.o
INETD_LDFLAGS+=	--coverage
endif

all: $(PROG) $(TLSPROG) $(CTL)

$(PROG): $(OBJS) $(COVOBJS) .flavour
	$(CC) $(LDFLAGS) $(INETD_LDFLAGS) -o $@ $(OBJS) $(COVOBJS) $(LDADD)

$(TLSPROG): $(TLSSRCS:.c=.o) $(COVOBJS) .flavour
	$(CC) $(LDFLAGS) $(INETD_LDFLAGS) -o $@ $(TLSSRCS:.c=.o) $(COVOBJS) \
	    $(LDADD) $(TLS_LDADD)

$(CTL): $(CTLSRCS) common/inetd.h .flavour
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CTLSRCS) $(LDADD)

$(OBJS) $(TLSOBJS) common/coverage.o: common/inetd.h .buildflags .flavour
$(TLSOBJS) parent/tlsfiles.o: tls/tlscheck.h

.buildflags: FORCE
	@echo 'COVERAGE=$(COVERAGE)' | cmp -s - $@ || \
	    echo 'COVERAGE=$(COVERAGE)' > $@

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

# libFuzzer targets for the parsers and channel handlers (regress/fuzz):
# each replays its past findings, then fuzzes for FUZZ_SECONDS (60).
# fuzz-smoke is the short run CI makes.
FUZZ_SECONDS?=	60

fuzz:
	$(MAKE) -C regress/fuzz fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

fuzz-smoke:
	$(MAKE) -C regress/fuzz smoke

# The peers the benchmark compares with, from Debian.
bench-deps:
	$(MAKE) -C bench bench-deps

bench: all
	$(MAKE) -C bench bench

bench-quick: all
	$(MAKE) -C bench quick

# On a live system install creates the user and the empty root too; a
# package build (DESTDIR set) must not, as it runs unprivileged and its
# maintainer scripts do that on the target.
INSTALL_SETUP=	$(if $(DESTDIR),,setup)

install: all $(INSTALL_SETUP)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(PROG) $(DESTDIR)$(BINDIR)/$(PROG)
	install -m 0755 $(TLSPROG) $(DESTDIR)$(BINDIR)/$(TLSPROG)
	install -m 0755 $(CTL) $(DESTDIR)$(BINDIR)/inetdctl
	install -m 0644 man/inetd.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/inetd.8 man/inetdctl.8 $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|/usr/local/sbin/|$(BINDIR)/|' systemd/inetd.service \
	    > $(DESTDIR)$(SYSTEMDUNITDIR)/inetd.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/inetd.service

# Regress on a build with gcov's counters, then line coverage per file.
coverage:
	@./scripts/coverage.sh

lint:
	mandoc -Tlint -Wwarning man/*.[1-9]

clean:
	rm -f $(PROG) $(OBJS) $(TLSPROG) $(TLSOBJS) $(CTL) common/coverage.o \
	    common/sanitize.o \
	    .buildflags .flavour
	rm -f $(SRCS:.c=.gcno) $(SRCS:.c=.gcda) $(TLSSRCS:.c=.gcno) \
	    $(TLSSRCS:.c=.gcda)
	rm -rf coverage
	-$(MAKE) -C regress clean
	-$(MAKE) -C regress/fuzz clean

.PHONY: all deps test-deps print-test-deps setup demo regress fuzz fuzz-smoke \
	bench-deps bench bench-quick install coverage lint clean FORCE
