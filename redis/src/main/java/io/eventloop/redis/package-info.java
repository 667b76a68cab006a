/**
 * An asynchronous Redis client on the loop: redis-py's asyncio client (formerly aioredis), in
 * the library's continuation style.
 *
 * <h2>The map</h2>
 * <ul>
 *   <li>{@link io.eventloop.redis.RedisClient} — connect, the commands (through
 *       {@link io.eventloop.redis.RedisCommands}), transactions, subscriptions, a lent connection;
 *       one shared connection, pipelined automatically, reconnected with backoff.</li>
 *   <li>{@link io.eventloop.redis.RedisOptions} — credentials, database, timeouts, TLS, RESP2 or
 *       RESP3, reconnecting, limits.</li>
 *   <li>{@link io.eventloop.redis.Transaction} — {@code MULTI} ... {@code EXEC} built on the side
 *       and sent in one write; {@link io.eventloop.redis.RedisConnection} — a pool connection lent
 *       to one body, for {@code WATCH}.</li>
 *   <li>{@link io.eventloop.redis.Subscription} and {@link io.eventloop.redis.Message} —
 *       publish/subscribe as an {@link io.eventloop.AsyncIterator}.</li>
 *   <li>Failures: {@link io.eventloop.redis.RedisException} (an error reply, the server's text),
 *       {@link io.eventloop.redis.RedisWatchException} (EXEC aborted by WATCH),
 *       {@link io.eventloop.redis.RedisConnectionException} (no reply because of the connection),
 *       {@link io.eventloop.redis.RedisProtocolException} (not RESP, or over a limit);
 *       {@link java.util.concurrent.TimeoutException} for a command timeout and
 *       {@link java.util.concurrent.RejectedExecutionException} for too many waiting commands.</li>
 *   <li>Inside: {@code RedisProtocol} (one connection as a {@link io.eventloop.net.Protocol}: the
 *       write batch, the reply queue, the timeout sweep), {@code RespParser} (incremental, with
 *       limits), {@code Resp} (reply values and their Java mapping), {@code CommandBuffer} (the
 *       encoder), {@code ConnectionPool} (connections for blocking commands), {@code Blocking}
 *       (which commands block).</li>
 * </ul>
 *
 * <h2>One byte buffer, followed</h2>
 * The loop reads a socket into its read buffer and calls {@code RedisProtocol.dataReceived}; the
 * parser walks it, copying each bulk string once into its final {@code byte[]}; each complete
 * reply completes the oldest waiting command's future (text commands decode the array into a
 * {@code String}); the future's continuation runs on the next iteration. Nothing between the
 * socket and the future holds a second copy.
 *
 * <h2>Threads</h2>
 * Everything belongs to the loop thread of the client; from other threads go through
 * {@link io.eventloop.EventLoop#submit}.
 */
package io.eventloop.redis;
