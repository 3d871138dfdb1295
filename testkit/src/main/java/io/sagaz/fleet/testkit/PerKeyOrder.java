package io.sagaz.fleet.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The ordered-outbox check shared by the in-process and the multi-process tests. */
public final class PerKeyOrder {
  private PerKeyOrder() {}

  /**
   * Fails unless the records hold exactly {@code keys} keys, and each key's sequence numbers (read from
   * the value by {@code seq}) never go back (a redelivery may repeat the latest, never an older one)
   * and cover {@code perKey} distinct values.
   */
  public static void assertInOrder(List<ConsumerRecord<String, String>> records, ToIntFunction<String> seq, int keys, int perKey) {
    Map<String, List<Integer>> byKey = new HashMap<>();
    records.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(seq.applyAsInt(r.value())));
    if (byKey.size() != keys) {
      throw new AssertionError("expected " + keys + " keys, got " + byKey.size());
    }
    byKey.forEach((key, seqs) -> {
      for (int i = 1; i < seqs.size(); i++) {
        if (seqs.get(i) < seqs.get(i - 1)) {
          throw new AssertionError(key + " arrived out of order: " + seqs);
        }
      }
      long distinct = seqs.stream().distinct().count();
      if (distinct != perKey) {
        throw new AssertionError(key + ": expected " + perKey + " distinct events, got " + distinct + ": " + seqs);
      }
    });
  }
}
