package io.sagaz.fleet.core.outbox;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Write-time rules for outbox events, checked before anything touches the database. A topic must be
 * usable as a Kafka topic, a RabbitMQ routing key and an event-bus address suffix at once, so it is
 * restricted to the characters all three accept.
 */
public final class OutboxRules {
  /** Kafka's own limit on topic names; routing keys allow 255 bytes. */
  public static final int MAX_TOPIC_LENGTH = 249;
  public static final int MAX_NAME_LENGTH = 255;
  private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]+");

  private OutboxRules() {}

  /** Checks one event's fields; {@code prefix} (e.g. {@code "events[2]."}) goes in front of field names. */
  public static void check(String prefix, String topic, String eventType, String aggregateType,
      String aggregateId, String payloadJson, int maxPayloadBytes) {
    requireName(prefix + "aggregateType", aggregateType);
    requireName(prefix + "aggregateId", aggregateId);
    requireName(prefix + "eventType", eventType);
    String field = prefix + "topic";
    if (topic == null || topic.isBlank()) {
      throw new OutboxValidationException(field, "must not be empty");
    }
    if (topic.length() > MAX_TOPIC_LENGTH) {
      throw new OutboxValidationException(field, "is " + topic.length() + " characters, the limit is " + MAX_TOPIC_LENGTH);
    }
    if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
      throw new OutboxValidationException(field,
          "'" + topic + "' may only contain letters, digits, '.', '_' and '-' (it becomes a Kafka topic, a routing key and an address)");
    }
    if (payloadJson == null) {
      throw new OutboxValidationException(prefix + "payload", "must be a JSON object, was null");
    }
    int bytes = payloadJson.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxPayloadBytes) {
      throw new OutboxValidationException(prefix + "payload",
          "is " + bytes + " bytes, the limit (outbox.maxPayloadBytes) is " + maxPayloadBytes);
    }
  }

  private static void requireName(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new OutboxValidationException(field, "must not be empty");
    }
    if (value.length() > MAX_NAME_LENGTH) {
      throw new OutboxValidationException(field, "is " + value.length() + " characters, the limit is " + MAX_NAME_LENGTH);
    }
  }
}
