# inetd: a privilege-separated internet super-server.

PROG=		inetd
SRCS=		parent/parent.c parent/bind.c parent/parse.c \
		parent/printconf.c \
		listener/listener.c listener/builtin.c listener/tcpmux.c \
		listener/confine.c \
		spawner/spawner.c spawner/child.c \
		common/imsg.c common/proc.c common/log.c common/config.c \
		common/pledge.c common/unveil.c
OBJS=		$(SRCS:.c=.o)

PREFIX?=	/usr/local
BINDIR?=	$(PREFIX)/sbin
MANDIR?=	$(PREFIX)/share/man

PKGS=		libbsd-overlay libbsd-ctor libseccomp libevent
CC?=		cc
CFLAGS+=	-O2 -g -Wall -Wextra -Wstrict-prototypes -Wmissing-prototypes \
		-Wshadow -Wpointer-arith -Wcast-qual -Werror \
		-D_GNU_SOURCE -DLIBBSD_OPENBSD_VIS -Icommon \
		$(shell pkg-config --cflags $(PKGS))
LDADD=		$(shell pkg-config --libs $(PKGS))

# Debian packages the build and the tests need.
BUILD_DEPS=	gcc make pkg-config libbsd-dev libseccomp-dev libevent-dev
TEST_DEPS=	$(BUILD_DEPS) iproute2 netcat-openbsd mandoc procps passwd \
		strace util-linux netbase

all: $(PROG)

$(PROG): $(OBJS)
	$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LDADD)

$(OBJS): common/inetd.h

deps:
	@./scripts/deps.sh $(BUILD_DEPS)

test-deps:
	@./scripts/deps.sh $(TEST_DEPS)

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

regress: test-deps
	$(MAKE) all
	$(MAKE) setup
	$(MAKE) -C regress

bench: all
	$(MAKE) -C bench bench

bench-quick: all
	$(MAKE) -C bench quick

install: all setup
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(PROG) $(DESTDIR)$(BINDIR)/$(PROG)
	install -m 0644 man/inetd.conf.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/inetd.8 $(DESTDIR)$(MANDIR)/man8/

lint:
	mandoc -Tlint -Wwarning man/*.[1-9]

clean:
	rm -f $(PROG) $(OBJS)
	-$(MAKE) -C regress clean

.PHONY: all deps test-deps setup demo regress bench bench-quick install \
	lint clean
