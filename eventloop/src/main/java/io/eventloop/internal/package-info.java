/**
 * Implementation details of the loop that are not API: the timer heap, and the glue between the
 * loop and {@code io.eventloop.net} ({@link io.eventloop.internal.IoHandler},
 * {@link io.eventloop.internal.LoopAccess}). Public only because Java packages cannot share
 * package-private types; do not depend on anything here. The module {@code io.eventloop} exports
 * this package to {@code io.eventloop.testing} alone.
 */
package io.eventloop.internal;
