package io.sagaz.fleet.app.cli.outbox;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.app.cli.api.ApiCommand;
import io.sagaz.fleet.app.cli.api.Arguments;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sagaz outbox replay}: puts dead letters back to pending with a fresh attempt budget, chosen
 * by event id, or by filter, or all of them. Fix the cause first: an unfixed cause dead-letters them
 * again after another round of attempts.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay dead letters: by --id, by --topic/--event-type/--older-than, or --all.")
final class ReplayCommand extends ApiCommand {
  @Option(names = "--id", paramLabel = "EVENT_ID", split = ",", description = "Event ids (repeat or comma-separate; at most 1000).")
  List<String> ids;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Every dead letter of this topic (with the other filters).")
  String topic;

  @Option(names = "--event-type", paramLabel = "TYPE", description = "Every dead letter of this event type (with the other filters).")
  String eventType;

  @Option(names = "--older-than", paramLabel = "WHEN",
      description = "Only dead letters created before this instant (2026-01-31T12:00:00Z) or day (2026-01-31, midnight UTC).")
  String olderThan;

  @Option(names = "--all", description = "Every dead letter.")
  boolean all;

  private JsonObject request;

  @Override
  protected void validate() {
    Arguments.nonBlank("--topic", topic);
    Arguments.nonBlank("--event-type", eventType);
    boolean filtered = topic != null || eventType != null || olderThan != null;
    boolean byId = ids != null && !ids.isEmpty();
    if ((byId ? 1 : 0) + (filtered ? 1 : 0) + (all ? 1 : 0) != 1) {
      throw new IllegalArgumentException("choose the dead letters one way: --id, or --topic/--event-type/--older-than, or --all");
    }
    if (byId) {
      if (ids.size() > 1000) {
        throw new IllegalArgumentException("--id: " + ids.size() + " ids; replay at most 1000 at a time");
      }
      JsonArray checked = new JsonArray();
      ids.forEach(id -> checked.add(Arguments.uuid("--id", id, "an event id")));
      request = new JsonObject().put("ids", checked);
      return;
    }
    JsonObject filter = new JsonObject();
    if (topic != null) {
      filter.put("topic", topic);
    }
    if (eventType != null) {
      filter.put("eventType", eventType);
    }
    if (olderThan != null) {
      filter.put("olderThan", instant(olderThan));
    }
    request = new JsonObject().put("filter", filter);
  }

  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    JsonObject reply = client.post("/outbox/dead-letters/replay", request);
    if (printedAsJson(out, reply)) {
      return;
    }
    int replayed = reply.getInteger("replayed", 0);
    out.println("replayed " + replayed + " dead letter(s)");
    if (request.containsKey("ids") && replayed < request.getJsonArray("ids").size()) {
      out.println((request.getJsonArray("ids").size() - replayed) + " of the ids given are not dead letters (sent, pending or unknown)");
    }
    out.flush();
  }

  private static String instant(String when) {
    try {
      if (when.length() == 10) {
        return LocalDate.parse(when).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
      }
      return OffsetDateTime.parse(when).toInstant().toString();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--older-than '" + when + "' is neither an instant like 2026-01-31T12:00:00Z nor a day like 2026-01-31");
    }
  }
}
