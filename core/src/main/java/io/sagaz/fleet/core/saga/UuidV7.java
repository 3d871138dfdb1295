package io.sagaz.fleet.core.saga;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * RFC 9562 version 7 UUIDs: 48 bits of Unix milliseconds, then random bits. Saga ids are UUIDv7 so
 * the creation time, and with it the {@code saga_executions} partition, follows from the id alone.
 */
public final class UuidV7 {
  private static final Random RANDOM = new SecureRandom();

  private UuidV7() {}

  /** A new UUIDv7 for the time {@code at}. */
  public static UUID generate(Instant at) {
    return generate(at, RANDOM);
  }

  static UUID generate(Instant at, Random random) {
    long ms = at.toEpochMilli();
    long randA = random.nextInt(1 << 12);
    long msb = (ms & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | randA;
    long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }

  /** The creation time of a version 7 UUID (millisecond precision); empty for other versions. */
  public static Optional<Instant> timestamp(UUID id) {
    if (id.version() != 7) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16));
  }
}
