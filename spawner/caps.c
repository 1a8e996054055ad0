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
 * The capability steps of a service's vfork-to-exec path, on their own
 * so that regress/sandboxtest runs the same code on its test children.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <linux/capability.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

/*
 * Keep only the capabilities in keep (CONF_CAPS_ALL: all of them) in the
 * bounding set of this thread.  Each drop is a change of credentials the
 * kernel commits on its own: forty of them for an empty set.
 */
int
caps_bound(uint64_t keep)
{
	int	 cap;

	for (cap = 0; cap < 64; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0)
			continue;
		if (errno == EINVAL)
			break;
		return -1;
	}
	return 0;
}

/*
 * Keep only the capabilities in keep in the bounding set (unless
 * bounded says it holds no more already), empty the ambient set, and
 * leave in the inheritable set only what a service that is not root
 * will carry as ambient (inherit set), or nothing.  Raw system calls, no
 * library state.
 */
int
caps_limit(uint64_t keep, int inherit, int bounded)
{
	struct __user_cap_header_struct	 hdr;
	struct __user_cap_data_struct	 data[2];

	if (!bounded && caps_bound(keep) == -1)
		return -1;
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL)
		return -1;
	memset(&hdr, 0, sizeof(hdr));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) == -1)
		return -1;
	if (!inherit)
		keep = 0;
	/* Never more than is permitted: the kernel knows its last. */
	data[0].inheritable = data[0].permitted & (uint32_t)keep;
	data[1].inheritable = data[1].permitted & (uint32_t)(keep >> 32);
	if (syscall(SYS_capset, &hdr, data) == -1)
		return -1;
	return 0;
}

/* Nothing to inherit, nothing to gain back after exec. */
int
caps_clear(void)
{
	return caps_limit(0, 0, 0);
}

/*
 * After the change of user ID: the permitted and effective sets hold
 * exactly keep (of what is permitted), and a service that is not root
 * (ambient set) gets them as ambient capabilities, the only ones that
 * survive execve(2) of an ordinary program.  Root gets its capabilities
 * back at exec from the bounding set that caps_limit() left.
 */
int
caps_grant(uint64_t keep, int ambient)
{
	struct __user_cap_header_struct	 hdr;
	struct __user_cap_data_struct	 data[2];
	uint64_t			 have;
	int				 cap;

	memset(&hdr, 0, sizeof(hdr));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) == -1)
		return -1;
	data[0].permitted &= (uint32_t)keep;
	data[1].permitted &= (uint32_t)(keep >> 32);
	data[0].effective = data[0].permitted;
	data[1].effective = data[1].permitted;
	if (syscall(SYS_capset, &hdr, data) == -1)
		return -1;
	if (!ambient)
		return 0;
	have = (uint64_t)data[1].permitted << 32 | data[0].permitted;
	for (cap = 0; cap < 64; cap++)
		if ((have & (1ULL << cap)) && prctl(PR_CAP_AMBIENT,
		    PR_CAP_AMBIENT_RAISE, cap, 0, 0) == -1)
			return -1;
	return 0;
}
