package io.sagaz.fleet.testkit;

/**
 * Runs the test broker of {@link InJvmKafka} as a process of its own ({@link KafkaBrokerProcess}):
 * {@code KafkaBrokerMain [port]} prints {@code bootstrap=host:port} once the broker is ready and stops
 * it when its standard input closes, so the broker goes away with the process that started it, even
 * after a {@code kill -9}.
 */
public final class KafkaBrokerMain {
  static final String READY = "bootstrap=";

  private KafkaBrokerMain() {}

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    try (InJvmKafka broker = InJvmKafka.start(port)) {
      System.out.println(READY + broker.bootstrapServers());
      System.out.flush();
      while (System.in.read() >= 0) {
        // nothing is sent; end of input means the parent is gone
      }
    }
    System.exit(0);
  }
}
