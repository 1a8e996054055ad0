/*
 * pledge and unveil for Linux: promises compiled to a seccomp filter,
 * unveil paths compiled to a Landlock ruleset.  See common/sandbox.c.
 * These declarations are meant to be merged into common/inetd.h.
 */

#ifndef SANDBOX_H
#define SANDBOX_H

#include <sys/types.h>

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

/* Promise bits, one per pledge word. */
#define SANDBOX_STDIO		(1ULL << 0)
#define SANDBOX_RPATH		(1ULL << 1)
#define SANDBOX_WPATH		(1ULL << 2)
#define SANDBOX_CPATH		(1ULL << 3)
#define SANDBOX_DPATH		(1ULL << 4)
#define SANDBOX_TMPPATH		(1ULL << 5)
#define SANDBOX_INET		(1ULL << 6)
#define SANDBOX_UNIX		(1ULL << 7)
#define SANDBOX_DNS		(1ULL << 8)
#define SANDBOX_PROC		(1ULL << 9)
#define SANDBOX_EXEC		(1ULL << 10)
#define SANDBOX_ID		(1ULL << 11)
#define SANDBOX_GETPW		(1ULL << 12)
#define SANDBOX_TTY		(1ULL << 13)
#define SANDBOX_FLOCK		(1ULL << 14)
#define SANDBOX_FATTR		(1ULL << 15)
#define SANDBOX_CHOWN		(1ULL << 16)
#define SANDBOX_SENDFD		(1ULL << 17)
#define SANDBOX_RECVFD		(1ULL << 18)
#define SANDBOX_PROT_EXEC	(1ULL << 19)
#define SANDBOX_ERROR		(1ULL << 20)

/* unveil permissions. */
#define SANDBOX_UNVEIL_R	0x01
#define SANDBOX_UNVEIL_W	0x02
#define SANDBOX_UNVEIL_X	0x04
#define SANDBOX_UNVEIL_C	0x08
#define SANDBOX_UNVEIL_OPTIONAL	0x10	/* missing: skip it */

struct sock_filter;

struct sandbox_filter {
	struct sock_filter	*sf_insns;
	unsigned short		 sf_len;
};

struct sandbox_unveil {
	char			 su_path[PATH_MAX];
	int			 su_perms;
};

/* common/sandbox.c */
int	 sandbox_pledge_parse(const char *, uint64_t *, char *, size_t);
const char *sandbox_pledge_name(uint64_t);
int	 sandbox_filter_build(struct sandbox_filter *, uint64_t, int, char *,
	    size_t);
void	 sandbox_filter_free(struct sandbox_filter *);
int	 sandbox_filter_apply(const struct sandbox_filter *);
int	 sandbox_filter_apply_exec(const struct sandbox_filter *,
	    const char *);
int	 sandbox_unveil_parse(const char *, struct sandbox_unveil *, char *,
	    size_t);
size_t	 sandbox_unveil_implied(uint64_t, struct sandbox_unveil *,
	    size_t);
int	 sandbox_landlock_build(const struct sandbox_unveil *, size_t,
	    const char *, const char *, int *, int *, char *, size_t);
int	 sandbox_landlock_apply(int);
int	 sandbox_landlock_abi(void);
int	 sandbox_landlock_deny_all(void);
int	 sandbox_caps_clear(void);
int	 sandbox_baseline(void);
int	 sandbox_listener(void);

#endif /* SANDBOX_H */
