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
 * The pledge promise parser (common/pledge.c pledge_parse) and the unveil
 * rule parser (common/unveil.c unveil_parse).  The input is a promise
 * string, a newline, and an unveil value; byte 0 bit 0 set also builds
 * the seccomp filter of the promises parsed.
 *
 * Invariants:
 *  - a promise string is taken exactly when each of its blank-separated
 *    words is one of the promises of pledge(2) as listed here, and the
 *    set is the union of theirs, within PLEDGE_ALL; the names of a set,
 *    written out, parse to the same set; a refusal says why;
 *  - the rules a set implies (unveil_implied) are absolute paths with
 *    permissions among rwxc and "optional", as many as it says;
 *  - the filter of a set taken builds, no longer than libseccomp's
 *    program for it, and answers as that program does each call made of
 *    the input's bytes (64 at a time, from each byte on; the number
 *    below 512 and the native architecture when the byte before says
 *    so), and is freed;
 *  - an unveil value taken is an absolute path and one word of rwxc
 *    letters after a blank: the path is the value up to that word with
 *    the blanks around it cut, the permissions those letters; the rule
 *    written back as "path perms" parses to the same rule; a refusal
 *    says why.
 */

#include <sys/types.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inetd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* pledge(2)'s promises we implement, in bit order. */
static const char *fs_names[] = {
	"stdio", "rpath", "wpath", "cpath", "dpath", "tmppath", "inet",
	"unix", "dns", "proc", "exec", "id", "getpw", "tty", "flock",
	"fattr", "chown", "sendfd", "recvfd", "prot_exec", "error"
};

static void
fs_fail(const char *what, const char *s)
{
	fprintf(stderr, "sandbox: %s: \"%s\"\n", what, s);
	abort();
}

/* The set the words of s name, or -1 if one is no promise. */
static int
fs_ref_pledge(const char *s, uint64_t *set)
{
	char		*copy, *p, *w;
	size_t		 i;
	int		 rc = 0;

	*set = 0;
	if ((copy = strdup(s)) == NULL)
		abort();
	p = copy;
	while ((w = strsep(&p, " \t")) != NULL) {
		if (*w == '\0')
			continue;
		for (i = 0; i < nitems(fs_names); i++)
			if (strcmp(w, fs_names[i]) == 0)
				break;
		if (i == nitems(fs_names)) {
			rc = -1;
			break;
		}
		*set |= 1ULL << i;
	}
	free(copy);
	return rc;
}

/* The built filter against libseccomp's, on calls made of data. */
static void
fs_compare(const struct pledge_filter *pf, uint64_t set, const uint8_t *data,
    size_t size, const char *s)
{
	struct pledge_filter	 raw;
	struct seccomp_data	 d;
	char			 err[256];
	uint32_t		 ra, rb;
	size_t			 i, j;

	if (pledge_filter_libseccomp(&raw, set, err, sizeof(err)) == -1)
		fs_fail("libseccomp's program of a set taken does not build", s);
	if (pf->pf_len > raw.pf_len)
		fs_fail("a filter longer than libseccomp's", s);
	for (i = 1; i < size; i++) {
		for (j = 0; j < sizeof(d); j++)
			((uint8_t *)&d)[j] = data[(i + j) % size];
		if (data[i - 1] & 1) {
			d.nr = (uint32_t)d.nr % 512;
			d.arch = AUDIT_ARCH_X86_64;
		}
		if (filter_run(raw.pf_insns, raw.pf_len, &d, &ra) != 0 ||
		    filter_run(pf->pf_insns, pf->pf_len, &d, &rb) != 0 ||
		    ra != rb)
			fs_fail("a call the filter answers otherwise", s);
	}
	pledge_filter_free(&raw);
}

static void
fs_pledge(const char *s, int build, const uint8_t *data, size_t size)
{
	struct pledge_filter	 pf;
	struct unveil_rule	 u[32];
	char			 err[256], again[512];
	uint64_t		 set, want, set2;
	size_t			 i, n;
	int			 r;

	err[0] = '\0';
	r = pledge_parse(s, &set, err, sizeof(err));
	if ((r == 0) != (fs_ref_pledge(s, &want) == 0))
		fs_fail(r == 0 ? "promises taken with a word that is none" :
		    "promises refused that are all known", s);
	if (r == -1) {
		if (err[0] == '\0')
			fs_fail("refused without a reason", s);
		return;
	}
	if (set != want || (set & ~PLEDGE_ALL) != 0)
		fs_fail("promises taken as another set", s);
	again[0] = '\0';
	for (i = 0; i < nitems(fs_names); i++)
		if (set & (1ULL << i)) {
			strlcat(again, again[0] ? " " : "", sizeof(again));
			strlcat(again, fs_names[i], sizeof(again));
		}
	if (pledge_parse(again, &set2, err, sizeof(err)) == -1 || set2 != set)
		fs_fail("a set written out parses to another", again);
	n = unveil_implied(set, u, nitems(u));
	if (n > nitems(u))
		fs_fail("more implied rules than room", s);
	for (i = 0; i < n; i++)
		if (u[i].ur_path == NULL || u[i].ur_path[0] != '/' ||
		    (u[i].ur_perms & ~UNVEIL_ALL) != 0 ||
		    (u[i].ur_perms & (UNVEIL_R | UNVEIL_W | UNVEIL_X |
		    UNVEIL_C)) == 0)
			fs_fail("an implied rule that is no rule", s);
	unveil_clear(u, n);
	if (build) {
		memset(&pf, 0, sizeof(pf));
		if (pledge_filter_build(&pf, set, err, sizeof(err)) == -1)
			fs_fail("the filter of a set taken does not build", s);
		if (pf.pf_len == 0 || pf.pf_insns == NULL)
			fs_fail("an empty filter", s);
		fs_compare(&pf, set, data, size, s);
		pledge_filter_free(&pf);
	}
}

static void
fs_unveil(const char *s)
{
	struct unveil_rule	 u, u2;
	char			 err[PATH_MAX + 512], again[PATH_MAX + 16];
	size_t			 len, plen;
	const char		*w;
	int			 perms = 0;

	err[0] = '\0';
	if (unveil_parse(s, &u, err, sizeof(err)) == -1) {
		if (err[0] == '\0')
			fs_fail("unveil refused without a reason", s);
		if (u.ur_path != NULL)
			fs_fail("unveil refused, its path kept", s);
		return;
	}
	/* The last word, after the blanks at the end. */
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	for (w = s + len; w > s && w[-1] != ' ' && w[-1] != '\t'; w--)
		switch (w[-1]) {
		case 'r': perms |= UNVEIL_R; break;
		case 'w': perms |= UNVEIL_W; break;
		case 'x': perms |= UNVEIL_X; break;
		case 'c': perms |= UNVEIL_C; break;
		default:
			fs_fail("unveil taken with a permission not rwxc", s);
		}
	if (w == s || perms == 0 || u.ur_perms != perms)
		fs_fail("unveil permissions are not the last word's", s);
	plen = w - s;
	while (plen > 0 && (s[plen - 1] == ' ' || s[plen - 1] == '\t'))
		plen--;
	if (s[0] != '/' || strlen(u.ur_path) != plen ||
	    memcmp(u.ur_path, s, plen) != 0)
		fs_fail("unveil path is not the value before its word", s);
	snprintf(again, sizeof(again), "%s %s%s%s%s", u.ur_path,
	    perms & UNVEIL_R ? "r" : "", perms & UNVEIL_W ? "w" : "",
	    perms & UNVEIL_X ? "x" : "", perms & UNVEIL_C ? "c" : "");
	if (unveil_parse(again, &u2, err, sizeof(err)) == -1 ||
	    strcmp(u2.ur_path, u.ur_path) != 0 || u2.ur_perms != u.ur_perms)
		fs_fail("an unveil rule written back parses to another",
		    again);
	unveil_clear(&u, 1);
	unveil_clear(&u2, 1);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s, *nl;
	int	 build;

	if (size < 1 || size > 2 * PATH_MAX)
		return 0;
	build = data[0] & 1;
	if ((s = malloc(size)) == NULL)
		abort();
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	if ((nl = strchr(s, '\n')) != NULL)
		*nl++ = '\0';
	fs_pledge(s, build, data, size);
	if (nl != NULL)
		fs_unveil(nl);
	free(s);
	return 0;
}
