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
 * A shorter form of a pledge filter, with the same answer for every call.
 *
 * The kernel converts and JIT-compiles a filter each time a child loads
 * it, in time linear in its instructions: most of what a pledge costs a
 * connection.  libseccomp finds a call number with a tree whose leaves
 * test up to four numbers one by one, and tests the upper half of a
 * 32-bit argument it was told to mask away (ld; and #0; jeq #0).  Here
 * the part of the program that reads only the architecture and the call
 * number (the dispatch) is replaced by a search over the ranges of
 * numbers that share one outcome, and those always-true tests are
 * skipped; every instruction that reads an argument is copied as
 * libseccomp wrote it.
 *
 * Why the answers are the same.  The dispatch reads nothing but two
 * words and compares them only with constants, so its outcome is
 * constant between consecutive constants: running the old and the new
 * program at each constant of either dispatch, the one after it and 0,
 * every architecture against every call number, covers them all.  The
 * argument tests are the old instructions themselves, with their jumps
 * moved (and the always-true tests skipped, whose true branch loads or
 * returns); as a check of that copy, each number whose outcome reads
 * arguments is also run on FT_CALLS calls whose words are drawn from
 * the constants the old program compares them with.  Anything else (an
 * instruction other than the few libseccomp emits, a jump too long for
 * its field, no gain, a disagreement) keeps libseccomp's program.
 */

#include <sys/types.h>

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inetd.h"

#define OFF_NR		offsetof(struct seccomp_data, nr)
#define OFF_ARCH	offsetof(struct seccomp_data, arch)
#define OFF_REST	offsetof(struct seccomp_data, instruction_pointer)

#define LDW		(BPF_LD | BPF_W | BPF_ABS)
#define ANDK		(BPF_ALU | BPF_AND | BPF_K)
#define JA		(BPF_JMP | BPF_JA)
#define JEQ		(BPF_JMP | BPF_JEQ | BPF_K)
#define JGT		(BPF_JMP | BPF_JGT | BPF_K)
#define JGE		(BPF_JMP | BPF_JGE | BPF_K)
#define JSET		(BPF_JMP | BPF_JSET | BPF_K)
#define RETK		(BPF_RET | BPF_K)

/* What A holds in the dispatch. */
#define A_NONE		1
#define A_NR		2
#define A_ARCH		3

/* An outcome of the dispatch: a return, or the first argument load. */
struct ft_out {
	int		 fo_ret;	/* 1: fo_k is returned */
	uint32_t	 fo_k;		/* action, or the pc of the load */
};

struct ft_vals {
	uint32_t	*fv_v;
	size_t		 fv_n;
	size_t		 fv_cap;
};

/*
 * The new dispatch: ranges of call numbers with one outcome each, but
 * for up to FT_MAXEXC single numbers inside a range (a call allowed
 * amid denied ones costs one jeq, not two bounds of its own).
 */
#define FT_MAXEXC	4

struct ft_range {
	uint32_t	 fr_start;
	struct ft_out	 fr_out;
	size_t		 fr_exc;	/* index of its first exception */
	size_t		 fr_nexc;
	size_t		 fr_pc;		/* where its jeqs start */
};

struct ft_exc {
	uint32_t	 fe_nr;
	struct ft_out	 fe_out;
};

/* A bound of the search: a node or a range on either side. */
struct ft_node {
	uint32_t	 fn_k;		/* jge fn_k */
	long		 fn_t[2];	/* >= 0: node; < 0: -1 - range */
};

struct ft {
	const struct sock_filter *ft_o;
	size_t			 ft_len;
	struct ft_vals		 ft_nrs;
	struct ft_vals		 ft_archs;
	struct ft_vals		 ft_pool[sizeof(struct seccomp_data) / 4];
	uint32_t		 ft_native;
	struct ft_out		 ft_bad;
	struct ft_range		*ft_range;
	size_t			 ft_nrange;
	struct ft_exc		*ft_exc;
	size_t			 ft_nexc;
	struct ft_node		*ft_node;
	size_t			 ft_nnode;
	struct ft_vals		 ft_rets;
	uint8_t			*ft_keep;
	size_t			*ft_newpc;
	size_t			 ft_retpc;	/* where the rets start */
	uint64_t		 ft_seed;
};

#define FT_OK		0
#define FT_KEEP		1	/* keep libseccomp's program */
#define FT_NOMEM	-1

static int
ft_isjump(uint16_t code)
{
	return code == JEQ || code == JGT || code == JGE || code == JSET;
}

/*
 * Run a filter on one call, with the instructions libseccomp emits; 0
 * and the action in *ret, -1 for an instruction outside them or a jump
 * out of the program.  stop, if set, ends the run at the first
 * load of a word other than nr and arch, with its pc in *ret and 1.
 */
static int
ft_run(const struct sock_filter *p, size_t len, const struct seccomp_data *d,
    uint32_t *ret, int stop)
{
	const struct sock_filter	*in;
	uint32_t			 a = 0;
	size_t				 pc = 0;
	int				 c;

	while (pc < len) {
		in = &p[pc];
		switch (in->code) {
		case LDW:
			if (in->k % 4 != 0 || in->k > sizeof(*d) - 4)
				return -1;
			if (stop && in->k >= OFF_REST) {
				*ret = pc;
				return 1;
			}
			memcpy(&a, (const char *)d + in->k, sizeof(a));
			pc++;
			continue;
		case ANDK:
			a &= in->k;
			pc++;
			continue;
		case JA:
			if (in->k >= len - pc)
				return -1;
			pc += 1 + in->k;
			continue;
		case JEQ:
			c = a == in->k;
			break;
		case JGT:
			c = a > in->k;
			break;
		case JGE:
			c = a >= in->k;
			break;
		case JSET:
			c = (a & in->k) != 0;
			break;
		case RETK:
			*ret = in->k;
			return 0;
		default:
			return -1;
		}
		pc += 1 + (c ? in->jt : in->jf);
	}
	return -1;
}

int
filter_run(const struct sock_filter *p, size_t len,
    const struct seccomp_data *d, uint32_t *ret)
{
	return ft_run(p, len, d, ret, 0);
}

static int
ft_add(struct ft_vals *fv, uint32_t v)
{
	uint32_t	*n;

	if (fv->fv_n == fv->fv_cap) {
		fv->fv_cap = fv->fv_cap ? fv->fv_cap * 2 : 64;
		if ((n = reallocarray(fv->fv_v, fv->fv_cap,
		    sizeof(*n))) == NULL)
			return -1;
		fv->fv_v = n;
	}
	fv->fv_v[fv->fv_n++] = v;
	return 0;
}

/* A constant and the value after it: the edges of the ranges. */
static int
ft_edge(struct ft_vals *fv, uint32_t v)
{
	if (ft_add(fv, v) == -1)
		return -1;
	return v == UINT32_MAX ? 0 : ft_add(fv, v + 1);
}

static int
ft_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void
ft_sort(struct ft_vals *fv)
{
	size_t	 i, j;

	qsort(fv->fv_v, fv->fv_n, sizeof(*fv->fv_v), ft_cmp);
	for (i = j = 0; i < fv->fv_n; i++)
		if (j == 0 || fv->fv_v[i] != fv->fv_v[j - 1])
			fv->fv_v[j++] = fv->fv_v[i];
	fv->fv_n = j;
}

/*
 * Walk the dispatch from pc 0 in both directions of every jump, noting
 * what A holds at each instruction and the constants compared with the
 * call number and the architecture.  -1 if it does anything else.
 */
static int
ft_dispatch(const struct sock_filter *p, size_t len, uint8_t *held,
    struct ft_vals *nrs, struct ft_vals *archs)
{
	size_t	*stack, sp = 0, pc, t[2];
	uint8_t	 a;
	int	 i, nt, rv = -1;

	if ((stack = calloc(len, sizeof(*stack))) == NULL)
		return -1;
	held[0] = A_NONE;
	stack[sp++] = 0;
	while (sp > 0) {
		pc = stack[--sp];
		a = held[pc];
		nt = 0;
		switch (p[pc].code) {
		case LDW:
			if (p[pc].k >= OFF_REST)
				continue;	/* an argument: not ours */
			if (p[pc].k != OFF_NR && p[pc].k != OFF_ARCH)
				goto out;
			a = p[pc].k == OFF_NR ? A_NR : A_ARCH;
			t[nt++] = pc + 1;
			break;
		case JEQ:
		case JGT:
		case JGE:
			if (a == A_NONE || ft_edge(a == A_NR ? nrs : archs,
			    p[pc].k) == -1)
				goto out;
			t[nt++] = pc + 1 + p[pc].jt;
			t[nt++] = pc + 1 + p[pc].jf;
			break;
		case JA:
			if (p[pc].k >= len)
				goto out;
			t[nt++] = pc + 1 + p[pc].k;
			break;
		case RETK:
			continue;
		default:
			goto out;
		}
		for (i = 0; i < nt; i++) {
			if (t[i] >= len)
				goto out;
			if (held[t[i]] == 0) {
				held[t[i]] = a;
				stack[sp++] = t[i];
			} else if (held[t[i]] != a &&
			    p[t[i]].code != LDW && p[t[i]].code != RETK)
				goto out;	/* neither reads A */
		}
	}
	rv = 0;
 out:
	free(stack);
	return rv;
}

static int
ft_outcome(const struct sock_filter *p, size_t len, uint32_t arch,
    uint32_t nr, struct ft_out *o)
{
	struct seccomp_data	 d;
	int			 r;

	memset(&d, 0, sizeof(d));
	d.nr = (int)nr;
	d.arch = arch;
	if ((r = ft_run(p, len, &d, &o->fo_k, 1)) == -1)
		return -1;
	o->fo_ret = r == 0;
	return 0;
}

static int
ft_same(const struct ft_out *a, const struct ft_out *b)
{
	return a->fo_ret == b->fo_ret && a->fo_k == b->fo_k;
}

/*
 * Where a jump to pc really goes: past "ld; and #0; jeq #0", which
 * always takes its true branch, when that branch loads A or returns
 * (nothing there reads the A it leaves).
 */
static size_t
ft_follow(const struct sock_filter *p, size_t len, size_t pc)
{
	size_t	 t;

	while (pc + 2 < len && p[pc].code == LDW && p[pc].k >= OFF_REST &&
	    p[pc + 1].code == ANDK && p[pc + 1].k == 0 &&
	    p[pc + 2].code == JEQ && p[pc + 2].k == 0) {
		t = pc + 3 + p[pc + 2].jt;
		if (t >= len || (p[t].code != LDW && p[t].code != RETK))
			break;
		pc = t;
	}
	return pc;
}

static int
ft_off(size_t from, size_t to, uint8_t *off)
{
	if (to <= from || to - from - 1 > UINT8_MAX)
		return -1;
	*off = to - from - 1;
	return 0;
}

/* Whether the two programs agree on d. */
static int
ft_agree(const struct sock_filter *a, size_t alen, const struct sock_filter *b,
    size_t blen, const struct seccomp_data *d)
{
	uint32_t	 ra, rb;

	return ft_run(a, alen, d, &ra, 0) == 0 &&
	    ft_run(b, blen, d, &rb, 0) == 0 && ra == rb;
}

/*
 * One architecture whose calls are told apart (the native one); every
 * other must get one action, whatever the number.
 */
static int
ft_arch(struct ft *ft)
{
	struct ft_out	 first, out;
	size_t		 i, j;
	int		 flat, found = 0, havebad = 0;

	for (i = 0; i < ft->ft_archs.fv_n; i++) {
		flat = 1;
		for (j = 0; j < ft->ft_nrs.fv_n && flat; j++) {
			if (ft_outcome(ft->ft_o, ft->ft_len,
			    ft->ft_archs.fv_v[i], ft->ft_nrs.fv_v[j],
			    j == 0 ? &first : &out) == -1)
				return FT_KEEP;
			flat = j == 0 ? first.fo_ret : ft_same(&first, &out);
		}
		if (!flat) {
			if (found)
				return FT_KEEP;
			found = 1;
			ft->ft_native = ft->ft_archs.fv_v[i];
		} else if (!havebad) {
			ft->ft_bad = first;
			havebad = 1;
		} else if (!ft_same(&ft->ft_bad, &first))
			return FT_KEEP;
	}
	if (!found || !havebad)
		return FT_KEEP;
	/*
	 * The new program tells apart the native value alone: so must the
	 * old one, its range of equal outcomes one value wide.
	 */
	for (i = 0; i < ft->ft_archs.fv_n; i++)
		if (ft->ft_archs.fv_v[i] == ft->ft_native)
			break;
	if (ft->ft_native != UINT32_MAX && (i + 1 >= ft->ft_archs.fv_n ||
	    ft->ft_archs.fv_v[i + 1] != ft->ft_native + 1))
		return FT_KEEP;
	return FT_OK;
}

/* The native numbers, in ranges. */
static int
ft_ranges(struct ft *ft)
{
	struct ft_out	*seg;
	uint32_t	*start;
	struct ft_range	*r;
	size_t		 n = ft->ft_nrs.fv_n, nseg = 0, i;
	int		 rv = FT_NOMEM;

	seg = calloc(n, sizeof(*seg));
	start = calloc(n, sizeof(*start));
	ft->ft_range = calloc(n, sizeof(*ft->ft_range));
	ft->ft_exc = calloc(n, sizeof(*ft->ft_exc));
	if (seg == NULL || start == NULL || ft->ft_range == NULL ||
	    ft->ft_exc == NULL)
		goto out;
	rv = FT_KEEP;
	for (i = 0; i < n; i++) {
		struct ft_out	 out;

		if (ft_outcome(ft->ft_o, ft->ft_len, ft->ft_native,
		    ft->ft_nrs.fv_v[i], &out) == -1)
			goto out;
		if (nseg > 0 && ft_same(&seg[nseg - 1], &out))
			continue;
		seg[nseg] = out;
		start[nseg++] = ft->ft_nrs.fv_v[i];
	}
	/* A single number between two segments of one outcome: a jeq. */
	for (i = 0; i < nseg;) {
		r = &ft->ft_range[ft->ft_nrange++];
		r->fr_start = start[i];
		r->fr_out = seg[i];
		r->fr_exc = ft->ft_nexc;
		for (i++; i + 1 < nseg && r->fr_nexc < FT_MAXEXC &&
		    start[i + 1] == start[i] + 1 &&
		    ft_same(&seg[i + 1], &r->fr_out); i += 2) {
			ft->ft_exc[ft->ft_nexc].fe_nr = start[i];
			ft->ft_exc[ft->ft_nexc++].fe_out = seg[i];
			r->fr_nexc++;
		}
	}
	rv = ft->ft_nrange >= 2 ? FT_OK : FT_KEEP;
 out:
	free(seg);
	free(start);
	return rv;
}

/* A balanced search over ranges lo..hi; its reference. */
static long
ft_tree(struct ft *ft, size_t lo, size_t hi)
{
	size_t	 mid, me;

	if (lo == hi)
		return -1 - (long)lo;
	mid = lo + (hi - lo + 1) / 2;
	me = ft->ft_nnode++;
	ft->ft_node[me].fn_k = ft->ft_range[mid].fr_start;
	ft->ft_node[me].fn_t[1] = ft_tree(ft, mid, hi);
	ft->ft_node[me].fn_t[0] = ft_tree(ft, lo, mid - 1);
	return (long)me;
}

static int
ft_ret(struct ft *ft, uint32_t k)
{
	size_t	 i;

	for (i = 0; i < ft->ft_rets.fv_n; i++)
		if (ft->ft_rets.fv_v[i] == k)
			return 0;
	return ft_add(&ft->ft_rets, k);
}

/*
 * What the argument tests need of the old program: the instructions
 * reachable from where the dispatch leaves it, but for returns, which
 * become jumps to the rets at the end.
 */
static int
ft_keepset(struct ft *ft, const size_t *entry, size_t nentry)
{
	const struct sock_filter	*o = ft->ft_o, *in;
	size_t				*stack, sp = 0, pc, tt[2], i;
	int				 nt, rv = FT_KEEP;

	if ((stack = calloc(ft->ft_len, sizeof(*stack))) == NULL)
		return FT_NOMEM;
	for (i = 0; i < nentry; i++)
		if (!ft->ft_keep[entry[i]]) {
			ft->ft_keep[entry[i]] = 1;
			stack[sp++] = entry[i];
		}
	while (sp > 0) {
		pc = stack[--sp];
		in = &o[pc];
		nt = 0;
		if (in->code == RETK)
			continue;
		if (in->code == LDW || in->code == ANDK) {
			/* Falls through: to the next one, as it is. */
			if (pc + 1 >= ft->ft_len)
				goto out;
			if (!ft->ft_keep[pc + 1]) {
				ft->ft_keep[pc + 1] = 1;
				stack[sp++] = pc + 1;
			}
			continue;
		}
		if (in->code == JA) {
			if (in->k >= ft->ft_len - pc - 1)
				goto out;
			tt[nt++] = pc + 1 + in->k;
		} else if (ft_isjump(in->code)) {
			tt[nt++] = pc + 1 + in->jt;
			tt[nt++] = pc + 1 + in->jf;
		} else
			goto out;
		while (nt-- > 0) {
			if (tt[nt] >= ft->ft_len)
				goto out;
			pc = ft_follow(o, ft->ft_len, tt[nt]);
			if (o[pc].code == RETK) {
				if (ft_ret(ft, o[pc].k) == -1) {
					rv = FT_NOMEM;
					goto out;
				}
			} else if (!ft->ft_keep[pc]) {
				ft->ft_keep[pc] = 1;
				stack[sp++] = pc;
			}
		}
	}
	rv = FT_OK;
 out:
	free(stack);
	return rv;
}

/* Where, in the new program, an outcome or an old jump target is. */
static size_t
ft_retpc(const struct ft *ft, uint32_t k)
{
	size_t	 i;

	for (i = 0; ft->ft_rets.fv_v[i] != k; i++)
		;
	return ft->ft_retpc + i;
}

static size_t
ft_where(const struct ft *ft, const struct ft_out *out)
{
	if (out->fo_ret)
		return ft_retpc(ft, out->fo_k);
	return ft->ft_newpc[out->fo_k];
}

static size_t
ft_jump(const struct ft *ft, size_t t)
{
	t = ft_follow(ft->ft_o, ft->ft_len, t);
	if (ft->ft_o[t].code == RETK)
		return ft_retpc(ft, ft->ft_o[t].k);
	return ft->ft_newpc[t];
}

/*
 * The layout: ld arch; jeq native; ret (any other); ld nr; the search;
 * the jeqs of the ranges; the kept instructions in their old order; one
 * ret per action.  FT_KEEP if a jump would be too long.
 */
static int
ft_emit(struct ft *ft, struct sock_filter **np, size_t *nlen)
{
	const struct sock_filter	*o = ft->ft_o;
	struct sock_filter		*n, *in;
	struct ft_range			*r;
	struct ft_exc			*e;
	size_t				 i, j, pc, total, nodepc = 4;
	long				 ref;

	total = nodepc + ft->ft_nnode + ft->ft_nexc;
	for (pc = 0; pc < ft->ft_len; pc++)
		if (ft->ft_keep[pc])
			ft->ft_newpc[pc] = total++;
	ft->ft_retpc = total;
	total += ft->ft_rets.fv_n;
	if (total >= ft->ft_len || total > BPF_MAXINSNS)
		return FT_KEEP;
	if ((n = calloc(total, sizeof(*n))) == NULL)
		return FT_NOMEM;
	n[0] = (struct sock_filter)BPF_STMT(LDW, OFF_ARCH);
	n[1] = (struct sock_filter)BPF_JUMP(JEQ, ft->ft_native, 1, 0);
	n[2] = (struct sock_filter)BPF_STMT(RETK, ft->ft_bad.fo_k);
	n[3] = (struct sock_filter)BPF_STMT(LDW, OFF_NR);
	for (i = 0, pc = nodepc + ft->ft_nnode; i < ft->ft_nrange; i++) {
		ft->ft_range[i].fr_pc = pc;
		pc += ft->ft_range[i].fr_nexc;
	}
	for (i = 0; i < ft->ft_nnode; i++) {
		in = &n[nodepc + i];
		*in = (struct sock_filter)BPF_JUMP(JGE, ft->ft_node[i].fn_k,
		    0, 0);
		for (j = 0; j < 2; j++) {
			ref = ft->ft_node[i].fn_t[j];
			if (ref >= 0)
				pc = nodepc + ref;
			else if ((r = &ft->ft_range[-1 - ref])->fr_nexc > 0)
				pc = r->fr_pc;
			else
				pc = ft_where(ft, &r->fr_out);
			if (ft_off(nodepc + i, pc, j ? &in->jt : &in->jf) == -1)
				goto keep;
		}
	}
	for (i = 0; i < ft->ft_nrange; i++) {
		r = &ft->ft_range[i];
		for (j = 0; j < r->fr_nexc; j++) {
			e = &ft->ft_exc[r->fr_exc + j];
			in = &n[r->fr_pc + j];
			*in = (struct sock_filter)BPF_JUMP(JEQ, e->fe_nr, 0, 0);
			pc = j + 1 < r->fr_nexc ? r->fr_pc + j + 1 :
			    ft_where(ft, &r->fr_out);
			if (ft_off(r->fr_pc + j, ft_where(ft, &e->fe_out),
			    &in->jt) == -1 ||
			    ft_off(r->fr_pc + j, pc, &in->jf) == -1)
				goto keep;
		}
	}
	for (i = 0; i < ft->ft_rets.fv_n; i++)
		n[ft->ft_retpc + i] = (struct sock_filter)BPF_STMT(RETK,
		    ft->ft_rets.fv_v[i]);
	for (pc = 0; pc < ft->ft_len; pc++) {
		if (!ft->ft_keep[pc])
			continue;
		in = &n[ft->ft_newpc[pc]];
		*in = o[pc];
		if (in->code == JA)
			in->k = ft_jump(ft, pc + 1 + o[pc].k) -
			    ft->ft_newpc[pc] - 1;
		else if (ft_isjump(in->code) &&
		    (ft_off(ft->ft_newpc[pc], ft_jump(ft, pc + 1 + o[pc].jt),
		    &in->jt) == -1 ||
		    ft_off(ft->ft_newpc[pc], ft_jump(ft, pc + 1 + o[pc].jf),
		    &in->jf) == -1))
			goto keep;
	}
	*np = n;
	*nlen = total;
	return FT_OK;
 keep:
	free(n);
	return FT_KEEP;
}

static int
ft_build(struct ft *ft, struct sock_filter **np, size_t *nlen)
{
	size_t		*entry;
	size_t		 i, nentry = 0, pc;
	uint8_t		*held;
	int		 rv;

	if ((held = calloc(ft->ft_len, 1)) == NULL)
		return FT_NOMEM;
	rv = ft_dispatch(ft->ft_o, ft->ft_len, held, &ft->ft_nrs,
	    &ft->ft_archs);
	free(held);
	if (rv == -1)
		return FT_KEEP;
	if (ft_add(&ft->ft_nrs, 0) == -1 || ft_add(&ft->ft_archs, 0) == -1)
		return FT_NOMEM;
	ft_sort(&ft->ft_nrs);
	ft_sort(&ft->ft_archs);
	if ((rv = ft_arch(ft)) != FT_OK || (rv = ft_ranges(ft)) != FT_OK)
		return rv;

	/* Where the dispatch leaves the old program, and what it returns. */
	if ((entry = calloc(ft->ft_nrange + ft->ft_nexc,
	    sizeof(*entry))) == NULL)
		return FT_NOMEM;
	for (i = 0; i < ft->ft_nrange + ft->ft_nexc; i++) {
		struct ft_out	*out = i < ft->ft_nrange ?
		    &ft->ft_range[i].fr_out :
		    &ft->ft_exc[i - ft->ft_nrange].fe_out;

		if (out->fo_ret) {
			if (ft_ret(ft, out->fo_k) == -1) {
				free(entry);
				return FT_NOMEM;
			}
			continue;
		}
		pc = ft_follow(ft->ft_o, ft->ft_len, out->fo_k);
		if (ft->ft_o[pc].code == RETK) {
			out->fo_ret = 1;
			out->fo_k = ft->ft_o[pc].k;
			if (ft_ret(ft, out->fo_k) == -1) {
				free(entry);
				return FT_NOMEM;
			}
			continue;
		}
		out->fo_k = pc;
		entry[nentry++] = pc;
	}
	rv = ft_keepset(ft, entry, nentry);
	free(entry);
	if (rv != FT_OK)
		return rv;
	if ((ft->ft_node = calloc(ft->ft_nrange, sizeof(*ft->ft_node))) ==
	    NULL)
		return FT_NOMEM;
	(void)ft_tree(ft, 0, ft->ft_nrange - 1);
	return ft_emit(ft, np, nlen);
}

/*
 * For each argument word, the constants the old program compares it
 * with (after its mask), and the value after each: a value drawn from
 * them meets or just misses each test on that word.
 */
static int
ft_pools(struct ft *ft)
{
	const struct sock_filter	*in;
	size_t				 pc;
	int				 w = -1;

	for (pc = 0; pc < ft->ft_len; pc++) {
		in = &ft->ft_o[pc];
		if (in->code == LDW)
			w = in->k >= OFF_REST && in->k % 4 == 0 &&
			    in->k < sizeof(struct seccomp_data) ?
			    (int)(in->k / 4) : -1;
		else if (w != -1 && (in->code == ANDK ||
		    ft_isjump(in->code)) &&
		    ft_edge(&ft->ft_pool[w], in->k) == -1)
			return FT_NOMEM;
	}
	for (w = 0; w < (int)nitems(ft->ft_pool); w++)
		if (ft_add(&ft->ft_pool[w], 0) == -1 ||
		    ft_add(&ft->ft_pool[w], UINT32_MAX) == -1)
			return FT_NOMEM;
	return FT_OK;
}

static uint32_t
ft_random(struct ft *ft)
{
	ft->ft_seed ^= ft->ft_seed << 13;
	ft->ft_seed ^= ft->ft_seed >> 7;
	ft->ft_seed ^= ft->ft_seed << 17;
	return (uint32_t)(ft->ft_seed >> 16);
}

/*
 * Check the new program against the old: every architecture and call
 * number range with the arguments 0, and, for each number whose outcome
 * reads arguments, FT_CALLS calls whose argument words are drawn from
 * their pools (and now and then random).
 */
#define FT_CALLS	256

static int
ft_verify(struct ft *ft, const struct sock_filter *n, size_t nlen)
{
	struct seccomp_data	 d;
	struct ft_out		 out;
	struct ft_vals		*pool;
	size_t			 i, j, w, t;
	uint32_t		*word, r;

	for (i = 0; i < ft->ft_archs.fv_n; i++)
		for (j = 0; j < ft->ft_nrs.fv_n; j++) {
			memset(&d, 0, sizeof(d));
			d.arch = ft->ft_archs.fv_v[i];
			d.nr = (int)ft->ft_nrs.fv_v[j];
			if (!ft_agree(ft->ft_o, ft->ft_len, n, nlen, &d))
				return FT_KEEP;
		}
	if (ft_pools(ft) == FT_NOMEM)
		return FT_NOMEM;
	ft->ft_seed = 0x9e3779b97f4a7c15ULL;
	for (j = 0; j < ft->ft_nrs.fv_n; j++) {
		if (ft_outcome(ft->ft_o, ft->ft_len, ft->ft_native,
		    ft->ft_nrs.fv_v[j], &out) == -1)
			return FT_KEEP;
		if (out.fo_ret)
			continue;
		for (t = 0; t < FT_CALLS; t++) {
			memset(&d, 0, sizeof(d));
			word = (uint32_t *)&d;
			for (w = OFF_REST / 4; w < nitems(ft->ft_pool); w++) {
				pool = &ft->ft_pool[w];
				r = ft_random(ft);
				word[w] = r % 8 == 0 ? ft_random(ft) :
				    pool->fv_v[(r >> 3) % pool->fv_n];
			}
			d.arch = ft->ft_native;
			d.nr = (int)ft->ft_nrs.fv_v[j];
			if (!ft_agree(ft->ft_o, ft->ft_len, n, nlen, &d))
				return FT_KEEP;
		}
	}
	return FT_OK;
}

/*
 * Replace f's program with a shorter one that answers every call the
 * same; leave it as it is when that cannot be shown.  -1 only when
 * memory runs out; f is then unchanged as well.
 */
int
filter_compact(struct pledge_filter *f)
{
	struct ft		 ft;
	struct sock_filter	*n = NULL;
	size_t			 nlen = 0, pc;
	int			 rv;

	if (f->pf_insns == NULL || f->pf_len < 4 ||
	    f->pf_len > BPF_MAXINSNS)
		return 0;
	memset(&ft, 0, sizeof(ft));
	ft.ft_o = f->pf_insns;
	ft.ft_len = f->pf_len;
	if ((ft.ft_keep = calloc(ft.ft_len, 1)) == NULL ||
	    (ft.ft_newpc = calloc(ft.ft_len, sizeof(*ft.ft_newpc))) == NULL) {
		rv = FT_NOMEM;
		goto out;
	}
	if ((rv = ft_build(&ft, &n, &nlen)) != FT_OK)
		goto out;

	/*
	 * The edges of the new dispatch's constants too (its jeq of the
	 * architecture, its search), so that the ranges checked are those
	 * of both programs.
	 */
	if (ft_edge(&ft.ft_archs, n[1].k) == -1) {
		rv = FT_NOMEM;
		goto out;
	}
	for (pc = 4; pc < 4 + ft.ft_nnode + ft.ft_nexc; pc++)
		if (ft_edge(&ft.ft_nrs, n[pc].k) == -1) {
			rv = FT_NOMEM;
			goto out;
		}
	ft_sort(&ft.ft_archs);
	ft_sort(&ft.ft_nrs);
	if ((rv = ft_verify(&ft, n, nlen)) != FT_OK)
		goto out;
	free(f->pf_insns);
	f->pf_insns = n;
	f->pf_len = nlen;
	n = NULL;
 out:
	free(n);
	free(ft.ft_nrs.fv_v);
	free(ft.ft_archs.fv_v);
	for (pc = 0; pc < nitems(ft.ft_pool); pc++)
		free(ft.ft_pool[pc].fv_v);
	free(ft.ft_range);
	free(ft.ft_exc);
	free(ft.ft_node);
	free(ft.ft_rets.fv_v);
	free(ft.ft_keep);
	free(ft.ft_newpc);
	return rv == FT_NOMEM ? -1 : 0;
}
