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
 * common/filtertree.c filter_compact() on any classic BPF program, not
 * only libseccomp's.  The input is the program's length in instructions
 * (2 bytes, little-endian, cut to what follows), the instructions (8
 * bytes each, as struct sock_filter), then calls (64 bytes each, as
 * struct seccomp_data).  Seeds: libseccomp's programs for a few sets of
 * promises, each followed by a few calls.
 *
 * Invariants:
 *  - filter_compact() takes any program without harm and returns 0;
 *  - a program it does not change stays byte for byte the same;
 *  - a program it changes gets shorter, and every call the old program
 *    answers (filter_run() reaches a return) the new one answers the
 *    same: the calls of the input, every number below 1024 with the
 *    arguments 0 for the native architecture and for none, and 512
 *    calls whose words are drawn from the old program's constants.
 */

#include <sys/types.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inetd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static uint64_t	 ff_seed;

static uint32_t
ff_random(void)
{
	ff_seed ^= ff_seed << 13;
	ff_seed ^= ff_seed >> 7;
	ff_seed ^= ff_seed << 17;
	return (uint32_t)(ff_seed >> 16);
}

static void
ff_fail(const char *what)
{
	fprintf(stderr, "filter: %s\n", what);
	abort();
}

static void
ff_call(const struct pledge_filter *o, const struct pledge_filter *n,
    const struct seccomp_data *d)
{
	uint32_t	 ro, rn;

	if (filter_run(o->pf_insns, o->pf_len, d, &ro) != 0)
		return;
	if (filter_run(n->pf_insns, n->pf_len, d, &rn) != 0)
		ff_fail("a call the old program answers, the new one does not");
	if (ro != rn)
		ff_fail("a call the two programs answer differently");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pledge_filter	 o, n;
	struct seccomp_data	 d;
	uint32_t		*w;
	size_t			 len, i, j;

	if (size < 2)
		return 0;
	len = data[0] | (size_t)data[1] << 8;
	data += 2;
	size -= 2;
	if (len > size / sizeof(struct sock_filter))
		len = size / sizeof(struct sock_filter);
	if (len > BPF_MAXINSNS)
		len = BPF_MAXINSNS;
	if (len == 0)
		return 0;
	o.pf_len = len;
	if ((o.pf_insns = calloc(len, sizeof(*o.pf_insns))) == NULL ||
	    (n.pf_insns = calloc(len, sizeof(*n.pf_insns))) == NULL)
		abort();
	memcpy(o.pf_insns, data, len * sizeof(*o.pf_insns));
	memcpy(n.pf_insns, o.pf_insns, len * sizeof(*o.pf_insns));
	n.pf_len = len;
	data += len * sizeof(*o.pf_insns);
	size -= len * sizeof(*o.pf_insns);

	if (filter_compact(&n) != 0)
		ff_fail("refused");
	if (n.pf_len == o.pf_len) {
		if (memcmp(n.pf_insns, o.pf_insns,
		    len * sizeof(*o.pf_insns)) != 0)
			ff_fail("changed, not shorter");
		goto out;
	}
	if (n.pf_len > o.pf_len || n.pf_len == 0 || n.pf_insns == NULL)
		ff_fail("longer, or empty");

	for (; size >= sizeof(d); data += sizeof(d), size -= sizeof(d)) {
		memcpy(&d, data, sizeof(d));
		ff_call(&o, &n, &d);
	}
	for (i = 0; i < 2048; i++) {
		memset(&d, 0, sizeof(d));
		d.nr = i % 1024;
		d.arch = i < 1024 ? AUDIT_ARCH_X86_64 : 0;
		ff_call(&o, &n, &d);
	}
	ff_seed = 0x9e3779b97f4a7c15ULL ^ len;
	for (i = 0; i < 512; i++) {
		w = (uint32_t *)&d;
		for (j = 0; j < sizeof(d) / sizeof(*w); j++)
			w[j] = ff_random() % 4 == 0 ? ff_random() :
			    o.pf_insns[ff_random() % len].k +
			    ff_random() % 2;
		if (ff_random() % 4 != 0)
			d.arch = AUDIT_ARCH_X86_64;
		ff_call(&o, &n, &d);
	}
 out:
	free(o.pf_insns);
	free(n.pf_insns);
	return 0;
}
