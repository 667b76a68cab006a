package io.eventloop.testing;

import org.junit.jupiter.api.extension.Extension;

/** The extension behind {@link EventLoopTest}. */
public final class EventLoopExtension implements Extension {
}
