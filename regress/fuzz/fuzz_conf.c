/*
 * Copyright (c) 2026 the inetd authors.
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * The configuration parser, parent/parse.c, through conf_load() on real
 * files: the input is cut at lines "%%" into inetd.conf and the files
 * inc1.conf .. inc3.conf beside it, so that .include has something to
 * find.  They live in a private directory under /tmp, which the file
 * checks accept (root-owned, sticky).
 *
 * Invariants, for a file that loads:
 *  - loading it again gives the same inetd -n printout (the parse keeps
 *    no state from one load to the next);
 *  - every entry, packed for the listener and for the spawner as the
 *    parent sends it, is accepted by servconf_unpack() and packs again
 *    to the same bytes (what the parser accepts, the children's checks
 *    accept, and nothing is lost on the way).
 * The printout is a description, not inetd.conf notation, so it cannot
 * be parsed again; the wire round trip is the check that can be made.
 *
 * Host names are not looked up: getaddrinfo(3) gets AI_NUMERICHOST
 * (linked with --wrap), so a run never waits on DNS; .include globs
 * outside the private directory match nothing, so a run never walks
 * the file system.  Users and groups are looked up by one process for
 * the whole run: the end of each load's (names_done(), linked with
 * --wrap) is skipped, or a new process per load would be most of the
 * time; it is a fork (fuzzlookup.c).
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <err.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

#define FC_NFILES	4
#define FC_SEP		"\n%%\n"
#define FC_ROLE(r)	((r) == ROLE_SPAWNER ? "spawner" : "listener")

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	__real_getaddrinfo(const char *, const char *,
	    const struct addrinfo *, struct addrinfo **);
int	__wrap_getaddrinfo(const char *, const char *,
	    const struct addrinfo *, struct addrinfo **);
void	__wrap_names_done(void);
int	__real_glob(const char *, int, int (*)(const char *, int), glob_t *);
int	__wrap_glob(const char *, int, int (*)(const char *, int), glob_t *);

static char	 fc_dir[] = "/tmp/fuzzconf.XXXXXX";
static char	 fc_main[64];
static int	 fc_out = -1;

int
__wrap_getaddrinfo(const char *host, const char *serv,
    const struct addrinfo *hints, struct addrinfo **res)
{
	struct addrinfo	 h;

	h = *hints;
	h.ai_flags |= AI_NUMERICHOST;
	return __real_getaddrinfo(host, serv, &h, res);
}

void
__wrap_names_done(void)
{
}

int
__wrap_glob(const char *pattern, int flags, int (*errfn)(const char *, int),
    glob_t *g)
{
	if (strncmp(pattern, fc_dir, strlen(fc_dir)) != 0 ||
	    strstr(pattern, "..") != NULL)
		return GLOB_NOMATCH;
	return __real_glob(pattern, flags, errfn, g);
}

static void
fc_setup(void)
{
	if (mkdtemp(fc_dir) == NULL)
		err(1, "mkdtemp");
	snprintf(fc_main, sizeof(fc_main), "%s/inetd.conf", fc_dir);
	if ((fc_out = memfd_create("printconf", MFD_CLOEXEC)) == -1)
		err(1, "memfd_create");
	log_init(1, 0);
}

static void
fc_cleanup(void)
{
	char	 path[64];
	int	 i;

	for (i = 0; i < FC_NFILES; i++) {
		if (i == 0)
			strlcpy(path, fc_main, sizeof(path));
		else
			snprintf(path, sizeof(path), "%s/inc%d.conf", fc_dir,
			    i);
		unlink(path);
	}
	rmdir(fc_dir);
}

static void
fc_write(int i, const uint8_t *p, size_t len)
{
	char	 path[64];
	int	 fd;

	if (i == 0)
		strlcpy(path, fc_main, sizeof(path));
	else
		snprintf(path, sizeof(path), "%s/inc%d.conf", fc_dir, i);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) == -1)
		err(1, "%s", path);
	if (write(fd, p, len) != (ssize_t)len)
		err(1, "write %s", path);
	close(fd);
}

/* The inetd -n printout of c, malloc'd, its length in *len. */
static char *
fc_print(const struct conf *c, size_t *len)
{
	char	*buf;
	off_t	 n;
	int	 save;

	fflush(stdout);
	if (ftruncate(fc_out, 0) == -1 || lseek(fc_out, 0, SEEK_SET) == -1)
		err(1, "memfd");
	if ((save = dup(STDOUT_FILENO)) == -1 ||
	    dup2(fc_out, STDOUT_FILENO) == -1)
		err(1, "dup");
	printconf(c, 0);
	fflush(stdout);
	if (dup2(save, STDOUT_FILENO) == -1)
		err(1, "dup2");
	close(save);
	if ((n = lseek(fc_out, 0, SEEK_END)) == -1)
		err(1, "lseek");
	if ((buf = malloc(n + 1)) == NULL)
		err(1, "malloc");
	if (pread(fc_out, buf, n, 0) != n)
		err(1, "pread");
	buf[n] = '\0';
	*len = n;
	return buf;
}

/*
 * With FUZZ_DUMP_SERVICE set to a directory, each payload as the service
 * target takes it (a role byte, then the payload): its seeds.
 */
static void
fc_dump(const struct ibuf *b, enum role to)
{
	static int	 n;
	const char	*dir;
	char		 path[PATH_MAX];
	u_char		 r = to == ROLE_SPAWNER;
	FILE		*f;

	if ((dir = getenv("FUZZ_DUMP_SERVICE")) == NULL)
		return;
	snprintf(path, sizeof(path), "%s/entry%04d", dir, n++);
	if ((f = fopen(path, "w")) == NULL)
		err(1, "%s", path);
	fwrite(&r, 1, 1, f);
	fwrite(b->ib_buf, 1, b->ib_len, f);
	fclose(f);
}

/* An entry over the wire to role and back, packed the same again. */
static void
fc_wire(const struct servconf *se, enum role to)
{
	struct ibuf	 a, b;
	struct imsg	 im;
	struct servconf	*u;

	ibuf_init(&a);
	servconf_pack(se, &a, to);
	if (a.ib_error || a.ib_len > IMSG_MAXSIZE - sizeof(struct imsg_hdr))
		goto out;	/* the parent refuses to send it */
	fc_dump(&a, to);
	memset(&im, 0, sizeof(im));
	im.hdr.type = IMSG_SERVICE;
	im.fd = -1;
	im.data = a.ib_buf;
	im.datalen = a.ib_len;
	if ((u = servconf_unpack(&im, to)) == NULL) {
		fprintf(stderr, "%s:%d: %s/%s: refused by the %s's unpack\n",
		    se->se_file, se->se_line, se->se_service, se->se_proto,
		    FC_ROLE(to));
		abort();
	}
	/* The rules themselves follow in IMSG_ACL (acl_take). */
	u->se_nacl = u->se_naclwant;
	ibuf_init(&b);
	servconf_pack(u, &b, to);
	u->se_nacl = 0;
	if (b.ib_len != a.ib_len || memcmp(a.ib_buf, b.ib_buf, a.ib_len)) {
		fprintf(stderr, "%s:%d: %s/%s: packs differently after the "
		    "%s's unpack\n", se->se_file, se->se_line,
		    se->se_service, se->se_proto, FC_ROLE(to));
		abort();
	}
	ibuf_free(&b);
	servconf_free(u);
 out:
	ibuf_free(&a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 ready;
	const uint8_t		*p = data, *end = data + size, *sep;
	struct conf		*c1, *c2;
	struct servconf		*se;
	char			*o1, *o2;
	size_t			 l1, l2;
	int			 i;

	if (!ready) {
		fc_setup();
		atexit(fc_cleanup);
		ready = 1;
	}
	for (i = 0; i < FC_NFILES; i++) {
		sep = p == end ? NULL : memmem(p, end - p, FC_SEP,
		    strlen(FC_SEP));
		if (sep == NULL || i == FC_NFILES - 1)
			sep = end;
		fc_write(i, p, sep - p);
		p = sep == end ? end : sep + strlen(FC_SEP);
	}
	if ((c1 = conf_load(fc_main)) == NULL)
		return 0;
	if ((c2 = conf_load(fc_main)) == NULL) {
		fprintf(stderr, "loaded once, refused the second time\n");
		abort();
	}
	o1 = fc_print(c1, &l1);
	o2 = fc_print(c2, &l2);
	if (l1 != l2 || memcmp(o1, o2, l1) != 0) {
		fprintf(stderr, "two loads print differently:\n%s---\n%s",
		    o1, o2);
		abort();
	}
	TAILQ_FOREACH(se, &c1->c_services, se_entry) {
		fc_wire(se, ROLE_LISTENER);
		fc_wire(se, ROLE_SPAWNER);
	}
	free(o1);
	free(o2);
	conf_free(c1);
	conf_free(c2);
	return 0;
}
