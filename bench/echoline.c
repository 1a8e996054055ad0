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
 * echoline: the smallest exec'd service for the benchmark.  It reads one
 * line from standard input, writes it to standard output and exits, as
 * a plain UNIX filter started by inetd would.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	char	 buf[4096];
	char	*nl = NULL;
	size_t	 len = 0, off;
	ssize_t	 n;

	while (nl == NULL && len < sizeof(buf)) {
		n = read(STDIN_FILENO, buf + len, sizeof(buf) - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		nl = memchr(buf + len, '\n', n);
		len += n;
	}
	if (nl != NULL)
		len = nl - buf + 1;
	for (off = 0; off < len; off += n) {
		n = write(STDOUT_FILENO, buf + off, len - off);
		if (n == -1 && errno == EINTR) {
			n = 0;
			continue;
		}
		if (n <= 0)
			return (1);
	}
	return (0);
}
