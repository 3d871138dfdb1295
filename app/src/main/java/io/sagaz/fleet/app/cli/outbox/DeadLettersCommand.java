package io.sagaz.fleet.app.cli.outbox;

import io.sagaz.fleet.app.cli.api.AdminApi;
import io.sagaz.fleet.app.cli.api.ApiCommand;
import io.sagaz.fleet.app.cli.api.Arguments;
import io.sagaz.fleet.app.cli.api.TextTable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sagaz outbox dead-letters}: the newest dead letters, with the error that failed each. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true,
    description = "List dead letters, newest first, with their attempts, replays and last error.")
final class DeadLettersCommand extends ApiCommand {
  /** The last error is cut to this many characters in the table; --json has it whole. */
  static final int ERROR_WIDTH = 80;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Only this topic.")
  String topic;

  @Option(names = "--event-type", paramLabel = "TYPE", description = "Only this event type.")
  String eventType;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N (1-1000, default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  protected void validate() {
    Arguments.between("--limit", limit, 1, 1000);
    Arguments.nonBlank("--topic", topic);
    Arguments.nonBlank("--event-type", eventType);
  }

  @Override
  protected void execute(AdminApi client, PrintWriter out) throws AdminApi.Failure {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", String.valueOf(limit));
    if (topic != null) {
      query.put("topic", topic);
    }
    if (eventType != null) {
      query.put("eventType", eventType);
    }
    JsonObject reply = client.get("/outbox/dead-letters", query);
    if (printedAsJson(out, reply)) {
      return;
    }
    JsonArray letters = reply.getJsonArray("deadLetters", new JsonArray());
    TextTable t = new TextTable("EVENT ID", "TOPIC", "EVENT TYPE", "AGGREGATE", "ATTEMPTS", "REPLAYS", "CREATED", "LAST ERROR");
    letters.stream().map(JsonObject.class::cast).forEach(d -> t.row(d.getString("eventId"), d.getString("topic"),
        d.getString("eventType"), d.getString("aggregateId"), d.getInteger("attempts"), d.getInteger("replayCount"),
        d.getString("createdAt"), oneLine(d.getString("lastError"))));
    if (!t.isEmpty()) {
      t.print(out);
    }
    out.println(letters.size() + " dead letter(s)" + (letters.size() == limit ? " (the newest " + limit + "; --limit for more)" : ""));
    out.flush();
  }

  static String oneLine(String error) {
    if (error == null) {
      return null;
    }
    String flat = error.replaceAll("\\s+", " ").strip();
    return flat.length() <= ERROR_WIDTH ? flat : flat.substring(0, ERROR_WIDTH - 1) + "…";
  }
}
