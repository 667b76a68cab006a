/**
 * Implementation details of the loop that are not API: the timer heap. Public only because Java
 * packages cannot share package-private types; do not depend on anything here.
 */
package io.eventloop.internal;
