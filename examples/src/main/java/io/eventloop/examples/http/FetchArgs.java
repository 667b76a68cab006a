package io.eventloop.examples.http;

import io.eventloop.examples.Args;
import io.eventloop.examples.Scale;
import io.eventloop.net.TlsConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * The fetch examples' command line: {@code --name value} options and any number of URLs,
 * {@code http://} or {@code https://}, parsed by {@link Args} (so an unknown option is refused
 * the same way). Every fetch example takes {@code --cacert FILE}: trust the certificates in that
 * PEM file, and only them, for {@code https://} URLs (curl's {@code --cacert}); without it, the
 * JDK's trust store. Those that ask their local server for delays take {@code --scale F}.
 */
final class FetchArgs {
    /** Printed under a certificate failure when no {@code --cacert} was given. */
    static final String CACERT_HINT = "(a server with a certificate of its own, self-signed or from a private CA,"
            + " is trusted with --cacert FILE)";

    private final Args options;
    private final List<String> urls;
    /** From --cacert, or null: the JDK's trust store. */
    private final TlsConfig tls;
    /** From --scale, or null for a program without it. */
    private final Scale scale;

    private FetchArgs(Args options, List<String> urls, TlsConfig tls, Scale scale) {
        this.options = options;
        this.urls = urls;
        this.tls = tls;
        this.scale = scale;
    }

    /**
     * Parses {@code args}: the options in {@code defaults} (name, value, ...), {@code --cacert},
     * and URLs. A program that declares {@code scale} gets {@link Scale#USAGE} in its usage.
     */
    static FetchArgs parse(String[] args, String usage, String... defaults) {
        boolean scaled = false;
        for (int i = 0; i < defaults.length; i += 2) {
            scaled |= defaults[i].equals("scale");
        }
        List<String> all = new ArrayList<>(List.of(defaults));
        all.addAll(List.of("cacert", ""));
        String help = usage
                + (scaled ? "\n" + Scale.USAGE + "; URLs given on the command line wait as long as they say" : "")
                + "\nhttps:// URLs are checked against the JDK's trust store, or with --cacert FILE against"
                + " the certificates in FILE (PEM) only";
        Args a = Args.parseWithOperands(args, help, all.toArray(new String[0]));
        List<String> urls = a.operands();
        TlsConfig tls = null;
        String cacert = a.get("cacert");
        if (!cacert.isEmpty()) {
            try {
                tls = TlsConfig.clientTrusting(Path.of(cacert));
            } catch (NoSuchFileException e) {
                a.fail("--cacert " + cacert + ": no such file");
            } catch (AccessDeniedException e) {
                a.fail("--cacert " + cacert + ": permission denied");
            } catch (IOException e) {
                a.fail("--cacert: " + e.getMessage()); // the message names the file
            }
        }
        return new FetchArgs(a, urls, tls, scaled ? Scale.of(a) : null);
    }

    List<String> urls() {
        return urls;
    }

    /** {@code --scale}, for a program that declares it. */
    Scale scale() {
        return scale;
    }

    int intValue(String name) {
        return options.intValue(name);
    }

    /** Prints {@code message} and the usage and exits with status 2, as a bad option does. */
    void fail(String message) {
        options.fail(message);
    }

    /** The client side of TLS that {@code --cacert} asks for, or null for the JDK's trust store. */
    TlsConfig tls() {
        return tls;
    }

    /** Options for the fetches' {@link HttpClient}: the defaults, with {@code --cacert}'s trust. */
    HttpClient.Options clientOptions() {
        return HttpClient.Options.defaults().tls(tls);
    }

    /** A program body that may throw, as {@code main} may. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}; a failure the user can do something about (a server refusing or not
     * answering, a certificate refused, a bad URL) is printed as one line on stderr and the
     * program exits with status 1, as curl does. A certificate failure's message is the
     * library's, naming the host and the reason. Anything else, a bug, keeps its stack trace.
     */
    void reportingFailures(Body body) throws Exception {
        try {
            body.run();
        } catch (CompletionException | IOException | TimeoutException | IllegalArgumentException e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof IOException || cause instanceof TimeoutException
                    || cause instanceof IllegalArgumentException)) {
                throw e;
            }
            System.err.println("error: " + (cause instanceof SSLException ? cause.getMessage() : cause.toString()));
            if (cause instanceof SSLException && tls == null) {
                System.err.println(CACERT_HINT);
            }
            System.exit(1);
        }
    }

    /** A duration in seconds as a short path segment: 1 rather than 1.0, 0.6 rather than 0.6000000000000001. */
    static String seconds(Duration d) {
        return new BigDecimal(d.toNanos()).movePointLeft(9).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
