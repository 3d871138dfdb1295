package io.sagaz.fleet.core.saga;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mermaid flowcharts of a saga definition and of one execution. The execution picture colours each
 * step by where it ended (the path taken, the failed step) and draws the compensations that ran.
 */
public final class SagaMermaid {
  private SagaMermaid() {}

  /** The definition: steps as nodes, dependencies as arrows, compensations as dotted arrows. */
  public static String definition(SagaDefinition def) {
    return render(def, null);
  }

  /** One execution of {@code def}: the same graph, coloured by step status, with the saga status. */
  public static String execution(SagaDefinition def, SagaState state) {
    return render(def, state);
  }

  private static String render(SagaDefinition def, SagaState state) {
    List<String> out = new ArrayList<>();
    out.add("flowchart TD");
    String startLabel = state == null ? def.name() + " v" + def.version() : def.name() + ": " + state.status();
    out.add("  start((\"" + escape(startLabel) + "\"))");
    out.add("  finish(((end)))");
    for (StepDefinition s : def.steps()) {
      StringBuilder label = new StringBuilder(s.name());
      if (s.pivot()) {
        label.append(" [pivot]");
      }
      label.append("<br/>").append(s.action());
      if (state != null) {
        StepState st = state.step(s.name());
        label.append("<br/>").append(st.status());
        if (st.attempt() > 1) {
          label.append(" after ").append(st.attempt()).append(" tries");
        }
      }
      out.add("  " + id(s.name()) + "[\"" + escape(label.toString()) + "\"]");
      if (s.hasCompensation()) {
        out.add("  " + id(s.name()) + "_undo{{\"undo " + escape(s.name()) + "<br/>" + escape(s.compensation()) + "\"}}");
      }
    }
    for (StepDefinition s : def.steps()) {
      if (s.dependsOn().isEmpty()) {
        out.add("  start --> " + id(s.name()));
      }
      for (String d : s.dependsOn()) {
        out.add("  " + id(d) + " --> " + id(s.name()));
      }
      if (def.dependents(s.name()).isEmpty()) {
        out.add("  " + id(s.name()) + " --> finish");
      }
    }
    for (StepDefinition s : def.steps()) {
      if (!s.hasCompensation()) {
        continue;
      }
      boolean ran = state != null && compensationRan(state.step(s.name()).status());
      out.add("  " + id(s.name()) + (ran ? " == compensated ==> " : " -. on failure .-> ") + id(s.name()) + "_undo");
    }
    if (state != null) {
      out.add("  classDef succeeded fill:#c8e6c9,stroke:#2e7d32");
      out.add("  classDef failed fill:#ffcdd2,stroke:#c62828");
      out.add("  classDef running fill:#bbdefb,stroke:#1565c0");
      out.add("  classDef compensated fill:#ffe0b2,stroke:#ef6c00");
      out.add("  classDef pending fill:#eeeeee,stroke:#9e9e9e");
      for (Map.Entry<String, StepState> e : state.steps().entrySet()) {
        out.add("  class " + id(e.getKey()) + " " + styleOf(e.getValue().status()));
        if (def.step(e.getKey()).hasCompensation() && compensationRan(e.getValue().status())) {
          String undo = e.getValue().status() == StepStatus.COMPENSATED ? "compensated"
              : e.getValue().status() == StepStatus.COMPENSATION_FAILED ? "failed" : "running";
          out.add("  class " + id(e.getKey()) + "_undo " + undo);
        }
      }
    }
    return String.join("\n", out) + "\n";
  }

  private static boolean compensationRan(StepStatus s) {
    return s == StepStatus.COMPENSATING || s == StepStatus.COMPENSATED || s == StepStatus.COMPENSATION_FAILED
        || s == StepStatus.COMPENSATION_WAITING_RETRY;
  }

  private static String styleOf(StepStatus s) {
    return switch (s) {
      case SUCCEEDED -> "succeeded";
      case FAILED, COMPENSATION_FAILED -> "failed";
      case RUNNING, WAITING_RETRY -> "running";
      case COMPENSATING, COMPENSATION_WAITING_RETRY, COMPENSATED -> "compensated";
      case PENDING -> "pending";
    };
  }

  /** Mermaid node ids allow letters, digits and underscores; other characters become '_' plus a code. */
  static String id(String step) {
    StringBuilder b = new StringBuilder("s_");
    for (char c : step.toCharArray()) {
      if (Character.isLetterOrDigit(c) && c < 128) {
        b.append(c);
      } else {
        b.append('_').append((int) c).append('_');
      }
    }
    return b.toString();
  }

  private static String escape(String text) {
    return text.replace("\"", "#quot;");
  }
}
