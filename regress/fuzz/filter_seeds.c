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
 * The filter target's seeds: libseccomp's program for a few sets of
 * promises, in the target's input format, each followed by four calls
 * (openat, mmap, ioctl and execve of the native architecture).
 *
 *	filter_seeds dir
 */

#include <sys/types.h>
#include <sys/syscall.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "inetd.h"

static const char *sets[] = {
	"stdio", "stdio rpath", "stdio inet dns", "stdio proc exec",
	"stdio error", "rpath", "stdio unix sendfd recvfd tty",
};

int
main(int argc, char *argv[])
{
	struct pledge_filter	 f;
	struct seccomp_data	 d;
	static const int	 nrs[] = { SYS_openat, SYS_mmap, SYS_ioctl,
				    SYS_execve };
	char			 path[1024], why[256];
	uint64_t		 set;
	uint8_t			 len[2];
	size_t			 i, j;
	int			 fd;

	if (argc != 2)
		errx(2, "usage: filter_seeds dir");
	for (i = 0; i < nitems(sets); i++) {
		if (pledge_parse(sets[i], &set, why, sizeof(why)) == -1 ||
		    pledge_filter_libseccomp(&f, set, why, sizeof(why)) == -1)
			errx(1, "%s: %s", sets[i], why);
		snprintf(path, sizeof(path), "%s/libseccomp-%zu", argv[1], i);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1)
			err(1, "%s", path);
		len[0] = f.pf_len & 0xff;
		len[1] = f.pf_len >> 8;
		if (write(fd, len, sizeof(len)) != sizeof(len) ||
		    write(fd, f.pf_insns, f.pf_len * sizeof(*f.pf_insns)) !=
		    (ssize_t)(f.pf_len * sizeof(*f.pf_insns)))
			err(1, "%s", path);
		for (j = 0; j < nitems(nrs); j++) {
			memset(&d, 0, sizeof(d));
			d.nr = nrs[j];
			d.arch = AUDIT_ARCH_X86_64;
			if (write(fd, &d, sizeof(d)) != sizeof(d))
				err(1, "%s", path);
		}
		close(fd);
		pledge_filter_free(&f);
	}
	return 0;
}
