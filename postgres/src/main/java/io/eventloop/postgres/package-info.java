/**
 * A non-blocking PostgreSQL client on the loop: asyncpg's counterpart.
 */
package io.eventloop.postgres;
