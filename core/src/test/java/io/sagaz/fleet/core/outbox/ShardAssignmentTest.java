package io.sagaz.fleet.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardAssignmentTest {

  @Test
  void everyShardHasExactlyOneOwnerAndTheSplitIsRoughlyEven() {
    List<String> members = List.of("node-a", "node-b", "node-c");
    Set<Integer> seen = new HashSet<>();
    for (String m : members) {
      List<Integer> mine = ShardAssignment.shardsOf(m, members, 64);
      assertThat(mine).hasSizeBetween(10, 32);
      mine.forEach(s -> assertThat(seen.add(s)).as("shard %s owned twice", s).isTrue());
    }
    assertThat(seen).hasSize(64);
  }

  @Test
  void aJoiningNodeOnlyTakesShardsAndOthersKeepTheRest() {
    List<String> before = List.of("node-a", "node-b");
    List<String> after = List.of("node-a", "node-b", "node-c");
    for (int s = 0; s < 64; s++) {
      String was = ShardAssignment.owner(s, before);
      String now = ShardAssignment.owner(s, after);
      assertThat(now).isIn(was, "node-c");
    }
  }

  @Test
  void orderOfTheMemberListDoesNotMatter() {
    assertThat(ShardAssignment.shardsOf("x", List.of("x", "y"), 16))
        .isEqualTo(ShardAssignment.shardsOf("x", List.of("y", "x"), 16));
  }
}
