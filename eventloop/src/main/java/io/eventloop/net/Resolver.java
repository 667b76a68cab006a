package io.eventloop.net;

import io.eventloop.EventLoop;
import io.eventloop.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Host names to addresses. A numeric address is parsed on the loop thread (no lookup happens);
 * a name is looked up on the loop's default executor, as asyncio's {@code getaddrinfo}, because
 * a DNS query can block for seconds.
 */
final class Resolver {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Resolver() {
    }

    /**
     * Whether {@code host} is a numeric IPv4 or IPv6 address (IPv6 possibly in brackets). A
     * dotted quad with an octet above 255 is not: {@link InetAddress#getByName} would look it up
     * as a name, on the loop thread.
     */
    static boolean isLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true; // getByName parses or rejects an IPv6 literal without a lookup
        }
        if (!IPV4.matcher(host).matches()) {
            return false;
        }
        for (String octet : host.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * The socket addresses of {@code host}:{@code port}, duplicates removed, in resolver order.
     * A null or empty host means the wildcard address (servers only).
     */
    static Future<List<InetSocketAddress>> resolve(EventLoop loop, String host, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (host == null || host.isEmpty()) {
            return NetSupport.completed(loop, List.of(new InetSocketAddress(port)));
        }
        if (isLiteral(host)) {
            String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            try {
                // getByName does no lookup for a numeric address
                return NetSupport.completed(loop, List.of(new InetSocketAddress(InetAddress.getByName(literal), port)));
            } catch (UnknownHostException e) {
                return NetSupport.failed(loop, e);
            }
        }
        return loop.runInExecutor(null, () -> addresses(InetAddress.getAllByName(host), port));
    }

    private static List<InetSocketAddress> addresses(InetAddress[] all, int port) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InetAddress a : new LinkedHashSet<>(List.of(all))) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }
}
