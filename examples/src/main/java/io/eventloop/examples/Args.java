package io.eventloop.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of every example: {@code --name value} or {@code --name=value}. An option
 * whose default is {@code "false"} is a switch: {@code --name} alone turns it on
 * ({@code --name=false} turns it off again). The rule all of them follow:
 * <ul>
 * <li>{@code -h} or {@code --help} prints the usage and exits with status 0;
 * <li>an unknown option, a missing or bad value, or an argument the program does not take prints
 *     a message naming it, then the usage, on stderr and exits with status 2 (no stack trace);
 * <li>a program that waits takes {@code --scale F} ({@link Scale}); a server takes {@code --host}
 *     (default 127.0.0.1), {@code --port} (0 picks a free port) and the TLS options of
 *     {@link ServerTls}.
 * </ul>
 * Public for the examples in sub-packages.
 */
public final class Args {
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> operands = new ArrayList<>();
    private final String usage;

    /** The usage line of {@code --unix}, for the servers that take it. */
    public static final String UNIX_USAGE = "--unix PATH listens on a Unix domain socket at PATH instead of --host/--port"
            + " (a stale socket file there is replaced; the file is removed on exit);"
            + " try it with nc -U PATH or socat - UNIX-CONNECT:PATH";

    private Args(String usage) {
        this.usage = usage;
    }

    /**
     * The path of {@code --unix}, or null when it is not given; exits with status 2, naming both,
     * if {@code --tls} is given too (the examples print TLS client commands for TCP only).
     */
    public Path unixPath() {
        String unix = get("unix");
        if (unix == null || unix.isEmpty()) {
            return null;
        }
        if ("true".equals(values.get("tls"))) {
            fail("--unix " + unix + " and --tls: the examples serve TLS on TCP only (Net.startUnixServer takes a TlsConfig)");
        }
        return Path.of(unix);
    }

    /**
     * Parses {@code args} against {@code defaults}, given as name, value, name, value...; an
     * unknown option, a missing value or any argument that is not an option prints the usage and
     * exits with status 2.
     */
    public static Args parse(String[] args, String usage, String... defaults) {
        return parse(args, usage, false, defaults);
    }

    /**
     * As {@link #parse}, but the arguments that are not options are kept, in order, as
     * {@link #operands()}: the fetch programs' URLs.
     */
    public static Args parseWithOperands(String[] args, String usage, String... defaults) {
        return parse(args, usage, true, defaults);
    }

    private static Args parse(String[] args, String usage, boolean takesOperands, String... defaults) {
        Args a = new Args(usage);
        for (int i = 0; i + 1 < defaults.length; i += 2) {
            a.defaults.put(defaults[i], defaults[i + 1]);
            a.values.put(defaults[i], defaults[i + 1]);
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                System.out.println(a.usageText());
                System.exit(0);
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                if (!takesOperands) {
                    a.fail("unexpected argument: " + arg + " (this program takes options only)");
                }
                a.operands.add(arg);
                continue;
            }
            if (!arg.startsWith("--")) {
                a.fail("unknown option " + arg);
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else {
                value = null;
            }
            if (!a.values.containsKey(name)) {
                a.fail("unknown option --" + name);
            }
            if (value == null && a.isSwitch(name)) {
                value = "true";
            } else if (value == null && i + 1 < args.length) {
                value = args[++i];
            } else if (value == null) {
                a.fail("missing value for --" + name);
                return a;
            }
            if (a.isSwitch(name) && !value.equals("true") && !value.equals("false")) {
                a.fail("--" + name + " is a switch: give it alone, or as --" + name + "=false; got " + value);
            }
            a.values.put(name, value);
        }
        return a;
    }

    /** The arguments that are not options, in order (only with {@link #parseWithOperands}). */
    public List<String> operands() {
        return operands;
    }

    /** The value of option {@code --name} (its default if not given). */
    public String get(String name) {
        return values.get(name);
    }

    /** Whether switch {@code --name} was given (see the class comment). */
    public boolean flag(String name) {
        return "true".equals(values.get(name));
    }

    /** The value of option {@code --name} as an int; not a number prints the usage and exits. */
    public int intValue(String name) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            fail("--" + name + " needs a number, got " + values.get(name));
            return 0;
        }
    }

    /** The value of option {@code --name} as a double; not a number prints the usage and exits. */
    public double doubleValue(String name) {
        try {
            return Double.parseDouble(values.get(name));
        } catch (NumberFormatException e) {
            fail("--" + name + " needs a number, got " + values.get(name));
            return 0;
        }
    }

    /**
     * The value of option {@code --name}, a number of seconds (fractions allowed), as a duration;
     * not a number, or a negative one, prints the usage and exits.
     */
    public Duration seconds(String name) {
        double s = doubleValue(name);
        if (!(s >= 0) || Double.isInfinite(s)) {
            fail("--" + name + " needs a number of seconds (0 or more), got " + values.get(name));
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private boolean isSwitch(String name) {
        return "false".equals(defaults.get(name));
    }

    private String usageText() {
        StringBuilder sb = new StringBuilder("usage: ").append(usage).append("\noptions (default):");
        defaults.forEach((k, v) -> sb.append("\n  --").append(k)
                .append(" (").append(isSwitch(k) ? "off" : v.isEmpty() ? "none" : v).append(')'));
        return sb.toString();
    }

    /** Prints {@code message} and the usage to stderr and exits with status 2, as a bad option does. */
    public void fail(String message) {
        System.err.println(message);
        System.err.println(usageText());
        System.exit(2);
    }

    /** {@code host:port}, with an IPv6 literal in brackets. */
    public static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
