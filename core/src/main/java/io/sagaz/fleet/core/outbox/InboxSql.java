package io.sagaz.fleet.core.outbox;

/** Every DML statement on {@code consumer_inbox} (consume-once bookkeeping). */
public final class InboxSql {
  private InboxSql() {}

  /**
   * Claims (consumer, event) for this transaction. Returns a row when this is the first time; a
   * concurrent first consumer makes it wait for that one's commit, then return nothing.
   * $1 consumer name, $2 event id.
   */
  public static final String CLAIM = """
      INSERT INTO consumer_inbox (consumer_name, event_id) VALUES ($1, $2)
      ON CONFLICT (consumer_name, event_id) DO NOTHING
      RETURNING processed_at
      """;

  /**
   * Stores the handler's result. $1 consumer name, $2 event id, $3 result json as text. The text
   * cast matters: bound straight to a jsonb parameter, the client sends a Java String as a JSON
   * string value, and the result would come back as a quoted string instead of the object.
   */
  public static final String STORE_RESULT = """
      UPDATE consumer_inbox SET result = $3::text::jsonb WHERE consumer_name = $1 AND event_id = $2
      """;

  /** The stored result of an event already consumed. $1 consumer name, $2 event id. */
  public static final String FIND = """
      SELECT result::text AS result, processed_at FROM consumer_inbox WHERE consumer_name = $1 AND event_id = $2
      """;
}
