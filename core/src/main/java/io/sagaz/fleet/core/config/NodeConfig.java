package io.sagaz.fleet.core.config;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who this node is and what it does.
 *
 * @param id      stable node id shown in the cluster view and stored as claim/lease holder
 * @param roles   the roles this node deploys (never empty)
 * @param dataDir where the embedded PostgreSQL and the generated admin token live
 * @param demo    deploy the demo saga and its participants
 */
public record NodeConfig(String id, Set<Role> roles, Path dataDir, boolean demo) {
  public NodeConfig {
    Check.notBlank("node.id", id);
    if (roles == null || roles.isEmpty()) {
      throw new ConfigException("node.roles", "at least one role is needed");
    }
    roles = Set.copyOf(EnumSet.copyOf(roles));
    if (dataDir == null) {
      throw new ConfigException("node.dataDir", "must be set");
    }
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }
}
