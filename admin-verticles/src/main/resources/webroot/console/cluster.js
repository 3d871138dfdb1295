// The cluster section: the members with their roles, this node marked, and the maintenance leader.
import { api, el, fill, table } from "./api.js";

const section = document.getElementById("cluster");

export function loadCluster() {
  return fill(section.querySelector(".content"), async () => {
    const cluster = await api("/cluster");
    const leader = cluster.maintenanceLeader;
    section.querySelector(".leader").textContent = leader && leader.leader
      ? "Maintenance leader: " + leader.leader + " (epoch " + leader.epoch + ")"
      : "Maintenance leader: none answered";
    return table(cluster.members, [
      ["nodeId", (m) => m.nodeId + (m.clusterNodeId === cluster.self.clusterNodeId ? " (this node)" : "")],
      ["roles", (m) => {
        const badges = el("span");
        badges.append(...m.roles.map((r) => el("span", r, "role")));
        return badges;
      }],
      "adminUrl", "startedAt",
    ]);
  });
}
