package io.eventloop.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * A parsed connection URI, libpq's form:
 * {@code postgresql://user:password@host:port/database?sslmode=require&application_name=app}
 * ({@code postgres://} too). Every part is percent-decoded; missing parts take libpq's defaults
 * (host {@code localhost}, port 5432, user {@code $USER}... here the JVM's {@code user.name}, the
 * database named as the user). Query parameters: {@code sslmode}, {@code application_name},
 * {@code connect_timeout} (seconds), and {@code host}, {@code port}, {@code user},
 * {@code password}, {@code dbname} overriding the parts above; {@code host} starting with
 * {@code /} is a Unix-socket directory. Any other parameter is refused, naming it.
 */
record PgUri(String user, String password, String host, int port, String database, String sslMode,
        String applicationName, Duration connectTimeout) {

    /** The SSL modes of libpq this client knows. */
    enum SslMode { DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL }

    static PgUri parse(String uri) {
        if (uri == null) {
            throw new IllegalArgumentException("the connection URI is null");
        }
        String rest;
        if (uri.startsWith("postgresql://")) {
            rest = uri.substring("postgresql://".length());
        } else if (uri.startsWith("postgres://")) {
            rest = uri.substring("postgres://".length());
        } else {
            throw new IllegalArgumentException("not a PostgreSQL URI (postgresql://user:password@host:port/database): "
                    + redact(uri));
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon >= 0 ? info.substring(0, colon) : info, uri);
            password = colon >= 0 ? decode(info.substring(colon + 1), uri) : null;
        }
        String host = rest;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in the host of " + redact(uri));
            }
            host = rest.substring(1, close);
            if (rest.length() > close + 1) {
                if (rest.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("unexpected text after ] in the host of " + redact(uri));
                }
                portText = rest.substring(close + 2);
            }
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0) {
                host = rest.substring(0, colon);
                portText = rest.substring(colon + 1);
            }
        }
        host = decode(host, uri);
        String database = path.isEmpty() ? null : decode(path, uri);
        String sslMode = "prefer";
        String application = null;
        Duration connectTimeout = null;
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq >= 0 ? pair.substring(0, eq) : pair, uri);
                String value = eq >= 0 ? decode(pair.substring(eq + 1), uri) : "";
                switch (key) {
                    case "sslmode" -> sslMode = value;
                    case "application_name" -> application = value;
                    case "host" -> host = value;
                    case "port" -> portText = value;
                    case "user" -> user = value;
                    case "password" -> password = value;
                    case "dbname" -> database = value;
                    case "connect_timeout" -> {
                        long s = number(value, "connect_timeout", uri);
                        connectTimeout = s > 0 ? Duration.ofSeconds(s) : null;
                    }
                    default -> throw new IllegalArgumentException("unknown parameter \"" + key + "\" in " + redact(uri)
                            + " (known: sslmode, application_name, connect_timeout, host, port, user, password, dbname)");
                }
            }
        }
        sslMode(sslMode, uri);
        int port = 5432;
        if (portText != null && !portText.isEmpty()) {
            long p = number(portText, "port", uri);
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port " + p + " is out of range (1-65535) in " + redact(uri));
            }
            port = (int) p;
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (user == null || user.isEmpty()) {
            user = System.getProperty("user.name");
        }
        if (database == null || database.isEmpty()) {
            database = user;
        }
        return new PgUri(user, password, host, port, database, sslMode, application, connectTimeout);
    }

    /** The mode named in the URI. */
    SslMode ssl() {
        return sslMode(sslMode, null);
    }

    private static SslMode sslMode(String text, String uri) {
        try {
            return SslMode.valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown sslmode \"" + text + "\" in " + redact(uri)
                    + " (known: disable, allow, prefer, require, verify-ca, verify-full)");
        }
    }

    /** Whether {@link #host()} is a Unix-socket directory rather than a host name. */
    boolean isUnixSocket() {
        return host.startsWith("/");
    }

    /** host:port (or the socket's path), for messages. */
    String server() {
        return isUnixSocket() ? host + "/.s.PGSQL." + port : (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    private static long number(String text, String what, String uri) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " \"" + text + "\" is not a number in " + redact(uri));
        }
    }

    private static String decode(String s, String uri) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("bad percent-encoding \"" + s.substring(i, Math.min(s.length(), i + 3))
                            + "\" in " + redact(uri));
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The URI without its password, for messages. */
    static String redact(String uri) {
        if (uri == null) {
            return "null";
        }
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@', uri.indexOf('/', scheme + 3) < 0 ? uri.length() : uri.indexOf('/', scheme + 3));
        if (scheme < 0 || at < 0) {
            return uri;
        }
        int colon = uri.indexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? uri.substring(0, colon) + ":***" + uri.substring(at) : uri;
    }

    @Override
    public String toString() {
        return "postgresql://" + user + "@" + server() + "/" + database;
    }
}
