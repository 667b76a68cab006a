package io.eventloop.net;

import java.io.IOException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * How one side of a TLS connection is set up: the {@link SSLContext} (certificates, trust), the
 * side, and what asyncio passes as keyword arguments beside {@code ssl=}: the server's name,
 * ALPN protocols and the handshake and shutdown timeouts. Give it to the {@code Net} overloads
 * that take one ({@link Net#startServer(io.eventloop.EventLoop, java.util.function.BiFunction,
 * String, int, TlsConfig)}, {@link Net#openConnection(io.eventloop.EventLoop, String, int,
 * TlsConfig)}, ...) or to {@link Net#startTls} / {@link StreamWriter#startTls}.
 *
 * <pre>{@code
 * TlsConfig server = TlsConfig.server(Path.of("cert.pem"), Path.of("key.pem"));
 * TlsConfig client = TlsConfig.client();                            // the JDK's trust store
 * TlsConfig pinned = TlsConfig.clientTrusting(Path.of("ca.pem"));   // curl --cacert
 * }</pre>
 *
 * <p>Immutable: each {@code with}-style method returns a copy with one setting changed, so one
 * configuration can be shared by every connection of a server, on any thread.
 *
 * <p>Compared with asyncio: {@code ssl=context} is {@link #server(SSLContext)} or
 * {@link #client(SSLContext)}; {@code server_hostname=} is {@link #serverName(String)} (and
 * {@code server_hostname=''} is {@link #verifyHostname(boolean) verifyHostname(false)});
 * {@code ssl_handshake_timeout=} and {@code ssl_shutdown_timeout=} are
 * {@link #handshakeTimeout(Duration)} and {@link #shutdownTimeout(Duration)} with the same
 * defaults; {@code context.set_alpn_protocols()} is {@link #applicationProtocols(String...)}.
 * As with {@code ssl.create_default_context()}, a client verifies the server's certificate and
 * its host name unless told otherwise.
 */
public final class TlsConfig {
    /** How long a handshake may take before the connection is aborted: 60 s, asyncio's default. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * How long a closing connection waits for the peer's {@code close_notify} (and for its own
     * to be sent) before it is aborted: 30 s, asyncio's default.
     */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final SSLContext context;
    private final boolean server;
    private final String serverName;
    private final boolean verifyHostname;
    private final List<String> applicationProtocols;
    private final List<String> protocols;
    private final Duration handshakeTimeout;
    private final Duration shutdownTimeout;

    private TlsConfig(SSLContext context, boolean server, String serverName, boolean verifyHostname,
            List<String> applicationProtocols, List<String> protocols, Duration handshakeTimeout,
            Duration shutdownTimeout) {
        this.context = context;
        this.server = server;
        this.serverName = serverName;
        this.verifyHostname = verifyHostname;
        this.applicationProtocols = applicationProtocols;
        this.protocols = protocols;
        this.handshakeTimeout = handshakeTimeout;
        this.shutdownTimeout = shutdownTimeout;
    }

    // ------------------------------------------------------------------ the two sides

    /**
     * The server side of TLS with {@code context}'s key and certificates.
     *
     * @param context holds the server's key and certificate chain
     * @return a server configuration
     */
    public static TlsConfig server(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return new TlsConfig(context, true, null, false, List.of(), List.of(), DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * The server side of TLS with a certificate chain and its private key, both PEM files as
     * {@code openssl} and certbot write them: the chain leaf first; the key unencrypted, PKCS#8
     * ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
     * ({@code BEGIN EC PRIVATE KEY}). asyncio's {@code context.load_cert_chain(cert, key)}.
     *
     * @param certificateChain the PEM file of the certificate chain, leaf first
     * @param privateKey the PEM file of the leaf's private key, unencrypted
     * @return a server configuration
     * @throws IOException if a file cannot be read or holds no certificate or no usable key (the
     *     message names the file)
     * @throws IllegalArgumentException if the key does not belong to the certificate
     */
    public static TlsConfig server(Path certificateChain, Path privateKey) throws IOException {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
        return server(Pem.serverContext(Pem.readCertificates(certificateChain), Pem.readPrivateKey(privateKey)));
    }

    /**
     * The client side of TLS trusting the JDK's default trust store (its {@code cacerts}), with
     * hostname verification: asyncio's {@code ssl.create_default_context()}.
     *
     * @return a client configuration
     */
    public static TlsConfig client() {
        try {
            return client(SSLContext.getDefault());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no default TLS context", e);
        }
    }

    /**
     * The client side of TLS with {@code context}'s trust (and client key, if any).
     *
     * @param context holds the trusted certificates, and the client's key if it presents one
     * @return a client configuration
     */
    public static TlsConfig client(SSLContext context) {
        Objects.requireNonNull(context, "context");
        return new TlsConfig(context, false, null, true, List.of(), List.of(), DEFAULT_HANDSHAKE_TIMEOUT,
                DEFAULT_SHUTDOWN_TIMEOUT);
    }

    /**
     * The client side of TLS trusting exactly the certificates in a PEM file (a private CA, or a
     * server's self-signed certificate), with hostname verification: {@code curl --cacert FILE},
     * asyncio's {@code ssl.create_default_context(cafile=FILE)} (which, like this, trusts the file
     * instead of the system's roots).
     *
     * @param caCertificates the PEM file of the certificates to trust
     * @return a client configuration
     * @throws IOException if the file cannot be read or holds no certificate
     */
    public static TlsConfig clientTrusting(Path caCertificates) throws IOException {
        Objects.requireNonNull(caCertificates, "caCertificates");
        return client(Pem.trustingContext(Pem.readCertificates(caCertificates)));
    }

    // ------------------------------------------------------------------ settings

    /**
     * The name a client sends in SNI and checks the server's certificate against. By default the
     * host given to {@code openConnection} / {@code createConnection}; set it when connecting by
     * address, or for {@link Net#startTls} on a connection made some other way.
     *
     * @param name the host name to send and check the certificate against
     * @return a copy with that name
     * @throws IllegalStateException on a server configuration
     */
    public TlsConfig serverName(String name) {
        Objects.requireNonNull(name, "name");
        clientOnly("serverName");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("serverName must not be empty; use verifyHostname(false) to skip the check");
        }
        return new TlsConfig(context, server, name, verifyHostname, applicationProtocols, protocols, handshakeTimeout,
                shutdownTimeout);
    }

    /**
     * Whether a client checks that the server's certificate is for the host it connects to
     * (default true). The certificate chain is checked against the trust store either way; turn
     * this off only for a peer known by other means (asyncio: {@code check_hostname = False}).
     *
     * @param on whether to check the host name
     * @return a copy with that setting
     * @throws IllegalStateException on a server configuration
     */
    public TlsConfig verifyHostname(boolean on) {
        clientOnly("verifyHostname");
        return new TlsConfig(context, server, serverName, on, applicationProtocols, protocols, handshakeTimeout,
                shutdownTimeout);
    }

    /**
     * The ALPN protocols offered (client) or accepted (server), most preferred first, e.g.
     * {@code "h2", "http/1.1"}. A server picks the first of its list that the client offers; see
     * {@link Transport#applicationProtocol()} for the outcome. None by default.
     *
     * @param names the protocol names, such as {@code "h2"} or {@code "http/1.1"}
     * @return a copy with those protocols
     */
    public TlsConfig applicationProtocols(String... names) {
        List<String> list = List.of(names); // rejects nulls
        for (String n : list) {
            if (n.isEmpty()) {
                throw new IllegalArgumentException("empty ALPN protocol name in " + Arrays.toString(names));
            }
        }
        return new TlsConfig(context, server, serverName, verifyHostname, list, protocols, handshakeTimeout,
                shutdownTimeout);
    }

    /**
     * The TLS versions allowed, e.g. {@code "TLSv1.3"} or {@code "TLSv1.2", "TLSv1.3"}. By
     * default the context's own (TLS 1.3 and 1.2 on current JDKs).
     *
     * @param versions the protocol versions, such as {@code "TLSv1.3"}
     * @return a copy allowing only those versions
     * @throws IllegalArgumentException if the context does not support one of them
     */
    public TlsConfig protocols(String... versions) {
        List<String> list = List.of(versions);
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        for (String v : list) {
            if (!supported.contains(v)) {
                throw new IllegalArgumentException("TLS version " + v + " is not supported here; supported: " + supported);
            }
        }
        return new TlsConfig(context, server, serverName, verifyHostname, applicationProtocols, list, handshakeTimeout,
                shutdownTimeout);
    }

    /**
     * How long the handshake may take (default {@link #DEFAULT_HANDSHAKE_TIMEOUT}); then the connection is aborted.
     *
     * @param timeout the longest handshake
     * @return a copy with that timeout
     */
    public TlsConfig handshakeTimeout(Duration timeout) {
        return new TlsConfig(context, server, serverName, verifyHostname, applicationProtocols, protocols,
                positive(timeout, "handshakeTimeout"), shutdownTimeout);
    }

    /**
     * How long {@code close()} waits for the peer's {@code close_notify} (default
     * {@link #DEFAULT_SHUTDOWN_TIMEOUT}); then the connection is aborted. Many TLS 1.3 peers
     * never answer one, so this bounds what each of them costs.
     *
     * @param timeout the longest wait for the peer's {@code close_notify}
     * @return a copy with that timeout
     */
    public TlsConfig shutdownTimeout(Duration timeout) {
        return new TlsConfig(context, server, serverName, verifyHostname, applicationProtocols, protocols,
                handshakeTimeout, positive(timeout, "shutdownTimeout"));
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    private void clientOnly(String setting) {
        if (server) {
            throw new IllegalStateException(setting + " is a client setting; this is a server configuration");
        }
    }

    // ------------------------------------------------------------------ reading it back

    /**
     * The context engines are made from.
     *
     * @return the SSL context
     */
    public SSLContext context() {
        return context;
    }

    /**
     * Whether this is the server side.
     *
     * @return true for a server configuration, false for a client one
     */
    public boolean isServer() {
        return server;
    }

    /**
     * The name set with {@link #serverName(String)}, or null (then the host connected to is used).
     *
     * @return the server name, or null
     */
    public String serverName() {
        return serverName;
    }

    /**
     * Whether a client checks the server's host name (always false for a server).
     *
     * @return true if a client checks the host name
     */
    public boolean verifiesHostname() {
        return verifyHostname;
    }

    /**
     * The ALPN protocols, most preferred first; empty when none.
     *
     * @return the ALPN protocol names, in order of preference
     */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /**
     * The TLS versions allowed; empty means the context's defaults.
     *
     * @return the TLS version names
     */
    public List<String> protocols() {
        return protocols;
    }

    /**
     * The handshake timeout.
     *
     * @return how long a handshake may take
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * The shutdown timeout.
     *
     * @return how long a close waits for the peer's {@code close_notify}
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * A new engine for one connection. {@code host} is the client's target name (SNI and
     * hostname verification) or, on a server, the peer's address (for session caching only).
     */
    SSLEngine newEngine(String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(!server);
        SSLParameters p = engine.getSSLParameters();
        if (!server) {
            if (verifyHostname) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (host != null && !Resolver.isLiteral(host)) {
                try {
                    p.setServerNames(List.of(new SNIHostName(host)));
                } catch (IllegalArgumentException notADnsName) {
                    // e.g. a name with an underscore: connect without SNI, as the JDK itself would
                }
            }
        }
        if (!applicationProtocols.isEmpty()) {
            p.setApplicationProtocols(applicationProtocols.toArray(new String[0]));
        }
        if (!protocols.isEmpty()) {
            p.setProtocols(protocols.toArray(new String[0]));
        }
        engine.setSSLParameters(p);
        return engine;
    }

    @Override
    public String toString() {
        return "TlsConfig[" + (server ? "server" : "client")
                + (serverName != null ? ", serverName=" + serverName : "")
                + (!server && !verifyHostname ? ", no hostname check" : "")
                + (applicationProtocols.isEmpty() ? "" : ", alpn=" + applicationProtocols)
                + (protocols.isEmpty() ? "" : ", protocols=" + protocols)
                + ", handshake " + handshakeTimeout.toMillis() + " ms, shutdown " + shutdownTimeout.toMillis() + " ms]";
    }
}
