package io.sagaz.fleet.app.node;

import io.sagaz.fleet.admin.AdminModule;
import io.sagaz.fleet.admin.MaintenanceModule;
import io.sagaz.fleet.client.node.FleetModule;
import io.sagaz.fleet.core.config.Role;
import io.sagaz.fleet.outbox.OutboxModule;
import io.sagaz.fleet.saga.SagaModule;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Which module serves which role (design.md section 6). */
final class Modules {
  /** A role and the module that serves it. */
  record Entry(Role role, Supplier<FleetModule> module) {}

  private static final List<Entry> ORDER = List.of(
      new Entry(Role.SAGA, SagaModule::new),
      new Entry(Role.OUTBOX, OutboxModule::new),
      new Entry(Role.MAINTENANCE, MaintenanceModule::new),
      new Entry(Role.ADMIN, AdminModule::new));

  private Modules() {}

  static List<Entry> forRoles(Set<Role> roles) {
    return ORDER.stream().filter(e -> roles.contains(e.role())).toList();
  }
}
