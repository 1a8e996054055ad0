/*
 * Built-in services (stub, being written).
 */

#include <sys/types.h>

#include <unistd.h>

#include "inetd.h"

void
builtin_stream(struct servconf *se, int fd)
{
	(void)se;
	close(fd);
}

void
builtin_dgram(struct servconf *se, int fd)
{
	(void)se;
	(void)fd;
}
