/**
 * A non-blocking PostgreSQL client on the loop: asyncpg's counterpart, in the library's
 * continuation style. The wire protocol (version 3.0) is built by hand on a
 * {@link io.eventloop.net.Protocol}; nothing blocks and no thread is added.
 *
 * <h2>The map</h2>
 * <ul>
 *   <li>{@link io.eventloop.postgres.PgConnection} — connect with a URI, {@code fetch},
 *       {@code fetchRow}, {@code fetchVal}, {@code execute}; pipelined; cancellation;
 *       {@code transaction(body)}; {@code listen(channel)} and {@code addListener}; the bulk
 *       writes {@code executeMany}, {@code copyRecordsToTable}, {@code copyToTable},
 *       {@code copyFromTable}, {@code copyFromQuery}.</li>
 *   <li>{@link io.eventloop.postgres.PgTransaction} — a transaction block or savepoint: the manual
 *       form under {@code transaction(body)}, its {@code Options} and {@code Isolation}.</li>
 *   <li>{@link io.eventloop.postgres.Notifications} — the notifications of a channel as an async
 *       iterator, with a bounded buffer; {@link io.eventloop.postgres.Notification} — one of them
 *       (pid, channel, payload); {@link io.eventloop.postgres.NotificationOverflowException} — a
 *       consumer that fell behind.</li>
 *   <li>{@link io.eventloop.postgres.CopyOptions} — a COPY's schema, columns, format and its
 *       details; {@link io.eventloop.postgres.PgCopy} — files and channels as COPY sinks and
 *       sources.</li>
 *   <li>{@link io.eventloop.postgres.Row} — a result row: values by position or name, typed
 *       getters; its documentation has the table of types.</li>
 *   <li>{@link io.eventloop.postgres.PgOptions} — timeouts, the statement cache, limits, TLS
 *       trust.</li>
 *   <li>{@link io.eventloop.postgres.PgPool} with {@link io.eventloop.postgres.PgPoolOptions} —
 *       asyncpg's {@code Pool}: {@code acquire}, {@code release}, {@code withConnection}, the
 *       shortcuts, sizes, lifetimes, a reset on release, graceful close.</li>
 *   <li>Failures: {@link io.eventloop.postgres.PgException} (an ErrorResponse: SQLSTATE, detail,
 *       hint, position), {@link io.eventloop.postgres.PgConnectionException} (no answer because
 *       of the connection, or a server that broke the protocol);
 *       {@link java.util.concurrent.TimeoutException},
 *       {@link java.util.concurrent.RejectedExecutionException} and
 *       {@link java.lang.IllegalArgumentException} (an argument that does not fit its
 *       parameter).</li>
 *   <li>Inside: {@code PgProtocol} (one connection: framing, the statement cache, the {@code outgoing} and {@code inflight} queues, cancellation, loss),
 *       {@code Exchange} with {@code Statement} (Parse/Describe/Sync of a new SQL text) and
 *       {@code Query} (Bind/Execute/Sync, or a simple Query; its rows and tag), {@code PgTypes}
 *       (binary encoding and decoding by OID), {@code MessageWriter} (one batch of frontend
 *       messages), {@code Login} (SSLRequest and TLS, the startup message, authentication), {@code CancelRequest} (the side connection that stops a running query, over TLS when the connection is),
 *       {@code Scram} (SCRAM-SHA-256 and MD5), {@code PgUri}, {@code PgRow},
 *       {@code Listening} (the channels listened on and their listeners, LISTEN and UNLISTEN),
 *       {@code TransactionScope} (the future of {@code transaction(body)}: start, body, commit or
 *       rollback), the pool's {@code PoolMember} (one connection of it), {@code PoolAcquire}
 *       (a caller waiting in its queue) and {@code PoolHolder} (a {@code withConnection} body and
 *       its release); for the bulk
 *       writes {@code Bulk} (a query's body written a chunk at a time) with {@code ExecuteMany},
 *       {@code CopyIn}, {@code CopyOut}, {@code CopyQuery} (arguments of a COPY query), and
 *       {@code BulkWriter} (the chunks, back-pressure, and the rule that nothing else is written
 *       until the Sync).</li>
 * </ul>
 *
 * <h2>One byte buffer, followed</h2>
 * The loop reads the socket into its read buffer and calls {@code PgProtocol.dataReceived}, which
 * frames backend messages in place (only the unfinished tail of a read is copied aside, and only
 * up to {@link io.eventloop.postgres.PgOptions#maxMessageSize}); each message goes to the oldest
 * exchange in flight; a DataRow's values are decoded straight from the buffer into Java objects;
 * ReadyForQuery completes the query's future, whose continuation runs on the next iteration.
 *
 * <h2>Threads</h2>
 * Everything belongs to the loop thread of the connection; from other threads go through
 * {@link io.eventloop.EventLoop#submit}.
 */
package io.eventloop.postgres;
