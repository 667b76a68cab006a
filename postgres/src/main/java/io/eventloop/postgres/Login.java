package io.eventloop.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.eventloop.Async;
import io.eventloop.net.Net;
import io.eventloop.net.TlsConfig;
import io.eventloop.net.Transport;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The start of a connection, for {@link PgProtocol}: SSLRequest and the TLS handshake when the
 * URI's {@code sslmode} asks for TLS, the StartupMessage, and the answers to each authentication
 * request (cleartext, MD5, SCRAM-SHA-256 through {@link Scram}). The protocol hands it the
 * backend's Authentication messages until ReadyForQuery. Loop-thread confined.
 */
final class Login {
    private static final int PROTOCOL_3_0 = 196_608;
    private static final int SSL_REQUEST = 80_877_103;

    private final PgProtocol p;
    /** The TLS settings when the URI asks for TLS, else null. */
    private final TlsConfig tls;
    private Scram scram;

    Login(PgProtocol protocol) {
        this.p = protocol;
        PgUri.SslMode mode = protocol.uri.ssl();
        // Over a Unix socket there is no TLS (the server refuses it there); libpq ignores sslmode then too.
        if (!protocol.uri.isUnixSocket()
                && (mode == PgUri.SslMode.REQUIRE || mode == PgUri.SslMode.VERIFY_CA || mode == PgUri.SslMode.VERIFY_FULL)) {
            TlsConfig t = protocol.options.tls() != null ? protocol.options.tls()
                    : mode == PgUri.SslMode.REQUIRE ? TlsConfig.client(anyCertificate()) : TlsConfig.client();
            this.tls = mode == PgUri.SslMode.VERIFY_FULL ? t : t.verifyHostname(false);
        } else {
            this.tls = null;
        }
    }

    /**
     * libpq's {@code sslmode=require} with no trust given: the connection is encrypted and the
     * certificate is not checked (libpq checks it only when a root certificate file exists; here,
     * when {@link PgOptions#tls} is given). Secure against eavesdropping, not against a server in
     * the middle: {@code verify-full} is.
     */
    private static SSLContext anyCertificate() {
        X509TrustManager any = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {any}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no TLS context", e);
        }
    }

    /** The TLS settings of the connection, or null when it is plain: the CancelRequest uses them too. */
    TlsConfig tls() {
        return tls;
    }

    /** Sends SSLRequest when TLS is asked for, else the StartupMessage. */
    void start() {
        if (tls != null) {
            p.phase = PgProtocol.Phase.TLS;
            p.out.beginUntyped();
            p.out.int32(SSL_REQUEST);
            p.out.end();
            p.writeNow();
        } else {
            startup();
        }
    }

    private void startup() {
        p.phase = PgProtocol.Phase.AUTHENTICATING;
        p.out.beginUntyped();
        p.out.int32(PROTOCOL_3_0);
        p.out.cstring("user");
        p.out.cstring(p.uri.user());
        p.out.cstring("database");
        p.out.cstring(p.uri.database());
        p.out.cstring("client_encoding");
        p.out.cstring("UTF8");
        if (p.uri.applicationName() != null) {
            p.out.cstring("application_name");
            p.out.cstring(p.uri.applicationName());
        }
        p.out.int8(0);
        p.out.end();
        p.writeNow();
    }

    /** The one-byte answer to SSLRequest. */
    void sslAnswer(byte answer) {
        if (answer == 'S') {
            p.phase = PgProtocol.Phase.STARTING;
            Transport plain = p.transport;
            Net.startTls(plain, tls).onDone(h -> {
                if (h.isCancelled() || h.exception() != null) {
                    Throwable e = h.isCancelled() ? new PgConnectionException("TLS handshake cancelled") : h.exception();
                    p.failStartup(new PgConnectionException("TLS handshake with " + p.server + " failed: " + e, e));
                    plain.abort();
                } else {
                    p.transport = h.result();
                    startup();
                }
            });
        } else if (answer == 'N') {
            p.failStartup(new PgConnectionException(p.server + " does not accept TLS connections, and sslmode="
                    + p.uri.sslMode() + " requires TLS"));
            p.transport.abort();
        } else {
            p.protocolError("answer '" + (char) answer + "' to SSLRequest (expected 'S' or 'N')");
        }
    }

    void authentication(ByteBuffer body) throws PgConnectionException {
        int code = body.getInt();
        switch (code) {
            case 0 -> { } // AuthenticationOk
            case 3 -> password(password("cleartext password").getBytes(UTF_8), true);
            case 5 -> {
                byte[] salt = new byte[4];
                body.get(salt);
                password(Scram.md5(p.uri.user(), password("MD5 password"), salt).getBytes(UTF_8), true);
            }
            case 10 -> {
                StringBuilder offered = new StringBuilder();
                boolean scramOffered = false;
                for (String m = Exchange.cstring(body); !m.isEmpty(); m = Exchange.cstring(body)) {
                    offered.append(offered.length() > 0 ? ", " : "").append(m);
                    scramOffered |= m.equals(Scram.MECHANISM);
                }
                if (!scramOffered) {
                    throw new PgConnectionException(p.server + " offers SASL mechanisms " + offered + "; this client speaks "
                            + Scram.MECHANISM + " only");
                }
                scram = new Scram(password("SCRAM-SHA-256 password"));
                byte[] first = scram.clientFirst();
                p.out.begin((byte) 'p');
                p.out.cstring(Scram.MECHANISM);
                p.out.int32(first.length);
                p.out.bytes(first);
                p.out.end();
                p.writeNow();
            }
            case 11 -> {
                if (scram == null) {
                    throw new PgConnectionException("SASLContinue from " + p.server + " before SASL began");
                }
                // the salted password takes thousands of HMACs: computed on the default executor,
                // so that the loop's other connections do not wait for this login
                Scram exchange = scram;
                String serverFirst = PgTypes.text(body, body.remaining());
                Async.toThread(() -> exchange.clientFinal(serverFirst)).onDone(f -> {
                    if (p.phase != PgProtocol.Phase.AUTHENTICATING || f.isCancelled()) {
                        return; // the connection ended meanwhile
                    }
                    if (f.exception() != null) {
                        Throwable e = f.exception();
                        p.failStartup(e instanceof PgConnectionException c ? c
                                : new PgConnectionException("SCRAM with " + p.server + " failed: " + e, e));
                        p.abortTransport();
                        return;
                    }
                    password(f.result(), false);
                });
            }
            case 12 -> {
                if (scram == null) {
                    throw new PgConnectionException("SASLFinal from " + p.server + " before SASL began");
                }
                scram.checkServerFinal(PgTypes.text(body, body.remaining()));
            }
            default -> throw new PgConnectionException(p.server + " asks for authentication method " + code
                    + " (" + switch (code) {
                        case 2 -> "Kerberos V5";
                        case 6 -> "SCM credentials";
                        case 7, 8 -> "GSSAPI";
                        case 9 -> "SSPI";
                        default -> "unknown";
                    } + "), which this client does not speak: it speaks trust, password, md5 and scram-sha-256");
        }
    }

    private String password(String what) throws PgConnectionException {
        if (p.uri.password() == null) {
            throw new PgConnectionException(p.server + " asks user \"" + p.uri.user() + "\" for a " + what
                    + ", and the URI gives none (postgresql://user:password@host/db)");
        }
        return p.uri.password();
    }

    /** A PasswordMessage or SASLResponse: 'p' and the bytes (NUL-terminated for a password). */
    private void password(byte[] data, boolean nulTerminated) {
        p.out.begin((byte) 'p');
        p.out.bytes(data);
        if (nulTerminated) {
            p.out.int8(0);
        }
        p.out.end();
        p.writeNow();
    }

}
