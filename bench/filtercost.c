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
 * filtercost [-n children] [-r rounds] [promises ...]: what a pledge's
 * seccomp filter costs each child that loads it, apart from everything
 * else a connection costs.
 *
 * The spawner's children each load their service's filter between
 * vfork and execve, and the kernel checks, converts and compiles the
 * program anew every time.  Here vfork children do only that and exit:
 *
 *	none		nothing: the vfork, the exit and the reaping
 *	one		a filter of one instruction (allow): what any filter
 *			costs however short
 *	PROMISES	the filter the spawner builds for that promise set
 *			(common/pledge.c, the same code), loaded as a child
 *			loads it (pledge_filter_apply)
 *
 * Rounds interleave the kinds; the median of the rounds is printed, one
 * markdown table: the filter's length in instructions, microseconds per
 * child, and what the filter adds to a child that loads none.  Default
 * promises: "stdio", "stdio rpath", "stdio inet dns".
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inetd.h"

#define FC_MAXKINDS	16
#define FC_MAXROUNDS	15

struct fc_kind {
	const char		*k_name;
	struct pledge_filter	 k_filter;	/* empty: none or one */
	int			 k_one;
	double			 k_us[FC_MAXROUNDS];
};

static double
fc_now(void)
{
	struct timespec	 ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(1, "clock_gettime");
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
fc_one(void)
{
	struct sock_filter	 allow = BPF_STMT(BPF_RET | BPF_K,
				    SECCOMP_RET_ALLOW);
	struct sock_fprog	 prog = { 1, &allow };

	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/* n children of one kind; microseconds per child. */
static double
fc_run(const struct fc_kind *k, int n)
{
	double	 t0;
	pid_t	 pid;
	int	 i, status;

	t0 = fc_now();
	for (i = 0; i < n; i++) {
		if ((pid = vfork()) == -1)
			err(1, "vfork");
		if (pid == 0) {
			if (k->k_one && fc_one() == -1)
				_exit(1);
			if (k->k_filter.pf_len > 0 &&
			    pledge_filter_apply(&k->k_filter, NULL) == -1)
				_exit(1);
			_exit(0);
		}
		if (waitpid(pid, &status, 0) == -1)
			err(1, "waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			errx(1, "%s: a child could not load its filter",
			    k->k_name);
	}
	return (fc_now() - t0) / n * 1e6;
}

static int
fc_cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
fc_median(const struct fc_kind *k, int rounds)
{
	double	 v[FC_MAXROUNDS];

	memcpy(v, k->k_us, rounds * sizeof(v[0]));
	qsort(v, rounds, sizeof(v[0]), fc_cmp);
	return rounds % 2 ? v[rounds / 2] :
	    (v[rounds / 2 - 1] + v[rounds / 2]) / 2;
}

static void
usage(void)
{
	fprintf(stderr, "usage: filtercost [-n children] [-r rounds] "
	    "[promises ...]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static const char *defaults[] = { "stdio", "stdio rpath",
	    "stdio inet dns" };
	struct fc_kind	 kinds[FC_MAXKINDS];
	const char	*errstr, *set;
	char		 e[256];
	uint64_t	 promises;
	double		 none, us;
	int		 ch, n = 2000, rounds = 5, nsets, nk, i, r;

	while ((ch = getopt(argc, argv, "n:r:")) != -1) {
		switch (ch) {
		case 'n':
			n = strtonum(optarg, 1, 1000000, &errstr);
			if (errstr != NULL)
				errx(2, "-n %s: %s", optarg, errstr);
			break;
		case 'r':
			rounds = strtonum(optarg, 1, FC_MAXROUNDS, &errstr);
			if (errstr != NULL)
				errx(2, "-r %s: %s", optarg, errstr);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((nsets = argc) == 0)
		nsets = sizeof(defaults) / sizeof(defaults[0]);
	if (nsets > FC_MAXKINDS - 2)
		errx(2, "at most %d promise sets", FC_MAXKINDS - 2);

	memset(kinds, 0, sizeof(kinds));
	kinds[0].k_name = "none";
	kinds[1].k_name = "one instruction";
	kinds[1].k_one = 1;
	nk = 2;
	for (i = 0; i < nsets; i++, nk++) {
		set = argc > 0 ? argv[i] : defaults[i];
		kinds[nk].k_name = set;
		if (pledge_parse(set, &promises, e, sizeof(e)) == -1)
			errx(2, "\"%s\": %s", set, e);
		if (pledge_filter_build(&kinds[nk].k_filter, promises, e,
		    sizeof(e)) == -1)
			errx(1, "\"%s\": %s", set, e);
	}
	/* As the spawner's children: no new privileges, for any user. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		err(1, "prctl");

	/* Each round runs every kind, starting one further along. */
	for (r = 0; r < rounds; r++)
		for (i = 0; i < nk; i++)
			kinds[(r + i) % nk].k_us[r] =
			    fc_run(&kinds[(r + i) % nk], n);

	none = fc_median(&kinds[0], rounds);
	printf("| filter | instructions | us per child | added to none |\n");
	printf("| --- | ---: | ---: | ---: |\n");
	for (i = 0; i < nk; i++) {
		us = fc_median(&kinds[i], rounds);
		printf("| %s | %d | %.1f | %+.1f |\n", kinds[i].k_name,
		    kinds[i].k_one ? 1 : kinds[i].k_filter.pf_len, us,
		    us - none);
	}
	for (i = 2; i < nk; i++)
		pledge_filter_free(&kinds[i].k_filter);
	return 0;
}
