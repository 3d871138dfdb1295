package io.sagaz.fleet.bench;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry point for every benchmark: {@code bench/run <name> [args]}. Each benchmark prints its
 * figures and their ratio to a baseline it measures in the same run (see docs/benchmarks.md).
 */
public final class Bench {
  private static final Map<String, String> BENCHMARKS = new LinkedHashMap<>();

  static {
    BENCHMARKS.put("startup", "io.sagaz.fleet.bench.startup.StartupBench");
    BENCHMARKS.put("outbox", "io.sagaz.fleet.bench.outbox.OutboxBench");
    BENCHMARKS.put("saga", "io.sagaz.fleet.bench.saga.SagaBench");
    BENCHMARKS.put("maintenance", "io.sagaz.fleet.bench.maintenance.MaintenanceRunBench");
  }

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !BENCHMARKS.containsKey(args[0])) {
      System.err.println("usage: bench/run <" + String.join("|", BENCHMARKS.keySet()) + "> [args]"
          + (args.length == 0 ? "" : "\nunknown benchmark '" + args[0] + "'"));
      System.exit(2);
    }
    Method main = Class.forName(BENCHMARKS.get(args[0])).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
