package io.sagaz.fleet.client.inbox;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * What {@link Inbox#consume} returns.
 *
 * @param duplicate   true when the event had been consumed before and the handler did not run
 * @param result      the handler's result (stored on first consumption, returned as stored after)
 * @param processedAt when the event was first consumed
 */
public record InboxResult(boolean duplicate, JsonObject result, OffsetDateTime processedAt) {}
