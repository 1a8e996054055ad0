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
 * The signature channel between a connection's TLS engine and the key
 * holder: one fixed-size request, one fixed-size answer, on a
 * SOCK_SEQPACKET socketpair of that connection only.
 */

#ifndef TLSKEY_H
#define TLSKEY_H

#include <stdint.h>
#include <sys/types.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#define TLSKEY_MAGIC	0x746c736bU	/* "tlsk" */
#define TLSKEY_MAX	512		/* RSA 4096 */

enum tlskey_alg {
	TLSKEY_ECDSA = 1,	/* kr_data: the digest */
	TLSKEY_RSA_PSS		/* kr_data: the PSS-encoded block */
};

struct tlskey_req {
	uint32_t	 kr_magic;
	uint32_t	 kr_alg;
	uint32_t	 kr_len;
	u_char		 kr_data[TLSKEY_MAX];
};

struct tlskey_rep {
	uint32_t	 kp_magic;
	uint32_t	 kp_status;	/* 1: signed */
	uint32_t	 kp_len;
	u_char		 kp_sig[TLSKEY_MAX];
};

/*
 * An engine's settings, at the start of a sealed memory file the parent
 * writes for each tls= entry: this header, then ts_chainlen bytes of the
 * certificate chain (PEM), then ts_calen bytes of client CAs (PEM).
 */
#define TLS_SETTINGS_MAGIC	0x746c7373U	/* "tlss" */

struct tls_settings {
	uint32_t	 ts_magic;
	uint32_t	 ts_uid;	/* the engine runs as */
	uint32_t	 ts_gid;
	uint32_t	 ts_timeout;	/* handshake deadline, write stall, s */
	uint32_t	 ts_protos;	/* CONF_TLS_V12 | CONF_TLS_V13 */
	uint32_t	 ts_client;	/* CONF_TLSCLIENT_* */
	char		 ts_ciphers[256];	/* TLS 1.2, or "" */
	uint32_t	 ts_chainlen;
	uint32_t	 ts_calen;
};

/*
 * What the engine tells the service's child about the session, once,
 * before the first byte of plaintext: fixed fields, each NUL-terminated
 * and printable, or the child does not start the program.
 */
#define TLS_SESSION_MAGIC	0x746c7369U	/* "tlsi" */

struct tls_session {
	uint32_t	 ti_magic;
	char		 ti_protocol[16];
	char		 ti_cipher[64];
	char		 ti_verify[16];		/* SUCCESS or NONE */
	char		 ti_sdn[256];		/* client certificate */
	char		 ti_idn[256];
	char		 ti_serial[80];
	char		 ti_sni[256];
};

/*
 * The spawner's messages to the TLS process: a connection comes as
 * three messages in a row, the client (tc_part 0), the engine's end of
 * the plaintext pair (1) and of the key channel (2), each with its
 * descriptor.  The TLS process answers with the engine's end.
 */
struct msg_tlsconn {
	uint32_t	 tc_id;		/* the spawner's, for the answer */
	uint32_t	 tc_gen;
	uint32_t	 tc_index;
	uint32_t	 tc_part;
};

struct msg_tlsctx {
	uint32_t	 tx_gen;
	uint32_t	 tx_index;
};

struct msg_tlsexit {
	uint32_t	 te_id;
	int32_t		 te_pid;
	int32_t		 te_status;	/* wait status, or TLSENG_SETUP */
};

/* How an engine ends, for the spawner's log line. */
#define TLSENG_DONE	0
#define TLSENG_SETUP	1	/* settings, context or confinement */
#define TLSENG_FAILED	2	/* the handshake failed */
#define TLSENG_DEADLINE	3	/* not done within ts_timeout */
#define TLSENG_STALL	4	/* the client read nothing for ts_timeout */

/* tls/confine.c */
struct sock_fprog;
int		 tls_filter(const int *, size_t);
int		 tls_confine_proc(uid_t, gid_t);
int		 tls_engine_filter(struct sock_fprog *);
int		 tls_engine_filter_load(const struct sock_fprog *);
int		 tls_confine_engine(uid_t, gid_t);

/* tls/engine.c */
SSL_CTX		*tls_engine_context(int, int *);
void		 tls_engine_run(SSL_CTX *, int) __attribute__((__noreturn__));

/* tls/keysign.c: the key holder */
int		 keysign_answer(EVP_PKEY *, const struct tlskey_req *,
		    struct tlskey_rep *);
int		 keysign_serve_one(int, EVP_PKEY *);

/* tls/forward.c: the engine */
EVP_PKEY	*forward_pkey(X509 *, int);
void		 forward_setfd(int);

#endif
