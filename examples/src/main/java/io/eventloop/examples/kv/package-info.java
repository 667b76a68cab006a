/**
 * The kv-server example ({@code ./run kv-server}): a key-value server that speaks Redis's
 * protocol, so that {@code redis-cli} and {@code redis-benchmark} use it unchanged.
 *
 * <p>The map of the package, following one request from the socket to its reply:
 * <pre>
 *   read buffer ──&gt; KvConnection.dataReceived ──&gt; RequestParser.parse (arguments found in place)
 *        ──&gt; Commands.dispatch ──&gt; StringCommands / ListCommands / ServerCommands / PubSub
 *        ──&gt; Keyspace (the one map) ──&gt; Reply (shared buffer) ──&gt; one Transport.write per read
 * </pre>
 * <ul>
 * <li>{@link io.eventloop.examples.kv.KvServer}: the state shared by all clients, the limits and
 *     {@code main};
 * <li>{@code KvConnection}: one client (Redis's {@code client}), its pending bytes and flow
 *     control;
 * <li>{@code RequestParser}: incremental RESP and inline parsing, zero copy where the request is
 *     whole in the read buffer;
 * <li>{@code Reply}: RESP2/RESP3 replies written into one buffer without allocation;
 * <li>{@code Keyspace}, {@code ByteList}: the map and the list value;
 * <li>{@code Expiry}: the active expiry cycle; {@code Glob}: KEYS and PSUBSCRIBE patterns.
 * </ul>
 * Compared with asyncio: the server is a {@code Protocol} factory passed to
 * {@code loop.create_server}, with {@code call_later} for its expiry timer.
 */
package io.eventloop.examples.kv;
