package io.sagaz.fleet.core.outbox;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One claimed outbox row as the relays see it. Payload and headers stay JSON text: the relays send
 * them on as they are, so parsing them would only cost time.
 *
 * @param id            row id (with {@code createdAt} the primary key)
 * @param createdAt     partition key
 * @param eventId       the event's public id (header {@code event_id}; what consumers dedupe on)
 * @param sagaId        the saga that emitted it, or null
 * @param aggregateType aggregate kind
 * @param aggregateId   aggregate id (Kafka key; ordered mode's unit of order)
 * @param eventType     event type (header {@code event_type})
 * @param topic         Kafka topic / routing key / event-bus address suffix
 * @param payloadJson   the payload, a JSON object as text
 * @param headersJson   extra headers, a JSON object as text
 * @param attempts      attempts including the current one
 */
public record OutboxRecord(
    long id,
    OffsetDateTime createdAt,
    UUID eventId,
    UUID sagaId,
    String aggregateType,
    String aggregateId,
    String eventType,
    String topic,
    String payloadJson,
    String headersJson,
    int attempts) {}
