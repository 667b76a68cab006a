/**
 * One small program per common asyncio mistake, made on purpose, with the report the loop prints
 * about it and, after it, the fix: {@code ./run pitfall-no-await}, {@code pitfall-blocking},
 * {@code pitfall-unbounded}, {@code pitfall-no-timeout}, {@code pitfall-hanging-shutdown},
 * {@code pitfall-nested-run}. The reports are the library's own log lines (SLF4J, printed to
 * stderr by slf4j-simple) and exception messages; {@code docs/parts/debugging.md} shows each
 * program's output.
 */
package io.eventloop.examples.pitfalls;
