package io.sagaz.fleet.app.it.outbox;

import io.sagaz.fleet.testkit.NodeProcess;
import io.sagaz.fleet.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What both outbox ITs share: node settings, writing events as another service would, probes. */
final class OutboxItSupport {
  private OutboxItSupport() {}

  /** An outbox-only node relaying to Kafka, with timings short enough for a test. */
  static void kafkaOutboxNode(NodeProcess.Builder node, TestDatabase db, String bootstrap, String ordering) {
    node.dbUrl(db.url()).roles("outbox")
        .env("SAGAZ_OUTBOX_RELAY", "kafka")
        .env("SAGAZ_KAFKA_BOOTSTRAP_SERVERS", bootstrap)
        .env("SAGAZ_OUTBOX_ORDERING", ordering)
        .env("SAGAZ_OUTBOX_POLLERS", "2")
        .env("SAGAZ_OUTBOX_BATCH_SIZE", "500")
        .env("SAGAZ_OUTBOX_MAX_IN_FLIGHT", "500")
        .env("SAGAZ_OUTBOX_POLL_INTERVAL", "200ms")
        .env("SAGAZ_OUTBOX_CLAIM_TIMEOUT", "6s")
        .env("SAGAZ_OUTBOX_BACKOFF_BASE", "200ms")
        .env("SAGAZ_OUTBOX_BACKOFF_MAX", "2s")
        .env("SAGAZ_OUTBOX_MAX_ATTEMPTS", "30");
  }

  /**
   * Commits one transaction of events written by hand, the way another service would (only the
   * columns without defaults); {@code aggregates[i]} gets payload {@code {"seq": seq}}. Returns the ids.
   */
  static List<UUID> write(TestDatabase db, String topic, List<String> aggregates, int seq) throws Exception {
    List<UUID> ids = new ArrayList<>(aggregates.size());
    try (Connection c = db.connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO saga_outbox (event_id, aggregate_type, aggregate_id, "
          + "event_type, topic, payload) VALUES (?, 'account', ?, 'Changed', ?, ?::jsonb)")) {
        for (String aggregate : aggregates) {
          UUID id = UUID.randomUUID();
          ids.add(id);
          ps.setObject(1, id);
          ps.setString(2, aggregate);
          ps.setString(3, topic);
          ps.setString(4, "{\"seq\": " + seq + "}");
          ps.addBatch();
        }
        ps.executeBatch();
      }
      c.commit();
    }
    return ids;
  }

  /**
   * Claims a node holds right now: an unordered claim is a transaction that locked its rows (so it
   * has a transaction id) and stays open while the batch is published.
   */
  static long claimsHeldBy(TestDatabase db, String nodeId) {
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND application_name = 'sagaz-" + nodeId + "' AND backend_xid IS NOT NULL")) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static long count(TestDatabase db, String where) {
    try (Connection c = db.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM saga_outbox WHERE " + where)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String eventId(ConsumerRecord<String, String> r) {
    var h = r.headers().lastHeader("event_id");
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
