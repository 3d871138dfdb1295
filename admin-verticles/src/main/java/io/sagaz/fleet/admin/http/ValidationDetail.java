package io.sagaz.fleet.admin.http;

import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a request-validation failure into a detail that names the bad parameter or body field.
 * Parameter failures already name the parameter. Body failures only say "the request body", and the
 * validator's summary can even blame the wrong keyword, so the schema output is walked for each
 * offending field (its JSON pointer) and its specific errors, e.g.
 * {@code The request body is invalid: table: Instance does not match any of [...]}.
 */
final class ValidationDetail {
  private ValidationDetail() {}

  static String of(ValidatorException e) {
    if (!(e instanceof SchemaValidationException s) || s.getOutputUnit() == null) {
      return e.getMessage();
    }
    Map<String, Set<String>> byField = new LinkedHashMap<>();
    for (OutputUnit leaf : leaves(s.getOutputUnit())) {
      byField.computeIfAbsent(field(leaf.getInstanceLocation()), f -> new LinkedHashSet<>()).add(leaf.getError());
    }
    byField.remove("");
    if (byField.isEmpty()) {
      // the error is about the value as a whole (a parameter, or a body missing a required field):
      // the validator's own message already says which one
      return e.getMessage();
    }
    return "The request body is invalid: " + byField.entrySet().stream()
        .map(en -> en.getKey() + ": " + describe(en.getValue()))
        .collect(Collectors.joining("; "));
  }

  /** {@code #/filter/olderThan} -> {@code filter.olderThan}; the root is "". */
  private static String field(String instanceLocation) {
    if (instanceLocation == null) {
      return "";
    }
    return instanceLocation.replaceFirst("^#?/?", "").replace('/', '.');
  }

  // The validator wraps a field's real error in generic ones ("does not match schema", "a subschema
  // had errors", and an additionalProperties complaint even for declared properties); keep those only
  // when nothing more specific was said, which is the case for a truly unknown field.
  private static String describe(Set<String> errors) {
    List<String> specific = errors.stream().filter(e -> !generic(e)).toList();
    if (!specific.isEmpty()) {
      return String.join(", ", specific);
    }
    return errors.stream().anyMatch(e -> e.contains("additional properties")) ? "unknown field" : String.join(", ", errors);
  }

  private static boolean generic(String error) {
    return error.contains("does not match schema")
        || error.contains("A subschema had errors")
        || error.contains("additional properties");
  }

  private static List<OutputUnit> leaves(OutputUnit unit) {
    List<OutputUnit> out = new ArrayList<>();
    collect(unit, out);
    return out;
  }

  private static void collect(OutputUnit unit, List<OutputUnit> out) {
    List<OutputUnit> errors = unit.getErrors();
    if (errors == null || errors.isEmpty()) {
      if (unit.getError() != null) {
        out.add(unit);
      }
      return;
    }
    errors.forEach(e -> collect(e, out));
  }
}
